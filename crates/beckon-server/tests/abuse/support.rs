//! What the abuse cases share: a server process with a low file limit, a well-behaved client
//! on an address of its own, and the raw sockets attacks are made of. Everything is on
//! loopback.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};
use tokio::process::{Child, Command};

/// The server's open-file limit (soft and hard), set by `prlimit`: low, so that an attack
/// reaches it in a second. It leaves the server 128 connections (`max_connections`).
pub const FILE_LIMIT: u64 = 256;

/// Where attacks come from.
pub const ATTACKER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);

/// Where the well-behaved client comes from: its own address, so no per-address limit an
/// attack reaches is its.
pub const PERSON: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// How long a well-behaved sign-in may take while an attack runs. Generous: it is there to
/// tell "served" from "starved" on a busy machine, not to measure speed.
pub const NORMAL: Duration = Duration::from_secs(20);

/// A beckon-server process (the binary, in development mode, on a SQLite file of its own)
/// under `prlimit --nofile=FILE_LIMIT`.
pub struct Server {
    pub addr: SocketAddr,
    pub base: String,
    pub project: String,
    metrics: String,
    pid: u32,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts it with `args` besides the suite's own, once it says where it listens.
    pub async fn start(args: &[&str]) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let database = format!("sqlite://{}", dir.path().join("beckon.db").display());
        let mut command = Command::new("prlimit");
        command
            .arg(format!("--nofile={FILE_LIMIT}:{FILE_LIMIT}"))
            .arg("--")
            .arg(env!("CARGO_BIN_EXE_beckon-server"))
            .args(["--dev", "--listen", "127.0.0.1:0", "--database", &database])
            .args(["--metrics-listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        // The server refuses BECKON_* variables it has no setting for; this run's are not
        // for it.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("BECKON_") {
                command.env_remove(name);
            }
        }
        command.env("BECKON_LOG", "beckon_server=error");
        let mut child = command.spawn().context("prlimit and beckon-server start")?;
        let pid = child.id().context("a process ID")?;
        let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
        let mut said = Vec::new();
        let metrics = loop {
            let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
                .await
                .context("beckon-server said nothing for 30 s")??
                .context("beckon-server ended before it listened")?;
            if let Some(url) = line.trim().strip_prefix("metrics:") {
                break url.trim().to_owned();
            }
            said.push(line.rsplit(' ').next().unwrap_or_default().to_owned());
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let base = said.first().context("the listen line")?.clone();
        Ok(Self {
            addr: base.trim_start_matches("http://").parse()?,
            project: said.get(1).context("the project line")?.clone(),
            base,
            metrics,
            pid,
            child,
            _dir: dir,
        })
    }

