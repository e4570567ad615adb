//! Routes, the recording middleware and the handlers.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, RawPathParams, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, get};
use axum::{Extension, Json};
use chrono::Utc;
use serde_json::Value;
use tempfile::TempDir;
use uuid::Uuid;

use crate::ResponseShape;
use crate::create::{self, NewAsset, ReadError, Received, Uploads, essence};
use crate::drf::{self, Errors};
use crate::fault::{self, FaultQueues};
use crate::record::{AuthorizationSeen, CredentialSeen, REDACTED, RecordedRequest, Slot};
use crate::spec::{self, Api};
use crate::store::StoredAsset;
use crate::token::{self, TokenField, TokenState, Tokens};

/// Where the sandbox serves stored bytes; not part of the API, never recorded.
pub(crate) const CONTENT_PREFIX: &str = "/sandbox/content/";

/// Shared by the handlers and the [`crate::Sandbox`] handle.
pub(crate) struct Shared {
    pub api: Api,
    pub api_key: String,
    pub organization_id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Uuid,
    pub user_email: String,
    pub response_shape: ResponseShape,
    pub base_url: String,
    pub dir: TempDir,
    pub data: Mutex<Data>,
    pub token_field: TokenField,
    pub token_ttl: Duration,
    pub token_expires_in: bool,
    /// Apart from `data`: redaction reads it, sometimes while `data` is held.
    pub tokens: Mutex<Tokens>,
    pub faults: Mutex<FaultQueues>,
}

#[derive(Default)]
pub(crate) struct Data {
    pub requests: Vec<RecordedRequest>,
    pub assets: Vec<StoredAsset>,
    pub created: usize,
}

impl Shared {
    pub fn data(&self) -> MutexGuard<'_, Data> {
        // A panicking handler must not take the recordings down with it.
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn tokens(&self) -> MutexGuard<'_, Tokens> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn faults(&self) -> MutexGuard<'_, FaultQueues> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces the key and every issued token wherever a client may have put them, before
    /// anything is kept or logged.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut out = if self.api_key.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.api_key, REDACTED)
        };
        for token in self.tokens().iter() {
            if out.contains(token) {
                out = out.replace(token, REDACTED);
            }
        }
        out
    }
}

type St = Arc<Shared>;

pub(crate) fn router(shared: St) -> Router {
    let api = &shared.api;
    // Create and list share a path in the spec; one path may carry several methods.
    let mut routes: Vec<(String, MethodRouter<St>)> = Vec::new();
    let mut served = vec![
        (
            &api.create.template,
            faulty(&shared, spec::CREATE_OP, on(&api.create.method, create)),
        ),
        (
            &api.list.template,
            faulty(&shared, spec::LIST_OP, on(&api.list.method, list)),
        ),
        (
            &api.archive.template,
            faulty(&shared, spec::ARCHIVE_OP, on(&api.archive.method, archive)),
        ),
    ];
    if let Some(exchange) = &api.token {
        served.push((
            &exchange.path,
            faulty(
                &shared,
                spec::TOKEN_OP,
                on(&exchange.method, token::exchange),
            ),
        ));
    }
    for (template, method_router) in served {
        match routes.iter().position(|(t, _)| t == template) {
            Some(i) => {
                let (t, existing) = routes.remove(i);
                routes.push((t, existing.merge(method_router)));
            }
            None => routes.push((template.clone(), method_router)),
        }
    }

    let mut router = Router::new();
    for (template, method_router) in routes {
        router = router.route(&template, method_router);
    }
    router
        .route(&format!("{CONTENT_PREFIX}{{id}}"), get(content))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Files are streamed to disk; the body size is the client's business.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(shared.clone(), record))
        .with_state(shared)
}

/// Puts the fault injector in front of an operation's handler (not its 405 fallback).
fn faulty(shared: &St, operation: &'static str, route: MethodRouter<St>) -> MethodRouter<St> {
    route.route_layer(middleware::from_fn_with_state(
        fault::Injector {
            shared: shared.clone(),
            operation,
        },
        fault::inject,
    ))
}

fn on<H, T>(method: &Method, handler: H) -> MethodRouter<St>
where
    H: axum::handler::Handler<T, St>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone())
        .expect("the spec loader only finds standard methods");
    axum::routing::on(filter, handler)
}

