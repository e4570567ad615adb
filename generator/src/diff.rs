//! What a spec change does to users of this client, classified breaking or compatible.
//!
//! Both documents are read into the same model (operations by operationId, component schemas
//! flattened field by field, encodings, security) with `$ref`s followed, so that a reordering or
//! a description edit is no change at all, and a narrowed limit is found wherever it lives.
//! Whether a schema change breaks depends on the direction it travels: a tighter `maxLength` is
//! breaking in what the client sends, and harmless in what it receives, since the generated
//! client does not validate responses.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde::Serialize;
use serde_json::Value;

use crate::GenerateError;
use crate::lenient::{closure, refs_in_sections};
use crate::spec::Document;

/// How a change affects users of the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Code or data that worked before may stop working.
    Breaking,
    /// Everything that worked before still works.
    Compatible,
}

/// One classified change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it belongs to: `operation create_assets`, `schema Asset`, `security`.
    pub group: String,
    /// The element inside the group: `request field tags[]`, `parameter include_email`.
    pub location: String,
    /// What changed, old → new.
    pub change: String,
    /// Breaking or compatible.
    pub impact: Impact,
    /// Why it is classified so.
    pub reason: String,
}

/// The whole comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every change, grouped and in a stable order.
    pub changes: Vec<Change>,
}

impl Report {
    /// How many changes are breaking.
    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count()
    }

    /// How many changes are compatible.
    pub fn compatible(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Compatible)
            .count()
    }

    /// The report as Markdown, for a pull request.
    pub fn to_markdown(&self, old_name: &str, new_name: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## Spec changes: `{old_name}` → `{new_name}`\n");
        if self.changes.is_empty() {
            let _ = writeln!(
                out,
                "No change that affects users of the client (descriptions and ordering are not compared)."
            );
            return out;
        }
        let _ = writeln!(
            out,
            "**{} breaking, {} compatible** for users of this client.\n",
            self.breaking(),
            self.compatible()
        );
        let mut current = None;
        for change in &self.changes {
            if current != Some(&change.group) {
                let _ = writeln!(out, "\n### {}\n", change.group);
                current = Some(&change.group);
            }
            let mark = match change.impact {
                Impact::Breaking => "**breaking**",
                Impact::Compatible => "compatible",
            };
            let _ = writeln!(
                out,
                "- {mark}: {}: {} ({})",
                change.location, change.change, change.reason
            );
        }
        out
    }

    /// The report as JSON.
    pub fn to_json(&self) -> String {
        let value = serde_json::json!({
            "breaking": self.breaking(),
            "compatible": self.compatible(),
            "changes": self.changes,
        });
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

/// Compares two spec texts.
pub fn diff(old_text: &str, new_text: &str) -> Result<Report, GenerateError> {
    let old = Model::read(&Document::parse(old_text)?);
    let new = Model::read(&Document::parse(new_text)?);
    let mut report = Report::default();
    compare_operations(&old, &new, &mut report.changes);
    compare_schemas(&old, &new, &mut report.changes);
    compare_security(&old, &new, &mut report.changes);
    Ok(report)
}

/// Which way a schema travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
    Both,
}

impl Direction {
    fn sends(self) -> bool {
        matches!(self, Self::Request | Self::Both)
    }
    fn receives(self) -> bool {
        matches!(self, Self::Response | Self::Both)
    }
}

