//! What an operator does to users and management keys: one implementation for the
//! management API (`http::management`) and the CLI (`beckon-server users …`), each action
//! written to the audit trail with who did it.

use std::net::IpAddr;

use crate::audit::{self, Action, Event, Via};
use crate::domain::{address, text};
use crate::domain::{Channel, Error, Refusal, Result, User};
use crate::store::{AuditFilter, AuditRow, ManagementKey, Store, UserDetails, UserFilter};
use crate::support::secrets;

/// Who acts: the management API (with its key and the request's address) or the CLI.
#[derive(Debug, Clone)]
pub struct Operator {
    pub via: Via,
    /// The management key's ID, for the trail.
    pub key_id: Option<String>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl Operator {
    pub fn cli() -> Self {
        Self {
            via: Via::Cli,
            key_id: None,
            ip: None,
            user_agent: None,
        }
    }

    fn event(&self, action: Action, user: &User) -> Event {
        let mut event = Event::new(action, self.via)
            .user(Some(&user.user_id))
            .from(self.ip, self.user_agent.as_deref());
        if let Some(login_id) = user.login_ids.first() {
            event = event.login_id(login_id);
        }
        if let Some(key) = &self.key_id {
            event = event.detail("managementKeyId", key.as_str());
        }
        event
    }
}

/// A user by login ID or by user ID.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    LoginId(&'a str),
    UserId(&'a str),
}

/// A login ID as Beckon signs in with it: an email address (lower-cased) or an E.164 phone
/// number. Anything else is refused: no link could reach it.
pub fn login_id(value: &str) -> Result<String> {
    if value.contains('@') {
        address::normalize_login_id(Channel::Email, value)
    } else if value.trim_start().starts_with('+') {
        address::normalize_login_id(Channel::Sms, value)
    } else if value.trim().is_empty() {
        Err(Error::missing("loginId"))
    } else {
        Err(Error::invalid(
            "The loginId must be an email address or an E.164 phone number: Beckon signs in by \
             a link sent to it",
        ))
    }
}

pub async fn find(store: &Store, who: Who<'_>) -> Result<User> {
    let user = match who {
        Who::LoginId(value) => store.user_by_login_id(&login_id(value)?).await?,
        Who::UserId(id) => store.user_by_id(id).await?,
    };
    user.ok_or_else(|| {
        Error::refused(Refusal::UserNotFound, "User not found")
            .with_message("No user has this login ID or user ID")
    })
}

/// Checks the addresses in `details`, as a sign-up would.
fn check_details(mut details: UserDetails) -> Result<UserDetails> {
    details.email = match details.email.filter(|e| !e.trim().is_empty()) {
        Some(email) => Some(
            address::normalize_login_id(Channel::Email, &email)
                .map_err(|_| Error::invalid("The email field must be a valid email address"))?,
        ),
        None => None,
    };
    details.phone =
        match details.phone.filter(|p| !p.trim().is_empty()) {
            Some(phone) => Some(address::normalize_login_id(Channel::Sms, &phone).map_err(
                |_| Error::invalid("The phone field must be a phone number in E.164 form"),
            )?),
            None => None,
        };
    for (field, value) in [
        ("displayName", &details.name),
        ("givenName", &details.given_name),
        ("middleName", &details.middle_name),
        ("familyName", &details.family_name),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 100) {
            return Err(Error::invalid(format!(
                "The {field} field is longer than 100 characters"
            )));
        }
        if let Some(value) = value {
            text::check_name(field, value)?;
        }
    }
    Ok(details)
}

