//! The catalogue of spec mutations in `spec-mutations.yaml`, each classified as expected.

use serde::Deserialize;
use serde_json::Value;
use shareofmodel_generator::diff::{Impact, diff};
use shareofmodel_generator::{Options, generate};

const SPEC: &str = include_str!("../../openapi.yaml");
const CATALOGUE: &str = include_str!("spec-mutations.yaml");

#[derive(Deserialize)]
struct Mutation {
    name: String,
    #[serde(default)]
    base: Vec<Patch>,
    patch: Vec<Patch>,
    expect: Vec<Expected>,
    code: bool,
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Patch {
    Set { path: String, value: Value },
    Remove { path: String },
    Move { from: String, path: String },
}

#[derive(Deserialize)]
struct Expected {
    impact: Impact,
    location: String,
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Splits a pointer into its parent and last key.
fn parent<'a>(doc: &'a mut Value, pointer: &str) -> (&'a mut Value, String) {
    let (head, last) = pointer.rsplit_once('/').expect("a pointer with a key");
    let mut node = doc;
    for token in head.split('/').skip(1) {
        let key = unescape(token);
        node = match node {
            Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
            _ => node
                .as_object_mut()
                .unwrap_or_else(|| panic!("{pointer}: not an object"))
                .entry(key)
                .or_insert_with(|| Value::Object(Default::default())),
        };
    }
    (node, unescape(last))
}

fn remove(doc: &mut Value, pointer: &str) -> Value {
    let (node, key) = parent(doc, pointer);
    match node {
        Value::Array(items) => items.remove(key.parse::<usize>().unwrap()),
        Value::Object(map) => map
            .remove(&key)
            .unwrap_or_else(|| panic!("{pointer}: nothing to remove")),
        _ => panic!("{pointer}: not a container"),
    }
}

fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (node, key) = parent(doc, pointer);
    match node {
        Value::Array(items) => {
            let index = key.parse::<usize>().unwrap();
            if index == items.len() {
                items.push(value);
            } else {
                items[index] = value;
            }
        }
        Value::Object(map) => {
            map.insert(key, value);
        }
        _ => panic!("{pointer}: not a container"),
    }
}

fn apply(doc: &mut Value, patches: &[Patch]) {
    for patch in patches {
        match patch {
            Patch::Set { path, value } => set(doc, path, value.clone()),
            Patch::Remove { path } => {
                remove(doc, path);
            }
            Patch::Move { from, path } => {
                let value = remove(doc, from);
                set(doc, path, value);
            }
        }
    }
}

#[test]
fn every_mutation_is_classified_as_expected() {
    let catalogue: Vec<Mutation> = serde_yaml::from_str(CATALOGUE).unwrap();
    assert!(
        catalogue.len() >= 20,
        "the catalogue has {} mutations",
        catalogue.len()
    );
    let mut failures = Vec::new();
    for mutation in &catalogue {
        let mut old: Value = serde_yaml::from_str(SPEC).unwrap();
        apply(&mut old, &mutation.base);
        let mut new = old.clone();
        apply(&mut new, &mutation.patch);
        let (old_text, new_text) = (old.to_string(), new.to_string());

        let report = diff(&old_text, &new_text).unwrap();
        let found: Vec<String> = report
            .changes
            .iter()
            .map(|c| format!("{:?} {} / {}: {}", c.impact, c.group, c.location, c.change))
            .collect();
        let matches = report.changes.len() == mutation.expect.len()
            && mutation.expect.iter().zip(&report.changes).all(|(e, c)| {
                e.impact == c.impact && format!("{} {}", c.group, c.location).contains(&e.location)
            });
        if !matches {
            failures.push(format!("{}:\n    found {found:#?}", mutation.name));
        }

        let generated = generate(&old_text, &Options::default())
            .and_then(|before| Ok((before, generate(&new_text, &Options::default())?)));
        let (mut before, mut after) = match generated {
            Ok(pair) => pair,
            Err(error) => {
                failures.push(format!("{}: generation failed: {error}", mutation.name));
                continue;
            }
        };
        // The spec's own copy always follows the spec; the question is whether code changes.
        before.files.remove("openapi.yaml");
        after.files.remove("openapi.yaml");
        if (before != after) != mutation.code {
            failures.push(format!(
                "{}: generated code {} but the catalogue says code: {}",
                mutation.name,
                if before != after {
                    "changed"
                } else {
                    "did not change"
                },
                mutation.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_same_spec_has_no_changes() {
    let report = diff(SPEC, SPEC).unwrap();
    assert!(report.changes.is_empty());
    assert!(report.to_markdown("a", "b").contains("No change"));
}

#[test]
fn the_json_report_counts_changes() {
    let new = SPEC.replacen("maxItems: 10", "maxItems: 5", 1);
    let report = diff(SPEC, &new).unwrap();
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["compatible"], 0);
    assert_eq!(json["changes"][0]["change"], "maxItems 10 → 5");
    let markdown = report.to_markdown("main", "openapi.yaml");
    assert!(
        markdown.contains("**1 breaking, 0 compatible**"),
        "{markdown}"
    );
}
