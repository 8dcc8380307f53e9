//! Where the session is remembered between runs: the OS keyring, never a file. Only the
//! refresh JWT (and when the session began) is kept; the session JWT stays in memory.

use beckon::Secret;
use serde::{Deserialize, Serialize};

/// Windows' Credential Manager holds at most this many bytes per secret
/// (`CRED_MAX_CREDENTIAL_BLOB_SIZE`); Linux's Secret Service and macOS's Keychain have no such
/// limit that the app comes near.
pub const WINDOWS_MAX_BYTES: usize = 2560;

/// The bytes `text` takes in Windows' Credential Manager, where the keyring crate stores it as
/// UTF-16: two per unit, so four for a character outside the Basic Multilingual Plane.
pub fn windows_bytes(text: &str) -> usize {
    text.encode_utf16().count() * 2
}

/// What the vault keeps, each in its own keyring entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The signed-in session: [`Saved`].
    Session,
    /// A sign-in waiting for its tap: [`PendingSignIn`].
    Pending,
    /// A magic link sent for this computer, waiting to be clicked: [`MagicRequest`].
    Magic,
}

impl Slot {
    fn prefix(self) -> &'static str {
        match self {
            Slot::Session => "session",
            Slot::Pending => "pending",
            Slot::Magic => "magic",
        }
    }
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

/// Keeps one secret per [`Slot`].
pub trait Vault: Send + Sync + 'static {
    /// The slot's secret, if one is kept.
    fn read(&self, slot: Slot) -> Result<Option<Secret>, VaultError>;
    /// Keeps `value` in the slot, replacing what was there.
    fn write(&self, slot: Slot, value: &Secret) -> Result<(), VaultError>;
    /// Removes the slot's secret; nothing there is fine.
    fn delete(&self, slot: Slot) -> Result<(), VaultError>;
}

/// A remembered session.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The refresh JWT.
    pub refresh_jwt: Secret,
    /// When the person signed in, in Unix milliseconds (not when the token was last rotated).
    pub since_ms: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredSession {
    refresh_jwt: String,
    since_ms: i64,
}

impl Saved {
    /// The remembered session; an unreadable entry counts as none (it is overwritten at the
    /// next sign-in).
    pub fn load(vault: &dyn Vault) -> Result<Option<Self>, VaultError> {
        let Some(text) = vault.read(Slot::Session)? else {
            return Ok(None);
        };
        let Ok(stored) = serde_json::from_str::<StoredSession>(text.expose()) else {
            return Ok(None);
        };
        Ok((!stored.refresh_jwt.is_empty()).then(|| Saved {
            refresh_jwt: Secret::new(stored.refresh_jwt),
            since_ms: stored.since_ms,
        }))
    }

    /// Keeps this session in `vault`.
    pub fn save(&self, vault: &dyn Vault) -> Result<(), VaultError> {
        let stored = StoredSession {
            refresh_jwt: self.refresh_jwt.expose().to_owned(),
            since_ms: self.since_ms,
        };
        vault.write(Slot::Session, &to_secret(&stored)?)
    }
}

/// A sign-in whose links are out, kept so a restarted app comes back to the same number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    /// The address the links went to.
    pub email: String,
    /// The number to tap.
    pub link_id: String,
    /// The address as the server masked it.
    pub masked_email: String,
    /// The enchanted link's pendingRef, which collects the session.
    pub pending_ref: Secret,
    /// When the wait gives up, in Unix milliseconds.
    pub expires_at_ms: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredPending {
    email: String,
    link_id: String,
    masked_email: String,
    pending_ref: String,
    expires_at_ms: i64,
}

impl PendingSignIn {
    /// The pending sign-in; an unreadable entry counts as none.
    pub fn load(vault: &dyn Vault) -> Result<Option<Self>, VaultError> {
        let Some(text) = vault.read(Slot::Pending)? else {
            return Ok(None);
        };
        let Ok(stored) = serde_json::from_str::<StoredPending>(text.expose()) else {
            return Ok(None);
        };
        Ok((!stored.pending_ref.is_empty()).then(|| PendingSignIn {
            email: stored.email,
            link_id: stored.link_id,
            masked_email: stored.masked_email,
            pending_ref: Secret::new(stored.pending_ref),
            expires_at_ms: stored.expires_at_ms,
        }))
    }

    /// Keeps this sign-in in `vault`.
    pub fn save(&self, vault: &dyn Vault) -> Result<(), VaultError> {
        let stored = StoredPending {
            email: self.email.clone(),
            link_id: self.link_id.clone(),
            masked_email: self.masked_email.clone(),
            pending_ref: self.pending_ref.expose().to_owned(),
            expires_at_ms: self.expires_at_ms,
        };
        vault.write(Slot::Pending, &to_secret(&stored)?)
    }
}

