//! "New sign-in to <app>": a returning user's sign-in is told to them with where it came
//! from (the first sign-up of an account is not), and the notice's button signs out exactly
//! that session: its link's page is a form (a GET changes nothing), its POST ends the one
//! session, and may pause sign-ins as a "No" does. `sign_in_notices = false` sends none.

use serde_json::Value;

use crate::harness::{config_with, token_of, TestServer};

/// The messages of `kind` to `email`, newest first.
async fn messages(s: &TestServer, email: &str, kind: &str) -> Vec<Value> {
    s.outbox()
        .await
        .into_iter()
        .filter(|m| m["to"] == email && m["kind"] == kind)
        .collect()
}

/// The refresh JWT of a session handed out to `email`.
fn refresh_jwt(session: &Value) -> String {
    session["refreshJwt"].as_str().unwrap().to_owned()
}

async fn post_form(s: &TestServer, url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = s.http.post(url).form(fields).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_returning_users_sign_in_is_told_to_them_and_the_first_sign_up_is_not() {
    let s = TestServer::start().await;
    s.sign_up("ada@example.com").await;
    assert!(messages(&s, "ada@example.com", "notice").await.is_empty());

    s.sign_up("ada@example.com").await;
    let notices = messages(&s, "ada@example.com", "notice").await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    let notice = &notices[0];
    assert_eq!(notice["subject"], "New sign-in to Beckon");
    let text = notice["text"].as_str().unwrap();
    for line in ["Where: On this computer", "Address: 127.0.0.1", "When: "] {
        assert!(text.contains(line), "{line} in {text}");
    }
    let url = notice["links"][0]["url"].as_str().unwrap();
    assert!(url.contains("/confirm/signout?t="), "{url}");
    assert!(notice["html"]
        .as_str()
        .unwrap()
        .contains("This wasn&#39;t me: sign that device out"));
}

#[tokio::test]
async fn with_sign_in_notices_off_none_is_sent() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        sign_in_notices: Some(false),
        ..Default::default()
    }))
    .await;
    s.sign_up("ada@example.com").await;
    s.sign_up("ada@example.com").await;
    assert!(messages(&s, "ada@example.com", "notice").await.is_empty());
}

#[tokio::test]
async fn the_notices_button_signs_out_exactly_that_session_and_a_get_does_nothing() {
    let s = TestServer::start().await;
    let first = refresh_jwt(&s.sign_up("ada@example.com").await);
    let second = refresh_jwt(&s.sign_up("ada@example.com").await);
    let url = messages(&s, "ada@example.com", "notice").await[0]["links"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();

    // Opening the link (a mail scanner does) changes nothing.
    let page = s.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Sign that device out?"), "{page}");
    assert!(page.contains("data-testid=\"sign-out\""), "{page}");
    assert_eq!(s.me(&second).await.0, 200);

    // Its button ends that session, and only that one.
    let token = token_of(&url);
    let (status, page) = post_form(&s, &url, &[("t", &token)]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("That device is signed out"), "{page}");
    assert!(page.contains("data-testid=\"pause\""), "{page}");
    assert_eq!(s.me(&second).await.0, 401);
    assert_eq!(s.me(&first).await.0, 200);
    let filter = beckon_server::store::AuditFilter {
        limit: 10,
        ..Default::default()
    };
    let trail = s.server.state.store.search_audit(&filter).await.unwrap().0;
    let ended = trail.iter().find(|e| e.action == "session.ended").unwrap();
    assert_eq!(ended.data["by"], "owner, from the sign-in notice");

    // Again: it says so and ends nothing more.
    let page = s.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("signed out already"), "{page}");
    assert_eq!(s.me(&first).await.0, 200);

    // Its second button pauses sign-ins, with the owner's email about it.
    let (status, page) = post_form(&s, &url, &[("t", &token), ("pause", "yes")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("sign-ins paused"), "{page}");
    let (status, body) = s
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            serde_json::json!({"loginId": "ada@example.com"}),
        )
        .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["paused"], true, "{body}");
    let paused = messages(&s, "ada@example.com", "paused").await;
    assert_eq!(paused.len(), 1);
    assert!(paused[0]["text"]
        .as_str()
        .unwrap()
        .contains("The signed-out sign-in"));

    // Another token signs nothing out.
    let (status, _) = post_form(&s, &url, &[("t", "not-a-token")]).await;
    assert_eq!(status, 404);
    assert_eq!(s.me(&first).await.0, 200);
}
