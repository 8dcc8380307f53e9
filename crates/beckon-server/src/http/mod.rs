//! The HTTP API: the router, and one module per group of routes.

mod enchanted_link;
pub mod error;
mod extractors;
mod health;
mod keys;
mod magic_link;
mod management;
mod middleware;
mod pages;
mod session;
mod wire;

use axum::http::{header, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use beckon_proto::ErrorCode;

use crate::state::AppState;
use error::ApiError;

use middleware::{catch_panics, count_request, request_log, require_project, time_limit};

fn no_such_endpoint() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::BadRequest,
        "No such endpoint",
    )
}

/// Largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Whether `request` asks to be held (a pending-session poll with `Prefer: wait`): held
/// waits have caps of their own, not the cap on requests under way.
pub fn asks_to_be_held<B>(request: &axum::http::Request<B>) -> bool {
    request.uri().path() == "/v1/auth/enchantedlink/pending-session"
        && enchanted_link::preferred_wait(request.headers()).is_some()
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let auth = Router::new()
        .route(
            "/enchantedlink/{action}/{method}",
            post(enchanted_link::start),
        )
        .route(
            "/enchantedlink/update/email",
            post(enchanted_link::update_email),
        )
        .route(
            "/enchantedlink/update/phone/{method}",
            post(enchanted_link::update_phone),
        )
        .route("/enchantedlink/verify", post(enchanted_link::verify))
        .route("/enchantedlink/code", post(enchanted_link::code))
        .route(
            "/enchantedlink/pending-session",
            post(enchanted_link::pending_session),
        )
        .route("/magiclink/verify", post(magic_link::verify))
        .route("/magiclink/{action}/{method}", post(magic_link::start))
        .route("/magiclink/update/email", post(magic_link::update_email))
        // Python sends no method suffix; Node and Go do (docs/wire.md §5.6).
        .route(
            "/magiclink/update/phone",
            post(magic_link::update_phone_sms),
        )
        .route(
            "/magiclink/update/phone/{method}",
            post(magic_link::update_phone),
        )
        .route("/refresh", post(session::refresh))
        .route("/try-refresh", post(session::try_refresh))
        .route("/logout", post(session::logout))
        .route("/logoutall", post(session::logout_all))
        .route("/me", get(session::me))
        .route_layer(from_fn_with_state(state.clone(), require_project));
    Router::new()
        .nest("/v1/auth", auth)
        .route("/v2/keys/{project_id}", get(keys::jwks))
        .route("/openapi.json", get(openapi))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(pages::router(state.dev))
        .merge(management::routes(state.clone()))
        .fallback(not_found)
        // After the fallback, so an unknown path counts too (as `unmatched`).
        .layer(from_fn_with_state(state.clone(), count_request))
        .layer(catch_panics())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(time_limit))
        .layer(request_log())
        .with_state(state)
}

/// The metrics listener's routes: `GET /metrics` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .with_state(state)
}

/// The Prometheus text exposition, with the outbox read from the database now.
async fn metrics(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let (unsent, oldest) = match state.store.outbox_backlog().await {
        Ok(backlog) => backlog,
        Err(error) => return ApiError::from(error).into_response(),
    };
    let age = oldest.map_or(0, |at| state.clock.now() - at);
    match state.metrics.render(state.waits.held(), unsent, age) {
        Ok(text) => (
            [(header::CONTENT_TYPE, crate::support::metrics::CONTENT_TYPE)],
            text,
        )
            .into_response(),
        Err(error) => ApiError::internal(error).into_response(),
    }
}

/// This API as an OpenAPI 3.1 document (`crates/beckon-server/openapi.json`, checked against
/// the routes and their answers by `tests/server/openapi.rs`).
async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("../../openapi.json"),
    )
}

async fn not_found() -> ApiError {
    no_such_endpoint()
}
