//! The Beckon desktop app: wiring. The sign-in flow is in [`flow`]; commands in [`commands`].

pub mod commands;
pub mod config;
pub mod error;
pub mod flow;
pub mod settings;
pub mod vault;

use std::sync::Arc;

use tauri::{AppHandle, Emitter};

use crate::flow::{Flow, FlowState, FlowTiming, StateSink};
use crate::settings::{Overrides, Settings};
use crate::vault::Keyring;

/// The event every state change goes out on.
pub const STATE_EVENT: &str = "flow-state";

/// Where Settings are kept, and what the environment overrides.
pub struct SettingsFile {
    pub path: std::path::PathBuf,
    pub overrides: Overrides,
}

struct WindowSink(AppHandle);

impl StateSink for WindowSink {
    fn publish(&self, state: &FlowState) {
        // The window may be gone while the app shuts down; nothing to tell then.
        let _ = self.0.emit(STATE_EVENT, state);
    }
}

/// Builds and runs the app.
pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            let sink = Arc::new(WindowSink(app.handle().clone()));
            let settings = SettingsFile {
                path: tauri::Manager::path(app)
                    .app_config_dir()?
                    .join("settings.json"),
                overrides: Overrides::from_env(),
            };
            let config = settings.overrides.resolve(&Settings::load(&settings.path));
            let vault = Arc::new(Keyring::for_server(&config.identity()));
            let flow = Flow::new(config, FlowTiming::default(), sink, vault);
            tauri::Manager::manage(app, flow.clone());
            tauri::Manager::manage(app, settings);
            tauri::async_runtime::spawn(async move { flow.restore().await });
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
            commands::flow_state,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("beckon: the app could not start: {error}");
        std::process::exit(1);
    }
}
