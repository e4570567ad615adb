//! Reads, from the OpenAPI document, every wire fact the sandbox enforces.
//!
//! Nothing here is hard-wired except what the sandbox must know to mean anything: the three
//! operationIds, and that text items carry a `name` and a `content`. Field names are found by
//! the shape of their schemas (the array of objects is the text-asset field, the array of binary
//! strings the file field, the array of plain strings the tag field), so a renamed field in the
//! spec is a renamed field here.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::SandboxError;

/// The spec this crate was built with.
pub(crate) const DEFAULT_SPEC: &str = shareofmodel_client::OPENAPI_DOCUMENT;

/// Operation ids the sandbox serves.
pub(crate) const CREATE_OP: &str = "create_assets";
pub(crate) const LIST_OP: &str = "list_assets";
pub(crate) const ARCHIVE_OP: &str = "archive_assets";
/// Served when the spec has it; a spec without it simply has no token exchange.
pub(crate) const TOKEN_OP: &str = "create_access_token";

/// Every operationId the sandbox may serve, for checking fault scripts.
pub(crate) const OPERATIONS: [&str; 4] = [CREATE_OP, LIST_OP, ARCHIVE_OP, TOKEN_OP];

/// Asset properties the sandbox knows how to fill. The spec may declare fewer (the sandbox then
/// omits the others), and more optional ones (left out of its answers), but no other required
/// one.
const FILLABLE_ASSET_PROPERTIES: &[&str] = &[
    "id",
    "name",
    "content_url",
    "content_type",
    "content",
    "created_by_email",
    "thumbnail_url",
    "is_archived",
    "is_deleted",
    "tags",
    "created_at",
    "created_by",
];

/// Text-item properties the sandbox copies onto the created asset.
pub(crate) const ITEM_NAME: &str = "name";
pub(crate) const ITEM_CONTENT: &str = "content";

/// The `contentType` the spec's `x-form-style` values refer to, and the value that means files.
const MULTIPART: &str = "multipart/form-data";
const JSON: &str = "application/json";

/// How the text items of the create form are put on the wire (`x-form-style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormStyle {
    /// One `application/json` part per item, named after the field.
    JsonParts,
    /// One text part per item property, named `field[index]property`.
    DrfIndexed,
}

/// Length limits of a string, in Unicode scalar values.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StrRule {
    pub min_len: Option<usize>,
    pub max_len: Option<usize>,
}

/// Element-count limits of an array.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CountRule {
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

/// One property of a text item.
#[derive(Debug, Clone)]
pub(crate) struct ItemProp {
    pub name: String,
    pub required: bool,
    pub rule: StrRule,
}

/// A path template with two parameters: the organization's id, then the workspace's (the
/// sandbox serves one of each).
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub method: Method,
    pub template: String,
    pub success: StatusCode,
}

/// Everything the create operation checks.
#[derive(Debug, Clone)]
pub(crate) struct CreateForm {
    /// `x-at-least-one-of`: fields of which one must carry a value (default: text items and
    /// files).
    pub at_least_one_of: Vec<String>,
    pub text_field: String,
    pub text_items: CountRule,
    pub text_props: Vec<ItemProp>,
    /// `encoding.<text_field>.contentType`, lowercased, when given.
    pub text_part_type: Option<String>,
    pub style: FormStyle,
    pub files_field: String,
    pub files_items: CountRule,
    /// `encoding.<files_field>.contentType`, split on commas, trimmed and lowercased.
    pub accepted: Vec<String>,
    pub tags_field: String,
    pub tags_items: CountRule,
    pub tag_rule: StrRule,
}

impl CreateForm {
    /// Whether `media_type` (an essence, lowercased) is accepted for files.
    pub fn accepts(&self, media_type: &str) -> bool {
        self.accepted.iter().any(|a| a == media_type)
    }
}

/// Everything the archive operation checks.
#[derive(Debug, Clone)]
pub(crate) struct ArchiveBody {
    pub ids_field: String,
    pub required: bool,
    pub items: CountRule,
}

