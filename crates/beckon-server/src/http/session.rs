//! `/v1/auth/{refresh,try-refresh,logout,logoutall,me}` (docs/wire.md §6).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;

use beckon_proto::{JwtResponse, UserResponse};

use super::error::{ApiError, ApiResult};
use super::extractors::{refresh_jwt, ClientIp};
use super::wire::{jwt_response, requester, user_response, WireJson};
use crate::sessions;
use crate::state::AppState;

/// Bodies are optional here (Go sends none), but must be JSON when present.
type AnyBody = WireJson<serde_json::Value>;

pub async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    _: AnyBody,
) -> ApiResult<Json<JwtResponse>> {
    let granted = sessions::refresh(
        &state,
        refresh_jwt(&headers).as_deref(),
        requester(&headers, ip),
    )
    .await
    .map_err(keeping_tokens)?;
    Ok(Json(jwt_response(granted)))
}

/// Like refresh, but a request with no refresh JWT at all gets `{}` instead of an error.
pub async fn try_refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    _: AnyBody,
) -> ApiResult<Response> {
    match refresh_jwt(&headers) {
        None => Ok(Json(serde_json::json!({})).into_response()),
        Some(jwt) => {
            let granted = sessions::refresh(&state, Some(&jwt), requester(&headers, ip))
                .await
                .map_err(keeping_tokens)?;
            Ok(Json(jwt_response(granted)).into_response())
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    _: AnyBody,
) -> ApiResult<Json<serde_json::Value>> {
    sessions::logout(
        &state,
        refresh_jwt(&headers).as_deref(),
        requester(&headers, ip),
    )
    .await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn logout_all(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    _: AnyBody,
) -> ApiResult<Json<serde_json::Value>> {
    sessions::logout_all(
        &state,
        refresh_jwt(&headers).as_deref(),
        requester(&headers, ip),
    )
    .await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn me(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> ApiResult<Json<UserResponse>> {
    let user = sessions::me(&state, refresh_jwt(&headers).as_deref(), ip)
        .await
        .map_err(keeping_tokens)?;
    Ok(Json(user_response(&user)))
}

/// On refresh, try-refresh and `me` a limit answers 500, never 429: `@descope/web-js-sdk`
/// deletes its stored tokens on any 4xx there (docs/wire.md §8.3).
fn keeping_tokens(error: crate::domain::Error) -> ApiError {
    ApiError::from(error).keeping_tokens()
}
