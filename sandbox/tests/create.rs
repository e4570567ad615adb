//! The create operation over real HTTP: multipart parsing, validation and the recording.

mod common;

use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use shareofmodel_sandbox::{AuthorizationSeen, SandboxConfig};

#[tokio::test]
async fn json_parts_text_files_and_tags_are_created_and_recorded_exactly() {
    let sandbox = start().await;
    let tagline = String::from_utf8(fixture("tagline.txt")).unwrap();
    let accented = "affiche été 2027.png";
    let form = Form::new()
        .part("assets", json_item("Tagline", tagline.trim_end()))
        .part("assets", json_item("Slogan é", "Brûlez les étapes"))
        .part("files", file_part("poster.png", "image/png"))
        .part("files", file_part("clip.mp4", "video/mp4"))
        .part("files", file_part("brief.pdf", "application/pdf"))
        .part("files", file_part(accented, "image/png"))
        .text("tags", "summer")
        .text("tags", "été 2027");

    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 201, "{body}");

    // Six assets, text items first, each with the tags.
    let assets = body.as_array().expect("an array for several assets");
    let names: Vec<&str> = assets.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Tagline",
            "Slogan é",
            "poster.png",
            "clip.mp4",
            "brief.pdf",
            accented
        ]
    );
    let kinds: Vec<&str> = assets
        .iter()
        .map(|a| a["content_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["text", "text", "image", "video", "text", "image"]);
    assert_eq!(assets[0]["content"], tagline.trim_end());
    assert_eq!(assets[2]["content"], "");
    for a in assets {
        assert_eq!(a["tags"], json!(["summer", "été 2027"]));
        assert_eq!(a["is_archived"], false);
        assert_eq!(a["is_deleted"], false);
        assert_eq!(a["created_by_email"], Value::Null);
        assert_eq!(
            a["created_by"],
            shareofmodel_sandbox::SANDBOX_USER_ID.to_string()
        );
        let id = a["id"].as_str().unwrap();
        let uuid = uuid::Uuid::parse_str(id).unwrap();
        assert_eq!(uuid.get_version_num(), 4);
        assert_eq!(
            a["content_url"],
            format!("{}/sandbox/content/{id}", sandbox.base_url())
        );
        let created_at = a["created_at"].as_str().unwrap();
        chrono::DateTime::parse_from_rfc3339(created_at).unwrap();
    }
    assert_eq!(assets[2]["thumbnail_url"], assets[2]["content_url"]);
    assert_eq!(assets[3]["thumbnail_url"], "");
    assert_eq!(sandbox.created_count(), 6);

    // The recording: every part, in order, byte-exact.
    let request = sandbox.last_request().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.operation.as_deref(), Some("create_assets"));
    assert_eq!(request.status, 201);
    assert_eq!(
        request.authorization,
        AuthorizationSeen::Bearer { valid: true }
    );
    assert!(!request.chunked);
    let file_bytes: usize = ["poster.png", "clip.mp4", "brief.pdf", accented]
        .iter()
        .map(|f| fixture(f).len())
        .sum();
    assert!(request.content_length.unwrap() > file_bytes as u64);
    let parts = request.parts.as_ref().unwrap();
    let summary: Vec<(&str, Option<&str>, Option<&str>)> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_deref().unwrap(),
                p.filename.as_deref(),
                p.content_type.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("assets", None, Some("application/json")),
            ("assets", None, Some("application/json")),
            ("files", Some("poster.png"), Some("image/png")),
            ("files", Some("clip.mp4"), Some("video/mp4")),
            ("files", Some("brief.pdf"), Some("application/pdf")),
            ("files", Some(accented), Some("image/png")),
            ("tags", None, None),
            ("tags", None, None),
        ]
    );
    for (part, fixture_name) in
        parts[2..6]
            .iter()
            .zip(["poster.png", "clip.mp4", "brief.pdf", accented])
    {
        let bytes = fixture(fixture_name);
        assert_eq!(part.length, bytes.len() as u64);
        assert_eq!(part.sha256, sha256_hex(&bytes));
        assert_eq!(part.text, None);
    }
    assert_eq!(parts[7].text.as_deref(), Some("été 2027"));
    assert_eq!(parts[7].sha256, sha256_hex("été 2027".as_bytes()));
    let item: Value = serde_json::from_str(parts[1].text.as_deref().unwrap()).unwrap();
    assert_eq!(
        item,
        json!({"name": "Slogan é", "content": "Brûlez les étapes"})
    );
    assert!(
        parts[5]
            .content_disposition
            .as_deref()
            .unwrap()
            .contains("filename=\"affiche été 2027.png\"")
    );

    // The stored bytes are the uploaded ones.
    let stored = sandbox.assets();
    assert_eq!(stored.len(), 6);
    assert_eq!(stored[5].file_name.as_deref(), Some(accented));
    assert_eq!(stored[3].media_type, "video/mp4");
    assert_eq!(
        sandbox.asset_bytes(stored[4].id).unwrap(),
        fixture("brief.pdf")
    );
    assert_eq!(
        sandbox.asset_bytes(stored[1].id).unwrap(),
        "Brûlez les étapes".as_bytes()
    );
}

