//! The release app, idle: its memory (PSS of its process and WebKit's, summed) and its time
//! to first paint (process start to the first frame with the email field, from the UI's own
//! `beckon:email-painted` performance mark); the tap as a person sees it (the phone's "Yes"
//! answered to the signed-in view painted, from `beckon:signed-in-painted`); and any app's
//! start to a mark of its page, with its idle memory (row 8). Launched through tauri-driver,
//! as the end-to-end test does, under the Xvfb and D-Bus session `scripts/bench.sh` runs it
//! in.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};
use tokio::process::Command;

use std::net::Ipv4Addr;

use crate::client::Conn;
use crate::detection::epoch_ms;
use crate::server::{clock_ticks_per_second, Server};

pub struct AppFigures {
    pub first_paint_ms: f64,
    /// Where the first paint's time went, in ms: process start to the page's navigation
    /// (the app and the webview starting), to the page's script running, to the first state
    /// drawn, to the frame with the email field.
    pub paint_parts: [f64; 4],
    /// (process name, PSS in MiB), the app first.
    pub pss_mib: Vec<(String, f64)>,
}

impl AppFigures {
    pub fn total_pss(&self) -> f64 {
        self.pss_mib.iter().map(|(_, m)| m).sum()
    }
}

pub async fn measure(app: &Path, server: &Server, idle: Duration) -> anyhow::Result<AppFigures> {
    let driver = Driver::start(server).await?;
    let result = drive(app, &driver.url, idle).await;
    driver.stop().await;
    result
}

/// tauri-driver, with the app's environment pointing at `server` and a config folder of its
/// own; stopped (and its folder removed) by [`Driver::stop`].
struct Driver {
    child: tokio::process::Child,
    url: String,
    config_home: std::path::PathBuf,
}

impl Driver {
    async fn start(server: &Server) -> anyhow::Result<Self> {
        let port = free_port()?;
        let config_home = std::env::temp_dir().join(format!("beckon-bench-app-{port}"));
        std::fs::create_dir_all(&config_home)?;
        let child =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &free_port()?.to_string(),
                ])
                .env("BECKON_BASE_URL", &server.base)
                .env("XDG_CONFIG_HOME", &config_home)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .context("tauri-driver is installed (scripts/setup.sh)")?;
        Ok(Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            config_home,
        })
    }

    async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        let _ = std::fs::remove_dir_all(&self.config_home);
    }
}

/// One WebDriver session on the app.
struct Window {
    http: reqwest::Client,
    base: String,
}

