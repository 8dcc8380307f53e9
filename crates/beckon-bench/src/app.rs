//! The release app, idle: its memory (PSS of its process and WebKit's, summed) and its time
//! to first paint (process start to the first frame with the email field, from the UI's own
//! `beckon:email-painted` performance mark). Launched through tauri-driver, as the end-to-end
//! test does, under the Xvfb and D-Bus session `scripts/bench.sh` runs it in.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};
use tokio::process::Command;

use crate::server::{clock_ticks_per_second, Server};

pub struct AppFigures {
    pub first_paint_ms: f64,
    /// (process name, PSS in MiB), the app first.
    pub pss_mib: Vec<(String, f64)>,
}

impl AppFigures {
    pub fn total_pss(&self) -> f64 {
        self.pss_mib.iter().map(|(_, m)| m).sum()
    }
}

pub async fn measure(app: &Path, server: &Server, idle: Duration) -> anyhow::Result<AppFigures> {
    let port = free_port()?;
    let config_home = std::env::temp_dir().join(format!("beckon-bench-app-{port}"));
    std::fs::create_dir_all(&config_home)?;
    let mut driver =
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
    let result = drive(app, &format!("http://127.0.0.1:{port}"), idle).await;
    let _ = driver.start_kill();
    let _ = driver.wait().await;
    let _ = std::fs::remove_dir_all(&config_home);
    result
}

async fn drive(app: &Path, driver: &str, idle: Duration) -> anyhow::Result<AppFigures> {
    let http = reqwest::Client::new();
    let begun = Instant::now();
    while http.get(format!("{driver}/status")).send().await.is_err() {
        anyhow::ensure!(
            begun.elapsed() < Duration::from_secs(20),
            "tauri-driver did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let app = app.canonicalize()?;
    let session: Value = http
        .post(format!("{driver}/session"))
        .json(&json!({"capabilities": {"alwaysMatch": {
            "tauri:options": {"application": app.to_string_lossy()}
        }}}))
        .send()
        .await?
        .json()
        .await?;
    let id = session["value"]["sessionId"]
        .as_str()
        .with_context(|| format!("no WebDriver session: {session}"))?
        .to_owned();
    let measured = async {
        let script = "const m = performance.getEntriesByName('beckon:email-painted')[0]; \
                      return m ? performance.timeOrigin + m.startTime : null;";
        let painted_at = loop {
            let answer: Value = http
                .post(format!("{driver}/session/{id}/execute/sync"))
                .json(&json!({"script": script, "args": []}))
                .send()
                .await?
                .json()
                .await?;
            if let Some(at) = answer["value"].as_f64() {
                break at;
            }
            anyhow::ensure!(
                begun.elapsed() < Duration::from_secs(60),
                "the email field never painted"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let pid = find_process(&app)?;
        let first_paint_ms = painted_at - process_start_epoch_ms(pid)?;
        tokio::time::sleep(idle).await;
        let pss_mib = tree_pss(pid)?;
        Ok(AppFigures {
            first_paint_ms,
            pss_mib,
        })
    }
    .await;
    let _ = http.delete(format!("{driver}/session/{id}")).send().await;
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
