use serde::Serialize;

use crate::{Error, Result, Secret};

/// How a sign-in's session is made (the wire `loginOptions`, spec §3.1).
///
/// ```
/// let options = beckon::LoginOptions {
///     custom_claims: serde_json::json!({"plan": "pro"}).as_object().cloned().unwrap_or_default(),
///     ..Default::default()
/// };
/// assert!(!options.needs_refresh_jwt());
/// ```
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginOptions {
    /// Step-up: sign the signed-in user in again for a stronger session. Needs their refresh
    /// JWT; the new session's `amr` adds this sign-in's method to the old one's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stepup: bool,
    /// MFA: this link is a second factor on top of the signed-in session. Needs the refresh
    /// JWT, as step-up does.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub mfa: bool,
    /// Claims the session JWT carries (and keeps through refreshes), under its `nsec` claim
    /// as Descope puts them: a client's own claims never stand where the server's do, so
    /// they cannot grant `roles` or `permissions`.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
    /// End the user's other sessions once this one starts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub revoke_other_sessions: bool,
}

impl LoginOptions {
    /// Whether these options need the signed-in user's refresh JWT (step-up or MFA).
    pub fn needs_refresh_jwt(&self) -> bool {
        self.stepup || self.mfa
    }

    /// Refuses step-up or MFA without a refresh JWT before anything is sent, as the official
    /// SDKs do.
    pub(crate) fn check(&self, refresh_jwt: Option<&Secret>) -> Result<()> {
        if self.needs_refresh_jwt() && refresh_jwt.is_none() {
            return Err(Error::InvalidArgument(
                "step-up and MFA need the signed-in user's refresh JWT".into(),
            ));
        }
        Ok(())
    }
}

/// How an updated email address or phone number joins the user (seed 001, `UpdateOptions`).
#[derive(Debug, Clone, Copy, Default)]
pub struct UpdateOptions {
    /// The new address becomes a login ID too: the user can sign in with it.
    pub add_to_login_ids: bool,
    /// When another user already signs in with the new address (and `add_to_login_ids` is
    /// set), the two users merge. By default the user updating is kept and the other deleted;
    /// with this set, the other user is kept, and the refresh JWT that asked stops working.
    pub on_merge_use_existing: bool,
}

/// The body of an update-email or update-phone request (spec §4.6, §5.5, §5.6).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateBody<'a> {
    pub login_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<&'a str>,
    #[serde(rename = "addToLoginIDs")]
    pub add_to_login_ids: bool,
    pub on_merge_use_existing: bool,
    #[serde(rename = "URI", skip_serializing_if = "Option::is_none")]
    pub uri: Option<&'a str>,
}

impl<'a> UpdateBody<'a> {
    pub(crate) fn new(login_id: &'a str, uri: Option<&'a str>, options: &UpdateOptions) -> Self {
        Self {
            login_id,
            email: None,
            phone: None,
            add_to_login_ids: options.add_to_login_ids,
            on_merge_use_existing: options.on_merge_use_existing,
            uri,
        }
    }
}

/// Checks a required text argument before anything is sent.
pub(crate) fn required<'a>(value: &'a str, what: &str) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::InvalidArgument(format!("{what} is required")));
    }
    Ok(value)
}
