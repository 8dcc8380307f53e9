//! The Beckon desktop app: wiring. The sign-in flow is in [`flow`]; commands in [`commands`].

pub mod commands;
mod notify;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use beckon_session::settings::{self, Overrides, Settings};
use beckon_session::{DeepLink, KeyringVault, ServerConfig, Session, SessionState};
use tauri::{AppHandle, Emitter};
use tauri_plugin_deep_link::DeepLinkExt;

/// The event every state change goes out on.
pub const STATE_EVENT: &str = "flow-state";

/// The keyring service every entry of the app is filed under.
pub const SERVICE: &str = "dev.beckon.desktop";

/// Where magic links read on this computer send the browser: the app itself.
pub const DEEP_LINK: &str = "beckon://auth";

/// The app's entries in the keyring for the server `config` names.
pub fn vault_for(config: &ServerConfig) -> Arc<KeyringVault> {
    Arc::new(KeyringVault::new(SERVICE, &config.identity()))
}

/// Where Settings are kept, and what the environment overrides.
pub struct SettingsFile {
    pub path: std::path::PathBuf,
    pub overrides: Overrides,
}

/// Shows each state in the window, and tells the desktop when the window signs in after a
/// wait for the tap.
fn window_sink(app: AppHandle) -> impl Fn(&SessionState) + Send + Sync + 'static {
    // Whether the last state was a wait for the tap.
    let was_waiting = AtomicBool::new(false);
    move |state| {
        // The window may be gone while the app shuts down; nothing to tell then.
        let _ = app.emit(STATE_EVENT, state);
        let waiting = matches!(state, SessionState::Waiting { .. });
        let was = was_waiting.swap(waiting, Ordering::Relaxed);
        if let (true, SessionState::SignedIn { email, .. }) = (was, state) {
            // Called by the task that owns the session: tell the desktop on a thread of its
            // own.
            let (app, email) = (app.clone(), email.clone());
            tauri::async_runtime::spawn_blocking(move || notify::signed_in(&app, &email));
        }
    }
}

/// On Linux, WebKitGTK composites the page on the GPU by default, which under a software GL
/// (no GPU, or Xvfb) costs the web process about 50 MB (`scripts/bench.sh --only 6`, with and
/// without this). The window is one small form with a
/// countdown ring, which draws as smoothly in software. (WebKit's `DocumentViewer` cache model
/// was measured too: no difference.)
fn lighter_webview(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// Builds and runs the app.
pub fn run() {
    let result = tauri::Builder::default()
        // First, so a second launch (say, by a beckon:// link) hands its arguments to the
        // running app and exits; with the deep-link feature the link reaches `on_open_url`.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            lighter_webview(app);
            let path = settings::file_for(&tauri::Manager::config(app).identifier)
                .ok_or("this computer names no folder for the app's settings (no home folder)")?;
            let settings = SettingsFile {
                path,
                overrides: Overrides::from_env(),
            };
            let config = settings.overrides.resolve(&Settings::load(&settings.path));
            let vault = vault_for(&config);
            let deep_link = DeepLink::new(DEEP_LINK)?;
            // The session's task runs on Tauri's runtime.
            let _runtime = tauri::async_runtime::handle().inner().enter();
            let flow = Session::builder(config, vault)
                .deep_link(deep_link)
                .on_state(window_sink(app.handle().clone()))
                .start();
            tauri::Manager::manage(app, flow.clone());
            tauri::Manager::manage(app, settings);

            let links = app.deep_link();
            // Installed builds register beckon:// through their desktop entry; a development
            // build registers itself so links open it too.
            #[cfg(all(debug_assertions, any(target_os = "linux", windows)))]
            if let Err(error) = links.register_all() {
                eprintln!(
                    "beckon: beckon:// links will not open this development build ({error}); \
                     on Linux, registering them needs xdg-mime (the xdg-utils package)"
                );
            }
            let opened = flow.clone();
            links.on_open_url(move |event| {
                for url in event.urls() {
                    let flow = opened.clone();
                    let url = url.to_string();
                    tauri::async_runtime::spawn(async move { flow.open_link(&url).await });
                }
            });
            let launched_by = links.get_current().ok().flatten().unwrap_or_default();
            tauri::async_runtime::spawn(async move {
                // Launched by a link: it is opened alongside the restore, which is polled
                // first, so the link (if this app asked for it) takes over from it.
                let opening = async {
                    for url in launched_by {
                        flow.open_link(url.as_str()).await;
                    }
                };
                tokio::join!(flow.restore(), opening);
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::start_sign_in,
            commands::cancel_sign_in,
            commands::sign_out,
            commands::change_email,
            commands::cancel_email_change,
            commands::get_settings,
            commands::save_settings,
            commands::send_magic_link,
            commands::flow_state,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("beckon: the app could not start: {error}");
        std::process::exit(1);
    }
}
