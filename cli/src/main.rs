//! `som`, the Share Of Model command line: folders, progress bars, tables, `--json` and exit
//! codes around the `shareofmodel` crate, which does every check and every request.

// Doc comments here are also the `--help` text, where a bare URL reads best.
#![allow(rustdoc::bare_urls)]

mod args;
mod connect;
mod dry_run;
mod failure;
mod logging;
mod manage;
mod output;
mod progress;
mod upload;
mod walk;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::args::{AssetsCommand, Cli, Command};
use crate::failure::{Exit, Failure};

fn main() -> ExitCode {
    // Usage errors exit with 2, help and version with 0, from clap itself; with `--json`
    // anywhere on the line, a usage error is also one JSON document on stdout.
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let wants_json = std::env::args_os().any(|a| a == "--json");
            if wants_json && e.use_stderr() {
                let message = e.render().to_string();
                let first = message.lines().next().unwrap_or_default().trim();
                let first = first.strip_prefix("error: ").unwrap_or(first);
                output::print_json(&serde_json::json!({
                    "error": first,
                    "exit_code": Exit::Usage as u8,
                }));
            }
            e.exit()
        }
    };
    let json = cli.global.json;
    let multi = progress::multi();
    logging::init(cli.global.verbose, multi.clone());

    let outcome = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run(cli, &matches, &multi)),
        Err(e) => Err(Failure {
            exit: Exit::Failed,
            message: format!("cannot start the async runtime: {e}"),
        }),
    };
    match outcome {
        Ok(exit) => exit.into(),
        Err(failure) => {
            // Several errors (invalid files of a folder) are a line each.
            for line in failure.message.lines() {
                eprintln!("som: error: {line}");
            }
            if json {
                // Machines read stdout: they get one document whatever happens.
                output::print_json(&serde_json::json!({
                    "error": failure.message,
                    "exit_code": failure.exit as u8,
                }));
            }
            failure.exit.into()
        }
    }
}

async fn run(
    cli: Cli,
    matches: &clap::ArgMatches,
    multi: &indicatif::MultiProgress,
) -> Result<Exit, Failure> {
    let global = &cli.global;
    match cli.command {
        Command::Assets(AssetsCommand::Upload(args)) => {
            upload::run(global, matches, args, multi).await
        }
        Command::Assets(AssetsCommand::List(args)) => manage::list(global, matches, args).await,
        Command::Assets(AssetsCommand::Archive(args)) => {
            manage::archive(global, matches, args).await
        }
    }
}
