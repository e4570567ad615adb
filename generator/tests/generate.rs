//! The generator against the real spec and against small mutations of it.

use serde_json::{Value, json};
use shareofmodel_generator::{BYPASS, GenerateError, Options, generate, multipart, spec};

const SPEC: &str = include_str!("../../openapi.yaml");
const ASSETS_PATH: &str = "/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets";

fn spec_json() -> Value {
    serde_yaml::from_str(SPEC).expect("the spec is YAML")
}

/// Generates from a mutated copy of the real spec (JSON is valid YAML).
fn generate_mutated(
    mutate: impl FnOnce(&mut Value),
) -> Result<shareofmodel_generator::Output, GenerateError> {
    let mut value = spec_json();
    mutate(&mut value);
    generate(&value.to_string(), &Options::default())
}

fn create_op(value: &mut Value) -> &mut Value {
    &mut value["paths"][ASSETS_PATH]["post"]
}

fn form_encoding(value: &mut Value) -> &mut Value {
    &mut create_op(value)["requestBody"]["content"]["multipart/form-data"]["encoding"]
}

#[test]
fn the_real_spec_generates_the_same_bytes_every_time() {
    let first = generate(SPEC, &Options::default()).unwrap();
    let second = generate(SPEC, &Options::default()).unwrap();
    assert_eq!(first, second);
    let names: Vec<&str> = first.files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "API.md",
            "Cargo.toml",
            "README.md",
            "openapi.yaml",
            "src/client.rs",
            "src/hooks.rs",
            "src/lib.rs",
            "src/multipart.rs"
        ]
    );
    for (name, text) in &first.files {
        assert!(!text.contains('\r'), "{name} has a CR");
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{name} must end in one LF"
        );
        if name == "openapi.yaml" {
            // The spec's own copy, byte for byte.
            assert_eq!(text, SPEC);
            continue;
        }
        let first_line = text.lines().next().unwrap();
        assert!(
            first_line.contains("Generated from openapi.yaml by `cargo xtask regen`"),
            "{name} header: {first_line}"
        );
    }
}

#[test]
fn the_bypass_list_and_the_specs_multipart_operations_agree() {
    let document = spec::Document::parse(SPEC).unwrap();
    let mut found: Vec<String> = multipart::collect(&document)
        .unwrap()
        .into_iter()
        .map(|op| op.operation_id)
        .collect();
    let mut listed: Vec<String> = BYPASS.iter().map(|b| b.operation_id.to_owned()).collect();
    found.sort();
    listed.sort();
    assert_eq!(found, listed);
    assert!(BYPASS.iter().all(|b| !b.reason.is_empty()));
}

#[test]
fn multipart_operations_are_emitted_from_the_spec() {
    let output = generate(SPEC, &Options::default()).unwrap();
    let multipart = &output.files["src/multipart.rs"];
    let client = &output.files["src/client.rs"];
    for expected in [
        "pub const NAME: &str = \"assets\";",
        "pub const MIN_ITEMS: usize = 1usize;",
        "pub const MAX_ITEMS: usize = 10usize;",
        "pub const NAME: &str = \"files\";",
        "\"video/quicktime\"",
        "pub const MAX_LENGTH: usize = 255usize;",
        "crate::multipart::FormStyle::JsonParts",
        "pub async fn create_assets<'a>(",
        "pub struct CreateAssetsForm {",
    ] {
        assert!(multipart.contains(expected), "missing `{expected}`");
    }
    // progenitor never sees the multipart operation, but keeps the JSON ones.
    assert!(!client.contains("pub async fn create_assets"));
    assert!(client.contains("pub async fn list_assets<'a>("));
    assert!(client.contains("pub async fn archive_assets<'a>("));
}

