//! `/v1/auth/magiclink/*` (docs/wire.md §5): one link, and the session goes where it is opened.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;

use beckon_proto::{JwtResponse, MaskedAddress, SignInRequest, TokenRequest, UpdateRequest};

use super::error::ApiResult;
use super::extractors::{refresh_jwt, ClientIp};
use super::wire::{channel, jwt_response, link_request, masked, mode, update_request, WireJson};
use crate::domain::{Channel, Error};
use crate::signin::{self, LinkRequest};
use crate::state::AppState;
use crate::support::secrets::Secret;

/// `POST /v1/auth/magiclink/{signin|signup|signup-in}/{email|sms}`.
pub async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path((action, method)): Path<(String, String)>,
    headers: HeaderMap,
    WireJson(body): WireJson<SignInRequest>,
) -> ApiResult<Json<MaskedAddress>> {
    let kind = (channel(&method)?, mode(&action)?);
    let refresh = refresh_jwt(&headers);
    let request = link_request(&headers, ip, refresh.as_deref(), &body, kind);
    send(&state, request).await
}

/// `POST /v1/auth/magiclink/update/email`, with the refresh JWT in the bearer.
pub async fn update_email(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    WireJson(body): WireJson<UpdateRequest>,
) -> ApiResult<Json<MaskedAddress>> {
    update(state, ip, headers, body, Channel::Email).await
}

/// `POST /v1/auth/magiclink/update/phone`: Python's spelling, by SMS.
pub async fn update_phone_sms(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    WireJson(body): WireJson<UpdateRequest>,
) -> ApiResult<Json<MaskedAddress>> {
    update(state, ip, headers, body, Channel::Sms).await
}

/// `POST /v1/auth/magiclink/update/phone/{sms|whatsapp}`: Node's and Go's spelling.
pub async fn update_phone(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(method): Path<String>,
    headers: HeaderMap,
    WireJson(body): WireJson<UpdateRequest>,
) -> ApiResult<Json<MaskedAddress>> {
    let channel = channel(&method)?;
    update(state, ip, headers, body, channel).await
}

async fn update(
    state: AppState,
    ip: Option<std::net::IpAddr>,
    headers: HeaderMap,
    body: UpdateRequest,
    channel: Channel,
) -> ApiResult<Json<MaskedAddress>> {
    let refresh = refresh_jwt(&headers);
    let request = update_request(&headers, ip, refresh.as_deref(), &body, channel);
    send(&state, request).await
}

async fn send(state: &AppState, request: LinkRequest<'_>) -> ApiResult<Json<MaskedAddress>> {
    Ok(Json(masked(signin::start_magic(state, request).await?)))
}

/// `POST /v1/auth/magiclink/verify {token}`: the session, for whoever opened the link.
pub async fn verify(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    WireJson(body): WireJson<TokenRequest>,
) -> ApiResult<Json<JwtResponse>> {
    let token = body
        .token
        .filter(|t| !t.expose().is_empty())
        .ok_or_else(|| Error::missing("token"))?;
    let granted = signin::verify_magic(
        &state,
        token.expose(),
        body.code_verifier.as_ref().map(Secret::expose),
        ip,
    )
    .await?;
    Ok(Json(jwt_response(granted)))
}
