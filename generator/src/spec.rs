//! Reading the document and checking the shapes the generator relies on.

use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
};
use serde_json::Value;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::GenerateError;

/// Properties and enum values of a schema (and the schemas inside it) that would collide as
/// Rust fields or variants.
fn check_names(schema: &Value, at: &str) -> Result<(), GenerateError> {
    const MAX_DEPTH: usize = 64;
    fn walk(schema: &Value, at: &str, depth: usize) -> Result<(), GenerateError> {
        if depth > MAX_DEPTH {
            return Err(GenerateError::invalid(
                at,
                "schemas nested more than 64 levels deep",
            ));
        }
        if let Some(Value::Object(properties)) = schema.get("properties") {
            let mut fields = BTreeMap::new();
            for (name, property) in properties {
                if let Some(other) = fields.insert(name.to_snake_case(), name) {
                    return Err(GenerateError::invalid(
                        format!("{at}: properties `{other}` and `{name}`"),
                        "both become the same Rust field name; rename one",
                    ));
                }
                walk(property, &format!("{at}.properties.{name}"), depth + 1)?;
            }
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            let mut variants = BTreeMap::new();
            for value in values.iter().filter_map(Value::as_str) {
                if let Some(other) = variants.insert(value.to_upper_camel_case(), value) {
                    return Err(GenerateError::invalid(
                        format!("{at}: enum values `{other}` and `{value}`"),
                        "both become the same Rust variant (or are the same value); keep one",
                    ));
                }
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(inner) = schema.get(key).filter(|v| v.is_object()) {
                walk(inner, &format!("{at}.{key}"), depth + 1)?;
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(variants)) = schema.get(key) {
                for (index, inner) in variants.iter().enumerate() {
                    walk(inner, &format!("{at}.{key}[{index}]"), depth + 1)?;
                }
            }
        }
        Ok(())
    }
    walk(schema, at, 0)
}

/// The media type of a JSON body.
pub const JSON: &str = "application/json";
/// The media type of a multipart form body.
pub const MULTIPART: &str = "multipart/form-data";

/// A parsed and validated OpenAPI 3.0.x document.
#[derive(Clone, Debug)]
pub struct Document {
    /// The document as typed by openapiv3.
    pub api: OpenAPI,
    /// The same document as plain JSON, for the passes that rewrite it.
    pub raw: Value,
}

/// One operation, with the path-level parameters merged in.
#[derive(Clone, Debug)]
pub struct OperationRef<'a> {
    /// The path template, e.g. `/v1/things/{id}`.
    pub path: &'a str,
    /// The HTTP method, lowercase.
    pub method: &'static str,
    /// The operation itself.
    pub operation: &'a Operation,
    /// The parameters of the path item, then those of the operation.
    pub parameters: Vec<&'a ReferenceOr<Parameter>>,
}

impl OperationRef<'_> {
    /// The operationId; validation guarantees there is one.
    pub fn id(&self) -> &str {
        self.operation.operation_id.as_deref().unwrap_or_default()
    }
}

impl Document {
    /// Parses YAML or JSON text and validates it.
    pub fn parse(text: &str) -> Result<Self, GenerateError> {
        let raw: Value =
            serde_yaml::from_str(text).map_err(|e| GenerateError::Parse(e.to_string()))?;
        let version = raw
            .get("openapi")
            .and_then(Value::as_str)
            .ok_or_else(|| GenerateError::Parse("no `openapi` version field".to_owned()))?;
        if !version.starts_with("3.0.") {
            return Err(GenerateError::UnsupportedVersion {
                found: version.to_owned(),
            });
        }
        let api: OpenAPI = serde_path_to_error::deserialize(raw.clone()).map_err(|e| {
            // Say where: `paths./v1/x.get.responses.200...: invalid type ...`.
            GenerateError::Parse(format!("at {}: {}", e.path(), e.inner()))
        })?;
        let document = Self { api, raw };
        document.validate()?;
        Ok(document)
    }

