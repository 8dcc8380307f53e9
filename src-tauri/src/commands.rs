//! Tauri commands: thin adapters from the window to the [`Flow`].

use tauri::State;

use crate::flow::{Flow, FlowState};

/// Starts signing in with `email`, replacing any sign-in under way. Progress arrives as
/// `flow-state` events.
#[tauri::command]
pub async fn start_sign_in(flow: State<'_, Flow>, email: String) -> Result<(), ()> {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.sign_in(email).await });
    Ok(())
}

/// Stops waiting and forgets the pending sign-in.
#[tauri::command]
pub fn cancel_sign_in(flow: State<'_, Flow>) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.cancel().await });
}

/// Signs out: locally at once, then on the server.
#[tauri::command]
pub fn sign_out(flow: State<'_, Flow>) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.sign_out().await });
}

/// Changes the signed-in person's email to `email` (links go there; the number shows in the
/// signed-in view).
#[tauri::command]
pub fn change_email(flow: State<'_, Flow>, email: String) {
    let flow = flow.inner().clone();
    tauri::async_runtime::spawn(async move { flow.change_email(email).await });
}

/// Stops an email change under way.
#[tauri::command]
pub fn cancel_email_change(flow: State<'_, Flow>) {
    flow.cancel_email_change();
}

/// The current state, for a window that just loaded.
#[tauri::command]
pub fn flow_state(flow: State<'_, Flow>) -> FlowState {
    flow.state()
}
