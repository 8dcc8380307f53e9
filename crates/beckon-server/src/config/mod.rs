//! Settings. Each one has the same name in every layer, and later layers win:
//! built-in defaults, then a TOML file (`--config`), then `BECKON_*` environment variables,
//! then flags. `link_ttl` in the file is `BECKON_LINK_TTL` in the environment and
//! `--link-ttl` on the command line.
//!
//! [`Settings`] is what was given (every field optional, unknown file keys rejected);
//! [`Config`] is what the server runs with, checked, with every default filled in.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::delivery::sms::SmsSettings;
use crate::delivery::smtp::SmtpSettings;
use crate::limits::{Rule, RuleSet};
use transport::{sms_settings, smtp_settings};

mod environment;
mod settings;
mod transport;

pub use environment::{check_environment, NOT_SETTINGS};

pub use settings::Settings;

/// The most `max_wait` may be: held answers end before the router's 30 s request limit.
pub const MAX_WAIT_CAP: u32 = 25;

/// The settings the server runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// `None`: a SQLite file in the user's data folder.
    pub database: Option<String>,
    /// `None`: generated on first start and kept.
    pub project_id: Option<String>,
    /// `None`: `http://` and the listen address.
    pub public_url: Option<url::Url>,
    pub link_ttl: u32,
    pub session_ttl: u32,
    pub refresh_ttl: u32,
    pub session_lifetime: u32,
    /// The longest a `Prefer: wait` is held, in seconds (0: never held).
    pub max_wait: u32,
    /// `None`: the public URL's host and loopback names.
    pub approved_domains: Option<Vec<String>>,
    pub approved_schemes: Vec<String>,
    pub limits: RuleSet,
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// `None`: no place database.
    pub geoip_database: Option<PathBuf>,
    /// Seconds new sign-in messages to an address pause after a "No" (0: never).
    pub pause_after_decline: u32,
    pub app_name: String,
    /// The language messages fall back to (`default_locale`).
    pub default_locale: String,
    /// The operator's message overrides (`messages_dir`).
    pub messages_dir: Option<PathBuf>,
    /// 0: never.
    pub key_rotation_days: u32,
    /// Logs as JSON lines rather than text.
    pub json_logs: bool,
    /// `None`: no metrics.
    pub metrics_listen: Option<SocketAddr>,
    pub audit_retention_days: u32,
    /// `None`: no email.
    pub smtp: Option<SmtpSettings>,
    /// `None`: no text messages.
    pub sms: Option<SmsSettings>,
    /// Development mode: messages go to `/dev/outbox`, nothing is sent.
    pub dev: bool,
    /// Updates may merge two users (`merge_users_on_update`).
    pub merge_users_on_update: bool,
    /// A wrong pick ends its request (`end_on_wrong_pick`).
    pub end_on_wrong_pick: bool,
    /// Returning users are told of each new sign-in (`sign_in_notices`).
    pub sign_in_notices: bool,
    /// Development mode may listen on a non-loopback address.
    pub dev_unsafe_on_network: bool,
    /// How many connections and requests are served at once.
    pub serving: Serving,
    /// Polls held at once (`max_held_waits`).
    pub max_held_waits: usize,
    /// Polls held at once for one client address (`max_held_waits_per_ip`).
    pub max_held_waits_per_ip: usize,
}

/// How many connections and requests the server takes at once (the settings of the same
/// names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serving {
    /// HTTP/2 in clear besides HTTP/1.1.
    pub http2: bool,
    /// `None`: derived from the file limit at start.
    pub max_connections: Option<usize>,
    pub max_requests_per_connection: usize,
    pub max_requests_in_flight: usize,
}

impl Config {
    /// The settings given on the command line and in the environment (`given`), over the
    /// file named by `--config` (`file`), over the defaults.
    pub fn from_layers(file: Option<&Path>, given: &Settings) -> anyhow::Result<Self> {
        let file = match file {
            Some(path) => Settings::from_file(path)?,
            None => Settings::default(),
        };
        Self::from_settings(file.overlaid_with(given)?)
    }

