//! `/v1/auth/enchantedlink/*` (docs/wire.md §4).

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use beckon_proto::{
    CodeRequest, EnchantedLinkResponse, PendingSessionRequest, SignInRequest, TokenRequest,
    UpdateRequest,
};

use super::error::{ApiError, ApiResult};
use super::extractors::{refresh_jwt, ClientIp};
use super::wire::{channel, jwt_response, link_request, masked, mode, update_request, WireJson};
use crate::domain::{Channel, Error, Method};
use crate::signin::{self, Hold, LinkRequest, Poll};
use crate::state::AppState;
use crate::waits::ClientGone;

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
    let started = signin::start_enchanted(state, request).await?;
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
    signin::verify(&state, token.expose(), Method::Enchanted, None, ip).await?;
    Ok(Json(serde_json::json!({})))
}

/// `POST /v1/auth/enchantedlink/code` (Beckon's own): confirms a request by the code in its
/// email, as its right link would (docs/wire.md §4.9).
pub async fn code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    WireJson(body): WireJson<CodeRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let pending_ref = body
        .pending_ref
        .filter(|r| !r.expose().is_empty())
        .ok_or_else(|| Error::missing("pendingRef"))?;
    let code = body
        .code
        .filter(|c| !c.expose().is_empty())
        .ok_or_else(|| Error::missing("code"))?;
    signin::confirm_code(&state, pending_ref.expose(), code.expose(), ip).await?;
    Ok(Json(serde_json::json!({})))
}

/// `POST /v1/auth/enchantedlink/pending-session`. With `Prefer: wait=N` (RFC 7240) a
/// request still pending is held up to N seconds (at most `max_wait`) for its confirmation,
/// and every answer says `Preference-Applied: wait=<the N used>` (docs/wire.md §4.5).
pub async fn pending_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    gone: Option<Extension<ClientGone>>,
    PreferredWait(preferred): PreferredWait,
    WireJson(body): WireJson<PendingSessionRequest>,
) -> Response {
    // Past the held-wait caps a poll is answered unheld, as if it had not asked.
    let slot = preferred
        .filter(|_| !state.max_wait.is_zero() && !state.waits.stopping())
        .and_then(|asked| Some((asked.min(state.max_wait.as_secs()), state.waits.slot(ip)?)));
    let wait = slot.as_ref().map(|(wait, _)| *wait);
    let answered = async {
        let pending_ref = body
            .pending_ref
            .filter(|r| !r.expose().is_empty())
            .ok_or_else(|| Error::missing("pendingRef"))?;
        let held = slot.map(|(wait, slot)| Hold {
            up_to: Duration::from_secs(wait),
            slot,
            gone: gone
                .map(|Extension(ClientGone(gone))| gone)
                .unwrap_or_default(),
        });
        match signin::poll(&state, pending_ref.expose(), ip, held).await? {
            Poll::Granted(granted) => ApiResult::Ok(Json(jwt_response(*granted))),
            Poll::Pending => Err(ApiError::pending()),
        }
    };
    let mut response = answered.await.into_response();
    if let Some(applied) = wait.and_then(|w| HeaderValue::from_str(&format!("wait={w}")).ok()) {
        response.headers_mut().insert(PREFERENCE_APPLIED, applied);
    }
    response
}

const PREFER: &str = "prefer";
const PREFERENCE_APPLIED: &str = "preference-applied";

/// The `wait` preference of a request's `Prefer` headers, in seconds: the first one, when it
/// is a number; otherwise none (RFC 7240: a preference not understood is ignored).
pub(super) fn preferred_wait(headers: &HeaderMap) -> Option<u64> {
    headers
        .get_all(PREFER)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|preference| {
            // A preference is `name[=value]`, maybe with `;parameters` after it.
            let token = preference.split(';').next()?.trim();
            let (name, value) = token.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("wait")
                .then(|| value.trim().trim_matches('"').to_owned())
        })
        .next()
        .and_then(|value| {
            (!value.is_empty() && value.len() <= 10 && value.bytes().all(|b| b.is_ascii_digit()))
                .then(|| value.parse().ok())
                .flatten()
        })
}

/// A request's [`preferred_wait`], taken from its headers without copying them (a held poll
/// keeps its handler's arguments for as long as it waits).
pub struct PreferredWait(pub Option<u64>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PreferredWait {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(preferred_wait(&parts.headers)))
    }
}

/// The wait an answer says it applied (`Preference-Applied: wait=N`), for the request log.
pub(super) fn wait_applied(headers: &HeaderMap) -> Option<u64> {
    let value = headers.get(PREFERENCE_APPLIED)?.to_str().ok()?;
    value.trim().strip_prefix("wait=")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefer(values: &[&str]) -> Option<u64> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(PREFER, HeaderValue::from_str(value).unwrap());
        }
        preferred_wait(&headers)
    }

    #[test]
    fn the_wait_preference_is_read_as_rfc_7240_writes_it() {
        assert_eq!(prefer(&["wait=10"]), Some(10));
        assert_eq!(prefer(&["respond-async, wait=25"]), Some(25));
        assert_eq!(prefer(&["handling=lenient", "Wait = \"7\""]), Some(7));
        assert_eq!(prefer(&["wait=5;x=y"]), Some(5));
        assert_eq!(prefer(&["wait=0"]), Some(0));
        assert_eq!(prefer(&[]), None);
        for bad in [
            "wait",
            "wait=",
            "wait=-1",
            "wait=1.5",
            "wait=ten",
            "wait=99999999999",
        ] {
            assert_eq!(prefer(&[bad]), None, "{bad}");
        }
        assert_eq!(prefer(&["return=minimal"]), None);
    }
}
