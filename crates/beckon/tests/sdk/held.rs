//! `wait_for_session` and the held wait (docs/wire.md §4.5): against beckon-server it asks to
//! be held and is answered at the tap; against a server that does not hold (Descope's cloud,
//! or beckon-server with `max_wait = 0`) it polls once a second; however a server answers,
//! it sends at most one request a second; after a network error it asks plainly first.

use beckon_testkit::ErrorCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use beckon::{Error, WaitOptions};

use crate::Harness;

/// Waits until the server holds `count` polls.
async fn until_held(h: &Harness, count: usize) {
    for _ in 0..2000 {
        if h.server.state.waits.held() == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{} polls held, not {count}", h.server.state.waits.held());
}

/// `wait_for_session` for `pending_ref`, on a task of its own.
fn wait_in_background(
    h: &Harness,
    pending_ref: &beckon::Secret,
    options: WaitOptions,
) -> tokio::task::JoinHandle<beckon::Result<beckon::AuthResponse>> {
    let (client, pending_ref) = (h.client.clone(), pending_ref.clone());
    tokio::spawn(async move {
        client
            .enchanted_link()
            .wait_for_session(&pending_ref, &options)
            .await
    })
}

#[tokio::test]
async fn against_beckon_server_the_wait_is_held_and_ends_at_the_tap() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    let waiting = wait_in_background(&h, &request.pending_ref, WaitOptions::default());
    until_held(&h, 1).await;
    let links = h.links("ada@example.com").await;
    let (_, token) = links.iter().find(|(n, _)| *n == request.link_id).unwrap();
    el.verify(token).await.unwrap();
    let session = waiting.await.unwrap().unwrap();
    assert_eq!(session.user.unwrap().email, "ada@example.com");
}

#[tokio::test]
async fn a_decline_on_the_phone_ends_the_wait_with_declined() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    let waiting = wait_in_background(&h, &request.pending_ref, WaitOptions::default());
    until_held(&h, 1).await;
    let (_, token) = h.links("ada@example.com").await.remove(0);
    let declined = reqwest::Client::new()
        .post(format!("{}/confirm", h.server.base_url()))
        .form(&[("t", token.as_str()), ("answer", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(declined.status(), 200);
    let result = waiting.await.unwrap();
    assert!(matches!(result, Err(Error::Declined)), "{result:?}");
    assert_eq!(Error::Declined.code(), Some(ErrorCode::Declined.as_str()));
}

#[tokio::test]
async fn a_server_that_does_not_hold_is_polled_and_the_wait_still_ends() {
    let mut config = beckon_server::config::Config::for_tests();
    config.max_wait = 0;
    let h = Harness::with_config(config).await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    let waiting = wait_in_background(&h, &request.pending_ref, WaitOptions::default());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(h.server.state.waits.held(), 0, "nothing is held");
    let links = h.links("ada@example.com").await;
    let (_, token) = links.iter().find(|(n, _)| *n == request.link_id).unwrap();
    el.verify(token).await.unwrap();
    let session = waiting.await.unwrap().unwrap();
    assert_eq!(session.user.unwrap().email, "ada@example.com");
}

/// What a stub server saw: for each pending-session request, whether it asked to be held.
type Seen = Arc<Mutex<Vec<bool>>>;

/// A server that says it held every poll but answers at once (pending), after answering the
/// first `failures` polls with a 500.
async fn eager_server(failures: usize) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/v1/auth/enchantedlink/pending-session",
        axum::routing::post(move |headers: HeaderMap| {
            let log = log.clone();
            async move {
                let n = {
                    let mut log = log.lock().unwrap();
                    log.push(headers.contains_key("prefer"));
                    log.len()
                };
                let (status, code) = if n <= failures {
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        ErrorCode::Internal.as_str(),
                    )
                } else {
                    (StatusCode::UNAUTHORIZED, ErrorCode::Pending.as_str())
                };
                let body = format!(r#"{{"errorCode":"{code}","errorDescription":"stub"}}"#);
                (
                    status,
                    [
                        ("preference-applied", "wait=25"),
                        ("content-type", "application/json"),
                    ],
                    body,
                )
                    .into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, seen)
}

fn client_of(base: &str) -> beckon::Client {
    beckon::Client::new("P000000000000000000000000000")
        .unwrap()
        .with_base_url(base)
}

/// Waits on the stub at `base` for `timeout`, which must run out.
async fn wait_out(base: &str, timeout: Duration) {
    let options = WaitOptions::default().timeout(timeout);
    let result = client_of(base)
        .enchanted_link()
        .wait_for_session(&beckon::Secret::new("ref"), &options)
        .await;
    assert!(matches!(result, Err(Error::Timeout)), "{result:?}");
}

#[tokio::test]
async fn however_early_a_server_answers_there_is_at_most_one_request_a_second() {
    let (base, seen) = eager_server(0).await;
    wait_out(&base, Duration::from_millis(3500)).await;
    let count = seen.lock().unwrap().len();
    // At 0, 1, 2 and 3 s: never more, however fast the answers come.
    assert!((1..=4).contains(&count), "{count} requests in 3.5 s");
}

#[tokio::test]
async fn after_a_server_error_the_first_request_is_a_plain_poll() {
    let (base, seen) = eager_server(1).await;
    // Failed at 0 s, plain at 2 s (the backoff), held at 3 s: room to spare on a busy machine.
    wait_out(&base, Duration::from_secs(6)).await;
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() >= 3, "{seen:?}");
    assert_eq!(
        seen[..3],
        [true, false, true],
        "held, failed; plain, answered; held again"
    );
}

#[tokio::test]
async fn cancelling_drops_a_held_request_at_once() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    let options = WaitOptions::default();
    let cancel = options.cancel.clone();
    let waiting = wait_in_background(&h, &request.pending_ref, options);
    until_held(&h, 1).await;
    cancel.cancel();
    let result = waiting.await.unwrap();
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    // The server sees the request go: its wait is unregistered.
    until_held(&h, 0).await;
}