/// Records every request outside `/sandbox/`, and logs one line per request.
async fn record(State(shared): State<St>, mut request: Request, next: Next) -> Response {
    let slot = Slot::default();
    request.extensions_mut().insert(slot.clone());
    let path = request.uri().path().to_owned();
    if path.starts_with("/sandbox/") {
        return next.run(request).await;
    }

    let started = Instant::now();
    let headers = request.headers();
    let (authorization, credential) = credentials_seen(&shared, headers);
    let recorded_headers = headers
        .iter()
        .map(|(n, v)| {
            let value = if n.as_str().eq_ignore_ascii_case(&shared.api.auth_header) {
                redact_credentials(v)
            } else {
                shared.redact(&String::from_utf8_lossy(v.as_bytes()))
            };
            (n.as_str().to_owned(), value)
        })
        .collect();
    let content_length = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let chunked = headers
        .get_all(TRANSFER_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("chunked"))
        });
    let draft = RecordedRequest {
        method: request.method().to_string(),
        path: shared.redact(&path),
        query: request.uri().query().map(|q| shared.redact(q)),
        http_version: format!("{:?}", request.version()),
        headers: recorded_headers,
        authorization,
        credential,
        content_length,
        chunked,
        operation: None,
        status: 0,
        parts: None,
        body: None,
        response: None,
        fault: None,
    };
    slot.with(|d| d.draft = Some((draft, started)));

    // Records the request even if this future is dropped before it answers (the client went
    // away mid-handler, or the server shut down).
    let unfinished = Unfinished {
        shared: &shared,
        slot: &slot,
    };
    let response = next.run(request).await;
    finish(&shared, &slot, response.status().as_u16());
    drop(unfinished);
    response
}

struct Unfinished<'a> {
    shared: &'a Shared,
    slot: &'a Slot,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        finish(self.shared, self.slot, 0);
    }
}