#[test]
fn response_only_schemas_are_tolerant_and_request_schemas_strict() {
    let output = generate(SPEC, &Options::default()).unwrap();
    let client = &output.files["src/client.rs"];
    let asset = &client[client.find("pub struct Asset {").unwrap()..];
    let asset = &asset[..asset.find('}').unwrap()];
    assert!(
        asset.contains("pub name: ::std::string::String,"),
        "{asset}"
    );
    assert!(
        asset.contains("The spec states `maxLength: 255`"),
        "{asset}"
    );
    assert!(client.contains("pub struct TextAssetName(::std::string::String);"));
    assert!(client.contains("Unknown(::std::string::String)"));
}

#[test]
fn the_form_style_extension_switches_the_encoding() {
    let output = generate_mutated(|v| {
        form_encoding(v)["assets"]["x-form-style"] = json!("drf-indexed");
    })
    .unwrap();
    assert!(output.files["src/multipart.rs"].contains("crate::multipart::FormStyle::DrfIndexed"));

    let error = generate_mutated(|v| {
        form_encoding(v)["assets"]["x-form-style"] = json!("nested");
    })
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("`x-form-style: \"nested\"` is not a known style"),
        "{message}"
    );
    assert!(message.contains("create_assets"), "{message}");
}

#[test]
fn an_openapi_3_1_document_is_refused() {
    let text = SPEC.replacen("openapi: 3.0.3", "openapi: 3.1.0", 1);
    let error = generate(&text, &Options::default()).unwrap_err();
    assert!(matches!(error, GenerateError::UnsupportedVersion { ref found } if found == "3.1.0"));
    assert!(error.to_string().contains("only OpenAPI 3.0.x"));
}

#[test]
fn a_new_multipart_operation_not_in_the_bypass_list_fails_loudly() {
    let error = generate_mutated(|v| {
        let create = create_op(v).clone();
        let mut logo = create;
        logo["operationId"] = json!("upload_logo");
        v["paths"]["/v1/logos"] = json!({ "post": logo });
    })
    .unwrap_err();
    assert!(matches!(error, GenerateError::BypassMismatch(_)));
    let message = error.to_string();
    assert!(
        message.contains("`upload_logo`") && message.contains("bypass list"),
        "{message}"
    );
}

#[test]
fn a_bypass_entry_without_its_operation_fails() {
    let error = generate_mutated(|v| {
        create_op(v)["requestBody"]["content"] = json!({
            "application/json": { "schema": { "$ref": "#/components/schemas/AssetCreateRequest" } }
        });
    })
    .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("lists `create_assets`"), "{message}");
}

#[test]
fn unsupported_multipart_shapes_name_the_operation_and_field() {
    let error = generate_mutated(|v| {
        v["components"]["schemas"]["AssetCreateRequest"]["properties"]["priority"] =
            json!({ "type": "integer" });
    })
    .unwrap_err();
    assert!(matches!(error, GenerateError::Unsupported { .. }));
    let message = error.to_string();
    assert!(
        message.contains("operation `create_assets`, form field `priority`"),
        "{message}"
    );
}

#[test]
fn shapes_that_panic_progenitor_are_refused_first() {
    let two_types = generate_mutated(|v| {
        let content = &mut create_op(v)["requestBody"]["content"];
        content["application/json"] = content["multipart/form-data"].clone();
    })
    .unwrap_err();
    assert!(
        two_types.to_string().contains("exactly one is supported"),
        "{two_types}"
    );

    let json_encoding = generate_mutated(|v| {
        let archive = &mut v["paths"][format!("{ASSETS_PATH}/archive")]["post"];
        archive["requestBody"]["content"]["application/json"]["encoding"] =
            json!({ "assets_ids": { "contentType": "text/plain" } });
    })
    .unwrap_err();
    assert!(
        json_encoding
            .to_string()
            .contains("remove it from this JSON body"),
        "{json_encoding}"
    );
}