/// What the sandbox emits for an asset.
#[derive(Debug, Clone)]
pub(crate) struct AssetShape {
    /// Properties declared by the spec's asset schema, in the spec's order.
    pub properties: Vec<String>,
    /// The values of the asset's `content_type` enum.
    pub content_types: Vec<String>,
    /// `maxLength` of the asset's `name`, applied to uploaded file names.
    pub name_max_len: Option<usize>,
}

/// The key-for-token exchange: a JSON body with one required string (the key), answered with
/// an object whose properties name the token.
#[derive(Debug, Clone)]
pub(crate) struct TokenExchange {
    pub method: Method,
    pub path: String,
    pub success: StatusCode,
    /// The request's one required string property (`api_key`).
    pub key_field: String,
    pub key_rule: StrRule,
    /// The properties the success response declares, in the spec's order.
    pub response_props: Vec<String>,
}

/// The wire facts of the served operations.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    /// The header that carries the credentials.
    pub auth_header: String,
    pub create: Route,
    pub list: Route,
    pub archive: Route,
    pub form: CreateForm,
    /// The boolean query parameter of the list operation that asks for creators' emails.
    pub include_email: String,
    pub archive_body: ArchiveBody,
    pub asset: AssetShape,
    /// `None` when the spec has no `create_access_token` operation.
    pub token: Option<TokenExchange>,
}

impl Api {
    /// Parses an OpenAPI 3.0 document.
    pub fn from_yaml(text: &str) -> Result<Api, SandboxError> {
        let root: Value =
            serde_yaml::from_str(text).map_err(|source| SandboxError::SpecSyntax { source })?;
        let doc = Doc { root: &root };
        doc.check_version()?;

        let create = doc.operation(CREATE_OP)?;
        let list = doc.operation(LIST_OP)?;
        let archive = doc.operation(ARCHIVE_OP)?;

        let auth_header = doc.auth_header(&create)?;
        let form = doc.create_form(&create)?;
        let include_email = doc.include_email(&list)?;
        let archive_body = doc.archive_body(&archive)?;
        let asset = doc.asset_shape(&archive)?;
        let token = match doc.find_operation(TOKEN_OP)? {
            Some(op) => Some(doc.token_exchange(&op)?),
            None => None,
        };

        let api = Api {
            auth_header,
            create: doc.route(&create)?,
            list: doc.route(&list)?,
            archive: doc.route(&archive)?,
            form,
            include_email,
            archive_body,
            asset,
            token,
        };
        api.check_routes()?;
        Ok(api)
    }

    /// Routes must not collide with each other or with the sandbox's own `/sandbox/` routes.
    fn check_routes(&self) -> Result<(), SandboxError> {
        let routes = [&self.create, &self.list, &self.archive];
        for (i, a) in routes.iter().enumerate() {
            if a.template.starts_with("/sandbox/") || a.template == "/sandbox" {
                return Err(unsupported(
                    "path",
                    &a.template,
                    "paths under /sandbox are the sandbox's own routes",
                ));
            }
            for b in &routes[i + 1..] {
                if a.template == b.template && a.method == b.method {
                    return Err(unsupported(
                        "path",
                        &a.template,
                        "two of the served operations share this path and method",
                    ));
                }
            }
        }
        if let Some(token) = &self.token {
            if token.path.starts_with("/sandbox/") || token.path == "/sandbox" {
                return Err(unsupported(
                    "path",
                    &token.path,
                    "paths under /sandbox are the sandbox's own routes",
                ));
            }
            if routes
                .iter()
                .any(|r| r.template == token.path && r.method == token.method)
            {
                return Err(unsupported(
                    "path",
                    &token.path,
                    "the token exchange shares this path and method with an asset operation",
                ));
            }
        }
        Ok(())
    }
}

/// An operation found in the document, with its location.
struct Op<'a> {
    id: &'static str,
    path: &'a str,
    method: Method,
    path_item: &'a Value,
    op: &'a Value,
}

impl Op<'_> {
    fn at(&self) -> String {
        format!(
            "paths.{}.{}",
            self.path,
            self.method.as_str().to_lowercase()
        )
    }
}

struct Doc<'a> {
    root: &'a Value,
}

