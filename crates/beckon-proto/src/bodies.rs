//! Request bodies, as clients send them and the server reads them. Every field may be left
//! out or sent as `null`; unknown fields are ignored (Descope's SDKs send some this project
//! does not use, such as template options).

use serde::{Deserialize, Serialize};

use crate::nullable::{is_false, or_default};
use crate::secret::{expose_some, Secret};

/// Where a link leads. Descope's SDKs name it differently (`URI` from most, `redirectUrl`
/// and `uri` from others); a server takes the first that is set and not blank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redirect {
    #[serde(rename = "URI", default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(
        rename = "redirectUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub redirect_url: Option<String>,
    #[serde(rename = "uri", default, skip_serializing_if = "Option::is_none")]
    pub uri_lower: Option<String>,
}

impl Redirect {
    /// A redirect as this project's SDK sends it (`URI`).
    pub fn to(uri: Option<&str>) -> Self {
        Self {
            uri: uri.map(str::to_owned),
            ..Self::default()
        }
    }

    /// The redirect the client asked for, whichever name it used.
    pub fn get(&self) -> Option<&str> {
        [&self.uri, &self.redirect_url, &self.uri_lower]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }
}

/// The person to create on sign-up (the wire `user`). Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignUpUser {
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Middle name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// Email address; defaults to the login ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number in E.164 form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// How a sign-in's session is made (the wire `loginOptions`). Template and locale options,
/// which Descope's SDKs may send, are ignored: the server has one message template.
///
/// ```
/// let options = beckon_proto::LoginOptions {
///     custom_claims: serde_json::json!({"plan": "pro"}).as_object().cloned().unwrap_or_default(),
///     ..Default::default()
/// };
/// assert!(!options.needs_refresh_jwt());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginOptions {
    /// Step-up: sign the signed-in user in again for a stronger session. Needs their refresh
    /// JWT; the new session's `amr` adds this sign-in's method to the old one's.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "is_false"
    )]
    pub stepup: bool,
    /// MFA: this link is a second factor on top of the signed-in session. Needs the refresh
    /// JWT, as step-up does.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "is_false"
    )]
    pub mfa: bool,
    /// Claims the session JWT carries (and keeps through refreshes), under its `nsec` claim
    /// as Descope puts them: a client's own claims never stand where the server's do, so
    /// they cannot grant `roles` or `permissions`.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "serde_json::Map::is_empty"
    )]
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
    /// End the user's other sessions once this one starts.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "is_false"
    )]
    pub revoke_other_sessions: bool,
    /// The language of the messages and pages this request leads to, as a BCP 47 tag (`es`,
    /// `es-MX`), as Descope's Python SDK sends it. A server without that language uses its
    /// language alone (`es`), then its own default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl LoginOptions {
    /// Whether these options need the signed-in user's refresh JWT (step-up or MFA).
    pub fn needs_refresh_jwt(&self) -> bool {
        self.stepup || self.mfa
    }
}

/// Sign-in, sign-up and sign-up-or-in, enchanted or magic:
/// `POST /v1/auth/{enchantedlink,magiclink}/{signin,signup,signup-in}/{email,sms}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_id: Option<String>,
    #[serde(flatten)]
    pub redirect: Redirect,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<SignUpUser>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_options: Option<LoginOptions>,
    /// Beckon's own: a magic link bound to the app that asks (RFC 7636). The base64url
    /// SHA-256 of a verifier only that app knows; Descope's SDKs never send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_challenge: Option<String>,
    /// `S256`, the only method taken (RFC 7636's `plain` would bind nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_challenge_method: Option<String>,
}

/// A change of the signed-in user's email or phone:
/// `POST /v1/auth/{enchantedlink,magiclink}/update/{email,phone/sms}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRequest {
    /// A login ID of the signed-in user: whose address changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The new address becomes a login ID too.
    #[serde(rename = "addToLoginIDs", default, deserialize_with = "or_default")]
    pub add_to_login_ids: bool,
    /// When the new address merges two users: keep the other one.
    #[serde(default, deserialize_with = "or_default")]
    pub on_merge_use_existing: bool,
    #[serde(flatten)]
    pub redirect: Redirect,
    /// Beckon's own: the language of the confirmation message (an update's body has no
    /// `loginOptions`), as [`LoginOptions::locale`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `POST /v1/auth/{enchantedlink,magiclink}/verify`: a link's token, and for a magic link
/// bound to the app that asked, that app's verifier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    #[serde(
        default,
        serialize_with = "expose_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub token: Option<Secret>,
    /// A bound magic link's verifier (RFC 7636).
    #[serde(
        default,
        serialize_with = "expose_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub code_verifier: Option<Secret>,
}

/// `POST /v1/auth/enchantedlink/code` (Beckon's own): the code from the email, typed on the
/// device that asked, in place of a tap on the right link (docs/wire.md §4.9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeRequest {
    /// The request's pendingRef, as its start answered it.
    #[serde(
        default,
        serialize_with = "expose_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub pending_ref: Option<Secret>,
    /// The code as typed (case, spaces and dashes do not matter).
    #[serde(
        default,
        serialize_with = "expose_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<Secret>,
}

/// `POST /v1/auth/enchantedlink/pending-session`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingSessionRequest {
    #[serde(
        default,
        serialize_with = "expose_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub pending_ref: Option<Secret>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nulls_and_absent_fields_as_empty() {
        let body: SignInRequest = serde_json::from_value(serde_json::json!({
            "loginId": "ada@example.com",
            "redirectUrl": "  ",
            "uri": "https://app.example/cb",
            "loginOptions": {"stepup": null, "customClaims": null, "templateOptions": {"a": 1}},
            "user": null
        }))
        .unwrap();
        assert_eq!(body.redirect.get(), Some("https://app.example/cb"));
        assert_eq!(body.login_options, Some(LoginOptions::default()));
        let update: UpdateRequest =
            serde_json::from_str(r#"{"addToLoginIDs": null, "email": "b@example.com"}"#).unwrap();
        assert!(!update.add_to_login_ids);
    }

    #[test]
    fn secrets_go_out_on_the_wire_and_nowhere_else() {
        let body = TokenRequest {
            token: Some(Secret::new("link-token-value")),
            code_verifier: None,
        };
        assert!(!format!("{body:?}").contains("link-token-value"));
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"token": "link-token-value"})
        );
    }
}
