//! Uploads every file of a folder (recursively, hidden files skipped, files the API would
//! refuse left out with the reason) in as many requests as needed, with a progress line, then
//! reports input by input.
//!
//! ```text
//! cargo run --example upload_folder -- FOLDER [TAG...]
//! ```

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use shareofmodel::{ItemOutcome, ProgressEvent};

#[tokio::main]
async fn main() -> ExitCode {
    common::init_logging();
    let mut args = std::env::args().skip(1);
    let Some(folder) = args.next() else {
        eprintln!("usage: cargo run --example upload_folder -- FOLDER [TAG...]");
        return ExitCode::from(2);
    };
    common::finish(run(PathBuf::from(folder), args.collect()).await)
}

async fn run(folder: PathBuf, tags: Vec<String>) -> Result<(), String> {
    let mut files = Vec::new();
    collect(&folder, &mut files).map_err(|e| format!("{}: {e}", folder.display()))?;
    files.sort();
    if files.is_empty() {
        return Err(format!("{} holds no files", folder.display()));
    }

    let target = common::target().await?;

    // Leave out, with the reason, what the API would refuse (an empty file, a type it does not
    // accept): the checks run locally and send nothing.
    let mut accepted = Vec::new();
    for file in files {
        let check = target
            .client
            .upload(target.organization_id, target.workspace_id)
            .file(&file)
            .validate_batched()
            .await;
        match check {
            Ok(_) => accepted.push(file),
            Err(error) => eprintln!("skipped: {error}"),
        }
    }
    if accepted.is_empty() {
        return Err(format!("nothing in {} can be uploaded", folder.display()));
    }

    let mut upload = target
        .client
        .upload(target.organization_id, target.workspace_id)
        .tags(tags)
        .concurrency(4)
        .on_progress(|p| {
            if p.event == ProgressEvent::RequestDone || p.sent == p.total {
                eprintln!(
                    "{} / {} bytes, {} / {} requests",
                    p.sent, p.total, p.requests_done, p.requests_total
                );
            }
        });
    for file in &accepted {
        upload = upload.file(file);
    }
    let report = upload.send_batched().await.map_err(|e| e.to_string())?;

    for item in &report.items {
        match &item.outcome {
            ItemOutcome::Created(asset) => {
                println!(
                    "created\t{}\t{}\t{}",
                    asset.id, asset.name, asset.content_type
                )
            }
            ItemOutcome::NotCreated(error) => println!("failed\t{}\t{error}", item.input),
            ItemOutcome::Unknown(error) => println!("unknown\t{}\t{error}", item.input),
            _ => println!("other\t{}", item.input),
        }
        if let Some(extension) = &item.extension_disagrees {
            println!(
                "note\t{}\tits extension says {extension}, its content {}",
                item.input,
                item.media_type.as_deref().unwrap_or("?")
            );
        }
    }
    if report.is_complete() {
        Ok(())
    } else {
        Err(format!(
            "{} of {} inputs were not created",
            report.failures().count(),
            report.items.len()
        ))
    }
}

/// Every regular file under `dir`, skipping names that start with a dot.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}
