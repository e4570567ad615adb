//! What a spec change does to the Rust API of the generated crate, as a semver level.
//!
//! `cargo-semver-checks` needs rustdoc JSON from a nightly toolchain, which this workspace
//! never requires; instead, the public items of the two generated crates are compared, as
//! `API.md` lists them (every method signature, every public type with its fields or
//! variants, every wire constant).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

/// How large a version bump a change needs (for a 0.x crate, `Major` means the minor digit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing public changed.
    Patch,
    /// Only additions that cannot break a caller.
    Minor,
    /// A caller may stop compiling.
    Major,
}

/// One change to a public item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    /// The item, e.g. `field types::Asset.name` or `method list_assets`.
    pub item: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// What it needs.
    pub level: Level,
    /// Why, for a reader.
    pub reason: String,
}

/// The public-API changes between two generated crates.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SemverReport {
    /// Every change, ordered by item.
    pub changes: Vec<ItemChange>,
}

impl SemverReport {
    /// The bump the whole change needs.
    pub fn level(&self) -> Level {
        self.changes
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Level::Patch)
    }

    /// A Markdown section for the pull-request report.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let level = match self.level() {
            Level::Patch => "patch (no public item changed)",
            Level::Minor => "minor (items added or limits changed; nothing removed)",
            Level::Major => "major (callers may break; for 0.x, bump the minor version)",
        };
        let _ = writeln!(out, "## Rust API of `shareofmodel-client`: {level}\n");
        for change in &self.changes {
            let level = match change.level {
                Level::Patch => "patch",
                Level::Minor => "minor",
                Level::Major => "**major**",
            };
            let _ = writeln!(
                out,
                "- {level}: {} `{}`: {}",
                change.change, change.item, change.reason
            );
        }
        if self.changes.is_empty() {
            let _ = writeln!(out, "No public item changed.");
        }
        out
    }
}

/// What an `API.md` says about one public item.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Item {
    kind: Kind,
    /// The type (or method) it belongs to, for fields and variants.
    owner: Option<String>,
    rendered: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Method,
    Type,
    Field,
    Variant,
    Constant,
}

/// The public items an `API.md` lists, keyed by a stable name.
fn items(api_md: &str) -> BTreeMap<String, Item> {
    let mut out = BTreeMap::new();
    let mut section = "";
    let mut current: Option<(Kind, String)> = None;
    let mut in_code = false;
    for line in api_md.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            section = if title.starts_with("Operations") {
                "operations"
            } else if title.starts_with("Types") {
                "types"
            } else {
                "constants"
            };
            current = None;
            continue;
        }
        if let Some(title) = line.strip_prefix("### ") {
            let name = title.split('`').nth(1).unwrap_or(title).to_owned();
            if section == "types" {
                let kind = if title.ends_with("(enum)") {
                    "enum"
                } else {
                    "struct"
                };
                out.insert(
                    format!("type {name}"),
                    Item {
                        kind: Kind::Type,
                        owner: None,
                        rendered: kind.to_owned(),
                    },
                );
                current = Some((
                    if kind == "enum" {
                        Kind::Variant
                    } else {
                        Kind::Field
                    },
                    name,
                ));
            } else {
                current = Some((Kind::Method, name));
            }
            continue;
        }
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        match (section, &current) {
            ("operations", Some((Kind::Method, name))) if in_code => {
                out.insert(
                    format!("method {name}"),
                    Item {
                        kind: Kind::Method,
                        owner: None,
                        rendered: line.trim().to_owned(),
                    },
                );
            }
            ("types", Some((kind, owner))) => {
                let Some(entry) = line.strip_prefix("- ") else {
                    continue;
                };
                let entry = entry.trim_matches('`');
                let member = match kind {
                    Kind::Field if entry.starts_with("newtype of") => "0".to_owned(),
                    Kind::Field => entry.split(':').next().unwrap_or(entry).trim().to_owned(),
                    _ => entry
                        .split(['(', ' ', '{'])
                        .next()
                        .unwrap_or(entry)
                        .to_owned(),
                };
                let separator = if *kind == Kind::Field { "." } else { "::" };
                let label = if *kind == Kind::Field {
                    "field"
                } else {
                    "variant"
                };
                out.insert(
                    format!("{label} {owner}{separator}{member}"),
                    Item {
                        kind: *kind,
                        owner: Some(owner.clone()),
                        rendered: entry.to_owned(),
                    },
                );
            }
            ("constants", _) => {
                if let Some(entry) = line.strip_prefix("- ") {
                    let entry = entry.trim_matches('`');
                    let (name, value) = entry.split_once(" = ").unwrap_or((entry, ""));
                    out.insert(
                        format!("const {}", name.trim()),
                        Item {
                            kind: Kind::Constant,
                            owner: None,
                            rendered: value.trim().to_owned(),
                        },
                    );
                }
            }
            _ => {}
        }
    }
    out
}

