//! Authentication, routing, list, archive and content serving over real HTTP.

mod common;

use common::*;
use reqwest::multipart::Form;
use serde_json::{Value, json};
use shareofmodel_sandbox::{
    AuthorizationSeen, REDACTED, SANDBOX_USER_EMAIL, Sandbox, SandboxConfig, SandboxError,
};
use uuid::Uuid;

async fn get(url: &str, auth: Option<&str>) -> (u16, Value) {
    let mut request = client().get(url);
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn archive(sandbox: &Sandbox, body: Value) -> (u16, Value) {
    let response = client()
        .post(archive_url(sandbox))
        .header("Authorization", bearer(sandbox))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn credentials_are_required_and_checked() {
    let sandbox = start().await;
    let url = assets_url(&sandbox);

    let (status, body) = get(&url, None).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"detail": "Authentication credentials were not provided."})
    );

    for wrong in ["wrong", "Bearer wrong", "Token x"] {
        let (status, body) = get(&url, Some(wrong)).await;
        assert_eq!(status, 401, "{wrong}");
        assert_eq!(body, json!({"detail": "Invalid token."}));
    }

    let key = sandbox.api_key().to_owned();
    assert!(key.starts_with("som_sandbox_"));
    let (status, body) = get(&url, Some(&key)).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!([]));
    let (status, _) = get(&url, Some(&format!("Bearer {key}"))).await;
    assert_eq!(status, 200);

    let seen: Vec<(AuthorizationSeen, u16)> = sandbox
        .requests()
        .iter()
        .map(|r| (r.authorization, r.status))
        .collect();
    assert_eq!(
        seen,
        [
            (AuthorizationSeen::Missing, 401),
            (AuthorizationSeen::Raw { valid: false }, 401),
            (AuthorizationSeen::Bearer { valid: false }, 401),
            (AuthorizationSeen::Raw { valid: false }, 401),
            (AuthorizationSeen::Raw { valid: true }, 200),
            (AuthorizationSeen::Bearer { valid: true }, 200),
        ]
    );

    // The key is never kept: the header is redacted, the scheme stays visible.
    let requests = sandbox.requests();
    assert_eq!(requests[4].header("authorization"), Some(REDACTED));
    assert_eq!(
        requests[5].header("authorization"),
        Some(format!("Bearer {REDACTED}").as_str())
    );
    assert!(!format!("{requests:?}").contains(&key));
    assert!(!format!("{sandbox:?}").contains(&key));
}

#[tokio::test]
async fn a_configured_key_and_ids_are_used() {
    let org = Uuid::new_v4();
    let ws = Uuid::new_v4();
    let sandbox = start_with(
        SandboxConfig::default()
            .api_key("my-key")
            .organization_id(org)
            .workspace_id(ws),
    )
    .await;
    assert_eq!(sandbox.api_key(), "my-key");
    assert_eq!(
        (sandbox.organization_id(), sandbox.workspace_id()),
        (org, ws)
    );
    let (status, _) = get(&assets_url(&sandbox), Some("my-key")).await;
    assert_eq!(status, 200);
    assert!(!format!("{:?}", SandboxConfig::default().api_key("my-key")).contains("my-key"));
}

#[tokio::test]
async fn unknown_organizations_workspaces_and_routes_are_not_found() {
    let sandbox = start().await;
    let key = bearer(&sandbox);
    let base = sandbox.base_url();
    let not_found = json!({"detail": "Not found."});

    // Not a UUID: the URL does not match, before any authentication.
    let url = format!(
        "{base}/v1/organizations/acme/workspaces/{}/assets",
        sandbox.workspace_id()
    );
    assert_eq!(get(&url, None).await, (404, not_found.clone()));
    let upper = sandbox.organization_id().to_string().to_uppercase();
    let url = format!(
        "{base}/v1/organizations/{upper}/workspaces/{}/assets",
        sandbox.workspace_id()
    );
    assert_eq!(get(&url, Some(&key)).await, (404, not_found.clone()));

    let other = Uuid::new_v4();
    let url = format!(
        "{base}/v1/organizations/{other}/workspaces/{}/assets",
        sandbox.workspace_id()
    );
    assert_eq!(get(&url, Some(&key)).await, (404, not_found.clone()));
    // A valid UUID is authenticated first.
    assert_eq!(get(&url, None).await.0, 401);

    let url = format!(
        "{base}/v1/organizations/{}/workspaces/{other}/assets",
        sandbox.organization_id()
    );
    assert_eq!(get(&url, Some(&key)).await, (404, not_found.clone()));

    assert_eq!(
        get(&format!("{base}/v1/nowhere"), Some(&key)).await,
        (404, not_found.clone())
    );
    let unknown = sandbox.last_request().unwrap();
    assert_eq!(unknown.path, "/v1/nowhere");
    assert_eq!(unknown.operation, None);
    assert_eq!(unknown.status, 404);

    let response = client()
        .delete(assets_url(&sandbox))
        .header("Authorization", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"detail": "Method \"DELETE\" not allowed."}));
}

