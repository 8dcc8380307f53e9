//! `/v1/auth/magiclink/*` (spec §5): one link, and the session goes where it is opened.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::{link_request, WireJson};
use crate::error::{codes, ApiError, ApiResult};
use crate::links::{self, Started};
use crate::store::{Channel, Method, Mode};
use crate::wire::{JwtResponse, LinkRequestBody, MaskedAddress, TokenBody};
use crate::AppState;

/// `POST /v1/auth/magiclink/{signin|signup|signup-in}/{email|sms}`.
pub async fn start(
    State(state): State<AppState>,
    Path((action, method)): Path<(String, String)>,
    headers: HeaderMap,
    WireJson(body): WireJson<LinkRequestBody>,
) -> ApiResult<Json<MaskedAddress>> {
    let mode = match action.as_str() {
        "signin" => Mode::SignIn,
        "signup" => Mode::SignUp,
        "signup-in" => Mode::SignUpOrIn,
        _ => return Err(no_such_endpoint()),
    };
    let channel = match method.as_str() {
        "email" => Channel::Email,
        "sms" => Channel::Sms,
        "whatsapp" | "voice" => {
            return Err(ApiError::invalid(format!(
                "Delivery by {method} is not available on this server; use email or sms"
            )))
        }
        _ => return Err(no_such_endpoint()),
    };
    let request = link_request(&headers, &body, Method::Magic, channel, mode);
    match links::start(&state, request).await? {
        Started::Magic(masked) => Ok(Json(masked)),
        Started::Enchanted(_) => Err(ApiError::internal(
            "a magic link started as an enchanted link",
        )),
    }
}

fn no_such_endpoint() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        codes::BAD_REQUEST,
        "No such endpoint",
    )
}

/// `POST /v1/auth/magiclink/verify {token}`: the session, for whoever opened the link.
pub async fn verify(
    State(state): State<AppState>,
    WireJson(body): WireJson<TokenBody>,
) -> ApiResult<Json<JwtResponse>> {
    let token = body
        .token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::missing("token"))?;
    Ok(Json(links::verify_magic(&state, &token).await?))
}
