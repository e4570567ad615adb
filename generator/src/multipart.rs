//! The model of a multipart operation, read from the spec.
//!
//! Everything the emitted code knows about a form (field names, part encodings, accepted media
//! types, item and length limits) comes from here, and everything here comes from the spec.

use heck::ToUpperCamelCase;
use openapiv3::{
    MediaType, ParameterData, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::GenerateError;
use crate::spec::{Document, JSON, MULTIPART, OperationRef};

/// The extension on an `encoding` entry that chooses how object items go on the wire.
pub const FORM_STYLE_EXTENSION: &str = "x-form-style";
/// The extension on a form schema listing fields of which at least one must be sent.
pub const AT_LEAST_ONE_OF_EXTENSION: &str = "x-at-least-one-of";

/// How each object item of an array field is put on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormStyle {
    /// One part per item, named after the field, whose body is the item as JSON (OpenAPI 3.0's
    /// default for an object in a multipart body).
    JsonParts,
    /// One text part per item property, named `field[index]property` (Django REST Framework's
    /// nested list parsing).
    DrfIndexed,
}

impl FormStyle {
    /// The value of [`FORM_STYLE_EXTENSION`] that selects this style.
    pub fn spec_value(self) -> &'static str {
        match self {
            Self::JsonParts => "json-parts",
            Self::DrfIndexed => "drf-indexed",
        }
    }
}

/// A multipart operation the generator emits itself.
#[derive(Clone, Debug)]
pub struct MultipartOperation {
    /// The operationId; it names the method and the form type.
    pub operation_id: String,
    /// Lowercase HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// Summary and description, for the method's documentation.
    pub doc: String,
    /// The path parameters, in the order of the template.
    pub path_params: Vec<PathParam>,
    /// The form fields, in the order of the schema.
    pub fields: Vec<FormField>,
    /// Fields of which at least one must be non-empty.
    pub at_least_one_of: Vec<String>,
    /// Whether the body itself is required.
    pub body_required: bool,
    /// The success status and its Rust type (relative to the crate root).
    pub success: (u16, String),
    /// The documented error statuses and their shared Rust type.
    pub errors: Option<(Vec<u16>, String)>,
}

/// A path parameter.
#[derive(Clone, Debug)]
pub struct PathParam {
    /// The name in the template.
    pub name: String,
    /// Its Rust type.
    pub kind: PathParamKind,
    /// Its description.
    pub description: Option<String>,
}

/// The Rust type of a path parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathParamKind {
    /// `format: uuid`: `&uuid::Uuid`.
    Uuid,
    /// Any other string: `&str`.
    Str,
    /// An integer: `i64`.
    Integer,
}

/// One property of the form schema.
#[derive(Clone, Debug)]
pub struct FormField {
    /// The part name on the wire.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Whether the schema lists it as required.
    pub required: bool,
    /// Whether it is an array (repeated parts) rather than a single part.
    pub repeated: bool,
    /// `minItems` of the array.
    pub min_items: Option<usize>,
    /// `maxItems` of the array.
    pub max_items: Option<usize>,
    /// What each part carries.
    pub kind: FieldKind,
}

/// What a part of a form field carries.
#[derive(Clone, Debug)]
pub enum FieldKind {
    /// Uploaded files (`format: binary`).
    File {
        /// The media types `encoding.<field>.contentType` accepts; empty means any.
        content_types: Vec<String>,
    },
    /// Plain text values.
    Text {
        /// `minLength`, in characters.
        min_length: Option<usize>,
        /// `maxLength`, in characters.
        max_length: Option<usize>,
        /// The part's `Content-Type`, when the encoding sets one.
        content_type: Option<String>,
    },
    /// Objects of a component schema.
    Object {
        /// The component schema's name.
        schema: String,
        /// How items go on the wire.
        style: FormStyle,
        /// The part's `Content-Type` in the JSON style.
        content_type: String,
        /// The item's properties, for the indexed style.
        properties: Vec<ItemProperty>,
    },
}

/// A scalar property of an object item.
#[derive(Clone, Debug)]
pub struct ItemProperty {
    /// The property name.
    pub name: String,
    /// Whether the item schema requires it.
    pub required: bool,
    /// `minLength`, in characters.
    pub min_length: Option<usize>,
    /// `maxLength`, in characters.
    pub max_length: Option<usize>,
}

/// Reads every operation with a multipart body.
pub fn collect(document: &Document) -> Result<Vec<MultipartOperation>, GenerateError> {
    let mut out = Vec::new();
    for op in document.operations()? {
        let Some(body) = &op.operation.request_body else {
            continue;
        };
        let body = document.request_body(body, op.id())?;
        if let Some(media) = body.content.get(MULTIPART) {
            out.push(read_operation(document, &op, media, body.required)?);
        }
    }
    Ok(out)
}

