//! Text messages through the Twilio-compatible adapter, against a local HTTP server standing
//! in for the provider: what it receives, retries on its outages, refusals kept.

use beckon_testkit::ErrorCode;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Form, Json};
use beckon_server::config::{Config, Settings};
use serde_json::{json, Value};

use crate::harness::{assert_error, config_with, delivered, TestServer};

/// One request the provider received.
#[derive(Debug, Clone)]
struct Received {
    account: String,
    authorization: String,
    form: HashMap<String, String>,
}

#[derive(Clone, Default)]
struct Provider {
    received: Arc<Mutex<Vec<Received>>>,
    /// Answers to give, in order; then 201.
    answers: Arc<Mutex<VecDeque<(StatusCode, Value)>>>,
}

async fn messages(
    State(provider): State<Provider>,
    Path(account): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> (StatusCode, Json<Value>) {
    provider.received.lock().unwrap().push(Received {
        account: account.trim_end_matches(".json").to_owned(),
        authorization: headers["authorization"].to_str().unwrap().to_owned(),
        form,
    });
    let answer = provider.answers.lock().unwrap().pop_front();
    let (status, body) = answer.unwrap_or((
        StatusCode::CREATED,
        json!({"sid": "SM0001", "status": "queued"}),
    ));
    (status, Json(body))
}

impl Provider {
    /// Serves on a loopback port: its base URL.
    async fn start(&self) -> url::Url {
        let app = axum::Router::new()
            .route(
                "/2010-04-01/Accounts/{account}/Messages.json",
                axum::routing::post(messages),
            )
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}").parse().unwrap()
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn sms(base: url::Url, token_file: &std::path::Path) -> Settings {
    Settings {
        sms_provider_url: Some(base),
        sms_account_sid: Some("AC0123456789".into()),
        sms_auth_token_file: Some(token_file.to_owned()),
        sms_from: Some("+15005550006".into()),
        ..Settings::default()
    }
}

fn token_file() -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), "auth-token-1\n").unwrap();
    file
}

#[tokio::test]
async fn a_text_reaches_the_provider_with_its_numbered_links_and_signs_in() {
    let provider = Provider::default();
    let token = token_file();
    let s = TestServer::with_config(config_with(sms(provider.start().await, token.path()))).await;
    let (status, started) = s
        .post(
            "/v1/auth/enchantedlink/signup-in/sms",
            json!({"loginId": "+14155550100"}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    s.wait_for_delivery(delivered(0, 1, 0)).await;

    let received = provider.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.account, "AC0123456789");
    use base64::Engine;
    let expected = base64::engine::general_purpose::STANDARD.encode("AC0123456789:auth-token-1");
    assert_eq!(request.authorization, format!("Basic {expected}"));
    assert_eq!(request.form["To"], "+14155550100");
    assert_eq!(request.form["From"], "+15005550006");
    let body = &request.form["Body"];
    assert!(body.contains("Not you? Ignore this."), "{body}");
    let links: Vec<(&str, &str)> = body
        .lines()
        .filter_map(|l| l.split_once(": "))
        .filter(|(n, _)| n.len() == 2 && n.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(links.len(), 3, "{body}");
    let (_, url) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(url).await.0, 200);
    assert_eq!(s.poll(started["pendingRef"].as_str().unwrap()).await.0, 200);

    // No SMTP here: email is refused rather than queued for nobody.
    let refused = s
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            json!({"loginId": "ada@example.com"}),
        )
        .await;
    assert_error(&refused, 400, ErrorCode::InvalidRequest.as_str());
    assert!(refused.1["errorDescription"]
        .as_str()
        .unwrap()
        .contains("does not send email"));
}

#[tokio::test]
async fn a_provider_outage_is_retried_and_a_refused_number_is_given_up() {
    let provider = Provider::default();
    provider.answers.lock().unwrap().extend([
        (StatusCode::SERVICE_UNAVAILABLE, json!({"message": "down for maintenance"})),
        (StatusCode::CREATED, json!({"sid": "SM1"})),
        (
            StatusCode::BAD_REQUEST,
            json!({"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}),
        ),
    ]);
    let token = token_file();
    let s = TestServer::with_config(config_with(sms(provider.start().await, token.path()))).await;
    let send = |phone: &'static str| {
        let s = &s;
        async move {
            let (status, body) = s
                .post(
                    "/v1/auth/magiclink/signup-in/sms",
                    json!({"loginId": phone, "URI": "beckon://auth"}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    };
    send("+14155550100").await;
    // Attempted once, and waiting for the next try.
    let error = s.delivery_error(1).await;
    s.wait_for_delivery(delivered(1, 0, 0)).await;
    assert!(
        error.contains("503") && error.contains("down for maintenance"),
        "{error}"
    );
    // Past the retry's wait (about 5 s, 2 to 7 made random).
    s.clock.advance(8);
    s.wait_for_delivery(delivered(0, 1, 0)).await;
    assert_eq!(provider.received().len(), 2, "the retry, once");

    send("+14155550199").await;
    s.wait_for_delivery(delivered(0, 1, 1)).await;
    let error = s.delivery_error(2).await;
    assert!(error.contains("21211"), "{error}");
    assert!(!error.contains("auth-token-1"));
}

#[test]
fn sms_settings_come_together_or_not_at_all() {
    let err = Config::from_settings(Settings {
        sms_account_sid: Some("AC1".into()),
        ..Settings::default()
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("missing: sms_auth_token_file, sms_from"),
        "{err}"
    );
    let printed = format!(
        "{:?}",
        Config::from_settings(sms(
            "https://api.twilio.com".parse().unwrap(),
            token_file().path()
        ))
        .unwrap()
    );
    assert!(!printed.contains("auth-token-1"), "{printed}");
}
