//! Connections and the requests on them are bounded (docs/operations.md, "Limits"): a
//! connection has a deadline for its first request, HTTP/2 is off unless asked for, open
//! connections are capped, a connection's requests hold permits until their work ends, and
//! requests under way at once are capped. Each test tells what happened from the answers and
//! the sockets themselves, never from how long something took.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use beckon_server::config::Settings;
use beckon_testkit::ErrorCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::{config_with, TestServer};
use crate::metrics::{samples, scrape};

/// Longer than the header timeout (10 s), by a margin a busy machine needs.
const PAST_THE_HEADER_TIMEOUT: Duration = Duration::from_secs(25);

fn address(s: &TestServer) -> String {
    s.base.trim_start_matches("http://").to_owned()
}

/// Whether the server closes `stream` within `within` (reading whatever it sends first).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut sink = Vec::new();
    tokio::time::timeout(within, stream.read_to_end(&mut sink))
        .await
        .is_ok()
}

async fn server(settings: Settings) -> TestServer {
    TestServer::with_config(config_with(settings)).await
}

/// A connection that never sends a byte, or stops inside HTTP/2's preface, is closed at the
/// header timeout. Before, the version sniff that comes before the header timeout waited
/// forever: a thousand silent sockets stopped the server accepting anyone.
#[tokio::test]
async fn a_connection_that_sends_nothing_or_half_a_preface_is_closed() {
    let s = server(Settings {
        http2: Some(true),
        ..Settings::default()
    })
    .await;
    let mut silent = TcpStream::connect(address(&s)).await.unwrap();
    let mut half = TcpStream::connect(address(&s)).await.unwrap();
    half.write_all(b"PRI * HTTP/2.0\r\n").await.unwrap();
    let (silent, half) = tokio::join!(
        closed_within(&mut silent, PAST_THE_HEADER_TIMEOUT),
        closed_within(&mut half, PAST_THE_HEADER_TIMEOUT),
    );
    assert!(silent, "a connection that sent nothing is still open");
    assert!(half, "a connection that sent half a preface is still open");
}

/// An HTTP/2 client with prior knowledge: its connection and the task driving it.
async fn h2_client(s: &TestServer) -> Result<h2::client::SendRequest<bytes::Bytes>, h2::Error> {
    let tcp = TcpStream::connect(address(s)).await.unwrap();
    let (send, connection) = h2::client::handshake(tcp).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    send.ready().await
}

fn h2_request(s: &TestServer, path: &str, prefer: Option<&str>) -> http::Request<()> {
    let mut request = http::Request::post(format!("{}{path}", s.base))
        .header("authorization", format!("Bearer {}", s.project_id))
        .header("content-type", "application/json");
    if let Some(prefer) = prefer {
        request = request.header("prefer", prefer);
    }
    request.body(()).unwrap()
}

/// HTTP/2 is off unless the setting turns it on: Descope's SDKs and the desktop speak
/// HTTP/1.1, and each HTTP/2 connection can carry many requests at once.
#[tokio::test]
async fn http2_is_spoken_only_when_the_setting_asks() {
    let off = TestServer::start().await;
    let refused = match h2_client(&off).await {
        Err(_) => true,
        Ok(mut send) => match send.send_request(h2_request(&off, "/healthz", None), true) {
            Err(_) => true,
            Ok((answer, _)) => answer.await.is_err(),
        },
    };
    assert!(refused, "an HTTP/2 request was answered with http2 off");

    let on = server(Settings {
        http2: Some(true),
        ..Settings::default()
    })
    .await;
    let mut send = h2_client(&on).await.expect("HTTP/2 with http2 on");
    let request = http::Request::get(format!("{}/healthz", on.base))
        .body(())
        .unwrap();
    let (answer, _) = send.send_request(request, true).unwrap();
    assert_eq!(answer.await.unwrap().status(), 200);
}

