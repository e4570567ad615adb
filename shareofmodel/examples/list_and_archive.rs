//! Creates two text assets, lists the workspace's assets, archives the first one, and lists
//! again.
//!
//! ```text
//! cargo run --example list_and_archive
//! ```

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    common::init_logging();
    common::finish(run().await)
}

async fn run() -> Result<(), String> {
    let target = common::target().await?;
    let (client, org, ws) = (&target.client, target.organization_id, target.workspace_id);

    let created = client
        .upload(org, ws)
        .text("Headline A", "Brighter days ahead.")
        .text("Headline B", "Made to be seen.")
        .send()
        .await
        .map_err(|e| e.to_string())?;

    let all = client
        .list_assets(org, ws, false)
        .await
        .map_err(|e| e.to_string())?;
    println!("{} assets in the workspace", all.len());

    let archived = client
        .archive_assets(org, ws, [created[0].id])
        .await
        .map_err(|e| e.to_string())?;
    println!("archived {} ({})", archived.id, archived.name);

    for asset in client
        .list_assets(org, ws, true)
        .await
        .map_err(|e| e.to_string())?
    {
        println!(
            "{}\t{}\tarchived: {}",
            asset.id,
            asset.name,
            asset.is_archived.unwrap_or(false)
        );
    }
    Ok(())
}
