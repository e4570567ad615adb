//! `som assets upload`: the inputs from the command line, handed to the wrapper's batched
//! upload, and its report shown.

use std::path::Path;
use std::sync::Arc;

use clap::ArgMatches;
use indicatif::MultiProgress;
use serde::Serialize;
use shareofmodel::{
    BatchReport, Client, Error, Input, ItemOutcome, ItemReport, Ledger, Problem, Reconcile, Upload,
    Uuid,
};

use crate::args::{Global, UploadArgs};
use crate::connect::connect;
use crate::dry_run;
use crate::failure::{Exit, Failure, one_line};
use crate::output::{print, print_json, table};
use crate::progress::UploadBars;
use crate::walk::{self, Filter, Found};

/// Everything an upload carries, gathered before a client exists.
pub struct Inputs {
    pub texts: Vec<(String, String)>,
    pub files: Vec<Found>,
    pub tags: Vec<String>,
    pub concurrency: usize,
    pub ledger: Option<std::path::PathBuf>,
    pub force: bool,
    pub reconcile: Reconcile,
}

impl Inputs {
    fn gather(args: UploadArgs) -> Result<Self, Failure> {
        let filter = Filter::new(&args.include, &args.exclude)?;
        let files = walk::collect(&args.paths, &filter)?;
        let mut texts = args.texts;
        for path in &args.text_files {
            texts.push(read_text_file(path)?);
        }
        Ok(Self {
            texts,
            files,
            tags: args.tags,
            concurrency: usize::from(args.concurrency),
            ledger: args.ledger,
            force: args.force,
            reconcile: match args.reconcile.as_str() {
                "off" => Reconcile::Off,
                "retry" => Reconcile::RetryNotCreated,
                _ => Reconcile::Report,
            },
        })
    }

    /// The wrapper's upload of these inputs: a real one and a `--dry-run` are built by this
    /// same function, so that the dry run checks exactly what would be sent.
    pub fn onto(&self, mut upload: Upload) -> Upload {
        for (name, content) in &self.texts {
            upload = upload.text(name, content);
        }
        for found in &self.files {
            upload = upload.file(&found.path);
        }
        upload
            .tags(self.tags.iter().cloned())
            .concurrency(self.concurrency)
            .reconcile(self.reconcile)
            .force(self.force)
    }

    /// The wrapper's error as the command's failure.
    ///
    /// The wrapper stops at the first invalid input. When that is a file, every other file is
    /// checked too, on its own, by the wrapper's `validate` (nothing is sent), so that a folder
    /// with several bad files is fixed in one go: one line per file, in upload order. A file found in a folder
    /// gets a hint: the fix may well be to leave it out rather than to change it.
    pub async fn failure(&self, error: &Error, client: &Client) -> Failure {
        let Error::InvalidInput {
            input: Input::File { index: first, .. },
            problem,
        } = error
        else {
            return Failure::from_error(error);
        };
        let mut lines = Vec::new();
        for (index, found) in self.files.iter().enumerate() {
            if index == *first {
                lines.push(self.file_problem(index, problem));
                continue;
            }
            let alone = client.upload(Uuid::nil(), Uuid::nil()).file(&found.path);
            if let Err(Error::InvalidInput { problem, .. }) = alone.validate().await {
                lines.push(self.file_problem(index, &problem));
            }
        }
        Failure::usage(lines.join("\n"))
    }

    /// One line about the file at `index`, named as the whole upload's error would name it.
    fn file_problem(&self, index: usize, problem: &Problem) -> String {
        let Some(found) = self.files.get(index) else {
            return one_line(&problem.to_string());
        };
        let input = Input::File {
            index,
            name: found.path.display().to_string(),
        };
        let hint = if found.from_folder {
            "; or leave it out with --exclude GLOB"
        } else {
            ""
        };
        one_line(&format!("{input}: {problem}{hint}"))
    }
}