/// Past `max_connections` the oldest connection with nothing under way is closed for the
/// new one, which is served. Before, nothing capped connections.
#[tokio::test]
async fn past_the_connection_cap_the_oldest_idle_connection_makes_room() {
    let s = server(Settings {
        max_connections: Some(16),
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..Settings::default()
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(TcpStream::connect(address(&s)).await.unwrap());
    }
    // Each is accepted before the next is counted: one request through a fresh connection.
    assert_eq!(s.http_get("/readyz").await, 200);
    let oldest = &mut idle[0];
    assert!(
        closed_within(oldest, Duration::from_secs(5)).await,
        "the oldest idle connection is still open past the cap"
    );
    let samples = samples(&scrape(&s).await);
    let shed = samples.get("beckon_connections_shed_total{action=\"closed_idle\"}");
    assert_eq!(shed, Some(&1.0), "{samples:?}");
}

/// When every connection has a request under way, a new one is refused (closed unanswered)
/// rather than taking a descriptor past the cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_connection_cap_with_every_connection_busy_a_new_one_is_refused() {
    let s = server(Settings {
        max_connections: Some(16),
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..Settings::default()
    })
    .await;
    let mut confirmed = Vec::new();
    for n in 0..16 {
        confirmed.push(s.confirmed_sign_in(&format!("person{n}@example.com")).await);
    }
    // Each collection stops at a checkpoint, its connection busy, until released.
    let inside = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    s.server.state.checkpoints.set("collect-read", {
        let (inside, release) = (inside.clone(), release.clone());
        move || {
            let (inside, release) = (inside.clone(), release.clone());
            async move {
                inside.fetch_add(1, Ordering::SeqCst);
                let _ = release.acquire().await.map(|p| p.forget());
            }
        }
    });
    let mut busy = Vec::new();
    for pending_ref in &confirmed {
        let mut stream = TcpStream::connect(address(&s)).await.unwrap();
        let body = json!({"pendingRef": pending_ref}).to_string();
        let request = format!(
            "POST /v1/auth/enchantedlink/pending-session HTTP/1.1\r\nHost: beckon\r\n\
             Authorization: Bearer {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            s.project_id,
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        busy.push(stream);
    }
    for _ in 0..2000 {
        if inside.load(Ordering::SeqCst) == 16 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(inside.load(Ordering::SeqCst), 16, "every connection busy");
    let mut late = TcpStream::connect(address(&s)).await.unwrap();
    let _ = late
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: beckon\r\n\r\n")
        .await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), late.read_to_end(&mut answer)).await;
    assert!(
        read.is_ok() && answer.is_empty(),
        "a connection past the cap was served: {:?}",
        String::from_utf8_lossy(&answer)
    );
    release.add_permits(100);
    let samples = samples(&scrape(&s).await);
    let refused = samples.get("beckon_connections_shed_total{action=\"refused\"}");
    assert!(refused.is_some_and(|n| *n >= 1.0), "{samples:?}");
    // The work under way was not cut: each collection answers with its session.
    for mut stream in busy {
        let mut answer = vec![0; 64];
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer)).await;
        let n = read.unwrap().unwrap();
        assert!(
            answer[..n].starts_with(b"HTTP/1.1 200"),
            "{:?}",
            String::from_utf8_lossy(&answer[..n])
        );
    }
}

