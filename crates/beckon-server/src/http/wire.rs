//! Wire conversion: API bodies (`beckon_proto`) into the flows' requests, and the flows'
//! answers into API bodies; the JSON extractor that turns any malformed body into a wire error.

use std::net::IpAddr;

use axum::body::Bytes;

use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use axum::http::HeaderMap;

use beckon_proto::{ErrorCode, JwtResponse, SignInRequest, UpdateRequest, UserResponse};

use super::error::ApiError;
use super::{no_such_endpoint, MAX_BODY_BYTES};
use crate::domain::{Channel, Error, Mode, Profile, User};
use crate::sessions::Granted;
use crate::signin::{LinkRequest, Requester, SessionOptions, Update};

/// A sign-in request from an API body, whichever SDK sent it.
pub(super) fn link_request<'a>(
    headers: &'a HeaderMap,
    ip: Option<IpAddr>,
    refresh_jwt: Option<&'a str>,
    body: &'a SignInRequest,
    (channel, mode): (Channel, Mode),
) -> LinkRequest<'a> {
    let options = body.login_options.clone().unwrap_or_default();
    LinkRequest {
        channel,
        mode,
        login_id: body.login_id.as_deref().unwrap_or_default(),
        redirect: body.redirect.get(),
        profile: body.user.clone().map(|user| Profile {
            name: user.name,
            given_name: user.given_name,
            middle_name: user.middle_name,
            family_name: user.family_name,
            email: user.email,
            phone: user.phone,
        }),
        requester: requester(headers, ip),
        options: SessionOptions {
            stepup: options.stepup,
            mfa: options.mfa,
            custom_claims: options.custom_claims,
            revoke_other_sessions: options.revoke_other_sessions,
        },
        locale: options.locale,
        refresh_jwt,
        update: None,
        code_challenge: body.code_challenge.as_deref(),
        code_challenge_method: body.code_challenge_method.as_deref(),
    }
}

/// An update-email or update-phone request from an API body.
pub(super) fn update_request<'a>(
    headers: &'a HeaderMap,
    ip: Option<IpAddr>,
    refresh_jwt: Option<&'a str>,
    body: &'a UpdateRequest,
    channel: Channel,
) -> LinkRequest<'a> {
    let address = match channel {
        Channel::Email => body.email.as_deref(),
        Channel::Sms => body.phone.as_deref(),
    };
    LinkRequest {
        channel,
        mode: Mode::Update,
        login_id: body.login_id.as_deref().unwrap_or_default(),
        redirect: body.redirect.get(),
        profile: None,
        requester: requester(headers, ip),
        options: SessionOptions::default(),
        locale: body.locale.clone(),
        refresh_jwt,
        code_challenge: None,
        code_challenge_method: None,
        update: Some(Update {
            address: address.unwrap_or_default(),
            add_to_login_ids: body.add_to_login_ids,
            on_merge_use_existing: body.on_merge_use_existing,
        }),
    }
}

pub(super) fn requester(headers: &HeaderMap, ip: Option<IpAddr>) -> Requester<'_> {
    Requester {
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
        ip,
    }
}

/// The delivery channel named by a path's last segment.
pub(super) fn channel(segment: &str) -> Result<Channel, ApiError> {
    match segment {
        "email" => Ok(Channel::Email),
        "sms" => Ok(Channel::Sms),
        "whatsapp" | "voice" | "im" => Err(Error::invalid(format!(
            "Delivery by {segment} is not available on this server; use email or sms"
        ))
        .into()),
        _ => Err(no_such_endpoint()),
    }
}

/// The mode named by a path's action segment.
pub(super) fn mode(segment: &str) -> Result<Mode, ApiError> {
    match segment {
        "signin" => Ok(Mode::SignIn),
        "signup" => Ok(Mode::SignUp),
        "signup-in" => Ok(Mode::SignUpOrIn),
        _ => Err(no_such_endpoint()),
    }
}

/// A session on the wire (Descope's `JWTResponse`).
pub(super) fn jwt_response(granted: Granted) -> JwtResponse {
    JwtResponse {
        session_jwt: granted.session_jwt,
        refresh_jwt: Some(granted.refresh_jwt),
        cookie_domain: String::new(),
        cookie_path: "/".into(),
        cookie_max_age: granted.refresh_ttl,
        cookie_expiration: granted.refresh_expires_at,
        session_expiration: granted.session_expires_at,
        user: Some(user_response(&granted.user)),
        first_seen: granted.first_seen,
    }
}

/// Where the link(s) went, on the wire.
pub(super) fn masked(masked: crate::signin::Masked) -> beckon_proto::MaskedAddress {
    let mut wire = beckon_proto::MaskedAddress::default();
    match masked.channel {
        Channel::Email => wire.masked_email = masked.address,
        Channel::Sms => wire.masked_phone = masked.address,
    }
    wire
}

/// A user on the wire: what Beckon has, and the rest empty as Descope sends it.
pub(super) fn user_response(user: &User) -> UserResponse {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    UserResponse {
        user_id: user.user_id.clone(),
        login_ids: user.login_ids.clone(),
        name: text(&user.name),
        given_name: text(&user.given_name),
        middle_name: text(&user.middle_name),
        family_name: text(&user.family_name),
        email: text(&user.email),
        phone: text(&user.phone),
        verified_email: user.verified_email,
        verified_phone: user.verified_phone,
        status: if user.disabled { "disabled" } else { "enabled" }.into(),
        created_time: user.created_at,
        ..UserResponse::default()
    }
}

/// A JSON body read leniently, as the SDKs send it: an empty body is `{}`, any
/// `Content-Type` is accepted, and every failure is a wire error.
pub struct WireJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for WireJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        ErrorCode::BadRequest,
                        format!("Request body is larger than {MAX_BODY_BYTES} bytes"),
                    )
                } else {
                    ApiError::bad_request("Could not read the request body")
                }
            })?;
        let body: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        serde_json::from_slice(body).map(WireJson).map_err(|e| {
            ApiError::bad_request("The request body is not valid JSON for this endpoint")
                .with_message(e.to_string())
        })
    }
}
