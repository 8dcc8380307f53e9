//! A wrong pick teaches and is counted: by default the links stay valid (as Descope keeps
//! them) and the page adds that if no screen shows a number someone else asked, with the "No"
//! button; with `end_on_wrong_pick` the request ends and its device hears "declined" (Okta's
//! rule). Either way it is audited and in `beckon_wrong_picks_total`.

use beckon_testkit::ErrorCode;

use crate::harness::{assert_error, config_with, token_of, TestServer};

/// Taps a link on its confirm page ("Yes"): (status, page).
async fn tap(s: &TestServer, url: &str, answer: &str) -> (u16, String) {
    let token = token_of(url);
    let r = s
        .http
        .post(url)
        .form(&[("t", token.as_str()), ("answer", answer)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn wrong_picks(s: &TestServer, outcome: &str) -> f64 {
    let text = s.server.state.metrics.render(0, 0, 0).unwrap();
    let series = format!("beckon_wrong_picks_total{{outcome=\"{outcome}\"}}");
    beckon_testkit::metrics::sample(&text, &series).unwrap_or(0.0)
}

#[tokio::test]
async fn a_wrong_pick_keeps_the_links_offers_no_and_is_counted() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let right = &started["linkId"];
    let (_, wrong) = links.iter().find(|(n, _)| n != right).unwrap();

    let (status, page) = tap(&s, wrong, "yes").await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("your links still work"), "{page}");
    assert!(page.contains("No screen shows a number?"), "{page}");
    assert!(page.contains("data-testid=\"no\""), "{page}");
    assert_eq!(wrong_picks(&s, "kept"), 1.0);
    assert_eq!(wrong_picks(&s, "ended"), 0.0);
    let pending_ref = started["pendingRef"].as_str().unwrap();
    assert_error(&s.poll(pending_ref).await, 401, ErrorCode::Pending.as_str());

    // The page's "No" (a form with the wrong link's token) declines the request.
    let (status, page) = tap(&s, wrong, "no").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("nobody was signed in"), "{page}");
    assert_error(
        &s.poll(pending_ref).await,
        400,
        ErrorCode::Declined.as_str(),
    );
}

#[tokio::test]
async fn with_end_on_wrong_pick_a_wrong_pick_ends_the_request() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        end_on_wrong_pick: Some(true),
        ..Default::default()
    }))
    .await;
    let (started, links) = s.start_link("ada@example.com").await;
    let right = &started["linkId"];
    let (_, wrong) = links.iter().find(|(n, _)| n != right).unwrap();
    let (_, right_url) = links.iter().find(|(n, _)| n == right).unwrap();

    let (status, page) = tap(&s, wrong, "yes").await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("This sign-in request has ended"), "{page}");
    assert!(!page.contains("data-testid=\"no\""), "{page}");
    assert_eq!(wrong_picks(&s, "ended"), 1.0);
    let pending_ref = started["pendingRef"].as_str().unwrap();
    assert_error(
        &s.poll(pending_ref).await,
        400,
        ErrorCode::Declined.as_str(),
    );
    // Every link of it is spent, the right one too; and it paused nothing.
    assert_error(
        &s.verify(right_url).await,
        400,
        ErrorCode::NotFound.as_str(),
    );
    assert_eq!(s.start_link("ada@example.com").await.1.len(), 3);
    let filter = beckon_server::store::AuditFilter {
        limit: 10,
        ..Default::default()
    };
    let trail = s.server.state.store.search_audit(&filter).await.unwrap().0;
    let refused = trail.iter().find(|e| e.action == "link.refused").unwrap();
    assert_eq!(refused.data["request_ended"], true, "{:?}", refused.data);
}
