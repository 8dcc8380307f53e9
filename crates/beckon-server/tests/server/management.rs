//! The management API (docs/wire.md §10): a management key is required and a user's token is
//! never one; users are created, loaded, searched, updated, disabled, signed out and
//! deleted; a field the server does not support is refused and changes nothing; a disabled
//! user cannot sign in or refresh; the audit trail holds each event and no secret.

use beckon_server::admin::{self, Operator};
use beckon_server::store::AuditFilter;
use beckon_testkit::ErrorCode;
use serde_json::{json, Value};

use crate::harness::{assert_error, token_of, TestServer};

/// A management key for `s`, made as the CLI makes one.
async fn key_for(s: &TestServer) -> String {
    let (_, key) = admin::create_key(
        &s.server.state.store,
        &Operator::cli(),
        s.clock_now(),
        "tests",
    )
    .await
    .unwrap();
    key.expose().to_owned()
}

/// A management call with `Authorization: Bearer <bearer>` (no bearer: none sent).
async fn call(
    s: &TestServer,
    bearer: Option<&str>,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{path}", s.base);
    let mut request = match body {
        Some(body) => s.http.post(url).json(&body),
        None => s.http.get(url),
    };
    if let Some(bearer) = bearer {
        request = request.header("Authorization", format!("Bearer {bearer}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn mgmt(s: &TestServer, key: &str, path: &str, body: Value) -> (u16, Value) {
    call(
        s,
        Some(&format!("{}:{key}", s.project_id)),
        path,
        Some(body),
    )
    .await
}

async fn load(s: &TestServer, key: &str, login_id: &str) -> (u16, Value) {
    let path = format!("/v1/mgmt/user?loginId={}", urlencode(login_id));
    call(s, Some(&format!("{}:{key}", s.project_id)), &path, None).await
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[tokio::test]
async fn management_calls_need_a_current_key_of_this_project_and_never_take_a_users_token() {
    let s = TestServer::start().await;
    let key = key_for(&s).await;
    let session = s.sign_up("ada@example.com").await;
    let refresh = session["refreshJwt"].as_str().unwrap();
    let session_jwt = session["sessionJwt"].as_str().unwrap();
    let other = TestServer::start().await;
    let others_key = key_for(&other).await;
    let pid = &s.project_id;
    let body = || Some(json!({"loginId": "ada@example.com"}));
    for bearer in [
        None,
        Some(pid.clone()),
        Some(format!(
            "{pid}:Kwrongwrongwrongwrongwrongwrongwrongwrongwrongwro"
        )),
        Some(format!("{pid}:{refresh}")),
        Some(format!("{pid}:{session_jwt}")),
        Some(format!("{pid}:{refresh}:{key}")),
        Some(format!("{}:{key}", other.project_id)),
        Some(format!("{pid}:{others_key}")),
    ] {
        let answer = call(&s, bearer.as_deref(), "/v1/mgmt/user/logout", body()).await;
        assert_error(&answer, 401, ErrorCode::ManagementKey.as_str());
        let answer = call(
            &s,
            bearer.as_deref(),
            "/v1/mgmt/user?loginId=ada@example.com",
            None,
        )
        .await;
        assert_error(&answer, 401, ErrorCode::ManagementKey.as_str());
    }
    // Nothing happened: the session still refreshes.
    assert_eq!(
        s.post_as(refresh, "/v1/auth/refresh", json!({})).await.0,
        200
    );

    // A revoked key is refused from the next call on.
    assert_eq!(load(&s, &key, "ada@example.com").await.0, 200);
    let keys = admin::keys(&s.server.state.store).await.unwrap();
    admin::revoke_key(
        &s.server.state.store,
        &Operator::cli(),
        s.clock_now(),
        &keys[0].key_id,
    )
    .await
    .unwrap();
    assert_error(
        &load(&s, &key, "ada@example.com").await,
        401,
        ErrorCode::ManagementKey.as_str(),
    );
}

#[tokio::test]
async fn an_operator_creates_loads_searches_updates_and_deletes_users() {
    let s = TestServer::start().await;
    let key = key_for(&s).await;
    let (status, created) = mgmt(
        &s,
        &key,
        "/v1/mgmt/user/create",
        // As Descope's Python SDK sends it: unused fields empty.
        json!({"loginId": "Grace@Example.com", "email": null, "phone": null,
               "displayName": "Grace Hopper", "roleNames": [], "userTenants": [], "test": false,
               "picture": null, "customAttributes": null, "additionalLoginIds": null,
               "ssoAppIDs": null, "invite": false, "verifiedEmail": true}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let user = &created["user"];
    assert_eq!(user["loginIds"], json!(["grace@example.com"]));
    assert_eq!(user["email"], "grace@example.com");
    assert_eq!(user["name"], "Grace Hopper");
    assert_eq!(user["status"], "enabled");
    let user_id = user["userId"].as_str().unwrap().to_owned();

    // Twice is refused.
    let again = mgmt(
        &s,
        &key,
        "/v1/mgmt/user/create",
        json!({"loginId": "grace@example.com"}),
    )
    .await;
    assert_error(&again, 400, ErrorCode::UserExists.as_str());

    // Load by login ID and by user ID.
    let (status, loaded) = load(&s, &key, "grace@example.com").await;
    assert_eq!((status, &loaded["user"]["userId"]), (200, &json!(user_id)));
    let by_id = call(
        &s,
        Some(&format!("{}:{key}", s.project_id)),
        &format!("/v1/mgmt/user?userId={user_id}"),
        None,
    )
    .await;
    assert_eq!(by_id.1["user"]["email"], "grace@example.com");
    assert_error(
        &load(&s, &key, "nobody@example.com").await,
        400,
        ErrorCode::UserNotFound.as_str(),
    );

    // The user signs in as any other; their first sign-in finds them.
    let session = s.sign_up("grace@example.com").await;
    assert_eq!(session["user"]["userId"], json!(user_id));
    assert_eq!(session["firstSeen"], false);

    // Search with paging, as the SDKs send it.
    for email in ["a1@example.com", "a2@example.com", "a3@example.com"] {
        assert_eq!(
            mgmt(&s, &key, "/v1/mgmt/user/create", json!({"loginId": email}))
                .await
                .0,
            200
        );
    }
    let page = |page: i64| {
        json!({"tenantIds": [], "roleNames": [], "limit": 2, "page": page,
               "testUsersOnly": false, "withTestUser": false})
    };
    let (_, first) = mgmt(&s, &key, "/v2/mgmt/user/search", page(0)).await;
    let (_, second) = mgmt(&s, &key, "/v2/mgmt/user/search", page(1)).await;
    assert_eq!(first["total"], 4);
    assert_eq!(first["users"].as_array().unwrap().len(), 2);
    assert_eq!(second["users"].as_array().unwrap().len(), 2);
    assert_ne!(first["users"][0]["userId"], second["users"][0]["userId"]);
    let (_, found) = mgmt(
        &s,
        &key,
        "/v2/mgmt/user/search",
        json!({"emails": ["a2@example.com"], "limit": 0, "page": 0}),
    )
    .await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["users"][0]["loginIds"], json!(["a2@example.com"]));

    // Update replaces the details.
    let (status, updated) = mgmt(
        &s,
        &key,
        "/v1/mgmt/user/update",
        json!({"loginId": "grace@example.com", "displayName": "Rear Admiral Hopper",
               "email": "grace@example.com", "roleNames": [], "userTenants": []}),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["user"]["name"], "Rear Admiral Hopper");
    // The address stayed, so did its verification (set at create, and by the sign-in).
    assert_eq!(updated["user"]["verifiedEmail"], true);
    let (_, moved) = mgmt(
        &s,
        &key,
        "/v1/mgmt/user/update",
        json!({"loginId": "grace@example.com", "email": "grace@navy.example"}),
    )
    .await;
    assert_eq!(moved["user"]["email"], "grace@navy.example");
    assert_eq!(
        moved["user"]["verifiedEmail"], false,
        "a new address is not verified"
    );
    assert_eq!(
        moved["user"]["name"], "",
        "update replaces: the name was not given"
    );

    // Delete: gone, and its session with it.
    let refresh = session["refreshJwt"].as_str().unwrap();
    assert_eq!(
        mgmt(
            &s,
            &key,
            "/v1/mgmt/user/delete",
            json!({"loginId": "grace@example.com"})
        )
        .await
        .0,
        200
    );
    assert_error(
        &load(&s, &key, "grace@example.com").await,
        400,
        ErrorCode::UserNotFound.as_str(),
    );
    assert_eq!(
        s.post_as(refresh, "/v1/auth/refresh", json!({})).await.0,
        401
    );
}

#[tokio::test]
async fn a_filter_or_field_the_server_does_not_have_is_refused_and_changes_nothing() {
    let s = TestServer::start().await;
    let key = key_for(&s).await;
    for email in ["t1@example.com", "t2@example.com"] {
        assert_eq!(
            mgmt(&s, &key, "/v1/mgmt/user/create", json!({"loginId": email}))
                .await
                .0,
            200
        );
    }
    for (path, body, field) in [
        (
            "/v2/mgmt/user/search",
            json!({"tenantIds": ["T1"]}),
            "tenantIds",
        ),
        (
            "/v2/mgmt/user/search",
            json!({"customAttributes": {"team": "x"}}),
            "customAttributes",
        ),
        (
            "/v2/mgmt/user/search",
            json!({"sort": [{"field": "name"}]}),
            "sort",
        ),
        ("/v2/mgmt/user/search", json!({"nickname": "x"}), "nickname"),
        (
            "/v1/mgmt/user/delete",
            json!({"loginId": "t1@example.com", "tenantId": "T1"}),
            "tenantId",
        ),
        (
            "/v1/mgmt/user/create",
            json!({"loginId": "t3@example.com", "roleNames": ["admin"]}),
            "roleNames",
        ),
        (
            "/v1/mgmt/user/create",
            json!({"loginId": "t3@example.com", "userTenants": [{"tenantId": "T"}]}),
            "userTenants",
        ),
        (
            "/v1/mgmt/user/update",
            json!({"loginId": "t2@example.com", "customAttributes": {"a": 1}}),
            "customAttributes",
        ),
        (
            "/v1/mgmt/user/update/status",
            json!({"loginId": "t2@example.com", "status": "invited"}),
            "invited",
        ),
        (
            "/v1/mgmt/audit/search",
            json!({"tenants": ["T1"]}),
            "tenants",
        ),
        ("/v1/mgmt/audit/search", json!({"geos": ["US"]}), "geos"),
        // A field of the wrong type is named too.
        ("/v1/mgmt/user/create", json!({"loginId": 5}), "loginId"),
        (
            "/v2/mgmt/user/search",
            json!({"emails": ["t1@example.com", 3]}),
            "emails[1]",
        ),
        (
            "/v1/mgmt/user/update",
            json!({"loginId": "t2@example.com", "verifiedEmail": "yes"}),
            "verifiedEmail",
        ),
    ] {
        let answer = mgmt(&s, &key, path, body).await;
        assert_error(&answer, 400, ErrorCode::InvalidRequest.as_str());
        let said = format!("{}", answer.1);
        assert!(
            said.contains(field),
            "{path}: the answer names {field}: {said}"
        );
    }
    // Both users are there as they were, and no third.
    let (_, all) = mgmt(&s, &key, "/v2/mgmt/user/search", json!({})).await;
    assert_eq!(all["total"], 2, "{all}");
    let (_, t2) = load(&s, &key, "t2@example.com").await;
    assert_eq!(t2["user"]["status"], "enabled");
    assert_eq!(t2["user"]["customAttributes"], json!({}));
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in_their_sessions_end_and_enabling_lets_them_back() {
    let s = TestServer::start().await;
    let key = key_for(&s).await;
    let session = s.sign_up("linus@example.com").await;
    let refresh = session["refreshJwt"].as_str().unwrap();
    // A sign-in started before the disable, confirmed after it.
    let (started, links) = s.start_link("linus@example.com").await;

    let (status, disabled) = mgmt(
        &s,
        &key,
        "/v1/mgmt/user/update/status",
        json!({"loginId": "linus@example.com", "status": "disabled"}),
    )
    .await;
    assert_eq!(status, 200, "{disabled}");
    assert_eq!(disabled["user"]["status"], "disabled");

    // The running session ends, and says why.
    assert_error(
        &s.post_as(refresh, "/v1/auth/refresh", json!({})).await,
        401,
        ErrorCode::UserDisabled.as_str(),
    );
    // No new sign-in…
    let start = s
        .post(
            "/v1/auth/enchantedlink/signin/email",
            json!({"loginId": "linus@example.com"}),
        )
        .await;
    assert_error(&start, 401, ErrorCode::UserDisabled.as_str());
    // …and the one in flight does not sign in either.
    let (_, right) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_error(
        &s.verify(right).await,
        401,
        ErrorCode::UserDisabled.as_str(),
    );
    assert_error(
        &s.poll(started["pendingRef"].as_str().unwrap()).await,
        401,
        ErrorCode::Pending.as_str(),
    );

    // Enabled again: a sign-in works (the old session stays ended).
    assert_eq!(
        mgmt(
            &s,
            &key,
            "/v1/mgmt/user/update/status",
            json!({"loginId": "linus@example.com", "status": "enabled"})
        )
        .await
        .0,
        200
    );
    assert_error(
        &s.post_as(refresh, "/v1/auth/refresh", json!({})).await,
        401,
        ErrorCode::LoggedOut.as_str(),
    );
    let again = s.sign_up("linus@example.com").await;
    assert!(again["refreshJwt"].is_string());
}

#[tokio::test]
async fn logout_user_ends_every_session_of_theirs_only() {
    let s = TestServer::start().await;
    let key = key_for(&s).await;
    let one = s.sign_up("hedy@example.com").await;
    let two = s.sign_up("hedy@example.com").await;
    let other = s.sign_up("alan@example.com").await;
    assert_eq!(
        mgmt(
            &s,
            &key,
            "/v1/mgmt/user/logout",
            json!({"loginId": "hedy@example.com"})
        )
        .await
        .0,
        200
    );
    for session in [&one, &two] {
        let refresh = session["refreshJwt"].as_str().unwrap();
        assert_error(
            &s.post_as(refresh, "/v1/auth/refresh", json!({})).await,
            401,
            ErrorCode::LoggedOut.as_str(),
        );
    }
    let refresh = other["refreshJwt"].as_str().unwrap();
    assert_eq!(
        s.post_as(refresh, "/v1/auth/refresh", json!({})).await.0,
        200
    );
}

/// Every event of the audit trail, oldest first.
async fn trail(s: &TestServer) -> Vec<beckon_server::store::AuditRow> {
    let filter = AuditFilter {
        limit: 1000,
        ..AuditFilter::default()
    };
    let (mut rows, _) = s.server.state.store.search_audit(&filter).await.unwrap();
    rows.reverse();
    rows
}

#[tokio::test]
async fn a_sign_in_is_in_the_audit_trail_without_any_secret() {
    let s = TestServer::start().await;
    let email = "ada.audit@example.com";
    let (started, links) = s.start_link(email).await;
    let pending_ref = started["pendingRef"].as_str().unwrap().to_owned();
    let wrong = links.iter().find(|(n, _)| *n != started["linkId"]).unwrap();
    assert_eq!(s.verify(&wrong.1).await.0, 400);
    let right = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(&right.1).await.0, 200);
    let (status, session) = s.poll(&pending_ref).await;
    assert_eq!(status, 200);
    let refresh = session["refreshJwt"].as_str().unwrap();
    let (_, refreshed) = s.post_as(refresh, "/v1/auth/refresh", json!({})).await;
    let newer = refreshed["refreshJwt"].as_str().unwrap();
    assert_eq!(s.post_as(newer, "/v1/auth/logout", json!({})).await.0, 200);

    let rows = trail(&s).await;
    let actions: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.action.as_str(), r.outcome.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("signin.started", "success"),
            ("link.refused", "refused"),
            ("link.confirmed", "success"),
            ("session.collected", "success"),
            ("session.refreshed", "success"),
            ("session.ended", "success"),
        ]
    );
    let user_id = session["user"]["userId"].as_str().unwrap();
    for row in &rows {
        assert_eq!(row.login_id.as_deref(), Some(email), "{row:?}");
        assert_eq!(row.remote_ip.as_deref(), Some("127.0.0.1"), "{row:?}");
    }
    assert_eq!(rows[2].user_id.as_deref(), Some(user_id));
    // No token, pendingRef or JWT anywhere in it.
    let text = serde_json::to_string(&rows).unwrap();
    for secret in [
        pending_ref.as_str(),
        &token_of(&right.1),
        &token_of(&wrong.1),
        refresh,
        newer,
        session["sessionJwt"].as_str().unwrap(),
    ] {
        assert!(!text.contains(secret), "a secret in the trail: {text}");
    }
}

#[tokio::test]
async fn deleting_a_user_erases_their_personal_data_from_the_trail_and_the_events_stay() {
    let s = TestServer::start().await;
    let key = key_for(&s).await;
    let session = s.sign_up("erase.me@example.com").await;
    let user_id = session["user"]["userId"].as_str().unwrap().to_owned();
    let _ = s.sign_up("keep.me@example.com").await;
    assert_eq!(
        mgmt(&s, &key, "/v1/mgmt/user/delete", json!({"userId": user_id}))
            .await
            .0,
        200
    );
    let rows = trail(&s).await;
    let text = serde_json::to_string(&rows).unwrap();
    assert!(!text.contains("erase.me@example.com"), "{text}");
    assert!(text.contains("keep.me@example.com"));
    let theirs: Vec<_> = rows
        .iter()
        .filter(|r| r.user_id.as_deref() == Some(&user_id))
        .collect();
    assert!(theirs.len() >= 3, "{theirs:?}");
    let (deleted, before) = theirs.split_last().unwrap();
    assert!(before
        .iter()
        .all(|r| r.remote_ip.is_none() && r.user_agent.is_none() && r.login_id.is_none()));
    // The deletion itself: by whom (the operator's address), for whom (the user ID only).
    assert_eq!(deleted.action, "user.deleted");
    assert_eq!(deleted.login_id, None);
    // Through the API, as Descope's SDKs read it.
    let (status, audits) = mgmt(
        &s,
        &key,
        "/v1/mgmt/audit/search",
        json!({"userIds": [user_id], "noTenants": false}),
    )
    .await;
    assert_eq!(status, 200, "{audits}");
    assert_eq!(audits["audits"][0]["action"], "user.deleted");
    assert_eq!(
        audits["audits"][0]["data"]["managementKeyId"]
            .as_str()
            .map(|k| k.starts_with("MK")),
        Some(true)
    );
}

#[tokio::test]
async fn old_audit_events_are_deleted_after_the_retention() {
    let s = TestServer::start().await;
    let _ = s.sign_up("old@example.com").await;
    let store = &s.server.state.store;
    let now = s.clock_now();
    assert!(!trail(&s).await.is_empty());
    // Kept until older than the cut, then gone.
    store.delete_expired(now, i64::MIN, now - 1).await.unwrap();
    assert!(!trail(&s).await.is_empty());
    store.delete_expired(now, i64::MIN, now + 1).await.unwrap();
    assert!(trail(&s).await.is_empty());
}

#[tokio::test]
async fn a_request_that_expires_unconfirmed_is_noted_once() {
    let s = TestServer::start().await;
    let _ = s.start_link("late@example.com").await;
    let store = &s.server.state.store;
    assert!(store.note_expired(s.clock_now()).await.unwrap().is_empty());
    s.clock.advance(i64::from(s.server.state.link_ttl) + 1);
    let expired = store.note_expired(s.clock_now()).await.unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].0, "late@example.com");
    assert_eq!(expired[0].1, "enchanted");
    assert!(store.note_expired(s.clock_now()).await.unwrap().is_empty());
}

/// A wrong key only reads: it must not take SQLite's write lock, which every sign-in needs,
/// so a flood of wrong keys cannot stall sign-ins (or be stalled behind them into a 500).
#[tokio::test]
async fn a_wrong_key_is_refused_without_waiting_for_the_write_lock() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = beckon_server::store::sqlite_url(&dir.path().join("beckon.db"));
    let mut config = beckon_server::config::Config::for_tests();
    config.database = Some(url.clone());
    let s = TestServer::with_config(config).await;
    let key = key_for(&s).await;
    // Another writer holds the database's write lock for the whole request.
    let mut writer = sqlx::sqlite::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut writer)
        .await
        .unwrap();
    let refused = mgmt(&s, "not-a-key", "/v2/mgmt/user/search", json!({})).await;
    assert_error(&refused, 401, ErrorCode::ManagementKey.as_str());
    sqlx::query("ROLLBACK").execute(&mut writer).await.unwrap();
    // The right key still works, and is noted as used.
    let found = mgmt(&s, &key, "/v2/mgmt/user/search", json!({})).await;
    assert_eq!(found.0, 200, "{}", found.1);
    let keys = s.server.state.store.management_keys().await.unwrap();
    assert!(keys.iter().any(|k| k.last_used.is_some()), "{keys:?}");
}