#[tokio::test]
async fn list_shows_assets_and_emails_on_request() {
    let sandbox = start().await;
    let form = Form::new()
        .part("assets", json_item("one", "1"))
        .part("files", file_part("poster.png", "image/png"));
    assert_eq!(create(&sandbox, form).await.status(), 201);

    let url = assets_url(&sandbox);
    let key = bearer(&sandbox);
    let (status, body) = get(&url, Some(&key)).await;
    assert_eq!(status, 200);
    let list = body.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "one");
    assert_eq!(list[1]["name"], "poster.png");
    assert!(list.iter().all(|a| a["created_by_email"].is_null()));

    let (_, body) = get(&format!("{url}?include_email=true"), Some(&key)).await;
    assert!(
        body.as_array()
            .unwrap()
            .iter()
            .all(|a| a["created_by_email"] == SANDBOX_USER_EMAIL)
    );
    let recorded = sandbox.last_request().unwrap();
    assert_eq!(recorded.query.as_deref(), Some("include_email=true"));
    assert_eq!(recorded.operation.as_deref(), Some("list_assets"));

    let (_, body) = get(&format!("{url}?include_email=False"), Some(&key)).await;
    assert!(body[0]["created_by_email"].is_null());

    let (status, body) = get(&format!("{url}?include_email=maybe"), Some(&key)).await;
    assert_eq!(status, 400);
    assert_eq!(body, json!({"include_email": ["Must be a valid boolean."]}));

    // The JSON keys are the spec's Asset properties.
    let keys: Vec<&str> = list[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "content",
        "content_type",
        "content_url",
        "created_at",
        "created_by",
        "created_by_email",
        "id",
        "is_archived",
        "is_deleted",
        "name",
        "tags",
        "thumbnail_url",
    ];
    expected.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, expected);
}