impl Window {
    async fn open(driver: &str, app: &Path) -> anyhow::Result<Self> {
        let http = reqwest::Client::new();
        let begun = Instant::now();
        while http.get(format!("{driver}/status")).send().await.is_err() {
            anyhow::ensure!(
                begun.elapsed() < Duration::from_secs(20),
                "tauri-driver did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let session: Value = http
            .post(format!("{driver}/session"))
            .json(&json!({"capabilities": {"alwaysMatch": {
                "tauri:options": {"application": app.canonicalize()?.to_string_lossy()}
            }}}))
            .send()
            .await?
            .json()
            .await?;
        let id = session["value"]["sessionId"]
            .as_str()
            .with_context(|| format!("no WebDriver session: {session}"))?;
        Ok(Self {
            base: format!("{driver}/session/{id}"),
            http,
        })
    }

    async fn call(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let answer: Value = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        Ok(answer["value"].clone())
    }

    async fn script(&self, script: &str) -> anyhow::Result<Value> {
        self.call("/execute/sync", json!({"script": script, "args": []}))
            .await
    }

    /// The element at `css`, once it is there (within `within`).
    async fn wait_for(&self, css: &str, within: Duration) -> anyhow::Result<String> {
        let begun = Instant::now();
        loop {
            let found = self
                .call("/element", json!({"using": "css selector", "value": css}))
                .await?;
            // W3C WebDriver's key for an element reference.
            if let Some(id) = found["element-6066-11e4-a52e-4f735466cecf"].as_str() {
                return Ok(id.to_owned());
            }
            anyhow::ensure!(begun.elapsed() < within, "{css} never appeared");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn click(&self, element: &str) -> anyhow::Result<()> {
        let answer = self
            .call(&format!("/element/{element}/click"), json!({}))
            .await?;
        if !answer.is_null() {
            bail!("clicking {element}: {answer}");
        }
        Ok(())
    }

    async fn type_into(&self, element: &str, text: &str) -> anyhow::Result<()> {
        let answer = self
            .call(&format!("/element/{element}/value"), json!({"text": text}))
            .await?;
        if !answer.is_null() {
            bail!("typing into {element}: {answer}");
        }
        Ok(())
    }

    async fn close(self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}

/// The tap as a person sees it: `trials` sign-ins in the release app, each from the phone's
/// "Yes" being answered (the confirm's response, on a phone's own connection) to the frame
/// that shows the signed-in view (the UI's `beckon:signed-in-painted` mark); in ms.
pub async fn tap_to_paint(app: &Path, server: &Server, trials: usize) -> anyhow::Result<Vec<f64>> {
    let driver = Driver::start(server).await?;
    let result = async {
        let window = Window::open(&driver.url, app).await?;
        let measured = sign_ins(&window, server, trials).await;
        window.close().await;
        measured
    }
    .await;
    driver.stop().await;
    result
}

async fn sign_ins(window: &Window, server: &Server, trials: usize) -> anyhow::Result<Vec<f64>> {
    let mark = "const m = performance.getEntriesByName('beckon:signed-in-painted')[0]; \
                return m ? performance.timeOrigin + m.startTime : null;";
    let mut latencies = Vec::with_capacity(trials);
    for trial in 0..trials {
        let email = format!("tap-{trial}@example.com");
        let input = window
            .wait_for("[data-testid=email-input]", Duration::from_secs(60))
            .await?;
        // Signed out, the field keeps the last address: emptied first.
        window
            .call(&format!("/element/{input}/clear"), json!({}))
            .await?;
        window.type_into(&input, &email).await?;
        let submit = window
            .wait_for("[data-testid=email-submit]", Duration::from_secs(5))
            .await?;
        window.click(&submit).await?;
        // Read from the page: the waiting screen redraws as it counts down.
        let begun = Instant::now();
        let number = loop {
            let shown = window
                .script("return document.querySelector('[data-testid=link-number]')?.textContent ?? '';")
                .await?;
            let shown = shown.as_str().unwrap_or_default().trim().to_owned();
            if !shown.is_empty() {
                break shown;
            }
            if begun.elapsed() > Duration::from_secs(10) {
                let page = window.script("return document.body.innerText;").await?;
                bail!("the number never showed; the window says: {page}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        window
            .script("performance.clearMarks('beckon:signed-in-painted'); return null;")
            .await?;
        let mut phone = Conn::open(Ipv4Addr::LOCALHOST, server.addr, &server.project).await?;
        let token = phone.token(&email, &number).await?;
        let status = phone.verify(&token).await?;
        let answered = epoch_ms();
        anyhow::ensure!(status == 200, "the confirm answered {status}");
        let begun = Instant::now();
        let painted = loop {
            if let Some(at) = window.script(mark).await?.as_f64() {
                break at;
            }
            anyhow::ensure!(
                begun.elapsed() < Duration::from_secs(10),
                "the signed-in view never painted"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        latencies.push((painted - answered).max(0.0));
        let sign_out = window
            .wait_for("[data-testid=sign-out]", Duration::from_secs(5))
            .await?;
        window.click(&sign_out).await?;
    }
    Ok(latencies)
}

async fn drive(app: &Path, driver: &str, idle: Duration) -> anyhow::Result<AppFigures> {
    let marks = [
        "beckon:script-start",
        "beckon:first-state",
        "beckon:email-painted",
    ];
    let start = start_and_idle(app, driver, idle, &marks).await?;
    let [script, state, painted] = start.marks[..] else {
        bail!("three marks were asked for");
    };
    Ok(AppFigures {
        first_paint_ms: start.to_origin + painted,
        paint_parts: [start.to_origin, script, state - script, painted - state],
        pss_mib: start.pss_mib,
    })
}

/// An app's start, and its memory once idle.
pub struct AppStart {
    /// Process start to the page's navigation, in ms.
    pub to_origin: f64,
    /// Each mark asked for, in ms from the page's navigation (0 for one never set, but the
    /// last).
    pub marks: Vec<f64>,
    /// (process name, PSS in MiB), the app first.
    pub pss_mib: Vec<(String, f64)>,
}

impl AppStart {
    /// Process start to the last mark asked for, in ms.
    pub fn first_paint_ms(&self) -> f64 {
        self.to_origin + self.marks.last().copied().unwrap_or_default()
    }

    pub fn total_pss(&self) -> f64 {
        self.pss_mib.iter().map(|(_, m)| m).sum()
    }
}

/// `app` started afresh (by tauri-driver, pointing at `server`) until its page has set the
/// User Timing mark `mark`, then left idle for `idle`.
pub async fn start(
    app: &Path,
    server: &Server,
    idle: Duration,
    mark: &str,
) -> anyhow::Result<AppStart> {
    let driver = Driver::start(server).await?;
    let result = start_and_idle(app, &driver.url, idle, &[mark]).await;
    driver.stop().await;
    result
}

/// Opens `app` and waits for the page's marks (the last one decides when it has started);
/// then its process tree's PSS after `idle`.
async fn start_and_idle(
    app: &Path,
    driver: &str,
    idle: Duration,
    marks: &[&str],
) -> anyhow::Result<AppStart> {
    let last = marks.last().context("a mark to wait for")?;
    let begun = Instant::now();
    let window = Window::open(driver, app).await?;
    let measured = async {
        let script = format!(
            "const at = (name) => performance.getEntriesByName(name)[0]?.startTime; \
             return at({last:?}) === undefined ? null : \
               [performance.timeOrigin, ...{marks:?}.map((m) => at(m) ?? 0)];"
        );
        let (origin, marks) = loop {
            let answer = window.script(&script).await?;
            let values: Vec<f64> = answer
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            if let Some((origin, marks)) = values.split_first() {
                break (*origin, marks.to_vec());
            }
            anyhow::ensure!(
                begun.elapsed() < Duration::from_secs(60),
                "the page never set the mark {last}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let pid = find_process(&app.canonicalize()?)?;
        let started = process_start_epoch_ms(pid)?;
        tokio::time::sleep(idle).await;
        Ok(AppStart {
            to_origin: origin - started,
            marks,
            pss_mib: tree_pss(pid)?,
        })
    }
    .await;
    window.close().await;
    measured
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Every process: PID → (parent, name).
fn processes() -> HashMap<u32, (u32, String)> {
    let mut all = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return all;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let name = stat
            .split_once('(')
            .and_then(|(_, rest)| rest.rsplit_once(')'))
            .map(|(name, _)| name.to_owned())
            .unwrap_or_default();
        let parent = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        all.insert(pid, (parent, name));
    }
    all
}

/// The PID of the process running `app`.
fn find_process(app: &Path) -> anyhow::Result<u32> {
    for pid in processes().keys() {
        if std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == app) {
            return Ok(*pid);
        }
    }
    bail!("no process runs {}", app.display())
}

/// When process `pid` started, in ms since 1970 (10 ms resolution).
fn process_start_epoch_ms(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    // starttime is field 22 of the line: 20th after the ')'.
    let ticks: f64 = after
        .split_whitespace()
        .nth(19)
        .context("starttime in /proc/PID/stat")?
        .parse()?;
    let boot: f64 = std::fs::read_to_string("/proc/stat")?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .context("btime in /proc/stat")?
        .trim()
        .parse()?;
    Ok((boot + ticks / clock_ticks_per_second()) * 1000.0)
}

/// PSS of `root` and every process under it, by process, in MiB.
fn tree_pss(root: u32) -> anyhow::Result<Vec<(String, f64)>> {
    let all = processes();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            all.iter()
                .filter(|(_, (p, _))| *p == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    let mut figures = Vec::new();
    for pid in tree {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
            .with_context(|| format!("/proc/{pid}/smaps_rollup"))?;
        let kib: f64 = rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .context("Pss in smaps_rollup")?;
        let name = all.get(&pid).map(|(_, n)| n.clone()).unwrap_or_default();
        figures.push((name, kib / 1024.0));
    }
    Ok(figures)
}
