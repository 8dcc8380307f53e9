use super::magic::{link_token, DeepLink};
use crate::state::{LinkIgnored, Mode, SessionState};

fn beckon() -> DeepLink {
    DeepLink::new("beckon://auth").unwrap()
}

#[test]
fn only_well_formed_sign_in_links_give_a_token() {
    let token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_";
    assert_eq!(
        link_token(&format!("beckon://auth?t={token}"), Some(&beckon()))
            .unwrap()
            .expose(),
        token
    );
    assert!(link_token(&format!("beckon://auth/?t={token}"), Some(&beckon())).is_ok());
    for bad in [
        "not a url".to_owned(),
        format!("https://auth?t={token}"),
        format!("beckon://evil?t={token}"),
        format!("beckon://auth/other?t={token}"),
        format!("beckon://auth?t={token}&t={token}"),
        format!("beckon://auth?t={token}&next=https://evil"),
        format!("beckon://auth?x={token}"),
        format!("beckon://auth?t={token}#f"),
        "beckon://auth?t=short".to_owned(),
        "beckon://auth?t=%3Cscript%3Ealert(1)%3C/script%3E".to_owned(),
        format!("beckon://auth?t={}", "a".repeat(600)),
        "beckon://auth".to_owned(),
    ] {
        assert!(link_token(&bad, Some(&beckon())).is_err(), "{bad}");
    }
    let good = format!("beckon://auth?t={token}");
    assert!(!format!("{:?}", link_token(&good, Some(&beckon()))).contains(token));
    // Without a deep link configured, no link signs in.
    assert_eq!(
        link_token(&good, None).unwrap_err(),
        LinkIgnored::NotASignInLink
    );
    // Another app's scheme is not this one's.
    let other = DeepLink::new("otherapp://auth").unwrap();
    assert!(link_token(&good, Some(&other)).is_err());
}

#[test]
fn a_deep_link_is_a_scheme_of_its_own_and_a_host() {
    assert_eq!(beckon().as_str(), "beckon://auth");
    assert_eq!(beckon().scheme(), "beckon");
    for bad in [
        "https://example.com",
        "beckon:auth",
        "beckon://",
        "beckon://auth/path",
        "beckon://auth?t=1",
        "not a url",
    ] {
        assert!(DeepLink::new(bad).is_err(), "{bad}");
    }
}

#[test]
fn states_serialize_with_a_screen_tag() {
    let state = SessionState::Waiting {
        email: "ada@example.com".into(),
        link_id: "42".into(),
        masked_email: "a***@example.com".into(),
        sent_at_ms: 0,
        expires_at_ms: 1,
        reconnecting: false,
    };
    assert_eq!(
        serde_json::to_value(&state).unwrap(),
        serde_json::json!({
            "screen": "waiting",
            "email": "ada@example.com",
            "linkId": "42",
            "maskedEmail": "a***@example.com",
            "sentAtMs": 0,
            "expiresAtMs": 1,
            "reconnecting": false
        })
    );
    let email = SessionState::EnterEmail {
        email: String::new(),
        notice: None,
        mode: Mode::SignIn,
    };
    assert_eq!(
        serde_json::to_value(email).unwrap(),
        serde_json::json!({"screen": "enterEmail", "email": "", "notice": null, "mode": "signIn"})
    );
}
