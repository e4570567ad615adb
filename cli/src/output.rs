//! Tables for people, one JSON document for machines.

use std::io::{self, Write};

use serde::Serialize;

/// Columns padded to their widest cell. Widths count characters, which is right for the
/// names campaigns use (accents included); double-width scripts come out a little ragged.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let padded: Vec<String> = cells
            .zip(&widths)
            .map(|(cell, width)| {
                let pad = width.saturating_sub(cell.chars().count());
                format!("{cell}{}", " ".repeat(pad))
            })
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(&mut headers.iter().copied());
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

/// Prints `text` on stdout. A closed pipe (`som ... | head`) is not an error worth a panic.
pub fn print(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Prints `value` as one pretty JSON document on stdout.
pub fn print_json(value: &impl Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => print(&format!("{text}\n")),
        // Only a map with non-string keys fails, and none is built here.
        Err(e) => eprintln!("som: error: the JSON output could not be built: {e}"),
    }
}

/// A byte count for people: `17.2 KiB`.
pub fn size(bytes: u64) -> String {
    indicatif::BinaryBytes(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let text = table(
            &["ID", "NAME"],
            &[
                vec!["1".into(), "affiche été 2027.png".into()],
                vec!["22".into(), "x".into()],
            ],
        );
        assert_eq!(
            text, "ID  NAME\n1   affiche été 2027.png\n22  x\n",
            "{text}"
        );
    }
}
