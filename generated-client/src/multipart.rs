// Generated from openapi.yaml by `cargo xtask regen`. Do not edit by hand: change the spec or the generator, then regenerate.
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

///Wire facts of `create_assets` as the spec states them: field names, part encodings, accepted media types and limits.
pub mod create_assets {
    /// The operationId in the spec.
    pub const OPERATION_ID: &str = "create_assets";
    /// The HTTP method.
    pub const METHOD: &str = "POST";
    /// The path template.
    pub const PATH: &str = "/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets";
    /// Whether the spec requires a body.
    pub const BODY_REQUIRED: bool = true;
    /// Fields of which at least one must carry a value.
    pub const AT_LEAST_ONE_OF: &[&str] = &["assets", "files"];
    ///The form field `assets`.
    pub mod assets {
        /// The part name on the wire.
        pub const NAME: &str = "assets";
        /// Whether the spec requires the field.
        pub const REQUIRED: bool = false;
        /// Whether the field is an array, sent as one part per item.
        pub const REPEATED: bool = true;
        /// The fewest items the spec allows.
        pub const MIN_ITEMS: usize = 1usize;
        /// The most items the spec allows.
        pub const MAX_ITEMS: usize = 10usize;
        /// How each item is put on the wire (`x-form-style`).
        pub const STYLE: crate::multipart::FormStyle = crate::multipart::FormStyle::JsonParts;
        /// The `Content-Type` of each part in the JSON-parts style.
        pub const CONTENT_TYPE: &str = "application/json";
        ///The item property `name`.
        pub mod name {
            /// The property name.
            pub const NAME: &str = "name";
            /// Whether every item must have it.
            pub const REQUIRED: bool = true;
            ///The fewest characters (Unicode scalar values) it may have.
            pub const MIN_LENGTH: usize = 1usize;
            ///The most characters (Unicode scalar values) it may have.
            pub const MAX_LENGTH: usize = 255usize;
        }
        ///The item property `content`.
        pub mod content {
            /// The property name.
            pub const NAME: &str = "content";
            /// Whether every item must have it.
            pub const REQUIRED: bool = true;
            ///The fewest characters (Unicode scalar values) it may have.
            pub const MIN_LENGTH: usize = 1usize;
        }
        /// The item properties, in spec order.
        pub const PROPERTIES: &[&str] = &["name", "content"];
    }
    ///The form field `files`.
    pub mod files {
        /// The part name on the wire.
        pub const NAME: &str = "files";
        /// Whether the spec requires the field.
        pub const REQUIRED: bool = false;
        /// Whether the field is an array, sent as one part per item.
        pub const REPEATED: bool = true;
        /// The media types a file part may have; empty means any.
        pub const CONTENT_TYPES: &[&str] = &[
            "image/jpeg",
            "image/png",
            "image/gif",
            "image/webp",
            "application/pdf",
            "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "video/mp4",
            "video/x-msvideo",
            "video/quicktime",
        ];
    }
    ///The form field `tags`.
    pub mod tags {
        /// The part name on the wire.
        pub const NAME: &str = "tags";
        /// Whether the spec requires the field.
        pub const REQUIRED: bool = false;
        /// Whether the field is an array, sent as one part per item.
        pub const REPEATED: bool = true;
        ///The most characters (Unicode scalar values) each value may have.
        pub const MAX_LENGTH: usize = 255usize;
    }
}
///The `multipart/form-data` body of [`Client::create_assets`], with the fields, part encodings and limits of the spec (see [`create_assets`]).
#[derive(Debug, Default)]
pub struct CreateAssetsForm {
    ///This field is used only for plain text assets, for other asset types please use the files attribute
    pub assets: ::std::vec::Vec<crate::types::TextAsset>,
    /**Assets files to be evaluated: video, image or text from a document.

Deviation: the reference renders this field as a single `string` of format `uri`,
which is how drf-spectacular shows a file field. On the wire it carries uploaded
files, one part each, so it is written here as an array of binary strings.*/
    pub files: ::std::vec::Vec<FilePart>,
    ///Optional list of tags for the asset
    pub tags: ::std::vec::Vec<::std::string::String>,
}
impl CreateAssetsForm {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }
    /// Checks every limit the spec states, without sending anything.
    pub fn validate(&self) -> Result<(), FormError> {
        if !(!self.assets.is_empty() || !self.files.is_empty()) {
            return Err(FormError::NothingToSend {
                fields: create_assets::AT_LEAST_ONE_OF,
            });
        }
        if !self.assets.is_empty()
            && self.assets.len() < create_assets::assets::MIN_ITEMS
        {
            return Err(FormError::TooFewItems {
                field: create_assets::assets::NAME,
                min: create_assets::assets::MIN_ITEMS,
                actual: self.assets.len(),
            });
        }
        if self.assets.len() > create_assets::assets::MAX_ITEMS {
            return Err(FormError::TooManyItems {
                field: create_assets::assets::NAME,
                max: create_assets::assets::MAX_ITEMS,
                actual: self.assets.len(),
            });
        }
        for (index, item) in self.assets.iter().enumerate() {
            let item = to_json(create_assets::assets::NAME, index, item)?;
            check_property(
                create_assets::assets::NAME,
                index,
                &item,
                create_assets::assets::name::NAME,
                create_assets::assets::name::REQUIRED,
                Some(create_assets::assets::name::MIN_LENGTH),
                Some(create_assets::assets::name::MAX_LENGTH),
            )?;
            check_property(
                create_assets::assets::NAME,
                index,
                &item,
                create_assets::assets::content::NAME,
                create_assets::assets::content::REQUIRED,
                Some(create_assets::assets::content::MIN_LENGTH),
                None,
            )?;
        }
        for (index, part) in self.files.iter().enumerate() {
            check_media_type(
                create_assets::files::NAME,
                index,
                part.content_type(),
                create_assets::files::CONTENT_TYPES,
            )?;
        }
        for (index, value) in self.tags.iter().enumerate() {
            check_length(
                create_assets::tags::NAME,
                index,
                None,
                value,
                None,
                Some(create_assets::tags::MAX_LENGTH),
            )?;
        }
        Ok(())
    }
    /// Validates the form and encodes it, parts in field order and items in input order.
    ///
    /// Every file part has a known length, so the request carries `Content-Length`.
    pub fn into_multipart(self) -> Result<::reqwest::multipart::Form, FormError> {
        self.validate()?;
        let mut form = ::reqwest::multipart::Form::new();
        for (index, item) in self.assets.into_iter().enumerate() {
            form = add_object_item(
                form,
                create_assets::assets::NAME,
                index,
                &item,
                create_assets::assets::STYLE,
                create_assets::assets::CONTENT_TYPE,
                create_assets::assets::PROPERTIES,
            )?;
        }
        for (index, part) in self.files.into_iter().enumerate() {
            form = form
                .part(
                    create_assets::files::NAME,
                    part.into_part(create_assets::files::NAME, index)?,
                );
        }
        for (_index, value) in self.tags.into_iter().enumerate() {
            let part = ::reqwest::multipart::Part::text(value);
            form = form.part(create_assets::tags::NAME, part);
        }
        Ok(form)
    }
}
impl Client {
    /**Create asset(s)

Creates assets from plain-text items (`assets`) and uploaded files (`files`), all sharing
the given `tags`.

Sends a `POST` request to `/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets` with a `multipart/form-data` body.

Arguments:
- `organization_id`: A UUID string identifying the organization.
- `workspace_id`: A UUID string identifying the workspace.
- `body`: the form; it is checked against the spec's limits before anything is sent (see [`CreateAssetsForm::validate`]).*/
    pub async fn create_assets<'a>(
        &'a self,
        organization_id: &'a ::uuid::Uuid,
        workspace_id: &'a ::uuid::Uuid,
        body: CreateAssetsForm,
    ) -> Result<
        ResponseValue<crate::types::AssetOrAssets>,
        Error<crate::types::ApiError>,
    > {
        let url = format!(
            "{}/v1/organizations/{}/workspaces/{}/assets", self.baseurl, encode_path(&
            organization_id.to_string()), encode_path(& workspace_id.to_string())
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        let form = body
            .into_multipart()
            .map_err(|e| Error::InvalidRequest(e.to_string()))?;
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .multipart(form)
            .headers(header_map)
            .build()?;
        crate::hooks::apply(&self.inner, &mut request);
        let info = OperationInfo {
            operation_id: "create_assets",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            201u16 => ResponseValue::from_response(response).await,
            400u16 | 401u16 | 403u16 | 404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
