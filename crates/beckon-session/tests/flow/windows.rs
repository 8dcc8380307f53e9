//! Windows only: what the app keeps on a Windows computer. `scripts/check-windows.sh` builds
//! this test binary for Windows and runs it under Wine (the Linux build compiles this module
//! to nothing). The vault against the Credential Manager, through real sign-ins with the
//! longest address the server takes, so the largest entries the app writes are the ones
//! checked against Windows' limit; and the settings file in `%APPDATA%`.

use std::path::PathBuf;
use std::sync::Arc;

use beckon::Secret;
use beckon_server::Running;
use beckon_session::config::ServerConfig;
use beckon_session::settings::{self, Settings};
use beckon_session::vault::{
    windows_bytes, KeyringVault, MagicRequest, PendingSignIn, Saved, Slot, Vault, VaultError,
    WINDOWS_MAX_BYTES,
};
use beckon_session::{Mode, Session, SessionState, Timing};

use crate::session::{is_signed_in, phone};
use crate::{is_waiting, server, token, wait_until, Recorder};

/// The keyring service these tests file their entries under.
const SERVICE: &str = "dev.beckon.session.test";

/// The longest address the server takes: 254 bytes, a 64-character local part.
fn longest_email() -> String {
    let local = "a".repeat(64);
    let domain = format!("{}.example", "d".repeat(254 - 64 - 1 - ".example".len()));
    let email = format!("{local}@{domain}");
    assert_eq!(email.len(), 254);
    email
}

/// A flow keeping its entries in the Credential Manager, and a second handle on the same
/// entries, to read them back as a relaunched app would.
fn flow_in_credential_manager(server: &Running) -> (Session, KeyringVault) {
    let config = ServerConfig::from_values(Some(server.base_url()), None);
    let keyring = KeyringVault::new(SERVICE, &config.identity());
    let flow = crate::start(
        config.clone(),
        Timing::default(),
        &Arc::new(Recorder::default()),
        Arc::new(keyring.clone()),
    );
    (flow, keyring)
}

/// The entry in `slot`, which must be there and fit the Credential Manager.
fn entry_size(keyring: &KeyringVault, slot: Slot) -> usize {
    let entry = keyring
        .read(slot)
        .unwrap()
        .expect("the entry is in the keyring");
    let bytes = windows_bytes(entry.expose());
    eprintln!("the {slot:?} entry takes {bytes} of Windows' {WINDOWS_MAX_BYTES} bytes");
    assert!(bytes <= WINDOWS_MAX_BYTES, "{slot:?}: {bytes} bytes");
    bytes
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_keeps_its_pending_and_session_entries_in_the_credential_manager() {
    let server = server().await;
    let email = longest_email();
    let (flow, keyring) = flow_in_credential_manager(&server);
    let task = tokio::spawn({
        let (flow, email) = (flow.clone(), email.clone());
        async move { flow.sign_in(email, Mode::SignUpOrIn).await }
    });
    let SessionState::Waiting { link_id, .. } = wait_until(&flow, "waiting", is_waiting).await
    else {
        unreachable!()
    };
    let pending = PendingSignIn::load(&keyring)
        .unwrap()
        .expect("pending kept");
    assert_eq!(
        (pending.email.as_str(), pending.link_id.as_str()),
        (email.as_str(), link_id.as_str())
    );
    entry_size(&keyring, Slot::Pending);

    phone(&server)
        .enchanted_link()
        .verify(&token(&server, &email, &link_id).await)
        .await
        .unwrap();
    task.await.unwrap();
    assert!(is_signed_in(&flow.state()), "{:?}", flow.state());
    assert!(Saved::load(&keyring).unwrap().is_some(), "session kept");
    entry_size(&keyring, Slot::Session);
    assert_eq!(
        keyring.read(Slot::Pending).unwrap(),
        None,
        "pending forgotten"
    );

    // A relaunched app finds the session in the Credential Manager.
    let (relaunched, _) = flow_in_credential_manager(&server);
    relaunched.restore().await;
    match relaunched.state() {
        SessionState::SignedIn { email: shown, .. } => assert_eq!(shown, email),
        other => panic!("the session did not come back: {other:?}"),
    }
    relaunched.sign_out().await;
    assert_eq!(
        keyring.read(Slot::Session).unwrap(),
        None,
        "signed out, forgotten"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_magic_link_request_and_its_proof_key_are_kept_in_the_credential_manager() {
    let server = server().await;
    let email = longest_email();
    let (flow, keyring) = flow_in_credential_manager(&server);
    flow.send_magic_link(email.clone()).await;
    assert!(
        matches!(flow.state(), SessionState::MagicSent { .. }),
        "{:?}",
        flow.state()
    );
    let asked = MagicRequest::load(&keyring).unwrap().expect("request kept");
    assert_eq!(asked.email, email);
    assert!(asked.code_verifier.is_some(), "with its verifier");
    entry_size(&keyring, Slot::Magic);

    flow.open_link(&crate::magic_url(&server, &email).await)
        .await;
    assert!(is_signed_in(&flow.state()), "{:?}", flow.state());
    assert_eq!(keyring.read(Slot::Magic).unwrap(), None, "used, forgotten");
    flow.sign_out().await;
}

/// Windows' limit, counted as the Credential Manager counts it (UTF-16), so an entry over it
/// is the app's own "too large" and never a keyring failure; one at the limit is kept whole.
#[test]
fn an_entry_over_the_credential_limit_is_refused_as_too_large() {
    let keyring = KeyringVault::new(SERVICE, &format!("windows-limit-{}", std::process::id()));
    let units = WINDOWS_MAX_BYTES / 2;
    // Outside the Basic Multilingual Plane: one character, two UTF-16 units.
    let wide = '\u{1F600}';
    for fits in ["x".repeat(units), wide.to_string().repeat(units / 2)] {
        keyring
            .write(Slot::Session, &Secret::new(fits.clone()))
            .unwrap();
        let back = keyring.read(Slot::Session).unwrap().unwrap();
        assert!(back.expose() == fits, "read back whole");
    }
    for over in [
        "x".repeat(units + 1),
        format!("{}x", wide.to_string().repeat(units / 2)),
    ] {
        assert_eq!(
            keyring.write(Slot::Session, &Secret::new(over.clone())),
            Err(VaultError::TooLarge),
            "{} characters",
            over.chars().count()
        );
    }
    keyring.delete(Slot::Session).unwrap();
    assert_eq!(keyring.read(Slot::Session).unwrap(), None);
    keyring.delete(Slot::Session).unwrap();
}

#[test]
fn settings_are_kept_in_the_roaming_appdata_folder() {
    // An app's identifier (the Beckon app's is this one).
    let identifier = "dev.beckon.desktop.test";
    let path = settings::file_for(identifier).unwrap();
    let appdata = std::env::var_os("APPDATA").expect("Windows sets APPDATA");
    assert_eq!(
        path,
        PathBuf::from(appdata)
            .join(identifier)
            .join("settings.json")
    );
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    assert_eq!(Settings::load(&path), Settings::default());
    let first = Settings::from_input("https://10.0.0.5:8787", "").unwrap();
    first.save(&path).unwrap();
    assert_eq!(Settings::load(&path), first);
    // Saved again, over the file (a rename onto an existing file, which Windows allows only
    // when asked to replace it).
    let second = Settings::from_input("", "P2OPANdSmtackRAJlrRKFxFcoriw").unwrap();
    second.save(&path).unwrap();
    assert_eq!(Settings::load(&path), second);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}
