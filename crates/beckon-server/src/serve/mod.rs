//! Serving the router on a socket: HTTP/1.1 and HTTP/2 (cleartext) per connection, with the
//! client's address for every request, a limit on how long a client may take to send its
//! request headers, and a graceful stop.
//!
//! Each request runs in a task of its own, so a client that goes away mid-request does not
//! cut its work in half: hyper drops a connection's request future when the client hangs up,
//! and a query dropped midway can cost its database connection (an in-memory SQLite database
//! with it). The request finishes; only its answer has nowhere to go.
//!
//! `axum::serve` has no header timeout, so a client that trickles its headers one byte at a
//! time (slowloris) held a connection open for as long as it liked. Here the headers must be
//! in within [`HEADER_READ_TIMEOUT`]; the body and the handler are bounded by the router's
//! own time limit (`http::REQUEST_TIMEOUT`).

use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::waits::ClientGone;

/// The longest a client may take to send a request's headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long requests under way may run on after a stop is asked for.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(35);

/// Serves `router` on `listener` until `shutdown`; then stops accepting and lets the requests
/// under way finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
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
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            // Cancelled if hyper drops this answer unsent (the client hung up): a held poll
            // then stops waiting for nobody.
            let gone = CancellationToken::new();
            request.extensions_mut().insert(ClientGone(gone.clone()));
            let handled = tokio::spawn(router.clone().oneshot(request));
            async move {
                let _hung_up = gone.drop_guard();
                match handled.await {
                    Ok(answered) => answered,
                    Err(error) => Ok(crate::http::error::ApiError::internal(format!(
                        "a request's task ended: {error}"
                    ))
                    .into_response()),
                }
            }
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %remote, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still under way after {DRAIN_TIMEOUT:?}; stopping anyway");
    }
    Ok(())
}
