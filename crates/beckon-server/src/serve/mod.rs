//! Serving the router on a socket: HTTP/1.1 (and HTTP/2 in clear when the `http2` setting
//! asks), with the client's address for every request, a deadline for each request's headers,
//! caps on connections and on the requests under way, and a graceful stop.
//!
//! Each request runs in a task of its own, so a client that goes away mid-request does not
//! cut its work in half: hyper drops a connection's request future when the client hangs up,
//! and a query dropped midway can cost its database connection (an in-memory SQLite database
//! with it). The request finishes; only its answer has nowhere to go.
//!
//! `axum::serve` has no header timeout, so a client that trickles its headers one byte at a
//! time (slowloris) held a connection open for as long as it liked. Here a request's head must
//! be in within [`HEADER_READ_TIMEOUT`] of the connection opening (hyper's deadline runs from
//! its first read), or of the answer before on a kept-alive one; with HTTP/2 on, the bytes
//! that tell the two versions apart must be in by then, and the head within that time again.
//! The body and the handler are bounded by the router's own time limit
//! (`http::REQUEST_TIMEOUT`).
//!
//! What one client can hold is bounded (docs/operations.md, "Limits"): open connections
//! (`max_connections`, see [`connections`]), the requests one connection has under way
//! (`max_requests_per_connection`: each request's task holds a permit of its connection until
//! its work ends, so an HTTP/2 stream reset by its client still counts, and a request whose
//! client has gone before it gets a permit never starts), and the requests under way over
//! all connections (`max_requests_in_flight`; held waits apart, which `waits` caps).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulConnection;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::config::Serving;
use crate::support::metrics::Metrics;
use crate::waits::ClientGone;
use connections::{once_a_minute, Admitted, Connection, Connections};

mod connections;

/// The longest a client may take to send a request's headers, from the connection's start
/// or the answer before.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a request's head (request line and headers) may be: a larger one is answered
/// `431` (HTTP/1.1) or refused (HTTP/2). hyper's own default is about 400 KiB, each of which a
/// client could make the server hold per connection; the official SDKs send under 2 KiB.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// An HTTP/2 connection with no request for this long is closed.
pub const HTTP2_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How often an HTTP/2 connection is pinged, and how long its answer may take.
const HTTP2_KEEP_ALIVE: Duration = Duration::from_secs(20);

/// How long requests under way may run on after a stop is asked for.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(35);

/// Descriptors kept for the database, the log and the listeners when `max_connections` is
/// derived from the file limit.
const KEPT_DESCRIPTORS: u64 = 128;

/// Raises this process's soft limit on open files to its hard limit (as Go's runtime does):
/// the soft limit is often 1 024, which a thousand idle sockets would use up. The limit after.
pub fn raise_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(limit) => Some(limit),
            Err(error) => {
                tracing::warn!(%error, "could not raise the open-file limit");
                rlimit::getrlimit(rlimit::Resource::NOFILE)
                    .ok()
                    .map(|(soft, _)| soft)
            }
        }
    }
    #[cfg(not(unix))]
    None
}

/// `max_connections` when it is not set: the file limit less what the server keeps for
/// itself, and at least 16.
pub fn default_max_connections(file_limit: Option<u64>) -> usize {
    let limit = file_limit.unwrap_or(1024).saturating_sub(KEPT_DESCRIPTORS);
    usize::try_from(limit).unwrap_or(usize::MAX).max(16)
}

/// The cap on open connections: `max_connections` when it is set, else what the file limit
/// leaves room for ([`default_max_connections`]). The limit is raised to its hard one first,
/// and a cap above what it leaves room for is warned about.
pub fn connection_cap(max_connections: Option<usize>) -> usize {
    let file_limit = raise_file_limit();
    let room = default_max_connections(file_limit);
    let cap = max_connections.unwrap_or(room);
    if cap > room {
        tracing::warn!(
            max_connections = cap,
            file_limit,
            "max_connections is more than the open-file limit leaves room for: past about \
             {room} connections new ones fail to be accepted. Raise the limit (LimitNOFILE, \
             ulimit -n) or lower max_connections"
        );
    }
    cap
}

