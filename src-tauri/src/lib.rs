//! The Beckon desktop app: wiring. The sign-in flow is in [`flow`]; commands in [`commands`].

pub mod commands;
mod notify;

#[cfg(test)]
mod bindings;

use std::sync::Arc;

use tauri::{AppHandle, Emitter};
use tauri_plugin_deep_link::DeepLinkExt;

use beckon_session::flow::{Flow, FlowState, FlowTiming, StateSink};
use beckon_session::settings::{self, Overrides, Settings};
use beckon_session::vault::Keyring;

/// The event every state change goes out on.
pub const STATE_EVENT: &str = "flow-state";

/// Where Settings are kept, and what the environment overrides.
pub struct SettingsFile {
    pub path: std::path::PathBuf,
    pub overrides: Overrides,
}

struct WindowSink {
    app: AppHandle,
    /// Whether the last state was a wait for the tap.
    was_waiting: std::sync::atomic::AtomicBool,
}

impl StateSink for WindowSink {
    fn publish(&self, state: &FlowState) {
        use std::sync::atomic::Ordering;
        // The window may be gone while the app shuts down; nothing to tell then.
        let _ = self.app.emit(STATE_EVENT, state);
        let waiting = matches!(state, FlowState::Waiting { .. });
        let was_waiting = self.was_waiting.swap(waiting, Ordering::Relaxed);
        if let (true, FlowState::SignedIn { email, .. }) = (was_waiting, state) {
            // Published under the flow's lock: tell the desktop on a thread of its own.
            let (app, email) = (self.app.clone(), email.clone());
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
            let sink = Arc::new(WindowSink {
                app: app.handle().clone(),
                was_waiting: Default::default(),
            });
            let path = settings::file_for(&tauri::Manager::config(app).identifier)
                .ok_or("this computer names no folder for the app's settings (no home folder)")?;
            let settings = SettingsFile {
                path,
                overrides: Overrides::from_env(),
            };
            let config = settings.overrides.resolve(&Settings::load(&settings.path));
            let vault = Arc::new(Keyring::for_server(&config.identity()));
            let flow = Flow::new(config, FlowTiming::default(), sink, vault);
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
                    tauri::async_runtime::spawn(async move { flow.open_link(url.as_str()).await });
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
