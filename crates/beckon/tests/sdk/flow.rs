use beckon_testkit::ErrorCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use beckon::{Error, SessionPoll, WaitEvent, WaitOptions};

use crate::Harness;

#[tokio::test]
async fn sign_up_or_in_wait_and_validate() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    assert_eq!(request.masked.masked_email, "a***@example.com");
    assert!(matches!(
        el.get_session(&request.pending_ref).await.unwrap(),
        SessionPoll::Pending
    ));

    let links = h.links("ada@example.com").await;
    let (_, wrong) = links.iter().find(|(n, _)| *n != request.link_id).unwrap();
    let refused = el.verify(wrong).await.unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::WrongLink.as_str()));

    // Confirm from "the phone" while the desktop waits.
    let (_, right) = links
        .iter()
        .find(|(n, _)| *n == request.link_id)
        .unwrap()
        .clone();
    let phone = h.client.clone();
    let tap = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        phone.enchanted_link().verify(&right).await
    });
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    // Plain polling, as against Descope's cloud (the held wait is in `held.rs`).
    let options = WaitOptions::default()
        .hold(None)
        .on_event(move |e| seen.lock().unwrap().push(e));
    let session = el
        .wait_for_session(&request.pending_ref, &options)
        .await
        .unwrap();
    tap.await.unwrap().unwrap();
    assert!(events.lock().unwrap().contains(&WaitEvent::Pending));

    let user = session.user.clone().unwrap();
    assert_eq!(user.email, "ada@example.com");
    assert!(session.first_seen);
    let token = h
        .client
        .validate_session(session.session_jwt.expose())
        .await
        .unwrap();
    assert_eq!(token.subject, user.user_id);
    assert_eq!(token.auth_methods, vec!["email".to_owned()]);

    // The session is handed out as one: asked again within a minute (an answer lost), the
    // same session; after that, never.
    let again = el.get_session(&request.pending_ref).await.unwrap();
    let beckon::SessionPoll::Ready(again) = again else {
        panic!("not the session again: {again:?}")
    };
    assert_eq!(again.user.unwrap().user_id, user.user_id);
    h.clock.advance(61);
    assert!(matches!(
        el.get_session(&request.pending_ref).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn sign_in_and_sign_up_keep_to_their_users() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let unknown = el.sign_in("nobody@example.com", None).await.unwrap_err();
    assert_eq!(unknown.code(), Some(ErrorCode::UserNotFound.as_str()));
    let user = beckon::SignUpUser {
        name: Some("Grace Hopper".into()),
        ..Default::default()
    };
    let request = el
        .sign_up("grace@example.com", None, Some(user))
        .await
        .unwrap();
    let links = h.links("grace@example.com").await;
    let (_, token) = links.iter().find(|(n, _)| *n == request.link_id).unwrap();
    el.verify(token).await.unwrap();
    let session = el
        .wait_for_session(&request.pending_ref, &WaitOptions::default())
        .await
        .unwrap();
    assert_eq!(session.user.unwrap().name, "Grace Hopper");
    let exists = el
        .sign_up("grace@example.com", None, None)
        .await
        .unwrap_err();
    assert_eq!(exists.code(), Some(ErrorCode::UserExists.as_str()));
    assert!(el.sign_in("grace@example.com", None).await.is_ok());
    let invalid = el.sign_in("not-an-email", None).await.unwrap_err();
    assert_eq!(invalid.code(), Some(ErrorCode::InvalidRequest.as_str()));
}

#[tokio::test]
async fn waiting_stops_at_once_when_cancelled() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    let options = WaitOptions::default();
    let cancel = options.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let result = el.wait_for_session(&request.pending_ref, &options).await;
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn waiting_ends_when_the_link_expires() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    h.clock.advance(301);
    let result = el
        .wait_for_session(&request.pending_ref, &WaitOptions::default())
        .await;
    assert!(matches!(result, Err(Error::Expired)), "{result:?}");
}

#[tokio::test]
async fn waiting_gives_up_at_its_deadline() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    let options = WaitOptions::default().timeout(Duration::from_millis(1500));
    let result = el.wait_for_session(&request.pending_ref, &options).await;
    assert!(matches!(result, Err(Error::Timeout)), "{result:?}");
}

