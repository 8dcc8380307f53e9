//! Held waits (docs/wire.md §4.5): a `pending-session` request that asked `Prefer: wait=N`
//! sleeps here until its sign-in request changes, instead of polling the database.
//!
//! The registry is keyed by the pendingRef's hash. A confirmation or a decline calls
//! [`Waits::wake`] once its change is committed: the waits held for that request in this
//! process wake at once, and on PostgreSQL a `NOTIFY` on [`CHANNEL`] tells every other
//! server sharing the database, whose listener ([`listen`]) wakes its own. A sleeping wait
//! costs no database work; each wake costs one read of its row.
//!
//! Nothing may be missed in between: a wait registers *before* it reads the row it will sleep
//! on (so a change committed after the read finds it registered), and every held wait reads
//! its row again after the listener reconnects (notifications sent while it was away are
//! lost), each after a random moment of up to [`RESYNC_SPREAD`], so a database that has
//! just come back is not asked for every row at once. On shutdown every held wait ends at
//! once.
//!
//! How many waits are held is capped, in all and per client address (an IPv4 address, an
//! IPv6 /64): a poll past either cap gets no [`Slot`] and is answered unheld, as a plain poll.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::domain::client::network_of;
use crate::store::Store;

/// The PostgreSQL channel confirmations are announced on; the payload is the pendingRef's
/// hash in hex.
pub const CHANNEL: &str = "beckon_pending";

/// Cancelled when the client of a request has gone (the accept loop puts one on each
/// request): a held poll stops waiting for it. Requests built without the accept loop
/// (tests calling the router) have none.
#[derive(Clone, Debug)]
pub struct ClientGone(pub CancellationToken);

/// The waits held in this process.
#[derive(Clone)]
pub struct Waits {
    inner: Arc<Inner>,
}

/// The most waits held at once: in all, and for one client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub total: usize,
    pub per_address: usize,
}

impl Caps {
    /// No cap, for tests of the registry alone.
    pub const NONE: Caps = Caps {
        total: usize::MAX,
        per_address: usize::MAX,
    };
}

/// The most waits `max_connections` connections may hold: a held wait keeps its connection
/// busy, and a busy connection is never closed for a newcomer, so a tenth of them, and at
/// least 64 (half, below 128), are always left for everything else.
pub fn most_held_on(max_connections: usize) -> usize {
    let kept = (max_connections / 10).max(64.min(max_connections / 2));
    max_connections - kept
}

/// The longest a held wait waits before reading its row again after a reconnect.
pub const RESYNC_SPREAD: Duration = Duration::from_millis(1500);

struct Inner {
    /// One counter per request that someone waits on; bumped on each change.
    by_request: Mutex<HashMap<Vec<u8>, Entry>>,
    /// The slots taken, in all and by address (`None`: a request without one).
    slots: Mutex<Slots>,
    caps: Caps,
    /// Bumped when every wait must read its row again (the listener reconnected).
    everyone: watch::Sender<u64>,
    stopping: CancellationToken,
}

struct Entry {
    changed: watch::Sender<u64>,
    waiters: usize,
}

#[derive(Default)]
struct Slots {
    total: usize,
    by_address: HashMap<Option<IpAddr>, usize>,
}

/// The right to hold one wait, within the caps; given back when dropped.
pub struct Slot {
    address: Option<IpAddr>,
    waits: Waits,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut slots = self.waits.slots();
        slots.total -= 1;
        if let Some(n) = slots.by_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                slots.by_address.remove(&self.address);
            }
        }
    }
}

/// Why a held wait woke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woke {
    /// Its request may have changed: read it again.
    Changed,
    /// Its time is up.
    TimeUp,
    /// The server is stopping.
    Stopping,
}

impl Waits {
    /// A registry within `caps`, whose waits all end when `stopping` is cancelled.
    pub fn new(stopping: CancellationToken, caps: Caps) -> Self {
        Self {
            inner: Arc::new(Inner {
                by_request: Mutex::new(HashMap::new()),
                slots: Mutex::new(Slots::default()),
                caps,
                everyone: watch::channel(0).0,
                stopping,
            }),
        }
    }

