//! The language the session asks the server to write in: `SessionBuilder::locale`, changed by
//! `Session::set_locale`, sent with each sign-in (`loginOptions.locale`), magic link and email
//! change (`locale`), so the emails match the window.

use std::sync::Arc;

use beckon_session::config::ServerConfig;
use beckon_session::vault::MemoryVault;
use beckon_session::{EmailChange, Mode, SessionState, Timing};

use crate::session::sign_in;
use crate::{builder, server, sign_in_message, wait_until, Recorder};

#[tokio::test(flavor = "multi_thread")]
async fn each_request_carries_the_language_asked_for_and_a_change_applies_to_the_next() {
    let server = server().await;
    let config = ServerConfig::from_values(Some(server.base_url()), None);
    let flow = builder(
        config,
        Timing::default(),
        &Arc::new(Recorder::default()),
        Arc::new(MemoryVault::default()),
    )
    .locale("es-MX")
    .start();
    assert_eq!(flow.locale().as_deref(), Some("es-MX"));

    sign_in(&server, &flow, "ada@example.com").await;
    let spanish = sign_in_message(&server, "ada@example.com").await;
    assert_eq!(spanish.subject, "Tu enlace para entrar en Beckon");

    // A change of language applies to the next request: the email change's, here.
    flow.set_locale(Some("de".into()));
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.change_email("ada@work.example").await }
    });
    wait_until(&flow, "the change waiting", |s| {
        matches!(
            s,
            SessionState::SignedIn {
                change: Some(EmailChange::Waiting { .. }),
                ..
            }
        )
    })
    .await;
    let german = sign_in_message(&server, "ada@work.example").await;
    assert_eq!(
        german.subject,
        "Bestätigen Sie Ihre neue E-Mail-Adresse für Beckon"
    );
    flow.cancel_email_change().await;
    task.await.unwrap();

    // A magic link too; and with no language asked for, the server keeps the user's last.
    flow.sign_out().await;
    flow.set_locale(Some("ar".into()));
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.send_magic_link("bob@example.com").await }
    });
    wait_until(&flow, "the magic link sent", |s| {
        matches!(s, SessionState::MagicSent { .. })
    })
    .await;
    let arabic = sign_in_message(&server, "bob@example.com").await;
    assert!(
        arabic.html_body.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{}",
        arabic.html_body
    );
    flow.cancel().await;
    task.await.unwrap();
    flow.set_locale(None);
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("ada@example.com", Mode::SignUpOrIn).await }
    });
    wait_until(&flow, "waiting", crate::is_waiting).await;
    let again = sign_in_message(&server, "ada@example.com").await;
    assert_eq!(
        again.subject, "Tu enlace para entrar en Beckon",
        "the last sign-in's language"
    );
    flow.cancel().await;
    task.await.unwrap();
}
