//! The command line: the settings as flags, and the operator's commands.

use std::path::PathBuf;

use clap::Parser;

use crate::config::Settings;

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
    /// Send sign-in links to LOGIN_ID again now, lifting the pause a "No, this wasn't me" on a
    /// confirm page began (pause_after_decline).
    Unpause { login_id: String },
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
