//! [`Settings`]: the settings as given in one layer (a file, the environment, flags), each
//! optional, unknown file keys refused.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

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

    /// Codes typed for sign-in requests to one mailbox (`+tag`s merged), right or wrong; each
    /// request also ends at its fifth wrong code. [default: 10/86400]
    #[arg(
        long,
        env = "BECKON_LIMIT_CODE_PER_LOGIN_ID",
        value_name = "COUNT/SECONDS"
    )]
    pub limit_code_per_login_id: Option<String>,

    /// Codes typed from one client IP. [default: 30/600]
    #[arg(long, env = "BECKON_LIMIT_CODE_PER_IP", value_name = "COUNT/SECONDS")]
    pub limit_code_per_ip: Option<String>,

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

    /// Calls with one session's refresh JWT (refresh, try-refresh, me, logout, logoutall),
    /// counted by the session so token rotation does not reset it. Over it, refresh,
    /// try-refresh and me answer 500 E130429 with Retry-After, which no SDK takes for a
    /// sign-out. [default: 60/60]
    #[arg(
        long,
        env = "BECKON_LIMIT_SESSION_PER_SESSION",
        value_name = "COUNT/SECONDS"
    )]
    pub limit_session_per_session: Option<String>,

    /// Calls with a refresh JWT from one client IP, whatever the session. [default: 600/60]
    #[arg(
        long,
        env = "BECKON_LIMIT_SESSION_PER_IP",
        value_name = "COUNT/SECONDS"
    )]
    pub limit_session_per_ip: Option<String>,

    /// Management calls refused for a wrong key, from one client IP. Over it the address's
    /// management calls answer 429 before any key is looked up, kept in memory per server.
    /// [default: 30/60]
    #[arg(
        long,
        env = "BECKON_LIMIT_MANAGEMENT_REFUSALS_PER_IP",
        value_name = "COUNT/SECONDS"
    )]
    pub limit_management_refusals_per_ip: Option<String>,

    /// Header that holds the client's IP when beckon-server runs behind a reverse proxy or
    /// load balancer, such as X-Forwarded-For (its last address is used). Only set it when
    /// every request comes through that proxy: clients can write the header themselves.
    /// [default: none, the connection's address is the client's]
    #[arg(long, env = "BECKON_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// After a "No, this wasn't me" on a confirm page, how long no new sign-in links are sent
    /// to that address, in seconds (0 to 86400; 0: no pause, though the "No" still ends every
    /// open request to it). A start meanwhile answers 429 E130429 with Retry-After and
    /// "paused": true; the owner gets one email with a way to lift it, and
    /// `beckon-server users unpause LOGIN_ID` lifts it too. [default: 900]
    #[arg(long, env = "BECKON_PAUSE_AFTER_DECLINE")]
    pub pause_after_decline: Option<u32>,

    /// A MaxMind-format City database (GeoLite2-City.mmdb, DB-IP's dbip-city-lite…), read
    /// at start: the confirm page and the email then say roughly where a sign-in request
    /// came from. Nothing is fetched; update the file yourself and restart. [default: none,
    /// the place of a public address is unknown]
    #[arg(long, env = "BECKON_GEOIP_DATABASE", value_name = "FILE")]
    pub geoip_database: Option<PathBuf>,

    /// Rotate the signing key when it is this many days old (0: never). The old key stays
    /// published until the tokens it signed have expired. `beckon-server rotate-key` rotates
    /// at once. [default: 90]
    #[arg(long, env = "BECKON_KEY_ROTATION_DAYS")]
    pub key_rotation_days: Option<u32>,

    /// Where to serve Prometheus metrics (GET /metrics), for example 127.0.0.1:9187. Its own
    /// address, never the API's, so it is not public by accident. [default: off]
    #[arg(long, env = "BECKON_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Also speak HTTP/2 in clear (h2c), for a proxy in front that speaks it to the server.
    /// Descope's SDKs and the desktop app speak HTTP/1.1, so it is off: every HTTP/2
    /// connection is one more way to hold the server's memory and tasks. When on, each
    /// connection gets keep-alive pings and is closed after 60 s without a request.
    /// [default: false]
    #[arg(long, env = "BECKON_HTTP2", num_args = 0..=1, default_missing_value = "true",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub http2: Option<bool>,

    /// Open connections at most. Past it the oldest connection with no request under way is
    /// closed for the new one, or the new one is if every connection is busy.
    /// [default: the process's file limit, raised to its hard limit at start, less 128 for
    /// the database and the log]
    #[arg(long, env = "BECKON_MAX_CONNECTIONS")]
    pub max_connections: Option<u32>,

    /// Requests one connection may have under way at once (HTTP/2 streams; a stream its
    /// client reset still counts until its work ends), 1 to 256. [default: 8]
    #[arg(long, env = "BECKON_MAX_REQUESTS_PER_CONNECTION")]
    pub max_requests_per_connection: Option<u32>,

    /// Requests under way at once over all connections, held waits apart. Past it a request
    /// is answered at once: 429 with Retry-After, or 500 with E130429 and Retry-After on
    /// refresh, try-refresh and me (docs/wire.md §8.3). [default: 512]
    #[arg(long, env = "BECKON_MAX_REQUESTS_IN_FLIGHT")]
    pub max_requests_in_flight: Option<u32>,

    /// Pending-session polls held at once (Prefer: wait), and never so many that fewer than a
    /// tenth of max_connections (at least 64, or half below 128) are left for other requests:
    /// a held poll keeps its connection busy. Past it a poll is answered at once, unheld, and
    /// its client polls instead: never an error. [default: 4096]
    #[arg(long, env = "BECKON_MAX_HELD_WAITS")]
    pub max_held_waits: Option<u32>,

    /// Polls held at once for one client address (an IPv4 address, or an IPv6 /64).
    /// [default: 32]
    #[arg(long, env = "BECKON_MAX_HELD_WAITS_PER_IP")]
    pub max_held_waits_per_ip: Option<u32>,

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

    /// A wrong pick (a link whose number is not the one the device shows) ends the request,
    /// as Okta's number challenge does: the device is told it was declined, and the person
    /// starts again. Off, the request's links stay valid after a wrong pick, as Descope's do,
    /// and the page explains; either way wrong picks are audited and counted. [default: false]
    #[arg(long, env = "BECKON_END_ON_WRONG_PICK", num_args = 0..=1,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub end_on_wrong_pick: Option<bool>,

    /// Tell a returning user of each new sign-in: an email (or text) "New sign-in to <app>"
    /// with where the request came from and a button that signs that device out. The first
    /// sign-up of an account sends none. [default: true]
    #[arg(long, env = "BECKON_SIGN_IN_NOTICES", num_args = 0..=1,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub sign_in_notices: Option<bool>,

    /// The app's name in messages and on the confirm page. [default: Beckon]
    #[arg(long, env = "BECKON_APP_NAME")]
    pub app_name: Option<String>,

    /// The language of messages and pages when neither the request, the user's last sign-in
    /// nor the phone names one the server has: en, de, es or ar. [default: en]
    #[arg(long, env = "BECKON_DEFAULT_LOCALE")]
    pub default_locale: Option<String>,

    /// A folder of the operator's own Fluent files that override the server's messages:
    /// DIR/<lang>/*.ftl (message IDs as in the server's locales/en/server.ftl), checked at
    /// start. [default: none]
    #[arg(long, env = "BECKON_MESSAGES_DIR", value_name = "DIR")]
    pub messages_dir: Option<PathBuf>,

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