#[tokio::test]
async fn archive_validates_and_marks_assets() {
    let sandbox = start().await;
    let form = Form::new()
        .part("assets", json_item("keep", "1"))
        .part("assets", json_item("archive me", "2"));
    let (_, created) = create_json(&sandbox, form).await;
    let id = created[1]["id"].as_str().unwrap().to_owned();

    let (status, body) = archive(&sandbox, json!({"assets_ids": [id]})).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["is_archived"], true);
    let recorded = sandbox.last_request().unwrap();
    assert_eq!(recorded.operation.as_deref(), Some("archive_assets"));
    assert_eq!(
        recorded.body.as_deref(),
        Some(format!(r#"{{"assets_ids":["{id}"]}}"#).as_str())
    );

    // Archived assets stay in the list, marked.
    let (_, list) = get(&assets_url(&sandbox), Some(&bearer(&sandbox))).await;
    let flags: Vec<bool> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["is_archived"].as_bool().unwrap())
        .collect();
    assert_eq!(flags, [false, true]);

    let missing = Uuid::new_v4();
    let (status, body) = archive(
        &sandbox,
        json!({"assets_ids": [missing.to_string(), "nope"]}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"assets_ids": [
            format!("Invalid pk \"{missing}\" - object does not exist."),
            "Invalid pk \"nope\" - object does not exist.",
        ]})
    );

    let (status, body) = archive(&sandbox, json!({"assets_ids": []})).await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"assets_ids": ["Ensure this field has at least 1 elements."]})
        )
    );

    let (status, body) = archive(&sandbox, json!({})).await;
    assert_eq!(
        (status, body),
        (400, json!({"assets_ids": ["This field is required."]}))
    );

    let (status, body) = archive(&sandbox, json!({"assets_ids": "x"})).await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"assets_ids": ["Expected a list of items but got type \"str\"."]})
        )
    );

    let response = client()
        .post(archive_url(&sandbox))
        .header("Authorization", bearer(&sandbox))
        .body(format!("assets_ids={id}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);

    // The first asset was never archived.
    assert!(!sandbox.assets()[0].is_archived);
}

#[tokio::test]
async fn content_urls_serve_the_bytes() {
    let sandbox = start().await;
    let form = Form::new()
        .part("assets", json_item("words", "Des mots"))
        .part("files", file_part("clip.mp4", "video/mp4"));
    let (_, created) = create_json(&sandbox, form).await;
    sandbox.clear_records();

    let response = client()
        .get(created[1]["content_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "video/mp4");
    assert_eq!(response.bytes().await.unwrap(), fixture("clip.mp4"));

    let response = client()
        .get(created[0]["content_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(response.text().await.unwrap(), "Des mots");

    let missing = format!("{}/sandbox/content/{}", sandbox.base_url(), Uuid::new_v4());
    assert_eq!(client().get(missing).send().await.unwrap().status(), 404);

    // The sandbox's own routes are not recorded.
    assert!(sandbox.requests().is_empty());
    assert_eq!(sandbox.created_count(), 0, "cleared with the records");
    assert_eq!(sandbox.assets().len(), 2, "assets stay");
}

#[tokio::test]
async fn start_up_errors_name_what_is_wrong() {
    let spec = std::fs::read_to_string(fixture_path("../openapi.yaml")).unwrap();

    let broken = spec.replace("maxItems: 10", "maxItems: 10\n          x-ok: true");
    assert!(
        Sandbox::start(SandboxConfig::default().spec_yaml(broken))
            .await
            .is_ok()
    );

    let no_list = spec.replace("operationId: list_assets", "operationId: list_things");
    let err = Sandbox::start(SandboxConfig::default().spec_yaml(no_list))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SandboxError::SpecMissing { what, .. } if what.contains("list_assets")),
        "{err}"
    );

    let err = Sandbox::start(SandboxConfig::default().spec_yaml("{"))
        .await
        .unwrap_err();
    assert!(matches!(err, SandboxError::SpecSyntax { .. }), "{err}");

    // Refused before any socket is opened.
    let outside = "192.0.2.1:0".parse().unwrap();
    let err = Sandbox::start(SandboxConfig::default().bind(outside))
        .await
        .unwrap_err();
    assert!(matches!(err, SandboxError::NotLoopback { .. }), "{err}");
}

#[tokio::test]
async fn limits_follow_a_changed_spec() {
    let spec = std::fs::read_to_string(fixture_path("../openapi.yaml")).unwrap();
    let spec = spec.replace("maxItems: 10", "maxItems: 2");
    let sandbox = start_with(SandboxConfig::default().spec_yaml(spec)).await;
    let mut form = Form::new();
    for i in 0..3 {
        form = form.part("assets", json_item(&i.to_string(), "x"));
    }
    let (status, body) = create_json(&sandbox, form).await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"assets": ["Ensure this field has no more than 2 elements."]})
        )
    );
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sandbox = start().await;
    let clone = sandbox.clone();
    let url = assets_url(&sandbox);
    assert_eq!(get(&url, Some(&bearer(&sandbox))).await.0, 200);
    clone.shutdown().await;
    assert!(client().get(&url).send().await.is_err());
    sandbox.shutdown().await; // a second call does nothing
}

#[test]
fn handles_are_thread_safe() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    fn sendable<T: Send + Sync + 'static>() {}
    shareable::<Sandbox>();
    shareable::<SandboxConfig>();
    sendable::<SandboxError>();
}

#[tokio::test]
async fn specs_the_router_cannot_take_are_errors_not_panics() {
    let spec =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).unwrap();
    let colon = spec.replacen(
        "/v1/organizations/{organization_id}/workspaces/{workspace_id}/assets:",
        "/v1/:legacy/{organization_id}/workspaces/{workspace_id}/assets:",
        1,
    );
    assert_ne!(colon, spec);
    let error = shareofmodel_sandbox::Sandbox::start(
        shareofmodel_sandbox::SandboxConfig::default().spec_yaml(colon),
    )
    .await
    .expect_err("refused");
    assert!(
        error.to_string().contains("the router refused them"),
        "{error}"
    );
}

#[tokio::test]
async fn an_optional_asset_property_it_cannot_fill_is_left_out() {
    let spec =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).unwrap();
    let extended = spec.replacen(
        "        is_deleted:\n          type: boolean\n",
        "        is_deleted:\n          type: boolean\n        language:\n          type: string\n",
        1,
    );
    assert_ne!(extended, spec);
    let sandbox = shareofmodel_sandbox::Sandbox::start(
        shareofmodel_sandbox::SandboxConfig::default().spec_yaml(extended.clone()),
    )
    .await
    .expect("an optional property does not stop the sandbox");
    sandbox.shutdown().await;

    let required = extended.replacen(
        "required: [id, name, content_url, content_type, content]",
        "required: [id, name, content_url, content_type, content, language]",
        1,
    );
    let error = shareofmodel_sandbox::Sandbox::start(
        shareofmodel_sandbox::SandboxConfig::default().spec_yaml(required),
    )
    .await
    .expect_err("a required one it cannot fill does");
    assert!(
        error.to_string().contains("FILLABLE_ASSET_PROPERTIES"),
        "{error}"
    );
}