/// The limits of the metrics listener: a scraper or two, one request at a time each.
pub fn metrics_serving() -> Serving {
    Serving {
        http2: false,
        max_connections: Some(16),
        max_requests_per_connection: 1,
        max_requests_in_flight: 16,
    }
}

/// Serves `router` on `listener` until `shutdown`, within `serving`'s limits; then stops
/// accepting and lets the requests under way finish. `metrics` counts its connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
    serving: &Serving,
    metrics: Option<Metrics>,
) -> std::io::Result<()> {
    let cap = serving
        .max_connections
        .unwrap_or_else(|| connection_cap(None));
    let shared = Arc::new(Shared {
        router,
        http2: serving.http2,
        in_flight: Arc::new(Semaphore::new(serving.max_requests_in_flight)),
        shed_said: Mutex::new(None),
        metrics: metrics.clone(),
    });
    let connections = Connections::new(cap, serving.max_requests_per_connection, metrics);
    let tasks = TaskTracker::new();
    loop {
        let (stream, remote) = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin, and go on.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Past the cap with every connection busy: closed unanswered (counted and logged).
        let Some(admitted) = connections.admit(&shutdown) else {
            continue;
        };
        tasks.spawn(shared.clone().connection(stream, remote, admitted));
    }
    drop(listener);
    tasks.close();
    if tokio::time::timeout(DRAIN_TIMEOUT, tasks.wait())
        .await
        .is_err()
    {
        tracing::warn!("requests still under way after {DRAIN_TIMEOUT:?}; stopping anyway");
    }
    Ok(())
}

/// What every connection of one listener shares.
struct Shared {
    router: Router,
    http2: bool,
    /// `max_requests_in_flight`'s permits.
    in_flight: Arc<Semaphore>,
    /// When the log last said requests were shed.
    shed_said: Mutex<Option<Instant>>,
    metrics: Option<Metrics>,
}

/// The HTTP version a connection speaks.
enum Version {
    Http1,
    Http2,
}