/// HTTP/2 rapid reset: a client that resets each stream as soon as it is sent cannot start
/// more work than its connection's permits; a stream reset while it waits for a permit is
/// never started. Before, every request was spawned before hyper polled it, and a reset
/// dropped only the join handle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_resetting_its_streams_starts_no_more_work_than_its_permits() {
    let s = server(Settings {
        http2: Some(true),
        max_requests_per_connection: Some(4),
        ..Settings::default()
    })
    .await;
    let (started, _) = s.start_link("ada@example.com").await;
    let body = bytes::Bytes::from(json!({"pendingRef": started["pendingRef"]}).to_string());
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let ever = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    s.server.state.checkpoints.set("poll-read", {
        let (now, most, ever, release) = (now.clone(), most.clone(), ever.clone(), release.clone());
        move || {
            let (now, most, ever, release) =
                (now.clone(), most.clone(), ever.clone(), release.clone());
            async move {
                ever.fetch_add(1, Ordering::SeqCst);
                let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(at_once, Ordering::SeqCst);
                // Counted out however the request ends, its time limit included.
                let _leaving = Leaving(now);
                let _ = release.acquire().await.map(|p| p.forget());
            }
        }
    });
    let mut send = h2_client(&s).await.unwrap();
    let mut streams = Vec::new();
    for _ in 0..100 {
        // The server's own limit on streams (its permits) may hold the client back: then
        // it opens no more.
        match tokio::time::timeout(Duration::from_millis(200), send.clone().ready()).await {
            Ok(Ok(ready)) => send = ready,
            _ => break,
        }
        let request = h2_request(
            &s,
            "/v1/auth/enchantedlink/pending-session",
            Some("wait=20"),
        );
        let (answer, mut stream) = send.send_request(request, false).unwrap();
        stream.send_data(body.clone(), true).unwrap();
        streams.push((answer, stream));
    }
    // Until the permits are taken, and a while longer for any request that would start
    // past them (none may, however long this waits).
    for _ in 0..1000 {
        if now.load(Ordering::SeqCst) >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let at_once = most.load(Ordering::SeqCst);
    // The client resets every stream: the four under way finish their work; the rest,
    // reset while they waited for a permit, never start.
    for (_, stream) in &mut streams {
        stream.send_reset(h2::Reason::CANCEL);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    release.add_permits(1000);
    assert!(at_once <= 4, "{at_once} requests of one connection at once");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = ever.load(Ordering::SeqCst);
    assert!(
        started <= 8,
        "{started} requests were started after their clients had reset them"
    );
    assert_eq!(s.http_get("/healthz").await, 200);
}

/// Takes one off a count when dropped.
struct Leaving(Arc<AtomicUsize>);

impl Drop for Leaving {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Past `max_requests_in_flight` a request is answered at once, with an answer no SDK turns
/// into a retry storm or a sign-out: 500 E130429 with Retry-After on refresh, try-refresh and
/// `me` (a 4xx there makes `@descope/web-js-sdk` drop its tokens), 429 with Retry-After
/// elsewhere. Held waits do not count against it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_in_flight_cap_requests_are_shed_in_a_way_no_sdk_retries_or_signs_out() {
    let s = server(Settings {
        max_requests_in_flight: Some(2),
        ..Settings::default()
    })
    .await;
    let mut confirmed = Vec::new();
    for who in ["ada@example.com", "grace@example.com"] {
        confirmed.push(s.confirmed_sign_in(who).await);
    }
    let (waiting, _) = s.start_link("alan@example.com").await;
    let inside = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    s.server.state.checkpoints.set("collect-read", {
        let (inside, release) = (inside.clone(), release.clone());
        move || {
            let (inside, release) = (inside.clone(), release.clone());
            async move {
                inside.fetch_add(1, Ordering::SeqCst);
                let _ = release.acquire().await.map(|p| p.forget());
            }
        }
    });
    let busy: Vec<_> = confirmed
        .into_iter()
        .map(|pending_ref| {
            let api = s.api();
            tokio::spawn(async move {
                let body = json!({"pendingRef": pending_ref});
                api.post("/v1/auth/enchantedlink/pending-session", None, body)
                    .await
                    .0
            })
        })
        .collect();
    for _ in 0..1000 {
        if inside.load(Ordering::SeqCst) == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(inside.load(Ordering::SeqCst), 2);

    let refresh = s
        .http
        .post(format!("{}/v1/auth/refresh", s.base))
        .header("Authorization", format!("Bearer {}:x", s.project_id))
        .send()
        .await
        .unwrap();
    assert_eq!(refresh.status(), 500);
    assert!(refresh.headers().contains_key("retry-after"));
    let body: serde_json::Value = refresh.json().await.unwrap();
    assert_eq!(body["errorCode"], ErrorCode::RateLimited.as_str());

    let start = s
        .http
        .post(format!("{}/v1/auth/enchantedlink/signup-in/email", s.base))
        .header("Authorization", format!("Bearer {}", s.project_id))
        .json(&json!({"loginId": "edsger@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 429);
    assert!(start.headers().contains_key("retry-after"));

    // A held wait is not shed: it is held, and ends pending.
    let held = s
        .http
        .post(format!("{}/v1/auth/enchantedlink/pending-session", s.base))
        .header("Authorization", format!("Bearer {}", s.project_id))
        .header("Prefer", "wait=1")
        .json(&json!({"pendingRef": waiting["pendingRef"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(held.status(), 401);
    assert_eq!(held.headers()["preference-applied"], "wait=1");

    release.add_permits(10);
    for answered in busy {
        assert_eq!(answered.await.unwrap(), 200);
    }
}
