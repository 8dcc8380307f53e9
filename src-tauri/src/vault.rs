//! Where the session is remembered between runs: the OS keyring, never a file. Only the
//! refresh JWT (and when the session began) is kept; the session JWT stays in memory.

use beckon::Secret;
use serde::{Deserialize, Serialize};

/// The keyring service every entry of the app is filed under.
pub const SERVICE: &str = "dev.beckon.desktop";

/// Windows' Credential Manager holds at most 2560 bytes per secret, which the keyring crate
/// stores as UTF-16.
const WINDOWS_MAX_CHARS: usize = 2560 / 2;

/// A remembered session.
#[derive(Debug, Clone)]
pub struct Saved {
    pub refresh_jwt: Secret,
    /// When the person signed in, in Unix milliseconds (not when the token was last rotated).
    pub since_ms: i64,
}

/// The stored form: JSON in one keyring entry.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    refresh_jwt: String,
    since_ms: i64,
}

/// Why the session cannot be remembered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// No keyring to use: a headless Linux without a Secret Service, a locked keychain, …
    #[error("no keyring is available: {0}")]
    Unavailable(String),
    /// The token is larger than this platform's keyring takes.
    #[error("the session is too large for this computer's keyring")]
    TooLarge,
}

/// Keeps one session.
pub trait Vault: Send + Sync + 'static {
    fn load(&self) -> Result<Option<Saved>, VaultError>;
    fn save(&self, saved: &Saved) -> Result<(), VaultError>;
    fn delete(&self) -> Result<(), VaultError>;
}

/// The OS keyring: one entry per server the app signs in with.
pub struct Keyring {
    account: String,
}

impl Keyring {
    /// The entry for sessions with `server` (a base URL or a project ID).
    pub fn for_server(server: &str) -> Self {
        Self {
            account: format!("session:{server}"),
        }
    }

    /// The entry's account name, for tools (and tests) that look at the keyring.
    pub fn account(&self) -> &str {
        &self.account
    }

    fn entry(&self) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(SERVICE, &self.account).map_err(unavailable)
    }
}

fn unavailable(error: keyring::Error) -> VaultError {
    VaultError::Unavailable(error.to_string())
}

impl Vault for Keyring {
    fn load(&self) -> Result<Option<Saved>, VaultError> {
        match self.entry()?.get_password() {
            Ok(text) => Ok(parse(&text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(unavailable(error)),
        }
    }

    fn save(&self, saved: &Saved) -> Result<(), VaultError> {
        let text = serde_json::to_string(&Stored {
            refresh_jwt: saved.refresh_jwt.expose().to_owned(),
            since_ms: saved.since_ms,
        })
        .map_err(|e| VaultError::Unavailable(e.to_string()))?;
        if cfg!(windows) && text.chars().count() > WINDOWS_MAX_CHARS {
            return Err(VaultError::TooLarge);
        }
        self.entry()?.set_password(&text).map_err(unavailable)
    }

    fn delete(&self) -> Result<(), VaultError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(unavailable(error)),
        }
    }
}

/// A stored entry; anything unreadable counts as none (it is overwritten at the next sign-in).
fn parse(text: &str) -> Option<Saved> {
    let stored: Stored = serde_json::from_str(text).ok()?;
    (!stored.refresh_jwt.is_empty()).then(|| Saved {
        refresh_jwt: Secret::new(stored.refresh_jwt),
        since_ms: stored.since_ms,
    })
}

/// Keeps the session for this run only: for tests of the flow, and what a machine without a
/// keyring effectively has.
#[derive(Default)]
pub struct MemoryVault {
    saved: std::sync::Mutex<Option<Saved>>,
    unavailable: bool,
}

impl MemoryVault {
    /// A vault that fails like a machine without a keyring.
    pub fn unavailable() -> Self {
        Self {
            saved: Default::default(),
            unavailable: true,
        }
    }

    /// What it holds.
    pub fn peek(&self) -> Option<Saved> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Saved>> {
        self.saved.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn check(&self) -> Result<(), VaultError> {
        if self.unavailable {
            return Err(VaultError::Unavailable("no Secret Service".into()));
        }
        Ok(())
    }
}

impl Vault for MemoryVault {
    fn load(&self) -> Result<Option<Saved>, VaultError> {
        self.check()?;
        Ok(self.lock().clone())
    }

    fn save(&self, saved: &Saved) -> Result<(), VaultError> {
        self.check()?;
        *self.lock() = Some(saved.clone());
        Ok(())
    }

    fn delete(&self) -> Result<(), VaultError> {
        self.check()?;
        *self.lock() = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_entries_parse_and_bad_ones_are_none() {
        let saved = parse(r#"{"refreshJwt":"a.b.c","sinceMs":5}"#).unwrap();
        assert_eq!(saved.refresh_jwt.expose(), "a.b.c");
        assert_eq!(saved.since_ms, 5);
        assert!(parse("not json").is_none());
        assert!(parse(r#"{"refreshJwt":"","sinceMs":5}"#).is_none());
        assert!(!format!("{saved:?}").contains("a.b.c"), "Debug redacts");
    }
}