/// HTTP/2's connection preface (RFC 9113 §3.4), with which a client that knows the server
/// speaks HTTP/2 opens.
const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Tells the versions apart by the connection's first bytes, without taking them. A client
/// that stops inside the preface is left to the caller's deadline.
async fn sniff(stream: &TcpStream) -> std::io::Result<Version> {
    let mut first = [0; PREFACE.len()];
    loop {
        let n = stream.peek(&mut first).await?;
        if n == 0 || first[..n] != PREFACE[..n] {
            return Ok(Version::Http1);
        }
        if n == PREFACE.len() {
            return Ok(Version::Http2);
        }
        // Part of the preface: `peek` answers at once until more comes.
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

impl Shared {
    /// Serves one connection until it ends, is closed at the cap, or the server stops.
    async fn connection(
        self: Arc<Self>,
        stream: TcpStream,
        remote: std::net::SocketAddr,
        admitted: Admitted,
    ) {
        let connection = admitted.connection.clone();
        let stop = connection.stop.clone();
        let version = if self.http2 {
            tokio::select! {
                _ = stop.cancelled() => return,
                sniffed = tokio::time::timeout(HEADER_READ_TIMEOUT, sniff(&stream)) => match sniffed {
                    Ok(Ok(version)) => version,
                    // Silent past the deadline, or gone.
                    Ok(Err(_)) | Err(_) => return,
                },
            }
        } else {
            Version::Http1
        };
        let service = {
            let shared = self.clone();
            let connection = connection.clone();
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                shared.clone().request(request, remote, connection.clone())
            })
        };
        let io = TokioIo::new(stream);
        let ended = match version {
            Version::Http1 => {
                let served = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT)
                    .max_buf_size(MAX_HEADER_BYTES)
                    .serve_connection(io, service);
                drive(served, &stop, None).await
            }
            Version::Http2 => {
                let served = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .timer(TokioTimer::new())
                    .keep_alive_interval(HTTP2_KEEP_ALIVE)
                    .keep_alive_timeout(HTTP2_KEEP_ALIVE)
                    .max_header_list_size(u32::try_from(MAX_HEADER_BYTES).unwrap_or(u32::MAX))
                    .max_concurrent_streams(
                        u32::try_from(connection.permits_each()).unwrap_or(u32::MAX),
                    )
                    .serve_connection(io, service);
                // Boxed: an HTTP/2 connection's state is several times an HTTP/1.1 one's, and
                // inline it would size every connection's task.
                Box::pin(drive(served, &stop, Some(&connection))).await
            }
        };
        if let Err(error) = ended {
            tracing::debug!(%error, %remote, "connection ended with an error");
        }
        drop(admitted);
    }

    /// One request: waits for a permit of its connection, is shed past the in-flight cap,
    /// and runs in a task of its own that holds both permits until its work ends.
    async fn request(
        self: Arc<Self>,
        request: hyper::Request<Incoming>,
        remote: std::net::SocketAddr,
        connection: Arc<Connection>,
    ) -> Result<axum::response::Response, std::convert::Infallible> {
        let mut request = with_own_head(request);
        request.extensions_mut().insert(ConnectInfo(remote));
        // Cancelled if hyper drops this answer unsent (the client hung up, or reset its
        // stream): a held poll then stops waiting for nobody, and a request still waiting
        // for its permit never starts.
        let gone = CancellationToken::new();
        request.extensions_mut().insert(ClientGone(gone.clone()));
        let _hung_up = gone.drop_guard();
        let Some(own) = connection.permit().await else {
            return Ok(
                crate::http::error::ApiError::internal("a connection's permits closed")
                    .into_response(),
            );
        };
        let shared = if crate::http::asks_to_be_held(&request) {
            None
        } else {
            match self.in_flight.clone().try_acquire_owned() {
                Ok(permit) => Some(permit),
                Err(_) => return Ok(self.shed(request.uri().path())),
            }
        };
        let router = self.router.clone();
        let handled = tokio::spawn(async move {
            let _permits = (own, shared);
            router.oneshot(request).await
        });
        match handled.await {
            Ok(answered) => answered,
            Err(error) => Ok(crate::http::error::ApiError::internal(format!(
                "a request's task ended: {error}"
            ))
            .into_response()),
        }
    }

    /// The answer to a request past `max_requests_in_flight`.
    fn shed(&self, path: &str) -> axum::response::Response {
        if let Some(metrics) = &self.metrics {
            metrics.request_shed();
        }
        if once_a_minute(&self.shed_said) {
            tracing::warn!(
                "at max_requests_in_flight: answering requests at once, unserved \
                 (counted in beckon_requests_shed_total)"
            );
        }
        crate::http::error::ApiError::busy(path, 1).into_response()
    }
}

/// `request` with a head of its own. hyper's header values and URI are slices of the
/// connection's 8 KiB read buffer, which they keep alive for as long as the request lives
/// while hyper takes another for its next read: a held wait would keep both. Copied, the
/// head costs what it holds, some hundred bytes.
fn with_own_head(request: hyper::Request<Incoming>) -> hyper::Request<Incoming> {
    let (mut head, body) = request.into_parts();
    head.headers = head
        .headers
        .iter()
        .filter_map(|(name, value)| {
            let value = axum::http::HeaderValue::from_bytes(value.as_bytes()).ok()?;
            Some((name.clone(), value))
        })
        .collect();
    if let Ok(uri) = axum::http::Uri::try_from(head.uri.to_string()) {
        head.uri = uri;
    }
    hyper::Request::from_parts(head, body)
}

/// Runs a connection to its end; when `stop` is cancelled (the cap, or the server stopping),
/// or an HTTP/2 connection (`idle`) has had no request for [`HTTP2_IDLE_TIMEOUT`], it closes
/// gracefully: requests under way finish first.
async fn drive<C>(
    connection: C,
    stop: &CancellationToken,
    idle: Option<&Connection>,
) -> Result<(), C::Error>
where
    C: GracefulConnection,
{
    let idle_for_long = async {
        match idle {
            Some(idle) => loop {
                tokio::time::sleep(HTTP2_IDLE_TIMEOUT / 4).await;
                if idle.idle_for(HTTP2_IDLE_TIMEOUT) {
                    break;
                }
            },
            None => std::future::pending().await,
        }
    };
    tokio::pin!(connection);
    tokio::select! {
        ended = connection.as_mut() => return ended,
        _ = stop.cancelled() => {}
        _ = idle_for_long => {}
    }
    connection.as_mut().graceful_shutdown();
    connection.await
}
