//! The commands a web view may call (each allowed by its own permission; see
//! `permissions/default.toml`). Each is a thin call into the [`Session`](beckon_session::Session);
//! an action answers when it is over, and its progress arrives as state events meanwhile.

use tauri::State;

use crate::error::Result;
use crate::models::{Mode, SessionState, SettingsView, ViewWords};
use crate::Beckon;

/// The current state, for a view that just loaded.
#[tauri::command]
pub(crate) fn state(beckon: State<'_, Beckon>) -> SessionState {
    beckon.session().state()
}

/// Signs in by enchanted link with `email` (`mode`: what to ask for; the kind last asked for
/// without it), replacing any sign-in under way.
#[tauri::command]
pub(crate) async fn sign_in(
    beckon: State<'_, Beckon>,
    email: String,
    mode: Option<Mode>,
) -> Result<()> {
    beckon.session().sign_in(email, mode).await;
    Ok(())
}

/// Sends a magic link to `email`, for reading the email on this computer.
#[tauri::command]
pub(crate) async fn send_magic_link(beckon: State<'_, Beckon>, email: String) -> Result<()> {
    beckon.session().send_magic_link(email).await;
    Ok(())
}

/// Stops waiting and forgets the pending sign-in.
#[tauri::command]
pub(crate) async fn cancel(beckon: State<'_, Beckon>) -> Result<()> {
    beckon.session().cancel().await;
    Ok(())
}

/// While waiting for the tap: the code from the email, typed here when no link works. A
/// wrong one rejects with `wrong_code` (and the tries left); the wait goes on.
#[tauri::command]
pub(crate) async fn enter_code(beckon: State<'_, Beckon>, code: String) -> Result<()> {
    beckon.session().enter_code(code).await?;
    Ok(())
}

/// Signs out: here at once, then on the server.
#[tauri::command]
pub(crate) async fn sign_out(beckon: State<'_, Beckon>) -> Result<()> {
    beckon.session().sign_out().await;
    Ok(())
}

/// Signs out here and ends every session of the account, on every device.
#[tauri::command]
pub(crate) async fn sign_out_everywhere(beckon: State<'_, Beckon>) -> Result<()> {
    beckon.session().sign_out_everywhere().await;
    Ok(())
}

/// Changes the signed-in person's email to `email`.
#[tauri::command]
pub(crate) async fn change_email(beckon: State<'_, Beckon>, email: String) -> Result<()> {
    beckon.session().change_email(email).await;
    Ok(())
}

/// Stops an email change under way.
#[tauri::command]
pub(crate) async fn cancel_email_change(beckon: State<'_, Beckon>) -> Result<()> {
    beckon.session().cancel_email_change().await;
    Ok(())
}

/// The session JWT, valid now (refreshed first when about to expire). Not in `default`: a
/// web view gets it only with the `allow-session-token` permission.
#[tauri::command]
pub(crate) async fn session_token(beckon: State<'_, Beckon>) -> Result<String> {
    let jwt = beckon.session().session_token().await?;
    Ok(jwt.expose().to_owned())
}

/// The server in use, for a settings screen. Not in `default`.
#[tauri::command]
pub(crate) async fn get_settings(beckon: State<'_, Beckon>) -> Result<SettingsView> {
    beckon.settings_view().await
}

/// Keeps a new server choice and switches to it: the session starts over as at launch, with
/// that server's remembered session if there is one. Bad input changes nothing. Not in
/// `default`: a script that could change the server could send the sign-in elsewhere.
#[tauri::command]
pub(crate) async fn save_settings(
    beckon: State<'_, Beckon>,
    base_url: String,
    project_id: String,
) -> Result<SettingsView> {
    beckon.save_settings(&base_url, &project_id).await
}

/// The language the view speaks and its messages (Fluent source), for a view that just
/// loaded.
#[tauri::command]
pub(crate) fn words(beckon: State<'_, Beckon>) -> ViewWords {
    beckon.words()
}

/// Speaks `language` (a tag such as `es`; none: the system's) from now on, in the view and in
/// the server's messages, kept with the settings. A tag that is not a language is refused.
#[tauri::command]
pub(crate) fn set_language(
    beckon: State<'_, Beckon>,
    language: Option<String>,
) -> Result<ViewWords> {
    beckon.set_language(language.as_deref())
}
