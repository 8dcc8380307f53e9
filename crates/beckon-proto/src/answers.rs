//! Answers, as the server sends them and clients read them. Clients read leniently: a field
//! the server leaves out (or sends as `null`) reads as empty, so the same shapes read
//! Descope's cloud.

use serde::{Deserialize, Serialize};

use crate::nullable::or_default;
use crate::secret::{expose, expose_some, Secret};

/// Every error answer's body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireError {
    /// Such as `E062108`; see [`crate::ErrorCode`].
    #[serde(default, deserialize_with = "or_default")]
    pub error_code: String,
    /// A short sentence.
    #[serde(default, deserialize_with = "or_default")]
    pub error_description: String,
    /// More, often empty.
    #[serde(default, deserialize_with = "or_default")]
    pub error_message: String,
    /// beckon-server's own, beside a `429 E130429`: sign-in messages to this address are
    /// paused because its owner answered "No, this wasn't me" (docs/wire.md §8.4); for how
    /// long, the `Retry-After` header says. Absent otherwise (Descope's SDKs ignore it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
    /// beckon-server's own, beside a `400 E062507` (a wrong code): how many more codes may be
    /// typed for the request before it ends (docs/wire.md §4.9). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tries_left: Option<u32>,
}

/// Where a magic link went, masked (`a***@example.com`): one of the two is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaskedAddress {
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub masked_email: String,
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub masked_phone: String,
}

impl MaskedAddress {
    /// Whichever address is set.
    pub fn address(&self) -> &str {
        if self.masked_email.is_empty() {
            &self.masked_phone
        } else {
            &self.masked_email
        }
    }
}

/// A started enchanted-link sign-in or update: show `link_id`, then wait on `pending_ref`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnchantedLinkResponse {
    /// The two-digit number the person must pick in the message.
    pub link_id: String,
    /// What to ask `pending-session` with; secret.
    #[serde(serialize_with = "expose")]
    pub pending_ref: Secret,
    /// Where the links went, masked: `maskedEmail`, or `maskedPhone` for a text message.
    #[serde(flatten)]
    pub masked: MaskedAddress,
}

/// A signed-in session (Descope's `JWTResponse`): from verifying a magic link, a confirmed
/// enchanted link's `pending-session`, and refresh. Numbers fit Go's int32.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtResponse {
    /// The short-lived session JWT (`drn: DS`).
    #[serde(serialize_with = "expose")]
    pub session_jwt: Secret,
    /// The long-lived refresh JWT (`drn: DSR`). Descope's cloud may send it only as a cookie.
    #[serde(
        default,
        serialize_with = "expose_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub refresh_jwt: Option<Secret>,
    #[serde(default, deserialize_with = "or_default")]
    pub cookie_domain: String,
    #[serde(default, deserialize_with = "or_default")]
    pub cookie_path: String,
    /// Seconds the refresh cookie lives.
    #[serde(default, deserialize_with = "or_default")]
    pub cookie_max_age: i64,
    /// When the refresh cookie expires, Unix seconds.
    #[serde(default, deserialize_with = "or_default")]
    pub cookie_expiration: i64,
    /// When the session JWT expires, Unix seconds.
    #[serde(default, deserialize_with = "or_default")]
    pub session_expiration: i64,
    /// Who signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserResponse>,
    /// True the first time this user signs in.
    #[serde(default, deserialize_with = "or_default")]
    pub first_seen: bool,
}

/// A user (Descope's `UserResponse`), from sessions and `me`. Beckon has no roles, tenants,
/// pictures or second factors: those are sent empty, as Descope sends them for a user
/// without.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserResponse {
    /// The user's stable ID (the JWT `sub`).
    #[serde(deserialize_with = "or_default")]
    pub user_id: String,
    /// Every login ID (email, phone) of the user.
    #[serde(deserialize_with = "or_default")]
    pub login_ids: Vec<String>,
    #[serde(deserialize_with = "or_default")]
    pub name: String,
    #[serde(deserialize_with = "or_default")]
    pub given_name: String,
    #[serde(deserialize_with = "or_default")]
    pub middle_name: String,
    #[serde(deserialize_with = "or_default")]
    pub family_name: String,
    #[serde(deserialize_with = "or_default")]
    pub email: String,
    #[serde(deserialize_with = "or_default")]
    pub phone: String,
    #[serde(deserialize_with = "or_default")]
    pub verified_email: bool,
    #[serde(deserialize_with = "or_default")]
    pub verified_phone: bool,
    /// `enabled`.
    #[serde(deserialize_with = "or_default")]
    pub status: String,
    #[serde(deserialize_with = "or_default")]
    pub picture: String,
    /// When the user was created, Unix seconds.
    #[serde(deserialize_with = "or_default")]
    pub created_time: i64,
    #[serde(deserialize_with = "or_default")]
    pub role_names: Vec<String>,
    #[serde(deserialize_with = "or_default")]
    pub user_tenants: Vec<serde_json::Value>,
    #[serde(deserialize_with = "or_default")]
    pub custom_attributes: serde_json::Map<String, serde_json::Value>,
    #[serde(deserialize_with = "or_default")]
    pub test: bool,
    #[serde(rename = "TOTP", deserialize_with = "or_default")]
    pub totp: bool,
    #[serde(rename = "SAML", deserialize_with = "or_default")]
    pub saml: bool,
    #[serde(deserialize_with = "or_default")]
    pub webauthn: bool,
    #[serde(deserialize_with = "or_default")]
    pub password: bool,
}

/// `GET /v2/keys/{projectId}`: the keys session and refresh JWTs are signed with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySet {
    #[serde(default, deserialize_with = "or_default")]
    pub keys: Vec<PublicKey>,
}

/// One RSA public key (a JWK, RFC 7517). Clients skip keys they cannot use, so every field
/// reads as optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kty: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
}

/// Beckon's own `GET /.well-known/beckon-project`: which project a server is, so an app can
/// find it by the server's address alone (the project ID is public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectResponse {
    pub project_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{:?}` of an answer never prints a token; the wire carries it.
    #[test]
    fn debug_never_prints_a_secret_and_the_wire_carries_it() {
        let answer = EnchantedLinkResponse {
            link_id: "42".into(),
            pending_ref: Secret::new("pending-ref-value"),
            masked: MaskedAddress {
                masked_email: "a***@example.com".into(),
                ..MaskedAddress::default()
            },
        };
        assert!(!format!("{answer:?}").contains("pending-ref-value"));
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"linkId": "42", "pendingRef": "pending-ref-value", "maskedEmail": "a***@example.com"})
        );
        let back: EnchantedLinkResponse = serde_json::from_value(json).unwrap();
        assert_eq!(back, answer);
    }

    #[test]
    fn a_sparse_session_answer_reads() {
        let answer: JwtResponse = serde_json::from_value(serde_json::json!({
            "sessionJwt": "s", "user": {"userId": "U1", "name": null}, "cookieMaxAge": null
        }))
        .unwrap();
        assert_eq!(answer.refresh_jwt, None);
        assert_eq!(answer.user.map(|u| u.user_id), Some("U1".into()));
        let error: WireError = serde_json::from_str(r#"{"errorCode": "E062108"}"#).unwrap();
        assert_eq!(error.error_code, crate::ErrorCode::UserNotFound);
    }
}