impl<'a> Doc<'a> {
    fn check_version(&self) -> Result<(), SandboxError> {
        let version = self
            .root
            .get("openapi")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("the `openapi` version field", "openapi"))?;
        if !version.starts_with("3.0") {
            return Err(unsupported(
                "`openapi` version",
                "openapi",
                &format!("version {version}; the sandbox reads OpenAPI 3.0 documents"),
            ));
        }
        Ok(())
    }

    /// Follows local `$ref`s until a value that is not a reference.
    fn resolve(&self, mut value: &'a Value, at: &str) -> Result<&'a Value, SandboxError> {
        for _ in 0..32 {
            let Some(reference) = value.get("$ref") else {
                return Ok(value);
            };
            let reference = reference
                .as_str()
                .ok_or_else(|| unsupported("$ref", at, "a `$ref` must be a string"))?;
            let pointer = reference.strip_prefix('#').ok_or_else(|| {
                unsupported(
                    "$ref",
                    at,
                    &format!("`{reference}` is not a local reference (`#/...`)"),
                )
            })?;
            value = self
                .root
                .pointer(pointer)
                .ok_or_else(|| missing(&format!("the target of `$ref: {reference}`"), at))?;
        }
        Err(unsupported("$ref", at, "more than 32 chained references"))
    }

    fn operation(&self, id: &'static str) -> Result<Op<'a>, SandboxError> {
        self.find_operation(id)?
            .ok_or_else(|| missing(&format!("operation `{id}`"), "paths.*.*.operationId"))
    }

    fn find_operation(&self, id: &'static str) -> Result<Option<Op<'a>>, SandboxError> {
        let paths = self
            .root
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| missing("the `paths` object", "paths"))?;
        for (path, item) in paths {
            let item = self.resolve(item, &format!("paths.{path}"))?;
            for method in ["get", "put", "post", "delete", "patch"] {
                let Some(op) = item.get(method) else { continue };
                if op.get("operationId").and_then(Value::as_str) == Some(id) {
                    let method = Method::from_bytes(method.to_uppercase().as_bytes())
                        .expect("a standard method name");
                    return Ok(Some(Op {
                        id,
                        path,
                        method,
                        path_item: item,
                        op,
                    }));
                }
            }
        }
        Ok(None)
    }

    /// Path-level then operation-level parameters, resolved; the later ones win by (name, in).
    fn parameters(&self, op: &Op<'a>) -> Result<Vec<&'a Value>, SandboxError> {
        let mut out: Vec<&'a Value> = Vec::new();
        for source in [op.path_item, op.op] {
            let Some(list) = source.get("parameters").and_then(Value::as_array) else {
                continue;
            };
            for p in list {
                let p = self.resolve(p, &format!("{}.parameters", op.at()))?;
                let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
                out.retain(|q| key(q) != key(p));
                out.push(p);
            }
        }
        Ok(out)
    }

    fn route(&self, op: &Op<'a>) -> Result<Route, SandboxError> {
        let at = op.at();
        let params = template_params(op.path).map_err(|reason| {
            unsupported("path template", &format!("paths.{}", op.path), &reason)
        })?;
        if params.len() != 2 {
            return Err(unsupported(
                "path template",
                &format!("paths.{}", op.path),
                &format!(
                    "it has {} path parameters; the sandbox serves one organization and one workspace, so it needs exactly two",
                    params.len()
                ),
            ));
        }
        let declared = self.parameters(op)?;
        for name in &params {
            let p = declared
                .iter()
                .find(|p| {
                    p.get("in").and_then(Value::as_str) == Some("path")
                        && p.get("name").and_then(Value::as_str) == Some(name)
                })
                .ok_or_else(|| missing(&format!("the path parameter `{name}`"), &at))?;
            let schema = p
                .get("schema")
                .ok_or_else(|| missing(&format!("the schema of path parameter `{name}`"), &at))?;
            let schema = self.resolve(schema, &at)?;
            if schema.get("format").and_then(Value::as_str) != Some("uuid") {
                return Err(unsupported(
                    &format!("path parameter `{name}`"),
                    &at,
                    "the sandbox's organization and workspace are UUIDs; declare `format: uuid`",
                ));
            }
        }
        Ok(Route {
            method: op.method.clone(),
            template: op.path.to_owned(),
            success: self.success_status(op)?,
        })
    }

    /// The lowest 2xx response code the operation declares.
    fn success_status(&self, op: &Op<'a>) -> Result<StatusCode, SandboxError> {
        let at = format!("{}.responses", op.at());
        let responses = op
            .op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| missing("the responses", &at))?;
        responses
            .keys()
            .filter_map(|k| k.parse::<u16>().ok())
            .filter(|c| (200..300).contains(c))
            .min()
            .and_then(|c| StatusCode::from_u16(c).ok())
            .ok_or_else(|| missing("a 2xx response", &at))
    }

    /// The header named by the operation's (or the document's) apiKey security scheme.
    fn auth_header(&self, op: &Op<'a>) -> Result<String, SandboxError> {
        let requirement = op
            .op
            .get("security")
            .or_else(|| self.root.get("security"))
            .and_then(Value::as_array)
            .and_then(|list| list.first())
            .and_then(Value::as_object)
            .and_then(|req| req.keys().next())
            .ok_or_else(|| missing("a security requirement", &format!("{}.security", op.at())))?;
        let at = format!("components.securitySchemes.{requirement}");
        let scheme = self
            .root
            .pointer(&format!("/components/securitySchemes/{requirement}"))
            .ok_or_else(|| missing(&format!("the security scheme `{requirement}`"), &at))?;
        let scheme = self.resolve(scheme, &at)?;
        let field = |name: &str| scheme.get(name).and_then(Value::as_str);
        if field("type") != Some("apiKey") || field("in") != Some("header") {
            return Err(unsupported(
                "security scheme",
                &at,
                "the sandbox checks an `apiKey` scheme sent `in: header`",
            ));
        }
        field("name")
            .map(str::to_owned)
            .ok_or_else(|| missing("the header `name` of the security scheme", &at))
    }

    fn token_exchange(&self, op: &Op<'a>) -> Result<TokenExchange, SandboxError> {
        let at = op.at();
        let params = template_params(op.path).map_err(|reason| {
            unsupported("path template", &format!("paths.{}", op.path), &reason)
        })?;
        if !params.is_empty() {
            return Err(unsupported(
                "path template",
                &format!("paths.{}", op.path),
                "the token exchange takes no path parameters",
            ));
        }
        let (media, body_at) = self.body_media(op, JSON)?;
        let schema = media
            .get("schema")
            .ok_or_else(|| missing("the token request schema", &body_at))?;
        let schema_at = format!("{body_at}.schema");
        let (props, required) = self.object(schema, &schema_at)?;
        let [key_field] = required.as_slice() else {
            return Err(unsupported(
                "token request",
                &schema_at,
                "the sandbox expects exactly one required property, the API key",
            ));
        };
        let key = props
            .iter()
            .find(|(n, _)| n == key_field)
            .map(|(_, p)| *p)
            .ok_or_else(|| missing(&format!("the property `{key_field}`"), &schema_at))?;
        if key.get("type").and_then(Value::as_str) != Some("string") {
            return Err(unsupported(
                &format!("token request property `{key_field}`"),
                &schema_at,
                "the API key must be a string",
            ));
        }

        let success = self.success_status(op)?;
        let response_at = format!("{at}.responses.{}", success.as_u16());
        let response = op
            .op
            .get("responses")
            .and_then(|r| r.get(success.as_str()))
            .ok_or_else(|| missing("the success response", &response_at))?;
        let response = self.resolve(response, &response_at)?;
        let response_schema = response
            .get("content")
            .and_then(|c| c.get(JSON))
            .and_then(|m| m.get("schema"))
            .ok_or_else(|| missing("a JSON response schema", &response_at))?;
        let (response_props, _) = self.object(response_schema, &response_at)?;
        Ok(TokenExchange {
            method: op.method.clone(),
            path: op.path.to_owned(),
            success,
            key_field: (*key_field).to_owned(),
            key_rule: str_rule(key),
            response_props: response_props
                .iter()
                .map(|(n, _)| (*n).to_owned())
                .collect(),
        })
    }

    fn body_media(
        &self,
        op: &Op<'a>,
        media_type: &str,
    ) -> Result<(&'a Value, String), SandboxError> {
        let at = format!("{}.requestBody", op.at());
        let body = op
            .op
            .get("requestBody")
            .ok_or_else(|| missing(&format!("the request body of `{}`", op.id), &at))?;
        let body = self.resolve(body, &at)?;
        let at = format!("{at}.content.{media_type}");
        let media = body
            .get("content")
            .and_then(|c| c.get(media_type))
            .ok_or_else(|| missing(&format!("a `{media_type}` request body"), &at))?;
        Ok((media, at))
    }

    /// A schema's object properties, resolved, with its `required` list.
    #[allow(clippy::type_complexity)]
    fn object(
        &self,
        schema: &'a Value,
        at: &str,
    ) -> Result<(Vec<(&'a str, &'a Value)>, Vec<&'a str>), SandboxError> {
        let schema = self.resolve(schema, at)?;
        let props = schema
            .get("properties")
            .and_then(Value::as_object)
            .ok_or_else(|| missing("the object's `properties`", at))?;
        let mut out = Vec::new();
        for (name, prop) in props {
            out.push((name.as_str(), self.resolve(prop, &format!("{at}.{name}"))?));
        }
        let required = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        Ok((out, required))
    }

    fn create_form(&self, op: &Op<'a>) -> Result<CreateForm, SandboxError> {
        let (media, at) = self.body_media(op, MULTIPART)?;
        let schema = media
            .get("schema")
            .ok_or_else(|| missing("the multipart schema", &at))?;
        let (props, _) = self.object(schema, &format!("{at}.schema"))?;
        let resolved = self.resolve(schema, &format!("{at}.schema"))?;

        // Classify the array properties by the shape of their items.
        let mut text = Vec::new();
        let mut files = Vec::new();
        let mut tags = Vec::new();
        for (name, prop) in &props {
            let prop_at = format!("{at}.schema.{name}");
            if prop.get("type").and_then(Value::as_str) != Some("array") {
                return Err(unsupported(
                    &format!("form field `{name}`"),
                    &prop_at,
                    "every field of the create form must be an array",
                ));
            }
            let items = prop
                .get("items")
                .ok_or_else(|| missing("the array's `items`", &prop_at))?;
            let items = self.resolve(items, &prop_at)?;
            match (
                items.get("type").and_then(Value::as_str),
                items.get("format").and_then(Value::as_str),
            ) {
                (Some("object"), _) => text.push((*name, *prop, items)),
                (Some("string"), Some("binary")) => files.push((*name, *prop)),
                (Some("string"), _) => tags.push((*name, *prop, items)),
                _ => {
                    return Err(unsupported(
                        &format!("form field `{name}`"),
                        &prop_at,
                        "items must be objects (text assets), binary strings (files) or strings (tags)",
                    ));
                }
            }
        }
        let one = |found: usize, what: &str| {
            if found == 1 {
                Ok(())
            } else {
                Err(unsupported(
                    "create form",
                    &format!("{at}.schema"),
                    &format!("expected exactly one array of {what}, found {found}"),
                ))
            }
        };
        one(text.len(), "objects (the text assets)")?;
        one(files.len(), "binary strings (the files)")?;
        one(tags.len(), "plain strings (the tags)")?;
        let (text_field, text_prop, item) = text[0];
        let (files_field, files_prop) = files[0];
        let (tags_field, tags_prop, tag_item) = tags[0];

        // The text item's properties.
        let item_at = format!("{at}.schema.{text_field}.items");
        let (item_props, item_required) = self.object(item, &item_at)?;
        let mut text_props = Vec::new();
        for (name, prop) in &item_props {
            if prop.get("type").and_then(Value::as_str) != Some("string") {
                return Err(unsupported(
                    &format!("text item property `{name}`"),
                    &item_at,
                    "text item properties must be strings",
                ));
            }
            text_props.push(ItemProp {
                name: (*name).to_owned(),
                required: item_required.contains(name),
                rule: str_rule(prop),
            });
        }
        for needed in [ITEM_NAME, ITEM_CONTENT] {
            if !text_props.iter().any(|p| p.name == needed) {
                return Err(missing(
                    &format!("the text item property `{needed}` (copied onto the asset)"),
                    &item_at,
                ));
            }
        }

        // The encoding object.
        let enc_at = format!("{at}.encoding");
        let encoding = media.get("encoding");
        let text_enc = encoding.and_then(|e| e.get(text_field));
        let style = match text_enc
            .and_then(|e| e.get("x-form-style"))
            .map(|s| s.as_str())
        {
            None => FormStyle::JsonParts,
            Some(Some("json-parts")) => FormStyle::JsonParts,
            Some(Some("drf-indexed")) => FormStyle::DrfIndexed,
            Some(other) => {
                return Err(unsupported(
                    &format!("encoding.{text_field}.x-form-style"),
                    &enc_at,
                    &format!("{other:?} is neither `json-parts` nor `drf-indexed`"),
                ));
            }
        };
        let text_part_type = text_enc
            .and_then(|e| e.get("contentType"))
            .and_then(Value::as_str)
            .map(|t| t.trim().to_ascii_lowercase());
        let accepted: Vec<String> = encoding
            .and_then(|e| e.get(files_field))
            .and_then(|e| e.get("contentType"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                missing(
                    &format!(
                        "the accepted file media types (`encoding.{files_field}.contentType`)"
                    ),
                    &enc_at,
                )
            })?
            .split(',')
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if accepted.is_empty() || accepted.iter().any(|t| t.contains('*')) {
            return Err(unsupported(
                &format!("encoding.{files_field}.contentType"),
                &enc_at,
                "list the accepted media types explicitly, comma-separated, without wildcards",
            ));
        }

        // Without the extension an empty request would still have nothing to create.
        let at_least_one_of = match resolved.get("x-at-least-one-of") {
            None => vec![text_field.to_owned(), files_field.to_owned()],
            Some(list) => {
                let names: Option<Vec<String>> = list.as_array().map(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                });
                match names {
                    Some(names)
                        if !names.is_empty()
                            && names.len() == list.as_array().map_or(0, Vec::len)
                            && names.iter().all(|n| props.iter().any(|(p, _)| p == n)) =>
                    {
                        names
                    }
                    _ => {
                        return Err(unsupported(
                            "x-at-least-one-of",
                            &format!("{at}.schema"),
                            "it must list one or more property names of the form",
                        ));
                    }
                }
            }
        };

        Ok(CreateForm {
            at_least_one_of,
            text_field: text_field.to_owned(),
            text_items: count_rule(text_prop),
            text_props,
            text_part_type,
            style,
            files_field: files_field.to_owned(),
            files_items: count_rule(files_prop),
            accepted,
            tags_field: tags_field.to_owned(),
            tags_items: count_rule(tags_prop),
            tag_rule: str_rule(tag_item),
        })
    }

    /// The list operation's only boolean query parameter.
    fn include_email(&self, op: &Op<'a>) -> Result<String, SandboxError> {
        let mut found = Vec::new();
        for p in self.parameters(op)? {
            if p.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            let schema = match p.get("schema") {
                Some(s) => self.resolve(s, &op.at())?,
                None => continue,
            };
            if schema.get("type").and_then(Value::as_str) == Some("boolean")
                && let Some(name) = p.get("name").and_then(Value::as_str)
            {
                found.push(name.to_owned());
            }
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(missing(
                "a boolean query parameter (include the creator's email)",
                &format!("{}.parameters", op.at()),
            )),
            n => Err(unsupported(
                "query parameters",
                &format!("{}.parameters", op.at()),
                &format!("{n} boolean query parameters; the sandbox knows one (include email)"),
            )),
        }
    }

    fn archive_body(&self, op: &Op<'a>) -> Result<ArchiveBody, SandboxError> {
        let (media, at) = self.body_media(op, JSON)?;
        let schema = media
            .get("schema")
            .ok_or_else(|| missing("the JSON body schema", &at))?;
        let (props, required) = self.object(schema, &format!("{at}.schema"))?;
        let arrays: Vec<_> = props
            .iter()
            .filter(|(_, p)| p.get("type").and_then(Value::as_str) == Some("array"))
            .collect();
        if props.len() != 1 || arrays.len() != 1 {
            return Err(unsupported(
                "archive body",
                &format!("{at}.schema"),
                "the sandbox expects one property, an array of asset ids",
            ));
        }
        let (name, prop) = arrays[0];
        Ok(ArchiveBody {
            ids_field: (*name).to_owned(),
            required: required.contains(name),
            items: count_rule(prop),
        })
    }

    /// The asset schema, found as the archive operation's success response.
    fn asset_shape(&self, op: &Op<'a>) -> Result<AssetShape, SandboxError> {
        let status = self.success_status(op)?;
        let at = format!("{}.responses.{}", op.at(), status.as_u16());
        let response = op
            .op
            .get("responses")
            .and_then(|r| r.get(status.as_str()))
            .ok_or_else(|| missing("the success response", &at))?;
        let response = self.resolve(response, &at)?;
        let schema = response
            .get("content")
            .and_then(|c| c.get(JSON))
            .and_then(|m| m.get("schema"))
            .ok_or_else(|| missing("the JSON schema of the success response (the asset)", &at))?;
        let (props, required) = self.object(schema, &format!("{at}.schema"))?;

        let properties: Vec<String> = props.iter().map(|(n, _)| (*n).to_owned()).collect();
        // A property the sandbox cannot fill is left out of its answers, as an optional one may
        // be; a required one it cannot leave out, so that needs code (FILLABLE_ASSET_PROPERTIES).
        let unknown: Vec<&str> = properties
            .iter()
            .map(String::as_str)
            .filter(|p| !FILLABLE_ASSET_PROPERTIES.contains(p))
            .collect();
        if let Some(property) = unknown.iter().find(|p| required.contains(*p)) {
            return Err(unsupported(
                "asset schema",
                &format!("{at}.schema.properties.{property}"),
                &format!(
                    "`{property}` is required but the sandbox does not know how to fill it; make \
                     it optional, or teach the sandbox (FILLABLE_ASSET_PROPERTIES and \
                     StoredAsset::to_json in the sandbox crate)"
                ),
            ));
        }
        if !unknown.is_empty() {
            tracing::info!(
                properties = %unknown.join(", "),
                "the sandbox leaves out asset properties it does not know how to fill"
            );
        }
        let declared: BTreeSet<&str> = properties.iter().map(String::as_str).collect();
        if let Some(r) = required.iter().find(|r| !declared.contains(**r)) {
            return Err(missing(
                &format!("the required asset property `{r}`"),
                &format!("{at}.schema.properties"),
            ));
        }

        let find = |name: &str| props.iter().find(|(n, _)| *n == name).map(|(_, p)| *p);
        let content_types: Vec<String> = find("content_type")
            .and_then(|p| p.get("enum"))
            .and_then(Value::as_array)
            .map(|e| {
                e.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if !content_types.iter().any(|t| t == "text") {
            return Err(missing(
                "the `text` value of the asset's `content_type` enum (documents map to it)",
                &format!("{at}.schema.content_type"),
            ));
        }
        Ok(AssetShape {
            properties,
            content_types,
            name_max_len: find("name").and_then(|p| str_rule(p).max_len),
        })
    }
}

fn usize_field(schema: &Value, name: &str) -> Option<usize> {
    schema
        .get(name)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

fn str_rule(schema: &Value) -> StrRule {
    StrRule {
        min_len: usize_field(schema, "minLength"),
        max_len: usize_field(schema, "maxLength"),
    }
}

fn count_rule(schema: &Value) -> CountRule {
    CountRule {
        min_items: usize_field(schema, "minItems"),
        max_items: usize_field(schema, "maxItems"),
    }
}

/// Parameter names of a path template; each `{name}` must be a whole segment (axum's rule).
fn template_params(template: &str) -> Result<Vec<String>, String> {
    if !template.starts_with('/') {
        return Err("a path must start with `/`".to_owned());
    }
    let mut params = Vec::new();
    for segment in template.split('/').skip(1) {
        let braces = segment.contains('{') || segment.contains('}');
        if !braces {
            continue;
        }
        let name = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|n| !n.is_empty() && !n.contains(['{', '}', '*']))
            .ok_or_else(|| {
                format!("segment `{segment}`: a parameter must fill a whole segment, as `{{name}}`")
            })?;
        params.push(name.to_owned());
    }
    Ok(params)
}

fn missing(what: &str, location: &str) -> SandboxError {
    SandboxError::SpecMissing {
        what: what.to_owned(),
        location: location.to_owned(),
    }
}

fn unsupported(what: &str, location: &str, reason: &str) -> SandboxError {
    SandboxError::SpecUnsupported {
        what: what.to_owned(),
        location: location.to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_workspace_spec() {
        let api = Api::from_yaml(DEFAULT_SPEC).unwrap();
        assert_eq!(api.auth_header, "Authorization");
        let token = api.token.as_ref().unwrap();
        assert_eq!(
            (token.method.as_str(), token.path.as_str()),
            ("POST", "/v1/auth/token")
        );
        assert_eq!(token.key_field, "api_key");
        assert_eq!(token.key_rule.min_len, Some(1));
        for name in ["access", "access_token", "token", "expires_in"] {
            assert!(token.response_props.iter().any(|p| p == name), "{name}");
        }
        assert_eq!(api.form.text_field, "assets");
        assert_eq!(api.form.files_field, "files");
        assert_eq!(api.form.tags_field, "tags");
        assert_eq!(api.form.text_items.min_items, Some(1));
        assert_eq!(api.form.text_items.max_items, Some(10));
        assert_eq!(api.form.tag_rule.max_len, Some(255));
        assert_eq!(api.form.style, FormStyle::JsonParts);
        assert_eq!(api.form.at_least_one_of, ["assets", "files"]);
        assert_eq!(api.form.text_part_type.as_deref(), Some("application/json"));
        assert_eq!(api.form.accepted.len(), 10);
        assert!(
            api.form
                .accepts("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(api.include_email, "include_email");
        assert_eq!(api.archive_body.ids_field, "assets_ids");
        assert!(api.archive_body.required);
        assert_eq!(api.archive_body.items.min_items, Some(1));
        assert_eq!(api.create.success, StatusCode::CREATED);
        assert_eq!(api.archive.success, StatusCode::OK);
        assert_eq!(
            api.create.template,
            "/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets"
        );
        assert_eq!(api.asset.name_max_len, Some(255));
        let name = api
            .form
            .text_props
            .iter()
            .find(|p| p.name == "name")
            .unwrap();
        assert!(name.required);
        assert_eq!((name.rule.min_len, name.rule.max_len), (Some(1), Some(255)));
    }

    #[test]
    fn names_a_missing_operation() {
        let text = DEFAULT_SPEC.replace("operationId: archive_assets", "operationId: other");
        let err = Api::from_yaml(&text).unwrap_err();
        assert!(err.to_string().contains("archive_assets"), "{err}");
    }

    #[test]
    fn names_a_missing_encoding() {
        let text = DEFAULT_SPEC.replace("            encoding:\n", "            x-not-encoding:\n");
        let err = Api::from_yaml(&text).unwrap_err();
        assert!(
            matches!(&err, SandboxError::SpecMissing { what, .. } if what.contains("encoding.files.contentType")),
            "{err}"
        );
    }

    #[test]
    fn rejects_an_unknown_form_style() {
        let text = DEFAULT_SPEC.replace("x-form-style: json-parts", "x-form-style: csv");
        let err = Api::from_yaml(&text).unwrap_err();
        assert!(err.to_string().contains("x-form-style"), "{err}");
    }

    #[test]
    fn reads_at_least_one_of() {
        let text = DEFAULT_SPEC.replace(
            "x-at-least-one-of: [assets, files]",
            "x-at-least-one-of: [files]",
        );
        assert_eq!(
            Api::from_yaml(&text).unwrap().form.at_least_one_of,
            ["files"]
        );
        let text = DEFAULT_SPEC.replace(
            "x-at-least-one-of: [assets, files]",
            "x-at-least-one-of: [colour]",
        );
        let err = Api::from_yaml(&text).unwrap_err();
        assert!(err.to_string().contains("x-at-least-one-of"), "{err}");
    }

    #[test]
    fn rejects_partial_segment_parameters() {
        assert!(template_params("/a/{b}/c").is_ok());
        assert!(template_params("/a/x{b}").is_err());
    }
}
