//! Starting the real processes: beckon-server, tauri-driver, and (through it) the app.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::webdriver::Session;

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A binary built by `scripts/test.sh`, or the path in `env_var`.
fn binary(env_var: &str, name: &str) -> PathBuf {
    let path = std::env::var_os(env_var)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("target"));
            target.join("debug").join(name)
        });
    assert!(
        path.exists(),
        "{} is missing: build it first (scripts/test.sh does), or set {env_var}",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// How to run the server.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// A SQLite file, so the data survives a restart; in memory when `None`.
    pub database: Option<PathBuf>,
    /// `--link-ttl` in seconds (the server's default when `None`).
    pub link_ttl: Option<u32>,
    /// `--session-ttl` in seconds.
    pub session_ttl: Option<u32>,
    /// More flags, such as rate limits.
    pub args: Vec<String>,
}

/// A real beckon-server process.
pub struct Server {
    pub base_url: String,
    options: ServerOptions,
    child: Mutex<Option<Child>>,
    /// Every line the server printed, across restarts (its request log among them).
    log: Arc<Mutex<Vec<String>>>,
    http: reqwest::Client,
}

impl Server {
    /// A server with an in-memory database and default lifetimes.
    pub async fn start() -> Self {
        Self::start_with(ServerOptions::default()).await
    }

    pub async fn start_with(options: ServerOptions) -> Self {
        let log = Arc::new(Mutex::new(Vec::new()));
        let (child, base_url) = spawn_server(&options, "127.0.0.1:0", log.clone()).await;
        Self {
            base_url,
            options,
            child: Mutex::new(Some(child)),
            log,
            http: reqwest::Client::new(),
        }
    }

