//! `/healthz` and `/readyz`, for load balancers and orchestrators.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::state::AppState;

/// The process answers: nothing else is checked, so a slow database does not get it killed.
/// Nothing else is said either: how many polls are held (which tells when someone is signing
/// in) is on the metrics listener only (`beckon_held_waits`).
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// The server can take traffic: its database answers.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ready"}))),
        Err(error) => {
            tracing::warn!(%error, "not ready: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "reason": "the database does not answer"})),
            )
        }
    }
}
