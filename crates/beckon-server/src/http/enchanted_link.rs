//! `/v1/auth/enchantedlink/*` (spec §4).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;

use super::{link_request, WireJson};
use crate::error::{ApiError, ApiResult};
use crate::links::{self, Started};
use crate::store::{Channel, Method, Mode};
use crate::wire::{
    EnchantedLinkResponse, JwtResponse, LinkRequestBody, PendingSessionBody, TokenBody,
};
use crate::AppState;

pub async fn sign_in(
    state: State<AppState>,
    headers: HeaderMap,
    body: WireJson<LinkRequestBody>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    start(state, headers, body, Mode::SignIn).await
}

pub async fn sign_up(
    state: State<AppState>,
    headers: HeaderMap,
    body: WireJson<LinkRequestBody>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    start(state, headers, body, Mode::SignUp).await
}

pub async fn sign_up_or_in(
    state: State<AppState>,
    headers: HeaderMap,
    body: WireJson<LinkRequestBody>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    start(state, headers, body, Mode::SignUpOrIn).await
}

async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    WireJson(body): WireJson<LinkRequestBody>,
    mode: Mode,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    let request = link_request(&headers, &body, Method::Enchanted, Channel::Email, mode);
    match links::start(&state, request).await? {
        Started::Enchanted(response) => Ok(Json(response)),
        Started::Magic(_) => Err(ApiError::internal(
            "an enchanted link started as a magic link",
        )),
    }
}

pub async fn verify(
    State(state): State<AppState>,
    WireJson(body): WireJson<TokenBody>,
) -> ApiResult<Json<serde_json::Value>> {
    let token = body
        .token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::missing("token"))?;
    links::verify(&state, &token, Method::Enchanted).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn pending_session(
    State(state): State<AppState>,
    WireJson(body): WireJson<PendingSessionBody>,
) -> ApiResult<Json<JwtResponse>> {
    let pending_ref = body
        .pending_ref
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::missing("pendingRef"))?;
    Ok(Json(links::poll(&state, &pending_ref).await?))
}