    /// Kills the server process.
    pub fn stop(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            let _ = child.start_kill();
        }
    }

    /// Starts the server again on the same address (and database, when it is a file).
    pub async fn restart(&self) {
        self.stop();
        let listen = self.base_url.trim_start_matches("http://").to_owned();
        // The killed process may hold the port for a moment.
        let start = Instant::now();
        while TcpListener::bind(&listen).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{listen} stays busy"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let (child, base_url) = spawn_server(&self.options, &listen, self.log.clone()).await;
        assert_eq!(base_url, self.base_url);
        *self.child.lock().unwrap() = Some(child);
    }

    /// Runs an operator command (`beckon-server --database … ARGS`) on this server's
    /// database file: its stdout, after it succeeded.
    pub async fn cli(&self, args: &[&str]) -> String {
        let path = self
            .options
            .database
            .as_ref()
            .expect("the CLI needs the server on a database file (ServerOptions::database)");
        let out = server_command()
            .args(["--database", &format!("sqlite://{}", path.display())])
            .args(args)
            .output()
            .await
            .expect("beckon-server runs");
        assert!(
            out.status.success(),
            "beckon-server {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// How many requests to `path` the server has logged so far.
    pub fn requests_to(&self, path: &str) -> usize {
        self.request_lines(path, |_| true)
    }

    /// How many requests to `path` the server has answered after holding them
    /// (`Preference-Applied: wait=N`; its log line ends `wait=N`).
    pub fn held_requests_to(&self, path: &str) -> usize {
        self.request_lines(path, |line| line.contains(" wait="))
    }

    /// The server's request-log lines for `path` that `also` accepts. One `request` event per
    /// answered request, inside the request's span:
    /// `INFO request{method=POST path=/v1/…}: beckon_server::http: request status=401 ms=2`.
    fn request_lines(&self, path: &str, also: impl Fn(&str) -> bool) -> usize {
        let span = format!(" path={path}}}");
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.contains(&span) && line.contains(": request status="))
            .filter(|line| also(line))
            .count()
    }

    /// GETs `path` from the server: its JSON body.
    async fn get_json(&self, path: &str) -> serde_json::Value {
        self.http
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Every message in the server's development outbox, newest first.
    pub async fn outbox(&self) -> Vec<serde_json::Value> {
        self.get_json("/dev/outbox")
            .await
            .as_array()
            .unwrap()
            .clone()
    }

    /// How many outbox messages went to `to`.
    pub async fn messages_to(&self, to: &str) -> usize {
        self.outbox().await.iter().filter(|m| m["to"] == to).count()
    }

    /// The newest sign-in message to `to` (not a notice), waiting briefly for it to arrive.
    pub async fn latest_message_to(&self, to: &str) -> serde_json::Value {
        self.latest_message_of_kind(to, "sign_in").await
    }

    /// The newest message of `kind` (`sign_in`, `paused`…) to `to`, waiting briefly for it.
    pub async fn latest_message_of_kind(&self, to: &str, kind: &str) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let newest = self
                .outbox()
                .await
                .into_iter()
                .find(|m| m["to"] == to && m["kind"] == kind);
            if let Some(m) = newest {
                return m;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no {kind} message to {to}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How many outbox messages of `kind` went to `to`.
    pub async fn messages_of_kind(&self, to: &str, kind: &str) -> usize {
        self.outbox()
            .await
            .iter()
            .filter(|m| m["to"] == to && m["kind"] == kind)
            .count()
    }

    /// `GET /v1/auth/me` with `refresh_jwt`: the answer, success or error.
    pub async fn me(&self, refresh_jwt: &str) -> serde_json::Value {
        let project_id = self.project_id().await;
        self.http
            .get(format!("{}/v1/auth/me", self.base_url))
            .bearer_auth(format!("{project_id}:{refresh_jwt}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// `POST /v1/auth/logoutall` with `refresh_jwt`, as another device would: the status.
    pub async fn logout_all(&self, refresh_jwt: &str) -> u16 {
        let project_id = self.project_id().await;
        self.http
            .post(format!("{}/v1/auth/logoutall", self.base_url))
            .bearer_auth(format!("{project_id}:{refresh_jwt}"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    async fn project_id(&self) -> String {
        let project = self.get_json("/.well-known/beckon-project").await;
        project["projectId"].as_str().unwrap().to_owned()
    }

    /// Presses "Yes" on the page behind `link`, following it to the page after: (status,
    /// page).
    pub async fn confirm(&self, link: &str) -> (u16, String) {
        let (status, page, _) = self.answer(link, "yes").await;
        (status, page)
    }

    /// Presses "Yes" (`yes`) or "No, this wasn't me" (`no`) on the page behind `link`,
    /// following where it leads: (status, page, the page's address).
    pub async fn answer(&self, link: &str, answer: &str) -> (u16, String, String) {
        let token = beckon_testkit::token_of(link);
        let response = self
            .http
            .post(link)
            .form(&[("t", token.as_str()), ("answer", answer)])
            .send()
            .await
            .unwrap();
        let at = response.url().to_string();
        (
            response.status().as_u16(),
            response.text().await.unwrap(),
            at,
        )
    }

    /// Presses the one button of the page `url` opens (a form that posts its token back, as
    /// the pause email's page does): the status and the page that answers.
    pub async fn submit(&self, url: &str) -> (u16, String) {
        let token = beckon_testkit::token_of(url);
        let response = self
            .http
            .post(url)
            .form(&[("t", token.as_str())])
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// GETs a page: its text.
    pub async fn page(&self, url: &str) -> String {
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// How many polls the server holds now (`beckon_held_waits` on its metrics listener,
    /// which the banner's last line names; after a restart, the newest one).
    pub async fn held_now(&self) -> u64 {
        let start = Instant::now();
        let url = loop {
            let said = self.log.lock().unwrap().iter().rev().find_map(|line| {
                let url = line.trim().strip_prefix("metrics:")?;
                Some(url.trim().to_owned())
            });
            if let Some(url) = said {
                break url;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the server never said where its metrics are"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let text = self
            .http
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        beckon_testkit::metrics::sample(&text, beckon_testkit::metrics::HELD_WAITS)
            .expect("the held-wait series") as u64
    }

    /// Waits until the server holds `count` polls.
    pub async fn until_held(&self, count: u64, within: Duration) {
        let start = Instant::now();
        while self.held_now().await != count {
            assert!(
                start.elapsed() < within,
                "the server never held {count} polls"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A notification daemon (dunst) on the test's D-Bus session and X display, for the app's
/// notifications to reach; stopped when dropped. (Once one app has notified, the session bus
/// may have started dunst by itself, from its D-Bus service file; this one then finds the name
/// taken and ends, and `dunstctl` talks to that one. Both end with the session.)
pub struct NotificationDaemon {
    child: Child,
}

impl NotificationDaemon {
    pub async fn start() -> Self {
        let child = Command::new("dunst")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("dunst is installed (scripts/setup.sh)");
        // Serving once dunstctl can talk to it.
        let start = Instant::now();
        loop {
            let answered = Command::new("dunstctl")
                .arg("is-paused")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .await
                .is_ok_and(|s| s.success());
            if answered {
                return Self { child };
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "dunst did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every notification it received so far, as (summary, body): those on screen are
    /// closed first, which moves them into its history.
    pub async fn received(&self) -> Vec<(String, String)> {
        let _ = Command::new("dunstctl").arg("close-all").status().await;
        let output = Command::new("dunstctl")
            .arg("history")
            .output()
            .await
            .expect("dunstctl history");
        let history: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("dunstctl history prints JSON");
        history["data"][0]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|n| {
                let text = |key: &str| n[key]["data"].as_str().unwrap_or_default().to_owned();
                (text("summary"), text("body"))
            })
            .collect()
    }

    /// Waits for a notification whose summary is `summary` and whose body mentions
    /// `mentioning` (other tests' notifications may be in the history too).
    pub async fn wait_for(&self, summary: &str, mentioning: &str, within: Duration) {
        let start = Instant::now();
        loop {
            let received = self.received().await;
            if received
                .iter()
                .any(|(s, body)| s == summary && body.contains(mentioning))
            {
                return;
            }
            assert!(
                start.elapsed() < within,
                "no notification {summary:?} about {mentioning} reached the daemon: {received:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for NotificationDaemon {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// The beckon-server binary, without this run's `BECKON_*` variables: the server refuses the
/// ones it does not know, and this run's own are not for it.
fn server_command() -> Command {
    let mut command = Command::new(binary("BECKON_E2E_SERVER", "beckon-server"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("BECKON_") {
            command.env_remove(name);
        }
    }
    command
}

/// Starts beckon-server on `listen`; returns the process and its base URL once it listens.
async fn spawn_server(
    options: &ServerOptions,
    listen: &str,
    log: Arc<Mutex<Vec<String>>>,
) -> (Child, String) {
    let database = match &options.database {
        Some(path) => format!("sqlite://{}", path.display()),
        None => "sqlite::memory:".to_owned(),
    };
    let mut command = server_command();
    command
        .args(["--dev", "--listen", listen, "--database", &database])
        .args(["--metrics-listen", "127.0.0.1:0"])
        .env("BECKON_LOG", "beckon_server=info")
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    if let Some(ttl) = options.link_ttl {
        command.args(["--link-ttl", &ttl.to_string()]);
    }
    if let Some(ttl) = options.session_ttl {
        command.args(["--session-ttl", &ttl.to_string()]);
    }
    command.args(&options.args);
    let mut child = command.spawn().expect("beckon-server starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("beckon-server printed where it listens")
        .expect("stdout readable")
        .expect("a first line");
    let base_url = first
        .rsplit(' ')
        .next()
        .filter(|u| u.starts_with("http://"))
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    // Keep reading stdout, so the server never blocks on a full pipe and tests can count
    // the requests it logs.
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            log.lock().unwrap().push(line);
        }
    });
    (child, base_url)
}

/// tauri-driver, with the app's environment pointing at `server`. It runs in a process group
/// of its own with WebKitWebDriver and the app they start; dropping it (a test's end, or its
/// panic) kills the whole group, so a failed test leaves no app behind for the next one.
pub struct TauriDriver {
    url: String,
    child: Child,
    /// The app's config folder (`XDG_CONFIG_HOME`), so a developer's own settings never
    /// reach a test, and a test's never reach them.
    pub config_home: tempfile::TempDir,
}

impl TauriDriver {
    /// The app pointed at `server` by `BECKON_BASE_URL`.
    pub async fn start(server: &Server) -> Self {
        Self::start_with(Some(server)).await
    }

    /// The app with `BECKON_BASE_URL` set to `server`, or with no override at all (so it
    /// uses its Settings).
    pub async fn start_with(server: Option<&Server>) -> Self {
        Self::start_with_env(server, &[]).await
    }

    /// Like [`TauriDriver::start_with`], with `env` set for the app too.
    pub async fn start_with_env(server: Option<&Server>, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let native_port = free_port();
        let config_home = tempfile::tempdir().expect("a temporary folder");
        let mut command =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("XDG_CONFIG_HOME", config_home.path())
            .env_remove("BECKON_BASE_URL")
            .env_remove("BECKON_PROJECT_ID")
            // The app speaks the system's language: English unless a case sets another
            // (`LANG` in `env`), whatever the machine running the tests speaks.
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANGUAGE")
            .env("LANG", "C.UTF-8")
            .stdout(Stdio::null())
            .process_group(0)
            .kill_on_drop(true);
        // The app finds the server's project by asking it, as it does in development.
        if let Some(server) = server {
            command.env("BECKON_BASE_URL", &server.base_url);
        }
        command.envs(env.iter().copied());
        let child = command
            .spawn()
            .expect("tauri-driver is installed (cargo install tauri-driver --locked)");
        let url = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let start = Instant::now();
        while http.get(format!("{url}/status")).send().await.is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "tauri-driver did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Self {
            url,
            child,
            config_home,
        }
    }

    /// Launches the app in a new WebDriver session, once the last one has let go of its
    /// single-instance name (otherwise the new one would hand over to it and exit).
    pub async fn launch_app(&self) -> Session {
        self.launch_app_with(&[]).await
    }

    /// Launches the app with `args`, as the system does to open a `beckon://` link with the
    /// app closed.
    pub async fn launch_app_with(&self, args: &[&str]) -> Session {
        wait_for_single_instance_to_end().await;
        let app = binary("BECKON_E2E_APP", "beckon-desktop");
        Session::new(&self.url, &app.to_string_lossy(), args).await
    }

    /// Launches the example app (examples/tauri-app) in a new WebDriver session.
    pub async fn launch_example(&self) -> Session {
        let app = binary("BECKON_E2E_EXAMPLE", "beckon-example-app");
        Session::new(&self.url, &app.to_string_lossy(), &[]).await
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            // The group's ID is the driver's PID (process_group(0)).
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// The window's size in `src-tauri/tauri.conf.json`; with no window manager under Xvfb the
/// window sits at the screen's top-left corner.
const WINDOW_GEOMETRY: &str = "460x700+0+0";

/// Saves a screenshot of the app's window when `BECKON_SCREENSHOTS` names a folder (a
/// relative one is taken from the repository's root, where the README's command runs).
pub fn screenshot(name: &str) {
    let Some(dir) = std::env::var_os("BECKON_SCREENSHOTS") else {
        return;
    };
    std::thread::sleep(Duration::from_millis(400));
    let path = workspace_root().join(dir).join(format!("{name}.png"));
    let status = std::process::Command::new("import")
        .args(["-window", "root", "-crop", WINDOW_GEOMETRY, "+repage"])
        .arg(&path)
        .status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "import (ImageMagick) could not take {}",
        path.display()
    );
}

/// The D-Bus name the running app holds (tauri-plugin-single-instance: the identifier).
const SINGLE_INSTANCE_NAME: &str = "dev.beckon.desktop.SingleInstance";

/// True while an instance of the app owns its name on the session bus.
fn app_is_running() -> bool {
    let output = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            &format!("string:{SINGLE_INSTANCE_NAME}"),
        ])
        .output()
        .expect("dbus-send runs");
    String::from_utf8_lossy(&output.stdout).contains("boolean true")
}

/// Waits until the app's process has ended (its single-instance name is gone from the bus):
/// `Session::quit` returns once the driver has asked it to close, not once it has.
pub async fn wait_for_single_instance_to_end() {
    let start = Instant::now();
    while app_is_running() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "an earlier instance of the app is still running"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Launches a second instance of the app with `args`, as the system does to open a
/// `beckon://` link; it hands them to the running app and exits. Returns its exit status.
/// With `BECKON_E2E_OPEN_WITH` set (`gio open`, for an installed app), that command opens the
/// link instead, so the system's own handler for `beckon://` starts the second instance.
pub async fn launch_second_instance(args: &[&str]) -> std::process::ExitStatus {
    assert!(app_is_running(), "the first instance runs");
    let mut command = match std::env::var("BECKON_E2E_OPEN_WITH") {
        Ok(opener) => {
            let mut words = opener.split_whitespace();
            let mut command =
                Command::new(words.next().expect("BECKON_E2E_OPEN_WITH names a command"));
            command.args(words);
            command
        }
        Err(_) => Command::new(binary("BECKON_E2E_APP", "beckon-desktop")),
    };
    let mut child = command
        .args(args)
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the app starts");
    tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("the second instance hands over and exits")
        .expect("its status")
}
