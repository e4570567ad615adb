//! Multipart operations, which progenitor cannot generate, emitted from the spec by this
//! workspace's generator: for each one a module of wire constants, a typed form and a method on
//! [`Client`].

#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, ClientInfo, OperationInfo};

#[allow(unused_imports)]
use crate::{Client, Error, ResponseValue};

/// How the object items of a form field are put on the wire (the spec's `x-form-style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormStyle {
    /// One part per item, named after the field, holding the item as JSON.
    JsonParts,
    /// One text part per item property, named `field[index]property`.
    DrfIndexed,
}

/// One file of a form: a name, a media type and a body of known length.
///
/// The length is what lets the request carry `Content-Length` rather than a chunked body.
pub struct FilePart {
    filename: String,
    content_type: String,
    length: u64,
    body: ::reqwest::Body,
}

impl FilePart {
    /// A part whose body yields exactly `length` bytes (for example a file stream).
    pub fn new(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        length: u64,
        body: impl Into<::reqwest::Body>,
    ) -> Self {
        Self {
            filename: filename.into(),
            content_type: content_type.into(),
            length,
            body: body.into(),
        }
    }

    /// A part held in memory.
    pub fn from_bytes(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<::bytes::Bytes>,
    ) -> Self {
        let bytes = bytes.into();
        let length = bytes.len() as u64;
        Self::new(filename, content_type, length, bytes)
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The part's `Content-Type`.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The number of bytes the body yields.
    pub fn length(&self) -> u64 {
        self.length
    }

    fn into_part(self, field: &'static str, index: usize) -> Result<::reqwest::multipart::Part, FormError> {
        ::reqwest::multipart::Part::stream_with_length(self.body, self.length)
            .file_name(self.filename)
            .mime_str(&self.content_type)
            .map_err(|_| FormError::InvalidMediaType {
                field,
                index,
                media_type: self.content_type.clone(),
            })
    }
}

impl ::std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.debug_struct("FilePart")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

/// A form the spec does not allow, found before anything was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormError {
    /// None of the fields of which one is needed has a value.
    NothingToSend {
        /// The fields of which at least one must carry a value.
        fields: &'static [&'static str],
    },
    /// An array field has fewer items than `minItems`.
    TooFewItems {
        /// The field.
        field: &'static str,
        /// The spec's minimum.
        min: usize,
        /// How many were given.
        actual: usize,
    },
    /// An array field has more items than `maxItems`.
    TooManyItems {
        /// The field.
        field: &'static str,
        /// The spec's maximum.
        max: usize,
        /// How many were given.
        actual: usize,
    },
    /// A value (or an item's property) is shorter than `minLength`.
    TooShort {
        /// The field.
        field: &'static str,
        /// The item's position in the field.
        index: usize,
        /// The item property, for object items.
        property: Option<&'static str>,
        /// The spec's minimum, in characters.
        min: usize,
        /// The value's length, in characters.
        actual: usize,
    },
    /// A value (or an item's property) is longer than `maxLength`.
    TooLong {
        /// The field.
        field: &'static str,
        /// The item's position in the field.
        index: usize,
        /// The item property, for object items.
        property: Option<&'static str>,
        /// The spec's maximum, in characters.
        max: usize,
        /// The value's length, in characters.
        actual: usize,
    },
    /// An object item lacks a property the spec requires.
    MissingProperty {
        /// The field.
        field: &'static str,
        /// The item's position in the field.
        index: usize,
        /// The missing property.
        property: &'static str,
    },
    /// A file part's media type is not one the spec accepts for the field.
    MediaTypeNotAccepted {
        /// The field.
        field: &'static str,
        /// The part's position in the field.
        index: usize,
        /// The part's media type.
        media_type: String,
        /// What the spec accepts.
        accepted: &'static [&'static str],
    },
    /// A part's media type is not a valid `type/subtype`.
    InvalidMediaType {
        /// The field.
        field: &'static str,
        /// The part's position in the field.
        index: usize,
        /// The rejected value.
        media_type: String,
    },
    /// An item could not be encoded.
    Encode {
        /// The field.
        field: &'static str,
        /// The item's position in the field.
        index: usize,
        /// What went wrong.
        message: String,
    },
}

