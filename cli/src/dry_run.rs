//! `som assets upload --dry-run`: every check of a real upload, and what would be sent, with
//! no network at all.

use serde::Serialize;
use shareofmodel::{Client, Uuid};

use crate::args::Global;
use crate::failure::{Exit, Failure};
use crate::output::{print, print_json, size, table};
use crate::upload::Inputs;

/// The client the dry run builds its upload on. `Upload::validate_batched` sends nothing, but the
/// wrapper only builds uploads from a client; this one has no credentials and points at the
/// discard port of this machine, so that even a future change that did send something could
/// reach no server. Building it opens no connection.
const NOWHERE: &str = "http://127.0.0.1:9";

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
    // The same checks as the real run, batching included; the wrapper says how each file
    // would be sent.
    let checks = match upload.validate_batched().await {
        Ok(checks) => checks,
        Err(e) => return Err(inputs.failure(&e, &client).await),
    };

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
    for (found, check) in inputs.files.iter().zip(checks) {
        planned.push(Planned {
            input: found.path.display().to_string(),
            kind: "file",
            name: check.file_name,
            media_type: Some(check.media_type),
            size: check.size,
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