#[tokio::test]
async fn one_asset_comes_back_as_an_object() {
    let sandbox = start().await;
    let form = Form::new().part("files", file_part("photo.jpg", "image/jpeg"));
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 201);
    assert_eq!(body["name"], "photo.jpg");
    assert_eq!(body["content_type"], "image");
}

#[tokio::test]
async fn response_shapes_are_configurable() {
    use shareofmodel_sandbox::ResponseShape;

    let array =
        start_with(SandboxConfig::default().response_shape(ResponseShape::AlwaysArray)).await;
    let (_, body) = create_json(&array, Form::new().part("assets", json_item("a", "b"))).await;
    assert_eq!(body.as_array().unwrap().len(), 1);

    let object =
        start_with(SandboxConfig::default().response_shape(ResponseShape::AlwaysObject)).await;
    let form = Form::new()
        .part("assets", json_item("first", "1"))
        .part("assets", json_item("second", "2"));
    let (status, body) = create_json(&object, form).await;
    assert_eq!(status, 201);
    assert_eq!(body["name"], "first");
    assert_eq!(object.assets().len(), 2, "both are created, one is shown");
}

#[tokio::test]
async fn drf_indexed_items_follow_the_spec_switch() {
    let sandbox = start_with(SandboxConfig::default().spec_yaml(drf_indexed_spec())).await;
    let form = Form::new()
        .text("assets[0]name", "Tagline")
        .text("assets[0]content", "Bold moves")
        .text("assets[1]name", "Second")
        .text("assets[1]content", "Quiet moves")
        .text("tags", "t");
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 201, "{body}");
    let names: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Tagline", "Second"]);
    assert_eq!(body[1]["content"], "Quiet moves");
    let request = sandbox.last_request().unwrap();
    let names: Vec<&str> = request
        .parts
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.name.as_deref().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "assets[0]name",
            "assets[0]content",
            "assets[1]name",
            "assets[1]content",
            "tags"
        ]
    );

    // A json-parts item is an unknown part under drf-indexed, and says why.
    let (status, body) =
        create_json(&sandbox, Form::new().part("assets", json_item("a", "b"))).await;
    assert_eq!(status, 400);
    assert!(
        body["assets"][0].as_str().unwrap().contains("drf-indexed"),
        "{body}"
    );

    // Indices must run 0..n.
    let form = Form::new()
        .text("assets[0]name", "a")
        .text("assets[0]content", "b")
        .text("assets[2]name", "c")
        .text("assets[2]content", "d");
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"assets": ["Item indices must run 0..n without gaps; got 0, 2."]})
    );

    // A missing property is reported on its item.
    let form = Form::new().text("assets[0]name", "a");
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"assets": [{"content": ["This field is required."]}]})
    );
}

#[tokio::test]
async fn json_parts_refuses_indexed_names() {
    let sandbox = start().await;
    let form = Form::new()
        .text("assets[0]name", "a")
        .text("assets[0]content", "b");
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert!(
        body["assets[0]name"][0]
            .as_str()
            .unwrap()
            .contains("json-parts"),
        "{body}"
    );
    assert!(body.get("assets[0]content").is_some());
}

