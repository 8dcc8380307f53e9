//! `GET /metrics` (docs/operations.md: Operations): on its own address only, in a format `promtool`
//! accepts, and a sign-in changes exactly the series it should.

use beckon_testkit::{require, Service};
use std::collections::BTreeMap;

use beckon_server::config::Settings;
use serde_json::json;

use crate::harness::{config_with, TestServer};

async fn server_with_metrics() -> TestServer {
    TestServer::with_config(config_with(Settings {
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..Settings::default()
    }))
    .await
}

pub(crate) async fn scrape(s: &TestServer) -> String {
    let addr = s.server.metrics_addr.expect("metrics_listen is set");
    let response = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    response.text().await.unwrap()
}

/// Each sample (`name{labels}`) and its value; histograms' buckets and sums left out.
pub(crate) fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let (series, value) = l.rsplit_once(' ')?;
            Some((series.to_owned(), value.parse().ok()?))
        })
        .filter(|(series, _)| !series.contains("_bucket{") && !series.contains("_sum"))
        .collect()
}

/// What changed from `before` to `after`, by how much.
fn changes(before: &str, after: &str) -> BTreeMap<String, f64> {
    let before = samples(before);
    samples(after)
        .into_iter()
        .filter_map(|(series, value)| {
            let was = before.get(&series).copied().unwrap_or(0.0);
            (value != was).then_some((series, value - was))
        })
        .collect()
}

/// `promtool check metrics` (Debian's `prometheus` package; scripts/setup.sh installs it).
fn promtool_accepts(text: &str) {
    use std::io::Write;
    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool runs: apt-get install prometheus (scripts/setup.sh does)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_only() {
    if !require(Service::Promtool) {
        return;
    }
    let s = server_with_metrics().await;
    assert_eq!(s.http_get("/metrics").await, 404);
    let text = scrape(&s).await;
    promtool_accepts(&text);
    assert!(text.contains("beckon_outbox_unsent_messages{scope=\"database\"} 0"));
    assert!(text.contains("beckon_held_waits{scope=\"replica\"} 0"));
    // The 404 just asked for counts, under no path of its own.
    assert!(
        text.contains(
            "beckon_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"
        ),
        "{text}"
    );
    // Off by default.
    assert!(TestServer::start().await.server.metrics_addr.is_none());
}

/// A client that sends a thousand made-up HTTP methods (any token hyper accepts) must not
/// make a thousand series: each would be kept, and scraped, for the life of the process.
#[tokio::test]
async fn request_text_never_becomes_a_label() {
    let s = server_with_metrics().await;
    let send = |method: String, path: &str| {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        s.http.request(method, format!("{}{path}", s.base)).send()
    };
    let paths = ["/v1/auth/refresh", "/no/such/path"];
    // One made-up method on each kind of path first, so a bounded label's series exist.
    for path in paths {
        send("PROBE".to_owned(), path).await.unwrap();
    }
    let series = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("beckon_http_requests_total{"))
            .count()
    };
    let before = scrape(&s).await;
    for i in 0..1000 {
        let method = format!("PROBE{i}{}", "X".repeat(64));
        send(method, paths[i % 2]).await.unwrap();
    }
    let after = scrape(&s).await;
    assert!(
        !after.contains("PROBE"),
        "a method became a label:\n{after}"
    );
    assert_eq!(series(&after), series(&before), "{after}");
    // Only the counters' digits grow.
    assert!(
        after.len() < before.len() + 200,
        "the scrape grew from {} to {} bytes",
        before.len(),
        after.len()
    );
}

#[tokio::test]
async fn a_sign_in_changes_exactly_the_expected_series() {
    if !require(Service::Promtool) {
        return;
    }
    let s = server_with_metrics().await;
    // One request first, so the request series exist before.
    assert_eq!(s.http_get("/healthz").await, 200);
    let before = scrape(&s).await;
    let pending_ref = s.confirmed_sign_in("ada.metrics@example.com").await;
    let (status, _) = s.poll(&pending_ref).await;
    assert_eq!(status, 200);
    let after = scrape(&s).await;
    promtool_accepts(&after);

    let route = |r: &str| {
        format!("beckon_http_requests_total{{method=\"POST\",route=\"{r}\",status=\"200\"}}")
    };
    let duration = |r: &str| format!("beckon_http_request_duration_seconds_count{{route=\"{r}\"}}");
    let mut want = BTreeMap::new();
    for stage in ["started", "confirmed", "collected"] {
        want.insert(
            format!("beckon_sign_ins_total{{kind=\"enchanted\",stage=\"{stage}\"}}"),
            1.0,
        );
    }
    want.insert(
        "beckon_pending_session_polls_total{held=\"no\"}".to_owned(),
        1.0,
    );
    // The test reads the links from the development outbox.
    want.insert(
        "beckon_http_requests_total{method=\"GET\",route=\"/dev/outbox\",status=\"200\"}"
            .to_owned(),
        1.0,
    );
    want.insert(duration("/dev/outbox"), 1.0);
    for r in [
        "/v1/auth/enchantedlink/{action}/{method}",
        "/v1/auth/enchantedlink/verify",
        "/v1/auth/enchantedlink/pending-session",
    ] {
        want.insert(route(r), 1.0);
        want.insert(duration(r), 1.0);
    }
    assert_eq!(changes(&before, &after), want);
}

