//! Settings. Each one has the same name in every layer, and later layers win:
//! built-in defaults, then a TOML file (`--config`), then `BECKON_*` environment variables,
//! then flags. `link_ttl` in the file is `BECKON_LINK_TTL` in the environment and
//! `--link-ttl` on the command line.
//!
//! [`Settings`] is what was given (every field optional, unknown file keys rejected);
//! [`Config`] is what the server runs with, checked, with every default filled in.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;
use serde::{Deserialize, Serialize};

use crate::limits::{Rule, RuleSet};
use crate::secrets::Secret;
use crate::sms::SmsSettings;
use crate::smtp::{Security, SmtpSettings};

/// The command line: an optional settings file and the settings themselves.
#[derive(Debug, Parser)]
#[command(
    name = "beckon-server",
    version,
    about = "A self-hosted server that speaks Descope's auth REST API (enchanted and magic link sign-in).",
    after_help = "Every setting can also be given in the TOML file as its name with underscores \
                  (link_ttl = 300), and in the environment as BECKON_ and its name in capitals \
                  (BECKON_LINK_TTL=300). Flags win over the environment, which wins over the file. \
                  Other BECKON_ variables are refused, except BECKON_LOG (the log filter), \
                  BECKON_CONFIG (the settings file) and BECKON_BASE_URL (the desktop app's)."
)]
pub struct Cli {
    /// A TOML file of settings. Unknown keys are refused.
    #[arg(long, env = "BECKON_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub settings: Settings,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do instead of serving. Each works on the database the server uses (give the
/// same --config or --database), and what it changes is in the audit trail.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Make a new signing key, which signs from now on (running servers take it up within
    /// seconds); the previous key stays published until its tokens have expired. Give the
    /// database the server uses: beckon-server --config FILE rotate-key.
    RotateKey,
    /// Look people up, create them ahead of time, disable, enable, delete them, or sign them
    /// out everywhere.
    Users {
        #[command(subcommand)]
        action: UsersCommand,
        /// Print JSON rather than a table.
        #[arg(long, global = true)]
        json: bool,
    },
    /// The audit trail, newest first.
    Audit {
        /// Only this user's events: a login ID or a user ID.
        #[arg(long, value_name = "LOGIN_ID_OR_USER_ID")]
        user: Option<String>,
        /// Only events since then: an RFC 3339 time (2026-12-01T09:00:00Z), a date
        /// (2026-12-01), or an age (90m, 12h, 7d).
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// At most this many events.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Print JSON rather than a table.
        #[arg(long)]
        json: bool,
    },
    /// Keys for the management API (Descope's SDKs' management key): create one (shown
    /// once), list them, revoke one.
    ManagementKey {
        #[command(subcommand)]
        action: KeyCommand,
        /// Print JSON rather than a table.
        #[arg(long, global = true)]
        json: bool,
    },
}

/// `beckon-server users …`. A user is named by a login ID (an email address or phone
/// number) or a user ID.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum UsersCommand {
    /// List users, oldest first.
    List {
        /// Only users whose IDs, addresses or name contain this.
        #[arg(long)]
        search: Option<String>,
        /// Only disabled users.
        #[arg(long)]
        disabled: bool,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// One user, whole.
    Show { user: String },
    /// A user who can sign in with LOGIN_ID from now on.
    Create {
        login_id: String,
        /// Their display name.
        #[arg(long)]
        name: Option<String>,
    },
    /// The user can no longer sign in, and every session of theirs ends now.
    Disable { user: String },
    /// The user can sign in again.
    Enable { user: String },
    /// Delete the user and erase their personal data from the audit trail.
    Delete {
        user: String,
        /// Delete without asking (required when not on a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// End every session of the user: each app notices at its next refresh.
    SignOut { user: String },
}

/// `beckon-server management-key …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum KeyCommand {
    /// Make a key named NAME; it is printed this once and stored only as its hash.
    Create { name: String },
    /// Every key, with when it was made, last used and revoked.
    List,
    /// Revoke the key with this ID (MK…): calls with it are refused from now on.
    Revoke { key_id: String },
}

