//! The create operation: reading the multipart body, then validating it against the spec.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::disposition;
use crate::drf::{self, Errors};
use crate::record::{RecordedPart, hex};
use crate::spec::{self, AssetShape, CountRule, CreateForm, FormStyle, ItemProp};

/// Non-file parts are held in memory; past this size the part is refused.
const MAX_TEXT_PART: usize = 16 * 1024 * 1024;

/// How much of a file is kept for content sniffing (enough for OOXML detection).
const SNIFF_PREFIX: usize = 64 * 1024;

/// The media type a part without one (or with the generic one) is sniffed from.
const GENERIC_MEDIA_TYPE: &str = "application/octet-stream";

const NON_FIELD: &str = "non_field_errors";

/// A part as read, with its recording.
pub(crate) struct Received {
    pub record: RecordedPart,
    pub body: PartBody,
}

pub(crate) enum PartBody {
    /// A non-file part, in memory.
    Text(Vec<u8>),
    /// A non-file part over [`MAX_TEXT_PART`]; only its hash and length were kept.
    TooLarge,
    /// A file part, streamed to disk.
    File { path: PathBuf, prefix: Vec<u8> },
}

/// Temporary files of one request; removed unless the request succeeds.
#[derive(Default)]
pub(crate) struct Uploads {
    paths: Vec<PathBuf>,
}

impl Uploads {
    pub fn keep(mut self) {
        self.paths.clear();
    }
}

impl Drop for Uploads {
    fn drop(&mut self) {
        for p in &self.paths {
            let _ = std::fs::remove_file(p);
        }
    }
}

pub(crate) enum ReadError {
    /// The multipart stream itself is broken (bad boundary, truncated body...).
    Multipart(MultipartError),
    /// Writing a file part to the temporary directory failed.
    Io(std::io::Error),
}

/// Reads every part, streaming file parts to `dir`. Parts read before an error stay in `out`.
pub(crate) async fn read_parts(
    multipart: &mut Multipart,
    form: &CreateForm,
    dir: &Path,
    uploads: &mut Uploads,
    out: &mut Vec<Received>,
) -> Result<(), ReadError> {
    while let Some(mut field) = multipart.next_field().await.map_err(ReadError::Multipart)? {
        let headers: Vec<(String, String)> = field
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let raw_disposition = field.headers().get(CONTENT_DISPOSITION);
        let disposition = raw_disposition
            .map(|v| disposition::parse(v.as_bytes()))
            .unwrap_or_default();
        let content_type = field
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let mut record = RecordedPart {
            content_disposition: raw_disposition
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            name: disposition.name,
            filename: disposition.filename,
            content_type,
            headers,
            length: 0,
            sha256: String::new(),
            text: None,
        };

        let mut hasher = Sha256::new();
        let mut length = 0u64;
        let is_file = record.name.as_deref() == Some(form.files_field.as_str());
        let body = if is_file {
            let path = dir.join(format!("{}.upload", Uuid::new_v4().simple()));
            uploads.paths.push(path.clone());
            let mut file = tokio::fs::File::create(&path)
                .await
                .map_err(ReadError::Io)?;
            let mut prefix = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(ReadError::Multipart)? {
                hasher.update(&chunk);
                length += chunk.len() as u64;
                let room = SNIFF_PREFIX.saturating_sub(prefix.len());
                prefix.extend_from_slice(&chunk[..room.min(chunk.len())]);
                file.write_all(&chunk).await.map_err(ReadError::Io)?;
            }
            file.flush().await.map_err(ReadError::Io)?;
            PartBody::File { path, prefix }
        } else {
            let mut bytes = Vec::new();
            let mut too_large = false;
            while let Some(chunk) = field.chunk().await.map_err(ReadError::Multipart)? {
                hasher.update(&chunk);
                length += chunk.len() as u64;
                if bytes.len() + chunk.len() > MAX_TEXT_PART {
                    too_large = true;
                    bytes = Vec::new();
                }
                if !too_large {
                    bytes.extend_from_slice(&chunk);
                }
            }
            if too_large {
                PartBody::TooLarge
            } else {
                record.text = String::from_utf8(bytes.clone()).ok();
                PartBody::Text(bytes)
            }
        };
        record.length = length;
        record.sha256 = hex(&hasher.finalize());
        out.push(Received { record, body });
    }
    Ok(())
}

/// What a valid request creates, in order: text items, then files.
pub(crate) enum NewAsset {
    Text {
        name: String,
        content: String,
    },
    File {
        path: PathBuf,
        file_name: String,
        media_type: String,
        content_type: String,
        size: u64,
        sha256: String,
    },
}