/// The facts of one field that matter to a client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Field {
    kind: String,
    required: bool,
    nullable: bool,
    max_length: Option<u64>,
    min_length: Option<u64>,
    max_items: Option<u64>,
    min_items: Option<u64>,
    enumeration: Option<BTreeSet<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Encoding {
    content_types: BTreeSet<String>,
    style: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct Operation {
    method: String,
    path: String,
    parameters: BTreeMap<String, (bool, Field)>,
    body: Option<(String, bool, BTreeMap<String, Field>)>,
    encodings: BTreeMap<String, Encoding>,
    responses: BTreeMap<String, BTreeMap<String, Field>>,
}

#[derive(Debug, Default)]
struct Model {
    operations: BTreeMap<String, Operation>,
    schemas: BTreeMap<String, BTreeMap<String, Field>>,
    requested: BTreeSet<String>,
    responded: BTreeSet<String>,
    security: BTreeMap<String, String>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Model {
    fn read(document: &Document) -> Self {
        let raw = &document.raw;
        let mut model = Model::default();
        let schemas = raw
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or(Value::Null);
        model.requested = closure(
            &schemas,
            refs_in_sections(raw, &["requestBody", "parameters"]),
        );
        model.responded = closure(&schemas, refs_in_sections(raw, &["responses"]));
        if let Value::Object(map) = &schemas {
            for (name, schema) in map {
                let mut fields = BTreeMap::new();
                flatten(schema, String::new(), true, &mut fields);
                model.schemas.insert(name.clone(), fields);
            }
        }
        if let Some(Value::Object(paths)) = raw.get("paths") {
            for (path, item) in paths {
                for method in METHODS {
                    if let Some(op) = item.get(method) {
                        let id = op
                            .get("operationId")
                            .and_then(Value::as_str)
                            .unwrap_or(path);
                        model
                            .operations
                            .insert(id.to_owned(), read_operation(raw, path, method, item, op));
                    }
                }
            }
        }
        if let Some(Value::Object(schemes)) = raw.pointer("/components/securitySchemes") {
            for (name, scheme) in schemes {
                let scheme = resolve(raw, scheme);
                let mut facts = scheme.clone();
                if let Value::Object(map) = &mut facts {
                    map.remove("description");
                }
                model
                    .security
                    .insert(format!("scheme `{name}`"), facts.to_string());
            }
        }
        if let Some(security) = raw.get("security") {
            model
                .security
                .insert("global requirement".to_owned(), security.to_string());
        }
        model
    }

    fn direction(&self, other: &Model, name: &str) -> Direction {
        let request = self.requested.contains(name) || other.requested.contains(name);
        let response = self.responded.contains(name) || other.responded.contains(name);
        match (request, response) {
            (true, true) | (false, false) => Direction::Both,
            (true, false) => Direction::Request,
            (false, true) => Direction::Response,
        }
    }
}

fn read_operation(raw: &Value, path: &str, method: &str, item: &Value, op: &Value) -> Operation {
    let mut operation = Operation {
        method: method.to_uppercase(),
        path: path.to_owned(),
        ..Operation::default()
    };
    let parameters = [item.get("parameters"), op.get("parameters")];
    for list in parameters.into_iter().flatten() {
        for parameter in list.as_array().into_iter().flatten() {
            let parameter = resolve(raw, parameter);
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            let place = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
            let required = parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let mut fields = BTreeMap::new();
            if let Some(schema) = parameter.get("schema") {
                flatten(schema, String::new(), required, &mut fields);
            }
            let field = fields.remove("").unwrap_or_default();
            operation
                .parameters
                .insert(format!("{place} parameter `{name}`"), (required, field));
        }
    }
    if let Some(body) = op.get("requestBody") {
        let body = resolve(raw, body);
        let required = body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if let Some(Value::Object(content)) = body.get("content")
            && let Some((media, value)) = content.iter().next()
        {
            let mut fields = BTreeMap::new();
            if let Some(schema) = value.get("schema") {
                flatten(schema, String::new(), true, &mut fields);
            }
            operation.body = Some((media.clone(), required, fields));
            if let Some(Value::Object(encoding)) = value.get("encoding") {
                for (field, entry) in encoding {
                    let content_types = entry
                        .get("contentType")
                        .and_then(Value::as_str)
                        .map(|list| {
                            list.split(',')
                                .map(|t| t.trim().to_ascii_lowercase())
                                .filter(|t| !t.is_empty())
                                .collect()
                        })
                        .unwrap_or_default();
                    let style = entry
                        .get("x-form-style")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    operation.encodings.insert(
                        field.clone(),
                        Encoding {
                            content_types,
                            style,
                        },
                    );
                }
            }
        }
    }
    if let Some(Value::Object(responses)) = op.get("responses") {
        for (status, response) in responses {
            let response = resolve(raw, response);
            let mut fields = BTreeMap::new();
            if let Some(Value::Object(content)) = response.get("content") {
                for (media, value) in content {
                    if let Some(schema) = value.get("schema") {
                        flatten(schema, format!("{media} "), true, &mut fields);
                    }
                }
            }
            operation.responses.insert(status.clone(), fields);
        }
    }
    operation
}

/// Records a schema's facts under `path`, and its properties and items below it. A `$ref` is a
/// leaf (`ref Name`): the component is compared on its own, in its own group.
fn flatten(schema: &Value, path: String, required: bool, out: &mut BTreeMap<String, Field>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        out.insert(
            path,
            Field {
                kind: format!("ref {name}"),
                required,
                ..Field::default()
            },
        );
        return;
    }
    let number = |key: &str| schema.get(key).and_then(Value::as_u64);
    let kind = match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format"),
    ) {
        (Some(t), Some(Value::String(f))) => format!("{t} ({f})"),
        (Some(t), _) => t.to_owned(),
        (None, _) if schema.get("oneOf").is_some() => "oneOf".to_owned(),
        (None, _) if schema.get("anyOf").is_some() => "anyOf".to_owned(),
        (None, _) if schema.get("allOf").is_some() => "allOf".to_owned(),
        (None, _) => "any".to_owned(),
    };
    out.insert(
        path.clone(),
        Field {
            kind,
            required,
            nullable: schema
                .get("nullable")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            max_length: number("maxLength"),
            min_length: number("minLength"),
            max_items: number("maxItems"),
            min_items: number("minItems"),
            enumeration: schema.get("enum").and_then(Value::as_array).map(|values| {
                values
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect()
            }),
        },
    );
    let required_names: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            let child = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            flatten(property, child, required_names.contains(name.as_str()), out);
        }
    }
    if let Some(items) = schema.get("items") {
        flatten(items, format!("{path}[]"), true, out);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(variants)) = schema.get(key) {
            for (index, variant) in variants.iter().enumerate() {
                flatten(variant, format!("{path}<{key} {index}>"), true, out);
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

struct Sink<'a> {
    group: String,
    out: &'a mut Vec<Change>,
}

impl Sink<'_> {
    fn push(&mut self, location: &str, change: String, impact: Impact, reason: &str) {
        self.out.push(Change {
            group: self.group.clone(),
            location: location.to_owned(),
            change,
            impact,
            reason: reason.to_owned(),
        });
    }
}

