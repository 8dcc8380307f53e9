//! Telling the person when the window signs in while they look at their phone: the window
//! comes forward (or asks for attention, where the desktop does not let it), and when it was
//! not in front, a system notification says so.

use tauri::{AppHandle, Manager, UserAttentionType};
use tauri_plugin_beckon::BeckonExt;
use tauri_plugin_notification::NotificationExt;

/// The tap was confirmed and this window is signed in as `email`.
pub fn signed_in(app: &AppHandle, email: &str) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    if window.is_focused().unwrap_or(false) {
        return;
    }
    let _ = window.unminimize();
    let _ = window.set_focus();
    let _ = window.request_user_attention(Some(UserAttentionType::Informational));
    // In the language the window speaks, from the plugin's messages.
    let words = app.beckon();
    let shown = app
        .notification()
        .builder()
        .title(words.tr("notification-title", &[("app", "Beckon")]))
        .body(words.tr("notification-body", &[("email", email)]))
        .show();
    if let Err(error) = shown {
        eprintln!("beckon: could not show a notification: {error}");
    }
}
