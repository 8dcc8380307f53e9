//! Settings, from flags or `BECKON_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// A self-hosted server that speaks Descope's auth REST API (enchanted link sign-in).
#[derive(Debug, Clone, Parser)]
#[command(name = "beckon-server", version, about)]
pub struct Config {
    /// Address to listen on. Use 0.0.0.0:8787 (with --public-url) so a phone on the same
    /// network can open the links.
    #[arg(long, env = "BECKON_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,

    /// Database URL: `sqlite://PATH` or `sqlite::memory:`. Default: a SQLite file in the
    /// user's data folder (for example ~/.local/share/beckon-server/beckon.db).
    #[arg(long, env = "BECKON_DATABASE")]
    pub database: Option<String>,

    /// Project ID clients must send. Default: one generated on first start and kept in the
    /// database (28 characters, starting with `P`).
    #[arg(long, env = "BECKON_PROJECT_ID")]
    pub project_id: Option<String>,

    /// Base URL that links in messages use, when it differs from the listen address
    /// (for example http://192.168.1.20:8787).
    #[arg(long, env = "BECKON_PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// How long a sign-in link stays valid, in seconds.
    #[arg(long, env = "BECKON_LINK_TTL", default_value_t = 300, value_parser = clap::value_parser!(u32).range(10..=86_400))]
    pub link_ttl: u32,

    /// How long a session JWT lives, in seconds.
    #[arg(long, env = "BECKON_SESSION_TTL", default_value_t = 600, value_parser = clap::value_parser!(u32).range(30..=86_400))]
    pub session_ttl: u32,

    /// How long a refresh JWT lives, in seconds.
    #[arg(long, env = "BECKON_REFRESH_TTL", default_value_t = 2_592_000, value_parser = clap::value_parser!(u32).range(60..=31_536_000))]
    pub refresh_ttl: u32,
}

impl Config {
    /// Defaults for tests: an in-memory database on a free loopback port.
    pub fn for_tests() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: Some("sqlite::memory:".into()),
            project_id: None,
            public_url: None,
            link_ttl: 300,
            session_ttl: 600,
            refresh_ttl: 2_592_000,
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
        Ok(format!("sqlite://{}", dir.join("beckon.db").display()))
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
/// 32 or more characters, and Node from any length other than 28 (spec §1.3), so other
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