fn read_operation(
    document: &Document,
    op: &OperationRef<'_>,
    media: &MediaType,
    body_required: bool,
) -> Result<MultipartOperation, GenerateError> {
    let id = op.id();
    let at = |what: &str| format!("operation `{id}`, {what}");

    let schema = media
        .schema
        .as_ref()
        .ok_or_else(|| GenerateError::invalid(at("request body"), "the form has no schema"))?;
    let (_, schema) = document.schema(schema, id)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Err(GenerateError::unsupported(
            at("request body"),
            "a multipart body whose schema is not an object with properties",
        ));
    };

    for key in media.encoding.keys() {
        if !object.properties.contains_key(key) {
            return Err(GenerateError::invalid(
                at(&format!("encoding `{key}`")),
                "the encoding names a property the form schema does not have",
            ));
        }
    }

    let mut fields = Vec::new();
    for (name, property) in &object.properties {
        let (_, property) = document.boxed_schema(property, id)?;
        let encoding = media.encoding.get(name);
        fields.push(read_field(
            document,
            id,
            name,
            property,
            encoding,
            object.required.contains(name),
        )?);
    }

    let at_least_one_of = read_at_least_one_of(schema, &fields, id)?;
    Ok(MultipartOperation {
        operation_id: id.to_owned(),
        method: op.method.to_owned(),
        path: op.path.to_owned(),
        doc: operation_doc(op),
        path_params: read_path_params(document, op)?,
        fields,
        at_least_one_of,
        body_required,
        success: read_success(document, op)?,
        errors: read_errors(document, op)?,
    })
}

fn read_field(
    document: &Document,
    id: &str,
    name: &str,
    schema: &Schema,
    encoding: Option<&openapiv3::Encoding>,
    required: bool,
) -> Result<FormField, GenerateError> {
    let at = format!("operation `{id}`, form field `{name}`");
    if let Some(encoding) = encoding {
        if !encoding.headers.is_empty() || encoding.style.is_some() {
            return Err(GenerateError::unsupported(
                &at,
                "`headers` and `style` in a multipart encoding; remove them",
            ));
        }
        if let Some(key) = encoding
            .extensions
            .keys()
            .find(|k| *k != FORM_STYLE_EXTENSION)
        {
            return Err(GenerateError::invalid(
                &at,
                format!("unknown encoding extension `{key}`; known: `{FORM_STYLE_EXTENSION}`"),
            ));
        }
    }
    let content_types = encoding
        .and_then(|e| e.content_type.as_deref())
        .map(|list| parse_media_types(list, &at))
        .transpose()?
        .unwrap_or_default();
    let style = encoding
        .and_then(|e| e.extensions.get(FORM_STYLE_EXTENSION))
        .map(|value| parse_style(value, &at))
        .transpose()?;

    let (repeated, min_items, max_items, item) = match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => {
            let items = array.items.as_ref().ok_or_else(|| {
                GenerateError::invalid(&at, "an array without `items`; say what each part holds")
            })?;
            (true, array.min_items, array.max_items, items)
        }
        _ => {
            let kind = scalar_kind(document, id, &at, None, schema, content_types, style)?;
            return Ok(FormField {
                name: name.to_owned(),
                description: schema.schema_data.description.clone(),
                required,
                repeated: false,
                min_items: None,
                max_items: None,
                kind,
            });
        }
    };
    if let (Some(min), Some(max)) = (min_items, max_items)
        && min > max
    {
        return Err(GenerateError::invalid(
            &at,
            format!("minItems {min} > maxItems {max}"),
        ));
    }
    let (component, item) = document.boxed_schema(item, id)?;
    let kind = scalar_kind(document, id, &at, component, item, content_types, style)?;
    Ok(FormField {
        name: name.to_owned(),
        description: schema.schema_data.description.clone(),
        required,
        repeated,
        min_items,
        max_items,
        kind,
    })
}