/// Settings as given in one layer. `None` means "not given here".
#[derive(Debug, Default, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on. Use 0.0.0.0:8787 (with --public-url) so a phone on the same
    /// network can open the links. [default: 127.0.0.1:8787]
    #[arg(long, env = "BECKON_LISTEN")]
    pub listen: Option<SocketAddr>,

    /// Database URL: sqlite://PATH for one server, or postgres://USER:PASSWORD@HOST/DB for
    /// several sharing one database (add ?sslmode=require for TLS). [default: a SQLite file in
    /// the user's data folder, for example ~/.local/share/beckon-server/beckon.db]
    #[arg(long, env = "BECKON_DATABASE")]
    pub database: Option<String>,

    /// Project ID clients must send. [default: one generated on first start and kept in the
    /// database: 28 characters, starting with P]
    #[arg(long, env = "BECKON_PROJECT_ID")]
    pub project_id: Option<String>,

    /// Base URL that links in messages use, when it differs from the listen address (for
    /// example https://auth.example.com).
    #[arg(long, env = "BECKON_PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// How long a sign-in link stays valid, in seconds (10 to 86400). [default: 300]
    #[arg(long, env = "BECKON_LINK_TTL")]
    pub link_ttl: Option<u32>,

    /// How long a session JWT lives, in seconds (30 to 86400). [default: 600]
    #[arg(long, env = "BECKON_SESSION_TTL")]
    pub session_ttl: Option<u32>,

    /// How long a refresh JWT lives, in seconds (60 to 31536000). [default: 2592000, 30 days]
    #[arg(long, env = "BECKON_REFRESH_TTL")]
    pub refresh_ttl: Option<u32>,

    /// A session's absolute lifetime, in seconds (300 to 315360000): refreshes renew its
    /// JWTs until then, never past it. [default: 7776000, 90 days]
    #[arg(long, env = "BECKON_SESSION_LIFETIME")]
    pub session_lifetime: Option<u32>,

    /// The longest a pending-session request asking `Prefer: wait=N` is held, in seconds (0
    /// to 25; 0 answers at once, as without the header). Under the server's 30 s request
    /// limit and common proxies' read timeouts. [default: 25]
    #[arg(long, env = "BECKON_MAX_WAIT")]
    pub max_wait: Option<u32>,

    /// Hosts that a request's redirect URL (URI) may point at, comma-separated. Each also
    /// allows its subdomains. [default: the public URL's host, localhost and 127.0.0.1]
    #[arg(long, env = "BECKON_APPROVED_DOMAINS", value_delimiter = ',')]
    pub approved_domains: Option<Vec<String>>,

    /// URL schemes other than http and https that a redirect URL may use, for apps that open
    /// their own links, comma-separated. [default: beckon]
    #[arg(long, env = "BECKON_APPROVED_SCHEMES", value_delimiter = ',')]
    pub approved_schemes: Option<Vec<String>>,

    /// Sign-in messages sent to one login ID, as COUNT/SECONDS, or "off". [default: 5/600]
    #[arg(
        long,
        env = "BECKON_LIMIT_SEND_PER_LOGIN_ID",
        value_name = "COUNT/SECONDS"
    )]
    pub limit_send_per_login_id: Option<String>,

    /// Sign-in messages asked for from one client IP. [default: 30/600]
    #[arg(long, env = "BECKON_LIMIT_SEND_PER_IP", value_name = "COUNT/SECONDS")]
    pub limit_send_per_ip: Option<String>,

    /// Link verifications for one login ID. [default: 20/600]
    #[arg(
        long,
        env = "BECKON_LIMIT_VERIFY_PER_LOGIN_ID",
        value_name = "COUNT/SECONDS"
    )]
    pub limit_verify_per_login_id: Option<String>,

    /// Link verifications from one client IP. [default: 60/600]
    #[arg(long, env = "BECKON_LIMIT_VERIFY_PER_IP", value_name = "COUNT/SECONDS")]
    pub limit_verify_per_ip: Option<String>,

    /// Pending-session polls of one sign-in request (one pendingRef; the desktop app polls
    /// once a second). Counted per request, so no one's polls use up another's. [default: 120/60]
    #[arg(
        long,
        env = "BECKON_LIMIT_POLL_PER_REQUEST",
        value_name = "COUNT/SECONDS"
    )]
    pub limit_poll_per_request: Option<String>,

    /// Pending-session polls from one client IP. [default: 1200/60]
    #[arg(long, env = "BECKON_LIMIT_POLL_PER_IP", value_name = "COUNT/SECONDS")]
    pub limit_poll_per_ip: Option<String>,

    /// Header that holds the client's IP when beckon-server runs behind a reverse proxy or
    /// load balancer, such as X-Forwarded-For (its last address is used). Only set it when
    /// every request comes through that proxy: clients can write the header themselves.
    /// [default: none, the connection's address is the client's]
    #[arg(long, env = "BECKON_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// Rotate the signing key when it is this many days old (0: never). The old key stays
    /// published until the tokens it signed have expired. `beckon-server rotate-key` rotates
    /// at once. [default: 90]
    #[arg(long, env = "BECKON_KEY_ROTATION_DAYS")]
    pub key_rotation_days: Option<u32>,

    /// Where to serve Prometheus metrics (GET /metrics), for example 127.0.0.1:9187. Its own
    /// address, never the API's, so it is not public by accident. [default: off]
    #[arg(long, env = "BECKON_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Days the audit trail keeps an event (1 to 3650). [default: 90]
    #[arg(long, env = "BECKON_AUDIT_RETENTION_DAYS")]
    pub audit_retention_days: Option<u32>,

    /// Log format: text, or json (one object per line, for a log collector; the startup
    /// banner is then a log event). BECKON_LOG sets the level, for example
    /// beckon_server=debug. [default: text]
    #[arg(long, env = "BECKON_LOG_FORMAT")]
    pub log_format: Option<String>,

    /// Let an email or phone update with addToLoginIDs take an address another user signs in
    /// with, merging that user into the one updating (or, with onMergeUseExisting, the other
    /// way round), as Descope does. The confirmation message and page then say so. Off, such
    /// an update is refused: one tap by the other person would otherwise hand their account
    /// over. [default: false]
    #[arg(long, env = "BECKON_MERGE_USERS_ON_UPDATE", num_args = 0..=1,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub merge_users_on_update: Option<bool>,

    /// The app's name in messages and on the confirm page. [default: Beckon]
    #[arg(long, env = "BECKON_APP_NAME")]
    pub app_name: Option<String>,

    /// SMTP server to send email through. A server needs it, the sms_* settings, or dev.
    /// [default: none]
    #[arg(long, env = "BECKON_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// SMTP port. [default: 587 with starttls, 465 with tls, 25 with none]
    #[arg(long, env = "BECKON_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    /// starttls (required, port 587), tls (port 465), or none (a relay on this machine or
    /// network). [default: starttls]
    #[arg(long, env = "BECKON_SMTP_SECURITY")]
    pub smtp_security: Option<String>,

    /// SMTP login name, with smtp_password_file.
    #[arg(long, env = "BECKON_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// A file holding the SMTP password (its first line), readable by the server only.
    #[arg(long, env = "BECKON_SMTP_PASSWORD_FILE", value_name = "FILE")]
    pub smtp_password_file: Option<PathBuf>,

    /// The sender, such as "Beckon <sign-in@example.com>". Required with smtp_host.
    #[arg(long, env = "BECKON_SMTP_FROM")]
    pub smtp_from: Option<String>,

    /// A PEM file of certificate authorities to trust for the SMTP server, besides the
    /// usual public ones (for a server with a private CA).
    #[arg(long, env = "BECKON_SMTP_CA_FILE", value_name = "FILE")]
    pub smtp_ca_file: Option<PathBuf>,

    /// Base URL of a Twilio-compatible SMS API. [default: https://api.twilio.com]
    #[arg(long, env = "BECKON_SMS_PROVIDER_URL")]
    pub sms_provider_url: Option<url::Url>,

    /// SMS account SID. Setting it (with sms_auth_token_file and sms_from) turns text
    /// messages on. [default: none]
    #[arg(long, env = "BECKON_SMS_ACCOUNT_SID")]
    pub sms_account_sid: Option<String>,

    /// A file holding the SMS auth token (its first line).
    #[arg(long, env = "BECKON_SMS_AUTH_TOKEN_FILE", value_name = "FILE")]
    pub sms_auth_token_file: Option<PathBuf>,

    /// The number (E.164) texts come from.
    #[arg(long, env = "BECKON_SMS_FROM")]
    pub sms_from: Option<String>,

    /// Development mode: messages are kept at /dev/outbox instead of being sent, and anyone
    /// who can open that page can sign in as any address. For a developer's own machine: it
    /// needs a loopback listen address, and cannot be combined with SMTP or SMS. Without it
    /// the server needs smtp_host or the sms_* settings. [default: false]
    #[arg(long, env = "BECKON_DEV", num_args = 0..=1, default_missing_value = "true",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub dev: Option<bool>,

    /// Lets development mode listen on a non-loopback address (a phone on the same network
    /// opening the links). Everyone on that network can then read every sign-in link and
    /// sign in as anyone: only on a network you alone use. [default: false]
    #[arg(long, env = "BECKON_DEV_UNSAFE_ON_NETWORK", num_args = 0..=1,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub dev_unsafe_on_network: Option<bool>,
}