impl ::std::fmt::Display for FormError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        let at = |field: &str, index: usize, property: Option<&str>| match property {
            Some(property) => format!("`{field}[{index}].{property}`"),
            None => format!("`{field}[{index}]`"),
        };
        match self {
            Self::NothingToSend { fields } => write!(
                f,
                "the form is empty: give at least one of {}",
                fields.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
            Self::TooFewItems { field, min, actual } => write!(
                f,
                "`{field}` has {actual} item(s) but needs at least {min}; add items or leave it empty"
            ),
            Self::TooManyItems { field, max, actual } => write!(
                f,
                "`{field}` has {actual} items but at most {max} are allowed in one request; split them over several requests"
            ),
            Self::TooShort { field, index, property, min, actual } => write!(
                f,
                "{} is {actual} character(s) long but must have at least {min}",
                at(field, *index, *property)
            ),
            Self::TooLong { field, index, property, max, actual } => write!(
                f,
                "{} is {actual} characters long but at most {max} are allowed; shorten it",
                at(field, *index, *property)
            ),
            Self::MissingProperty { field, index, property } => write!(
                f,
                "{} is missing; every item needs it",
                at(field, *index, Some(property))
            ),
            Self::MediaTypeNotAccepted { field, index, media_type, accepted } => write!(
                f,
                "{} has media type `{media_type}`, which is not accepted; use one of: {}",
                at(field, *index, None),
                accepted.join(", ")
            ),
            Self::InvalidMediaType { field, index, media_type } => write!(
                f,
                "{} has media type `{media_type}`, which is not a valid `type/subtype`",
                at(field, *index, None)
            ),
            Self::Encode { field, index, message } => write!(
                f,
                "{} could not be encoded: {message}",
                at(field, *index, None)
            ),
        }
    }
}

impl ::std::error::Error for FormError {}

/// Media types compare without parameters and case-insensitively (`Image/PNG; x=y` is `image/png`).
fn check_media_type(
    field: &'static str,
    index: usize,
    media_type: &str,
    accepted: &'static [&'static str],
) -> Result<(), FormError> {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let valid = essence
        .split_once('/')
        .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.contains('/'));
    if !valid {
        return Err(FormError::InvalidMediaType { field, index, media_type: media_type.to_owned() });
    }
    let matches = |pattern: &str| match pattern.strip_suffix("/*") {
        Some(top) => essence.split('/').next() == Some(top),
        None => pattern == essence,
    };
    if accepted.is_empty() || accepted.iter().any(|p| matches(p)) {
        Ok(())
    } else {
        Err(FormError::MediaTypeNotAccepted {
            field,
            index,
            media_type: media_type.to_owned(),
            accepted,
        })
    }
}

/// Lengths count Unicode scalar values, as JSON Schema's `maxLength` does, not bytes.
fn check_length(
    field: &'static str,
    index: usize,
    property: Option<&'static str>,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), FormError> {
    let actual = value.chars().count();
    if let Some(min) = min.filter(|min| actual < *min) {
        return Err(FormError::TooShort { field, index, property, min, actual });
    }
    if let Some(max) = max.filter(|max| actual > *max) {
        return Err(FormError::TooLong { field, index, property, max, actual });
    }
    Ok(())
}

#[allow(dead_code)]
fn to_json<T: ::serde::Serialize>(
    field: &'static str,
    index: usize,
    item: &T,
) -> Result<::serde_json::Value, FormError> {
    ::serde_json::to_value(item).map_err(|e| FormError::Encode { field, index, message: e.to_string() })
}

#[allow(dead_code)]
fn check_property(
    field: &'static str,
    index: usize,
    item: &::serde_json::Value,
    property: &'static str,
    required: bool,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), FormError> {
    match item.get(property) {
        Some(::serde_json::Value::String(value)) => check_length(field, index, Some(property), value, min, max),
        None | Some(::serde_json::Value::Null) if required => {
            Err(FormError::MissingProperty { field, index, property })
        }
        _ => Ok(()),
    }
}

#[allow(dead_code)]
fn add_object_item<T: ::serde::Serialize>(
    mut form: ::reqwest::multipart::Form,
    field: &'static str,
    index: usize,
    item: &T,
    style: FormStyle,
    content_type: &'static str,
    properties: &'static [&'static str],
) -> Result<::reqwest::multipart::Form, FormError> {
    match style {
        FormStyle::JsonParts => {
            let json = ::serde_json::to_string(item)
                .map_err(|e| FormError::Encode { field, index, message: e.to_string() })?;
            let part = ::reqwest::multipart::Part::text(json)
                .mime_str(content_type)
                .map_err(|e| FormError::Encode { field, index, message: e.to_string() })?;
            Ok(form.part(field, part))
        }
        FormStyle::DrfIndexed => {
            let value = to_json(field, index, item)?;
            for property in properties {
                if let Some(::serde_json::Value::String(text)) = value.get(*property) {
                    form = form.text(format!("{field}[{index}]{property}"), text.clone());
                }
            }
            Ok(form)
        }
    }
}
