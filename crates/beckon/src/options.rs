use beckon_proto::{Redirect, UpdateRequest};

use crate::{Error, LoginOptions, Result, Secret};

/// Refuses step-up or MFA without a refresh JWT before anything is sent, as the official
/// SDKs do.
pub(crate) fn check(options: &LoginOptions, refresh_jwt: Option<&Secret>) -> Result<()> {
    if options.needs_refresh_jwt() && refresh_jwt.is_none() {
        return Err(Error::InvalidArgument(
            "step-up and MFA need the signed-in user's refresh JWT".into(),
        ));
    }
    Ok(())
}

/// How an updated email address or phone number joins the user.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct UpdateOptions {
    /// The new address becomes a login ID too: the user can sign in with it.
    pub add_to_login_ids: bool,
    /// When another user already signs in with the new address (and `add_to_login_ids` is
    /// set), the two users merge. By default the user updating is kept and the other deleted;
    /// with this set, the other user is kept, and the refresh JWT that asked stops working.
    pub on_merge_use_existing: bool,
    /// The language of the confirmation message (a BCP 47 tag such as `es` or `es-MX`):
    /// sent as the body's `locale`, a beckon-server addition that Descope ignores.
    pub locale: Option<String>,
}

impl UpdateOptions {
    /// These options with `add_to_login_ids` set.
    pub fn add_to_login_ids(mut self, add: bool) -> Self {
        self.add_to_login_ids = add;
        self
    }

    /// These options with `on_merge_use_existing` set.
    pub fn on_merge_use_existing(mut self, use_existing: bool) -> Self {
        self.on_merge_use_existing = use_existing;
        self
    }

    /// These options with the confirmation message's language set.
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }

    /// The body of an update request for `login_id`; the caller sets `email` or `phone`.
    pub(crate) fn request(&self, login_id: &str, uri: Option<&str>) -> Result<UpdateRequest> {
        Ok(UpdateRequest {
            login_id: Some(required(login_id, "a login ID")?.to_owned()),
            add_to_login_ids: self.add_to_login_ids,
            on_merge_use_existing: self.on_merge_use_existing,
            redirect: Redirect::to(uri),
            locale: self.locale.clone(),
            ..UpdateRequest::default()
        })
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