fn compare_operations(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let ids: BTreeSet<&String> = old.operations.keys().chain(new.operations.keys()).collect();
    for id in ids {
        let mut sink = Sink {
            group: format!("operation `{id}`"),
            out,
        };
        match (old.operations.get(id), new.operations.get(id)) {
            (Some(a), None) => sink.push(
                "operation",
                format!("removed (`{} {}`)", a.method, a.path),
                Impact::Breaking,
                "its generated method disappears",
            ),
            (None, Some(b)) => sink.push(
                "operation",
                format!("added (`{} {}`)", b.method, b.path),
                Impact::Compatible,
                "a new method; nothing existing changes",
            ),
            (Some(a), Some(b)) => compare_operation(a, b, &mut sink),
            (None, None) => {}
        }
    }
}

fn compare_operation(a: &Operation, b: &Operation, sink: &mut Sink<'_>) {
    if (a.method.as_str(), a.path.as_str()) != (b.method.as_str(), b.path.as_str()) {
        sink.push(
            "route",
            format!("`{} {}` → `{} {}`", a.method, a.path, b.method, b.path),
            Impact::Breaking,
            "requests go elsewhere; servers of the old route reject them",
        );
    }
    let names: BTreeSet<&String> = a.parameters.keys().chain(b.parameters.keys()).collect();
    for name in names {
        match (a.parameters.get(name), b.parameters.get(name)) {
            (Some(_), None) => sink.push(
                name,
                "removed".to_owned(),
                Impact::Breaking,
                "callers pass an argument that no longer exists",
            ),
            (None, Some((required, _))) => {
                if *required {
                    sink.push(
                        name,
                        "added, required".to_owned(),
                        Impact::Breaking,
                        "every call must now pass it",
                    );
                } else {
                    sink.push(
                        name,
                        "added, optional".to_owned(),
                        Impact::Compatible,
                        "it may be omitted",
                    );
                }
            }
            (Some((_, fa)), Some((_, fb))) => {
                compare_field(name, fa, fb, Direction::Request, sink);
            }
            (None, None) => {}
        }
    }
    match (&a.body, &b.body) {
        (Some(_), None) => sink.push(
            "request body",
            "removed".to_owned(),
            Impact::Breaking,
            "the method's body argument disappears",
        ),
        (None, Some((media, required, _))) => sink.push(
            "request body",
            format!(
                "added (`{media}`{})",
                if *required { ", required" } else { "" }
            ),
            if *required {
                Impact::Breaking
            } else {
                Impact::Compatible
            },
            "the method gains a body argument",
        ),
        (Some((ma, ra, fa)), Some((mb, rb, fb))) => {
            if ma != mb {
                sink.push(
                    "request body",
                    format!("media type `{ma}` → `{mb}`"),
                    Impact::Breaking,
                    "the wire format of the body changes",
                );
            }
            if !ra && *rb {
                sink.push(
                    "request body",
                    "now required".to_owned(),
                    Impact::Breaking,
                    "calls without a body are refused",
                );
            }
            compare_fields("request field", fa, fb, Direction::Request, sink);
        }
        (None, None) => {}
    }
    let fields: BTreeSet<&String> = a.encodings.keys().chain(b.encodings.keys()).collect();
    for field in fields {
        let location = format!("multipart encoding of `{field}`");
        let ea = a.encodings.get(field).cloned().unwrap_or_default();
        let eb = b.encodings.get(field).cloned().unwrap_or_default();
        for removed in ea.content_types.difference(&eb.content_types) {
            sink.push(
                &location,
                format!("media type `{removed}` no longer accepted"),
                Impact::Breaking,
                "uploads of that type are refused",
            );
        }
        for added in eb.content_types.difference(&ea.content_types) {
            sink.push(
                &location,
                format!("media type `{added}` now accepted"),
                Impact::Compatible,
                "more uploads are allowed",
            );
        }
        if ea.style != eb.style {
            sink.push(
                &location,
                format!(
                    "`x-form-style` {} → {}",
                    ea.style.as_deref().unwrap_or("(default json-parts)"),
                    eb.style.as_deref().unwrap_or("(default json-parts)")
                ),
                Impact::Breaking,
                "the parts on the wire change; clients generated before send the old form",
            );
        }
    }
    let statuses: BTreeSet<&String> = a.responses.keys().chain(b.responses.keys()).collect();
    for status in statuses {
        let location = format!("response {status}");
        match (a.responses.get(status), b.responses.get(status)) {
            (Some(_), None) => sink.push(
                &location,
                "removed".to_owned(),
                Impact::Breaking,
                "callers handling it get an unexpected-response error instead",
            ),
            (None, Some(_)) => sink.push(
                &location,
                "added".to_owned(),
                Impact::Compatible,
                "a new documented outcome",
            ),
            (Some(fa), Some(fb)) => compare_fields(
                &format!("{location} field"),
                fa,
                fb,
                Direction::Response,
                sink,
            ),
            (None, None) => {}
        }
    }
}