    /// A slot to hold a wait for a client at `ip`; `None` past a cap (the poll is then
    /// answered unheld).
    pub fn slot(&self, ip: Option<IpAddr>) -> Option<Slot> {
        let address = ip.map(network_of);
        let mut slots = self.slots();
        let of_address = slots.by_address.get(&address).copied().unwrap_or(0);
        if slots.total >= self.inner.caps.total || of_address >= self.inner.caps.per_address {
            return None;
        }
        slots.total += 1;
        *slots.by_address.entry(address).or_insert(0) += 1;
        Some(Slot {
            address,
            waits: self.clone(),
        })
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        // Counts changed by one line each: a panic cannot leave them half-changed.
        self.inner
            .slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a wait on the request whose pendingRef hashes to `ref_hash`. Every change
    /// announced from now on wakes it, even one announced before it sleeps.
    pub fn register(&self, ref_hash: &[u8]) -> Waiter {
        let mut map = self.lock();
        let entry = map.entry(ref_hash.to_vec()).or_insert_with(|| Entry {
            changed: watch::channel(0).0,
            waiters: 0,
        });
        entry.waiters += 1;
        Waiter {
            changed: entry.changed.subscribe(),
            everyone: self.inner.everyone.subscribe(),
            stopping: self.inner.stopping.clone(),
            ref_hash: ref_hash.to_vec(),
            waits: self.clone(),
        }
    }

    /// Announces that a request changed (confirmed or declined): wakes its waits here and,
    /// on PostgreSQL, on every other server. A failed announcement is logged: the other
    /// servers' waits then end at their time and their clients ask again.
    pub async fn wake(&self, store: &Store, ref_hash: &[u8]) {
        self.wake_here(ref_hash);
        if let Err(error) = store.announce(CHANNEL, &hex::encode(ref_hash)).await {
            tracing::warn!(%error, "could not tell the other servers a sign-in changed");
        }
    }

    /// Wakes the waits held in this process for one request.
    pub fn wake_here(&self, ref_hash: &[u8]) {
        if let Some(entry) = self.lock().get(ref_hash) {
            entry.changed.send_modify(|n| *n += 1);
        }
    }

    /// Wakes every held wait to read its row again.
    pub fn wake_everyone(&self) {
        self.inner.everyone.send_modify(|n| *n += 1);
    }

    /// How many waits are held now.
    pub fn held(&self) -> usize {
        self.lock().values().map(|e| e.waiters).sum()
    }

    /// Whether the server is stopping (no new wait is held).
    pub fn stopping(&self) -> bool {
        self.inner.stopping.is_cancelled()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u8>, Entry>> {
        // A panic while holding this lock leaves the map whole: take it as it is.
        self.inner
            .by_request
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One held wait; unregisters when dropped (also when its client hangs up).
pub struct Waiter {
    changed: watch::Receiver<u64>,
    everyone: watch::Receiver<u64>,
    stopping: CancellationToken,
    ref_hash: Vec<u8>,
    waits: Waits,
}

impl Waiter {
    /// Sleeps until a change is announced (since registering, or since the last wake), the
    /// time is up, or the server stops or the client goes (`gone`).
    pub async fn sleep(&mut self, at_most: Duration, gone: &CancellationToken) -> Woke {
        if self.stopping.is_cancelled() {
            return Woke::Stopping;
        }
        tokio::select! {
            biased;
            _ = self.stopping.cancelled() => Woke::Stopping,
            _ = gone.cancelled() => Woke::Stopping,
            _ = self.changed.changed() => Woke::Changed,
            _ = self.everyone.changed() => self.resync_after_a_moment().await,
            _ = tokio::time::sleep(at_most) => Woke::TimeUp,
        }
    }

    /// Every wait reads again after a reconnect: each after its own random moment, unless
    /// its own request changes first.
    async fn resync_after_a_moment(&mut self) -> Woke {
        let moment = rand::Rng::gen_range(&mut rand::thread_rng(), Duration::ZERO..=RESYNC_SPREAD);
        tokio::select! {
            biased;
            _ = self.stopping.cancelled() => Woke::Stopping,
            _ = self.changed.changed() => Woke::Changed,
            _ = tokio::time::sleep(moment) => Woke::Changed,
        }
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        let mut map = self.waits.lock();
        if let Some(entry) = map.get_mut(&self.ref_hash) {
            entry.waiters -= 1;
            if entry.waiters == 0 {
                map.remove(&self.ref_hash);
            }
        }
    }
}

/// How long the listener waits before connecting again after losing PostgreSQL.
const RECONNECT_AFTER: Duration = Duration::from_millis(500);

/// On PostgreSQL: listens on [`CHANNEL`] for changes announced by any server sharing the
/// database, and wakes the waits held here, until `stopping`. After every (re)connection,
/// once it listens, every held wait reads its row again.
pub async fn listen(url: String, waits: Waits, stopping: CancellationToken) {
    let mut first = true;
    loop {
        let connected = async {
            let mut listener = sqlx::postgres::PgListener::connect(&url).await?;
            listener.ignore_pool_close_event(true);
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            _ = stopping.cancelled() => return,
            connected = connected => match connected {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for other servers' confirmations; trying again");
                    tokio::select! {
                        _ = stopping.cancelled() => return,
                        _ = tokio::time::sleep(RECONNECT_AFTER) => continue,
                    }
                }
            },
        };
        if !first {
            tracing::info!("listening for other servers' confirmations again");
        }
        first = false;
        // Anything announced while this listener was not there is lost: read again.
        waits.wake_everyone();
        loop {
            let received = tokio::select! {
                _ = stopping.cancelled() => return,
                received = listener.try_recv() => received,
            };
            match received {
                Ok(Some(notification)) => match hex::decode(notification.payload()) {
                    Ok(ref_hash) => waits.wake_here(&ref_hash),
                    Err(_) => tracing::warn!("an announcement on {CHANNEL} that is not hex"),
                },
                // The connection was lost: connect afresh, and only then read again.
                Ok(None) | Err(_) => {
                    tracing::warn!(
                        "lost the connection that listens for other servers' confirmations"
                    );
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> CancellationToken {
        CancellationToken::new()
    }

    #[tokio::test]
    async fn a_wake_before_the_sleep_is_not_lost_and_a_drop_unregisters() {
        let waits = Waits::new(CancellationToken::new(), Caps::NONE);
        let mut waiter = waits.register(b"one");
        let mut other = waits.register(b"two");
        assert_eq!(waits.held(), 2);
        waits.wake_here(b"one");
        assert_eq!(
            waiter.sleep(Duration::from_secs(30), &never()).await,
            Woke::Changed
        );
        assert_eq!(
            other.sleep(Duration::from_millis(1), &never()).await,
            Woke::TimeUp
        );
        drop(waiter);
        drop(other);
        assert_eq!(waits.held(), 0);
    }

    #[test]
    fn held_waits_always_leave_connections_for_everything_else() {
        assert_eq!(most_held_on(16), 8);
        assert_eq!(most_held_on(128), 64);
        assert_eq!(most_held_on(2_200), 1_980);
        assert_eq!(most_held_on(65_408), 58_868);
    }

    #[test]
    fn a_cap_counts_an_ipv6_network_as_one_address() {
        let waits = Waits::new(
            CancellationToken::new(),
            Caps {
                total: 3,
                per_address: 1,
            },
        );
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        let one = waits.slot(ip("2001:db8:0:1::1")).unwrap();
        assert!(
            waits.slot(ip("2001:db8:0:1::ffff")).is_none(),
            "the same /64"
        );
        let _two = waits.slot(ip("192.0.2.1")).unwrap();
        assert!(
            waits.slot(ip("::ffff:192.0.2.1")).is_none(),
            "the same IPv4 address"
        );
        let _three = waits.slot(ip("2001:db8:0:2::1")).unwrap();
        assert!(waits.slot(ip("192.0.2.9")).is_none(), "three in all");
        drop(one);
        assert!(waits.slot(ip("2001:db8:0:1::1")).is_some(), "given back");
    }

    #[tokio::test]
    async fn everyone_wakes_on_a_resync_and_on_a_stop() {
        let stopping = CancellationToken::new();
        let waits = Waits::new(stopping.clone(), Caps::NONE);
        let mut waiter = waits.register(b"one");
        waits.wake_everyone();
        assert_eq!(
            waiter.sleep(Duration::from_secs(30), &never()).await,
            Woke::Changed
        );
        stopping.cancel();
        assert_eq!(
            waiter.sleep(Duration::from_secs(30), &never()).await,
            Woke::Stopping
        );
    }

    /// After a reconnect every held wait reads its row again: spread over a second or more,
    /// not all at once on a database that has just come back.
    #[tokio::test(start_paused = true)]
    async fn a_resync_spreads_the_reads_over_a_second_or_more() {
        let waits = Waits::new(CancellationToken::new(), Caps::NONE);
        let mut woken = Vec::new();
        for i in 0..100u32 {
            let mut waiter = waits.register(&i.to_be_bytes());
            woken.push(tokio::spawn(async move {
                let woke = waiter.sleep(Duration::from_secs(30), &never()).await;
                (woke, tokio::time::Instant::now())
            }));
        }
        tokio::task::yield_now().await;
        let start = tokio::time::Instant::now();
        waits.wake_everyone();
        let mut at = Vec::new();
        for task in woken {
            let (woke, when) = task.await.unwrap();
            assert_eq!(woke, Woke::Changed);
            at.push(when - start);
        }
        let (first, last) = (at.iter().min().unwrap(), at.iter().max().unwrap());
        assert!(
            *last - *first >= Duration::from_secs(1),
            "re-reads from {first:?} to {last:?}"
        );
        assert!(
            *last <= Duration::from_secs(2),
            "the last re-read at {last:?}"
        );
    }
}
