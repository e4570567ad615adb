//! The key-for-token exchange and tokens on the API routes, over real HTTP.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use shareofmodel_sandbox::{
    AuthorizationSeen, CredentialSeen, REDACTED, Sandbox, SandboxConfig, SandboxError, TokenField,
};

fn token_url(sandbox: &Sandbox) -> String {
    format!("{}/v1/auth/token", sandbox.base_url())
}

async fn exchange(sandbox: &Sandbox, body: Value) -> (u16, Value) {
    let response = client()
        .post(token_url(sandbox))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn list_with(sandbox: &Sandbox, authorization: &str) -> (u16, Value) {
    let response = client()
        .get(assets_url(sandbox))
        .header("Authorization", authorization)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_valid_key_buys_a_token_that_authenticates_as_bearer() {
    let sandbox = start().await;
    let key = sandbox.api_key().to_owned();
    let (status, body) = exchange(&sandbox, json!({ "api_key": key })).await;
    assert_eq!(status, 200, "{body}");
    let object = body.as_object().unwrap();
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["access", "expires_in"]);
    assert_eq!(body["expires_in"], 900);
    let token = body["access"].as_str().unwrap().to_owned();
    assert!(
        token.starts_with("som_tok_") && token.len() == 8 + 64,
        "{token}"
    );
    assert_eq!(sandbox.token_exchanges(), 1);

    // Each exchange issues a new token.
    let (_, again) = exchange(&sandbox, json!({ "api_key": key })).await;
    assert_ne!(again["access"], body["access"]);
    assert_eq!(sandbox.token_exchanges(), 2);

    assert_eq!(list_with(&sandbox, &format!("Bearer {token}")).await.0, 200);
    // A token counts only as a bearer token; the key still works both ways.
    assert_eq!(
        list_with(&sandbox, &token).await,
        (401, json!({"detail": "Invalid token."}))
    );
    assert_eq!(list_with(&sandbox, &key).await.0, 200);
    assert_eq!(list_with(&sandbox, &format!("Bearer {key}")).await.0, 200);

    let requests = sandbox.requests();
    let seen: Vec<(Option<&str>, AuthorizationSeen, CredentialSeen, u16)> = requests
        .iter()
        .map(|r| {
            (
                r.operation.as_deref(),
                r.authorization,
                r.credential,
                r.status,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                Some("create_access_token"),
                AuthorizationSeen::Missing,
                CredentialSeen::Missing,
                200
            ),
            (
                Some("create_access_token"),
                AuthorizationSeen::Missing,
                CredentialSeen::Missing,
                200
            ),
            (
                Some("list_assets"),
                AuthorizationSeen::Bearer { valid: true },
                CredentialSeen::Token,
                200
            ),
            (
                Some("list_assets"),
                AuthorizationSeen::Raw { valid: false },
                CredentialSeen::Token,
                401
            ),
            (
                Some("list_assets"),
                AuthorizationSeen::Raw { valid: true },
                CredentialSeen::ApiKey,
                200
            ),
            (
                Some("list_assets"),
                AuthorizationSeen::Bearer { valid: true },
                CredentialSeen::ApiKey,
                200
            ),
        ]
    );

    // Neither the key nor any token is kept: the body and the answer are redacted.
    assert_eq!(
        requests[0].body.as_deref(),
        Some(format!(r#"{{"api_key":"{REDACTED}"}}"#).as_str())
    );
    assert_eq!(
        requests[0].response,
        Some(json!({"access": REDACTED, "expires_in": 900}))
    );
    assert_eq!(
        requests[2].header("authorization"),
        Some(format!("Bearer {REDACTED}").as_str())
    );
    let dump = format!("{requests:?} {sandbox:?}");
    assert!(!dump.contains(&key));
    assert!(!dump.contains(&token));
    assert!(!dump.contains(again["access"].as_str().unwrap()));
}

#[tokio::test]
async fn wrong_or_malformed_exchanges_are_refused() {
    let sandbox = start().await;
    for (body, status, answer) in [
        (
            json!({"api_key": "wrong"}),
            401,
            json!({"detail": "No active account found with the given credentials"}),
        ),
        (
            json!({}),
            400,
            json!({"api_key": ["This field is required."]}),
        ),
        (
            json!({"api_key": ""}),
            400,
            json!({"api_key": ["This field may not be blank."]}),
        ),
        (
            json!({"api_key": 7}),
            400,
            json!({"api_key": ["Not a valid string."]}),
        ),
        (
            json!({"api_key": null}),
            400,
            json!({"api_key": ["This field may not be null."]}),
        ),
        (
            json!(["x"]),
            400,
            json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
        ),
        (
            json!({"api_key": sandbox.api_key(), "password": "x"}),
            400,
            json!({"password": ["Unknown field; this operation takes `api_key`."]}),
        ),
    ] {
        assert_eq!(
            exchange(&sandbox, body.clone()).await,
            (status, answer),
            "{body}"
        );
    }

    let response = client()
        .post(token_url(&sandbox))
        .body(format!("api_key={}", sandbox.api_key()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"detail": "Unsupported media type \"application/x-www-form-urlencoded\" in request."})
    );

    assert_eq!(sandbox.token_exchanges(), 0);
    assert!(!format!("{:?}", sandbox.requests()).contains(sandbox.api_key()));
}

#[tokio::test]
async fn expired_tokens_are_refused_with_token_not_valid() {
    let sandbox = start().await;
    let key = sandbox.api_key().to_owned();
    let (_, body) = exchange(&sandbox, json!({ "api_key": key })).await;
    let old = format!("Bearer {}", body["access"].as_str().unwrap());
    assert_eq!(list_with(&sandbox, &old).await.0, 200);

    sandbox.expire_tokens();
    let expired = json!({
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
    });
    assert_eq!(list_with(&sandbox, &old).await, (401, expired.clone()));
    let last = sandbox.last_request().unwrap();
    assert_eq!(last.credential, CredentialSeen::ExpiredToken);
    assert_eq!(
        last.authorization,
        AuthorizationSeen::Bearer { valid: false }
    );
    assert_eq!(last.response, Some(expired));
    // A made-up token is not "expired", just invalid.
    assert_eq!(
        list_with(&sandbox, "Bearer som_tok_made_up").await,
        (401, json!({"detail": "Invalid token."}))
    );

    // A new exchange works again, and the key was never affected.
    let (_, body) = exchange(&sandbox, json!({ "api_key": key })).await;
    let new = format!("Bearer {}", body["access"].as_str().unwrap());
    assert_eq!(list_with(&sandbox, &new).await.0, 200);
    assert_eq!(list_with(&sandbox, &key).await.0, 200);
    assert_eq!(sandbox.token_exchanges(), 2);
    sandbox.clear_records();
    assert_eq!(sandbox.token_exchanges(), 0);
    assert_eq!(list_with(&sandbox, &new).await.0, 200);
}

#[tokio::test]
async fn tokens_expire_after_the_configured_lifetime() {
    let sandbox = start_with(SandboxConfig::default().token_ttl(Duration::from_millis(300))).await;
    let (_, body) = exchange(&sandbox, json!({ "api_key": sandbox.api_key() })).await;
    // Whole seconds, rounded up.
    assert_eq!(body["expires_in"], 1);
    let bearer = format!("Bearer {}", body["access"].as_str().unwrap());
    assert_eq!(list_with(&sandbox, &bearer).await.0, 200);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, body) = list_with(&sandbox, &bearer).await;
    assert_eq!((status, &body["code"]), (401, &json!("token_not_valid")));
}

#[tokio::test]
async fn the_token_field_and_expires_in_are_configurable() {
    for (field, name) in [
        (TokenField::Access, "access"),
        (TokenField::AccessToken, "access_token"),
        (TokenField::Token, "token"),
    ] {
        let sandbox = start_with(
            SandboxConfig::default()
                .token_field(field)
                .token_expires_in(false),
        )
        .await;
        let (status, body) = exchange(&sandbox, json!({ "api_key": sandbox.api_key() })).await;
        assert_eq!(status, 200);
        let object = body.as_object().unwrap();
        assert_eq!(object.keys().collect::<Vec<_>>(), [name]);
        let bearer = format!("Bearer {}", body[name].as_str().unwrap());
        assert_eq!(list_with(&sandbox, &bearer).await.0, 200);
        assert_eq!(name.parse::<TokenField>(), Ok(field));
        assert_eq!(field.name(), name);
    }
    assert!("jwt".parse::<TokenField>().is_err());

    // The configured field must be one the spec's answer declares.
    let spec = std::fs::read_to_string(fixture_path("../openapi.yaml")).unwrap();
    let declared = "        token:\n          type: string\n";
    assert!(spec.contains(declared));
    let spec = spec.replace(declared, "        other:\n          type: string\n");
    let err = Sandbox::start(
        SandboxConfig::default()
            .spec_yaml(spec)
            .token_field(TokenField::Token),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, SandboxError::SpecUnsupported { reason, .. } if reason.contains("`token`")),
        "{err}"
    );
}
