//! What the fault cases share: server processes, the API over HTTP, a look into their
//! databases, and PostgreSQL instances.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

#[derive(Debug, Clone, Copy)]
pub enum Database {
    Sqlite,
    Postgres,
}

/// A new SQLite file in a folder of its own (kept while the folder lives).
pub fn sqlite_file() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", dir.path().join("beckon.db").display());
    (url, dir)
}

/// A new, empty database on a PostgreSQL server: `admin`'s, or the suite's shared one.
pub async fn fresh_postgres(admin: Option<&str>) -> anyhow::Result<String> {
    use sqlx::Connection;
    let admin = match admin {
        Some(url) => url.to_owned(),
        None => std::env::var("BECKON_TEST_POSTGRES").context(
            "BECKON_TEST_POSTGRES is not set: export BECKON_TEST_POSTGRES=\"$(./scripts/test-postgres.sh)\"",
        )?,
    };
    let name = format!(
        "beckon_fault_{}",
        beckon_server::support::secrets::random_alphanumeric(12)
    )
    .to_lowercase();
    let mut conn = sqlx::PgConnection::connect(&admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let mut url = url::Url::parse(&admin)?;
    url.set_path(&name);
    Ok(url.to_string())
}

/// Waits until `check` says yes, asking every 100 ms for at most `within`.
pub async fn wait_until<F, Fut>(what: &str, within: Duration, check: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let start = Instant::now();
    let mut last = String::new();
    loop {
        match check().await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(error) => last = format!("{error:#}"),
        }
        if start.elapsed() > within {
            bail!("waited {within:?} for {what}; last error: {last}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A server's API over HTTP.
pub struct Api {
    base: String,
    project_id: String,
    http: reqwest::Client,
}

impl Api {
    pub fn new(base: &str, project_id: &str) -> Self {
        Self {
            base: base.to_owned(),
            project_id: project_id.to_owned(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(40))
                .build()
                .expect("an HTTP client"),
        }
    }

    /// POSTs `body` with the project bearer: (status, JSON body), or the transport's error.
    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<(u16, Value)> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.project_id)
            .json(&body)
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await?))
    }

    pub async fn get_as(&self, path: &str, refresh_jwt: &str) -> anyhow::Result<(u16, Value)> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(format!("{}:{refresh_jwt}", self.project_id))
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await?))
    }

    pub async fn status(&self, path: &str) -> anyhow::Result<u16> {
        let response = self.http.get(format!("{}{path}", self.base)).send().await?;
        Ok(response.status().as_u16())
    }

    pub async fn poll(&self, pending_ref: &str) -> anyhow::Result<(u16, Value)> {
        self.post(
            "/v1/auth/enchantedlink/pending-session",
            json!({"pendingRef": pending_ref}),
        )
        .await
    }

    /// Starts an enchanted-link sign-in: its pendingRef and the number on the desktop.
    pub async fn start_sign_in(&self, email: &str) -> anyhow::Result<(String, String)> {
        let (status, body) = self
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": email}),
            )
            .await?;
        if status != 200 {
            bail!("starting {email}: {status} {body}");
        }
        let field = |name: &str| {
            body[name]
                .as_str()
                .map(str::to_owned)
                .with_context(|| format!("no {name} in {body}"))
        };
        Ok((field("pendingRef")?, field("linkId")?))
    }
}

/// A beckon-server process on a free loopback port, with none of this run's own `BECKON_*`
/// variables. Killed when dropped.
pub struct Process {
    api: Api,
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl std::ops::Deref for Process {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

impl Process {
    pub async fn start(
        database: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_beckon-server"));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("BECKON_") {
                command.env_remove(name);
            }
        }
        let mut child = command
            .args(["--listen", "127.0.0.1:0", "--database", database])
            .args(args)
            .envs(env.iter().copied())
            .env("BECKON_LOG", "beckon_server=warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let stderr = Arc::new(Mutex::new(String::new()));
        let said = stderr.clone();
        let mut err_lines = BufReader::new(child.stderr.take().context("stderr")?).lines();
        tokio::spawn(async move {
            while let Ok(Some(line)) = err_lines.next_line().await {
                let mut said = said.lock().unwrap_or_else(|p| p.into_inner());
                said.push_str(&line);
                said.push('\n');
            }
        });
        let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
        let mut said = Vec::new();
        while said.len() < 2 {
            let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line()).await;
            match line {
                Ok(Ok(Some(line))) => said.push(line.rsplit(' ').next().unwrap_or("").to_owned()),
                _ => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    let err = stderr.lock().unwrap_or_else(|p| p.into_inner()).clone();
                    bail!("beckon-server did not start: {err}");
                }
            }
        }
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self {
            api: Api::new(&said[0], &said[1]),
            child,
            stderr,
        })
    }

    /// `kill -9`, and waits for it to be gone.
    pub async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    /// Waits for the process to end by itself (a crash point), at most 20 s.
    pub async fn wait_for_exit(&mut self) -> anyhow::Result<()> {
        match tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await {
            Ok(status) => {
                let status = status?;
                anyhow::ensure!(!status.success(), "it exited cleanly, not by the crash");
                let said = self
                    .stderr
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone();
                anyhow::ensure!(said.contains("fault hook: crashing at"), "{said}");
                Ok(())
            }
            Err(_) => bail!("still running 20 s after its crash point"),
        }
    }
}

