//! The wrapper against the sandbox on loopback: what goes on the wire, what comes back, and
//! what is refused before anything is sent.

mod common;

use common::{client, fixture_path, sandbox, sha256_hex};

use shareofmodel::api::multipart::create_assets;
use shareofmodel::{Auth, Client, ContentTypeEnum, Error, Input, MediaTypeSource, Problem};
use shareofmodel_sandbox::{AuthorizationSeen, Sandbox, SandboxConfig};

/// Every fixture whose media type the spec accepts, with the type it must be sent as.
const ACCEPTED: &[(&str, &str)] = &[
    ("poster.png", "image/png"),
    ("photo.jpg", "image/jpeg"),
    ("clip.mp4", "video/mp4"),
    ("brief.pdf", "application/pdf"),
    ("affiche été 2027.png", "image/png"),
    // No extension: sniffed from the content.
    ("logo", "image/png"),
    // A JPEG named `.txt`: the content wins.
    ("misnamed-photo.txt", "image/jpeg"),
];

#[tokio::test]
async fn every_accepted_fixture_goes_on_the_wire_exactly() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);

    let mut upload = client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("Tagline", "Summer, \"made to be seen\".\nSecond line ☀️🚀")
        .tag("summer")
        .tag("été 2027");
    for (name, _) in ACCEPTED {
        upload = upload.file(fixture_path(name));
    }
    let created = upload.send().await.expect("the upload succeeds");

    // One request, with the text item, then every file in order, then the tags.
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.status, 201);
    assert_eq!(
        request.authorization,
        AuthorizationSeen::Raw { valid: true }
    );
    assert!(!request.chunked, "file parts have known lengths");
    assert!(request.content_length.is_some());

    let parts = request.parts.as_ref().expect("a multipart body");
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_deref().unwrap()).collect();
    let mut expected_names = vec![create_assets::assets::NAME];
    expected_names.extend(std::iter::repeat_n(
        create_assets::files::NAME,
        ACCEPTED.len(),
    ));
    expected_names.extend([create_assets::tags::NAME; 2]);
    assert_eq!(names, expected_names);

    let item: serde_json::Value = serde_json::from_str(parts[0].text.as_deref().unwrap()).unwrap();
    assert_eq!(
        item,
        serde_json::json!({
            "name": "Tagline",
            "content": "Summer, \"made to be seen\".\nSecond line ☀️🚀",
        })
    );
    assert_eq!(parts[0].content_type.as_deref(), Some("application/json"));

    for (part, (name, media_type)) in parts[1..].iter().zip(ACCEPTED) {
        let bytes = std::fs::read(fixture_path(name)).unwrap();
        assert_eq!(part.filename.as_deref(), Some(*name), "filename byte-exact");
        assert_eq!(part.content_type.as_deref(), Some(*media_type), "{name}");
        assert_eq!(part.length, bytes.len() as u64, "{name}");
        assert_eq!(part.sha256, sha256_hex(&bytes), "{name}");
    }
    let tags: Vec<&str> = parts[1 + ACCEPTED.len()..]
        .iter()
        .map(|p| p.text.as_deref().unwrap())
        .collect();
    assert_eq!(tags, ["summer", "été 2027"]);

    // The returned assets are what the sandbox stored, text first, then the files in order.
    assert_eq!(created.len(), 1 + ACCEPTED.len());
    assert_eq!(created[0].name.as_str(), "Tagline");
    assert_eq!(created[0].content_type, ContentTypeEnum::Text);
    let expected_kinds = [
        ContentTypeEnum::Image,
        ContentTypeEnum::Image,
        ContentTypeEnum::Video,
        ContentTypeEnum::Text,
        ContentTypeEnum::Image,
        ContentTypeEnum::Image,
        ContentTypeEnum::Image,
    ];
    for ((asset, (name, _)), kind) in created[1..].iter().zip(ACCEPTED).zip(expected_kinds) {
        assert_eq!(asset.name.as_str(), *name);
        assert_eq!(asset.content_type, kind, "{name}");
        assert_eq!(asset.tags, ["summer", "été 2027"]);
        let stored = sandbox.asset(asset.id).expect("stored");
        let bytes = std::fs::read(fixture_path(name)).unwrap();
        assert_eq!(stored.sha256, sha256_hex(&bytes));
        assert_eq!(sandbox.asset_bytes(asset.id).unwrap(), bytes);
    }
    assert_eq!(sandbox.created_count(), created.len());
}

#[tokio::test]
async fn text_assets_round_trip_byte_exact() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let texts = [
        (
            "Quotes \"double\" 'single'",
            "She said \"yes\" — it's \\ fine",
        ),
        ("Lines", "first\nsecond\r\nthird\n"),
        ("Emoji 🎉", "👩‍👩‍👧 family, 🇫🇷 flag, ☀️"),
        ("Braces", "{\"not\": \"json\"} [1,2]"),
    ];
    let mut upload = client.upload(sandbox.organization_id(), sandbox.workspace_id());
    for (name, content) in texts {
        upload = upload.text(name, content);
    }
    let created = upload.send().await.unwrap();

    assert_eq!(created.len(), texts.len());
    for (asset, (name, content)) in created.iter().zip(texts) {
        assert_eq!(asset.name.as_str(), name);
        assert_eq!(asset.content, content);
        assert_eq!(asset.content_type, ContentTypeEnum::Text);
        assert_eq!(sandbox.asset(asset.id).unwrap().content, content);
    }
}

