//! "Change email" from the signed-in view: the enchanted-link update-email flow, with the
//! number shown in the same window, against the real server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use beckon::Secret;
use beckon_session::config::ServerConfig;
use beckon_session::vault::{MemoryVault, Slot, Vault, VaultError};
use beckon_session::{Checkpoint, EmailChange, SessionState, Timing};
use beckon_session::{Error, Notice};

use crate::session::{phone, sign_in};
use crate::{flow_with_vault, server, token, wait_until};

fn change(state: &SessionState) -> Option<&EmailChange> {
    match state {
        SessionState::SignedIn { change, .. } => change.as_ref(),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_address_confirms_and_the_session_follows_it() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    sign_in(&server, &flow, "ada@example.com").await;
    let old_refresh = vault.peek().unwrap().refresh_jwt;
    let SessionState::SignedIn { user_id, .. } = flow.state() else {
        unreachable!()
    };

    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.change_email("ada@work.example").await }
    });
    let state = wait_until(&flow, "the change waiting", |s| {
        matches!(change(s), Some(EmailChange::Waiting { .. }))
    })
    .await;
    let Some(EmailChange::Waiting {
        link_id,
        masked_email,
        ..
    }) = change(&state)
    else {
        unreachable!()
    };
    assert_eq!(masked_email, "a***@work.example");
    // Still signed in as before while it waits.
    assert_eq!(state.email(), "ada@example.com");

    phone(&server)
        .enchanted_link()
        .verify(&token(&server, "ada@work.example", link_id).await)
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the change completes")
        .unwrap();
    let SessionState::SignedIn {
        email,
        user_id: same_user,
        change,
        notice,
        ..
    } = flow.state()
    else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(email, "ada@work.example");
    assert_eq!(same_user, user_id, "the same person");
    assert_eq!(change, None);
    assert_eq!(
        notice,
        Some(Notice::EmailChanged {
            email: "ada@work.example".into()
        })
    );

    // The session that asked was replaced, in the vault and on the server.
    let new_refresh = vault.peek().unwrap().refresh_jwt;
    assert_ne!(new_refresh, old_refresh);
    let phone = phone(&server);
    assert_eq!(
        phone.me(&new_refresh).await.unwrap().email,
        "ada@work.example"
    );
    assert!(phone.me(&old_refresh).await.unwrap_err().is_unauthorized());
    // The new address signs in as the same person next time.
    let me = phone.me(&new_refresh).await.unwrap();
    assert!(
        me.login_ids.contains(&"ada@work.example".to_owned()),
        "{:?}",
        me.login_ids
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_address_or_a_cancel_leaves_the_session_as_it_was() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    sign_in(&server, &flow, "ada@example.com").await;
    let refresh = vault.peek().unwrap().refresh_jwt;

    flow.change_email("not an email").await;
    let Some(EmailChange::Failed { new_email, error }) = change(&flow.state()).cloned() else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(new_email, "not an email", "what was typed is kept");
    assert_eq!(error, Error::InvalidEmail);

    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.change_email("ada@work.example").await }
    });
    wait_until(&flow, "the change waiting", |s| {
        matches!(change(s), Some(EmailChange::Waiting { .. }))
    })
    .await;
    flow.cancel_email_change().await;
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("the wait ends at once")
        .unwrap();
    let state = flow.state();
    assert_eq!(change(&state), None);
    assert_eq!(state.email(), "ada@example.com");
    assert!(flow.is_signed_in());
    assert_eq!(vault.peek().unwrap().refresh_jwt, refresh);
}

/// A vault whose writes start failing when told (a keyring locked while the app runs).
#[derive(Default)]
struct LockingVault {
    inner: MemoryVault,
    locked: AtomicBool,
    /// Writes refused since it locked.
    refused: AtomicBool,
}

impl Vault for LockingVault {
    fn read(&self, slot: Slot) -> Result<Option<Secret>, VaultError> {
        self.inner.read(slot)
    }
    fn write(&self, slot: Slot, value: &Secret) -> Result<(), VaultError> {
        if self.locked.load(Ordering::SeqCst) {
            self.refused.store(true, Ordering::SeqCst);
            return Err(VaultError::Unavailable("the keyring is locked".into()));
        }
        self.inner.write(slot, value)
    }
    fn delete(&self, slot: Slot) -> Result<(), VaultError> {
        self.inner.delete(slot)
    }
}

/// The refresh loop has just learnt the session is no longer remembered (the keyring locked)
/// and is about to show it, when the person starts an email change: held at that checkpoint
/// until the change shows, the refresh must not wipe it. (Before, the loop showed a copy of the
/// state taken before the change: the change vanished from the window while its links went
/// out.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refresh_at_the_same_moment_keeps_an_email_change() {
    let server = server().await;
    let (release, held) = tokio::sync::oneshot::channel::<()>();
    let (at_checkpoint_tx, at_checkpoint) = tokio::sync::oneshot::channel::<()>();
    let hold = Arc::new(std::sync::Mutex::new(Some((at_checkpoint_tx, held))));
    let armed = Arc::new(AtomicBool::new(false));
    let vault = Arc::new(LockingVault::default());
    let checkpoint: Checkpoint = Arc::new({
        let (armed, vault) = (armed.clone(), vault.clone());
        move |name| {
            // Held at the first refresh whose save the locked keyring refused: the loop then
            // has `remembered: false` to show.
            let due = name == "refreshed" && vault.refused.load(Ordering::SeqCst);
            let hold = (due && armed.swap(false, Ordering::SeqCst))
                .then(|| hold.lock().unwrap().take())
                .flatten();
            Box::pin(async move {
                if let Some((at_checkpoint, held)) = hold {
                    let _ = at_checkpoint.send(());
                    // The refresh loop waits here until the test lets it go.
                    let _ = tokio::time::timeout(Duration::from_secs(20), held).await;
                }
            })
        }
    });
    let timing = Timing::default()
        .refresh_lead(Duration::from_secs(3600))
        .refresh_floor(Duration::from_millis(200));
    let config = ServerConfig::from_values(Some(server.base_url()), None);
    let flow = crate::builder(
        config,
        timing,
        &Arc::new(crate::Recorder::default()),
        vault.clone(),
    )
    .checkpoint(checkpoint)
    .start();
    sign_in(&server, &flow, "ada@example.com").await;
    assert!(matches!(
        flow.state(),
        SessionState::SignedIn {
            remembered: true,
            ..
        }
    ));

    vault.locked.store(true, Ordering::SeqCst);
    armed.store(true, Ordering::SeqCst);
    tokio::time::timeout(Duration::from_secs(10), at_checkpoint)
        .await
        .expect("the session is refreshed within the floor")
        .unwrap();
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.change_email("ada@work.example").await }
    });
    wait_until(&flow, "the change waiting", |s| {
        matches!(change(s), Some(EmailChange::Waiting { .. }))
    })
    .await;
    release.send(()).unwrap();
    let state = wait_until(&flow, "the refresh shown", |s| {
        matches!(
            s,
            SessionState::SignedIn {
                remembered: false,
                ..
            }
        )
    })
    .await;
    assert!(
        matches!(change(&state), Some(EmailChange::Waiting { .. })),
        "the email change is gone from the window: {state:?}"
    );
    flow.cancel_email_change().await;
    task.await.unwrap();
}
