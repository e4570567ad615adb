//! Thirty bad inputs refused before sending, and property tests over inputs and responses.

mod common;

use common::{client as client_for, fixture_path};

use std::os::unix::ffi::OsStrExt;
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use shareofmodel::{Auth, Client, Error, Input, MediaTypeSource, Problem, Upload};
use shareofmodel_sandbox::{Sandbox, SandboxConfig};

/// What a refusal must be: which kind of input, and which problem.
type Check = fn(&Input, &Problem) -> bool;

#[tokio::test]
async fn thirty_bad_inputs_are_refused_before_sending() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = client_for(&sandbox);
    let dir = tempfile::tempdir().unwrap();
    let png = std::fs::read(fixture_path("poster.png")).unwrap();
    let poster = fixture_path("poster.png");

    let with_name = |name: &[u8]| {
        let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(&path, &png).unwrap();
        path
    };
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let looped = dir.path().join("loop");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let cr = with_name(b"carriage\rreturn.png");
    let lf = with_name(b"line\nfeed.png");
    let tab = with_name(b"tab\there.png");
    let latin1 = with_name(b"caf\xe9.png");

    let new = || client.upload(sandbox.organization_id(), sandbox.workspace_id());
    let cases: Vec<(&str, Upload, Check)> = vec![
        ("tags only", new().tag("t"), |_, p| {
            matches!(p, Problem::NothingToSend { .. })
        }),
        ("nothing", new(), |_, p| {
            matches!(p, Problem::NothingToSend { .. })
        }),
        (
            "11 texts",
            (0..11).fold(new(), |u, i| u.text(format!("n{i}"), "c")),
            |_, p| {
                matches!(
                    p,
                    Problem::TooManyItems {
                        max: 10,
                        actual: 11,
                        ..
                    }
                )
            },
        ),
        ("empty name", new().text("", "c"), |i, p| {
            matches!(i, Input::TextAsset { .. }) && matches!(p, Problem::TooShort { .. })
        }),
        ("256-char name", new().text("n".repeat(256), "c"), |i, p| {
            matches!(i, Input::TextAsset { .. })
                && matches!(
                    p,
                    Problem::TooLong {
                        max: 255,
                        actual: 256,
                        ..
                    }
                )
        }),
        ("empty content", new().text("n", ""), |i, p| {
            matches!(i, Input::TextAsset { .. }) && matches!(p, Problem::TooShort { .. })
        }),
        (
            "256-char tag",
            new().text("n", "c").tag("t".repeat(256)),
            |i, p| {
                matches!(i, Input::Tag { index: 0, .. })
                    && matches!(p, Problem::TooLong { max: 255, .. })
            },
        ),
        (
            "256-emoji tag",
            new().text("n", "c").tag("ok").tag("🎉".repeat(256)),
            |i, p| {
                matches!(i, Input::Tag { index: 1, .. })
                    && matches!(p, Problem::TooLong { actual: 256, .. })
            },
        ),
        (
            "missing path",
            new().file(dir.path().join("nope.png")),
            |_, p| *p == Problem::NotFound,
        ),
        ("directory", new().file(dir.path()), |_, p| {
            matches!(
                p,
                Problem::NotAFile {
                    kind: "a directory"
                }
            )
        }),
        (
            "empty file",
            new().file(fixture_path("empty.txt")),
            |_, p| *p == Problem::EmptyFile,
        ),
        ("fifo", new().file(&fifo), |_, p| {
            matches!(p, Problem::NotAFile { .. })
        }),
        ("device", new().file("/dev/null"), |_, p| {
            matches!(p, Problem::NotAFile { .. })
        }),
        ("symlink loop", new().file(&looped), |_, p| {
            matches!(p, Problem::Unreadable { .. })
        }),
        (
            "file under a file",
            new().file(poster.join("x.png")),
            |_, p| matches!(p, Problem::Unreadable { .. } | Problem::NotFound),
        ),
        ("CR in a file name", new().file(&cr), |_, p| {
            matches!(p, Problem::FileNameControlCharacter { character: '\r' })
        }),
        ("LF in a file name", new().file(&lf), |_, p| {
            matches!(p, Problem::FileNameControlCharacter { character: '\n' })
        }),
        ("tab in a file name", new().file(&tab), |_, p| {
            matches!(p, Problem::FileNameControlCharacter { character: '\t' })
        }),
        ("non-UTF-8 file name", new().file(&latin1), |_, p| {
            *p == Problem::FileNameNotUtf8
        }),
        // (Linux caps names on disk at 255 bytes, so an over-long name comes from memory.)
        (
            "over-long memory name",
            new().bytes(format!("{}.png", "l".repeat(300)), png.clone()),
            |_, p| {
                matches!(
                    p,
                    Problem::TooLong {
                        property: Some("file name"),
                        ..
                    }
                )
            },
        ),
        (
            "NUL in a memory name",
            new().bytes("a\0b.png", png.clone()),
            |_, p| matches!(p, Problem::FileNameControlCharacter { character: '\0' }),
        ),
        ("empty memory name", new().bytes("", png.clone()), |_, p| {
            *p == Problem::FileNameNotABaseName
        }),
        (
            "memory name with /",
            new().bytes("a/b.png", png.clone()),
            |_, p| *p == Problem::FileNameNotABaseName,
        ),
        ("memory name ..", new().bytes("..", png.clone()), |_, p| {
            *p == Problem::FileNameNotABaseName
        }),
        ("empty bytes", new().bytes("a.png", Vec::new()), |_, p| {
            *p == Problem::EmptyFile
        }),
        (
            "WebM video",
            new().file(fixture_path("clip.webm")),
            |_, p| {
                matches!(
                    p,
                    Problem::MediaTypeNotAccepted {
                        determined_by: MediaTypeSource::Content,
                        ..
                    }
                )
            },
        ),
        (
            "plain text document",
            new().file(fixture_path("brief.txt")),
            |_, p| {
                matches!(
                    p,
                    Problem::MediaTypeNotAccepted {
                        determined_by: MediaTypeSource::Extension,
                        ..
                    }
                )
            },
        ),
        (
            "override not accepted",
            new().file_as(&poster, "text/html"),
            |_, p| {
                matches!(
                    p,
                    Problem::MediaTypeNotAccepted {
                        determined_by: MediaTypeSource::Override,
                        ..
                    }
                )
            },
        ),
        (
            "override not a type",
            new().file_as(&poster, "png"),
            |_, p| matches!(p, Problem::InvalidMediaType { .. }),
        ),
        (
            "override bad parameter",
            new().bytes_as("a.png", "image/png; a", png.clone()),
            |_, p| matches!(p, Problem::InvalidMediaType { .. }),
        ),
        (
            "reader without spooling",
            new()
                .reader("r.png", &b"\x89PNG\r\n"[..])
                .spool_readers(false),
            |_, p| *p == Problem::UnknownLength,
        ),
        (
            "one bad among good",
            new()
                .text("fine", "c")
                .file(&poster)
                .file(fixture_path("empty.txt")),
            |i, _| matches!(i, Input::File { index: 1, .. }),
        ),
    ];
    assert!(cases.len() >= 30, "{} cases", cases.len());

    for (name, upload, check) in cases {
        match upload.send().await {
            Err(Error::InvalidInput { input, problem }) => {
                assert!(check(&input, &problem), "{name}: {input}: {problem:?}");
                // The message names the input and says what to do.
                let message = format!("{input}: {problem}");
                assert!(message.len() > 20, "{name}: {message}");
            }
            other => panic!("{name}: expected InvalidInput, got {other:?}"),
        }
    }
    assert!(sandbox.requests().is_empty(), "nothing reached the server");
}