#[tokio::test]
async fn a_held_wait_has_its_own_histogram_and_refusals_count_by_rule() {
    let s = TestServer::with_config(config_with(Settings {
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        limit_send_per_login_id: Some("1/600".into()),
        ..Settings::default()
    }))
    .await;
    let (started, _) = s.start_link("held.metrics@example.com").await;
    let before = scrape(&s).await;
    let response = s
        .http
        .post(format!("{}/v1/auth/enchantedlink/pending-session", s.base))
        .header("Authorization", format!("Bearer {}", s.project_id))
        .header("Prefer", "wait=1")
        .json(&json!({"pendingRef": started["pendingRef"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let (status, _) = s
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            json!({"loginId": "held.metrics@example.com"}),
        )
        .await;
    assert_eq!(status, 429);
    let changed = changes(&before, &scrape(&s).await);
    assert_eq!(
        changed.get("beckon_held_wait_duration_seconds_count{status=\"401\"}"),
        Some(&1.0),
        "{changed:?}"
    );
    assert!(
        !changed.contains_key(
            "beckon_http_request_duration_seconds_count{route=\"/v1/auth/enchantedlink/pending-session\"}"
        ),
        "a held wait is not a slow request: {changed:?}"
    );
    assert_eq!(
        changed.get("beckon_rate_limit_refusals_total{rule=\"send_per_login_id\"}"),
        Some(&1.0)
    );
    assert_eq!(
        changed.get("beckon_pending_session_polls_total{held=\"yes\"}"),
        Some(&1.0)
    );
}

#[test]
fn the_example_alerts_pass_promtool_and_are_the_operations_pages() {
    if !require(Service::Promtool) {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let rules = root.join("deploy/prometheus-alerts.yml");
    let out = std::process::Command::new("promtool")
        .args(["check", "rules"])
        .arg(&rules)
        .output()
        .expect("promtool runs: apt-get install prometheus (scripts/setup.sh does)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(root.join("docs/operations.md")).unwrap();
    let file = std::fs::read_to_string(rules).unwrap();
    assert!(
        page.contains(&file),
        "docs/operations.md's alert example is deploy/prometheus-alerts.yml"
    );
    // The series the alerts use are ones the server declares.
    for name in [
        "beckon_outbox_oldest_unsent_age_seconds",
        "beckon_deliveries_total",
    ] {
        assert!(file.contains(name));
        let source = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/support/metrics.rs"),
        )
        .unwrap();
        assert!(
            source.contains(&format!("\"{name}\"")),
            "{name} is declared"
        );
    }
}

/// The funnel's "viewed" stage: a request's confirm page opened counts once, however often
/// and by whichever of its links, and sits between started and confirmed.
#[tokio::test]
async fn a_confirm_page_viewed_counts_once_per_request() {
    let s = server_with_metrics().await;
    let stage =
        |stage: &str| format!("beckon_sign_ins_total{{kind=\"enchanted\",stage=\"{stage}\"}}");
    let (started, links) = s.start_link("ada.funnel@example.com").await;
    let (_, other) = s.start_link("grace.funnel@example.com").await;
    let before = scrape(&s).await;
    let open = |url: String| {
        let http = s.http.clone();
        async move {
            let page = http.get(url).send().await.unwrap();
            assert_eq!(page.status(), 200);
        }
    };
    open(links[0].1.clone()).await;
    open(links[0].1.clone()).await;
    open(links[1].1.clone()).await;
    let viewed = changes(&before, &scrape(&s).await);
    assert_eq!(viewed.get(&stage("viewed")), Some(&1.0), "{viewed:?}");

    open(other[2].1.clone()).await;
    let right = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(&right.1).await.0, 200);
    let after = changes(&before, &scrape(&s).await);
    assert_eq!(after.get(&stage("viewed")), Some(&2.0), "{after:?}");
    assert_eq!(after.get(&stage("confirmed")), Some(&1.0), "{after:?}");
}
