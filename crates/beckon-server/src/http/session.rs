//! `/v1/auth/{refresh,try-refresh,logout,logoutall,me}` (spec §6).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::{refresh_jwt, WireJson};
use crate::error::ApiResult;
use crate::sessions;
use crate::wire::{JwtResponse, UserResponse};
use crate::AppState;

/// Bodies are optional here (Go sends none), but must be JSON when present.
type AnyBody = WireJson<serde_json::Value>;

pub async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: AnyBody,
) -> ApiResult<Json<JwtResponse>> {
    Ok(Json(
        sessions::refresh(&state, refresh_jwt(&headers).as_deref()).await?,
    ))
}

/// Like refresh, but a request with no refresh JWT at all gets `{}` instead of an error.
pub async fn try_refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: AnyBody,
) -> ApiResult<Response> {
    match refresh_jwt(&headers) {
        None => Ok(Json(serde_json::json!({})).into_response()),
        Some(jwt) => Ok(Json(sessions::refresh(&state, Some(&jwt)).await?).into_response()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: AnyBody,
) -> ApiResult<Json<serde_json::Value>> {
    sessions::logout(&state, refresh_jwt(&headers).as_deref()).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn logout_all(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: AnyBody,
) -> ApiResult<Json<serde_json::Value>> {
    sessions::logout_all(&state, refresh_jwt(&headers).as_deref()).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn me(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<UserResponse>> {
    Ok(Json(
        sessions::me(&state, refresh_jwt(&headers).as_deref()).await?,
    ))
}