    /// Its resident memory now, in KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .context("VmRSS")
    }

    /// Its metrics, as text.
    pub async fn metrics(&self) -> anyhow::Result<String> {
        Ok(reqwest::get(&self.metrics).await?.text().await?)
    }

    /// How many series of the metric `name` it has.
    pub async fn series(&self, name: &str) -> anyhow::Result<usize> {
        let prefix = format!("{name}{{");
        let text = self.metrics().await?;
        Ok(text.lines().filter(|l| l.starts_with(&prefix)).count())
    }

    /// The sum of every series of `name`.
    pub async fn total(&self, name: &str) -> anyhow::Result<f64> {
        let text = self.metrics().await?;
        Ok(text
            .lines()
            .filter(|l| l.starts_with(name) && !l.starts_with(&format!("{name}_")))
            .filter_map(|l| l.rsplit_once(' ')?.1.parse::<f64>().ok())
            .sum())
    }

    /// Still running (not crashed under the attack).
    pub fn alive(&mut self) -> anyhow::Result<()> {
        match self.child.try_wait()? {
            None => Ok(()),
            Some(status) => bail!("the server exited under the attack: {status}"),
        }
    }

    /// A client from `from`.
    pub fn client(&self, from: Ipv4Addr) -> anyhow::Result<reqwest::Client> {
        Ok(reqwest::Client::builder()
            .local_address(IpAddr::V4(from))
            .timeout(NORMAL)
            .build()?)
    }

    /// POSTs `body` from `client`: status and JSON body.
    pub async fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        bearer: &str,
        body: Value,
    ) -> anyhow::Result<(u16, Value)> {
        let answer = client
            .post(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {bearer}"))
            .json(&body)
            .send()
            .await?;
        let status = answer.status().as_u16();
        Ok((status, answer.json().await.unwrap_or(Value::Null)))
    }

    /// A whole enchanted-link sign-in by a well-behaved client from [`PERSON`]: start, the
    /// right link from the outbox, confirm, collect. It must be done within [`NORMAL`].
    pub async fn signs_in(&self, email: &str) -> anyhow::Result<Value> {
        let started_at = Instant::now();
        let person = self.client(PERSON)?;
        let signed_in = async {
            let (status, started) = self
                .post(
                    &person,
                    "/v1/auth/enchantedlink/signup-in/email",
                    &self.project,
                    json!({"loginId": email}),
                )
                .await?;
            ensure!(
                status == 200,
                "starting a sign-in answered {status}: {started}"
            );
            let outbox: Value = person
                .get(format!("{}/dev/outbox", self.base))
                .send()
                .await?
                .json()
                .await?;
            let message = outbox
                .as_array()
                .and_then(|m| m.iter().find(|m| m["to"] == email))
                .context("the sign-in's message")?;
            let number = started["linkId"].as_str().unwrap_or_default();
            let url = beckon_testkit::link_numbered(&message["links"], number);
            let token = json!({"token": beckon_testkit::token_of(&url)});
            let (status, body) = self
                .post(
                    &person,
                    "/v1/auth/enchantedlink/verify",
                    &self.project,
                    token,
                )
                .await?;
            ensure!(status == 200, "confirming answered {status}: {body}");
            let poll = json!({"pendingRef": started["pendingRef"]});
            let (status, session) = self
                .post(
                    &person,
                    "/v1/auth/enchantedlink/pending-session",
                    &self.project,
                    poll,
                )
                .await?;
            ensure!(status == 200, "collecting answered {status}: {session}");
            Ok(session)
        };
        let session = tokio::time::timeout(NORMAL, signed_in)
            .await
            .with_context(|| format!("no sign-in within {NORMAL:?}"))??;
        let took = started_at.elapsed();
        ensure!(took <= NORMAL, "the sign-in took {took:?}");
        Ok(session)
    }
}

/// A TCP connection to `to` from `from`.
pub async fn connect(from: Ipv4Addr, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((from, 0)))?;
    socket.connect(to).await
}

/// Sends `request` on a new connection from [`ATTACKER`] and reads what comes back for at
/// most `within`: the answer's first bytes, or nothing when the server closed it unanswered.
pub async fn send_raw(to: SocketAddr, request: &[u8], within: Duration) -> Vec<u8> {
    let Ok(mut stream) = connect(ATTACKER, to).await else {
        return Vec::new();
    };
    if stream.write_all(request).await.is_err() {
        return Vec::new();
    }
    let mut answer = vec![0; 64];
    match tokio::time::timeout(within, stream.read(&mut answer)).await {
        Ok(Ok(n)) => {
            answer.truncate(n);
            answer
        }
        _ => Vec::new(),
    }
}

/// Runs `count` copies of `attack(i)`, `at_once` at a time, for at most `within`; then stops
/// whatever is left. How many ran to their end.
pub async fn flood<F, Fut>(count: usize, at_once: usize, within: Duration, attack: F) -> usize
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(at_once));
    let mut tasks = tokio::task::JoinSet::new();
    let deadline = tokio::time::Instant::now() + within;
    for i in 0..count {
        let Ok(Ok(permit)) =
            tokio::time::timeout_at(deadline, permits.clone().acquire_owned()).await
        else {
            break;
        };
        let one = attack(i);
        tasks.spawn(async move {
            one.await;
            drop(permit);
        });
    }
    let mut done = 0;
    while let Ok(Some(_)) = tokio::time::timeout_at(deadline, tasks.join_next()).await {
        done += 1;
    }
    tasks.shutdown().await;
    done
}
