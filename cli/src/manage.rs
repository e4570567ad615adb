//! `som assets list` and `som assets archive`.

use clap::ArgMatches;
use serde::Serialize;
use shareofmodel::{Asset, Uuid};

use crate::args::{ArchiveArgs, Global, ListArgs};
use crate::connect::connect;
use crate::failure::{Exit, Failure};
use crate::output::{print, print_json, table};

#[derive(Serialize)]
struct Listed<'a> {
    assets: &'a [Asset],
}

pub async fn list(global: &Global, matches: &ArgMatches, args: ListArgs) -> Result<Exit, Failure> {
    let target = connect(global, matches).await?;
    let result = target
        .client
        .list_assets(target.organization, target.workspace, args.include_email)
        .await;
    target.close().await;
    let assets = result.map_err(|e| Failure::from_error(&e))?;

    if global.json {
        print_json(&Listed { assets: &assets });
        return Ok(Exit::Done);
    }
    let mut headers = vec!["ID", "NAME", "CONTENT TYPE", "ARCHIVED", "TAGS"];
    if args.include_email {
        headers.push("CREATED BY");
    }
    let rows: Vec<Vec<String>> = assets
        .iter()
        .map(|a| {
            let mut row = vec![
                a.id.to_string(),
                a.name.clone(),
                a.content_type.to_string(),
                // The API may leave it out; an asset not said to be archived is shown as not.
                if a.is_archived.unwrap_or(false) {
                    "yes".to_owned()
                } else {
                    "no".to_owned()
                },
                a.tags.join(", "),
            ];
            if args.include_email {
                row.push(a.created_by_email.clone().unwrap_or_default());
            }
            row
        })
        .collect();
    print(&table(&headers, &rows));
    eprintln!("som: {} assets", assets.len());
    Ok(Exit::Done)
}

#[derive(Serialize)]
struct Archived<'a> {
    archived: &'a [Uuid],
    /// What the server answered (the API documents a single asset).
    response: &'a Asset,
}

pub async fn archive(
    global: &Global,
    matches: &ArgMatches,
    args: ArchiveArgs,
) -> Result<Exit, Failure> {
    let target = connect(global, matches).await?;
    let result = target
        .client
        .archive_assets(
            target.organization,
            target.workspace,
            args.ids.iter().copied(),
        )
        .await;
    target.close().await;
    let response = result.map_err(|e| Failure::from_error(&e))?;

    if global.json {
        print_json(&Archived {
            archived: &args.ids,
            response: &response,
        });
        return Ok(Exit::Done);
    }
    let rows: Vec<Vec<String>> = args.ids.iter().map(|id| vec![id.to_string()]).collect();
    print(&table(&["ARCHIVED"], &rows));
    Ok(Exit::Done)
}
