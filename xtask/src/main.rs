//! `cargo xtask <command>`: the commands maintainers and CI run on this workspace.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use shareofmodel_generator::{Options, Output, generate};

mod bench;

#[derive(Parser)]
#[command(about = "Maintainer commands of the Share Of Model workspace")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client crate from the spec (atomically: on error nothing is written).
    Regen(Paths),
    /// Lint the spec, regenerate in memory and fail if the checked-in client differs.
    Check(Paths),
    /// Report what a spec change does to users of the client, classified breaking/compatible.
    Diff(DiffArgs),
    /// Check that the declared `rust-version` is honest: no dependency needs a newer Rust, and
    /// the workspace builds with that toolchain when rustup has it.
    Msrv,
    /// Loopback benchmarks of the wrapper's uploads against curl and plain reqwest (not tests).
    Bench(bench::BenchArgs),
}

#[derive(clap::Args)]
struct DiffArgs {
    /// A git revision to compare the working tree's spec with (default: the merge base with
    /// `main`), or two spec files to compare with each other.
    #[arg(num_args = 0..=2)]
    against: Vec<String>,
    /// The spec in the working tree.
    #[arg(long, default_value_os_t = workspace_root().join("openapi.yaml"))]
    spec: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Exit with status 1 when the report has a change of this impact.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Markdown,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Breaking,
}

#[derive(clap::Args)]
struct Paths {
    /// The OpenAPI document.
    #[arg(long, default_value_os_t = workspace_root().join("openapi.yaml"))]
    spec: PathBuf,
    /// The generated crate's directory.
    #[arg(long, default_value_os_t = workspace_root().join("generated-client"))]
    out: PathBuf,
}

pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen(paths) => regen(&paths),
        Command::Check(paths) => check(&paths),
        Command::Diff(args) => diff(&args),
        Command::Msrv => msrv(),
        Command::Bench(args) => bench::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn generate_from(paths: &Paths) -> Result<Output> {
    let text = fs::read_to_string(&paths.spec)
        .with_context(|| format!("cannot read the spec at {}", paths.spec.display()))?;
    generate(&text, &Options::default())
        .with_context(|| format!("{} cannot be turned into a client", paths.spec.display()))
}