#[tokio::test]
async fn a_single_asset_comes_back_in_a_vec() {
    let sandbox = sandbox().await;
    let created = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .bytes(
            "from-memory.png",
            std::fs::read(fixture_path("poster.png")).unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].name.as_str(), "from-memory.png");
    assert_eq!(created[0].content_type, ContentTypeEnum::Image);
    let response = sandbox.last_request().unwrap().response.unwrap();
    assert!(
        response.is_object(),
        "the server answered one object: {response}"
    );
}

#[tokio::test]
async fn generated_list_and_archive_work() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let (org, ws) = (sandbox.organization_id(), sandbox.workspace_id());
    let created = client
        .upload(org, ws)
        .text("One", "first")
        .text("Two", "second")
        .send()
        .await
        .unwrap();

    // Through the generated client directly.
    let listed = client
        .api()
        .list_assets(&org, &ws, Some(true))
        .await
        .unwrap()
        .into_inner();
    let mut ids: Vec<_> = listed.iter().map(|a| a.id).collect();
    ids.sort();
    let mut expected: Vec<_> = created.iter().map(|a| a.id).collect();
    expected.sort();
    assert_eq!(ids, expected);
    assert!(
        listed.iter().all(
            |a| a.created_by_email.as_deref() == Some(shareofmodel_sandbox::SANDBOX_USER_EMAIL)
        )
    );
    assert_eq!(
        sandbox.last_request().unwrap().query.as_deref(),
        Some("include_email=true")
    );

    // Through the wrapper.
    let archived = client
        .archive_assets(org, ws, [created[0].id])
        .await
        .unwrap();
    assert_eq!(archived.id, created[0].id);
    assert!(archived.is_archived.unwrap());
    assert!(sandbox.asset(created[0].id).unwrap().is_archived);
    assert!(!sandbox.asset(created[1].id).unwrap().is_archived);

    let listed = client.list_assets(org, ws, false).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|a| a.created_by_email.is_none()));
}

