//! What wraps every request: counting it, a time limit, the request log, the panic catcher and
//! the project check on `Authorization`.

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use beckon_proto::ErrorCode;

use super::error::ApiError;
use super::extractors::Bearer;
use crate::state::AppState;

/// Counts each routed request by its route's pattern (never its path, which may carry a
/// project ID or be anything a scanner sends) and its method (one the API serves, or
/// `other`); a held wait goes to its own histogram.
pub(super) async fn count_request(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(request.method());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    if super::enchanted_link::wait_applied(response.headers()).is_some() {
        state.metrics.held(&route, method, status, seconds);
    } else {
        state.metrics.request(&route, method, status, seconds);
    }
    response
}

/// A request's method as a label: one the API serves, or `other`. Never the request's own
/// text: hyper accepts any token as a method, and each new label value would be a series kept
/// (and scraped) for the life of the process.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        _ => "other",
    }
}

/// A handler that panics answers 500 in the wire format (and the panic is logged), rather
/// than dropping the connection.
pub(super) fn catch_panics(
) -> tower_http::catch_panic::CatchPanicLayer<fn(Box<dyn std::any::Any + Send>) -> Response> {
    fn answer(panic: Box<dyn std::any::Any + Send>) -> Response {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        ApiError::internal(format!("a handler panicked: {what}")).into_response()
    }
    tower_http::catch_panic::CatchPanicLayer::custom(answer as fn(_) -> _)
}

/// The longest a request may take, body included; a slow client or a stuck database gets an
/// answer rather than holding a connection.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

// A held poll answers before the router's time limit cuts it.

const _: () = assert!((crate::config::MAX_WAIT_CAP as u64) < REQUEST_TIMEOUT.as_secs());

/// A request cut at [`REQUEST_TIMEOUT`] answers 500, not 503: every Descope SDK retries a 503
/// (and 520–530) up to three times, and a retried sign-in sends up to three more emails.
pub(super) async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "The request took too long",
        )
        .with_message(format!(
            "No answer within {} seconds; try again",
            REQUEST_TIMEOUT.as_secs()
        ))
        .into_response(),
    }
}

type RequestLog = tower_http::trace::TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    fn(&Request) -> tracing::Span,
    (),
    fn(&Response, std::time::Duration, &tracing::Span),
    (),
    (),
    (),
>;

/// Each request in a span of its method and path (what it logs, an internal error say, sits
/// inside it), and one `request` event with its status and time. Never the query string,
/// which carries link tokens.
pub(super) fn request_log() -> RequestLog {
    fn span(request: &Request) -> tracing::Span {
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
    }
    fn answered(response: &Response, latency: std::time::Duration, _: &tracing::Span) {
        let ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        let status = response.status().as_u16();
        // A held poll says for how long it could be held (`wait=N`, its Preference-Applied).
        match super::enchanted_link::wait_applied(response.headers()) {
            Some(wait) => tracing::info!(status, ms, wait, "request"),
            None => tracing::info!(status, ms, "request"),
        }
    }
    tower_http::trace::TraceLayer::new_for_http()
        .make_span_with(span as fn(&Request) -> tracing::Span)
        .on_request(())
        .on_response(answered as fn(&Response, std::time::Duration, &tracing::Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

/// `Authorization: Bearer <projectId>[:<jwt>][:<key>]` must name this project (docs/wire.md §1.1).
pub(super) async fn require_project(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match Bearer::from_headers(request.headers()) {
        Some(bearer) if *bearer.project_id == *state.project_id => next.run(request).await,
        Some(_) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidProject,
            "Unknown project ID in the Authorization header",
        )
        .into_response(),
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::MissingProject,
            "Missing project ID: send Authorization: Bearer <projectId>",
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::{get, post};
    use axum::Router;

    /// The SDKs' retried statuses (Python `_RETRY_STATUS_CODES`, Node's core-js-sdk list).
    const RETRIED_BY_THE_SDKS: [u16; 6] = [503, 520, 521, 522, 524, 530];

    #[tokio::test]
    async fn a_handler_that_panics_answers_500_in_the_wire_format() {
        use tower::ServiceExt;
        let broken = Router::new()
            .route(
                "/broken",
                get(|| async {
                    if true {
                        panic!("a column changed type");
                    }
                    "never"
                }),
            )
            .layer(catch_panics());
        let request = Request::get("/broken")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = broken.oneshot(request).await.unwrap();
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errorCode"], ErrorCode::Internal.as_str());
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_cut_at_the_time_limit_is_not_one_the_sdks_retry() {
        use tower::ServiceExt;
        let slow = Router::new()
            .route(
                "/slow",
                post(|| async {
                    tokio::time::sleep(REQUEST_TIMEOUT * 2).await;
                    "late"
                }),
            )
            .layer(axum::middleware::from_fn(time_limit));
        let request = Request::post("/slow")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = slow.oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        assert_eq!(status, 500);
        assert!(!RETRIED_BY_THE_SDKS.contains(&status));
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errorCode"], ErrorCode::Internal.as_str());
    }
}