/// Compares the `API.md` of the generated crate before and after a spec change.
pub fn compare(old_api_md: &str, new_api_md: &str) -> SemverReport {
    let old = items(old_api_md);
    let new = items(new_api_md);
    let mut changes = Vec::new();

    for (key, before) in &old {
        match new.get(key) {
            None => changes.push(ItemChange {
                item: key.clone(),
                change: "removed",
                level: Level::Major,
                reason: "code that uses it stops compiling".to_owned(),
            }),
            Some(after) if after.rendered != before.rendered => {
                let (level, reason) = if before.kind == Kind::Constant {
                    (
                        Level::Minor,
                        format!(
                            "its value changed ({} → {}); code still compiles but behaves by the new rule",
                            before.rendered, after.rendered
                        ),
                    )
                } else {
                    (
                        Level::Major,
                        format!("`{}` → `{}`", before.rendered, after.rendered),
                    )
                };
                changes.push(ItemChange {
                    item: key.clone(),
                    change: "changed",
                    level,
                    reason,
                });
            }
            Some(_) => {}
        }
    }
    for (key, after) in &new {
        if old.contains_key(key) {
            continue;
        }
        let owner_existed = after
            .owner
            .as_ref()
            .is_some_and(|owner| old.contains_key(&format!("type {owner}")));
        let has_private = after
            .owner
            .as_ref()
            .is_some_and(|owner| new.contains_key(&format!("field {owner}.(private fields)")));
        let (level, reason) = match after.kind {
            Kind::Field if owner_existed && !has_private => (
                Level::Major,
                "a new field of an existing struct breaks code that builds it with a struct literal"
                    .to_owned(),
            ),
            Kind::Variant if owner_existed => (
                Level::Major,
                "a new variant of an existing enum breaks exhaustive matches".to_owned(),
            ),
            _ => (Level::Minor, "a new public item".to_owned()),
        };
        changes.push(ItemChange {
            item: key.clone(),
            change: "added",
            level,
            reason,
        });
    }
    changes.sort_by(|a, b| a.item.cmp(&b.item));
    SemverReport { changes }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "## Operations\n\n### `list`: `GET /x`\n\n```rust\npub async fn list(&self) -> R\n```\n\n## Types\n\n### `types::A` (struct)\n\n- `name: String`\n\n### `types::E` (enum)\n\n- `One`\n\n## Multipart wire constants\n\n- `op::MAX = 10usize`\n";

    #[test]
    fn the_same_surface_is_a_patch() {
        let report = compare(BEFORE, BEFORE);
        assert_eq!(report.level(), Level::Patch);
        assert!(report.changes.is_empty());
    }

    #[test]
    fn levels_follow_what_callers_see() {
        let cases = [
            (
                BEFORE.replace("- `name: String`", "- `name: Option<String>`"),
                Level::Major,
                "field types::A.name",
            ),
            (
                BEFORE.replace("- `name: String`\n", "- `name: String`\n- `url: String`\n"),
                Level::Major,
                "field types::A.url",
            ),
            (
                BEFORE.replace("- `One`\n", "- `One`\n- `Two`\n"),
                Level::Major,
                "variant types::E::Two",
            ),
            (
                BEFORE.replace("10usize", "5usize"),
                Level::Minor,
                "const op::MAX",
            ),
            (
                format!("{BEFORE}- `op::MIN = 1usize`\n"),
                Level::Minor,
                "const op::MIN",
            ),
            (
                BEFORE.replace(
                    "### `list`: `GET /x`\n\n```rust\npub async fn list(&self) -> R\n```\n",
                    "",
                ),
                Level::Major,
                "method list",
            ),
            (
                BEFORE.replace(
                    "## Types\n",
                    "## Types\n\n### `types::B` (struct)\n\n- `x: u8`\n",
                ),
                Level::Minor,
                "type types::B",
            ),
        ];
        for (after, level, item) in cases {
            let report = compare(BEFORE, &after);
            assert_eq!(report.level(), level, "{item}: {report:?}");
            assert!(
                report.changes.iter().any(|c| c.item == item),
                "{item}: {report:?}"
            );
        }
    }
}