fn scalar_kind(
    document: &Document,
    id: &str,
    at: &str,
    component: Option<&str>,
    schema: &Schema,
    content_types: Vec<String>,
    style: Option<FormStyle>,
) -> Result<FieldKind, GenerateError> {
    if style.is_some() && !matches!(schema.schema_kind, SchemaKind::Type(Type::Object(_))) {
        return Err(GenerateError::invalid(
            at,
            format!("`{FORM_STYLE_EXTENSION}` only applies to fields whose items are objects"),
        ));
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            if matches!(
                string.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
            ) {
                Ok(FieldKind::File { content_types })
            } else {
                if content_types.len() > 1 {
                    return Err(GenerateError::invalid(
                        at,
                        "a text field can carry one content type only",
                    ));
                }
                Ok(FieldKind::Text {
                    min_length: string.min_length,
                    max_length: string.max_length,
                    content_type: content_types.into_iter().next(),
                })
            }
        }
        SchemaKind::Type(Type::Object(object)) => {
            let Some(schema_name) = component else {
                return Err(GenerateError::unsupported(
                    at,
                    "an inline object item; move it to `#/components/schemas/` so that it has a \
                     named Rust type",
                ));
            };
            let content_type = match content_types.as_slice() {
                [] => JSON.to_owned(),
                [one] if one == JSON => one.clone(),
                _ => {
                    return Err(GenerateError::unsupported(
                        at,
                        format!("object parts encoded as anything but `{JSON}`"),
                    ));
                }
            };
            let mut properties = Vec::new();
            for (name, property) in &object.properties {
                let (_, property) = document.boxed_schema(property, id)?;
                let SchemaKind::Type(Type::String(string)) = &property.schema_kind else {
                    return Err(GenerateError::unsupported(
                        format!("{at}, item property `{name}`"),
                        "object items may only hold string properties",
                    ));
                };
                properties.push(ItemProperty {
                    name: name.clone(),
                    required: object.required.contains(name),
                    min_length: string.min_length,
                    max_length: string.max_length,
                });
            }
            Ok(FieldKind::Object {
                schema: schema_name.to_owned(),
                style: style.unwrap_or(FormStyle::JsonParts),
                content_type,
                properties,
            })
        }
        _ => Err(GenerateError::unsupported(
            at,
            "only strings, binary strings and objects of a component schema (or arrays of them) \
             can be form fields",
        )),
    }
}

fn parse_media_types(list: &str, at: &str) -> Result<Vec<String>, GenerateError> {
    let mut out: Vec<String> = Vec::new();
    for item in list.split(',').map(str::trim) {
        let valid = item
            .split_once('/')
            .is_some_and(|(a, b)| is_token(a) && (is_token(b) || b == "*"));
        if !valid {
            return Err(GenerateError::invalid(
                at,
                format!("`{item}` in encoding.contentType is not a media type like `image/png`"),
            ));
        }
        let item = item.to_ascii_lowercase();
        if out.contains(&item) {
            return Err(GenerateError::invalid(
                at,
                format!("`{item}` is listed twice"),
            ));
        }
        out.push(item);
    }
    Ok(out)
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
}

fn parse_style(value: &Value, at: &str) -> Result<FormStyle, GenerateError> {
    [FormStyle::JsonParts, FormStyle::DrfIndexed]
        .into_iter()
        .find(|style| value.as_str() == Some(style.spec_value()))
        .ok_or_else(|| {
            GenerateError::invalid(
                at,
                format!(
                    "`{FORM_STYLE_EXTENSION}: {value}` is not a known style; use `json-parts` or \
                     `drf-indexed`"
                ),
            )
        })
}

fn read_at_least_one_of(
    schema: &Schema,
    fields: &[FormField],
    id: &str,
) -> Result<Vec<String>, GenerateError> {
    let Some(value) = schema.schema_data.extensions.get(AT_LEAST_ONE_OF_EXTENSION) else {
        return Ok(Vec::new());
    };
    let at = format!("operation `{id}`, `{AT_LEAST_ONE_OF_EXTENSION}`");
    let names: Vec<String> = serde_json::from_value(value.clone())
        .map_err(|_| GenerateError::invalid(&at, "must be a list of field names"))?;
    for name in &names {
        if !fields.iter().any(|f| &f.name == name) {
            return Err(GenerateError::invalid(
                &at,
                format!("`{name}` is not a form field"),
            ));
        }
    }
    Ok(names)
}

fn operation_doc(op: &OperationRef<'_>) -> String {
    let mut doc = String::new();
    if let Some(summary) = &op.operation.summary {
        doc.push_str(summary.trim());
        doc.push_str("\n\n");
    }
    if let Some(description) = &op.operation.description {
        doc.push_str(description.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "Sends a `{}` request to `{}` with a `{MULTIPART}` body.",
        op.method.to_uppercase(),
        op.path
    ));
    doc
}

fn read_path_params(
    document: &Document,
    op: &OperationRef<'_>,
) -> Result<Vec<PathParam>, GenerateError> {
    let id = op.id();
    let mut declared = Vec::new();
    for parameter in &op.parameters {
        let parameter = document.parameter(parameter, id)?;
        match parameter {
            openapiv3::Parameter::Path { parameter_data, .. } => {
                declared.push(read_path_param(document, id, parameter_data)?);
            }
            other => {
                return Err(GenerateError::unsupported(
                    format!(
                        "operation `{id}`, parameter `{}`",
                        other.parameter_data_ref().name
                    ),
                    "query, header and cookie parameters on a multipart operation",
                ));
            }
        }
    }

    let mut ordered = Vec::new();
    for segment in op.path.split('{').skip(1) {
        let name = segment.split('}').next().unwrap_or_default();
        let index = declared
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| {
                GenerateError::invalid(
                    format!("operation `{id}`"),
                    format!("the path uses `{{{name}}}` but declares no such path parameter"),
                )
            })?;
        ordered.push(declared.remove(index));
    }
    if let Some(extra) = declared.first() {
        return Err(GenerateError::invalid(
            format!("operation `{id}`, parameter `{}`", extra.name),
            "a path parameter the path template does not use",
        ));
    }
    Ok(ordered)
}

