//! An app's own backend, as small as it gets: `GET /me` with the session JWT as a bearer
//! token answers who is signed in; without one, or with one that does not validate against
//! the sign-in server's keys (JWKS), it refuses with 401.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

/// The backend's routes; `client` validates session JWTs against its server's keys.
pub fn router(client: beckon::Client) -> Router {
    Router::new().route("/me", get(me)).with_state(client)
}

async fn me(State(client): State<beckon::Client>, headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let Some(jwt) = bearer else {
        return refuse("not signed in");
    };
    match client.validate_session(jwt).await {
        Ok(token) => Json(json!({ "userId": token.subject })).into_response(),
        Err(_) => refuse("the session did not validate"),
    }
}

fn refuse(why: &str) -> Response {
    (StatusCode::UNAUTHORIZED, Json(json!({ "error": why }))).into_response()
}