/// A magic link sent to open this app, kept so the app knows it asked for one even when the
/// click launches it anew, with the proof key's verifier that alone redeems the link (so it
/// lives in the keyring). Entries written before proof keys have none, and still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MagicRequest {
    /// The address the link went to.
    pub email: String,
    /// The address as the server masked it.
    pub masked_address: String,
    /// When the link expires, in Unix milliseconds.
    pub expires_at_ms: i64,
    /// The RFC 7636 code verifier the request's challenge was made from.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "beckon::proto::secret::expose_some"
    )]
    pub code_verifier: Option<Secret>,
}

impl MagicRequest {
    /// The magic link asked for; an unreadable entry counts as none.
    pub fn load(vault: &dyn Vault) -> Result<Option<Self>, VaultError> {
        let Some(text) = vault.read(Slot::Magic)? else {
            return Ok(None);
        };
        Ok(serde_json::from_str(text.expose()).ok())
    }

    /// Keeps this request in `vault`.
    pub fn save(&self, vault: &dyn Vault) -> Result<(), VaultError> {
        vault.write(Slot::Magic, &to_secret(self)?)
    }
}

fn to_secret(value: &impl Serialize) -> Result<Secret, VaultError> {
    serde_json::to_string(value)
        .map(Secret::new)
        .map_err(|e| VaultError::Unavailable(e.to_string()))
}

/// The OS keyring: one entry per slot and server the app signs in with, filed under the
/// app's own service name (each app its own, such as its bundle identifier).
#[derive(Debug, Clone)]
pub struct KeyringVault {
    service: String,
    server: String,
}

impl KeyringVault {
    /// The entries of the app `service` for `server` (a base URL or a project ID; see
    /// [`ServerConfig::identity`](crate::ServerConfig::identity)).
    pub fn new(service: &str, server: &str) -> Self {
        Self {
            service: service.to_owned(),
            server: server.to_owned(),
        }
    }

    /// A slot's account name, for tools (and tests) that look at the keyring.
    pub fn account(&self, slot: Slot) -> String {
        format!("{}:{}", slot.prefix(), self.server)
    }

    fn entry(&self, slot: Slot) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(&self.service, &self.account(slot)).map_err(unavailable)
    }
}

fn unavailable(error: keyring::Error) -> VaultError {
    VaultError::Unavailable(error.to_string())
}

impl Vault for KeyringVault {
    fn read(&self, slot: Slot) -> Result<Option<Secret>, VaultError> {
        match self.entry(slot)?.get_password() {
            Ok(text) => Ok(Some(Secret::new(text))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(unavailable(error)),
        }
    }

    fn write(&self, slot: Slot, value: &Secret) -> Result<(), VaultError> {
        if cfg!(windows) && windows_bytes(value.expose()) > WINDOWS_MAX_BYTES {
            return Err(VaultError::TooLarge);
        }
        self.entry(slot)?
            .set_password(value.expose())
            .map_err(unavailable)
    }

    fn delete(&self, slot: Slot) -> Result<(), VaultError> {
        match self.entry(slot)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(unavailable(error)),
        }
    }
}

/// Keeps secrets for this run only: for tests of the flow, and what a machine without a
/// keyring effectively has.
#[derive(Default)]
pub struct MemoryVault {
    slots: std::sync::Mutex<std::collections::HashMap<Slot, Secret>>,
    unavailable: bool,
}

impl MemoryVault {
    /// A vault that fails like a machine without a keyring.
    pub fn unavailable() -> Self {
        Self {
            slots: Default::default(),
            unavailable: true,
        }
    }

    /// The session it holds.
    pub fn peek(&self) -> Option<Saved> {
        Saved::load(self).ok().flatten()
    }

    /// The pending sign-in it holds.
    pub fn peek_pending(&self) -> Option<PendingSignIn> {
        PendingSignIn::load(self).ok().flatten()
    }

    /// The magic link request it holds.
    pub fn peek_magic(&self) -> Option<MagicRequest> {
        MagicRequest::load(self).ok().flatten()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<Slot, Secret>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn check(&self) -> Result<(), VaultError> {
        if self.unavailable {
            return Err(VaultError::Unavailable("no Secret Service".into()));
        }
        Ok(())
    }
}

impl Vault for MemoryVault {
    fn read(&self, slot: Slot) -> Result<Option<Secret>, VaultError> {
        self.check()?;
        Ok(self.lock().get(&slot).cloned())
    }

    fn write(&self, slot: Slot, value: &Secret) -> Result<(), VaultError> {
        self.check()?;
        self.lock().insert(slot, value.clone());
        Ok(())
    }