fn read_path_param(
    document: &Document,
    id: &str,
    data: &ParameterData,
) -> Result<PathParam, GenerateError> {
    let at = format!("operation `{id}`, path parameter `{}`", data.name);
    let ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return Err(GenerateError::unsupported(
            &at,
            "a parameter given by `content`",
        ));
    };
    let (_, schema) = document.schema(schema, id)?;
    let kind = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match &string.format {
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => PathParamKind::Uuid,
            _ => PathParamKind::Str,
        },
        SchemaKind::Type(Type::Integer(_)) => PathParamKind::Integer,
        _ => {
            return Err(GenerateError::unsupported(
                &at,
                "a path parameter that is neither a string nor an integer",
            ));
        }
    };
    Ok(PathParam {
        name: data.name.clone(),
        kind,
        description: data.description.clone(),
    })
}

fn read_success(
    document: &Document,
    op: &OperationRef<'_>,
) -> Result<(u16, String), GenerateError> {
    let id = op.id();
    let mut found = None;
    for (status, response) in &op.operation.responses.responses {
        let code = status_code(status, id)?;
        if !(200..300).contains(&code) {
            continue;
        }
        if found.is_some() {
            return Err(GenerateError::unsupported(
                format!("operation `{id}`"),
                "several success responses on a multipart operation; keep one",
            ));
        }
        let response = document.response(response, id)?;
        found = Some((code, json_type(&response.content, id, code)?));
    }
    found.ok_or_else(|| {
        GenerateError::invalid(format!("operation `{id}`"), "no 2xx response is declared")
    })
}

fn read_errors(
    document: &Document,
    op: &OperationRef<'_>,
) -> Result<Option<(Vec<u16>, String)>, GenerateError> {
    let id = op.id();
    if op.operation.responses.default.is_some() {
        return Err(GenerateError::unsupported(
            format!("operation `{id}`"),
            "a `default` response on a multipart operation; list the statuses",
        ));
    }
    let mut codes = Vec::new();
    let mut ty: Option<String> = None;
    for (status, response) in &op.operation.responses.responses {
        let code = status_code(status, id)?;
        if code < 400 {
            continue;
        }
        let response = document.response(response, id)?;
        let this = json_type(&response.content, id, code)?;
        if ty.as_ref().is_some_and(|t| t != &this) {
            return Err(GenerateError::unsupported(
                format!("operation `{id}`, response {code}"),
                "error responses of different types; use one error schema",
            ));
        }
        ty = Some(this);
        codes.push(code);
    }
    Ok(ty.map(|ty| (codes, ty)))
}

fn status_code(status: &openapiv3::StatusCode, id: &str) -> Result<u16, GenerateError> {
    match status {
        openapiv3::StatusCode::Code(code) => Ok(*code),
        openapiv3::StatusCode::Range(_) => Err(GenerateError::unsupported(
            format!("operation `{id}`"),
            "a status range (like `4XX`) on a multipart operation; list the statuses",
        )),
    }
}

fn json_type(content: &openapiv3::Content, id: &str, code: u16) -> Result<String, GenerateError> {
    let at = format!("operation `{id}`, response {code}");
    let media = content.get(JSON).ok_or_else(|| {
        GenerateError::unsupported(&at, format!("a response that is not `{JSON}`"))
    })?;
    let schema = media
        .schema
        .as_ref()
        .ok_or_else(|| GenerateError::invalid(&at, "the response has no schema"))?;
    let named = |schema: &ReferenceOr<Schema>| -> Result<String, GenerateError> {
        match schema {
            ReferenceOr::Reference { reference } => {
                let name = crate::spec::component_name(reference, "schemas", id)?;
                Ok(format!("crate::types::{}", name.to_upper_camel_case()))
            }
            ReferenceOr::Item(_) => Err(GenerateError::unsupported(
                &at,
                "an inline response schema; reference a component so that it has a named type",
            )),
        }
    };
    if let ReferenceOr::Item(schema) = schema
        && let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind
        && let Some(ReferenceOr::Reference { reference }) = &array.items
    {
        let name = crate::spec::component_name(reference, "schemas", id)?;
        return Ok(format!(
            "::std::vec::Vec<crate::types::{}>",
            name.to_upper_camel_case()
        ));
    }
    named(schema)
}
