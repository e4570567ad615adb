//! `som assets upload --dry-run`: every check of a real upload, and what would be sent, with
//! no network at all.

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use shareofmodel::{Client, Uuid};

use crate::args::Global;
use crate::failure::{Exit, Failure};
use crate::output::{print, print_json, size, table};
use crate::upload::Inputs;

/// The client the dry run builds its upload on. `Upload::validate` sends nothing, but the
/// wrapper only builds uploads from a client; this one has no credentials and points at the
/// discard port of this machine, so that even a future change that did send something could
/// reach no server. Building it opens no connection.
const NOWHERE: &str = "http://127.0.0.1:9";

/// As many bytes as the wrapper reads to recognise a file's content.
const SNIFF_BYTES: u64 = 32 * 1024;

#[derive(Serialize)]
struct Planned {
    input: String,
    kind: &'static str,
    name: String,
    media_type: Option<String>,
    size: u64,
}

#[derive(Serialize)]
struct DryRun {
    dry_run: bool,
    inputs: Vec<Planned>,
    tags: Vec<String>,
}

pub async fn run(global: &Global, inputs: &Inputs) -> Result<Exit, Failure> {
    let client = Client::builder(NOWHERE)
        .build()
        .map_err(|e| Failure::from_error(&e))?;
    // Ids are not checked locally, so they are optional here; placeholders fill in for them.
    let upload = inputs.onto(client.upload(
        global.organization.unwrap_or(Uuid::nil()),
        global.workspace.unwrap_or(Uuid::nil()),
    ));
    if let Err(e) = upload.validate().await {
        return Err(inputs.failure(&e, &client).await);
    }

    let mut planned: Vec<Planned> = inputs
        .texts
        .iter()
        .map(|(name, content)| Planned {
            input: name.clone(),
            kind: "text",
            name: name.clone(),
            media_type: None,
            size: content.len() as u64,
        })
        .collect();
    for found in &inputs.files {
        let path = &found.path;
        planned.push(Planned {
            input: path.display().to_string(),
            kind: "file",
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            media_type: Some(media_type(path)),
            size: std::fs::metadata(path).map(|m| m.len()).unwrap_or_default(),
        });
    }

    if global.json {
        print_json(&DryRun {
            dry_run: true,
            inputs: planned,
            tags: inputs.tags.clone(),
        });
        return Ok(Exit::Done);
    }
    let rows: Vec<Vec<String>> = planned
        .iter()
        .map(|p| {
            vec![
                p.input.clone(),
                p.kind.to_owned(),
                p.media_type.clone().unwrap_or_else(|| "-".to_owned()),
                size(p.size),
            ]
        })
        .collect();
    print(&table(&["INPUT", "KIND", "MEDIA TYPE", "SIZE"], &rows));
    let bytes: u64 = planned.iter().map(|p| p.size).sum();
    eprintln!(
        "som: dry run: {} inputs ({}) pass every check{}; nothing was sent",
        planned.len(),
        size(bytes),
        if inputs.tags.is_empty() {
            String::new()
        } else {
            format!(", tagged {}", inputs.tags.join(", "))
        }
    );
    Ok(Exit::Done)
}

/// The media type the wrapper will send a file as: the type its content shows, else its
/// extension's. The wrapper decides this itself when sending but does not expose the decision
/// before (`Upload::validate` returns nothing), so this restates its rule, for display only.
fn media_type(path: &Path) -> String {
    let mut prefix = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(SNIFF_BYTES).read_to_end(&mut prefix);
    }
    infer::get(&prefix)
        .map(|t| t.mime_type().to_owned())
        .or_else(|| {
            let name = path.file_name()?.to_str()?;
            mime_guess::from_path(name).first_raw().map(str::to_owned)
        })
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}