impl Settings {
    /// Reads a TOML settings file.
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("cannot read the settings file {}: {e}", path.display())
        })?;
        toml::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "the settings file {} is not usable: {}\n(the settings are listed by beckon-server --help, with underscores: link_ttl = 300)",
                path.display(),
                e.to_string().trim_end()
            )
        })
    }

    /// These settings with every one given in `top` replacing the same one here.
    pub fn overlaid_with(&self, top: &Settings) -> anyhow::Result<Settings> {
        let mut merged = serde_json::to_value(self)?;
        let top = serde_json::to_value(top)?;
        if let (Some(base), Some(top)) = (merged.as_object_mut(), top.as_object()) {
            for (key, value) in top {
                if !value.is_null() {
                    base.insert(key.clone(), value.clone());
                }
            }
        }
        Ok(serde_json::from_value(merged)?)
    }
}

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
    pub app_name: String,
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
    /// Development mode may listen on a non-loopback address.
    pub dev_unsafe_on_network: bool,
}

impl Config {
    /// The command line and environment, over the file it names, over the defaults.
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Self> {
        let file = match &cli.config {
            Some(path) => Settings::from_file(path)?,
            None => Settings::default(),
        };
        Self::from_settings(file.overlaid_with(&cli.settings)?)
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
            app_name,
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

/// `BECKON_*` variables that are not settings, and that beckon-server reads or ignores.
pub const NOT_SETTINGS: &[(&str, &str)] = &[
    ("BECKON_LOG", "the log filter, such as beckon_server=debug"),
    ("BECKON_CONFIG", "the settings file, as --config"),
    (
        "BECKON_BASE_URL",
        "the desktop app's server address; beckon-server ignores it",
    ),
];

/// Refuses `BECKON_*` variables that are neither a setting nor one of [`NOT_SETTINGS`]: a
/// misspelled setting (`BECKON_SMTP_HOTS`) would otherwise be silently left out.
pub fn check_environment<I>(names: I) -> anyhow::Result<()>
where
    I: IntoIterator<Item = std::ffi::OsString>,
{
    let settings: Vec<String> = <Cli as clap::CommandFactory>::command()
        .get_arguments()
        .filter_map(|arg| arg.get_env())
        .map(|env| env.to_string_lossy().into_owned())
        .collect();
    let mut unknown: Vec<String> = names
        .into_iter()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.starts_with("BECKON_"))
        .filter(|name| !settings.contains(name) && !NOT_SETTINGS.iter().any(|(n, _)| n == name))
        .filter(|name| !crate::faults::VARIABLES.contains(&name.as_str()))
        .collect();
    unknown.sort();
    if unknown.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "unknown environment variable{} {}: no setting has that name. The settings are listed \
         by beckon-server --help; rename or unset it",
        if unknown.len() == 1 { "" } else { "s" },
        unknown.join(", ")
    )
}

