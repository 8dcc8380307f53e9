//! Which server the app signs in with, as chosen in Settings and kept between runs in a small
//! JSON file in the app's config folder (nothing secret is in it: sessions live in the
//! keyring). `BECKON_BASE_URL` and `BECKON_PROJECT_ID` override it for a run.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{ServerConfig, LOCAL_SERVER};
use crate::error::{Error, UrlProblem};

/// The settings file of the app named `identifier` (its `tauri.conf.json` identifier):
/// `settings.json` in a folder of that name in the person's own config folder, which is
/// `%APPDATA%` (the roaming AppData folder) on Windows, `$XDG_CONFIG_HOME` or `~/.config` on
/// Linux and `~/Library/Application Support` on macOS; the folder Tauri's `app_config_dir`
/// names. None when the OS names no such folder (no home directory).
pub fn file_for(identifier: &str) -> Option<PathBuf> {
    Some(dirs::config_dir()?.join(identifier).join("settings.json"))
}

/// What Settings keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// A beckon-server's base URL (or a custom Descope base URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// A Descope project ID; alone, it means Descope's cloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// The language the app speaks, chosen in Settings (a BCP 47 tag); none: the system's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl Settings {
    /// The kept settings; none yet, or an unreadable file, means the defaults.
    pub fn load(path: &Path) -> Self {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Writes the settings whole: to a temporary file first, then renamed over the old one,
    /// so a crash never leaves half a file.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let fail = |e: std::io::Error| Error::SettingsNotSaved {
            path: path.display().to_string(),
            detail: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::SettingsNotSaved {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        let temporary = path.with_extension("json.new");
        std::fs::write(&temporary, text).map_err(fail)?;
        std::fs::rename(&temporary, path).map_err(fail)
    }

    /// Settings from what a person typed; empty fields mean "not set". Refuses what cannot
    /// work, saying why.
    pub fn from_input(base_url: &str, project_id: &str) -> Result<Self, Error> {
        let base_url = base_url.trim().trim_end_matches('/');
        let project_id = project_id.trim();
        let settings = Self {
            base_url: (!base_url.is_empty()).then(|| base_url.to_owned()),
            project_id: (!project_id.is_empty()).then(|| project_id.to_owned()),
            language: None,
        };
        if let Some(url) = &settings.base_url {
            check_base_url(url)?;
        }
        if let Some(id) = &settings.project_id {
            check_project_id(id)?;
        }
        Ok(settings)
    }
}

fn check_base_url(text: &str) -> Result<(), Error> {
    let bad = |problem| Error::BadServerUrl {
        input: text.to_owned(),
        problem,
    };
    let url = url::Url::parse(text).map_err(|_| bad(UrlProblem::NotAUrl))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(UrlProblem::NotHttp));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad(UrlProblem::NoHost));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad(UrlProblem::QueryOrFragment));
    }
    crate::config::check_transport(text)
}

/// Descope project IDs start with `P` and are 28 letters and digits, or 32 with a region.
fn check_project_id(id: &str) -> Result<(), Error> {
    let ok = id.starts_with('P')
        && id.chars().all(|c| c.is_ascii_alphanumeric())
        && (id.len() == 28 || id.len() == 32);
    if ok {
        Ok(())
    } else {
        Err(Error::BadProjectId {
            input: id.to_owned(),
        })
    }
}

/// The environment's say over the server, when it has one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// A base URL from `BECKON_BASE_URL`.
    pub base_url: Option<String>,
    /// A project ID from `BECKON_PROJECT_ID`.
    pub project_id: Option<String>,
    /// `BECKON_UNSAFE_PLAIN_HTTP` is set: a plain `http://` server on another machine is
    /// allowed for this run.
    pub unsafe_plain_http: bool,
}

impl Overrides {
    /// `BECKON_BASE_URL` and `BECKON_PROJECT_ID`; empty values count as unset.
    pub fn from_env() -> Self {
        let var = |name| {
            std::env::var(name)
                .ok()
                .filter(|v: &String| !v.trim().is_empty())
        };
        Self {
            base_url: var("BECKON_BASE_URL"),
            project_id: var("BECKON_PROJECT_ID"),
            unsafe_plain_http: var(crate::config::UNSAFE_PLAIN_HTTP)
                .is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
        }
    }

    /// Whether the environment names a server.
    pub fn any(&self) -> bool {
        self.base_url.is_some() || self.project_id.is_some()
    }

    /// The server to use: the environment's when it sets either variable, else the kept
    /// settings, else the local beckon-server.
    pub fn resolve(&self, settings: &Settings) -> ServerConfig {
        let config = if self.any() {
            ServerConfig::from_values(self.base_url.clone(), self.project_id.clone())
        } else {
            ServerConfig::from_values(settings.base_url.clone(), settings.project_id.clone())
        };
        config.unsafe_plain_http(self.unsafe_plain_http)
    }
}

