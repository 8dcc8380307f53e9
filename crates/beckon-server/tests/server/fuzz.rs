//! A property test over every endpoint: whatever arrives (any JSON, any bytes, any bearer),
//! the answer is never a 5xx, an error is always in the wire format, and a refused request
//! changes nothing.

use std::sync::Arc;

use beckon_server::limits::RuleSet;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

use crate::harness::TestServer;

/// Every route, with its method; path parameters filled with real and made-up values.
const ENDPOINTS: &[(&str, &str)] = &[
    ("POST", "/v1/auth/enchantedlink/signin/email"),
    ("POST", "/v1/auth/enchantedlink/signup/email"),
    ("POST", "/v1/auth/enchantedlink/signup-in/email"),
    ("POST", "/v1/auth/enchantedlink/signup-in/sms"),
    ("POST", "/v1/auth/enchantedlink/signin/voice"),
    ("POST", "/v1/auth/enchantedlink/nonsense/email"),
    ("POST", "/v1/auth/enchantedlink/update/email"),
    ("POST", "/v1/auth/enchantedlink/update/phone/sms"),
    ("POST", "/v1/auth/enchantedlink/verify"),
    ("POST", "/v1/auth/enchantedlink/pending-session"),
    ("POST", "/v1/auth/magiclink/signin/email"),
    ("POST", "/v1/auth/magiclink/signup/sms"),
    ("POST", "/v1/auth/magiclink/signup-in/whatsapp"),
    ("POST", "/v1/auth/magiclink/update/email"),
    ("POST", "/v1/auth/magiclink/update/phone"),
    ("POST", "/v1/auth/magiclink/update/phone/sms"),
    ("POST", "/v1/auth/magiclink/verify"),
    ("POST", "/v1/auth/refresh"),
    ("POST", "/v1/auth/try-refresh"),
    ("POST", "/v1/auth/logout"),
    ("POST", "/v1/auth/logoutall"),
    ("GET", "/v1/auth/me"),
    ("GET", "/v2/keys/PROJECT"),
    ("GET", "/v2/keys/P2OPANdSmtackRAJlrRKFxFcoriw"),
    ("GET", "/confirm"),
    ("POST", "/confirm"),
    ("GET", "/dev/outbox"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/v1/auth/unknown"),
];

/// Field names the SDKs send, so generated objects often have the right keys, wrong values.
const FIELDS: &[&str] = &[
    "loginId",
    "email",
    "phone",
    "URI",
    "redirectUrl",
    "uri",
    "token",
    "pendingRef",
    "user",
    "loginOptions",
    "customClaims",
    "stepup",
    "mfa",
    "revokeOtherSessions",
    "addToLoginIDs",
    "onMergeUseExisting",
    "crossDevice",
    "name",
    "t",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}".prop_map(Value::String),
        "\\+[0-9]{4,16}".prop_map(Value::String),
        "(https?|beckon|javascript)://[a-z.]{0,20}/?[a-z?=&]{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(FIELDS).prop_map(str::to_owned),
                        ".{0,8}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A body: JSON of any shape, or bytes that are not JSON at all.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => json_value().prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..200),
        1 => Just(Vec::new()),
    ]
}

/// An Authorization header: none, this project, another, junk, or a made-up JWT.
fn bearer() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("Bearer PROJECT".to_owned())),
        Just(Some("Bearer P2OPANdSmtackRAJlrRKFxFcoriw".to_owned())),
        ".{0,30}".prop_map(Some),
        "[A-Za-z0-9_-]{10}\\.[A-Za-z0-9_-]{10}\\.[A-Za-z0-9_-]{10}"
            .prop_map(|jwt| Some(format!("Bearer PROJECT:{jwt}"))),
    ]
}

#[test]
fn malformed_requests_never_get_a_5xx_and_never_change_state() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let mut config = beckon_server::config::Config::for_tests();
        config.limits = RuleSet::off();
        let s = TestServer::with_config(config).await;
        // Someone signed in, so there is state to keep.
        s.sign_up("ada@example.com").await;
        Arc::new(s)
    });
    let config = ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(
        endpoint in prop::sample::select(ENDPOINTS),
        body in body(),
        bearer in bearer(),
        query in prop::option::of("[a-zA-Z0-9=&%_-]{0,40}"),
    )| {
        let s = server.clone();
        let (method, path) = endpoint;
        let path = path.replace("PROJECT", &s.project_id);
        let bearer = bearer.map(|b| b.replace("PROJECT", &s.project_id));
        let (status, text, before, after) = runtime.block_on(async move {
            let before = s.server.state.store.state_summary().await.unwrap();
            let url = match &query {
                Some(q) => format!("{}{path}?{q}", s.base),
                None => format!("{}{path}", s.base),
            };
            let mut request = match method {
                "GET" => s.http.get(url),
                _ => s.http.post(url).body(body),
            };
            if let Some(b) = bearer {
                if let Ok(value) = reqwest::header::HeaderValue::from_str(&b) {
                    request = request.header("Authorization", value);
                }
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let is_json = response
                .headers()
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("application/json"));
            let text = response.text().await.unwrap();
            let after = s.server.state.store.state_summary().await.unwrap();
            ((status, is_json), text, before, after)
        });
        let (status, is_json) = status;
        prop_assert!(status < 500, "{method} {} answered {status}: {text}", endpoint.1);
        if status >= 400 && is_json {
            let error: Value = serde_json::from_str(&text).unwrap();
            prop_assert!(error["errorCode"].as_str().is_some_and(|c| c.starts_with('E')), "{text}");
        }
        if status >= 400 {
            prop_assert_eq!(before, after, "{} {} changed state while refusing: {}", method, endpoint.1, text);
        }
    });
}