#[tokio::test]
async fn eleven_text_assets_are_too_many() {
    let sandbox = start().await;
    let mut form = Form::new();
    for i in 0..11 {
        form = form.part("assets", json_item(&format!("item {i}"), "text"));
    }
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"assets": ["Ensure this field has no more than 10 elements."]})
    );
    assert_eq!(sandbox.created_count(), 0);
    assert!(sandbox.assets().is_empty());
    // Rejected requests are recorded with all their parts.
    assert_eq!(sandbox.last_request().unwrap().parts.unwrap().len(), 11);

    let mut form = Form::new();
    for i in 0..10 {
        form = form.part("assets", json_item(&format!("item {i}"), "text"));
    }
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 201);
    assert_eq!(body.as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn tag_length_counts_characters_not_bytes() {
    let sandbox = start().await;
    let form = Form::new()
        .part("assets", json_item("a", "b"))
        .text("tags", "ok")
        .text("tags", "x".repeat(256));
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"tags": {"1": ["Ensure this field has no more than 255 characters."]}})
    );

    // 255 'é' are 510 bytes but 255 characters.
    let tag = "é".repeat(255);
    let form = Form::new()
        .part("assets", json_item("a", "b"))
        .text("tags", tag.clone());
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["tags"], json!([tag]));
}

#[tokio::test]
async fn text_item_limits_come_from_the_spec() {
    let sandbox = start().await;
    let form = Form::new()
        .part("assets", json_item(&"n".repeat(256), "fine"))
        .part("assets", json_item("", "fine"))
        .part(
            "assets",
            Part::text(r#"{"name": "no content"}"#)
                .mime_str("application/json")
                .unwrap(),
        )
        .part(
            "assets",
            Part::text(r#"["not", "an", "object"]"#)
                .mime_str("application/json")
                .unwrap(),
        )
        .part(
            "assets",
            Part::text(r#"{"name": "a", "content": "b", "extra": 1}"#)
                .mime_str("application/json")
                .unwrap(),
        );
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"assets": [
            {"name": ["Ensure this field has no more than 255 characters."]},
            {"name": ["This field may not be blank."]},
            {"content": ["This field is required."]},
            {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
            {"extra": ["Unknown field; an item of `assets` has only `name`, `content`."]},
        ]})
    );
}

#[tokio::test]
async fn a_json_item_with_another_declared_type_is_refused() {
    let sandbox = start().await;
    let json = r#"{"name": "a", "content": "b"}"#;
    let form = Form::new().part("assets", Part::text(json).mime_str("text/plain").unwrap());
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"assets": [{"non_field_errors": [
            "Expected Content-Type application/json (the spec's encoding), got text/plain."
        ]}]})
    );

    // Without a declared type the part is taken as the spec's type, and the absence is recorded.
    let form = Form::new().text("assets", json);
    let (status, _) = create_json(&sandbox, form).await;
    assert_eq!(status, 201);
    let parts = sandbox.last_request().unwrap().parts.unwrap();
    assert_eq!(parts[0].content_type, None);
}

#[tokio::test]
async fn an_empty_file_is_refused() {
    let sandbox = start().await;
    let form = Form::new().part("files", file_part("empty.txt", "image/png"));
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"files": {"0": ["The submitted file is empty."]}})
    );
    let part = &sandbox.last_request().unwrap().parts.unwrap()[0];
    assert_eq!(part.length, 0);
    assert_eq!(part.sha256, sha256_hex(b""));
}

#[tokio::test]
async fn media_types_are_checked_against_the_spec_list() {
    let sandbox = start().await;

    // Declared types outside the list.
    let form = Form::new()
        .part("files", file_part("brief.txt", "text/plain"))
        .part("files", file_part("clip.webm", "video/webm"))
        .part("files", file_part("poster.png", "image/png"));
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    let errors = body["files"].as_object().unwrap();
    assert_eq!(errors.len(), 2, "{body}");
    assert!(
        errors["0"][0]
            .as_str()
            .unwrap()
            .starts_with("Unsupported media type \"text/plain\"")
    );
    assert!(
        errors["1"][0]
            .as_str()
            .unwrap()
            .starts_with("Unsupported media type \"video/webm\"")
    );
    assert!(
        sandbox.assets().is_empty(),
        "nothing is created when any file fails"
    );

    // Content that is not what an accepted declared type says.
    let form = Form::new().part("files", file_part("clip.webm", "video/mp4"));
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert!(
        body["files"]["0"][0]
            .as_str()
            .unwrap()
            .contains("\"video/webm\""),
        "{body}"
    );
}

