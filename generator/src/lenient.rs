//! Preparing the document progenitor sees: strict in what the client sends, tolerant in what it
//! accepts.
//!
//! typify turns `maxLength` strings into newtypes that validate on deserialize and string enums
//! into closed Rust enums, so a server that answers a 256-character name or a new `content_type`
//! would make a created asset unreadable. Schemas that only responses use are therefore relaxed
//! before progenitor runs: their string limits are moved into the documentation, inline enums
//! become documented strings, and component enums are replaced by an open enum with an
//! `Unknown(String)` variant that the emitter writes itself. Schemas that requests use are
//! left exactly as the spec says, so the client still refuses to send what the server forbids.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::GenerateError;
use crate::multipart::MultipartOperation;
use crate::spec::Document;

/// A response-only string enum, emitted as an open Rust enum.
#[derive(Clone, Debug)]
pub struct OpenEnum {
    /// The component name (and Rust type name).
    pub name: String,
    /// The documented values, in spec order.
    pub values: Vec<String>,
    /// The schema's description.
    pub description: Option<String>,
}

/// Returns the document to hand to progenitor and the open enums to emit beside it.
pub fn prepare_for_progenitor(
    document: &Document,
    multipart: &[MultipartOperation],
) -> Result<(OpenAPI, Vec<OpenEnum>), GenerateError> {
    let mut raw = document.raw.clone();
    let request_roots = refs_in_sections(&document.raw, &["requestBody", "parameters"]);
    let response_roots = refs_in_sections(&document.raw, &["responses"]);
    remove_operations(&mut raw, multipart);

    let schemas = document
        .raw
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or(Value::Null);
    let requested = closure(&schemas, request_roots);
    let responded = closure(&schemas, response_roots);

    let mut open_enums = Vec::new();
    if let Some(Value::Object(components)) = raw.pointer_mut("/components/schemas") {
        for (name, schema) in components.iter_mut() {
            if requested.contains(name) || !responded.contains(name) {
                continue;
            }
            if let Some(values) = string_enum(schema) {
                open_enums.push(OpenEnum {
                    name: name.clone(),
                    values,
                    description: schema
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
            } else {
                relax(schema);
            }
        }
    }

    let api = serde_json::from_value(raw).map_err(|e| GenerateError::Parse(e.to_string()))?;
    Ok((api, open_enums))
}

fn remove_operations(raw: &mut Value, multipart: &[MultipartOperation]) {
    let Some(Value::Object(paths)) = raw.get_mut("paths") else {
        return;
    };
    for op in multipart {
        if let Some(Value::Object(item)) = paths.get_mut(&op.path) {
            item.remove(&op.method);
        }
    }
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    paths.retain(|_, item| METHODS.iter().any(|m| item.get(m).is_some()));
}

/// The schema names referenced under any key of `sections` in the paths and components.
pub(crate) fn refs_in_sections(raw: &Value, sections: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut parts = Vec::new();
    if let Some(Value::Object(paths)) = raw.get("paths") {
        for item in paths.values() {
            parts.push(item);
        }
    }
    let mut found = Vec::new();
    for part in parts {
        collect_under(part, sections, false, &mut found);
    }
    // Components that the sections reference indirectly (`#/components/responses/X`).
    let kinds = [
        ("requestBody", "requestBodies"),
        ("parameters", "parameters"),
        ("responses", "responses"),
    ];
    let mut pending: Vec<String> = found.clone();
    let mut visited = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        if !visited.insert(reference.clone()) {
            continue;
        }
        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
            out.insert(name.to_owned());
            continue;
        }
        for (section, kind) in kinds {
            if !sections.contains(&section) {
                continue;
            }
            let prefix = format!("#/components/{kind}/");
            if let Some(name) = reference.strip_prefix(&prefix)
                && let Some(component) = raw.pointer(&format!("/components/{kind}/{name}"))
            {
                let mut inner = Vec::new();
                collect_refs(component, &mut inner);
                pending.extend(inner);
            }
        }
    }
    out
}

fn collect_under(value: &Value, sections: &[&str], inside: bool, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let now_inside = inside || sections.contains(&key.as_str());
                if now_inside && key == "$ref" {
                    if let Some(reference) = child.as_str() {
                        out.push(reference.to_owned());
                    }
                } else {
                    collect_under(child, sections, now_inside, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_under(item, sections, inside, out);
            }
        }
        _ => {}
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    collect_under(value, &[], true, out);
}

/// The schemas reachable from `roots` through `$ref`s.
pub(crate) fn closure(schemas: &Value, roots: BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut pending: Vec<String> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        if !out.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            let mut refs = Vec::new();
            collect_refs(schema, &mut refs);
            pending.extend(
                refs.iter()
                    .filter_map(|r| r.strip_prefix("#/components/schemas/"))
                    .map(str::to_owned),
            );
        }
    }
    out
}

fn string_enum(schema: &Value) -> Option<Vec<String>> {
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    let values = schema.get("enum")?.as_array()?;
    values
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Moves string limits and inline enums of a response-only schema into its documentation.
fn relax(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    let mut notes = BTreeMap::new();
    for key in ["maxLength", "minLength", "pattern"] {
        if let Some(value) = map.remove(key) {
            notes.insert(key, value.to_string());
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("string")
        && let Some(values) = map.remove("enum")
    {
        notes.insert("enum", values.to_string());
    }
    if !notes.is_empty() {
        let listed: Vec<String> = notes.iter().map(|(k, v)| format!("`{k}: {v}`")).collect();
        let note = format!(
            "The spec states {}; the client does not reject responses that exceed it.",
            listed.join(", ")
        );
        let description = match map.get("description").and_then(Value::as_str) {
            Some(existing) => format!("{}\n\n{note}", existing.trim_end()),
            None => note,
        };
        map.insert("description".to_owned(), Value::String(description));
    }
    for key in ["properties"] {
        if let Some(Value::Object(properties)) = map.get_mut(key) {
            for property in properties.values_mut() {
                relax(property);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = map.get_mut(key) {
            relax(child);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(children)) = map.get_mut(key) {
            for child in children {
                relax(child);
            }
        }
    }
}
