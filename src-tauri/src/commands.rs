//! Tauri commands: thin adapters from the window to the [`Session`].

use tauri::State;

use beckon_session::settings::{Settings, SettingsView};
use beckon_session::{Error, Mode, Session, SessionState};

use crate::SettingsFile;

/// Starts signing in (or up, as `mode` says; the last kind asked for without it) with
/// `email`, replacing any sign-in under way. Progress arrives as `flow-state` events.
#[tauri::command]
pub fn start_sign_in(flow: State<'_, Session>, email: String, mode: Option<Mode>) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.sign_in(email, mode).await });
}

/// Sends a magic link to `email` instead, for reading mail on this computer: the link opens
/// Beckon, which signs in.
#[tauri::command]
pub fn send_magic_link(flow: State<'_, Session>, email: String) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.send_magic_link(email).await });
}

/// Stops waiting and forgets the pending sign-in.
#[tauri::command]
pub fn cancel_sign_in(flow: State<'_, Session>) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.cancel().await });
}

/// Signs out: locally at once, then on the server.
#[tauri::command]
pub fn sign_out(flow: State<'_, Session>) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.sign_out().await });
}

/// Changes the signed-in person's email to `email` (links go there; the number shows in the
/// signed-in view).
#[tauri::command]
pub fn change_email(flow: State<'_, Session>, email: String) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.change_email(email).await });
}

/// Stops an email change under way.
#[tauri::command]
pub fn cancel_email_change(flow: State<'_, Session>) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.cancel_email_change().await });
}

/// The current state, for a window that just loaded.
#[tauri::command]
pub fn flow_state(flow: State<'_, Session>) -> SessionState {
    flow.state()
}

/// The server in use, for the Settings screen.
#[tauri::command]
pub async fn get_settings(
    flow: State<'_, Session>,
    file: State<'_, SettingsFile>,
) -> Result<SettingsView, Error> {
    let config = flow.config().await.ok_or(Error::NoServer)?;
    Ok(SettingsView::new(&config, file.overrides.any()))
}

/// Keeps a new server choice and switches to it: the flow starts over as at launch, with
/// that server's remembered session if there is one. Bad input changes nothing.
#[tauri::command]
pub fn save_settings(
    flow: State<'_, Session>,
    file: State<'_, SettingsFile>,
    base_url: String,
    project_id: String,
) -> Result<SettingsView, Error> {
    if file.overrides.any() {
        return Err(Error::SettingsFromEnvironment);
    }
    let settings = Settings::from_input(&base_url, &project_id)?;
    settings.save(&file.path)?;
    let config = file.overrides.resolve(&settings);
    let view = SettingsView::new(&config, false);
    let vault = crate::vault_for(&config);
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.reconfigure(config, vault).await });
    Ok(view)
}