    fn delete(&self, slot: Slot) -> Result<(), VaultError> {
        self.check()?;
        self.lock().remove(&slot);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_entries_parse_and_bad_ones_are_none() {
        let vault = MemoryVault::default();
        let put = |text: &str| vault.write(Slot::Session, &Secret::new(text)).unwrap();
        put(r#"{"refreshJwt":"a.b.c","sinceMs":5}"#);
        let saved = vault.peek().unwrap();
        assert_eq!(saved.refresh_jwt.expose(), "a.b.c");
        assert_eq!(saved.since_ms, 5);
        assert!(!format!("{saved:?}").contains("a.b.c"), "Debug redacts");
        put("not json");
        assert!(vault.peek().is_none());
        put(r#"{"refreshJwt":"","sinceMs":5}"#);
        assert!(vault.peek().is_none());
    }

    #[test]
    fn a_pending_sign_in_round_trips_in_its_own_slot() {
        let vault = MemoryVault::default();
        let pending = PendingSignIn {
            email: "ada@example.com".into(),
            link_id: "42".into(),
            masked_email: "a***@example.com".into(),
            pending_ref: Secret::new("ref-secret"),
            expires_at_ms: 9,
        };
        pending.save(&vault).unwrap();
        assert_eq!(vault.peek_pending(), Some(pending.clone()));
        assert!(vault.peek().is_none(), "the session slot is separate");
        assert!(
            !format!("{pending:?}").contains("ref-secret"),
            "Debug redacts"
        );
        vault.delete(Slot::Pending).unwrap();
        assert!(vault.peek_pending().is_none());
    }

    #[test]
    fn each_slot_has_its_own_keyring_account() {
        let keyring = KeyringVault::new("dev.example.test", "http://127.0.0.1:8787");
        assert_eq!(
            keyring.account(Slot::Session),
            "session:http://127.0.0.1:8787"
        );
        assert_eq!(
            keyring.account(Slot::Pending),
            "pending:http://127.0.0.1:8787"
        );
        assert_eq!(keyring.account(Slot::Magic), "magic:http://127.0.0.1:8787");
    }

    #[test]
    fn a_magic_link_request_round_trips_and_bad_entries_are_none() {
        let vault = MemoryVault::default();
        let request = MagicRequest {
            email: "ada@example.com".into(),
            masked_address: "a***@example.com".into(),
            expires_at_ms: 9,
            code_verifier: Some(Secret::new("verifier-secret")),
        };
        request.save(&vault).unwrap();
        assert_eq!(vault.peek_magic(), Some(request.clone()));
        assert!(
            !format!("{request:?}").contains("verifier-secret"),
            "Debug redacts"
        );
        assert!(vault.peek_pending().is_none(), "its own slot");
        vault.write(Slot::Magic, &Secret::new("{}")).unwrap();
        assert!(vault.peek_magic().is_none());
    }

    /// What the release before proof keys wrote still loads, with no verifier.
    #[test]
    fn a_magic_link_request_from_before_proof_keys_still_loads() {
        let vault = MemoryVault::default();
        let written =
            r#"{"email":"ada@example.com","maskedAddress":"a***@example.com","expiresAtMs":9}"#;
        vault.write(Slot::Magic, &Secret::new(written)).unwrap();
        let loaded = vault.peek_magic().unwrap();
        assert_eq!(loaded.email, "ada@example.com");
        assert_eq!(loaded.code_verifier, None);
    }

    /// The keyring's entries are this module's own format (`Stored*`), not the wire's: a change
    /// to a wire shape never changes them. Each entry exactly as release 0.1 writes it must
    /// load in every later release, and this release must write exactly these.
    #[test]
    fn entries_as_release_0_1_writes_them_still_load() {
        let session = r#"{"refreshJwt":"h.p.s","sinceMs":1700000000000}"#;
        let pending = r#"{"email":"ada@example.com","linkId":"42","maskedEmail":"a***@example.com","pendingRef":"ref","expiresAtMs":1700000300000}"#;
        let magic = r#"{"email":"ada@example.com","maskedAddress":"a***@example.com","expiresAtMs":1700000300000,"codeVerifier":"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}"#;
        let vault = MemoryVault::default();
        for (slot, text) in [
            (Slot::Session, session),
            (Slot::Pending, pending),
            (Slot::Magic, magic),
        ] {
            vault.write(slot, &Secret::new(text)).unwrap();
        }
        let saved = vault.peek().unwrap();
        let waiting = vault.peek_pending().unwrap();
        let asked = vault.peek_magic().unwrap();
        assert_eq!(saved.refresh_jwt.expose(), "h.p.s");
        assert_eq!(waiting.link_id, "42");
        assert_eq!(waiting.pending_ref.expose(), "ref");
        assert_eq!(
            asked.code_verifier.as_ref().map(Secret::expose),
            Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        );
        // Written back, byte for byte the same.
        let again = MemoryVault::default();
        saved.save(&again).unwrap();
        waiting.save(&again).unwrap();
        asked.save(&again).unwrap();
        for (slot, text) in [
            (Slot::Session, session),
            (Slot::Pending, pending),
            (Slot::Magic, magic),
        ] {
            assert_eq!(again.read(slot).unwrap().unwrap().expose(), text);
        }
    }
}