/// What a view needs to speak the person's language: which one, its direction, and its
/// messages (Fluent source, from the view's own files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ViewWords {
    /// The language shown: a tag such as `es`, or a pseudo-locale for tests (`en-XA`
    /// accented and longer, `ar-XB` right to left).
    pub locale: String,
    /// The language is written right to left.
    pub rtl: bool,
    /// The view's messages in that language (for a pseudo-locale, English's, which the view
    /// transforms).
    pub messages: String,
    /// The English messages, for any message the language lacks.
    pub english: String,
    /// The language chosen in Settings; none: the system's.
    pub chosen: Option<String>,
    /// The system's language (a BCP 47 tag).
    pub system: String,
    /// The languages the view speaks, as tags, for a chooser.
    pub languages: Vec<String>,
}

/// What the Settings screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The base URL in use, or empty for Descope's cloud.
    pub base_url: String,
    /// The project ID in use, or empty when the server is asked for it.
    pub project_id: String,
    /// Set by `BECKON_BASE_URL` / `BECKON_PROJECT_ID` for this run, so not editable here.
    pub from_environment: bool,
    /// What an empty form means.
    pub default_base_url: &'static str,
}

impl SettingsView {
    /// What the Settings screen shows for `config`; `from_environment` when it is the environment's.
    pub fn new(config: &ServerConfig, from_environment: bool) -> Self {
        Self {
            base_url: config.base_url.clone().unwrap_or_default(),
            project_id: config.project_id.clone().unwrap_or_default(),
            from_environment,
            default_base_url: LOCAL_SERVER,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &str = "P2OPANdSmtackRAJlrRKFxFcoriw";

    #[test]
    fn input_is_trimmed_and_empty_fields_are_unset() {
        let s = Settings::from_input(" https://10.0.0.5:8787/ ", "").unwrap();
        assert_eq!(s.base_url.as_deref(), Some("https://10.0.0.5:8787"));
        assert_eq!(s.project_id, None);
        assert_eq!(Settings::from_input("", "").unwrap(), Settings::default());
    }

    #[test]
    fn unusable_input_is_refused_with_a_reason() {
        for url in [
            "10.0.0.5:8787",
            "ftp://x",
            "http://",
            "http://x/?a=1",
            "http://x/#f",
        ] {
            let error = Settings::from_input(url, "").unwrap_err();
            assert!(
                matches!(error, Error::BadServerUrl { .. }),
                "{url}: {error:?}"
            );
        }
        for id in [
            "P123",
            "X2OPANdSmtackRAJlrRKFxFcoriw",
            "P2OPANdSmtackRAJlrRKFxFcor-w",
        ] {
            assert!(Settings::from_input("", id).is_err(), "{id}");
        }
        assert!(Settings::from_input("https://api.descope.com", PROJECT).is_ok());
        // Plain http on another machine: the refresh JWT would cross the network in clear.
        let error = Settings::from_input("http://10.0.0.5:8787", "").unwrap_err();
        assert!(matches!(error, Error::PlainHttp { .. }), "{error:?}");
        assert!(Settings::from_input("http://127.0.0.1:8787", "").is_ok());
    }

    #[test]
    fn the_environment_wins_then_the_settings_then_the_local_server() {
        let kept = Settings {
            base_url: Some("http://10.0.0.5:8787".into()),
            project_id: None,
            language: None,
        };
        let none = Overrides::default();
        assert_eq!(
            none.resolve(&kept).base_url.as_deref(),
            Some("http://10.0.0.5:8787")
        );
        assert_eq!(
            none.resolve(&Settings::default()).base_url.as_deref(),
            Some(LOCAL_SERVER)
        );
        let env = Overrides {
            base_url: None,
            project_id: Some(PROJECT.into()),
            unsafe_plain_http: false,
        };
        let config = env.resolve(&kept);
        assert_eq!(config.base_url, None, "the project alone means the cloud");
        assert_eq!(config.project_id.as_deref(), Some(PROJECT));
    }

    #[test]
    fn settings_survive_a_save_and_a_bad_file_means_defaults() {
        let dir = std::env::temp_dir().join(format!("beckon-settings-{}", std::process::id()));
        let path = dir.join("settings.json");
        let kept = Settings {
            base_url: None,
            project_id: Some(PROJECT.into()),
            language: Some("es-MX".into()),
        };
        kept.save(&path).unwrap();
        assert_eq!(Settings::load(&path), kept);
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
