//! Throughput with the default limits, as real clients meet them: sign-in starts (each a
//! message queued), confirms, and plain polls per second, from 32 connections at once, each
//! client address used for fewer requests than its per-IP limit allows and each login ID
//! once, so what is measured is the server's work, with any 429 counted apart.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::client::{address, Conn};

/// Connections at once.
pub const CONNECTIONS: usize = 32;

/// Requests per client address before moving to the next (under the default per-IP limits:
/// 30 sends, 60 verifications, 1 200 polls per window).
const STARTS_PER_ADDRESS: u32 = 25;
const CONFIRMS_PER_ADDRESS: u32 = 50;
const POLLS_PER_ADDRESS: u32 = 1000;

pub struct Rate {
    pub per_second: f64,
    pub refused: u64,
}

/// A started sign-in: its login, pendingRef and linkId.
#[derive(Clone)]
pub struct Started {
    pub email: String,
    pub pending_ref: String,
    pub link_id: String,
}

/// Starts sign-ins for `window`: the rate of successes, and the sign-ins started.
pub async fn starts(
    to: SocketAddr,
    project: &str,
    window: Duration,
    block: u8,
) -> anyhow::Result<(Rate, Vec<Started>)> {
    let started = Arc::new(Mutex::new(Vec::new()));
    let refused = Arc::new(AtomicU64::new(0));
    let next_address = Arc::new(AtomicUsize::new(0));
    let until = Instant::now() + window;
    let begun = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONNECTIONS {
        let (started, refused, next_address) =
            (started.clone(), refused.clone(), next_address.clone());
        let project = project.to_owned();
        workers.spawn(async move {
            while Instant::now() < until {
                let n = next_address.fetch_add(1, Ordering::Relaxed) as u32;
                let mut conn = Conn::open(address(block, n), to, &project).await?;
                for i in 0..STARTS_PER_ADDRESS {
                    if Instant::now() >= until {
                        break;
                    }
                    let email = format!("load.{block}.{n}.{i}@bench.example");
                    match conn.start(&email).await? {
                        Ok((pending_ref, link_id)) => started
                            .lock()
                            .map_err(|_| anyhow::anyhow!("lock"))?
                            .push(Started {
                                email,
                                pending_ref,
                                link_id,
                            }),
                        Err(_) => {
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }
            Ok::<(), anyhow::Error>(())
        });
    }
    while let Some(done) = workers.join_next().await {
        done??;
    }
    let elapsed = begun.elapsed().as_secs_f64();
    let started = std::mem::take(&mut *started.lock().map_err(|_| anyhow::anyhow!("lock"))?);
    let rate = Rate {
        per_second: started.len() as f64 / elapsed,
        refused: refused.load(Ordering::Relaxed),
    };
    Ok((rate, started))
}

/// Looks up every sign-in's right link (untimed), then confirms them as fast as it can.
pub async fn confirms(
    to: SocketAddr,
    project: &str,
    sign_ins: &[Started],
    block: u8,
) -> anyhow::Result<Rate> {
    // The tokens first, from the development outbox: not part of what is timed.
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let queue = Arc::new(Mutex::new(sign_ins.to_vec()));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONNECTIONS {
        let (tokens, queue, project) = (tokens.clone(), queue.clone(), project.to_owned());
        workers.spawn(async move {
            let mut conn = Conn::open(std::net::Ipv4Addr::LOCALHOST, to, &project).await?;
            loop {
                let next = queue.lock().map_err(|_| anyhow::anyhow!("lock"))?.pop();
                let Some(sign_in) = next else { break };
                let token = conn.token(&sign_in.email, &sign_in.link_id).await?;
                tokens
                    .lock()
                    .map_err(|_| anyhow::anyhow!("lock"))?
                    .push(token);
            }
            Ok::<(), anyhow::Error>(())
        });
    }
    while let Some(done) = workers.join_next().await {
        done??;
    }
    let tokens = Arc::new(Mutex::new(std::mem::take(
        &mut *tokens.lock().map_err(|_| anyhow::anyhow!("lock"))?,
    )));
    let total = tokens.lock().map_err(|_| anyhow::anyhow!("lock"))?.len();
    let confirmed = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let next_address = Arc::new(AtomicUsize::new(0));
    let begun = Instant::now();
    for _ in 0..CONNECTIONS {
        let (tokens, confirmed, refused) = (tokens.clone(), confirmed.clone(), refused.clone());
        let (next_address, project) = (next_address.clone(), project.to_owned());
        workers.spawn(async move {
            'addresses: loop {
                let n = next_address.fetch_add(1, Ordering::Relaxed) as u32;
                let mut conn = Conn::open(address(block, n), to, &project).await?;
                for _ in 0..CONFIRMS_PER_ADDRESS {
                    let next = tokens.lock().map_err(|_| anyhow::anyhow!("lock"))?.pop();
                    let Some(token) = next else { break 'addresses };
                    match conn.verify(&token).await? {
                        200 => confirmed.fetch_add(1, Ordering::Relaxed),
                        _ => refused.fetch_add(1, Ordering::Relaxed),
                    };
                }
            }
            Ok::<(), anyhow::Error>(())
        });
    }
    while let Some(done) = workers.join_next().await {
        done??;
    }
    let elapsed = begun.elapsed().as_secs_f64();
    anyhow::ensure!(total > 0, "no sign-in to confirm");
    Ok(Rate {
        per_second: confirmed.load(Ordering::Relaxed) as f64 / elapsed,
        refused: refused.load(Ordering::Relaxed),
    })
}

/// Plain polls (no `Prefer`) of pending sign-ins for `window`, each request spread over the
/// sign-ins so none passes its own limit.
pub async fn polls(
    to: SocketAddr,
    project: &str,
    pending: &[Started],
    window: Duration,
    block: u8,
) -> anyhow::Result<Rate> {
    anyhow::ensure!(!pending.is_empty(), "no pending sign-in to poll");
    let refs: Arc<Vec<String>> = Arc::new(pending.iter().map(|s| s.pending_ref.clone()).collect());
    let answered = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let next_address = Arc::new(AtomicUsize::new(0));
    let next_ref = Arc::new(AtomicUsize::new(0));
    let until = Instant::now() + window;
    let begun = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONNECTIONS {
        let (refs, answered, refused) = (refs.clone(), answered.clone(), refused.clone());
        let (next_address, next_ref, project) =
            (next_address.clone(), next_ref.clone(), project.to_owned());
        workers.spawn(async move {
            while Instant::now() < until {
                let n = next_address.fetch_add(1, Ordering::Relaxed) as u32;
                let mut conn = Conn::open(address(block, n), to, &project).await?;
                for _ in 0..POLLS_PER_ADDRESS {
                    if Instant::now() >= until {
                        break;
                    }
                    let i = next_ref.fetch_add(1, Ordering::Relaxed) % refs.len();
                    match conn.poll(&refs[i], None).await?.status {
                        401 => answered.fetch_add(1, Ordering::Relaxed),
                        _ => refused.fetch_add(1, Ordering::Relaxed),
                    };
                }
            }
            Ok::<(), anyhow::Error>(())
        });
    }
    while let Some(done) = workers.join_next().await {
        done??;
    }
    Ok(Rate {
        per_second: answered.load(Ordering::Relaxed) as f64 / begun.elapsed().as_secs_f64(),
        refused: refused.load(Ordering::Relaxed),
    })
}