/// The parts sorted by field, before their values are checked.
#[derive(Default)]
struct Sorted<'a> {
    /// json-parts: one part per item.
    json_items: Vec<&'a Received>,
    /// drf-indexed: index → property → parts (more than one is an error).
    indexed: BTreeMap<usize, BTreeMap<String, Vec<&'a Received>>>,
    files: Vec<&'a Received>,
    tags: Vec<&'a Received>,
}

/// Checks the parts against the spec; the assets to create, or a DRF-style 400 body.
pub(crate) fn validate(
    form: &CreateForm,
    asset: &AssetShape,
    parts: &[Received],
) -> Result<(Vec<NewAsset>, Vec<String>), Errors> {
    let mut errors = Errors::default();
    let sorted = sort(form, parts, &mut errors);

    let items = text_items(form, &sorted, &mut errors);
    let tags = tags(form, &sorted.tags, &mut errors);
    let files = files(form, asset, &sorted.files, &mut errors);

    if errors.is_empty() {
        let carried = |f: &String| {
            (*f == form.text_field && !items.is_empty())
                || (*f == form.files_field && !files.is_empty())
                || (*f == form.tags_field && !tags.is_empty())
        };
        // Tags alone create nothing, whatever the spec lists.
        if !form.at_least_one_of.iter().any(carried) || (items.is_empty() && files.is_empty()) {
            errors.field(NON_FIELD, nothing_to_create(form));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out: Vec<NewAsset> = items
        .into_iter()
        .map(|(name, content)| NewAsset::Text { name, content })
        .collect();
    out.extend(files);
    Ok((out, tags))
}

/// DRF-style wording: "At least one asset or file is required." for the usual pair.
fn nothing_to_create(form: &CreateForm) -> String {
    let mut fields = form.at_least_one_of.clone();
    fields.sort();
    let mut usual = vec![form.text_field.clone(), form.files_field.clone()];
    usual.sort();
    if fields == usual {
        drf::NOTHING_TO_CREATE.to_owned()
    } else {
        let list = form
            .at_least_one_of
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("At least one of {list} is required.")
    }
}

fn sort<'a>(form: &CreateForm, parts: &'a [Received], errors: &mut Errors) -> Sorted<'a> {
    let mut sorted = Sorted::default();
    let text = form.text_field.as_str();
    for part in parts {
        let Some(name) = part.record.name.as_deref() else {
            errors.field(
                NON_FIELD,
                "A part has no `name` in its Content-Disposition header.",
            );
            continue;
        };
        if name == form.files_field {
            sorted.files.push(part);
        } else if name == form.tags_field {
            sorted.tags.push(part);
        } else if name == text && form.style == FormStyle::JsonParts {
            sorted.json_items.push(part);
        } else if let Some((index, prop)) = indexed_name(text, name) {
            if form.style != FormStyle::DrfIndexed {
                errors.field(
                    name,
                    format!(
                        "Unknown form part: the spec's x-form-style for `{text}` is json-parts, so each item is one `{text}` part holding a JSON object."
                    ),
                );
            } else if !form.text_props.iter().any(|p| p.name == prop) {
                errors.field(
                    name,
                    format!(
                        "Unknown form part: `{prop}` is not a property of a `{text}` item (expected {}).",
                        prop_list(&form.text_props)
                    ),
                );
            } else {
                sorted
                    .indexed
                    .entry(index)
                    .or_default()
                    .entry(prop.to_owned())
                    .or_default()
                    .push(part);
            }
        } else if name == text {
            errors.field(
                name,
                format!(
                    "Unknown form part: the spec's x-form-style for `{text}` is drf-indexed, so items are sent as `{text}[0]name`, `{text}[0]content`, ... parts."
                ),
            );
        } else {
            errors.field(
                name,
                format!(
                    "Unknown form part; this operation takes `{text}`, `{}` and `{}`.",
                    form.files_field, form.tags_field
                ),
            );
        }
    }
    sorted
}

/// `field[index]property` → (index, property).
fn indexed_name<'n>(field: &str, name: &'n str) -> Option<(usize, &'n str)> {
    let rest = name.strip_prefix(field)?.strip_prefix('[')?;
    let close = rest.find(']')?;
    let digits = &rest[..close];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((digits.parse().ok()?, &rest[close + 1..]))
}