async fn any_pool(url: &str) -> anyhow::Result<sqlx::AnyPool> {
    sqlx::any::install_default_drivers();
    Ok(sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?)
}

/// Every link in a database's outbox: (recipient, number) → token.
pub async fn links_in_outbox(url: &str) -> anyhow::Result<HashMap<(String, String), String>> {
    use sqlx::Row;
    let pool = any_pool(url).await?;
    let rows = sqlx::query("SELECT recipient, links FROM outbox")
        .fetch_all(&pool)
        .await?;
    let mut links = HashMap::new();
    for row in rows {
        let recipient: String = row.try_get("recipient")?;
        let column: String = row.try_get("links")?;
        for link in beckon_testkit::links_from_column(&column) {
            let number = link.number.clone().unwrap_or_default();
            links.insert((recipient.clone(), number), link.token());
        }
    }
    pool.close().await;
    Ok(links)
}

/// Rows per table that a request could half-write.
pub async fn row_counts(url: &str) -> anyhow::Result<Vec<(&'static str, i64)>> {
    let pool = any_pool(url).await?;
    let mut counts = Vec::new();
    for table in [
        "users",
        "login_ids",
        "pending_logins",
        "link_tokens",
        "outbox",
        "sessions",
        "refresh_tokens",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&pool)
            .await?;
        counts.push((table, n));
    }
    pool.close().await;
    Ok(counts)
}

/// How many delivery attempts of the outbox's messages have ended (failed and released, or
/// sent): one under way counts once it is over, so the clock is moved only after its retry
/// was scheduled from the time it failed.
pub async fn attempts(url: &str) -> anyhow::Result<i64> {
    let pool = any_pool(url).await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(attempts), 0) FROM outbox WHERE claimed_until IS NULL",
    )
    .fetch_one(&pool)
    .await?;
    pool.close().await;
    Ok(n)
}

/// Makes a PostgreSQL database read-only for new transactions, or writable again, and ends
/// the connections open to it so that every new one takes the setting up.
pub async fn set_read_only(url: &str, on: bool) -> anyhow::Result<()> {
    use sqlx::Connection;
    let parsed = url::Url::parse(url)?;
    let name = parsed.path().trim_start_matches('/').to_owned();
    let mut admin = parsed.clone();
    admin.set_path("/postgres");
    let mut conn = sqlx::PgConnection::connect(admin.as_str()).await?;
    sqlx::query(&format!(
        "ALTER DATABASE {name} SET default_transaction_read_only = {}",
        if on { "on" } else { "off" }
    ))
    .execute(&mut conn)
    .await?;
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(&name)
    .execute(&mut conn)
    .await?;
    Ok(())
}

/// A PostgreSQL server of this case's own (`scripts/test-postgres.sh` on another port),
/// stopped and deleted when dropped.
pub struct OwnPostgres {
    pub admin_url: String,
    port: u16,
}

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-postgres.sh")
}

async fn run_script(command: &str, port: u16) -> anyhow::Result<String> {
    let out = Command::new("bash")
        .arg(script())
        .args([command, &port.to_string()])
        .output()
        .await?;
    anyhow::ensure!(
        out.status.success(),
        "test-postgres.sh {command} {port}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

impl OwnPostgres {
    pub async fn start(port: u16) -> anyhow::Result<Self> {
        let admin_url = run_script("start", port).await?;
        Ok(Self { admin_url, port })
    }

    pub async fn down(&self) -> anyhow::Result<()> {
        run_script("down", self.port).await.map(drop)
    }

    pub async fn up(&self) -> anyhow::Result<()> {
        run_script("start", self.port).await.map(drop)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .arg(script())
            .args(["stop", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