fn compare_schemas(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let names: BTreeSet<&String> = old.schemas.keys().chain(new.schemas.keys()).collect();
    for name in names {
        let direction = old.direction(new, name);
        let label = match direction {
            Direction::Request => "sent",
            Direction::Response => "received",
            Direction::Both => "sent and received",
        };
        let mut sink = Sink {
            group: format!("schema `{name}` ({label})"),
            out,
        };
        match (old.schemas.get(name), new.schemas.get(name)) {
            (Some(_), None) => sink.push(
                "schema",
                "removed".to_owned(),
                Impact::Breaking,
                "its generated type disappears",
            ),
            (None, Some(_)) => sink.push(
                "schema",
                "added".to_owned(),
                Impact::Compatible,
                "a new type",
            ),
            (Some(a), Some(b)) => compare_fields("field", a, b, direction, &mut sink),
            (None, None) => {}
        }
    }
}

fn compare_security(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let mut sink = Sink {
        group: "security".to_owned(),
        out,
    };
    let names: BTreeSet<&String> = old.security.keys().chain(new.security.keys()).collect();
    for name in names {
        match (old.security.get(name), new.security.get(name)) {
            (a, b) if a == b => {}
            (Some(a), Some(b)) => sink.push(
                name,
                format!("`{a}` → `{b}`"),
                Impact::Breaking,
                "credentials must be sent differently",
            ),
            (Some(_), None) => sink.push(
                name,
                "removed".to_owned(),
                Impact::Breaking,
                "credentials must be sent differently",
            ),
            (None, Some(b)) => sink.push(
                name,
                format!("added `{b}`"),
                Impact::Breaking,
                "credentials must be sent differently",
            ),
            (None, None) => {}
        }
    }
}