    /// Fills in defaults and checks every value, naming the setting and the fix.
    pub fn from_settings(s: Settings) -> anyhow::Result<Self> {
        let smtp = smtp_settings(&s)?;
        let sms = sms_settings(&s)?;
        let app_name = s.app_name.clone().unwrap_or_else(|| "Beckon".into());
        if app_name.trim().is_empty() || app_name.chars().count() > 60 {
            return Err(setting_error(
                "app_name",
                &app_name,
                "it must be 1 to 60 characters",
            ));
        }
        let defaults = RuleSet::default();
        let limit = |given: Option<String>, name: &str, default: Option<Rule>| {
            given
                .map(|v| Rule::parse(&v).map_err(|e| setting_error(name, &v, &e)))
                .transpose()
                .map(|r| r.unwrap_or(default))
        };
        let limits = RuleSet {
            send_per_login_id: limit(
                s.limit_send_per_login_id,
                "limit_send_per_login_id",
                defaults.send_per_login_id,
            )?,
            send_per_ip: limit(
                s.limit_send_per_ip,
                "limit_send_per_ip",
                defaults.send_per_ip,
            )?,
            verify_per_login_id: limit(
                s.limit_verify_per_login_id,
                "limit_verify_per_login_id",
                defaults.verify_per_login_id,
            )?,
            verify_per_ip: limit(
                s.limit_verify_per_ip,
                "limit_verify_per_ip",
                defaults.verify_per_ip,
            )?,
            code_per_login_id: limit(
                s.limit_code_per_login_id,
                "limit_code_per_login_id",
                defaults.code_per_login_id,
            )?,
            code_per_ip: limit(
                s.limit_code_per_ip,
                "limit_code_per_ip",
                defaults.code_per_ip,
            )?,
            poll_per_request: limit(
                s.limit_poll_per_request,
                "limit_poll_per_request",
                defaults.poll_per_request,
            )?,
            poll_per_ip: limit(
                s.limit_poll_per_ip,
                "limit_poll_per_ip",
                defaults.poll_per_ip,
            )?,
            session_per_session: limit(
                s.limit_session_per_session,
                "limit_session_per_session",
                defaults.session_per_session,
            )?,
            session_per_ip: limit(
                s.limit_session_per_ip,
                "limit_session_per_ip",
                defaults.session_per_ip,
            )?,
            management_refusals_per_ip: limit(
                s.limit_management_refusals_per_ip,
                "limit_management_refusals_per_ip",
                defaults.management_refusals_per_ip,
            )?,
        };
        if let Some(id) = &s.project_id {
            check_project_id(id)?;
        }
        if let Some(url) = &s.public_url {
            if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                anyhow::bail!(setting_error(
                    "public_url",
                    url.as_str(),
                    "it must be an http:// or https:// URL with a host, such as https://auth.example.com"
                ));
            }
        }
        let approved_domains = s
            .approved_domains
            .map(|domains| {
                domains
                    .iter()
                    .map(|d| normalize_domain(d))
                    .collect::<anyhow::Result<Vec<_>>>()
            })
            .transpose()?;
        let approved_schemes = s
            .approved_schemes
            .unwrap_or_else(|| vec!["beckon".into()])
            .iter()
            .map(|scheme| normalize_scheme(scheme))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let client_ip_header = s
            .client_ip_header
            .map(|h| {
                axum::http::HeaderName::try_from(h.trim()).map_err(|_| {
                    setting_error(
                        "client_ip_header",
                        &h,
                        "it must be a header name, such as X-Forwarded-For",
                    )
                })
            })
            .transpose()?;
        let listen = s
            .listen
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8787)));
        Ok(Self {
            listen,
            dev: s.dev.unwrap_or(false),
            merge_users_on_update: s.merge_users_on_update.unwrap_or(false),
            end_on_wrong_pick: s.end_on_wrong_pick.unwrap_or(false),
            sign_in_notices: s.sign_in_notices.unwrap_or(true),
            dev_unsafe_on_network: s.dev_unsafe_on_network.unwrap_or(false),
            database: s.database,
            project_id: s.project_id,
            public_url: s.public_url,
            link_ttl: within(s.link_ttl, "link_ttl", 300, 10..=86_400)?,
            session_ttl: within(s.session_ttl, "session_ttl", 600, 30..=86_400)?,
            refresh_ttl: within(s.refresh_ttl, "refresh_ttl", 2_592_000, 60..=31_536_000)?,
            session_lifetime: within(
                s.session_lifetime,
                "session_lifetime",
                7_776_000,
                300..=315_360_000,
            )?,
            max_wait: within(s.max_wait, "max_wait", 25, 0..=MAX_WAIT_CAP)?,
            approved_domains,
            approved_schemes,
            limits,
            client_ip_header,
            geoip_database: s.geoip_database,
            pause_after_decline: within(
                s.pause_after_decline,
                "pause_after_decline",
                900,
                0..=86_400,
            )?,
            app_name,
            default_locale: s.default_locale.unwrap_or_else(|| "en".into()),
            messages_dir: s.messages_dir,
            key_rotation_days: match s.key_rotation_days {
                Some(days) if days > 3650 => {
                    return Err(setting_error(
                        "key_rotation_days",
                        &days.to_string(),
                        "it must be 0 (never) to 3650 days",
                    ))
                }
                Some(days) => days,
                None => 90,
            },
            metrics_listen: s.metrics_listen,
            audit_retention_days: within(
                s.audit_retention_days,
                "audit_retention_days",
                90,
                1..=3650,
            )?,
            json_logs: match s.log_format.as_deref().map(str::trim) {
                None | Some("text") => false,
                Some("json") => true,
                Some(other) => {
                    return Err(setting_error("log_format", other, "write text or json"))
                }
            },
            smtp,
            sms,
            serving: Serving {
                http2: s.http2.unwrap_or(false),
                max_connections: s
                    .max_connections
                    .map(|n| count(n, "max_connections", 16..=1_000_000))
                    .transpose()?,
                max_requests_per_connection: count(
                    s.max_requests_per_connection.unwrap_or(8),
                    "max_requests_per_connection",
                    1..=256,
                )?,
                max_requests_in_flight: count(
                    s.max_requests_in_flight.unwrap_or(512),
                    "max_requests_in_flight",
                    1..=1_000_000,
                )?,
            },
            max_held_waits: count(
                s.max_held_waits.unwrap_or(4096),
                "max_held_waits",
                0..=1_000_000,
            )?,
            max_held_waits_per_ip: count(
                s.max_held_waits_per_ip.unwrap_or(32),
                "max_held_waits_per_ip",
                0..=1_000_000,
            )?,
        })
    }

    /// Defaults for tests: an in-memory database on a free loopback port. Redirect URLs may
    /// also point at app.example.com and app.example, which the tests use.
    pub fn for_tests() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: Some("sqlite::memory:".into()),
            approved_domains: Some(vec![
                "localhost".into(),
                "127.0.0.1".into(),
                "app.example.com".into(),
                "app.example".into(),
            ]),
            dev: true,
            ..Self::from_settings(Settings::default()).unwrap_or_else(|e| panic!("{e}"))
        }
    }

    /// The database URL to open.
    pub fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database {
            return Ok(url.clone());
        }
        let dir = default_data_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create the data folder {}: {e}; pass --database",
                dir.display()
            )
        })?;
        // It holds the database, and so the signing keys: its owner's only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(
                |e| {
                    anyhow::anyhow!(
                        "cannot make the data folder {} its owner's only: {e}",
                        dir.display()
                    )
                },
            )?;
        }
        Ok(crate::store::sqlite_url(&dir.join("beckon.db")))
    }
}