fn regen(paths: &Paths) -> Result<ExitCode> {
    let started = Instant::now();
    let output = generate_from(paths)?;
    write_atomically(&paths.out, &output.files)?;
    println!(
        "regenerated {} files in {} from {} in {:.2} s",
        output.files.len(),
        paths.out.display(),
        paths.spec.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the whole crate into a sibling directory, then swaps it in, so that a failure at any
/// point leaves the old crate as it was.
fn write_atomically(out: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    let parent = out.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .context("the output directory has no name")?
        .to_string_lossy()
        .into_owned();
    let staging = parent.join(format!(".{name}.new"));
    let previous = parent.join(format!(".{name}.old"));
    for stale in [&staging, &previous] {
        if stale.exists() {
            fs::remove_dir_all(stale)
                .with_context(|| format!("cannot remove {}", stale.display()))?;
        }
    }
    for (relative, text) in files {
        let path = staging.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if out.exists() {
        fs::rename(out, &previous)
            .with_context(|| format!("cannot move {} aside", out.display()))?;
    }
    if let Err(error) = fs::rename(&staging, out) {
        // Put the old crate back before reporting.
        let _ = fs::rename(&previous, out);
        bail!("cannot move the new crate into {}: {error}", out.display());
    }
    if previous.exists() {
        fs::remove_dir_all(&previous)
            .with_context(|| format!("cannot remove {}", previous.display()))?;
    }
    Ok(())
}

/// Lines of unified diff shown per file; the fix is to regenerate, not to read it all.
const DIFF_LINES: usize = 40;

fn check(paths: &Paths) -> Result<ExitCode> {
    let text = fs::read_to_string(&paths.spec)
        .with_context(|| format!("cannot read the spec at {}", paths.spec.display()))?;
    let findings = shareofmodel_generator::lint::lint(&text)
        .with_context(|| format!("{} cannot be linted", paths.spec.display()))?;
    if !findings.is_empty() {
        eprintln!(
            "{} has {} lint finding(s):",
            paths.spec.display(),
            findings.len()
        );
        for finding in &findings {
            eprintln!("  {finding}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let output = generate_from(paths)?;
    let on_disk = read_tree(&paths.out)?;
    let mut differing = Vec::new();
    for (relative, expected) in &output.files {
        match on_disk.get(relative) {
            Some(actual) if actual == expected => {}
            Some(actual) => differing.push((relative.clone(), actual.clone(), expected.clone())),
            None => differing.push((relative.clone(), String::new(), expected.clone())),
        }
    }
    for (relative, actual) in &on_disk {
        if !output.files.contains_key(relative) {
            differing.push((relative.clone(), actual.clone(), String::new()));
        }
    }
    if differing.is_empty() {
        println!(
            "{} is up to date with {} ({} files)",
            paths.out.display(),
            paths.spec.display(),
            output.files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "{} is out of date with {}; these files differ:",
        paths.out.display(),
        paths.spec.display()
    );
    for (relative, _, _) in &differing {
        eprintln!("  {relative}");
    }
    for (relative, actual, expected) in &differing {
        let diff = similar::TextDiff::from_lines(actual, expected);
        let text = diff
            .unified_diff()
            .context_radius(2)
            .header(&format!("a/{relative}"), &format!("b/{relative}"))
            .to_string();
        let lines: Vec<&str> = text.lines().collect();
        eprintln!();
        for line in lines.iter().take(DIFF_LINES) {
            eprintln!("{line}");
        }
        if lines.len() > DIFF_LINES {
            eprintln!("... ({} more diff lines)", lines.len() - DIFF_LINES);
        }
    }
    eprintln!("\nfix: run `cargo xtask regen` and commit the result");
    Ok(ExitCode::FAILURE)
}

/// Every file below `dir`, keyed by its `/`-separated relative path.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in
            fs::read_dir(&current).with_context(|| format!("cannot list {}", current.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(dir)
                .expect("below dir")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes =
                fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            out.insert(relative, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(out)
}

fn diff(args: &DiffArgs) -> Result<ExitCode> {
    let (old_name, old_text, new_name, new_text) = match args.against.as_slice() {
        [old, new] => (
            old.clone(),
            read(Path::new(old))?,
            new.clone(),
            read(Path::new(new))?,
        ),
        [one] if Path::new(one).is_file() => (
            one.clone(),
            read(Path::new(one))?,
            display(&args.spec),
            read(&args.spec)?,
        ),
        [revision] => {
            let text = git_show(revision, &args.spec)?;
            (
                revision.clone(),
                text,
                display(&args.spec),
                read(&args.spec)?,
            )
        }
        _ => {
            let base = merge_base()?;
            let text = git_show(&base, &args.spec)?;
            (base, text, display(&args.spec), read(&args.spec)?)
        }
    };
    let report = shareofmodel_generator::diff::diff(&old_text, &new_text)
        .context("the specs cannot be compared")?;
    // What the change does to the generated crate's Rust API: both sides generated in memory.
    let semver = match (
        generate(&old_text, &Options::default()),
        generate(&new_text, &Options::default()),
    ) {
        (Ok(old), Ok(new)) => Ok(shareofmodel_generator::semver::compare(
            old.files.get("API.md").map_or("", String::as_str),
            new.files.get("API.md").map_or("", String::as_str),
        )),
        (Err(e), _) => Err(format!("the spec at {old_name} does not generate: {e}")),
        (_, Err(e)) => Err(format!("the spec at {new_name} does not generate: {e}")),
    };
    match args.format {
        Format::Markdown => {
            print!("{}", report.to_markdown(&old_name, &new_name));
            match &semver {
                Ok(semver) => print!("\n{}", semver.to_markdown()),
                Err(why) => {
                    println!("\n## Rust API of `shareofmodel-client`\n\nNot compared: {why}.")
                }
            }
        }
        Format::Json => {
            let mut json: serde_json::Value =
                serde_json::from_str(&report.to_json()).context("the report is not JSON")?;
            json["semver"] = match &semver {
                Ok(semver) => serde_json::json!({
                    "level": semver.level(),
                    "changes": semver.changes,
                }),
                Err(why) => serde_json::json!({ "error": why }),
            };
            println!("{json}");
        }
    }
    let failed = matches!(args.fail_on, Some(FailOn::Breaking)) && report.breaking() > 0;
    if failed {
        eprintln!(
            "failing (--fail-on breaking): {} breaking change(s) for users of the client",
            report.breaking()
        );
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn display(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn git(args: &[&str]) -> Result<String> {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(workspace_root())
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The merge base with `main` (or `origin/main` in a CI checkout), else `HEAD`.
fn merge_base() -> Result<String> {
    for branch in ["main", "origin/main"] {
        if let Ok(base) = git(&["merge-base", "HEAD", branch]) {
            return Ok(base.trim().to_owned());
        }
    }
    Ok("HEAD".to_owned())
}

fn git_show(revision: &str, spec: &Path) -> Result<String> {
    let relative = spec
        .strip_prefix(workspace_root())
        .unwrap_or(spec)
        .to_string_lossy()
        .replace('\\', "/");
    git(&["show", &format!("{revision}:{relative}")])
        .with_context(|| format!("cannot read {relative} at revision `{revision}`"))
}

/// The workspace's `rust-version` against every resolved dependency's, then a build with that
/// toolchain when one is installed (none can be downloaded on every machine).
fn msrv() -> Result<ExitCode> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(workspace_root())
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("cargo metadata is not JSON")?;
    let version = |text: &str| -> Option<(u64, u64)> {
        let mut parts = text.split('.').map(|p| p.parse::<u64>().ok());
        Some((parts.next()??, parts.next().flatten().unwrap_or(0)))
    };

    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .map(|m| m.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let declared = packages
        .iter()
        .filter(|p| members.contains(&p["id"].as_str().unwrap_or_default()))
        .filter_map(|p| p["rust_version"].as_str())
        .next()
        .context("no workspace member declares a rust-version")?
        .to_owned();
    let ours = version(&declared).context("the rust-version is not a version")?;

    let resolved: Vec<&str> = metadata["resolve"]["nodes"]
        .as_array()
        .map(|n| n.iter().filter_map(|n| n["id"].as_str()).collect())
        .unwrap_or_default();
    let mut newer = Vec::new();
    for package in &packages {
        let id = package["id"].as_str().unwrap_or_default();
        let Some(theirs) = package["rust_version"].as_str() else {
            continue;
        };
        if resolved.contains(&id) && version(theirs).is_some_and(|v| v > ours) {
            newer.push(format!(
                "{} {} needs Rust {theirs}",
                package["name"].as_str().unwrap_or("?"),
                package["version"].as_str().unwrap_or("?")
            ));
        }
    }
    if !newer.is_empty() {
        eprintln!("rust-version {declared} is not honest:");
        for line in &newer {
            eprintln!("  {line}");
        }
        eprintln!(
            "fix: raise rust-version in Cargo.toml, or pin those crates to older versions \
             (`cargo update -p NAME --precise VERSION`)"
        );
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "rust-version {declared}: none of the {} resolved packages declares a newer one",
        resolved.len()
    );

    let toolchains = std::process::Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if toolchains.lines().any(|l| l.starts_with(&declared)) {
        let status = std::process::Command::new("cargo")
            .args([&format!("+{declared}"), "check", "--workspace", "--locked"])
            .current_dir(workspace_root())
            .status()
            .context("cannot run cargo")?;
        if !status.success() {
            bail!("the workspace does not build with Rust {declared}");
        }
        println!("the workspace builds with Rust {declared}");
    } else {
        println!(
            "no {declared} toolchain installed: the build with it was skipped (`rustup toolchain \
             install {declared}` where downloads are possible)"
        );
    }
    Ok(ExitCode::SUCCESS)
}