fn compare_fields(
    what: &str,
    a: &BTreeMap<String, Field>,
    b: &BTreeMap<String, Field>,
    direction: Direction,
    sink: &mut Sink<'_>,
) {
    let paths: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for path in paths {
        let location = if path.is_empty() {
            what.replace(" field", "").to_owned() + " schema"
        } else {
            format!("{what} `{}`", path.trim())
        };
        match (a.get(path), b.get(path)) {
            (Some(_), None) => sink.push(
                &location,
                "removed".to_owned(),
                Impact::Breaking,
                "code using it no longer compiles, and its data is gone",
            ),
            (None, Some(field)) => {
                if direction.sends() && field.required {
                    sink.push(
                        &location,
                        "added, required".to_owned(),
                        Impact::Breaking,
                        "every request must now carry it",
                    );
                } else {
                    sink.push(
                        &location,
                        format!(
                            "added{}",
                            if field.required {
                                ", required"
                            } else {
                                ", optional"
                            }
                        ),
                        Impact::Compatible,
                        "existing requests and responses stay valid",
                    );
                }
            }
            (Some(fa), Some(fb)) => compare_field(&location, fa, fb, direction, sink),
            (None, None) => {}
        }
    }
}

fn compare_field(location: &str, a: &Field, b: &Field, direction: Direction, sink: &mut Sink<'_>) {
    if a.kind != b.kind {
        sink.push(
            location,
            format!("type `{}` → `{}`", a.kind, b.kind),
            Impact::Breaking,
            "the value's type changes",
        );
    }
    if a.required != b.required {
        let change = if b.required {
            "optional → required"
        } else {
            "required → optional"
        };
        let breaking = (b.required && direction.sends()) || (!b.required && direction.receives());
        let reason = if breaking && b.required {
            "requests without it are refused"
        } else if breaking {
            "responses may now lack it (the generated field becomes an `Option`)"
        } else {
            "existing data stays valid"
        };
        sink.push(location, change.to_owned(), impact(breaking), reason);
    }
    if a.nullable != b.nullable {
        let change = if b.nullable {
            "now nullable"
        } else {
            "no longer nullable"
        };
        let breaking = (b.nullable && direction.receives()) || (!b.nullable && direction.sends());
        sink.push(
            location,
            change.to_owned(),
            impact(breaking),
            if breaking {
                "values that were valid are not any more"
            } else {
                "existing data stays valid"
            },
        );
    }
    limit(
        location,
        "maxLength",
        a.max_length,
        b.max_length,
        true,
        direction,
        sink,
    );
    limit(
        location,
        "minLength",
        a.min_length,
        b.min_length,
        false,
        direction,
        sink,
    );
    limit(
        location,
        "maxItems",
        a.max_items,
        b.max_items,
        true,
        direction,
        sink,
    );
    limit(
        location,
        "minItems",
        a.min_items,
        b.min_items,
        false,
        direction,
        sink,
    );
    if a.enumeration != b.enumeration {
        let ea = a.enumeration.clone().unwrap_or_default();
        let eb = b.enumeration.clone().unwrap_or_default();
        for removed in ea.difference(&eb) {
            let reason = if direction.sends() {
                "requests with that value are refused"
            } else {
                "its Rust variant disappears from the generated enum"
            };
            sink.push(
                location,
                format!("enum value `{removed}` removed"),
                Impact::Breaking,
                reason,
            );
        }
        for added in eb.difference(&ea) {
            let reason = if direction.receives() {
                "compatible only because the client's response enums are open: older clients read it as `Unknown`"
            } else {
                "more values are accepted"
            };
            sink.push(
                location,
                format!("enum value `{added}` added"),
                Impact::Compatible,
                reason,
            );
        }
    }
}

/// A maximum (`upper`) or minimum limit that moved. Narrowing breaks what the client sends;
/// responses are not validated, so there it is compatible.
fn limit(
    location: &str,
    name: &str,
    a: Option<u64>,
    b: Option<u64>,
    upper: bool,
    direction: Direction,
    sink: &mut Sink<'_>,
) {
    if a == b {
        return;
    }
    let show = |v: Option<u64>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
    let narrowed = match (a, b) {
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => (upper && b < a) || (!upper && b > a),
        (None, None) => false,
    };
    let change = format!("{name} {} → {}", show(a), show(b));
    if narrowed && direction.sends() {
        sink.push(
            location,
            change,
            Impact::Breaking,
            "narrowed: values the client could send before are refused now",
        );
    } else if narrowed {
        sink.push(
            location,
            change,
            Impact::Compatible,
            "narrowed, but only in responses, which the client does not validate",
        );
    } else {
        sink.push(
            location,
            change,
            Impact::Compatible,
            "widened: everything valid before stays valid",
        );
    }
}

fn impact(breaking: bool) -> Impact {
    if breaking {
        Impact::Breaking
    } else {
        Impact::Compatible
    }
}