impl Config {
    /// A server sends its messages, or is in development mode on its own machine: never
    /// neither (a typo in a setting would otherwise publish every link), never both, and
    /// development mode on a network only when the setting that says it is unsafe asks.
    pub fn check_serving(&self) -> anyhow::Result<()> {
        check_delivery(
            self.dev,
            self.dev_unsafe_on_network,
            self.listen,
            self.smtp.is_some() || self.sms.is_some(),
        )
    }
}

fn check_delivery(
    dev: bool,
    unsafe_on_network: bool,
    listen: SocketAddr,
    transport: bool,
) -> anyhow::Result<()> {
    match (dev, transport) {
        (false, _) if unsafe_on_network => anyhow::bail!(
            "dev_unsafe_on_network (--dev-unsafe-on-network, BECKON_DEV_UNSAFE_ON_NETWORK) only \
             goes with dev: remove it"
        ),
        (false, false) => anyhow::bail!(
            "beckon-server has no way to send sign-in messages: set smtp_host and smtp_from \
             (--smtp-host, BECKON_SMTP_HOST) for email, or sms_account_sid, sms_auth_token_file \
             and sms_from for text messages. On a developer's machine, run with --dev \
             (BECKON_DEV=true, dev = true) instead: messages are then shown at /dev/outbox"
        ),
        (true, true) => anyhow::bail!(
            "dev (--dev, BECKON_DEV) keeps messages at /dev/outbox and sends nothing, so it \
             cannot be combined with smtp_host or the sms_* settings: remove one or the other"
        ),
        (true, false) if !listen.ip().is_loopback() && !unsafe_on_network => anyhow::bail!(
            "dev (--dev, BECKON_DEV) publishes every sign-in link at /dev/outbox, so it listens \
             on loopback only, not {listen}. To let a phone on your own network open the links, \
             also set dev_unsafe_on_network (--dev-unsafe-on-network, \
             BECKON_DEV_UNSAFE_ON_NETWORK=true): everyone on that network can then sign in as \
             anyone"
        ),
        _ => Ok(()),
    }
}

