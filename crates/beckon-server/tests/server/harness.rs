use std::sync::Arc;

use beckon_server::config::Config;
use beckon_server::store::{sqlite_url, DeliveryCounts};
use beckon_server::support::clock::ManualClock;
use beckon_server::Running;
use beckon_testkit::ClockedServer;
use serde_json::{json, Value};

pub use beckon_testkit::START;

pub struct TestServer {
    pub server: Running,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    pub base: String,
    pub project_id: String,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::with_config(Config::for_tests()).await
    }

    pub async fn with_config(mut config: Config) -> Self {
        if config.database.as_deref() == Some("sqlite::memory:") && on_postgres() {
            config.database = Some(fresh_postgres_database().await);
        }
        let ClockedServer { server, clock } = ClockedServer::start(&config, START).await;
        Self {
            base: server.base_url(),
            project_id: server.state.project_id.to_string(),
            server,
            clock,
            http: reqwest::Client::new(),
        }
    }

    /// Waits until the outbox counts are `want`.
    pub async fn wait_for_delivery(&self, want: DeliveryCounts) {
        let start = std::time::Instant::now();
        loop {
            let counts = self.server.state.store.delivery_counts().await.unwrap();
            if counts == want {
                return;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(15),
                "{counts:?}, not {want:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// The last delivery error of message `id`, waiting for there to be one.
    pub async fn delivery_error(&self, id: i64) -> String {
        let start = std::time::Instant::now();
        loop {
            if let Some(e) = self.server.state.store.delivery_error(id).await.unwrap() {
                return e;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "no delivery error for message {id}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// The time on the test clock.
    pub fn clock_now(&self) -> i64 {
        use beckon_server::support::clock::Clock;
        self.clock.now()
    }

    /// POSTs `body` (raw) with the project bearer: (status, JSON body).
    pub async fn post_raw(&self, path: &str, body: &str) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.project_id))
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("every body is JSON; got {text:?} ({e})"));
        (status, json)
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.post_raw(path, &body.to_string()).await
    }

    /// POSTs `body` as a signed-in client does: `Bearer <projectId>:<refreshJwt>`.
    pub async fn post_as(&self, refresh_jwt: &str, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header(
                "Authorization",
                format!("Bearer {}:{refresh_jwt}", self.project_id),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    /// `GET /v1/auth/me` with `refresh_jwt`.
    pub async fn me(&self, refresh_jwt: &str) -> (u16, Value) {
        let response = self
            .http
            .get(format!("{}/v1/auth/me", self.base))
            .header(
                "Authorization",
                format!("Bearer {}:{refresh_jwt}", self.project_id),
            )
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    /// Opens the newest magic link sent to `address` as an app would: the session it answers.
    pub async fn open_magic_link(&self, address: &str) -> Value {
        let token = self.magic_token_to(address).await;
        let (status, session) = self
            .post("/v1/auth/magiclink/verify", json!({"token": token}))
            .await;
        assert_eq!(status, 200, "{session}");
        session
    }

    /// The token of the newest single (magic) link sent to `address`.
    pub async fn magic_token_to(&self, address: &str) -> String {
        let links = self.links_to(address).await;
        assert_eq!(links.len(), 1, "one magic link: {links:?}");
        token_of(&links[0].1)
    }

    /// Starts a sign-up-or-in for `email`: the answer and the email's links (number → URL).
    pub async fn start_link(&self, email: &str) -> (Value, Vec<(String, String)>) {
        let (status, body) = self
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": email}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        (body, self.links_to(email).await)
    }

    /// GETs `path`: its JSON body.
    pub async fn get_json(&self, path: &str) -> Value {
        self.api().get(path).await
    }

    /// Starts a sign-in for `email` and confirms its right link: its pendingRef, ready to
    /// collect.
    pub async fn confirmed_sign_in(&self, email: &str) -> String {
        let (started, links) = self.start_link(email).await;
        let (_, right) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
        assert_eq!(self.verify(right).await.0, 200);
        started["pendingRef"].as_str().unwrap().to_owned()
    }

    /// A server (the test defaults, with `config`'s changes) on a SQLite file of its own, and
    /// a second connection to that file, for a test to look into it or break it.
    pub async fn on_sqlite_file(config: Config) -> (Self, sqlx::SqlitePool, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = sqlite_url(&dir.path().join("beckon.db"));
        let s = Self::with_config(Config {
            database: Some(url.clone()),
            ..config
        })
        .await;
        let side = sqlx::SqlitePool::connect(&url).await.unwrap();
        (s, side, dir)
    }

    /// GETs `path`: its status.
    pub async fn http_get(&self, path: &str) -> u16 {
        let response = self.http.get(format!("{}{path}", self.base)).send().await;
        response.unwrap().status().as_u16()
    }

    /// This server's API, as tests of server processes use it.
    pub fn api(&self) -> Api {
        Api {
            base: self.base.clone(),
            project_id: self.project_id.clone(),
            http: self.http.clone(),
        }
    }

    /// The published signing keys.
    pub async fn jwks(&self) -> Value {
        self.get_json(&format!("/v2/keys/{}", self.project_id))
            .await
    }

    pub async fn outbox(&self) -> Vec<Value> {
        self.get_json("/dev/outbox")
            .await
            .as_array()
            .unwrap()
            .clone()
    }

    pub async fn links_to(&self, email: &str) -> Vec<(String, String)> {
        let message = self
            .outbox()
            .await
            .into_iter()
            .find(|m| m["to"] == email && m["kind"] == "sign_in")
            .expect("a sign-in message to that address");
        message["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["number"].as_str().unwrap_or_default().to_owned(),
                    l["url"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    pub async fn poll(&self, pending_ref: &str) -> (u16, Value) {
        self.post(
            "/v1/auth/enchantedlink/pending-session",
            json!({"pendingRef": pending_ref}),
        )
        .await
    }

    pub async fn verify(&self, url: &str) -> (u16, Value) {
        self.post(
            "/v1/auth/enchantedlink/verify",
            json!({"token": token_of(url)}),
        )
        .await
    }

    /// Signs `email` up and collects the session: the JWT response.
    pub async fn sign_up(&self, email: &str) -> Value {
        let (started, links) = self.start_link(email).await;
        let (_, url) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
        assert_eq!(self.verify(url).await.0, 200);
        let (status, session) = self.poll(started["pendingRef"].as_str().unwrap()).await;
        assert_eq!(status, 200, "{session}");
        session
    }
}

/// Whether this run puts the suite on PostgreSQL (`BECKON_TEST_BACKEND=postgres`):
/// `scripts/test.sh` runs it once on SQLite and once on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("BECKON_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// A new, empty database on the test PostgreSQL server (`BECKON_TEST_POSTGRES`, from
/// `scripts/test-postgres.sh`): its URL.
pub async fn fresh_postgres_database() -> String {
    use rand::Rng;
    use sqlx::{Connection, Executor};
    let admin = std::env::var("BECKON_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "BECKON_TEST_POSTGRES is not set: start the test server with \
             export BECKON_TEST_POSTGRES=\"$(./scripts/test-postgres.sh)\""
        )
    });
    let name: String = (0..16)
        .map(|_| char::from(rand::thread_rng().gen_range(b'a'..=b'z')))
        .collect();
    let name = format!("beckon_test_{name}");
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("the test PostgreSQL server at {admin}: {e}"));
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let mut url = reqwest::Url::parse(&admin).unwrap();
    url.set_path(&name);
    url.to_string()
}

/// The test defaults (in-memory database, free port, test domains) with `settings` on top.
/// A server with neither SMTP nor SMS settings runs in development mode, as the tests' does.
pub fn config_with(mut settings: beckon_server::config::Settings) -> Config {
    let tests = Config::for_tests();
    let transport = settings.smtp_host.is_some() || settings.sms_account_sid.is_some();
    settings.dev = settings.dev.or(Some(!transport));
    Config {
        listen: tests.listen,
        database: tests.database,
        approved_domains: tests.approved_domains,
        ..Config::from_settings(settings).unwrap()
    }
}

/// Outbox counts: waiting, sent, given up.
pub const fn delivered(queued: i64, sent: i64, failed: i64) -> DeliveryCounts {
    DeliveryCounts {
        queued,
        sent,
        failed,
    }
}

/// The URL of the link numbered `number` (the `linkId` a start answered) in an outbox message.
pub fn link_numbered(message: &Value, number: &Value) -> String {
    let number = number
        .as_str()
        .unwrap_or_else(|| panic!("a link number: {number}"));
    beckon_testkit::link_numbered(&message["links"], number)
}

pub use beckon_testkit::token_of;

/// The claims of a JWT, read without checking it (the SDK tests check signatures).
pub fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

pub fn assert_error(response: &(u16, Value), status: u16, code: &str) {
    assert_eq!(response.0, status, "{}", response.1);
    assert_eq!(response.1["errorCode"], code, "{}", response.1);
    assert!(response.1["errorDescription"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    assert!(response.1["errorMessage"].is_string());
}

/// A beckon-server's API over HTTP, for tests that run the server as a process.
pub struct Api {
    pub base: String,
    pub project_id: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(base: &str, project_id: &str) -> Self {
        Self {
            base: base.to_owned(),
            project_id: project_id.to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// POSTs `body` with the project bearer, and `jwt` after it when given.
    pub async fn post(&self, path: &str, jwt: Option<&str>, body: Value) -> (u16, Value) {
        let auth = match jwt {
            Some(jwt) => format!("Bearer {}:{jwt}", self.project_id),
            None => format!("Bearer {}", self.project_id),
        };
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Authorization", auth)
            .json(&body)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    pub async fn get(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// A beckon-server process (the binary this package builds), answering on a loopback port.
pub struct ServerProcess {
    pub api: Api,
    pub child: tokio::process::Child,
    /// Its `GET /metrics` (each test process runs with `metrics_listen` on loopback).
    pub metrics_url: String,
}

impl std::ops::Deref for ServerProcess {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

impl ServerProcess {
    /// Starts `beckon-server --listen 127.0.0.1:0 --database DATABASE ARGS…` (with `--dev`
    /// unless ARGS set up SMTP or SMS), once it says where it listens.
    pub async fn start(database: &str, args: &[&str]) -> Self {
        use tokio::io::AsyncBufReadExt;
        let transport = args
            .iter()
            .any(|a| *a == "--smtp-host" || *a == "--sms-account-sid");
        let dev: &[&str] = if transport { &[] } else { &["--dev"] };
        let mut child = server_command()
            .args(dev)
            .args(["--listen", "127.0.0.1:0", "--database", database])
            .args(["--metrics-listen", "127.0.0.1:0"])
            .args(args)
            .env("BECKON_LOG", "beckon_server=warn")
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("beckon-server starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let mut said = Vec::new();
        while said.len() < 2 {
            let line = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
                .await
                .expect("beckon-server starts within 30 s")
                .unwrap()
                .expect("beckon-server printed its address and project");
            said.push(line.rsplit(' ').next().unwrap().to_owned());
        }
        // The banner's last line says where the metrics are.
        let metrics_url = loop {
            let line = lines
                .next_line()
                .await
                .unwrap()
                .expect("the banner's metrics line");
            if let Some(url) = line.trim().strip_prefix("metrics:") {
                break url.trim().to_owned();
            }
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self {
            api: Api::new(&said[0], &said[1]),
            child,
            metrics_url,
        }
    }

    /// How many polls it holds now (`beckon_held_waits`, from its metrics).
    pub async fn held(&self) -> u64 {
        let text = self.api.http.get(&self.metrics_url).send().await.unwrap();
        let text = text.text().await.unwrap();
        beckon_testkit::metrics::sample(&text, beckon_testkit::metrics::HELD_WAITS)
            .expect("the held-wait series") as u64
    }
}

/// The beckon-server binary, with none of this test run's `BECKON_*` variables (the server
/// refuses the ones it does not know).
pub fn server_command() -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_beckon-server"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("BECKON_") {
            command.env_remove(name);
        }
    }
    command
}
