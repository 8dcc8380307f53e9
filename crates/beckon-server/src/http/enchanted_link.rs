//! `/v1/auth/enchantedlink/*` (spec §4).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;

use super::{channel, link_request, mode, refresh_jwt, update_request, ClientIp, WireJson};
use crate::error::{ApiError, ApiResult};
use crate::links::{self, LinkRequest, Started};
use crate::store::{Channel, Method};
use crate::wire::{
    EnchantedLinkResponse, JwtResponse, LinkRequestBody, PendingSessionBody, TokenBody,
    UpdateRequestBody,
};
use crate::AppState;

/// `POST /v1/auth/enchantedlink/{signin|signup|signup-in}/{email|sms}`. Step-up and MFA
/// sign-ins carry the refresh JWT in the bearer.
pub async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path((action, method)): Path<(String, String)>,
    headers: HeaderMap,
    WireJson(body): WireJson<LinkRequestBody>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    let kind = (Method::Enchanted, channel(&method)?, mode(&action)?);
    let refresh = refresh_jwt(&headers);
    let request = link_request(&headers, ip, refresh.as_deref(), &body, kind);
    send(&state, request).await
}

/// `POST /v1/auth/enchantedlink/update/email`, with the refresh JWT in the bearer: the new
/// address gets three links; confirming the right one completes through pending-session.
pub async fn update_email(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    WireJson(body): WireJson<UpdateRequestBody>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    let refresh = refresh_jwt(&headers);
    let request = update_request(
        &headers,
        ip,
        refresh.as_deref(),
        &body,
        Method::Enchanted,
        Channel::Email,
    );
    send(&state, request).await
}

/// `POST /v1/auth/enchantedlink/update/phone/sms` (Python only, spec §4.7).
pub async fn update_phone(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(method): Path<String>,
    headers: HeaderMap,
    WireJson(body): WireJson<UpdateRequestBody>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    let channel = channel(&method)?;
    let refresh = refresh_jwt(&headers);
    let request = update_request(
        &headers,
        ip,
        refresh.as_deref(),
        &body,
        Method::Enchanted,
        channel,
    );
    send(&state, request).await
}

async fn send(
    state: &AppState,
    request: LinkRequest<'_>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    match links::start(state, request).await? {
        Started::Enchanted(response) => Ok(Json(response)),
        Started::Magic(_) => Err(ApiError::internal(
            "an enchanted link started as a magic link",
        )),
    }
}

pub async fn verify(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    WireJson(body): WireJson<TokenBody>,
) -> ApiResult<Json<serde_json::Value>> {
    let token = body
        .token
        .filter(|t| !t.expose().is_empty())
        .ok_or_else(|| ApiError::missing("token"))?;
    links::verify(&state, token.expose(), Method::Enchanted, None, ip).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn pending_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    WireJson(body): WireJson<PendingSessionBody>,
) -> ApiResult<Json<JwtResponse>> {
    let pending_ref = body
        .pending_ref
        .filter(|r| !r.expose().is_empty())
        .ok_or_else(|| ApiError::missing("pendingRef"))?;
    Ok(Json(links::poll(&state, pending_ref.expose(), ip).await?))
}