/// SMTP settings, when `smtp_host` is given; every other `smtp_*` setting needs it.
fn smtp_settings(s: &Settings) -> anyhow::Result<Option<SmtpSettings>> {
    let Some(host) = s.smtp_host.as_deref().map(str::trim) else {
        let stray = [
            ("smtp_port", s.smtp_port.is_some()),
            ("smtp_security", s.smtp_security.is_some()),
            ("smtp_username", s.smtp_username.is_some()),
            ("smtp_password_file", s.smtp_password_file.is_some()),
            ("smtp_from", s.smtp_from.is_some()),
            ("smtp_ca_file", s.smtp_ca_file.is_some()),
        ];
        if let Some((name, _)) = stray.iter().find(|(_, given)| *given) {
            anyhow::bail!(
                "{name} is set but smtp_host is not: set smtp_host (--smtp-host, BECKON_SMTP_HOST) \
                 to send email over SMTP, or remove {name}"
            );
        }
        return Ok(None);
    };
    if host.is_empty() || host.contains(['/', ' ', ':']) && !host.starts_with('[') {
        return Err(setting_error(
            "smtp_host",
            host,
            "it must be a host name or address, such as smtp.example.com (the port goes in smtp_port)",
        ));
    }
    let security = match &s.smtp_security {
        Some(v) => Security::parse(v).map_err(|e| setting_error("smtp_security", v, &e))?,
        None => Security::StartTls,
    };
    let from = s.smtp_from.as_deref().ok_or_else(|| {
        anyhow::anyhow!(
            "smtp_from is required with smtp_host: the sender, such as \
             --smtp-from \"Beckon <sign-in@example.com>\" (BECKON_SMTP_FROM)"
        )
    })?;
    let from = from.parse().map_err(|e| {
        setting_error(
            "smtp_from",
            from,
            &format!("{e}; write an address, such as Beckon <sign-in@example.com>"),
        )
    })?;
    let credentials = match (&s.smtp_username, &s.smtp_password_file) {
        (Some(user), Some(file)) => Some((user.clone(), read_secret_file("smtp_password_file", file)?)),
        (None, None) => None,
        (Some(_), None) => anyhow::bail!(
            "smtp_username is set without smtp_password_file: put the password in a file only \
             the server can read and name it with --smtp-password-file (BECKON_SMTP_PASSWORD_FILE)"
        ),
        (None, Some(_)) => anyhow::bail!(
            "smtp_password_file is set without smtp_username: add --smtp-username (BECKON_SMTP_USERNAME)"
        ),
    };
    if let Some(ca) = &s.smtp_ca_file {
        if !ca.is_file() {
            return Err(setting_error(
                "smtp_ca_file",
                &ca.display().to_string(),
                "no such file: name a PEM file of certificate authorities",
            ));
        }
    }
    Ok(Some(SmtpSettings {
        host: host.to_owned(),
        port: SmtpSettings::port_or_default(s.smtp_port, security),
        security,
        credentials,
        from,
        ca_file: s.smtp_ca_file.clone(),
    }))
}