fn prop_list(props: &[ItemProp]) -> String {
    props
        .iter()
        .map(|p| format!("`{}`", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Errors for a list field's element count, DRF-style; true when within limits.
fn check_count(field: &str, rule: CountRule, n: usize, errors: &mut Errors) -> bool {
    if let Some(max) = rule.max_items.filter(|&m| n > m) {
        errors.field(field, drf::max_items(max));
        return false;
    }
    if let Some(min) = rule.min_items.filter(|&m| n > 0 && n < m) {
        errors.field(field, drf::min_items(min));
        return false;
    }
    true
}

/// The text items as (name, content), validated. Empty when any item is invalid.
fn text_items(
    form: &CreateForm,
    sorted: &Sorted<'_>,
    errors: &mut Errors,
) -> Vec<(String, String)> {
    let field = form.text_field.as_str();

    // Turn each item into a JSON object, whatever the form style.
    let mut objects: Vec<Result<serde_json::Map<String, Value>, String>> = Vec::new();
    match form.style {
        FormStyle::JsonParts => {
            for part in &sorted.json_items {
                objects.push(json_item(form, part));
            }
        }
        FormStyle::DrfIndexed => {
            let indices: Vec<usize> = sorted.indexed.keys().copied().collect();
            if indices.iter().enumerate().any(|(i, &index)| i != index) {
                let list = indices
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                errors.field(
                    field,
                    format!("Item indices must run 0..n without gaps; got {list}."),
                );
                return Vec::new();
            }
            for props in sorted.indexed.values() {
                objects.push(indexed_item(field, props));
            }
        }
    }

    if !check_count(field, form.text_items, objects.len(), errors) {
        return Vec::new();
    }

    let n = objects.len();
    let mut items = Vec::new();
    for (index, object) in objects.into_iter().enumerate() {
        let object = match object {
            Ok(o) => o,
            Err(message) => {
                errors.item(field, n, index, NON_FIELD, message);
                continue;
            }
        };
        let mut ok = true;
        for key in object.keys() {
            if !form.text_props.iter().any(|p| &p.name == key) {
                errors.item(
                    field,
                    n,
                    index,
                    key,
                    format!(
                        "Unknown field; an item of `{field}` has only {}.",
                        prop_list(&form.text_props)
                    ),
                );
                ok = false;
            }
        }
        for prop in &form.text_props {
            let mut messages = Vec::new();
            match object.get(&prop.name) {
                None if prop.required => messages.push(drf::REQUIRED.to_owned()),
                None => {}
                Some(Value::Null) => messages.push(drf::NULL.to_owned()),
                Some(Value::String(s)) => {
                    drf::check_len(s, prop.rule.min_len, prop.rule.max_len, &mut messages)
                }
                Some(_) => messages.push(drf::NOT_A_STRING.to_owned()),
            }
            for m in messages {
                errors.item(field, n, index, &prop.name, m);
                ok = false;
            }
        }
        if ok {
            let get = |k: &str| {
                object
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            items.push((get(spec::ITEM_NAME), get(spec::ITEM_CONTENT)));
        }
    }
    if errors.has(field) {
        return Vec::new();
    }
    items
}

fn json_item(form: &CreateForm, part: &Received) -> Result<serde_json::Map<String, Value>, String> {
    if part.record.filename.is_some() {
        return Err(
            "Expected a JSON text part; this part has a filename, so it is a file.".to_owned(),
        );
    }
    if let (Some(expected), Some(sent)) = (&form.text_part_type, &part.record.content_type)
        && &essence(sent) != expected
    {
        return Err(format!(
            "Expected Content-Type {expected} (the spec's encoding), got {sent}."
        ));
    }
    let bytes = match &part.body {
        PartBody::Text(b) => b,
        PartBody::TooLarge => return Err("This part is too large for the sandbox.".to_owned()),
        PartBody::File { .. } => unreachable!("only file-field parts are streamed to disk"),
    };
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("JSON parse error - {e}"))?;
    match value {
        Value::Object(o) => Ok(o),
        other => Err(drf::not_a_dict(&other)),
    }
}

fn indexed_item(
    field: &str,
    props: &BTreeMap<String, Vec<&Received>>,
) -> Result<serde_json::Map<String, Value>, String> {
    let mut object = serde_json::Map::new();
    for (prop, parts) in props {
        if parts.len() > 1 {
            return Err(format!(
                "`{field}[i]{prop}` was sent {} times for this item.",
                parts.len()
            ));
        }
        let part = parts[0];
        if part.record.filename.is_some() {
            return Err(format!(
                "`{field}[i]{prop}` has a filename, so it is a file, not a text value."
            ));
        }
        let text = match (&part.body, &part.record.text) {
            (PartBody::TooLarge, _) => {
                return Err("This part is too large for the sandbox.".to_owned());
            }
            (_, Some(t)) => Value::from(t.clone()),
            // Not UTF-8: reported as a non-string value.
            (_, None) => Value::Bool(false),
        };
        object.insert(prop.clone(), text);
    }
    Ok(object)
}

fn tags(form: &CreateForm, parts: &[&Received], errors: &mut Errors) -> Vec<String> {
    let field = form.tags_field.as_str();
    if !check_count(field, form.tags_items, parts.len(), errors) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        if part.record.filename.is_some() {
            errors.child(
                field,
                index,
                "Expected a text value; this part has a filename, so it is a file.",
            );
            continue;
        }
        let Some(text) = part.record.text.as_deref() else {
            errors.child(field, index, drf::NOT_A_STRING);
            continue;
        };
        let mut messages = Vec::new();
        drf::check_len(
            text,
            form.tag_rule.min_len,
            form.tag_rule.max_len,
            &mut messages,
        );
        for m in &messages {
            errors.child(field, index, m.clone());
        }
        if messages.is_empty() {
            out.push(text.to_owned());
        }
    }
    out
}

fn files(
    form: &CreateForm,
    asset: &AssetShape,
    parts: &[&Received],
    errors: &mut Errors,
) -> Vec<NewAsset> {
    let field = form.files_field.as_str();
    if !check_count(field, form.files_items, parts.len(), errors) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let PartBody::File { path, prefix } = &part.body else {
            unreachable!("file-field parts are always streamed to disk");
        };
        let file_name = match part.record.filename.as_deref() {
            None => {
                errors.child(
                    field,
                    index,
                    "The submitted data was not a file. Check the encoding type on the form.",
                );
                continue;
            }
            Some("") => {
                errors.child(field, index, drf::NO_FILENAME);
                continue;
            }
            Some(f) => f,
        };
        let mut messages = Vec::new();
        let chars = file_name.chars().count();
        if let Some(max) = asset.name_max_len.filter(|&m| chars > m) {
            messages.push(drf::filename_too_long(max, chars));
        }
        if part.record.length == 0 {
            messages.push(drf::EMPTY_FILE.to_owned());
        }
        let media_type = if part.record.length == 0 {
            None
        } else {
            match media_type(form, part.record.content_type.as_deref(), prefix) {
                Ok(m) => Some(m),
                Err(m) => {
                    messages.push(m);
                    None
                }
            }
        };
        for m in &messages {
            errors.child(field, index, m.clone());
        }
        let Some(media_type) = media_type.filter(|_| messages.is_empty()) else {
            continue;
        };
        out.push(NewAsset::File {
            path: path.clone(),
            file_name: file_name.to_owned(),
            content_type: content_kind(asset, &media_type),
            media_type,
            size: part.record.length,
            sha256: part.record.sha256.clone(),
        });
    }
    out
}

/// The media type a file is taken as.
///
/// The declared type must be accepted, unless it is absent or `application/octet-stream`, in
/// which case the content decides. Content that `infer` recognises must be of an accepted type
/// too, and then wins over the declared one (it is what the bytes are); content it does not
/// recognise is taken at its declared word.
fn media_type(form: &CreateForm, declared: Option<&str>, prefix: &[u8]) -> Result<String, String> {
    let accepted = form.accepted.join(", ");
    let declared = declared.map(essence).filter(|d| d != GENERIC_MEDIA_TYPE);
    if let Some(d) = declared.as_deref().filter(|d| !form.accepts(d)) {
        return Err(format!(
            "Unsupported media type \"{d}\"; accepted: {accepted}."
        ));
    }
    match (infer::get(prefix).map(|t| t.mime_type()), declared) {
        (Some(sniffed), _) if form.accepts(sniffed) => Ok(sniffed.to_owned()),
        (Some(sniffed), _) => Err(format!(
            "The file content is \"{sniffed}\", which is not an accepted media type; accepted: {accepted}."
        )),
        (None, Some(d)) => Ok(d),
        (None, None) => Err(format!(
            "The media type of the file could not be determined from its content; send it with one of: {accepted}."
        )),
    }
}

/// `image/png` → `image`, `video/mp4` → `video`, documents and the rest → `text`, as far as the
/// spec's enum has those values.
fn content_kind(asset: &AssetShape, media_type: &str) -> String {
    let top = media_type.split('/').next().unwrap_or_default();
    if top != "text" && asset.content_types.iter().any(|t| t == top) {
        top.to_owned()
    } else {
        "text".to_owned()
    }
}

/// `Type/Sub; charset=x` → `type/sub`.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_names() {
        assert_eq!(indexed_name("assets", "assets[0]name"), Some((0, "name")));
        assert_eq!(
            indexed_name("assets", "assets[12]content"),
            Some((12, "content"))
        );
        assert_eq!(indexed_name("assets", "assets[x]name"), None);
        assert_eq!(indexed_name("assets", "assets"), None);
        assert_eq!(indexed_name("assets", "tags[0]x"), None);
    }

    #[test]
    fn essences() {
        assert_eq!(essence("Image/PNG; q=1"), "image/png");
    }
}
