//! beckon-server processes for the benchmark: the release binary, on loopback, with its
//! request log counted (never kept) and its memory and CPU read from `/proc`.

use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The path a waiting desktop polls.
pub const PENDING_SESSION: &str = "/v1/auth/enchantedlink/pending-session";

/// Every rate limit switched off and the held-wait caps out of the way, for the rows that
/// measure a single client's latency (one address asks for every sign-in).
pub const LIMITS_OFF: &[&str] = &[
    "--limit-session-per-session",
    "off",
    "--limit-session-per-ip",
    "off",
    "--max-held-waits-per-ip",
    "1000000",
    "--limit-send-per-login-id",
    "off",
    "--limit-send-per-ip",
    "off",
    "--limit-verify-per-login-id",
    "off",
    "--limit-verify-per-ip",
    "off",
    "--limit-poll-per-request",
    "off",
    "--limit-poll-per-ip",
    "off",
];

pub struct Server {
    pub base: String,
    pub addr: std::net::SocketAddr,
    pub project: String,
    /// Its `GET /metrics`, on loopback.
    metrics_url: String,
    pub pid: u32,
    /// Answered `pending-session` requests, from its request log (when it logs requests).
    polls: Arc<AtomicU64>,
    child: Child,
}

impl Server {
    /// Starts `binary --dev --listen 127.0.0.1:0 --database DATABASE ARGS…`. With
    /// `log_requests`, its request log is on and counted; otherwise only warnings are logged,
    /// as a busy server would be run.
    pub async fn start(
        binary: &Path,
        database: &str,
        args: &[&str],
        log_requests: bool,
    ) -> anyhow::Result<Self> {
        let mut command = Command::new(binary);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("BECKON_") {
                command.env_remove(name);
            }
        }
        let filter = if log_requests {
            "beckon_server=info"
        } else {
            "beckon_server=warn"
        };
        let mut child = command
            .args(["--dev", "--listen", "127.0.0.1:0", "--database", database])
            .args(["--metrics-listen", "127.0.0.1:0"])
            .args(args)
            .env("BECKON_LOG", filter)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let pid = child.id().context("the server has a PID")?;
        let stdout = child.stdout.take().context("piped stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut said = Vec::new();
        while said.len() < 2 {
            let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
                .await
                .context("beckon-server did not say where it listens within 60 s")??
                .context("beckon-server ended before it listened")?;
            said.push(line.rsplit(' ').next().unwrap_or_default().to_owned());
        }
        // The banner's last line says where the metrics are.
        let metrics_url = loop {
            let line = lines
                .next_line()
                .await?
                .context("beckon-server ended before its banner did")?;
            if let Some(url) = line.trim().strip_prefix("metrics:") {
                break url.trim().to_owned();
            }
        };
        let polls = Arc::new(AtomicU64::new(0));
        let counted = polls.clone();
        let span = format!(" path={PENDING_SESSION}}}");
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains(&span) && line.contains(": request status=") {
                    counted.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        let base = said[0].clone();
        let addr = base
            .trim_start_matches("http://")
            .parse()
            .with_context(|| format!("an address: {base}"))?;
        Ok(Self {
            base,
            addr,
            project: said[1].clone(),
            metrics_url,
            pid,
            polls,
            child,
        })
    }

    /// How many polls it holds now: `beckon_held_waits` from its metrics (never on the public
    /// address, where it would tell anyone when someone signs in).
    pub async fn held(&self) -> anyhow::Result<u64> {
        let text = reqwest::get(&self.metrics_url).await?.text().await?;
        let value = text
            .lines()
            .find_map(|line| line.strip_prefix("beckon_held_waits{scope=\"replica\"} "))
            .context("beckon_held_waits in the metrics")?;
        Ok(value.trim().parse::<f64>()? as u64)
    }

    /// `pending-session` requests answered so far.
    pub fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }

    /// An SDK client for this server, from 127.0.0.1.
    pub fn sdk(&self) -> anyhow::Result<beckon::Client> {
        Ok(beckon::Client::new(self.project.clone())?.with_base_url(&self.base))
    }

    /// Its resident memory now, in MiB.
    pub fn rss_mib(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .context("VmRSS in /proc/PID/status")?;
        Ok(kib / 1024.0)
    }

    /// The CPU time it has used so far (user and system), in seconds.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        cpu_seconds(self.pid)
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// The CPU time process `pid` has used (user + system), in seconds.
pub fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command (which may hold spaces) start after the last ')'.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    if fields.len() < 13 {
        bail!("an unexpected /proc/{pid}/stat");
    }
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the ')'.
    let ticks: f64 = fields[11].parse::<f64>()? + fields[12].parse::<f64>()?;
    Ok(ticks / clock_ticks_per_second())
}

/// `getconf CLK_TCK`: 100 on every Linux this runs on.
pub fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}
