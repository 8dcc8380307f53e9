use crate::harness::TestServer;
use beckon_testkit::ErrorCode;

async fn get_html(s: &TestServer, url: &str) -> (u16, String) {
    let r = s
        .http
        .get(url)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    (status, r.text().await.unwrap())
}

async fn press_confirm(s: &TestServer, url: &str) -> (u16, String) {
    let (status, page, _) = press(s, url, "yes").await;
    (status, page)
}

/// Presses "Yes" or "No" on a link's page, following where it leads: status, page, and the
/// address it ended on.
async fn press(s: &TestServer, url: &str, answer: &str) -> (u16, String, String) {
    let token = crate::harness::token_of(url);
    let form = [("t", token.as_str()), ("answer", answer)];
    let r = s.http.post(url).form(&form).send().await.unwrap();
    let at = r.url().to_string();
    (r.status().as_u16(), r.text().await.unwrap(), at)
}

#[tokio::test]
async fn the_confirm_page_shows_on_get_and_verifies_only_on_post() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let pending_ref = started["pendingRef"].as_str().unwrap();
    for (number, url) in &links {
        let (status, page) = get_html(&s, url).await;
        assert_eq!(status, 200);
        assert!(
            page.contains(&format!(">{number}</div>")),
            "the page shows its number"
        );
        assert!(page.contains("<form method=\"post\">"));
        assert!(page.contains("ada@example.com"));
        // A plain form: it works without JavaScript (its one inline script only shows the
        // time in the phone's time zone; origin.rs).
        assert!(!page.contains("<script src"), "no outside script");
    }
    assert_eq!(
        s.poll(pending_ref).await.0,
        401,
        "opening links verified nothing"
    );

    let link_id = started["linkId"].as_str().unwrap();
    let (_, wrong) = links.iter().find(|(n, _)| n != link_id).unwrap();
    let (status, page) = press_confirm(&s, wrong).await;
    assert_eq!(status, 400);
    assert!(page.contains("Not this one"));
    assert_eq!(
        s.poll(pending_ref).await.0,
        401,
        "a wrong link leaves it pending"
    );

    let (_, right) = links.iter().find(|(n, _)| n == link_id).unwrap();
    let (status, page, status_page) = press(&s, right, "yes").await;
    assert_eq!(status, 200);
    assert!(page.contains("Waiting for your computer"), "{page}");
    assert!(page.contains("http-equiv=\"refresh\""), "it reloads itself");
    assert!(!status_page.contains(&crate::harness::token_of(right)));
    assert_eq!(s.poll(pending_ref).await.0, 200);
    let (status, page) = get_html(&s, &status_page).await;
    assert_eq!(status, 200);
    assert!(page.contains("Your computer is signed in"), "{page}");
    assert!(
        !page.contains("http-equiv=\"refresh\""),
        "done: it stops reloading"
    );

    let (status, page) = get_html(&s, right).await;
    assert_eq!(status, 404);
    assert!(page.contains("no longer valid"));
}

/// After "Yes", a computer that never comes for its session is said so, not waited for.
#[tokio::test]
async fn the_phone_page_says_so_when_the_computer_never_collects() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let right = &links
        .iter()
        .find(|(n, _)| *n == started["linkId"])
        .unwrap()
        .1;
    let (_, page, status_page) = press(&s, right, "yes").await;
    assert!(page.contains("Waiting for your computer"), "{page}");
    s.clock.advance(400);
    let (status, page) = get_html(&s, &status_page).await;
    assert_eq!(status, 200);
    assert!(page.contains("did not pick this up in time"), "{page}");
    let (status, _) = get_html(&s, &format!("{}/confirm/status?s=nothing", s.base)).await;
    assert_eq!(status, 404, "an unknown handle shows nothing");
}

/// "No, this wasn't me" on any of the links ends the request; the page says what happened.
#[tokio::test]
async fn no_on_the_confirm_page_declines_and_every_link_stops() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let (status, page) = get_html(&s, &links[0].1).await;
    assert_eq!(status, 200);
    assert!(as_read(&page).contains("No, this wasn't me"), "{page}");
    let (status, page, _) = press(&s, &links[0].1, "no").await;
    assert_eq!(status, 200);
    assert!(page.contains("nobody was signed in"), "{page}");
    for (_, url) in &links {
        let (status, page) = get_html(&s, url).await;
        assert_eq!(status, 404, "{page}");
        let (status, _) = press_confirm(&s, url).await;
        assert_eq!(status, 404);
    }
    let pending_ref = started["pendingRef"].as_str().unwrap();
    crate::harness::assert_error(
        &s.poll(pending_ref).await,
        400,
        ErrorCode::Declined.as_str(),
    );
}

