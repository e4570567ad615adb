//! Review lints over the spec: what a reviewer would otherwise have to catch by eye.
//!
//! Each finding names the JSON pointer of the offending element and the fix. The generator's own
//! validation (unique operationIds, known encodings, one media type per body, ...) runs first,
//! so these lints only add the rules that keep the spec reviewable.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use crate::GenerateError;
use crate::spec::Document;

/// The extension that records why a request string has no `maxLength`.
pub const NO_LIMIT_EXTENSION: &str = "x-no-limit";

/// One lint finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The JSON pointer of the element, e.g. `/paths/~1v1~1assets/post/summary`.
    pub pointer: String,
    /// What is wrong.
    pub problem: String,
    /// How to fix it.
    pub fix: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; fix: {}", self.pointer, self.problem, self.fix)
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Lints the spec text. A spec the generator refuses is an error, not a finding.
pub fn lint(spec_text: &str) -> Result<Vec<Finding>, GenerateError> {
    let document = Document::parse(spec_text)?;
    crate::multipart::collect(&document)?;
    let raw = &document.raw;
    let mut findings = Vec::new();

    if let Some(Value::Object(paths)) = raw.get("paths") {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    let pointer = format!("/paths/{}/{method}", escape(path));
                    lint_operation(raw, &pointer, item, operation, &mut findings);
                }
            }
        }
    }
    lint_unused_schemas(raw, &mut findings);
    lint_request_strings(raw, &mut findings);
    Ok(findings)
}

fn lint_operation(
    raw: &Value,
    pointer: &str,
    item: &Value,
    operation: &Value,
    findings: &mut Vec<Finding>,
) {
    let id = operation
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or("?");
    if operation
        .get("summary")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        findings.push(Finding {
            pointer: format!("{pointer}/summary"),
            problem: format!("operation `{id}` has no summary"),
            fix: "add the summary the API reference shows as the page title".to_owned(),
        });
    }

    let responses = operation.get("responses").and_then(Value::as_object);
    let typed_success = responses.is_some_and(|responses| {
        responses.iter().any(|(status, response)| {
            status.starts_with('2') && {
                let response = resolve(raw, response);
                response
                    .get("content")
                    .and_then(Value::as_object)
                    .is_some_and(|c| c.values().all(|m| m.get("schema").is_some()) && !c.is_empty())
                    || status == "204"
            }
        })
    });
    if !typed_success {
        findings.push(Finding {
            pointer: format!("{pointer}/responses"),
            problem: format!("operation `{id}` has no typed success response"),
            fix: "declare the 2xx response with a `content` schema (or a 204)".to_owned(),
        });
    }

    let item_pointer = pointer.rsplit_once('/').map_or(pointer, |(head, _)| head);
    let lists = [
        (format!("{item_pointer}/parameters"), item.get("parameters")),
        (format!("{pointer}/parameters"), operation.get("parameters")),
    ];
    for (list_pointer, list) in lists {
        let Some(Value::Array(list)) = list else {
            continue;
        };
        for (index, parameter) in list.iter().enumerate() {
            let parameter = resolve(raw, parameter);
            if parameter.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            let typed = parameter
                .get("schema")
                .map(|s| resolve(raw, s))
                .is_some_and(|s| s.get("type").is_some());
            if !typed {
                findings.push(Finding {
                    pointer: format!("{list_pointer}/{index}"),
                    problem: format!("path parameter `{name}` of `{id}` has no typed schema"),
                    fix: "give it a `schema` with a `type` (and a `format` such as `uuid`)"
                        .to_owned(),
                });
            }
        }
    }
}

fn lint_unused_schemas(raw: &Value, findings: &mut Vec<Finding>) {
    let Some(Value::Object(schemas)) = raw.pointer("/components/schemas") else {
        return;
    };
    let mut used = BTreeSet::new();
    let mut pending = Vec::new();
    collect_refs(raw.get("paths").unwrap_or(&Value::Null), &mut pending);
    for kind in ["responses", "parameters", "requestBodies"] {
        if let Some(section) = raw.pointer(&format!("/components/{kind}")) {
            collect_refs(section, &mut pending);
        }
    }
    while let Some(reference) = pending.pop() {
        if let Some(name) = reference.strip_prefix("#/components/schemas/")
            && used.insert(name.to_owned())
            && let Some(schema) = schemas.get(name)
        {
            collect_refs(schema, &mut pending);
        }
    }
    for name in schemas.keys() {
        if !used.contains(name) {
            findings.push(Finding {
                pointer: format!("/components/schemas/{}", escape(name)),
                problem: format!("schema `{name}` is not used by any operation"),
                fix: "remove it, or reference it where it belongs".to_owned(),
            });
        }
    }
}

/// Request strings whose length the server bounds must say so; the rest must say why not.
fn lint_request_strings(raw: &Value, findings: &mut Vec<Finding>) {
    if let Some(Value::Object(paths)) = raw.get("paths") {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(body) = item.pointer(&format!("/{method}/requestBody")) {
                    let pointer = format!("/paths/{}/{method}/requestBody", escape(path));
                    let body = resolve(raw, body);
                    if let Some(Value::Object(content)) = body.get("content") {
                        for (media, value) in content {
                            if let Some(schema) = value.get("schema") {
                                let at = format!("{pointer}/content/{}/schema", escape(media));
                                check_strings(raw, &at, schema, findings, &mut BTreeSet::new());
                            }
                        }
                    }
                }
            }
        }
    }
}

fn check_strings(
    raw: &Value,
    pointer: &str,
    schema: &Value,
    findings: &mut Vec<Finding>,
    seen: &mut BTreeSet<String>,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if !seen.insert(reference.to_owned()) {
            return;
        }
        let target = reference.trim_start_matches('#');
        if let Some(resolved) = raw.pointer(target) {
            check_strings(raw, target, resolved, findings, seen);
        }
        return;
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => {
            let bounded = schema.get("maxLength").is_some()
                || schema.get("enum").is_some()
                || schema.get("format").is_some()
                || schema
                    .get(NO_LIMIT_EXTENSION)
                    .and_then(Value::as_str)
                    .is_some();
            if !bounded {
                findings.push(Finding {
                    pointer: pointer.to_owned(),
                    problem: "a request string with no `maxLength`".to_owned(),
                    fix: format!(
                        "add the server's `maxLength`, or `{NO_LIMIT_EXTENSION}: <why>` where \
                         the reference states none"
                    ),
                });
            }
        }
        Some("array") => {
            if let Some(items) = schema.get("items") {
                check_strings(raw, &format!("{pointer}/items"), items, findings, seen);
            }
        }
        _ => {
            if let Some(Value::Object(properties)) = schema.get("properties") {
                for (name, property) in properties {
                    let at = format!("{pointer}/properties/{}", escape(name));
                    check_strings(raw, &at, property, findings, seen);
                }
            }
        }
    }
}

fn resolve<'a>(raw: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| raw.pointer(r.trim_start_matches('#')))
        .unwrap_or(value)
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => out.push(reference.clone()),
                    _ => collect_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

/// Escapes a key for a JSON pointer (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