/// `--text-file`: a text asset named after the file (its name, extension included).
fn read_text_file(path: &Path) -> Result<(String, String), Failure> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Err(Failure::usage(format!(
            "--text-file {}: the path must end in a UTF-8 file name, which names the text asset",
            path.display()
        )));
    };
    let content = std::fs::read_to_string(path).map_err(|e| {
        let problem = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file; check the path".to_owned(),
            std::io::ErrorKind::InvalidData => {
                "its content is not UTF-8 text; save it as UTF-8 or upload it as a file".to_owned()
            }
            _ => format!("it cannot be read ({e}); check its permissions"),
        };
        Failure::usage(format!("--text-file {}: {problem}", path.display()))
    })?;
    Ok((name.to_owned(), content))
}

pub async fn run(
    global: &Global,
    matches: &ArgMatches,
    args: UploadArgs,
    multi: &MultiProgress,
) -> Result<Exit, Failure> {
    let dry_run = args.dry_run;
    let inputs = Inputs::gather(args)?;
    tracing::info!(
        text_assets = inputs.texts.len(),
        files = inputs.files.len(),
        "inputs gathered"
    );
    if dry_run {
        return dry_run::run(global, &inputs).await;
    }

    let target = connect(global, matches).await?;
    let names: Vec<String> = inputs
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let total: u64 = inputs
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    let mut upload = inputs.onto(target.client.upload(target.organization, target.workspace));
    let bars = (!inputs.files.is_empty()).then(|| UploadBars::new(multi, total, names));
    if let Some(bars) = &bars {
        let bars = Arc::clone(bars);
        upload = upload.on_progress(move |p| bars.update(p));
    }

    if let Some(path) = &inputs.ledger {
        let ledger = Ledger::open(path).map_err(|e| Failure::from_error(&e))?;
        if ledger.skipped_lines() > 0 {
            eprintln!(
                "som: note: {} unreadable line(s) of the ledger {} were skipped (a run cut short?)",
                ledger.skipped_lines(),
                path.display()
            );
        }
        upload = upload.ledger(Arc::new(std::sync::Mutex::new(ledger)));
    }
    let result = upload.send_batched().await;
    if let Some(bars) = &bars {
        match &result {
            Ok(_) => bars.finish(),
            Err(_) => bars.clear(),
        }
    }
    // The client outlives the sandbox for the local checks of `failure` (they send nothing).
    let client = target.client.clone();
    target.close().await;
    let report = match result {
        Ok(report) => report,
        Err(e) => return Err(inputs.failure(&e, &client).await),
    };
    Ok(show(&report, &inputs, global.json))
}

#[derive(Serialize)]
struct Created<'a> {
    input: String,
    kind: &'static str,
    id: String,
    name: &'a str,
    content_type: &'a str,
    /// For files, the media type sent.
    media_type: Option<&'a str>,
    /// For files, the type the extension claims when the content says otherwise.
    extension_disagrees: Option<&'a str>,
    request: usize,
}

#[derive(Serialize)]
struct Failed {
    input: String,
    kind: &'static str,
    /// `not_created` (safe to send again) or `unknown` (list the assets before sending again).
    outcome: &'static str,
    error: String,
    request: usize,
}

#[derive(Serialize)]
struct Skipped {
    input: String,
    kind: &'static str,
    /// The asset the ledger says was created for it earlier.
    id: String,
}

#[derive(Serialize)]
struct Report<'a> {
    created: Vec<Created<'a>>,
    failed: Vec<Failed>,
    skipped: Vec<Skipped>,
    requests: usize,
}

fn skipped(item: &ItemReport) -> Option<Skipped> {
    let ItemOutcome::Skipped { asset_id } = &item.outcome else {
        return None;
    };
    let (input, kind) = describe(&item.input);
    Some(Skipped {
        input,
        kind,
        id: asset_id.to_string(),
    })
}

