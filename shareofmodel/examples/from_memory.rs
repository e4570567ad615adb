//! Uploads content that is not in a file: bytes held in memory, and a reader of unknown
//! length (here a child process's output would do; a byte slice stands in for it).
//!
//! ```text
//! cargo run --example from_memory
//! ```

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;

/// A tiny valid PNG (1×1, transparent), so that its type is sniffed from its bytes.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

#[tokio::main]
async fn main() -> ExitCode {
    common::init_logging();
    common::finish(run().await)
}

async fn run() -> Result<(), String> {
    let target = common::target().await?;
    let created = target
        .client
        .upload(target.organization_id, target.workspace_id)
        // Bytes: sent under the given filename; the type comes from the content.
        .bytes("pixel.png", PNG.to_vec())
        // A reader: copied to a temporary file first, so that the request has a length.
        .reader("pixel-from-reader.png", PNG)
        // Or with an explicit media type, when the content cannot tell it.
        .bytes_as("pixel-explicit.png", "image/png", PNG.to_vec())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    for asset in created {
        println!("{}\t{}\t{}", asset.id, asset.name, asset.content_type);
    }
    Ok(())
}
