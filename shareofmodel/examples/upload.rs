//! Uploads files, one text asset and a tag, then prints each created asset.
//!
//! ```text
//! cargo run --example upload -- FILE...
//! ```
//!
//! With `SHAREOFMODEL_BASE_URL`, `SHAREOFMODEL_API_KEY`, `SHAREOFMODEL_ORGANIZATION_ID` and
//! `SHAREOFMODEL_WORKSPACE_ID` all set, it talks to that server. With none of them set, it
//! starts the sandbox on 127.0.0.1 and uploads there. `RUST_LOG=info` shows one line per request.

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    common::init_logging();
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() || files.iter().any(|f| f == "-h" || f == "--help") {
        eprintln!("usage: cargo run --example upload -- FILE...");
        return ExitCode::from(2);
    }
    common::finish(run(files).await)
}

async fn run(files: Vec<String>) -> Result<(), String> {
    let target = common::target().await?;

    let mut upload = target
        .client
        .upload(target.organization_id, target.workspace_id)
        .text("Tagline", "Summer 2027: \"made to be seen\" ☀️")
        .tag("example");
    for file in files {
        upload = upload.file(file);
    }
    let created = upload.send().await.map_err(|e| e.to_string())?;

    for asset in created {
        println!("{}\t{}\t{}", asset.id, asset.name, asset.content_type);
    }
    Ok(())
}
