//! `/v1/auth/enchantedlink/*` (spec §4).

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;

use super::WireJson;
use crate::error::{ApiError, ApiResult};
use crate::links::{self, Requester};
use crate::store::Mode;
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
    let login_id = body.login_id.as_deref().unwrap_or_default();
    let user_name = body.user.as_ref().and_then(|u| {
        u.name.clone().or_else(|| {
            let parts: Vec<&str> = [&u.given_name, &u.family_name]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
    });
    let requester = Requester {
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
    };
    let response = links::start(
        &state,
        mode,
        login_id,
        body.redirect(),
        user_name.as_deref(),
        requester,
    )
    .await?;
    Ok(Json(response))
}

pub async fn verify(
    State(state): State<AppState>,
    WireJson(body): WireJson<TokenBody>,
) -> ApiResult<Json<serde_json::Value>> {
    let token = body
        .token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::missing("token"))?;
    links::verify(&state, &token).await?;
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
    Ok(Json(links::collect(&state, &pending_ref).await?))
}