    /// Every operation in document order.
    pub fn operations(&self) -> Result<Vec<OperationRef<'_>>, GenerateError> {
        let mut out = Vec::new();
        for (path, item) in &self.api.paths.paths {
            let item: &PathItem = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    return Err(GenerateError::unsupported(
                        format!("paths.{path}"),
                        format!("a path item given as a reference (`{reference}`); inline it"),
                    ));
                }
            };
            let methods = [
                ("get", &item.get),
                ("put", &item.put),
                ("post", &item.post),
                ("delete", &item.delete),
                ("options", &item.options),
                ("head", &item.head),
                ("patch", &item.patch),
                ("trace", &item.trace),
            ];
            for (method, operation) in methods {
                if let Some(operation) = operation {
                    let parameters = item
                        .parameters
                        .iter()
                        .chain(&operation.parameters)
                        .collect();
                    out.push(OperationRef {
                        path,
                        method,
                        operation,
                        parameters,
                    });
                }
            }
        }
        Ok(out)
    }

    fn validate(&self) -> Result<(), GenerateError> {
        self.validate_names()?;
        let mut seen = BTreeMap::new();
        for op in self.operations()? {
            let Some(id) = op.operation.operation_id.as_deref() else {
                return Err(GenerateError::invalid(
                    format!("{} {}", op.method.to_uppercase(), op.path),
                    "the operation has no operationId; give it a stable snake_case one, it names \
                     the generated method",
                ));
            };
            // Methods are named in snake_case: `createAssets` and `create_assets` collide.
            if let Some(other) = seen.insert(
                id.to_snake_case(),
                format!("{} {} (`{id}`)", op.method, op.path),
            ) {
                return Err(GenerateError::invalid(
                    format!("operation `{id}`"),
                    format!(
                        "operationId is used twice once written as a Rust method name ({other} \
                         and {} {}); make each one unique",
                        op.method, op.path
                    ),
                ));
            }
            self.validate_path_parameters(&op, id)?;
            if let Some(body) = &op.operation.request_body {
                let body = self.request_body(body, id)?;
                self.validate_body(id, body)?;
            }
            for (status, response) in &op.operation.responses.responses {
                let response = self.response(response, id)?;
                if response.content.len() > 1 {
                    return Err(GenerateError::unsupported(
                        format!("operation `{id}`, response {status}"),
                        "a response with several media types; keep one",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every `{name}` of the path template is a declared path parameter and the other way
    /// round (progenitor panics on an undeclared one).
    fn validate_path_parameters(
        &self,
        op: &OperationRef<'_>,
        id: &str,
    ) -> Result<(), GenerateError> {
        let mut declared = Vec::new();
        for parameter in &op.parameters {
            if let Parameter::Path { parameter_data, .. } = self.parameter(parameter, id)? {
                declared.push(parameter_data.name.clone());
            }
        }
        let mut templated = Vec::new();
        let mut rest: &str = op.path;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                return Err(GenerateError::invalid(
                    format!("operation `{id}`, path `{}`", op.path),
                    "a `{` without its `}` in the path template",
                ));
            };
            templated.push(rest[start + 1..start + end].to_owned());
            rest = &rest[start + end + 1..];
        }
        for name in &templated {
            if !declared.contains(name) {
                return Err(GenerateError::invalid(
                    format!("operation `{id}`, path `{}`", op.path),
                    format!(
                        "the template uses `{{{name}}}` but no path parameter `{name}` is declared; \
                         declare it (in: path, required: true) or fix the template"
                    ),
                ));
            }
        }
        for name in &declared {
            if !templated.contains(name) {
                return Err(GenerateError::invalid(
                    format!("operation `{id}`, parameter `{name}`"),
                    format!(
                        "a path parameter the template `{}` does not use; remove it or use it",
                        op.path
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Names that become the same Rust identifier would not compile: schemas (types),
    /// properties (fields) and enum values (variants).
    fn validate_names(&self) -> Result<(), GenerateError> {
        let Some(Value::Object(schemas)) = self.raw.pointer("/components/schemas") else {
            return Ok(());
        };
        let mut types = BTreeMap::new();
        for (name, schema) in schemas {
            if let Some(other) = types.insert(name.to_upper_camel_case(), name) {
                return Err(GenerateError::invalid(
                    format!("schemas `{other}` and `{name}`"),
                    "both become the same Rust type name; rename one",
                ));
            }
            check_names(schema, &format!("components.schemas.{name}"))?;
        }
        Ok(())
    }

    fn validate_body(&self, id: &str, body: &RequestBody) -> Result<(), GenerateError> {
        let location = format!("operation `{id}`, request body");
        if body.content.len() != 1 {
            return Err(GenerateError::unsupported(
                location,
                format!(
                    "the body declares {} media types; exactly one is supported (progenitor \
                     panics on several)",
                    body.content.len()
                ),
            ));
        }
        let (media_type, content) = body.content.first().expect("checked: one entry");
        match media_type.as_str() {
            JSON => {
                if !content.encoding.is_empty() {
                    return Err(GenerateError::invalid(
                        location,
                        "`encoding` is only meaningful for multipart and form bodies; remove it \
                         from this JSON body",
                    ));
                }
            }
            MULTIPART => {}
            other => {
                return Err(GenerateError::unsupported(
                    location,
                    format!("media type `{other}`; supported: `{JSON}`, `{MULTIPART}`"),
                ));
            }
        }
        Ok(())
    }

    /// Resolves a request body, which may be a `#/components/requestBodies/` reference.
    pub fn request_body<'a>(
        &'a self,
        body: &'a ReferenceOr<RequestBody>,
        id: &str,
    ) -> Result<&'a RequestBody, GenerateError> {
        match body {
            ReferenceOr::Item(body) => Ok(body),
            ReferenceOr::Reference { reference } => {
                let name = component_name(reference, "requestBodies", id)?;
                self.api
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(name))
                    .and_then(ReferenceOr::as_item)
                    .ok_or_else(|| dangling(reference, id))
            }
        }
    }

    /// Resolves a response, which may be a `#/components/responses/` reference.
    pub fn response<'a>(
        &'a self,
        response: &'a ReferenceOr<Response>,
        id: &str,
    ) -> Result<&'a Response, GenerateError> {
        match response {
            ReferenceOr::Item(response) => Ok(response),
            ReferenceOr::Reference { reference } => {
                let name = component_name(reference, "responses", id)?;
                self.api
                    .components
                    .as_ref()
                    .and_then(|c| c.responses.get(name))
                    .and_then(ReferenceOr::as_item)
                    .ok_or_else(|| dangling(reference, id))
            }
        }
    }

    /// Resolves a parameter, which may be a `#/components/parameters/` reference.
    pub fn parameter<'a>(
        &'a self,
        parameter: &'a ReferenceOr<Parameter>,
        id: &str,
    ) -> Result<&'a Parameter, GenerateError> {
        match parameter {
            ReferenceOr::Item(parameter) => Ok(parameter),
            ReferenceOr::Reference { reference } => {
                let name = component_name(reference, "parameters", id)?;
                self.api
                    .components
                    .as_ref()
                    .and_then(|c| c.parameters.get(name))
                    .and_then(ReferenceOr::as_item)
                    .ok_or_else(|| dangling(reference, id))
            }
        }
    }

    /// Resolves a schema reference one level; returns the component name when it was one.
    pub fn schema<'a>(
        &'a self,
        schema: &'a ReferenceOr<Schema>,
        id: &str,
    ) -> Result<(Option<&'a str>, &'a Schema), GenerateError> {
        match schema {
            ReferenceOr::Item(schema) => Ok((None, schema)),
            ReferenceOr::Reference { reference } => self.schema_ref(reference, id),
        }
    }

    /// Resolves a boxed schema reference (as found in `items` and `properties`).
    pub fn boxed_schema<'a>(
        &'a self,
        schema: &'a ReferenceOr<Box<Schema>>,
        id: &str,
    ) -> Result<(Option<&'a str>, &'a Schema), GenerateError> {
        match schema {
            ReferenceOr::Item(schema) => Ok((None, schema)),
            ReferenceOr::Reference { reference } => self.schema_ref(reference, id),
        }
    }

    fn schema_ref<'a>(
        &'a self,
        reference: &'a str,
        id: &str,
    ) -> Result<(Option<&'a str>, &'a Schema), GenerateError> {
        let name = component_name(reference, "schemas", id)?;
        let schema = self
            .api
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
            .and_then(ReferenceOr::as_item)
            .ok_or_else(|| dangling(reference, id))?;
        Ok((Some(name), schema))
    }
}

/// The component name of a local `#/components/<kind>/<name>` reference.
pub fn component_name<'a>(
    reference: &'a str,
    kind: &str,
    id: &str,
) -> Result<&'a str, GenerateError> {
    let prefix = format!("#/components/{kind}/");
    reference.strip_prefix(&prefix).ok_or_else(|| {
        GenerateError::unsupported(
            format!("operation `{id}`"),
            format!("reference `{reference}`; only local `{prefix}...` references are supported"),
        )
    })
}

fn dangling(reference: &str, id: &str) -> GenerateError {
    GenerateError::invalid(
        format!("operation `{id}`"),
        format!("reference `{reference}` points at nothing; define the component or fix the name"),
    )
}