/// SMS settings, when any `sms_*` setting is given: then the account, token and sender are
/// all needed.
fn sms_settings(s: &Settings) -> anyhow::Result<Option<SmsSettings>> {
    let any = s.sms_provider_url.is_some()
        || s.sms_account_sid.is_some()
        || s.sms_auth_token_file.is_some()
        || s.sms_from.is_some();
    if !any {
        return Ok(None);
    }
    let (Some(sid), Some(token_file), Some(from)) =
        (&s.sms_account_sid, &s.sms_auth_token_file, &s.sms_from)
    else {
        let missing: Vec<&str> = [
            ("sms_account_sid", s.sms_account_sid.is_none()),
            ("sms_auth_token_file", s.sms_auth_token_file.is_none()),
            ("sms_from", s.sms_from.is_none()),
        ]
        .iter()
        .filter(|(_, missing)| *missing)
        .map(|(name, _)| *name)
        .collect();
        anyhow::bail!(
            "text messages need sms_account_sid, sms_auth_token_file and sms_from together; \
             missing: {} (flags --sms-…, variables BECKON_SMS_…)",
            missing.join(", ")
        );
    };
    let base_url = match &s.sms_provider_url {
        Some(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            url.clone()
        }
        Some(url) => {
            return Err(setting_error(
                "sms_provider_url",
                url.as_str(),
                "it must be an http(s) URL, such as https://api.twilio.com",
            ))
        }
        None => url::Url::parse("https://api.twilio.com")?,
    };
    Ok(Some(SmsSettings {
        base_url,
        account_sid: sid.trim().to_owned(),
        auth_token: read_secret_file("sms_auth_token_file", token_file)?,
        from: from.trim().to_owned(),
    }))
}

/// The first line of a secret file.
fn read_secret_file(name: &str, path: &Path) -> anyhow::Result<Secret> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        setting_error(
            name,
            &path.display().to_string(),
            &format!("cannot read it ({e}): the file must exist and be readable by the server"),
        )
    })?;
    let value = text.lines().next().unwrap_or_default().trim_end();
    if value.is_empty() {
        return Err(setting_error(
            name,
            &path.display().to_string(),
            "the file is empty: write the secret on its first line",
        ));
    }
    Ok(Secret::new(value))
}

fn setting_error(name: &str, value: &str, why: &str) -> anyhow::Error {
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
