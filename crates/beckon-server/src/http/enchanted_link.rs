//! `/v1/auth/enchantedlink/*` (docs/wire.md §4).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;

use beckon_proto::{
    EnchantedLinkResponse, JwtResponse, PendingSessionRequest, SignInRequest, TokenRequest,
    UpdateRequest,
};

use super::error::ApiResult;
use super::{
    channel, jwt_response, link_request, masked, mode, refresh_jwt, update_request, ClientIp,
    WireJson,
};
use crate::domain::{Channel, Error, Method};
use crate::links::{self, LinkRequest};
use crate::state::AppState;

/// `POST /v1/auth/enchantedlink/{signin|signup|signup-in}/{email|sms}`. Step-up and MFA
/// sign-ins carry the refresh JWT in the bearer.
pub async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path((action, method)): Path<(String, String)>,
    headers: HeaderMap,
    WireJson(body): WireJson<SignInRequest>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    let kind = (channel(&method)?, mode(&action)?);
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
    WireJson(body): WireJson<UpdateRequest>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    let refresh = refresh_jwt(&headers);
    let request = update_request(&headers, ip, refresh.as_deref(), &body, Channel::Email);
    send(&state, request).await
}

/// `POST /v1/auth/enchantedlink/update/phone/sms` (Python only, docs/wire.md §4.7).
pub async fn update_phone(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(method): Path<String>,
    headers: HeaderMap,
    WireJson(body): WireJson<UpdateRequest>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    let channel = channel(&method)?;
    let refresh = refresh_jwt(&headers);
    let request = update_request(&headers, ip, refresh.as_deref(), &body, channel);
    send(&state, request).await
}

async fn send(
    state: &AppState,
    request: LinkRequest<'_>,
) -> ApiResult<Json<EnchantedLinkResponse>> {
    let started = links::start_enchanted(state, request).await?;
    Ok(Json(EnchantedLinkResponse {
        link_id: started.link_id,
        pending_ref: started.pending_ref,
        masked: masked(started.masked),
    }))
}

pub async fn verify(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    WireJson(body): WireJson<TokenRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let token = body
        .token
        .filter(|t| !t.expose().is_empty())
        .ok_or_else(|| Error::missing("token"))?;
    links::verify(&state, token.expose(), Method::Enchanted, None, ip).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn pending_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    WireJson(body): WireJson<PendingSessionRequest>,
) -> ApiResult<Json<JwtResponse>> {
    let pending_ref = body
        .pending_ref
        .filter(|r| !r.expose().is_empty())
        .ok_or_else(|| Error::missing("pendingRef"))?;
    Ok(Json(jwt_response(
        links::poll(&state, pending_ref.expose(), ip).await?,
    )))
}