pub(super) fn setting_error(name: &str, value: &str, why: &str) -> anyhow::Error {
    let env = format!("BECKON_{}", name.to_ascii_uppercase());
    let flag = format!("--{}", name.replace('_', "-"));
    anyhow::anyhow!("setting {name} ({flag}, {env}) = {value:?} is not usable: {why}")
}

fn within(
    given: Option<u32>,
    name: &str,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> anyhow::Result<u32> {
    let value = given.unwrap_or(default);
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(setting_error(
            name,
            &value.to_string(),
            &format!(
                "it must be between {} and {} seconds",
                range.start(),
                range.end()
            ),
        ))
    }
}

/// A count within `range`, as a `usize`.
fn count(given: u32, name: &str, range: std::ops::RangeInclusive<u32>) -> anyhow::Result<usize> {
    if range.contains(&given) {
        Ok(given as usize)
    } else {
        Err(setting_error(
            name,
            &given.to_string(),
            &format!("it must be between {} and {}", range.start(), range.end()),
        ))
    }
}

/// `App.Example.COM.` → `app.example.com`; a URL or a wildcard is refused with the fix.
fn normalize_domain(given: &str) -> anyhow::Result<String> {
    let domain = given.trim().trim_end_matches('.').to_ascii_lowercase();
    let ok = !domain.is_empty()
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if ok {
        Ok(domain)
    } else {
        Err(setting_error(
            "approved_domains",
            given,
            "each entry must be a host name such as app.example.com (no scheme, port, path or *; \
             a domain already allows its subdomains)",
        ))
    }
}

fn normalize_scheme(given: &str) -> anyhow::Result<String> {
    let scheme = given.trim().trim_end_matches(':').to_ascii_lowercase();
    let ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if ok && !matches!(scheme.as_str(), "javascript" | "data" | "file" | "vbscript") {
        Ok(scheme)
    } else {
        Err(setting_error(
            "approved_schemes",
            given,
            "each entry must be a URL scheme an app registers, such as beckon (javascript, data, \
             file and vbscript are never allowed)",
        ))
    }
}

fn default_data_dir() -> anyhow::Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("beckon-server"))
        .ok_or_else(|| {
            anyhow::anyhow!("no user data folder is known here; pass --database sqlite://PATH")
        })
}

/// Checks a project ID given by the operator. The official SDKs derive a region from IDs of
/// 32 or more characters, and Node from any length other than 28 (docs/wire.md §1.3), so other
/// lengths break them.
pub fn check_project_id(id: &str) -> anyhow::Result<()> {
    let ok = id.starts_with('P')
        && id.chars().all(|c| c.is_ascii_alphanumeric())
        && (id.len() == 28 || id.len() == 32);
    if ok {
        Ok(())
    } else {
        anyhow::bail!(
            "project ID {id:?} is not usable: it must start with 'P', be letters and digits only, \
             and be 28 characters long (or 32 with a region); leave --project-id out to have one generated"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_layers_win_and_unset_ones_do_not_erase() {
        let file: Settings = toml::from_str("link_ttl = 120\nsession_ttl = 900").unwrap();
        let flags = Settings {
            link_ttl: Some(60),
            ..Settings::default()
        };
        let merged = file.overlaid_with(&flags).unwrap();
        assert_eq!(merged.link_ttl, Some(60));
        assert_eq!(merged.session_ttl, Some(900));
        let config = Config::from_settings(merged).unwrap();
        assert_eq!(config.refresh_ttl, 2_592_000, "the default fills the rest");
    }

    #[test]
    fn an_unknown_key_in_the_file_is_refused_by_name() {
        let err = toml::from_str::<Settings>("link_tll = 120").unwrap_err();
        assert!(err.to_string().contains("link_tll"), "{err}");
    }

    #[test]
    fn a_bad_value_names_the_setting_in_all_its_spellings() {
        let err = Config::from_settings(Settings {
            link_ttl: Some(5),
            ..Settings::default()
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("--link-ttl"), "{err}");
        assert!(err.contains("BECKON_LINK_TTL"), "{err}");
        assert!(err.contains("between 10 and 86400"), "{err}");
    }

    #[test]
    fn approved_domains_are_host_names() {
        assert_eq!(
            normalize_domain(" App.Example.COM. ").unwrap(),
            "app.example.com"
        );
        for bad in ["https://app.example.com", "*.example.com", "a.com:443", ""] {
            assert!(normalize_domain(bad).is_err(), "{bad}");
        }
        assert_eq!(normalize_scheme("Beckon:").unwrap(), "beckon");
        assert!(normalize_scheme("javascript").is_err());
    }
}
