//! Reading the document and checking the shapes the generator relies on.

use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
};
use serde_json::Value;

use crate::GenerateError;

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
        let api: OpenAPI =
            serde_json::from_value(raw.clone()).map_err(|e| GenerateError::Parse(e.to_string()))?;
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
        let mut seen = BTreeMap::new();
        for op in self.operations()? {
            let Some(id) = op.operation.operation_id.as_deref() else {
                return Err(GenerateError::invalid(
                    format!("{} {}", op.method.to_uppercase(), op.path),
                    "the operation has no operationId; give it a stable snake_case one, it names \
                     the generated method",
                ));
            };
            if let Some(other) = seen.insert(id.to_owned(), format!("{} {}", op.method, op.path)) {
                return Err(GenerateError::invalid(
                    format!("operation `{id}`"),
                    format!(
                        "operationId is used twice ({other} and {} {}); make each one unique",
                        op.method, op.path
                    ),
                ));
            }
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