#[tokio::test]
async fn an_unreachable_server_backs_off_and_reports_reconnecting() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    let base = h.server.base_url();
    h.server.stop().await.unwrap();

    let client = beckon::Client::new(h.client.project_id())
        .unwrap()
        .with_base_url(base);
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let options = WaitOptions::default()
        .timeout(Duration::from_secs(8))
        .on_event(move |e| seen.lock().unwrap().push(e));
    let result = client
        .enchanted_link()
        .wait_for_session(&request.pending_ref, &options)
        .await;
    assert!(matches!(result, Err(Error::Timeout)), "{result:?}");
    let delays: Vec<Duration> = events
        .lock()
        .unwrap()
        .iter()
        .map(|e| match e {
            WaitEvent::Reconnecting { retry_in } => *retry_in,
            other => panic!("only reconnecting events, got {other:?}"),
        })
        .collect();
    // About 2 s, then about 4 s (each made random, see below): backing off, never
    // hammering the network.
    let secs = |d: Duration| d.as_secs_f64();
    assert!((1.0..3.0).contains(&secs(delays[0])), "{delays:?}");
    assert!((2.0..6.0).contains(&secs(delays[1])), "{delays:?}");
}

#[tokio::test]
async fn a_rate_limited_request_says_when_to_try_again() {
    let mut config = beckon_server::config::Config::for_tests();
    config.limits.send_per_login_id = Some(beckon_server::limits::Rule::new(1, 600));
    let h = Harness::with_config(config).await;
    let el = h.client.enchanted_link();
    el.sign_up_or_in("ada@example.com", None).await.unwrap();
    h.clock.advance(100);
    let err = el.sign_up_or_in("ada@example.com", None).await.unwrap_err();
    match err {
        Error::RateLimited { retry_after } => {
            assert_eq!(retry_after, Some(Duration::from_secs(500)));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(
        Error::RateLimited { retry_after: None }.code(),
        Some(ErrorCode::RateLimited.as_str())
    );
}

/// After a server restart every client reconnects: on one schedule they would all come back
/// in the same instant, again and again. A hundred waits cut off together (a paused clock, a
/// server that is gone) spread their first retries over at least half the base delay, with
/// no tenth of that span holding more than a quarter of them. Before, every one retried at
/// exactly 2 s.
#[tokio::test(start_paused = true)]
async fn clients_cut_off_together_spread_their_retries() {
    let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", gone.local_addr().unwrap());
    drop(gone);
    let client = beckon::Client::new("P2OPANdSmtackRAJlrRKFxFcoriw")
        .unwrap()
        .with_base_url(base);
    let pending_ref = beckon::Secret::new("a pending sign-in");
    let mut first_retries = Vec::new();
    for _ in 0..100 {
        let (client, pending_ref) = (client.clone(), pending_ref.clone());
        first_retries.push(tokio::spawn(async move {
            let first = Arc::new(Mutex::new(None));
            let options = WaitOptions::default();
            let (seen, cancel) = (first.clone(), options.cancel.clone());
            let options = options.on_event(move |e| {
                if let WaitEvent::Reconnecting { retry_in } = e {
                    seen.lock().unwrap().get_or_insert(retry_in);
                    cancel.cancel();
                }
            });
            let _ = client
                .enchanted_link()
                .wait_for_session(&pending_ref, &options)
                .await;
            let seen = first.lock().unwrap().take();
            seen.expect("a reconnecting event")
        }));
    }
    let mut delays = Vec::new();
    for retry in first_retries {
        delays.push(retry.await.unwrap().as_secs_f64());
    }
    let base = 2.0;
    let (low, high) = delays
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), d| (l.min(*d), h.max(*d)));
    assert!(
        high - low >= base / 2.0,
        "first retries from {low} s to {high} s: not spread"
    );
    let mut tenths = [0usize; 10];
    for d in &delays {
        let tenth = (((d - low) / (high - low)) * 10.0).min(9.0) as usize;
        tenths[tenth] += 1;
    }
    assert!(
        tenths.iter().all(|n| *n <= 25),
        "a tenth of the span holds more than a quarter: {tenths:?}"
    );
}

/// When no link works: the code from the email, typed here, confirms the request the held wait
/// is waiting on; a wrong one says how many tries are left.
#[tokio::test]
async fn a_code_typed_here_ends_the_wait_signed_in() {
    let h = Harness::start().await;
    let el = h.client.enchanted_link();
    let request = el.sign_up_or_in("ada@example.com", None).await.unwrap();
    let code = h.code("ada@example.com").await;

    let wrong = el
        .confirm_with_code(&request.pending_ref, "AAAA-AAAA")
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, Error::WrongCode { tries_left: 4 }),
        "{wrong:?}"
    );

    let typist = h.client.clone();
    let pending_ref = request.pending_ref.clone();
    let typed = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        typist
            .enchanted_link()
            .confirm_with_code(&pending_ref, &code.to_lowercase())
            .await
    });
    let session = el
        .wait_for_session(&request.pending_ref, &WaitOptions::default())
        .await
        .unwrap();
    typed.await.unwrap().unwrap();
    assert_eq!(session.user.unwrap().email, "ada@example.com");
}
