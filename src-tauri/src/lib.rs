//! The Beckon desktop app: wiring. The sign-in is the `tauri-plugin-beckon` plugin (its
//! session, commands and view); the app adds its window, its `beckon://` links, the server
//! settings and a notification when the window signs in.

mod notify;

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::AppHandle;
use tauri_plugin_beckon::{BeckonExt, SessionState};
use tauri_plugin_deep_link::DeepLinkExt;

/// The keyring service every entry of the app is filed under.
pub const SERVICE: &str = "dev.beckon.desktop";

/// Where magic links read on this computer send the browser: the app itself.
pub const DEEP_LINK: &str = "beckon://auth";

/// Tells the desktop when the window signs in after a wait for the tap.
fn notify_on_sign_in() -> impl Fn(&AppHandle, &SessionState) + Send + Sync {
    // Whether the last state was a wait for the tap.
    let was_waiting = AtomicBool::new(false);
    move |app, state| {
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
        // The sign-in: the server from Settings (or BECKON_BASE_URL / BECKON_PROJECT_ID for a
        // run), sessions in the keyring under the app's service, magic links by beckon://.
        .plugin(
            tauri_plugin_beckon::Builder::new()
                .keyring_service(SERVICE)
                .deep_link(DEEP_LINK)
                .keep_settings()
                .from_environment()
                .on_state(notify_on_sign_in())
                .build(),
        )
        .setup(|app| {
            lighter_webview(app);
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
            let handle = app.handle().clone();
            links.on_open_url(move |event| {
                for url in event.urls() {
                    let (handle, url) = (handle.clone(), url.to_string());
                    tauri::async_runtime::spawn(
                        async move { handle.beckon().open_link(&url).await },
                    );
                }
            });
            // Launched by a link: it is opened after the restore the plugin began at start,
            // so the link (if this app asked for it) takes over from it.
            let launched_by = links.get_current().ok().flatten().unwrap_or_default();
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                for url in launched_by {
                    handle.beckon().open_link(url.as_str()).await;
                }
            });
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("beckon: the app could not start: {error}");
        std::process::exit(1);
    }
}