#[test]
fn operation_ids_must_exist_and_be_unique() {
    let missing = generate_mutated(|v| {
        v["paths"][ASSETS_PATH]["get"]
            .as_object_mut()
            .unwrap()
            .remove("operationId");
    })
    .unwrap_err();
    assert!(
        missing.to_string().contains("GET /v1/organizations"),
        "{missing}"
    );
    assert!(missing.to_string().contains("no operationId"), "{missing}");

    let duplicate = generate_mutated(|v| {
        v["paths"][ASSETS_PATH]["get"]["operationId"] = json!("archive_assets");
    })
    .unwrap_err();
    assert!(duplicate.to_string().contains("used twice"), "{duplicate}");
}

#[test]
fn bad_encodings_are_refused() {
    let unknown_property = generate_mutated(|v| {
        form_encoding(v)["logo"] = json!({ "contentType": "image/png" });
    })
    .unwrap_err();
    assert!(
        unknown_property.to_string().contains("encoding `logo`"),
        "{unknown_property}"
    );

    let bad_media_type = generate_mutated(|v| {
        form_encoding(v)["files"]["contentType"] = json!("image/png, jpeg");
    })
    .unwrap_err();
    assert!(
        bad_media_type.to_string().contains("`jpeg`"),
        "{bad_media_type}"
    );

    let unknown_extension = generate_mutated(|v| {
        form_encoding(v)["files"]["x-form-styel"] = json!("drf-indexed");
    })
    .unwrap_err();
    assert!(
        unknown_extension.to_string().contains("x-form-styel"),
        "{unknown_extension}"
    );
}

#[test]
fn text_that_is_not_a_spec_is_an_error_not_a_panic() {
    for text in [
        "",
        "[1, 2",
        "openapi: 3.0.3\n",
        "just text",
        "{\"openapi\": 3}",
    ] {
        assert!(generate(text, &Options::default()).is_err(), "{text:?}");
    }
}

#[test]
fn names_that_collide_in_rust_are_refused_with_their_location() {
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Mutation, &str)> = vec![
        (
            "duplicate enum value",
            Box::new(|v| {
                v["components"]["schemas"]["ContentTypeEnum"]["enum"] =
                    serde_json::json!(["image", "image", "text"])
            }),
            "enum values `image` and `image`",
        ),
        (
            "enum values equal once capitalised",
            Box::new(|v| {
                v["components"]["schemas"]["ContentTypeEnum"]["enum"] =
                    serde_json::json!(["in-progress", "in_progress"])
            }),
            "enum values `in-progress` and `in_progress`",
        ),
        (
            "properties equal as fields",
            Box::new(|v| {
                v["components"]["schemas"]["Asset"]["properties"]["Name"] =
                    serde_json::json!({"type": "string"})
            }),
            "properties `name` and `Name`",
        ),
        (
            "schemas equal as types",
            Box::new(|v| {
                v["components"]["schemas"]["content_type_enum"] =
                    serde_json::json!({"type": "string"})
            }),
            "schemas `ContentTypeEnum` and `content_type_enum`",
        ),
        (
            "operationIds equal as methods",
            Box::new(|v| {
                v["paths"]["/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets/archive"]
                    ["post"]["operationId"] = serde_json::json!("createAssets")
            }),
            "operationId is used twice",
        ),
        (
            "undeclared path parameter",
            Box::new(|v| {
                let paths = v["paths"].as_object_mut().unwrap();
                let item = paths.remove("/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets/archive").unwrap();
                paths.insert("/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets/{asset_id}/archive".to_owned(), item);
            }),
            "the template uses `{asset_id}`",
        ),
    ];
    for (name, mutate, expected) in cases {
        let error = generate_mutated(|v| mutate(v)).expect_err(name);
        assert!(error.to_string().contains(expected), "{name}: {error}");
    }
}

#[test]
fn a_title_cannot_inject_code() {
    let output = generate_mutated(|v| {
        v["info"]["title"] =
            serde_json::json!("Share Of Model API\ncompile_error!(\"injected\");\n//");
    })
    .unwrap();
    let lib = &output.files["src/lib.rs"];
    assert!(
        !lib.lines()
            .any(|l| l.trim_start().starts_with("compile_error!")),
        "{lib}"
    );
    syn::parse_file(lib).unwrap();
}