#[tokio::test]
async fn an_expired_link_says_so() {
    let s = TestServer::start().await;
    let (_, links) = s.start_link("ada@example.com").await;
    s.clock.advance(400);
    let (status, page) = get_html(&s, &links[0].1).await;
    assert_eq!(status, 410);
    assert!(page.contains("expired"));
}

/// A confirm page opened in time and answered after its request expired says to start again
/// on the computer, not only "expired".
#[tokio::test]
async fn a_yes_after_the_request_expired_says_to_start_again_on_the_computer() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let right = &links
        .iter()
        .find(|(n, _)| *n == started["linkId"])
        .unwrap()
        .1;
    assert_eq!(get_html(&s, right).await.0, 200);
    s.clock.advance(400);
    let (status, page, _) = press(&s, right, "yes").await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("expired while the page was open"), "{page}");
    assert!(
        page.contains("Start the sign-in again on your computer"),
        "{page}"
    );
}

#[tokio::test]
async fn the_outbox_lists_newest_first_as_json_or_html() {
    let s = TestServer::start().await;
    s.start_link("first@example.com").await;
    s.start_link("second@example.com").await;
    let messages = s.outbox().await;
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["to"], "second@example.com");
    for key in ["id", "to", "subject", "text", "html", "createdAt", "links"] {
        assert!(!messages[0][key].is_null(), "{key}");
    }
    let text = messages[0]["text"].as_str().unwrap();
    assert!(text.contains("If this wasn't you"));
    for link in messages[0]["links"].as_array().unwrap() {
        assert!(text.contains(link["url"].as_str().unwrap()));
    }

    let only = s.get_json("/dev/outbox?to=first@example.com").await;
    assert_eq!(only.as_array().unwrap().len(), 1);
    assert_eq!(only[0]["to"], "first@example.com");

    let (status, page) = get_html(&s, &format!("{}/dev/outbox", s.base)).await;
    assert_eq!(status, 200);
    assert!(page.contains("second@example.com") && page.contains("first@example.com"));
    assert!(page.find("second@example.com") < page.find("first@example.com"));
    assert!(page.contains("width=device-width"));
}

#[tokio::test]
async fn the_confirm_page_of_an_update_asks_about_the_new_address() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    let (status, started) = s
        .post_as(
            ada["refreshJwt"].as_str().unwrap(),
            "/v1/auth/enchantedlink/update/email",
            serde_json::json!({"loginId": "ada@example.com", "email": "ada@new.example"}),
        )
        .await;
    assert_eq!(status, 200);
    let links = s.links_to("ada@new.example").await;
    let (_, right) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    let (status, page) = get_html(&s, right).await;
    assert_eq!(status, 200);
    assert!(page.contains("Use this address for Beckon?"), "{page}");
    assert!(page.contains("ada@new.example"));
    let (status, page) = press_confirm(&s, right).await;
    assert_eq!(status, 200);
    assert!(page.contains("You confirmed the address"), "{page}");
    let (status, session) = s.poll(started["pendingRef"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(session["user"]["email"], "ada@new.example");
}

/// A link this server made carries one `t`. Before, a `URI` that already had a `t` put the
/// requester's own value first, and the confirm page read the first: a victim's page could
/// show, and confirm, the attacker's sign-in. Now such a `URI` is refused, and a link with
/// two tokens is not read at all.
#[tokio::test]
async fn a_second_t_neither_reaches_a_link_nor_is_read_from_one() {
    let s = TestServer::start().await;
    let refused = s
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            serde_json::json!({"loginId": "victim@example.com",
                               "URI": "http://127.0.0.1:9/confirm?t=attacker"}),
        )
        .await;
    crate::harness::assert_error(&refused, 400, ErrorCode::InvalidRequest.as_str());

    let (_, attacker_links) = s.start_link("mallory@example.com").await;
    let (_, victim_links) = s.start_link("victim@example.com").await;
    let attacker = crate::harness::token_of(&attacker_links[0].1);
    let victim = crate::harness::token_of(&victim_links[0].1);
    let url = format!("{}/confirm?t={attacker}&t={victim}", s.base);
    let (status, page) = get_html(&s, &url).await;
    assert_eq!(status, 404, "{page}");
    assert!(!page.contains("mallory@example.com"));
    assert!(s
        .server
        .state
        .store
        .state_summary()
        .await
        .unwrap()
        .contains(&("unconfirmed", 2)));
}

/// A page's text as a browser shows it: the templates escape `'` and friends as entities.
fn as_read(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
