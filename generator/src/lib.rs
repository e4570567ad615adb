//! Turns the Share Of Model OpenAPI document into the source files of the `shareofmodel-client`
//! crate.
//!
//! The work is split in three passes, all in memory:
//!
//! 1. [`spec`] reads the document, checks every shape the later passes rely on and stops with a
//!    typed [`GenerateError`] naming the operation and the reason, before progenitor could panic.
//! 2. progenitor generates every operation it supports. Multipart operations, which it rejects,
//!    are removed from the document it sees (whole operations, so that their component schemas
//!    are still generated), and the schemas that only responses use are relaxed so that a server
//!    answering more than the spec promises still yields readable values (see [`lenient`]).
//! 3. [`multipart`] emits the removed operations itself, from the spec: the typed form, its wire
//!    constants and the request method on the same generated `Client`.
//!
//! The caller gets a deterministic map of file paths to contents; this crate does no I/O.

#![deny(missing_docs)]

mod bypass;
pub mod diff;
mod emit;
mod error;
pub mod lenient;
pub mod lint;
pub mod multipart;
pub mod semver;
pub mod spec;
mod surface;

use std::collections::BTreeMap;

pub use bypass::{BYPASS, Bypass};
pub use error::GenerateError;

/// What the generated files say about where they came from.
#[derive(Clone, Debug)]
pub struct Options {
    /// The spec's path as a maintainer knows it, named in every file header.
    pub spec_name: String,
    /// The command that regenerates the files, named in every file header.
    pub command: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            spec_name: "openapi.yaml".to_owned(),
            command: "cargo xtask regen".to_owned(),
        }
    }
}

/// The generated crate: relative paths (with `/`) to file contents, LF line endings only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Every file of the generated crate, keyed by its path relative to the crate root.
    pub files: BTreeMap<String, String>,
}

/// Generates the client crate from the text of an OpenAPI 3.0.x document (YAML or JSON).
pub fn generate(spec_text: &str, options: &Options) -> Result<Output, GenerateError> {
    let document = spec::Document::parse(spec_text)?;
    let multipart_ops = multipart::collect(&document)?;
    bypass::check_agrees(&multipart_ops)?;

    let (progenitor_spec, open_enums) = lenient::prepare_for_progenitor(&document, &multipart_ops)?;
    let client_tokens = emit::run_progenitor(progenitor_spec, &open_enums)?;
    let info = &document.api.info;

    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), emit::cargo_toml(options));
    files.insert("src/hooks.rs".to_owned(), emit::hooks_rs(options));
    // The spec travels with the crate (the sandbox serves it; users can read it), unchanged.
    files.insert("openapi.yaml".to_owned(), spec_text.to_owned());
    files.insert(
        "README.md".to_owned(),
        emit::readme_md(options, &info.title, &info.version),
    );
    files.insert(
        "src/lib.rs".to_owned(),
        emit::lib_rs(options, &info.title, &info.version),
    );
    let (client_rs, client_file) = emit::client_rs(client_tokens, &open_enums, options)?;
    let (multipart_rs, _) = emit::multipart_rs(&multipart_ops, options)?;
    // The surface is read back from the text, so that it also covers the runtime template.
    let multipart_file =
        syn::parse_file(&multipart_rs).map_err(|e| GenerateError::InvalidOutput {
            file: "src/multipart.rs".to_owned(),
            reason: e.to_string(),
        })?;
    files.insert(
        "API.md".to_owned(),
        surface::api_md(
            &document,
            &client_file,
            &multipart_file,
            &emit::header(options, ""),
        ),
    );
    files.insert("src/client.rs".to_owned(), client_rs);
    files.insert("src/multipart.rs".to_owned(), multipart_rs);
    for text in files.values_mut() {
        *text = normalise(text);
    }
    Ok(Output { files })
}

/// LF only, no trailing blanks, exactly one final newline: byte-identical on every platform.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.replace("\r\n", "\n").lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
