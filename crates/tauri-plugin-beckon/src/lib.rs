//! # tauri-plugin-beckon
//!
//! Phone sign-in for Tauri apps: the person types their email, the window shows a two-digit
//! number, and tapping the link with that number on their phone signs the window in. Built
//! on [`beckon_session`]: the held wait, the OS keyring, resuming after a quit, refresh,
//! sign-out (offline too), against Descope's cloud or a self-hosted beckon-server.
//!
//! ```no_run
//! # fn main() {
//! tauri::Builder::default()
//!     .plugin(tauri_plugin_beckon::Builder::new().base_url("https://auth.example.com").build())
//! #   ;
//! # }
//! ```
//!
//! and in the app's capability, `"beckon:default"`. The web view then signs in with the
//! `tauri-plugin-beckon-api` package (its ready-made view, or its functions).
//!
//! **The session JWT** reaches Rust code through [`Beckon::session_token`]
//! (`app.beckon().session_token().await`). The web view gets it only with the
//! `beckon:allow-session-token` permission, which `default` leaves out: a script injected
//! into the page must not read it. No event or state carries a token, and the refresh JWT
//! never leaves Rust.
#![warn(missing_docs)]

mod commands;
mod error;
mod language;
mod models;

use std::path::PathBuf;
use std::sync::Arc;

use beckon_session::settings::{self, Overrides, Settings, ViewWords};
use beckon_session::{DeepLink, KeyringVault, ServerConfig, Session, Timing, Vault};
use tauri::plugin::{Builder as PluginBuilder, TauriPlugin};
use tauri::{AppHandle, Emitter, Manager, Runtime};

pub use beckon_session;
pub use error::{Error, Result};
pub use models::{EmailChange, LinkIgnored, Mode, Notice, SessionState, SettingsView, UrlProblem};

/// The event every state change goes out on, with a [`SessionState`].
pub const STATE_EVENT: &str = "beckon://state";

type OnState<R> = Arc<dyn Fn(&AppHandle<R>, &SessionState) + Send + Sync>;

/// Where the session of each server is kept.
type VaultFor = Arc<dyn Fn(&ServerConfig) -> Arc<dyn Vault> + Send + Sync>;

/// Sets up the plugin: `tauri_plugin_beckon::Builder::new()…build()`.
#[must_use = "a builder does nothing until `build`"]
pub struct Builder<R: Runtime> {
    base_url: Option<String>,
    project_id: Option<String>,
    keyring_service: Option<String>,
    deep_link: Option<String>,
    settings: bool,
    environment: bool,
    on_state: Option<OnState<R>>,
    vault: Option<VaultFor>,
    link_lifetime: Option<std::time::Duration>,
}

/// The environment variable that sets how long the server's links last, in seconds (its
/// `link_ttl`), with [`Builder::from_environment`].
pub const LINK_LIFETIME_VARIABLE: &str = "BECKON_LINK_LIFETIME";

impl<R: Runtime> Default for Builder<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: Runtime> Builder<R> {
    /// A plugin signing in with the beckon-server on this computer (`http://127.0.0.1:8787`)
    /// until told otherwise.
    pub fn new() -> Self {
        Self {
            base_url: None,
            project_id: None,
            keyring_service: None,
            deep_link: None,
            settings: false,
            environment: false,
            on_state: None,
            vault: None,
            link_lifetime: None,
        }
    }

    /// How long the server's links last (its `link_ttl`; default 5 minutes, Descope's): the
    /// waiting screen counts down to it, and offers help after a minute or half of it.
    pub fn link_lifetime(mut self, lifetime: std::time::Duration) -> Self {
        self.link_lifetime = Some(lifetime);
        self
    }

    /// Signs in with the server at `base_url`: a beckon-server (which says its project), or
    /// a custom Descope address with [`Builder::project_id`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Signs in with the Descope project `project_id` (alone: Descope's cloud).
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// Files the session in the OS keyring under `service` (default: the app's identifier).
    pub fn keyring_service(mut self, service: impl Into<String>) -> Self {
        self.keyring_service = Some(service.into());
        self
    }

    /// Magic links read on this computer open the app at `url` (`myapp://auth`). The app
    /// registers the scheme (Tauri's deep-link plugin) and hands each link it is opened with
    /// to [`Beckon::open_link`]. Without one, sign-in is by the number only, and the app
    /// needs no deep-link or single-instance plugin.
    pub fn deep_link(mut self, url: impl Into<String>) -> Self {
        self.deep_link = Some(url.into());
        self
    }

