//! The audit trail: one row per event that matters (who, when, from where, what became of
//! it), also written as a log event. Never a token, a pendingRef or a JWT: the fields below
//! are all there is.

use std::net::IpAddr;

use crate::store::{AuditRow, Store};

/// What happened. Its name (`as_str`) is what the trail and the management API show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignInStarted,
    LinkConfirmed,
    /// A link whose number was not the one the device showed.
    LinkRefused,
    SignInDeclined,
    SignInExpired,
    SessionCollected,
    SessionRefreshed,
    SessionEnded,
    /// A rotated-out refresh token was used again; the session was ended.
    ReuseDetected,
    AddressUpdated,
    UsersMerged,
    UserCreated,
    UserUpdated,
    UserDisabled,
    UserEnabled,
    UserDeleted,
    /// Every session of the user was ended by an operator.
    UserSignedOut,
    KeyRotated,
    ManagementKeyCreated,
    ManagementKeyRevoked,
    /// Management calls from one address refused for their key (at most one event a minute
    /// per address; never the key).
    ManagementKeyRefused,
    /// A "No, this wasn't me" paused sign-in messages to a mailbox.
    MailboxPaused,
    /// A mailbox's pause was lifted, by its owner or an operator.
    MailboxUnpaused,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::SignInStarted,
        Action::LinkConfirmed,
        Action::LinkRefused,
        Action::SignInDeclined,
        Action::SignInExpired,
        Action::SessionCollected,
        Action::SessionRefreshed,
        Action::SessionEnded,
        Action::ReuseDetected,
        Action::AddressUpdated,
        Action::UsersMerged,
        Action::UserCreated,
        Action::UserUpdated,
        Action::UserDisabled,
        Action::UserEnabled,
        Action::UserDeleted,
        Action::UserSignedOut,
        Action::KeyRotated,
        Action::ManagementKeyCreated,
        Action::ManagementKeyRevoked,
        Action::ManagementKeyRefused,
        Action::MailboxPaused,
        Action::MailboxUnpaused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignInStarted => "signin.started",
            Action::LinkConfirmed => "link.confirmed",
            Action::LinkRefused => "link.refused",
            Action::SignInDeclined => "signin.declined",
            Action::SignInExpired => "signin.expired",
            Action::SessionCollected => "session.collected",
            Action::SessionRefreshed => "session.refreshed",
            Action::SessionEnded => "session.ended",
            Action::ReuseDetected => "session.reuse_detected",
            Action::AddressUpdated => "address.updated",
            Action::UsersMerged => "users.merged",
            Action::UserCreated => "user.created",
            Action::UserUpdated => "user.updated",
            Action::UserDisabled => "user.disabled",
            Action::UserEnabled => "user.enabled",
            Action::UserDeleted => "user.deleted",
            Action::UserSignedOut => "user.signed_out",
            Action::KeyRotated => "key.rotated",
            Action::ManagementKeyCreated => "management_key.created",
            Action::ManagementKeyRevoked => "management_key.revoked",
            Action::ManagementKeyRefused => "management_key.refused",
            Action::MailboxPaused => "mailbox.paused",
            Action::MailboxUnpaused => "mailbox.unpaused",
        }
    }
}

/// Through what the event came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    EnchantedLink,
    MagicLink,
    Session,
    /// The management API (a management key).
    Management,
    /// The operator CLI on the server's machine.
    Cli,
    /// The server on its own (expiry, key rotation).
    Server,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::EnchantedLink => "enchantedlink",
            Via::MagicLink => "magiclink",
            Via::Session => "session",
            Via::Management => "management",
            Via::Cli => "cli",
            Via::Server => "server",
        }
    }
}

/// One event to write.
#[derive(Debug, Clone)]
pub struct Event {
    action: Action,
    via: Via,
    refused: bool,
    user_id: Option<String>,
    login_id: Option<String>,
    ip: Option<IpAddr>,
    user_agent: Option<String>,
    data: serde_json::Map<String, serde_json::Value>,
}

impl Event {
    pub fn new(action: Action, via: Via) -> Self {
        Self {
            action,
            via,
            refused: false,
            user_id: None,
            login_id: None,
            ip: None,
            user_agent: None,
            data: serde_json::Map::new(),
        }
    }

    pub fn user(mut self, user_id: Option<&str>) -> Self {
        self.user_id = user_id.map(str::to_owned);
        self
    }

    pub fn login_id(mut self, login_id: &str) -> Self {
        self.login_id = Some(login_id.to_owned());
        self
    }

    /// Where the request came from: its address, and what its `User-Agent` claimed.
    pub fn from(mut self, ip: Option<IpAddr>, user_agent: Option<&str>) -> Self {
        self.ip = ip;
        self.user_agent = user_agent.map(|ua| ua.chars().take(200).collect());
        self
    }

    /// The request was refused (the event is recorded all the same).
    pub fn refused(mut self) -> Self {
        self.refused = true;
        self
    }

    pub fn detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.data.insert(key.to_owned(), value.into());
        self
    }
}

impl Event {
    /// The row to store, at `now`, for a store method that writes it in its own transaction
    /// (then [`log`] it once committed).
    pub fn row(self, now: i64) -> AuditRow {
        AuditRow {
            id: 0,
            occurred_ms: now.saturating_mul(1000),
            action: self.action.as_str().to_owned(),
            outcome: if self.refused { "refused" } else { "success" }.to_owned(),
            user_id: self.user_id,
            login_id: self.login_id,
            remote_ip: self.ip.map(|ip| ip.to_string()),
            user_agent: self.user_agent,
            method: Some(self.via.as_str().to_owned()),
            data: self.data,
        }
    }
}

/// The event as a log line: action, outcome, user ID and method (the row has the rest).
pub fn log(row: &AuditRow) {
    tracing::info!(
        target: "beckon_server::audit",
        action = row.action,
        outcome = row.outcome,
        user_id = row.user_id.as_deref().unwrap_or(""),
        method = row.method.as_deref().unwrap_or(""),
        "audit"
    );
}

/// Writes `event` to the trail and the log. A trail that cannot be written is logged and
/// does not fail the request it describes.
pub async fn record(store: &Store, now: i64, event: Event) {
    let row = event.row(now);
    log(&row);
    if let Err(error) = store.insert_audit(&row).await {
        tracing::warn!(%error, action = row.action, "cannot write the audit trail");
    }
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn every_action_has_its_own_name() {
        let mut seen = std::collections::HashSet::new();
        for action in Action::ALL {
            assert!(seen.insert(action.as_str()), "{action:?}");
        }
    }
}
