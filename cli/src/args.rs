//! The command line, as clap parses it.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};
use shareofmodel::{Secret, Uuid};

/// Upload creative assets to Share Of Model, list and archive them.
///
/// Configuration comes from flags or the SHAREOFMODEL_* environment variables. `--sandbox`
/// needs none: it starts a local stand-in for the API inside `som` and talks to it.
#[derive(Parser)]
#[command(name = "som", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, before or after the subcommand.
// No `Debug`: it holds credentials, and `Secret` would print `***` anyway, but nothing needs it.
#[derive(Args)]
pub struct Global {
    /// The API's base URL [default: https://api.shareofmodel.ai].
    #[arg(long, global = true, env = "SHAREOFMODEL_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,

    /// The organization's id.
    #[arg(
        long,
        global = true,
        env = "SHAREOFMODEL_ORGANIZATION_ID",
        value_name = "UUID"
    )]
    pub organization: Option<Uuid>,

    /// The workspace's id.
    #[arg(
        long,
        global = true,
        env = "SHAREOFMODEL_WORKSPACE_ID",
        value_name = "UUID"
    )]
    pub workspace: Option<Uuid>,

    /// An API key, exchanged for short-lived access tokens.
    #[arg(
        long,
        global = true,
        env = "SHAREOFMODEL_API_KEY",
        hide_env_values = true,
        value_name = "KEY",
        value_parser = secret
    )]
    pub api_key: Option<Secret>,

    /// An access token, sent as `Authorization: Bearer <TOKEN>`.
    #[arg(
        long,
        global = true,
        env = "SHAREOFMODEL_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN",
        value_parser = secret
    )]
    pub token: Option<Secret>,

    /// A raw `Authorization` header value, sent as it is (as the API reference's curl samples
    /// send an API key).
    #[arg(long, global = true, value_name = "VALUE", value_parser = secret)]
    pub authorization: Option<Secret>,

    /// Start a local sandbox inside `som` and run against it (nothing else to configure; what it
    /// stores is gone when `som` exits).
    #[arg(long, global = true)]
    pub sandbox: bool,

    /// Print one JSON document on stdout instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// Log to stderr: -v for one line per request, -vv for details, -vvv for everything.
    /// RUST_LOG is honoured when no -v is given.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
}

/// Never fails, so that clap never quotes a credential in an error.
fn secret(value: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(value))
}

#[derive(Subcommand)]
pub enum Command {
    /// Creative assets: upload, list, archive.
    #[command(subcommand)]
    Assets(AssetsCommand),
}

#[derive(Subcommand)]
pub enum AssetsCommand {
    /// Upload files, folders and text assets.
    ///
    /// Folders are walked recursively; hidden files and folders (names starting with `.`) are
    /// skipped. Files are uploaded in a deterministic order: the paths in the order given,
    /// each folder's files sorted by path. Every input is checked before anything is sent.
    Upload(UploadArgs),

    /// List the workspace's assets.
    List(ListArgs),

    /// Archive assets by id.
    Archive(ArchiveArgs),
}

#[derive(Args)]
pub struct UploadArgs {
    /// Files and folders to upload.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A tag given to every asset created (repeat for several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// A plain-text asset (repeat for several).
    #[arg(long = "text", value_name = "NAME=CONTENT", value_parser = text_asset)]
    pub texts: Vec<(String, String)>,

    /// A plain-text asset named after FILE, with FILE's content (UTF-8).
    #[arg(long = "text-file", value_name = "FILE")]
    pub text_files: Vec<PathBuf>,

    /// Only upload the files of folders whose path (relative to the folder given) matches GLOB,
    /// e.g. `*.png` or `campaign/**` (repeat for several; `*` also matches `/`).
    #[arg(long = "include", value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip the files and folders of folders whose path (relative to the folder given) matches
    /// GLOB (repeat for several). Files named on the command line are never filtered.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// How many requests to keep in flight.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub concurrency: u16,

    /// Check every input and print what would be sent, without sending anything.
    #[arg(long)]
    pub dry_run: bool,

    /// Record what is created in this ledger file (JSON lines, one per workspace is wise), and
    /// skip the inputs it already holds: a re-run sends only what is new or changed.
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,

    /// With --ledger: send every input even if the ledger holds it.
    #[arg(long, requires = "ledger")]
    pub force: bool,

    /// After a request whose outcome is unknown (connection lost after sending): `report`
    /// lists the assets to find out what was created, `retry` also sends again what was not,
    /// `off` does neither.
    #[arg(long, value_name = "POLICY", default_value = "report", value_parser = ["off", "report", "retry"])]
    pub reconcile: String,
}

fn text_asset(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((name, content)) => Ok((name.to_owned(), content.to_owned())),
        None => Err("expected NAME=CONTENT, e.g. --text 'Tagline=Made for summer.'".to_owned()),
    }
}

#[derive(Args)]
pub struct ListArgs {
    /// Also show who created each asset (their email).
    #[arg(long)]
    pub include_email: bool,
}

#[derive(Args)]
pub struct ArchiveArgs {
    /// The ids of the assets to archive.
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<Uuid>,
}