    /// Keeps the server chosen in the app (the `get_settings` and `save_settings` commands) in
    /// `settings.json` in the app's config folder; the builder's server is the default.
    pub fn keep_settings(mut self) -> Self {
        self.settings = true;
        self
    }

    /// Lets `BECKON_BASE_URL` and `BECKON_PROJECT_ID` choose the server for a run (and
    /// `BECKON_UNSAFE_PLAIN_HTTP=1` allow plain http to another machine), over the builder's
    /// and the kept settings; and `BECKON_LINK_LIFETIME` (seconds, 10 to 86400) say how long
    /// that server's links last.
    pub fn from_environment(mut self) -> Self {
        self.environment = true;
        self
    }

    /// Calls `observer` with every new state, in order, on the task that owns the session:
    /// it must be quick.
    pub fn on_state(
        mut self,
        observer: impl Fn(&AppHandle<R>, &SessionState) + Send + Sync + 'static,
    ) -> Self {
        self.on_state = Some(Arc::new(observer));
        self
    }

    /// Keeps each server's session where `vault` says (given the server), instead of the OS
    /// keyring: for tests, or an app with a store of its own.
    pub fn vault(
        mut self,
        vault: impl Fn(&ServerConfig) -> Arc<dyn Vault> + Send + Sync + 'static,
    ) -> Self {
        self.vault = Some(Arc::new(vault));
        self
    }

    /// The plugin. At start it restores the remembered session.
    pub fn build(self) -> TauriPlugin<R> {
        PluginBuilder::new("beckon")
            .invoke_handler(include!("command_names.rs"))
            .setup(move |app, _api| {
                app.manage(self.start(app)?);
                Ok(())
            })
            .build()
    }

    fn start(self, app: &AppHandle<R>) -> std::result::Result<Beckon, Box<dyn std::error::Error>> {
        let identifier = app.config().identifier.clone();
        let overrides = if self.environment {
            Overrides::from_env()
        } else {
            Overrides::default()
        };
        let chosen = Settings {
            base_url: self.base_url,
            project_id: self.project_id,
            language: None,
        };
        let file = if self.settings {
            Some(settings::file_for(&identifier).ok_or("this computer names no config folder")?)
        } else {
            None
        };
        let kept = file.as_deref().map(Settings::load).unwrap_or_default();
        let language = kept.language.clone();
        let server_kept = Settings {
            language: None,
            ..kept.clone()
        };
        let defaults = if server_kept == Settings::default() {
            chosen
        } else {
            kept
        };
        let config = overrides.resolve(&defaults);
        let service = self.keyring_service.unwrap_or(identifier);
        let vault_for: VaultFor = self.vault.unwrap_or_else(|| {
            Arc::new(move |config: &ServerConfig| -> Arc<dyn Vault> {
                Arc::new(KeyringVault::new(&service, &config.identity()))
            })
        });
        let system = language::system();
        let mut builder = Session::builder(config.clone(), vault_for(&config))
            .restore_on_start()
            .locale(language::for_server(language.as_deref(), &system));
        let from_env = self
            .environment
            .then(|| std::env::var(LINK_LIFETIME_VARIABLE).ok())
            .flatten()
            .map(|secs| {
                secs.trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|s| (10..=86_400).contains(s))
                    .map(std::time::Duration::from_secs)
                    .ok_or_else(|| {
                        format!("{LINK_LIFETIME_VARIABLE} must be seconds from 10 to 86400, not {secs:?}")
                    })
            })
            .transpose()?;
        if let Some(lifetime) = from_env.or(self.link_lifetime) {
            builder = builder.timing(Timing::default().link_lifetime(lifetime));
        }
        if let Some(link) = &self.deep_link {
            builder = builder.deep_link(DeepLink::new(link)?);
        }
        let handle = app.clone();
        let observer = self.on_state;
        builder = builder.on_state(move |state| {
            // The window may be gone while the app shuts down; nothing to tell then.
            let _ = handle.emit(STATE_EVENT, state);
            if let Some(observer) = &observer {
                observer(&handle, state);
            }
        });
        // The session's task runs on Tauri's runtime.
        let _runtime = tauri::async_runtime::handle().inner().enter();
        Ok(Beckon {
            session: builder.start(),
            vault_for,
            settings: file,
            overrides,
            language: std::sync::Mutex::new(language),
            system,
        })
    }
}