/// A management call from `ip` (through `X-Forwarded-For`) with `key`: its status and body.
async fn load_from(s: &TestServer, ip: &str, key: &str) -> (u16, Value) {
    let response = s
        .http
        .get(format!("{}/v1/mgmt/user?loginId=ada%40example.com", s.base))
        .header("Authorization", format!("Bearer {}:{key}", s.project_id))
        .header("X-Forwarded-For", ip)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Wrong management keys from one address are limited before any lookup (429 with
/// `Retry-After`, counted in the metrics), and each address's refusals are audited at most once
/// a minute, without the key. Another address is not held back. Before, every wrong key was
/// looked up, nothing limited or counted them, and none was recorded.
#[tokio::test]
async fn wrong_management_keys_are_limited_per_address_counted_and_audited_once_a_minute() {
    let s = TestServer::with_config(crate::harness::config_with(
        beckon_server::config::Settings {
            limit_management_refusals_per_ip: Some("3/60".into()),
            client_ip_header: Some("X-Forwarded-For".into()),
            metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
            ..Default::default()
        },
    ))
    .await;
    let key = key_for(&s).await;
    let wrong = "Kwrongwrongwrongwrongwrongwrongwrongwrongwrongwro";
    for _ in 0..3 {
        let refused = load_from(&s, "192.0.2.1", wrong).await;
        assert_error(&refused, 401, ErrorCode::ManagementKey.as_str());
    }
    for presented in [wrong, key.as_str()] {
        let limited = load_from(&s, "192.0.2.1", presented).await;
        assert_error(&limited, 429, ErrorCode::RateLimited.as_str());
    }
    // Another address, with the right key, is served.
    assert_eq!(load_from(&s, "192.0.2.2", &key).await.0, 400);

    let samples = crate::metrics::samples(&crate::metrics::scrape(&s).await);
    assert_eq!(
        samples.get("beckon_management_key_refusals_total"),
        Some(&3.0),
        "{samples:?}"
    );
    let refusals_audited = |rows: Vec<beckon_server::store::AuditRow>| {
        rows.into_iter()
            .filter(|r| r.action == "management_key.refused")
            .collect::<Vec<_>>()
    };
    let audited = refusals_audited(trail(&s).await);
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!(audited[0].remote_ip.as_deref(), Some("192.0.2.1"));
    let row = format!("{:?}", audited[0]);
    assert!(!row.contains(wrong), "the key is in the trail: {row}");

    // A minute on, the window is over and a refusal is audited again.
    s.clock.advance(61);
    let refused = load_from(&s, "192.0.2.1", wrong).await;
    assert_error(&refused, 401, ErrorCode::ManagementKey.as_str());
    assert_eq!(refusals_audited(trail(&s).await).len(), 2);
}
