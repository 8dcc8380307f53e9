//! Many desktops waiting at once on one SQLite server with its default limits: each from a
//! loopback address of its own, with a login ID of its own, holding a poll and asking again
//! the moment it is answered, as the `beckon` SDK does. Measured while they wait: the
//! server's memory, its CPU time, and the detection latency of sign-ins confirmed among them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;

use crate::client::{address, Conn};
use crate::detection::epoch_ms;
use crate::server::Server;

/// Probe sign-ins confirmed at once among the crowd.
const PROBES_AT_ONCE: usize = 5;

/// One sign-in among the crowd, by a desktop like the others (its own address, a held poll
/// asked again the moment it is answered) and confirmed from another address at a random
/// moment: from the confirm's answer to the desktop holding the session, in ms.
async fn probe(server: &Server, block: u8, n: u32) -> anyhow::Result<f64> {
    let email = format!("probe.{block}.{n}@bench.example");
    let mut desktop = Conn::open(address(block, n), server.addr, &server.project).await?;
    let (pending_ref, link_id) = desktop
        .start(&email)
        .await?
        .map_err(|status| anyhow::anyhow!("a probe's start was refused with {status}"))?;
    let waiting = tokio::spawn(async move {
        loop {
            let answer = desktop.poll(&pending_ref, Some(25)).await?;
            match answer.status {
                200 => return Ok(epoch_ms()),
                401 => {}
                other => anyhow::bail!("a probe's held poll answered {other}"),
            }
        }
    });
    // The phone: an address of its own in the next block.
    let mut phone = Conn::open(address(block + 1, n), server.addr, &server.project).await?;
    let token = phone.token(&email, &link_id).await?;
    let delay = rand::thread_rng().gen_range(300..1300);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    anyhow::ensure!(
        phone.verify(&token).await? == 200,
        "a probe's confirm was refused"
    );
    let answered = epoch_ms();
    let held = tokio::time::timeout(Duration::from_secs(30), waiting).await???;
    Ok((held - answered).max(0.0))
}

pub struct Crowd {
    pub desktops: usize,
    pub rss_mib: f64,
    /// What each waiting desktop costs the server: (RSS with them all held − RSS with none)
    /// / desktops, in KiB.
    pub kib_per_desktop: f64,
    pub cpu_per_minute: f64,
    pub detection: Vec<f64>,
    /// Starts or polls refused with 429 while the crowd gathered and waited.
    pub refused: u64,
}

/// `desktops` waiting on `server` (fresh, default limits): measured over `window`, then
/// `probes` sign-ins confirmed among them.
pub async fn measure(
    server: &Server,
    desktops: usize,
    window: Duration,
    probes: usize,
    block: u8,
) -> anyhow::Result<Crowd> {
    let rss_before = server.rss_mib()?;
    let refused = Arc::new(AtomicU64::new(0));
    // Desktops start their sign-ins 64 at a time (the server's own pace decides the rest).
    let starting = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..desktops {
        let (addr, project) = (server.addr, server.project.clone());
        let (refused, starting) = (refused.clone(), starting.clone());
        tasks.spawn(async move {
            let from = address(block, n as u32);
            let permit = starting.acquire_owned().await;
            let mut conn = Conn::open(from, addr, &project).await?;
            let email = format!("crowd.{block}.{n}@bench.example");
            let pending_ref = match conn.start(&email).await? {
                Ok((pending_ref, _)) => pending_ref,
                Err(status) => {
                    refused.fetch_add(1, Ordering::Relaxed);
                    anyhow::bail!("a start was refused with {status}");
                }
            };
            drop(permit);
            loop {
                let answer = conn.poll(&pending_ref, Some(25)).await?;
                match answer.status {
                    401 if answer.held => {}
                    401 => anyhow::bail!("the server did not hold a poll"),
                    429 => {
                        refused.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    other => anyhow::bail!("a held poll answered {other}"),
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), anyhow::Error>(())
        });
    }
    // All started and held (the server's metrics count them).
    let gathering = Instant::now();
    while server.held().await? < desktops as u64 {
        if let Some(Ok(Err(error))) = tasks.try_join_next() {
            return Err(error.context("a desktop failed"));
        }
        anyhow::ensure!(
            gathering.elapsed() < Duration::from_secs(300),
            "{desktops} desktops did not all wait within 5 minutes"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cpu_before = server.cpu_seconds()?;
    let started = Instant::now();
    tokio::time::sleep(window).await;
    let cpu = server.cpu_seconds()? - cpu_before;
    let cpu_per_minute = cpu * 60.0 / started.elapsed().as_secs_f64();
    let rss_mib = server.rss_mib()?;
    let mut detection = Vec::with_capacity(probes);
    for round in 0..probes.div_ceil(PROBES_AT_ONCE) {
        let batch = (0..PROBES_AT_ONCE.min(probes - round * PROBES_AT_ONCE)).map(|i| {
            let n = (desktops + round * PROBES_AT_ONCE + i) as u32;
            probe(server, block, n)
        });
        for latency in futures::future::join_all(batch).await {
            detection.push(latency?);
        }
    }
    tasks.abort_all();
    Ok(Crowd {
        desktops,
        kib_per_desktop: (rss_mib - rss_before) * 1024.0 / desktops as f64,
        rss_mib,
        cpu_per_minute,
        detection,
        refused: refused.load(Ordering::Relaxed),
    })
}