/// The plugin's state, from [`BeckonExt::beckon`].
pub struct Beckon {
    session: Session,
    vault_for: VaultFor,
    settings: Option<PathBuf>,
    overrides: Overrides,
    /// The language chosen in Settings; none: the system's.
    language: std::sync::Mutex<Option<String>>,
    /// The system's language.
    system: String,
}

impl Beckon {
    /// The session: its state, and every action (see [`Session`]).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// A session JWT that is valid now, for the app's own backend (see
    /// [`Session::session_token`]).
    pub async fn session_token(&self) -> Result<beckon_session::Secret> {
        self.session.session_token().await
    }

    /// A deep link the app was opened with (see [`Session::open_link`]).
    pub async fn open_link(&self, url: &str) {
        self.session.open_link(url).await;
    }

    fn chosen_language(&self) -> Option<String> {
        self.language.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// What the view speaks now, and its messages.
    pub(crate) fn words(&self) -> ViewWords {
        language::words(self.chosen_language().as_deref(), &self.system)
    }

    /// The message `id` of the view's files (`locales/<lang>/view.ftl`) in the language the
    /// view speaks, with `args`: for what the app says from Rust in the same words (a
    /// notification, say).
    pub fn tr(&self, id: &str, args: &[(&str, &str)]) -> String {
        let locale = language::speaking(self.chosen_language().as_deref(), &self.system);
        language::message(locale, id, args)
    }

    /// Speaks `language` from now on (none: the system's), in the view and in the server's
    /// messages, and keeps the choice in `settings.json` when the app keeps settings. A tag
    /// that is not a language is refused and changes nothing.
    pub(crate) fn set_language(&self, language: Option<&str>) -> Result<ViewWords> {
        let language = match language.map(str::trim).filter(|l| !l.is_empty()) {
            Some(given) => Some(
                language::canonical(given).ok_or_else(|| Error::BadLanguage {
                    input: given.chars().take(40).collect(),
                })?,
            ),
            None => None,
        };
        if let Some(path) = &self.settings {
            let kept = Settings {
                language: language.clone(),
                ..Settings::load(path)
            };
            kept.save(path)?;
        }
        self.session.set_locale(Some(language::for_server(
            language.as_deref(),
            &self.system,
        )));
        if let Ok(mut held) = self.language.lock() {
            *held = language;
        }
        Ok(self.words())
    }

    async fn settings_view(&self) -> Result<SettingsView> {
        let config = self.session.config().await.ok_or(Error::NoServer)?;
        Ok(SettingsView::new(&config, self.overrides.any()))
    }

    async fn save_settings(&self, base_url: &str, project_id: &str) -> Result<SettingsView> {
        let Some(path) = &self.settings else {
            return Err(Error::SettingsNotKept);
        };
        if self.overrides.any() {
            return Err(Error::SettingsFromEnvironment);
        }
        let settings = Settings {
            language: self.chosen_language(),
            ..Settings::from_input(base_url, project_id)?
        };
        settings.save(path)?;
        let config: ServerConfig = self.overrides.resolve(&settings);
        let view = SettingsView::new(&config, false);
        let vault = (self.vault_for)(&config);
        let session = self.session.clone();
        tauri::async_runtime::spawn(async move { session.reconfigure(config, vault).await });
        Ok(view)
    }
}

/// Reaches the plugin's state from the app, a window or a handle: `app.beckon()`.
pub trait BeckonExt<R: Runtime> {
    /// The plugin's state.
    fn beckon(&self) -> &Beckon;
}

impl<R: Runtime, T: Manager<R>> BeckonExt<R> for T {
    fn beckon(&self) -> &Beckon {
        self.state::<Beckon>().inner()
    }
}

/// Tauri's handler for every command named in `command_names.rs` (included where the plugin
/// is built).
macro_rules! with_commands {
    (default: [$($default:ident),* $(,)?], privileged: [$($privileged:ident),* $(,)?] $(,)?) => {
        tauri::generate_handler![$(commands::$default,)* $(commands::$privileged),*]
    };
}
use with_commands;