#[tokio::test]
async fn generic_parts_are_sniffed() {
    let sandbox = start().await;
    let form = Form::new()
        .part("files", file_part("logo", "application/octet-stream"))
        .part(
            "files",
            Part::bytes(fixture("misnamed-photo.txt")).file_name("misnamed-photo.txt"),
        )
        .part("files", file_part("misnamed-photo.txt", "image/jpeg"));
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 201, "{body}");
    let stored = sandbox.assets();
    let media: Vec<&str> = stored.iter().map(|a| a.media_type.as_str()).collect();
    assert_eq!(media, ["image/png", "image/jpeg", "image/jpeg"]);
    assert!(stored.iter().all(|a| a.content_type == "image"));

    // Text content cannot be sniffed into an accepted type.
    let form = Form::new().part("files", file_part("brief.txt", "application/octet-stream"));
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert!(
        body["files"]["0"][0]
            .as_str()
            .unwrap()
            .contains("could not be determined")
    );
}

#[tokio::test]
async fn a_file_without_a_filename_is_refused() {
    let sandbox = start().await;
    let form = Form::new().part(
        "files",
        Part::bytes(fixture("poster.png"))
            .mime_str("image/png")
            .unwrap(),
    );
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"files": {"0": ["The submitted data was not a file. Check the encoding type on the form."]}})
    );
}

#[tokio::test]
async fn unknown_parts_are_named() {
    let sandbox = start().await;
    let form = Form::new()
        .part("assets", json_item("a", "b"))
        .text("colour", "blue")
        .text("tag", "singular");
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(status, 400);
    let message = "Unknown form part; this operation takes `assets`, `files` and `tags`.";
    assert_eq!(body, json!({"colour": [message], "tag": [message]}));
    let request = sandbox.last_request().unwrap();
    let colour = request.parts_named("colour").next().unwrap();
    assert_eq!(colour.text.as_deref(), Some("blue"));
    assert_eq!(request.response, Some(body));
}

#[tokio::test]
async fn nothing_to_create_is_a_non_field_error() {
    let sandbox = start().await;
    let (status, body) = create_json(&sandbox, Form::new().text("tags", "lonely")).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"non_field_errors": ["At least one asset or file is required."]})
    );
}

#[tokio::test]
async fn the_body_must_be_multipart() {
    let sandbox = start().await;
    let response = client()
        .post(assets_url(&sandbox))
        .header("Authorization", sandbox.api_key())
        .json(&json!({"assets": [{"name": "a", "content": "b"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"detail": "Unsupported media type \"application/json\" in request."})
    );
}

#[tokio::test]
async fn a_rejected_key_leaves_the_body_unread() {
    let sandbox = start().await;
    let form = Form::new().part("files", file_part("poster.png", "image/png"));
    let response = client()
        .post(assets_url(&sandbox))
        .header("Authorization", "Bearer wrong")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let request = sandbox.last_request().unwrap();
    assert_eq!(request.status, 401);
    assert_eq!(request.parts, None);
    assert_eq!(
        request.authorization,
        AuthorizationSeen::Bearer { valid: false }
    );
}

#[tokio::test]
async fn chunked_uploads_stream_to_disk() {
    let sandbox = start().await;
    // 8 MiB in 64 KiB chunks with no declared length: the body is chunked and over axum's
    // default 2 MB limit, which the sandbox lifts.
    let mut bytes = fixture("poster.png");
    bytes.resize(8 * 1024 * 1024, 0x5a);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let stream = futures::stream::iter(chunks);
    let part = Part::stream(reqwest::Body::wrap_stream(stream))
        .file_name("big.png")
        .mime_str("image/png")
        .unwrap();
    let (status, body) = create_json(&sandbox, Form::new().part("files", part)).await;
    assert_eq!(status, 201, "{body}");

    let request = sandbox.last_request().unwrap();
    assert!(request.chunked);
    assert_eq!(request.content_length, None);
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    let part = &request.parts.as_ref().unwrap()[0];
    assert_eq!(part.length, bytes.len() as u64);
    assert_eq!(part.sha256, sha256_hex(&bytes));

    let id = uuid::Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();
    assert_eq!(sandbox.asset_bytes(id).unwrap(), bytes);
}