/// Completes the request's record with what the handlers noted and keeps it. Only the first call
/// per request does anything; `status` 0 means no response was sent.
pub(crate) fn finish(shared: &Shared, slot: &Slot, status: u16) {
    let Some((mut request, started)) = slot.with(|d| {
        let (mut request, started) = d.draft.take()?;
        request.operation = d.operation.take();
        request.parts = d.parts.take();
        request.body = d.body.take();
        request.response = d.response.take();
        request.fault = d.fault.take();
        Some((request, started))
    }) else {
        return;
    };
    request.status = status;
    tracing::debug!(
        operation = request.operation.as_deref().unwrap_or("-"),
        method = %request.method,
        path = %request.path,
        status,
        fault = request.fault.as_deref().unwrap_or("-"),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    shared.data().requests.push(request);
}

/// `<redacted>`, or `Bearer <redacted>` so the scheme stays visible.
fn redact_credentials(value: &HeaderValue) -> String {
    let text = String::from_utf8_lossy(value.as_bytes());
    match text.split_once(' ') {
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("bearer") => {
            format!("{scheme} {REDACTED}")
        }
        _ => REDACTED.to_owned(),
    }
}

/// How the credentials were sent, and which secret they carried. A token counts only as
/// `Bearer <token>`, the way Simple JWT reads it.
fn credentials_seen(shared: &Shared, headers: &HeaderMap) -> (AuthorizationSeen, CredentialSeen) {
    let Some(value) = headers.get(shared.api.auth_header.as_str()) else {
        return (AuthorizationSeen::Missing, CredentialSeen::Missing);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text.is_empty() {
        return (AuthorizationSeen::Missing, CredentialSeen::Missing);
    }
    let (bearer, secret) = match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => (true, token.trim()),
        _ => (false, text),
    };
    let credential = if secret == shared.api_key {
        CredentialSeen::ApiKey
    } else {
        match shared.tokens().state(secret) {
            TokenState::Live => CredentialSeen::Token,
            TokenState::Expired => CredentialSeen::ExpiredToken,
            TokenState::Unknown => CredentialSeen::Unknown,
        }
    };
    let valid =
        credential == CredentialSeen::ApiKey || (bearer && credential == CredentialSeen::Token);
    let authorization = if bearer {
        AuthorizationSeen::Bearer { valid }
    } else {
        AuthorizationSeen::Raw { valid }
    };
    (authorization, credential)
}

/// A JSON reply, noted for the recording.
pub(crate) fn reply(slot: &Slot, status: StatusCode, body: Value) -> Response {
    slot.with(|d| d.response = Some(body.clone()));
    (status, Json(body)).into_response()
}

/// A JSON request body, recorded (redacted) in the slot; a 415 or a DRF-style 400 otherwise.
// The error is the answer itself, returned at once by the handler: no need to box it.
#[allow(clippy::result_large_err)]
pub(crate) fn json_body(
    shared: &Shared,
    slot: &Slot,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, Response> {
    slot.with(|d| d.body = Some(shared.redact(&String::from_utf8_lossy(body))));
    let sent_type = headers
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    if essence(&sent_type) != "application/json" {
        return Err(reply(
            slot,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            drf::unsupported_media_type(&sent_type),
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        reply(
            slot,
            StatusCode::BAD_REQUEST,
            drf::detail(format!("JSON parse error - {e}")),
        )
    })
}

/// The checks every API route shares, in Django's order: the URL pattern (UUIDs) first, then
/// authentication, then the organization and workspace lookup. `Some` is the rejection.
fn gate(
    shared: &Shared,
    slot: &Slot,
    operation: &str,
    params: &RawPathParams,
    headers: &HeaderMap,
) -> Option<Response> {
    slot.with(|d| d.operation = Some(operation.to_owned()));
    // Django's `<uuid:...>` converter matches only the lowercase hyphenated form.
    let ids: Vec<Option<Uuid>> = params
        .iter()
        .map(|(_, v)| {
            Uuid::try_parse(v)
                .ok()
                .filter(|u| u.hyphenated().to_string() == v)
        })
        .collect();
    if ids.iter().any(Option::is_none) {
        return Some(reply(
            slot,
            StatusCode::NOT_FOUND,
            drf::detail(drf::NOT_FOUND),
        ));
    }
    match credentials_seen(shared, headers) {
        (AuthorizationSeen::Missing, _) => {
            return Some(reply(
                slot,
                StatusCode::UNAUTHORIZED,
                drf::detail(drf::NO_CREDENTIALS),
            ));
        }
        (AuthorizationSeen::Bearer { valid: false }, CredentialSeen::ExpiredToken) => {
            return Some(reply(
                slot,
                StatusCode::UNAUTHORIZED,
                drf::token_not_valid(),
            ));
        }
        (
            AuthorizationSeen::Raw { valid: false } | AuthorizationSeen::Bearer { valid: false },
            _,
        ) => {
            return Some(reply(
                slot,
                StatusCode::UNAUTHORIZED,
                drf::detail(drf::INVALID_TOKEN),
            ));
        }
        _ => {}
    }
    if ids != [Some(shared.organization_id), Some(shared.workspace_id)] {
        return Some(reply(
            slot,
            StatusCode::NOT_FOUND,
            drf::detail(drf::NOT_FOUND),
        ));
    }
    None
}

async fn create(
    State(shared): State<St>,
    Extension(slot): Extension<Slot>,
    params: RawPathParams,
    request: Request,
) -> Response {
    if let Some(r) = gate(&shared, &slot, spec::CREATE_OP, &params, request.headers()) {
        return r;
    }
    let sent_type = request
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    if essence(&sent_type) != "multipart/form-data" {
        return reply(
            &slot,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            drf::unsupported_media_type(&sent_type),
        );
    }
    let mut multipart = match Multipart::from_request(request, &()).await {
        Ok(m) => m,
        Err(_) => {
            return reply(
                &slot,
                StatusCode::BAD_REQUEST,
                drf::detail(format!(
                    "Multipart form parse error - Invalid boundary for multipart/form-data: {sent_type:?}"
                )),
            );
        }
    };

    let form = &shared.api.form;
    let mut uploads = Uploads::default();
    let mut parts: Vec<Received> = Vec::new();
    let read = create::read_parts(
        &mut multipart,
        form,
        shared.dir.path(),
        &mut uploads,
        &mut parts,
    )
    .await;
    slot.with(|d| d.parts = Some(parts.iter().map(|p| redact_part(&shared, p)).collect()));
    match read {
        Ok(()) => {}
        Err(ReadError::Multipart(e)) => {
            return reply(
                &slot,
                StatusCode::BAD_REQUEST,
                drf::detail(format!("Multipart form parse error - {e}")),
            );
        }
        Err(ReadError::Io(e)) => {
            tracing::error!(error = %e, "could not store an uploaded file");
            return reply(
                &slot,
                StatusCode::INTERNAL_SERVER_ERROR,
                drf::detail(format!("The sandbox could not store the file: {e}")),
            );
        }
    }

    let (new_assets, tags) = match create::validate(form, &shared.api.asset, &parts) {
        Ok(ok) => ok,
        Err(errors) => return bad_request(&slot, errors),
    };
    let dry_run = slot.dry_run();
    if !dry_run {
        uploads.keep();
    }

    let created = store(&shared, new_assets, &tags, dry_run);
    let properties = &shared.api.asset.properties;
    let mut json: Vec<Value> = created
        .iter()
        .map(|a| a.to_json(properties, false))
        .collect();
    let body = match (shared.response_shape, json.len()) {
        (ResponseShape::AlwaysArray, _) => Value::Array(json),
        (ResponseShape::Auto, 1) | (ResponseShape::AlwaysObject, _) => json.swap_remove(0),
        (ResponseShape::Auto, _) => Value::Array(json),
    };
    reply(&slot, shared.api.create.success, body)
}

fn redact_part(shared: &Shared, part: &Received) -> crate::RecordedPart {
    let mut record = part.record.clone();
    record.text = record.text.map(|t| shared.redact(&t));
    record
}

fn bad_request(slot: &Slot, errors: Errors) -> Response {
    reply(slot, StatusCode::BAD_REQUEST, errors.into_value())
}

/// Adds the validated assets to the store (unless `dry_run`) and returns them.
fn store(
    shared: &Shared,
    new_assets: Vec<NewAsset>,
    tags: &[String],
    dry_run: bool,
) -> Vec<StoredAsset> {
    let now = Utc::now();
    let mut created = Vec::new();
    for new in new_assets {
        let id = Uuid::new_v4();
        let content_url = format!("{}{CONTENT_PREFIX}{id}", shared.base_url);
        let mut asset = StoredAsset {
            id,
            name: String::new(),
            content_url: content_url.clone(),
            content_type: String::new(),
            content: String::new(),
            created_by_email: shared.user_email.clone(),
            thumbnail_url: String::new(),
            is_archived: false,
            is_deleted: false,
            tags: tags.to_vec(),
            created_at: now,
            created_by: shared.user_id,
            media_type: String::new(),
            file_name: None,
            size: 0,
            sha256: String::new(),
            path: None,
        };
        match new {
            NewAsset::Text { name, content } => {
                use sha2::Digest;
                asset.size = content.len() as u64;
                asset.sha256 = crate::record::hex(&sha2::Sha256::digest(content.as_bytes()));
                asset.name = name;
                asset.content = content;
                asset.content_type = "text".to_owned();
                asset.media_type = "text/plain; charset=utf-8".to_owned();
            }
            NewAsset::File {
                path,
                file_name,
                media_type,
                content_type,
                size,
                sha256,
            } => {
                if content_type == "image" {
                    asset.thumbnail_url = content_url;
                }
                asset.name = file_name.clone();
                asset.file_name = Some(file_name);
                asset.content_type = content_type;
                asset.media_type = media_type;
                asset.size = size;
                asset.sha256 = sha256;
                asset.path = Some(path);
            }
        }
        created.push(asset);
    }
    if !dry_run {
        let mut data = shared.data();
        data.assets.extend(created.iter().cloned());
        data.created += created.len();
    }
    created
}

async fn list(
    State(shared): State<St>,
    Extension(slot): Extension<Slot>,
    params: RawPathParams,
    headers: HeaderMap,
    request: Request,
) -> Response {
    if let Some(r) = gate(&shared, &slot, spec::LIST_OP, &params, &headers) {
        return r;
    }
    let name = &shared.api.include_email;
    // The last occurrence wins, as Django's QueryDict.get does.
    let raw = query_pairs(request.uri().query().unwrap_or_default())
        .into_iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v);
    let include_email = match raw.as_deref() {
        None => false,
        Some(v) => match parse_bool(v) {
            Some(b) => b,
            None => {
                let mut errors = Errors::default();
                errors.field(name, drf::NOT_A_BOOLEAN);
                return bad_request(&slot, errors);
            }
        },
    };
    let properties = &shared.api.asset.properties;
    let body: Vec<Value> = shared
        .data()
        .assets
        .iter()
        .filter(|a| !a.is_deleted)
        .map(|a| a.to_json(properties, include_email))
        .collect();
    reply(&slot, shared.api.list.success, Value::Array(body))
}

/// DRF's BooleanField spellings.
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" | "1" | "on" | "yes" => Some(true),
        "false" | "False" | "FALSE" | "0" | "off" | "no" => Some(false),
        _ => None,
    }
}

