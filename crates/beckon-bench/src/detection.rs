//! How soon a waiting desktop learns of the tap: sign-ins confirmed at a random moment, timed
//! from the confirm's answer to the waiter holding the session. Waiters: the `beckon` SDK with
//! the held wait, the same SDK polling once a second, and Descope's Node SDK (the peer).

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use rand::Rng;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::oneshot;

use crate::client::Conn;
use crate::server::Server;

/// Milliseconds since 1970, to the microsecond: the one clock the Node peer shares with us.
pub fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default()
}

/// Who waits for the session.
#[derive(Clone)]
pub enum Waiter {
    /// `beckon`'s `wait_for_session`, asking to be held (the default).
    Held,
    /// The same, polling once a second (`hold: None`), as against Descope's cloud.
    Polling,
    /// Descope's Node SDK `waitForSession`.
    Node(Arc<NodePeer>),
}

impl Waiter {
    /// Starts waiting for `pending_ref` through `server`; resolves to the moment (epoch ms)
    /// the session was held.
    pub async fn wait(
        &self,
        server: &Server,
        pending_ref: beckon::Secret,
    ) -> anyhow::Result<oneshot::Receiver<anyhow::Result<f64>>> {
        let (tell, told) = oneshot::channel();
        match self {
            Waiter::Held | Waiter::Polling => {
                let client = server.sdk()?;
                let hold = matches!(self, Waiter::Held).then(|| Duration::from_secs(25));
                tokio::spawn(async move {
                    let options = beckon::WaitOptions::default()
                        .hold(hold)
                        .timeout(Duration::from_secs(120));
                    let waited = client
                        .enchanted_link()
                        .wait_for_session(&pending_ref, &options)
                        .await;
                    let at = epoch_ms();
                    let _ = tell.send(waited.map(|_| at).map_err(anyhow::Error::from));
                });
            }
            Waiter::Node(node) => node.wait_for(pending_ref.expose(), tell).await?,
        }
        Ok(told)
    }
}

/// One sign-in: started through `waits_on` and waited for there, confirmed through
/// `confirms_on` at a random moment 0.3–1.3 s later. The detection latency, in ms.
pub async fn trial(
    waiter: &Waiter,
    waits_on: &Server,
    confirms_on: &Server,
    email: &str,
) -> anyhow::Result<f64> {
    let sdk = waits_on.sdk()?;
    let request = sdk.enchanted_link().sign_up_or_in(email, None).await?;
    let done = waiter.wait(waits_on, request.pending_ref.clone()).await?;
    let mut phone = Conn::open(Ipv4Addr::LOCALHOST, confirms_on.addr, &confirms_on.project).await?;
    let token = phone.token(email, &request.link_id).await?;
    let delay = rand::thread_rng().gen_range(300..1300);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    let status = phone.verify(&token).await?;
    let answered = epoch_ms();
    if status != 200 {
        bail!("the confirm answered {status}");
    }
    let held = tokio::time::timeout(Duration::from_secs(30), done)
        .await
        .context("the waiter never held the session")?
        .context("the waiter ended")??;
    // A held wait may hold the session a moment before the confirm's own answer arrives.
    Ok((held - answered).max(0.0))
}

/// `count` trials, `at_once` at a time: their latencies.
pub async fn trials(
    waiter: &Waiter,
    waits_on: &Server,
    confirms_on: &Server,
    label: &str,
    count: usize,
    at_once: usize,
) -> anyhow::Result<Vec<f64>> {
    let mut latencies = Vec::with_capacity(count);
    let nonce: u32 = rand::thread_rng().gen();
    let mut n = 0;
    while latencies.len() < count {
        let batch = at_once.min(count - latencies.len());
        let runs = (0..batch).map(|i| {
            let email = format!("{label}.{nonce}.{}@bench.example", n + i);
            async move { trial(waiter, waits_on, confirms_on, &email).await }
        });
        for result in futures::future::join_all(runs).await {
            latencies.push(result?);
        }
        n += batch;
    }
    Ok(latencies)
}

/// Descope's Node SDK in a process of its own (`tests/conformance/node/bench-wait.mjs`),
/// waiting for the sessions it is given.
pub struct NodePeer {
    stdin: tokio::sync::Mutex<ChildStdin>,
    waiting: Arc<Mutex<HashMap<String, oneshot::Sender<anyhow::Result<f64>>>>>,
    _child: Child,
}

impl NodePeer {
    pub async fn start(node_dir: &Path, server: &Server) -> anyhow::Result<Self> {
        let mut child = Command::new("node")
            .arg("bench-wait.mjs")
            .args([&server.base, &server.project])
            .current_dir(node_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("cannot start node with tests/conformance/node/bench-wait.mjs")?;
        let stdin = child.stdin.take().context("piped stdin")?;
        let stdout = child.stdout.take().context("piped stdout")?;
        let waiting: Arc<Mutex<HashMap<String, oneshot::Sender<anyhow::Result<f64>>>>> =
            Arc::default();
        let answered = waiting.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let Some((pending_ref, at)) = line.split_once(' ') else {
                    continue;
                };
                let tell = answered.lock().ok().and_then(|mut w| w.remove(pending_ref));
                if let Some(tell) = tell {
                    let at: f64 = at.parse().unwrap_or(-1.0);
                    let result = if at < 0.0 {
                        Err(anyhow::anyhow!("the Node SDK's wait failed"))
                    } else {
                        Ok(at)
                    };
                    let _ = tell.send(result);
                }
            }
        });
        Ok(Self {
            stdin: tokio::sync::Mutex::new(stdin),
            waiting,
            _child: child,
        })
    }

    /// Waits for `pending_ref`; `tell` hears when (epoch ms).
    pub async fn wait_for(
        &self,
        pending_ref: &str,
        tell: oneshot::Sender<anyhow::Result<f64>>,
    ) -> anyhow::Result<()> {
        self.waiting
            .lock()
            .map_err(|_| anyhow::anyhow!("a poisoned lock"))?
            .insert(pending_ref.to_owned(), tell);
        let mut stdin = self.stdin.lock().await;
        stdin
            .write_all(format!("{pending_ref}\n").as_bytes())
            .await?;
        stdin.flush().await?;
        Ok(())
    }
}
