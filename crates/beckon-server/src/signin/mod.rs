//! The sign-in by link, enchanted and magic, and the confirmation of a new address, apart
//! from HTTP: [`start`] a request (store it, queue its message), [`confirm`] a link (or decline
//! it), [`collect`] the session. The API handlers and the confirm page call these; the
//! address rules they apply are in [`crate::domain::address`].

mod collect;
mod confirm;
mod notice;
mod pause;
mod start;

pub use collect::{poll, Hold, Poll};
pub use confirm::{
    confirm_code, decline, merge_notice_for, peek, progress, status_handle, verify, verify_magic,
    viewed, Progress,
};
pub use notice::{notice, sign_out};
pub use pause::{allow, pause_to_allow};
pub use start::{start_enchanted, start_magic};

use crate::audit::{self, Event, Via};
use crate::domain::{Channel, Method, Mode, Profile};
use crate::languages::Words;
use crate::state::AppState;
use crate::support::secrets::Secret;

pub use crate::domain::Requester;

/// `loginOptions`: what the session will carry, and whether it builds on a signed-in one.
#[derive(Debug, Default)]
pub struct SessionOptions {
    /// Step-up: sign the signed-in user in again, for a stronger session.
    pub stepup: bool,
    /// MFA: this link is a second factor on top of the signed-in session.
    pub mfa: bool,
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
    pub revoke_other_sessions: bool,
}

/// The new address of an update, and how it joins the user.
pub struct Update<'a> {
    pub address: &'a str,
    pub add_to_login_ids: bool,
    pub on_merge_use_existing: bool,
}

/// A request to send links: a sign-in, sign-up or sign-up-or-in (`update: None`), or the
/// confirmation of a signed-in user's new address.
pub struct LinkRequest<'a> {
    pub channel: Channel,
    pub mode: Mode,
    /// The login ID to sign in; for an update, one of the signed-in user's login IDs.
    pub login_id: &'a str,
    pub redirect: Option<&'a str>,
    pub profile: Option<Profile>,
    pub requester: Requester<'a>,
    pub options: SessionOptions,
    /// The language its messages are written in, as the client asked (`loginOptions.locale`,
    /// or an update's `locale`).
    pub locale: Option<String>,
    /// The refresh JWT in the bearer, if any: required for step-up, MFA and updates.
    pub refresh_jwt: Option<&'a str>,
    pub update: Option<Update<'a>>,
    /// A magic link's S256 code challenge (RFC 7636) and its method, as sent.
    pub code_challenge: Option<&'a str>,
    pub code_challenge_method: Option<&'a str>,
}

/// A started enchanted-link request: the device shows `link_id` and asks for the session
/// with `pending_ref`.
pub struct EnchantedStarted {
    pub link_id: String,
    pub pending_ref: Secret,
    pub masked: Masked,
}

/// Where the link(s) went, masked for the answer (`a***@example.com`, `+*******0123`).
pub struct Masked {
    pub channel: Channel,
    pub address: String,
}

/// A new message's `Message-ID`: `<random@host>`, the same on every attempt to send it.
pub(super) fn message_id(state: &AppState) -> String {
    format!(
        "<{}@{}>",
        crate::support::secrets::random_alphanumeric(24),
        state.public_url.host_str().unwrap_or("beckon.invalid")
    )
}

/// Writes an event to the audit trail.
pub(super) async fn note(state: &AppState, event: Event) {
    audit::record(&state.store, state.clock.now(), event).await;
}

pub(super) fn via(method: Method) -> Via {
    match method {
        Method::Enchanted => Via::EnchantedLink,
        Method::Magic => Via::MagicLink,
    }
}

/// `2026-11-21T23:40:00Z`, for a page's `<time datetime>`.
pub fn format_iso(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// How long ago, in words: "just now", "1 minute ago", "3 hours ago" (each language's plural
/// forms).
pub fn format_ago(words: Words<'_>, seconds: i64) -> String {
    match seconds.max(0) {
        s if s < 60 => words.tr("ago-just-now"),
        s if s < 3_600 => words.tr_with("ago-minutes", &[("count", (s / 60).into())]),
        s if s < 86_400 => words.tr_with("ago-hours", &[("count", (s / 3_600).into())]),
        s => words.tr_with("ago-days", &[("count", (s / 86_400).into())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::languages::Languages;

    #[test]
    fn times() {
        let languages = Languages::shipped();
        let en = languages.pick(["en"]);
        assert_eq!(en.when_utc(0), "Jan 1, 1970, 12:00 AM UTC");
        assert_eq!(format_iso(1_764_867_600), "2025-12-04T17:00:00Z");
        assert_eq!(format_ago(en, -5), "just now");
        assert_eq!(format_ago(en, 59), "just now");
        assert_eq!(format_ago(en, 60), "1 minute ago");
        assert_eq!(format_ago(en, 150), "2 minutes ago");
        assert_eq!(format_ago(en, 7_200), "2 hours ago");
        assert_eq!(format_ago(en, 86_400), "1 day ago");
    }

    #[test]
    fn relative_times_follow_each_languages_plurals() {
        let languages = Languages::shipped();
        let say = |tag: &str, seconds| format_ago(languages.pick([tag]), seconds);
        assert_eq!(say("de", 60), "vor 1 Minute");
        assert_eq!(say("de", 180), "vor 3 Minuten");
        assert_eq!(say("es", 7_200), "hace 2 horas");
        // Arabic has six plural forms: one, two, few (3 to 10), many (11 to 99), other.
        assert_eq!(say("ar", 60), "منذ دقيقة واحدة");
        assert_eq!(say("ar", 120), "منذ دقيقتين");
        assert_eq!(say("ar", 300), "منذ \u{2068}5\u{2069} دقائق");
        assert_eq!(say("ar", 900), "منذ \u{2068}15\u{2069} دقيقة");
    }
}
