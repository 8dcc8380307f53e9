//! Names and login IDs are text other people read: in the operator's terminal (`users list`,
//! `users show`, `audit`), in the management API's answers, in the app. A control character
//! there forges a row or retitles the terminal (ESC, CR, LF, OSC sequences), and a bidi
//! control or zero-width character reorders or hides a table's cells. So names refuse control
//! characters and the bidi controls (keeping the zero-width joiner and non-joiner, which
//! Persian words and emoji need), login IDs refuse every control and format character, and
//! the CLI escapes what it prints from rows written before.

use beckon_server::admin::{self, Operator};
use beckon_server::store::{sqlite_url, Store, UserDetails};
use beckon_testkit::ErrorCode;
use serde_json::json;

use crate::harness::{assert_error, TestServer};

/// Names a person could not have meant, each with why.
const BAD_NAMES: &[(&str, &str)] = &[
    (
        "Ada\u{1b}]0;owned\u{7}",
        "an OSC sequence (retitles the terminal)",
    ),
    (
        "Ada\u{1b}]52;c;cHduZWQ=\u{7}",
        "OSC 52 (writes the clipboard)",
    ),
    ("Ada\r\nU123  root@example.com", "CR LF (forges a row)"),
    ("Ada\u{202e}nimda", "right-to-left override"),
    ("Ada\u{2066}x\u{2069}", "a bidi isolate"),
    ("Ada\u{200f}", "right-to-left mark"),
];

/// Names that must stay: the zero-width non-joiner in Persian, the joiner in an emoji.
const GOOD_NAMES: &[&str] = &[
    "می\u{200c}خواهم",
    "Ada \u{1f469}\u{200d}\u{1f4bb}",
    "Zoë O’Neill",
];

/// Login IDs that look like someone else's in a table.
const BAD_LOGIN_IDS: &[&str] = &[
    "ada\u{202e}moc.elpmaxe@example.com",
    "a\u{200b}da@example.com",
    "ada\u{2060}@example.com",
    "ada@exa\u{feff}mple.com",
];

#[tokio::test]
async fn sign_up_refuses_control_and_bidi_characters_in_names_and_keeps_joiners() {
    let s = TestServer::start().await;
    for (i, (name, why)) in BAD_NAMES.iter().enumerate() {
        let answer = s
            .post(
                "/v1/auth/enchantedlink/signup/email",
                json!({"loginId": format!("bad{i}@example.com"), "user": {"name": name}}),
            )
            .await;
        assert_error(&answer, 400, ErrorCode::InvalidRequest.as_str());
        assert!(answer.1.to_string().contains("name"), "{why}: {}", answer.1);
    }
    for (i, name) in GOOD_NAMES.iter().enumerate() {
        let answer = s
            .post(
                "/v1/auth/enchantedlink/signup/email",
                json!({"loginId": format!("good{i}@example.com"), "user": {"givenName": name}}),
            )
            .await;
        assert_eq!(answer.0, 200, "{name:?}: {}", answer.1);
    }
}

#[tokio::test]
async fn login_ids_with_control_or_format_characters_are_refused() {
    let s = TestServer::start().await;
    for login_id in BAD_LOGIN_IDS {
        let answer = s
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": login_id}),
            )
            .await;
        assert_error(&answer, 400, ErrorCode::InvalidRequest.as_str());
    }
    let store = &s.server.state.store;
    for login_id in BAD_LOGIN_IDS {
        let made = admin::create_user(
            store,
            &Operator::cli(),
            s.clock_now(),
            &[login_id.to_string()],
            UserDetails::default(),
            false,
        )
        .await;
        assert!(made.is_err(), "{login_id:?} was taken");
    }
}

#[tokio::test]
async fn an_operator_cannot_set_such_a_name_either() {
    let s = TestServer::start().await;
    let store = &s.server.state.store;
    for (i, (name, why)) in BAD_NAMES.iter().enumerate() {
        let made = admin::create_user(
            store,
            &Operator::cli(),
            s.clock_now(),
            &[format!("op{i}@example.com")],
            UserDetails {
                family_name: Some(name.to_string()),
                ..UserDetails::default()
            },
            false,
        )
        .await;
        assert!(made.is_err(), "{why} was taken");
    }
    assert_eq!(
        store
            .search_users(&beckon_server::store::UserFilter {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .1,
        0,
        "no user was made"
    );
}

/// A row written before names were checked: the CLI prints it escaped, in the table and in
/// `show`, so the terminal sees no control or bidi character.
#[tokio::test]
async fn the_cli_escapes_what_it_prints_from_older_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir.path().join("beckon.db"));
    let store = Store::connect(&db).await.unwrap();
    let name = "Ada\u{1b}]0;owned\u{7}\r\nU999\u{202e}x";
    assert!(store
        .create_user(
            "U1",
            &["ada@example.com".to_owned()],
            &UserDetails {
                name: Some(name.to_owned()),
                ..UserDetails::default()
            },
            false,
            1_790_000_000,
        )
        .await
        .unwrap());
    drop(store);
    for args in [
        &["users", "list"][..],
        &["users", "show", "ada@example.com"][..],
    ] {
        let out = crate::harness::server_command()
            .args(["--database", &db])
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        let printed = String::from_utf8(out.stdout).unwrap();
        assert!(
            !printed
                .chars()
                .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{args:?} printed a control character: {printed:?}"
        );
        assert!(printed.contains("Ada"), "{args:?}: {printed}");
        assert!(
            printed
                .lines()
                .any(|l| l.contains("Ada") && l.contains("U999")),
            "{args:?}: the CR LF must not start a line of its own: {printed}"
        );
    }
}
