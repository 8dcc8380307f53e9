//! The open connections: how many there may be (`max_connections`), which to close for a new
//! one, and each one's permits for the requests it has under way
//! (`max_requests_per_connection`).
//!
//! A connection is idle when none of its permits is taken: no request of it has work under
//! way (one waiting for its first request, or between two on a kept-alive connection). Past
//! the cap the oldest idle one is closed for the newcomer, since a connection that sends
//! nothing is the cheapest way to hold a descriptor; when every connection is busy the
//! newcomer is refused instead, so the work under way is never cut.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::support::metrics::{Metrics, Shed};

/// The connections open on one listener.
pub(super) struct Connections {
    open: Mutex<Open>,
    cap: usize,
    permits_each: usize,
    metrics: Option<Metrics>,
    /// When the log last said that connections were shed.
    said: Mutex<Option<Instant>>,
}

struct Open {
    next: u64,
    by_age: BTreeMap<u64, Arc<Connection>>,
}

/// One open connection, as its requests and the registry see it.
pub(super) struct Connection {
    permits: Arc<Semaphore>,
    permits_each: usize,
    /// Cancelled to close the connection (gracefully: work under way finishes).
    pub(super) stop: CancellationToken,
    last_request: Mutex<Instant>,
}

impl Connection {
    /// Waits for one of the connection's permits: held by a request's work until it ends.
    pub(super) async fn permit(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let permit = self.permits.clone().acquire_owned().await.ok()?;
        *lock(&self.last_request) = Instant::now();
        Some(permit)
    }

    /// How many requests it may have under way at once.
    pub(super) fn permits_each(&self) -> usize {
        self.permits_each
    }

    /// No request of this connection has work under way.
    pub(super) fn idle(&self) -> bool {
        self.permits.available_permits() == self.permits_each
    }

    /// Idle, and no request has started for `for_at_least`.
    pub(super) fn idle_for(&self, for_at_least: Duration) -> bool {
        self.idle() && lock(&self.last_request).elapsed() >= for_at_least
    }
}

/// A connection's place among the open ones, given up when dropped.
pub(super) struct Admitted {
    id: u64,
    pub(super) connection: Arc<Connection>,
    connections: Arc<Connections>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        lock(&self.connections.open).by_age.remove(&self.id);
        if let Some(metrics) = &self.connections.metrics {
            metrics.connections_open(-1);
        }
    }
}

impl Connections {
    /// At most `cap` connections, each with `permits_each` requests at once.
    pub(super) fn new(cap: usize, permits_each: usize, metrics: Option<Metrics>) -> Arc<Self> {
        Arc::new(Self {
            open: Mutex::new(Open {
                next: 0,
                by_age: BTreeMap::new(),
            }),
            cap,
            permits_each,
            metrics,
            said: Mutex::new(None),
        })
    }

    /// A place for a new connection, closing the oldest idle one when at the cap; `None`
    /// (the new one is to be closed) when every open connection is busy. `stopping` is the
    /// server's: a connection also stops with it.
    pub(super) fn admit(self: &Arc<Self>, stopping: &CancellationToken) -> Option<Admitted> {
        let mut open = lock(&self.open);
        if open.by_age.len() >= self.cap {
            let oldest_idle = open
                .by_age
                .iter()
                .find(|(_, c)| c.idle())
                .map(|(id, _)| *id);
            let Some(id) = oldest_idle else {
                drop(open);
                self.shed(Shed::Refused);
                return None;
            };
            if let Some(closed) = open.by_age.remove(&id) {
                closed.stop.cancel();
            }
            drop(open);
            self.shed(Shed::ClosedIdle);
            open = lock(&self.open);
        }
        let id = open.next;
        open.next += 1;
        let connection = Arc::new(Connection {
            permits: Arc::new(Semaphore::new(self.permits_each)),
            permits_each: self.permits_each,
            stop: stopping.child_token(),
            last_request: Mutex::new(Instant::now()),
        });
        open.by_age.insert(id, connection.clone());
        drop(open);
        if let Some(metrics) = &self.metrics {
            metrics.connections_open(1);
        }
        Some(Admitted {
            id,
            connection,
            connections: self.clone(),
        })
    }

    /// Counts a connection closed at the cap, and says so in the log at most once a minute.
    fn shed(&self, shed: Shed) {
        if let Some(metrics) = &self.metrics {
            metrics.connection_shed(shed);
        }
        if once_a_minute(&self.said) {
            tracing::warn!(
                max_connections = self.cap,
                ?shed,
                "at max_connections: closing connections (counted in beckon_connections_shed_total)"
            );
        }
    }
}

/// True at most once a minute for one `said`: for a warning a flood would otherwise repeat.
pub(super) fn once_a_minute(said: &Mutex<Option<Instant>>) -> bool {
    let mut said = lock(said);
    match *said {
        Some(at) if at.elapsed() < Duration::from_secs(60) => false,
        _ => {
            *said = Some(Instant::now());
            true
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Nothing here is left half-changed by a panic: take the value as it is.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_oldest_idle_connection_makes_room_and_a_busy_one_never_does() {
        let stopping = CancellationToken::new();
        let connections = Connections::new(2, 1, None);
        let first = connections.admit(&stopping).unwrap();
        let second = connections.admit(&stopping).unwrap();
        let _busy = second.connection.permit().await.unwrap();
        let third = connections.admit(&stopping).unwrap();
        assert!(first.connection.stop.is_cancelled(), "the oldest idle one");
        assert!(!second.connection.stop.is_cancelled(), "a busy one stays");
        let _busy_too = third.connection.permit().await.unwrap();
        assert!(connections.admit(&stopping).is_none(), "all busy: refused");
        drop(first);
        assert!(connections.admit(&stopping).is_none(), "still two open");
    }

    #[test]
    fn a_flood_is_said_once_a_minute() {
        let said = Mutex::new(None);
        assert!(once_a_minute(&said));
        assert!(!once_a_minute(&said));
    }
}