/// `a=1&b=x%20y` → decoded pairs (`+` is a space).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = crate::disposition::percent_decode(s.replace('+', " ").as_bytes());
        String::from_utf8_lossy(&bytes).into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

async fn archive(
    State(shared): State<St>,
    Extension(slot): Extension<Slot>,
    params: RawPathParams,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = gate(&shared, &slot, spec::ARCHIVE_OP, &params, &headers) {
        return r;
    }
    let value = match json_body(&shared, &slot, &headers, &body) {
        Ok(value) => value,
        Err(response) => return response,
    };

    let rules = &shared.api.archive_body;
    let field = rules.ids_field.as_str();
    let mut errors = Errors::default();
    let Value::Object(object) = value else {
        errors.field("non_field_errors", drf::not_a_dict(&value));
        return bad_request(&slot, errors);
    };
    for key in object.keys().filter(|k| *k != field) {
        errors.field(
            key,
            format!("Unknown field; this operation takes `{field}`."),
        );
    }
    let ids = match object.get(field) {
        None if rules.required => {
            errors.field(field, drf::REQUIRED);
            Vec::new()
        }
        None => Vec::new(),
        Some(Value::Array(ids)) => ids.clone(),
        Some(Value::Null) => {
            errors.field(field, drf::NULL);
            Vec::new()
        }
        Some(other) => {
            errors.field(field, drf::not_a_list(other));
            Vec::new()
        }
    };
    if !errors.has(field) {
        if let Some(max) = rules.items.max_items.filter(|&m| ids.len() > m) {
            errors.field(field, drf::max_items(max));
        } else if let Some(min) = rules.items.min_items.filter(|&m| ids.len() < m) {
            errors.field(field, drf::min_items(min));
        }
    }

    let mut data = shared.data();
    let mut found = Vec::new();
    if !errors.has(field) {
        for id in &ids {
            let Some(text) = id.as_str() else {
                errors.field(field, drf::incorrect_pk_type(id));
                continue;
            };
            let index = Uuid::try_parse(text)
                .ok()
                .and_then(|u| data.assets.iter().position(|a| a.id == u && !a.is_deleted));
            match index {
                Some(i) => found.push(i),
                None => errors.field(field, drf::invalid_pk(&shared.redact(text))),
            }
        }
    }
    if !errors.is_empty() {
        drop(data);
        return bad_request(&slot, errors);
    }
    if !slot.dry_run() {
        for &i in &found {
            data.assets[i].is_archived = true;
        }
    }
    // What the store holds after archiving, even in a dry run that leaves it untouched.
    let first = found.first().map(|&i| {
        let mut asset = data.assets[i].clone();
        asset.is_archived = true;
        asset.to_json(&shared.api.asset.properties, false)
    });
    drop(data);
    match first {
        Some(asset) => reply(&slot, shared.api.archive.success, asset),
        // Only reachable when the spec drops minItems: nothing was asked, nothing to show.
        None => reply(&slot, shared.api.archive.success, Value::Null),
    }
}