/// Sends `upload` and returns its error, asserting that the sandbox saw no request.
async fn refused(sandbox: &Sandbox, upload: shareofmodel::Upload) -> (Input, Problem) {
    let error = upload.send().await.expect_err("refused locally");
    assert!(
        sandbox.requests().is_empty(),
        "nothing may be sent: {error}"
    );
    match error {
        Error::InvalidInput { input, problem } => (input, problem),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_inputs_are_refused_before_sending() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let new = || client.upload(sandbox.organization_id(), sandbox.workspace_id());
    let dir = tempfile::tempdir().unwrap();

    // Nothing at all.
    let (input, problem) = refused(&sandbox, new().tag("lonely")).await;
    assert_eq!(input, Input::Request);
    assert!(
        matches!(problem, Problem::NothingToSend { .. }),
        "{problem}"
    );

    // Eleven text assets.
    let mut eleven = new();
    for i in 0..11 {
        eleven = eleven.text(format!("t{i}"), "x");
    }
    let (_, problem) = refused(&sandbox, eleven).await;
    assert_eq!(
        problem,
        Problem::TooManyItems {
            field: create_assets::assets::NAME,
            max: create_assets::assets::MAX_ITEMS,
            actual: 11
        }
    );
    assert_eq!(create_assets::assets::MAX_ITEMS, 10);

    // A 256-character tag.
    let long = "a".repeat(256);
    let (input, problem) = refused(&sandbox, new().text("n", "c").tag(long.clone())).await;
    assert_eq!(
        input,
        Input::Tag {
            index: 0,
            value: long
        }
    );
    assert_eq!(
        problem,
        Problem::TooLong {
            property: None,
            max: 255,
            actual: 256
        }
    );

    // A missing path, a directory, an empty file.
    let missing = dir.path().join("nope.png");
    let (input, problem) = refused(&sandbox, new().file(&missing)).await;
    assert_eq!(
        input,
        Input::File {
            index: 0,
            name: missing.display().to_string()
        }
    );
    assert_eq!(problem, Problem::NotFound);
    let (_, problem) = refused(&sandbox, new().file(dir.path())).await;
    assert_eq!(
        problem,
        Problem::NotAFile {
            kind: "a directory"
        }
    );
    let (_, problem) = refused(&sandbox, new().file(fixture_path("empty.txt"))).await;
    assert_eq!(problem, Problem::EmptyFile);

    // Filenames with CR or LF, on disk and in memory.
    for bad in ["evil\r\nX-Injected: 1.png", "line\nbreak.png"] {
        let path = dir.path().join(bad);
        std::fs::copy(fixture_path("poster.png"), &path).unwrap();
        let (_, problem) = refused(&sandbox, new().file(&path)).await;
        assert!(
            matches!(problem, Problem::FileNameControlCharacter { .. }),
            "{problem}"
        );
        let (_, problem) = refused(&sandbox, new().bytes(bad, vec![1u8, 2, 3])).await;
        assert!(
            matches!(problem, Problem::FileNameControlCharacter { .. }),
            "{problem}"
        );
    }

    // Media types the spec does not accept: WebM and plain text.
    let (_, problem) = refused(&sandbox, new().file(fixture_path("clip.webm"))).await;
    match problem {
        Problem::MediaTypeNotAccepted {
            media_type,
            determined_by,
            accepted,
        } => {
            assert_eq!(media_type, "video/webm");
            assert_eq!(determined_by, MediaTypeSource::Content);
            assert_eq!(accepted, create_assets::files::CONTENT_TYPES);
        }
        other => panic!("{other}"),
    }
    let (_, problem) = refused(&sandbox, new().file(fixture_path("brief.txt"))).await;
    assert!(
        matches!(&problem, Problem::MediaTypeNotAccepted { media_type, determined_by: MediaTypeSource::Extension, .. } if media_type == "text/plain"),
        "{problem}"
    );

    // An empty text asset name, and a name over the limit.
    let (_, problem) = refused(&sandbox, new().text("", "content")).await;
    assert!(matches!(problem, Problem::TooShort { .. }), "{problem}");
    let (_, problem) = refused(&sandbox, new().text("n".repeat(256), "content")).await;
    assert!(
        matches!(
            problem,
            Problem::TooLong {
                max: 255,
                actual: 256,
                ..
            }
        ),
        "{problem}"
    );

    // One bad input among good ones still stops the whole request.
    let (input, _) = refused(
        &sandbox,
        new()
            .file(fixture_path("poster.png"))
            .file(fixture_path("empty.txt")),
    )
    .await;
    assert!(matches!(input, Input::File { index: 1, .. }), "{input}");
}

#[tokio::test]
async fn limits_are_counted_in_characters() {
    let sandbox = sandbox().await;
    let tag = "é".repeat(255);
    assert_eq!(tag.len(), 510, "two bytes each");
    let created = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("accents", "ok")
        .tag(tag.clone())
        .send()
        .await
        .expect("255 characters are allowed, whatever their bytes");
    assert_eq!(created[0].tags, [tag]);
}

#[tokio::test]
async fn error_messages_name_the_input_and_the_fix() {
    let sandbox = sandbox().await;
    let error = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .file(fixture_path("clip.webm"))
        .send()
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("clip.webm"), "{message}");
    assert!(message.contains("video/webm"), "{message}");
    assert!(
        message.contains("video/mp4"),
        "lists what is accepted: {message}"
    );
}

#[tokio::test]
async fn the_key_never_shows_in_debug_or_errors() {
    let key = "sk-live-very-secret-4242";
    let sandbox = Sandbox::start(SandboxConfig::default().api_key("another-key"))
        .await
        .unwrap();
    let client = Client::builder(sandbox.base_url())
        .auth(Auth::authorization(key))
        .build()
        .unwrap();
    let error = client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("n", "c")
        .send()
        .await
        .expect_err("the sandbox rejects the key");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let text = format!("{error} {error:?} {client:?}");
    assert!(!text.contains(key), "{text}");
    assert_eq!(sandbox.created_count(), 0);
}

/// A server that answers every request with `status` and `body`, on loopback.
async fn canned(status: u16, body: serde_json::Value) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move {
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                axum::Json(body),
            )
        }
    });
    let handle = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (url, handle)
}

#[tokio::test]
async fn responses_beyond_the_spec_still_yield_the_created_assets() {
    // Strict in what we send, tolerant in what we accept: an over-long name, an enum value the
    // spec does not list, and an unknown field must not make a created asset unreadable.
    let long_name = "n".repeat(300);
    let id = uuid::Uuid::new_v4();
    let (url, server) = canned(
        201,
        serde_json::json!([{
            "id": id,
            "name": long_name,
            "content_url": format!("https://cdn.example.invalid/{}", "p".repeat(300)),
            "content_type": "audio",
            "content": "",
            "tags": ["t".repeat(400)],
            "brand_new_field": {"x": 1},
        }]),
    )
    .await;
    let client = Client::builder(url)
        .auth(Auth::authorization("k"))
        .build()
        .unwrap();
    let created = client
        .upload(uuid::Uuid::new_v4(), uuid::Uuid::new_v4())
        .text("n", "c")
        .send()
        .await
        .expect("a 201 with surprising values is still a success");
    server.abort();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].id, id);
    assert_eq!(created[0].name, long_name);
    assert_eq!(
        created[0].content_type,
        ContentTypeEnum::Unknown("audio".to_owned())
    );
    assert_eq!(created[0].tags[0].chars().count(), 400);
}