/// How an input is shown: a text asset by name, a file by its path as given.
fn describe(input: &Input) -> (String, &'static str) {
    match input {
        Input::TextAsset { name, .. } => (name.clone(), "text"),
        Input::File { name, .. } => (name.clone(), "file"),
        other => (other.to_string(), "other"),
    }
}

fn created(item: &ItemReport) -> Option<Created<'_>> {
    let ItemOutcome::Created(asset) = &item.outcome else {
        return None;
    };
    let (input, kind) = describe(&item.input);
    Some(Created {
        input,
        kind,
        id: asset.id.to_string(),
        name: &asset.name,
        content_type: asset.content_type.as_str(),
        media_type: item.media_type.as_deref(),
        extension_disagrees: item.extension_disagrees.as_deref(),
        request: item.request,
    })
}

fn failed(item: &ItemReport) -> Option<Failed> {
    let (outcome, error) = match &item.outcome {
        ItemOutcome::Created(_) | ItemOutcome::Skipped { .. } => return None,
        ItemOutcome::NotCreated(error) => ("not_created", error),
        ItemOutcome::Unknown(error) => ("unknown", error),
        // A later outcome this version does not know: not created as far as it can tell.
        _ => return None,
    };
    let (input, kind) = describe(&item.input);
    Some(Failed {
        input,
        kind,
        outcome,
        error: one_line(&error.to_string()),
        request: item.request,
    })
}

fn show(report: &BatchReport, inputs: &Inputs, json: bool) -> Exit {
    let created: Vec<Created<'_>> = report.items.iter().filter_map(created).collect();
    let failed: Vec<Failed> = report.items.iter().filter_map(failed).collect();
    let skipped: Vec<Skipped> = report.items.iter().filter_map(skipped).collect();
    let exit = if failed.is_empty() && created.len() + skipped.len() == report.items.len() {
        Exit::Done
    } else {
        Exit::Failed
    };

    if json {
        print_json(&Report {
            created,
            failed,
            skipped,
            requests: report.requests,
        });
        return exit;
    }

    if !created.is_empty() {
        let rows: Vec<Vec<String>> = created
            .iter()
            .map(|c| vec![c.id.clone(), c.name.to_owned(), c.content_type.to_owned()])
            .collect();
        print(&table(&["ID", "NAME", "CONTENT TYPE"], &rows));
    }
    for c in &created {
        if let (Some(extension), Some(sent)) = (c.extension_disagrees, c.media_type) {
            eprintln!(
                "som: note: {}: its extension says {extension} but its content is {sent}, so it was sent as {sent}",
                c.input
            );
        }
    }
    if !failed.is_empty() {
        let rows: Vec<Vec<String>> = failed
            .iter()
            .map(|f| {
                vec![
                    f.input.clone(),
                    f.kind.to_owned(),
                    f.outcome.replace('_', " "),
                    f.error.clone(),
                ]
            })
            .collect();
        eprint!(
            "{}",
            table(&["FAILED INPUT", "KIND", "OUTCOME", "REASON"], &rows)
        );
    }

    for s in &skipped {
        eprintln!(
            "som: skipped {}: already created as {} (ledger)",
            s.input, s.id
        );
    }
    let total = inputs.texts.len() + inputs.files.len();
    let requests = plural(report.requests, "request");
    if exit == Exit::Done {
        eprintln!(
            "som: created {} in {requests}",
            plural(created.len(), "asset")
        );
    } else {
        eprintln!(
            "som: {} of {total} inputs failed ({} created in {requests}); send the failed ones again once fixed",
            failed.len(),
            created.len()
        );
        let unknown = failed.iter().filter(|f| f.outcome == "unknown").count();
        if unknown > 0 {
            eprintln!(
                "som: the outcome of {} is unknown: run `som assets list` before sending them again, or you may create duplicates",
                plural(unknown, "input")
            );
        }
    }
    exit
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
