// Generated from openapi.yaml by `cargo xtask regen`. Do not edit by hand: change the spec or the generator, then regenerate.
#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    /**An error body in Django REST Framework's style. Either `detail` (with an optional `code`)
or one entry per invalid field, each a list of messages (nested lists of objects for
fields such as `assets`), with `non_field_errors` for the rest.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct ApiError {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub code: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub detail: ::std::option::Option<::std::string::String>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub non_field_errors: ::std::vec::Vec<::std::string::String>,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    ///`Asset`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct Asset {
        pub content: ::std::string::String,
        pub content_type: crate::types::ContentTypeEnum,
        ///The spec states `maxLength: 255`; the client does not reject responses that exceed it.
        pub content_url: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created_by: ::std::option::Option<::uuid::Uuid>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created_by_email: ::std::option::Option<::std::string::String>,
        pub id: ::uuid::Uuid,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_archived: ::std::option::Option<bool>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_deleted: ::std::option::Option<bool>,
        ///The spec states `maxLength: 255`; the client does not reject responses that exceed it.
        pub name: ::std::string::String,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub tags: ::std::vec::Vec<::std::string::String>,
        ///The spec states `maxLength: 255`; the client does not reject responses that exceed it.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub thumbnail_url: ::std::option::Option<::std::string::String>,
    }
    ///Base for all the serializers in the assets app
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct AssetArchiveRequest {
        ///IDs of assets. At least one id is required
        pub assets_ids: ::std::vec::Vec<::std::string::String>,
    }
    /**Base for all the serializers in the assets app

A request must carry at least one text asset or one file (`x-at-least-one-of`): the
reference marks no field required, but an empty request has nothing to create.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
    pub struct AssetCreateRequest {
        ///This field is used only for plain text assets, for other asset types please use the files attribute
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub assets: ::std::vec::Vec<TextAsset>,
        /**Assets files to be evaluated: video, image or text from a document.

Deviation: the reference renders this field as a single `string` of format `uri`,
which is how drf-spectacular shows a file field. On the wire it carries uploaded
files, one part each, so it is written here as an array of binary strings.
*/
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub files: ::std::vec::Vec<::std::string::String>,
        ///Optional list of tags for the asset
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub tags: ::std::vec::Vec<AssetCreateRequestTagsItem>,
    }
    ///`AssetCreateRequestTagsItem`
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct AssetCreateRequestTagsItem(::std::string::String);
    impl ::std::ops::Deref for AssetCreateRequestTagsItem {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<AssetCreateRequestTagsItem> for ::std::string::String {
        fn from(value: AssetCreateRequestTagsItem) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for AssetCreateRequestTagsItem {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() > 255usize {
                return Err("longer than 255 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for AssetCreateRequestTagsItem {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for AssetCreateRequestTagsItem {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for AssetCreateRequestTagsItem {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    /**One created asset, or several. Deviation: the reference declares a single `Asset`; see
the 201 response of `create_assets`.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    #[serde(untagged)]
    pub enum AssetOrAssets {
        Asset(Asset),
        Array(::std::vec::Vec<Asset>),
    }
    impl ::std::convert::From<Asset> for AssetOrAssets {
        fn from(value: Asset) -> Self {
            Self::Asset(value)
        }
    }
    impl ::std::convert::From<::std::vec::Vec<Asset>> for AssetOrAssets {
        fn from(value: ::std::vec::Vec<Asset>) -> Self {
            Self::Array(value)
        }
    }
    /**A plain-text asset. The reference shows `name` and `content` in its sample without
marking them required or limiting them; both are needed to create an asset, and `name`
is limited like `Asset.name`.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct TextAsset {
        pub content: TextAssetContent,
        pub name: TextAssetName,
    }
    ///`TextAssetContent`
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct TextAssetContent(::std::string::String);
    impl ::std::ops::Deref for TextAssetContent {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<TextAssetContent> for ::std::string::String {
        fn from(value: TextAssetContent) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for TextAssetContent {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for TextAssetContent {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for TextAssetContent {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for TextAssetContent {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///`TextAssetName`
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct TextAssetName(::std::string::String);
    impl ::std::ops::Deref for TextAssetName {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<TextAssetName> for ::std::string::String {
        fn from(value: TextAssetName) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for TextAssetName {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() > 255usize {
                return Err("longer than 255 characters".into());
            }
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for TextAssetName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for TextAssetName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for TextAssetName {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///`TokenRequest`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct TokenRequest {
        pub api_key: TokenRequestApiKey,
    }
    ///`TokenRequestApiKey`
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct TokenRequestApiKey(::std::string::String);
    impl ::std::ops::Deref for TokenRequestApiKey {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<TokenRequestApiKey> for ::std::string::String {
        fn from(value: TokenRequestApiKey) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for TokenRequestApiKey {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for TokenRequestApiKey {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for TokenRequestApiKey {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for TokenRequestApiKey {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    /**The token exchange's answer. Deviation: its shape is not documented; exactly one of
`access`, `access_token` and `token` is expected to carry the access token.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct TokenResponse {
        ///The access token, as Simple JWT names it.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub access: ::std::option::Option<::std::string::String>,
        ///The access token, as OAuth 2.0 names it.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub access_token: ::std::option::Option<::std::string::String>,
        ///Seconds until the access token expires, if the server says.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub expires_in: ::std::option::Option<u64>,
        ///A refresh token, if the server issues one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub refresh: ::std::option::Option<::std::string::String>,
        ///The access token, under a plain name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub token: ::std::option::Option<::std::string::String>,
        ///The token's type, normally `Bearer`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub token_type: ::std::option::Option<::std::string::String>,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
    #[doc = "* `image` - image\n* `text` - text\n* `video` - video\n\nThis enum is open: a value the spec does not list is kept as `Unknown`, so a server that adds one does not make responses unreadable."]
    #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    pub enum ContentTypeEnum {
        ///`image`
        Image,
        ///`text`
        Text,
        ///`video`
        Video,
        /// A value this version of the client does not know, kept as the server sent it.
        Unknown(::std::string::String),
    }
    impl ContentTypeEnum {
        /// Every value the spec lists, in its order.
        pub const KNOWN: &'static [&'static str] = &["image", "text", "video"];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Image => "image",
                Self::Text => "text",
                Self::Video => "video",
                Self::Unknown(value) => value.as_str(),
            }
        }
    }
    impl ::std::fmt::Display for ContentTypeEnum {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for ContentTypeEnum {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "image" => Self::Image,
                    "text" => Self::Text,
                    "video" => Self::Video,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for ContentTypeEnum {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for ContentTypeEnum {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            let value = <::std::string::String as ::serde::Deserialize>::deserialize(
                deserializer,
            )?;
            Ok(
                match value.parse() {
                    Ok(parsed) => parsed,
                    Err(never) => match never {}
                },
            )
        }
    }
}
#[derive(Clone, Debug)]
/**Client for Share Of Model API

The asset endpoints of the Share Of Model API, the service marketing teams use to measure how
AI models talk about their brands.

This document is the single source of truth of this workspace: `cargo xtask regen` turns it
into the `shareofmodel-client` crate. It restates the public API reference
(https://docs.shareofmodel.ai/api-reference) operation by operation. Where the published
reference cannot serve a client, this document deviates and says so in the description of
the element concerned; search for "Deviation:".

Extensions used here (all read by the generator and the sandbox):
- `x-form-style` on a multipart `encoding` entry whose items are objects: how each item is
  put on the wire. `json-parts` (the default) sends one `application/json` part per item,
  named after the field, as OpenAPI 3.0 prescribes for an object inside a multipart body.
  `drf-indexed` sends one plain-text part per item property, named `field[index]property`
  (for example `assets[0]name`), which is what Django REST Framework's nested list
  serializers parse from a multipart body. The reference does not say which one the server
  uses; switch here and regenerate.
- `x-no-limit` on a request string: why it has no `maxLength` (the reference states none).
  `cargo xtask check` asks every request string for one or the other.
- `x-at-least-one-of` on a form schema: the fields of which at least one must carry a
  value. The client refuses a form with none of them before sending it.


Version: v1*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::hooks::Hooks,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::hooks::Hooks) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::hooks::Hooks,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::hooks::Hooks> for Client {
    fn api_version() -> &'static str {
        "v1"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::hooks::Hooks {
        &self.inner
    }
}
impl ClientHooks<crate::hooks::Hooks> for &Client {}
#[allow(clippy::all)]
impl Client {
    /**Exchange an API key for an access token

Exchanges an API key for a short-lived access token (a JWT), to send as
`Authorization: Bearer <token>` on every other operation. When the token expires, the
API answers 401 and the client exchanges the key again.

Deviation: the authentication guide documents the request but not the response. The
response schema here accepts the plausible shapes (`access`, as Simple JWT names it,
`access_token` or `token`) and clients must take whichever is present.


Sends a `POST` request to `/v1/auth/token`

*/
    pub async fn create_access_token<'a>(
        &'a self,
        body: &'a types::TokenRequest,
    ) -> Result<ResponseValue<types::TokenResponse>, Error<types::ApiError>> {
        let url = format!("{}/v1/auth/token", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "create_access_token",
        };
        (crate::hooks::apply)(&self.inner, &mut request);
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**List Marketing Creative Assets

Retrieves all marketing creative assets within a workspace. Returns a plain JSON array of
asset objects; the endpoint has no pagination.


Sends a `GET` request to `/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets`

Arguments:
- `organization_id`: A UUID string identifying the organization.
- `workspace_id`: A UUID string identifying the workspace.
- `include_email`: Include email of the asset creator if True.
*/
    pub async fn list_assets<'a>(
        &'a self,
        organization_id: &'a ::uuid::Uuid,
        workspace_id: &'a ::uuid::Uuid,
        include_email: Option<bool>,
    ) -> Result<ResponseValue<::std::vec::Vec<types::Asset>>, Error<types::ApiError>> {
        let url = format!(
            "{}/v1/organizations/{}/workspaces/{}/assets", self.baseurl, encode_path(&
            organization_id.to_string()), encode_path(& workspace_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .query(&progenitor_client::QueryParam::new("include_email", &include_email))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "list_assets",
        };
        (crate::hooks::apply)(&self.inner, &mut request);
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            403u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Archive asset(s)

Archives the assets whose ids are given.

Sends a `POST` request to `/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets/archive`

Arguments:
- `organization_id`: A UUID string identifying the organization.
- `workspace_id`: A UUID string identifying the workspace.
- `body`
*/
    pub async fn archive_assets<'a>(
        &'a self,
        organization_id: &'a ::uuid::Uuid,
        workspace_id: &'a ::uuid::Uuid,
        body: &'a types::AssetArchiveRequest,
    ) -> Result<ResponseValue<types::Asset>, Error<types::ApiError>> {
        let url = format!(
            "{}/v1/organizations/{}/workspaces/{}/assets/archive", self.baseurl,
            encode_path(& organization_id.to_string()), encode_path(& workspace_id
            .to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "archive_assets",
        };
        (crate::hooks::apply)(&self.inner, &mut request);
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            403u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}