/// A sandbox and a runtime shared by the cases of a property test.
fn shared() -> &'static (tokio::runtime::Runtime, Sandbox) {
    static SHARED: std::sync::OnceLock<(tokio::runtime::Runtime, Sandbox)> =
        std::sync::OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let sandbox = runtime
            .block_on(Sandbox::start(SandboxConfig::default()))
            .unwrap();
        (runtime, sandbox)
    })
}

proptest! {
    // No regression files: a failure prints its minimal case, and the tree stays clean.
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, .. ProptestConfig::default() })]

    /// Any text asset and tags: refused locally with a typed error, or created exactly as given.
    #[test]
    fn every_accepted_form_round_trips(
        name in "\\PC{0,260}",
        content in "(\\PC|\n|\r|\t){0,80}",
        tags in proptest::collection::vec("\\PC{0,260}", 0..3),
    ) {
        let (runtime, sandbox) = shared();
        let client = client_for(sandbox);
        let before = sandbox.requests().len();
        let result = runtime.block_on(
            client
                .upload(sandbox.organization_id(), sandbox.workspace_id())
                .text(name.clone(), content.clone())
                .tags(tags.clone())
                .send(),
        );
        match result {
            Ok(created) => {
                prop_assert_eq!(created.len(), 1);
                prop_assert_eq!(&created[0].name, &name);
                prop_assert_eq!(&created[0].content, &content);
                prop_assert_eq!(&created[0].tags, &tags);
            }
            Err(Error::InvalidInput { .. }) => {
                prop_assert_eq!(sandbox.requests().len(), before, "refused locally, nothing sent");
                let too_long = name.chars().count() > 255
                    || tags.iter().any(|t| t.chars().count() > 255);
                prop_assert!(too_long || name.is_empty() || content.is_empty());
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    /// Any status, content type and body from a server: an answer or a typed error, never a
    /// panic, and a 2xx with a valid body is a success.
    #[test]
    fn any_response_is_handled(
        status in prop::sample::select(vec![200u16, 201, 202, 204, 301, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504]),
        json in any::<bool>(),
        body in proptest::collection::vec(any::<u8>(), 0..600),
        valid in any::<bool>(),
    ) {
        let (runtime, _) = shared();
        let body = if valid {
            serde_json::to_vec(&serde_json::json!([{
                "id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "name": "n", "content_url": "",
                "content_type": "image", "content": "",
            }])).unwrap()
        } else {
            body
        };
        let result = runtime.block_on(async {
            let url = canned(status, json, body).await;
            let client = Client::builder(url)
                .auth(Auth::authorization("k3y-for-properties"))
                .retry(shareofmodel::RetryPolicy::none())
                .build()
                .unwrap();
            client
                .upload(uuid::Uuid::new_v4(), uuid::Uuid::new_v4())
                .text("n", "c")
                .send()
                .await
        });
        match result {
            Ok(assets) => prop_assert!(valid && (200..300).contains(&status) && assets.len() == 1),
            Err(error) => {
                prop_assert!(!(valid && (status == 200 || status == 201)), "{error:?}");
                prop_assert!(!error.to_string().is_empty());
            }
        }
    }
}

/// A server on loopback that answers every request with the same status, type and body.
async fn canned(status: u16, json: bool, body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = Arc::new(Mutex::new(body));
    let app = axum::Router::new().fallback(move || {
        let body = body.lock().unwrap().clone();
        async move {
            let content_type = if json {
                "application/json"
            } else {
                "text/html"
            };
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [("content-type", content_type)],
                body,
            )
        }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}