/// `GET /sandbox/content/{id}`: the stored bytes, streamed, with their media type.
async fn content(
    State(shared): State<St>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let asset = Uuid::try_parse(&id)
        .ok()
        .and_then(|id| shared.data().assets.iter().find(|a| a.id == id).cloned());
    let Some(asset) = asset else {
        return (StatusCode::NOT_FOUND, Json(drf::detail(drf::NOT_FOUND))).into_response();
    };
    let body = match &asset.path {
        Some(path) => match file_body(path).await {
            Ok(body) => body,
            Err(e) => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(drf::detail(format!(
                        "The sandbox could not read the file: {e}"
                    ))),
                )
                    .into_response();
            }
        },
        None => Body::from(asset.content.clone()),
    };
    Response::builder()
        .header(CONTENT_TYPE, asset.media_type.as_str())
        .header(CONTENT_LENGTH, asset.size)
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn file_body(path: &Path) -> std::io::Result<Body> {
    let file = tokio::fs::File::open(path).await?;
    Ok(Body::from_stream(
        tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024),
    ))
}

async fn not_found(Extension(slot): Extension<Slot>) -> Response {
    reply(&slot, StatusCode::NOT_FOUND, drf::detail(drf::NOT_FOUND))
}

async fn method_not_allowed(Extension(slot): Extension<Slot>, method: Method) -> Response {
    reply(
        &slot,
        StatusCode::METHOD_NOT_ALLOWED,
        drf::method_not_allowed(method.as_str()),
    )
}
