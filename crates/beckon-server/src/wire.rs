//! Request and response bodies of the API, as the official SDKs send and read them.

use beckon::Secret;
use serde::{Deserialize, Serialize, Serializer};

use crate::store::{Profile, User};

/// Writes a secret into an answer: the one place a token leaves as text. Everywhere else
/// (`Debug`, logs) it stays redacted.
fn expose<S: Serializer>(secret: &Secret, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose())
}

fn or_empty(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// The redirect URL under whichever name the SDK used (spec §3.4).
#[derive(Debug, Default, Deserialize)]
pub struct RedirectFields {
    #[serde(rename = "URI")]
    pub uri_upper: Option<String>,
    #[serde(rename = "redirectUrl")]
    pub redirect_url: Option<String>,
    #[serde(rename = "uri")]
    pub uri_lower: Option<String>,
}

impl RedirectFields {
    pub fn get(&self) -> Option<&str> {
        [&self.uri_upper, &self.redirect_url, &self.uri_lower]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }
}

/// Sign-in, sign-up and sign-up-or-in bodies (spec §4.1-4.3). Unknown fields are ignored and
/// any field may be `null`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkRequestBody {
    pub login_id: Option<String>,
    #[serde(flatten)]
    pub redirect: RedirectFields,
    pub user: Option<Profile>,
    pub login_options: Option<LoginOptionsBody>,
    /// Beckon's own: a magic link bound to the app that asks (RFC 7636). The base64url
    /// SHA-256 of a verifier only that app knows; Descope's SDKs never send it.
    pub code_challenge: Option<String>,
    /// `S256`, the only method taken (RFC 7636's `plain` would bind nothing).
    pub code_challenge_method: Option<String>,
}

/// `loginOptions` (spec §3.1, §3.2). Template and locale fields are accepted and unused: the
/// server has one message template.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginOptionsBody {
    pub stepup: Option<bool>,
    pub mfa: Option<bool>,
    pub custom_claims: Option<serde_json::Map<String, serde_json::Value>>,
    pub revoke_other_sessions: Option<bool>,
}

/// Update-email and update-phone bodies (spec §4.6, §4.7, §5.5, §5.6).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRequestBody {
    /// A login ID of the signed-in user: whose address changes.
    pub login_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(rename = "addToLoginIDs")]
    pub add_to_login_ids: Option<bool>,
    pub on_merge_use_existing: Option<bool>,
    #[serde(flatten)]
    pub redirect: RedirectFields,
}

/// A magic-link answer: where the link went, masked (spec §5).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MaskedAddress {
    MaskedEmail(String),
    MaskedPhone(String),
}

/// An enchanted-link answer (spec §4): `maskedEmail`, or `maskedPhone` for SMS.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnchantedLinkResponse {
    pub link_id: String,
    #[serde(serialize_with = "expose")]
    pub pending_ref: Secret,
    #[serde(flatten)]
    pub masked: MaskedAddress,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenBody {
    pub token: Option<Secret>,
    /// A bound magic link's verifier (RFC 7636).
    pub code_verifier: Option<Secret>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingSessionBody {
    pub pending_ref: Option<Secret>,
}

/// The session answer (spec §6.1). Numbers are integers that fit Go's int32.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtResponse {
    #[serde(serialize_with = "expose")]
    pub session_jwt: Secret,
    #[serde(serialize_with = "expose")]
    pub refresh_jwt: Secret,
    pub cookie_domain: String,
    pub cookie_path: String,
    pub cookie_max_age: i64,
    pub cookie_expiration: i64,
    pub session_expiration: i64,
    pub user: UserResponse,
    pub first_seen: bool,
}

/// A user on the wire (spec §6.1 `UserResponse`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub user_id: String,
    pub login_ids: Vec<String>,
    pub name: String,
    pub given_name: String,
    pub middle_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    pub verified_email: bool,
    pub verified_phone: bool,
    pub status: String,
    pub picture: String,
    pub created_time: i64,
    pub role_names: Vec<String>,
    pub user_tenants: Vec<serde_json::Value>,
    pub custom_attributes: serde_json::Map<String, serde_json::Value>,
    pub test: bool,
    #[serde(rename = "TOTP")]
    pub totp: bool,
    #[serde(rename = "SAML")]
    pub saml: bool,
    pub webauthn: bool,
    pub password: bool,
}

impl From<&User> for UserResponse {
    fn from(user: &User) -> Self {
        Self {
            user_id: user.user_id.clone(),
            login_ids: user.login_ids.clone(),
            name: or_empty(&user.name),
            given_name: or_empty(&user.given_name),
            middle_name: or_empty(&user.middle_name),
            family_name: or_empty(&user.family_name),
            email: or_empty(&user.email),
            phone: or_empty(&user.phone),
            verified_email: user.verified_email,
            verified_phone: user.verified_phone,
            status: "enabled".into(),
            picture: String::new(),
            created_time: user.created_at,
            role_names: Vec::new(),
            user_tenants: Vec::new(),
            custom_attributes: Default::default(),
            test: false,
            totp: false,
            saml: false,
            webauthn: false,
            password: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Before, these held tokens in plain `String`s with a derived `Debug`: a `{:?}` of an
    /// answer printed the pendingRef.
    #[test]
    fn debug_never_prints_a_secret_and_the_wire_carries_it() {
        let answer = EnchantedLinkResponse {
            link_id: "42".into(),
            pending_ref: Secret::new("pending-ref-value"),
            masked: MaskedAddress::MaskedEmail("a***@example.com".into()),
        };
        assert!(!format!("{answer:?}").contains("pending-ref-value"));
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["pendingRef"], "pending-ref-value");
        let body: TokenBody = serde_json::from_str(r#"{"token": "link-token-value"}"#).unwrap();
        assert!(!format!("{body:?}").contains("link-token-value"));
    }
}