/// Creates a user ahead of their first sign-in. The login ID's address becomes their email
/// or phone when the details name none.
pub async fn create_user(
    store: &Store,
    operator: &Operator,
    now: i64,
    login_ids: &[String],
    details: UserDetails,
    disabled: bool,
) -> Result<User> {
    let mut ids = Vec::with_capacity(login_ids.len());
    for value in login_ids {
        let id = login_id(value)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let Some(first) = ids.first() else {
        return Err(Error::missing("loginId"));
    };
    let mut details = check_details(details)?;
    if first.contains('@') && details.email.is_none() {
        details.email = Some(first.clone());
    } else if first.starts_with('+') && details.phone.is_none() {
        details.phone = Some(first.clone());
    }
    let user_id = format!("U{}", secrets::random_alphanumeric(27));
    if !store
        .create_user(&user_id, &ids, &details, disabled, now)
        .await?
    {
        return Err(Error::refused(Refusal::UserExists, "User already exists")
            .with_message("A user already signs in with this login ID"));
    }
    let user = find(store, Who::UserId(&user_id)).await?;
    audit::record(store, now, operator.event(Action::UserCreated, &user)).await;
    Ok(user)
}

/// Replaces a user's details (the management API's `update`: what is not given is cleared).
pub async fn update_user(
    store: &Store,
    operator: &Operator,
    now: i64,
    who: Who<'_>,
    details: UserDetails,
) -> Result<User> {
    let user = find(store, who).await?;
    let details = check_details(details)?;
    store.update_user(&user.user_id, &details).await?;
    let user = find(store, Who::UserId(&user.user_id)).await?;
    audit::record(store, now, operator.event(Action::UserUpdated, &user)).await;
    Ok(user)
}

/// Disables (every session ends; no sign-in until enabled) or enables a user.
pub async fn set_disabled(
    store: &Store,
    operator: &Operator,
    now: i64,
    who: Who<'_>,
    disabled: bool,
) -> Result<User> {
    let user = find(store, who).await?;
    store
        .set_user_disabled(&user.user_id, disabled, now)
        .await?;
    let user = find(store, Who::UserId(&user.user_id)).await?;
    let action = if disabled {
        Action::UserDisabled
    } else {
        Action::UserEnabled
    };
    audit::record(store, now, operator.event(action, &user)).await;
    Ok(user)
}

/// Ends every session of a user (a stolen laptop): each app notices at its next refresh.
pub async fn sign_out(store: &Store, operator: &Operator, now: i64, who: Who<'_>) -> Result<User> {
    let user = find(store, who).await?;
    store.revoke_user_sessions(&user.user_id, now).await?;
    audit::record(store, now, operator.event(Action::UserSignedOut, &user)).await;
    Ok(user)
}

/// Lifts the pause of sign-in messages to `login_id`'s mailbox that a "No" began: whether
/// one was running. The address need not be a user's (a sign-up can be paused too).
pub async fn unpause(store: &Store, operator: &Operator, now: i64, login_id: &str) -> Result<bool> {
    let login_id = self::login_id(login_id)?;
    let lifted = store.lift_pause(&address::mailbox(&login_id), now).await?;
    if lifted {
        let mut event = Event::new(Action::MailboxUnpaused, operator.via)
            .login_id(&login_id)
            .from(operator.ip, operator.user_agent.as_deref())
            .detail("by", "operator");
        if let Some(key) = &operator.key_id {
            event = event.detail("managementKeyId", key.as_str());
        }
        audit::record(store, now, event).await;
    }
    Ok(lifted)
}

/// Deletes a user and erases their personal data from the trail; the deletion itself is
/// recorded under their (now meaningless) user ID only.
pub async fn delete_user(store: &Store, operator: &Operator, now: i64, who: Who<'_>) -> Result<()> {
    let user = find(store, who).await?;
    store.delete_user(&user.user_id).await?;
    let mut event = Event::new(Action::UserDeleted, operator.via)
        .user(Some(&user.user_id))
        .from(operator.ip, operator.user_agent.as_deref());
    if let Some(key) = &operator.key_id {
        event = event.detail("managementKeyId", key.as_str());
    }
    audit::record(store, now, event).await;
    Ok(())
}

/// A new management key: its ID, and the key itself, which is shown this once and stored
/// only as its hash.
pub async fn create_key(
    store: &Store,
    operator: &Operator,
    now: i64,
    name: &str,
) -> Result<(String, secrets::Secret)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(Error::invalid(
            "A management key's name must be 1 to 60 characters",
        ));
    }
    let key_id = format!("MK{}", secrets::random_alphanumeric(10));
    // No ':' and no '.': the bearer's parts are split on ':', and a part with two dots is a JWT.
    let key = format!("K{}", secrets::random_alphanumeric(47));
    store
        .insert_management_key(&key_id, name, &secrets::hash(&key), now)
        .await?;
    let event = Event::new(Action::ManagementKeyCreated, operator.via)
        .detail("managementKeyId", key_id.as_str())
        .detail("name", name);
    audit::record(store, now, event).await;
    Ok((key_id, secrets::Secret::new(key)))
}

/// The users a filter finds (a page of them), and how many it finds in all.
pub async fn search_users(store: &Store, filter: &UserFilter) -> Result<(Vec<User>, i64)> {
    Ok(store.search_users(filter).await?)
}

/// The audit events a filter finds (a page of them), and how many it finds in all.
pub async fn search_audit(store: &Store, filter: &AuditFilter) -> Result<(Vec<AuditRow>, i64)> {
    Ok(store.search_audit(filter).await?)
}

pub async fn keys(store: &Store) -> Result<Vec<ManagementKey>> {
    Ok(store.management_keys().await?)
}

/// Revokes a key at once: every call made with it afterwards is refused.
pub async fn revoke_key(store: &Store, operator: &Operator, now: i64, key_id: &str) -> Result<()> {
    if !store.revoke_management_key(key_id, now).await? {
        return Err(Error::refused(
            Refusal::NotFound,
            "No such management key, or it is revoked already",
        ));
    }
    let event =
        Event::new(Action::ManagementKeyRevoked, operator.via).detail("managementKeyId", key_id);
    audit::record(store, now, event).await;
    Ok(())
}

/// The ID of the management key a request presents, if it is a current one.
pub async fn check_key(store: &Store, now: i64, key: &str) -> Result<String> {
    store
        .use_management_key(&secrets::hash(key), now)
        .await?
        .ok_or_else(|| {
            Error::refused(Refusal::NoManagementKey, "Invalid management key").with_message(
                "Send Authorization: Bearer <projectId>:<managementKey>, with a key made by \
                 beckon-server management-key create and not revoked",
            )
        })
}
