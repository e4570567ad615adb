//! Which files the paths on the command line stand for.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::{DirEntry, WalkDir};

use crate::failure::Failure;

/// A file to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Found by walking a folder (rather than named on the command line), so `--exclude` can
    /// leave it out.
    pub from_folder: bool,
}

/// The `--include` and `--exclude` globs.
pub struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filter {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, Failure> {
        let include = if include.is_empty() {
            None
        } else {
            Some(globs("--include", include)?)
        };
        Ok(Self {
            include,
            exclude: globs("--exclude", exclude)?,
        })
    }

    fn keeps_file(&self, relative: &Path) -> bool {
        self.include
            .as_ref()
            .is_none_or(|set| set.is_match(relative))
            && !self.exclude.is_match(relative)
    }
}

fn globs(flag: &str, patterns: &[String]) -> Result<GlobSet, Failure> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| {
            Failure::usage(format!(
                "{flag} {pattern:?} is not a valid glob ({}); use patterns like *.png or drafts/**",
                e.kind()
            ))
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Failure::usage(format!("{flag}: {e}")))
}

/// Names starting with `.` (`.DS_Store`, `.git`): not creative assets.
fn is_hidden(entry: &DirEntry) -> bool {
    // Bytes, not `str`: a hidden name that is not UTF-8 is still hidden.
    let name = entry.file_name().as_encoded_bytes();
    name.starts_with(b".") && name != b"." && name != b".."
}

/// The files `paths` stand for, in a deterministic order: the paths in the order given, each
/// folder's files sorted by name at every level. A path that is not a folder is taken as a file
/// as it is, even hidden, and left to the upload's own checks (which say what is wrong with
/// it). A file reached twice is kept once, where first reached.
pub fn collect(paths: &[PathBuf], filter: &Filter) -> Result<Vec<Found>, Failure> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut keep = |found: &mut Vec<Found>, path: PathBuf, from_folder: bool| {
        // Canonical for the duplicate check only; the path is shown as the user wrote it.
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            found.push(Found { path, from_folder });
        }
    };
    for root in paths {
        if !root.is_dir() {
            keep(&mut found, root.clone(), false);
            continue;
        }
        let before = found.len();
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            // The folder given is walked even if hidden; below it, hidden entries and excluded
            // folders are not entered at all.
            .filter_entry(|entry| {
                entry.depth() == 0
                    || !(is_hidden(entry)
                        || (entry.file_type().is_dir()
                            && filter.exclude.is_match(relative(root, entry.path()))))
            });
        for entry in walker {
            let entry = entry.map_err(|e| {
                let at = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| root.display().to_string());
                Failure::usage(format!(
                    "cannot walk {at}: {}; fix its permissions or leave it out with --exclude",
                    e.io_error()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| e.to_string())
                ))
            })?;
            if entry.file_type().is_file() && filter.keeps_file(relative(root, entry.path())) {
                keep(&mut found, entry.into_path(), true);
            }
        }
        tracing::info!(folder = %root.display(), files = found.len() - before, "walked");
        if found.len() == before {
            eprintln!(
                "som: warning: no files to upload in {} (hidden ones are skipped{})",
                root.display(),
                if filter.include.is_some() || !filter.exclude.is_empty() {
                    ", and --include/--exclude apply"
                } else {
                    ""
                }
            );
        }
    }
    Ok(found)
}

fn relative<'a>(root: &Path, path: &'a Path) -> &'a Path {
    path.strip_prefix(root).unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, b"x").unwrap();
    }

    #[test]
    fn walks_sorted_skipping_hidden_and_excluded() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "b.png",
            "a.png",
            ".hidden.png",
            ".git/config",
            "sub/c.jpg",
            "sub/drafts/d.png",
            "notes.txt",
        ] {
            touch(&root.join(name));
        }
        let names = |filter: &Filter| -> Vec<String> {
            collect(&[root.to_path_buf()], filter)
                .unwrap()
                .into_iter()
                .map(|f| relative(root, &f.path).display().to_string())
                .collect()
        };
        assert_eq!(
            names(&Filter::new(&[], &[]).unwrap()),
            [
                "a.png",
                "b.png",
                "notes.txt",
                "sub/c.jpg",
                "sub/drafts/d.png"
            ]
        );
        assert_eq!(
            names(&Filter::new(&["*.png".into()], &["sub/drafts".into()]).unwrap()),
            ["a.png", "b.png"]
        );
        assert_eq!(
            names(&Filter::new(&[], &["*.txt".into(), "**/drafts/**".into()]).unwrap()),
            ["a.png", "b.png", "sub/c.jpg"]
        );
        // A file given twice, or inside a folder also given, is kept once.
        let twice = collect(
            &[root.join("a.png"), root.to_path_buf()],
            &Filter::new(&[], &[]).unwrap(),
        )
        .unwrap();
        assert_eq!(twice.len(), 5);
        assert!(!twice[0].from_folder);
    }

    #[test]
    fn bad_globs_are_usage_errors() {
        let Err(err) = Filter::new(&["a[".into()], &[]) else {
            panic!("a[ was accepted");
        };
        assert!(err.message.contains("--include \"a[\""), "{}", err.message);
    }
}
