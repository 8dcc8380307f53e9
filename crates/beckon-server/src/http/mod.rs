//! The HTTP API: one module per group, one extractor that turns any malformed body into a
//! wire error, and the project check on `Authorization`.

mod enchanted_link;
mod keys;
mod magic_link;
mod session;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;

use crate::error::{codes, ApiError};
use crate::links::{LinkRequest, Requester};
use crate::store::{Channel, Method, Mode};
use crate::wire::LinkRequestBody;
use crate::{pages, AppState};

/// A sign-in request from an API body, whichever SDK sent it.
fn link_request<'a>(
    headers: &'a axum::http::HeaderMap,
    body: &'a LinkRequestBody,
    method: Method,
    channel: Channel,
    mode: Mode,
) -> LinkRequest<'a> {
    LinkRequest {
        method,
        channel,
        mode,
        login_id: body.login_id.as_deref().unwrap_or_default(),
        redirect: body.redirect(),
        profile: body.user.clone(),
        requester: Requester {
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok()),
        },
    }
}

/// Largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let auth = Router::new()
        .route("/enchantedlink/signin/email", post(enchanted_link::sign_in))
        .route("/enchantedlink/signup/email", post(enchanted_link::sign_up))
        .route(
            "/enchantedlink/signup-in/email",
            post(enchanted_link::sign_up_or_in),
        )
        .route("/enchantedlink/verify", post(enchanted_link::verify))
        .route(
            "/enchantedlink/pending-session",
            post(enchanted_link::pending_session),
        )
        .route("/magiclink/verify", post(magic_link::verify))
        .route("/magiclink/{action}/{method}", post(magic_link::start))
        .route("/refresh", post(session::refresh))
        .route("/try-refresh", post(session::try_refresh))
        .route("/logout", post(session::logout))
        .route("/logoutall", post(session::logout_all))
        .route("/me", get(session::me))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_project,
        ));
    Router::new()
        .nest("/v1/auth", auth)
        .route("/v2/keys/{project_id}", get(keys::jwks))
        .merge(pages::router())
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        codes::BAD_REQUEST,
        "No such endpoint",
    )
}

/// Logs method, path and status: never the query string, which carries link tokens.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(%method, %path, status = response.status().as_u16(), "request");
    response
}

/// `Authorization: Bearer <projectId>[:<jwt>][:<key>]` must name this project (spec §1.1).
async fn require_project(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match Bearer::from_headers(request.headers()) {
        Some(bearer) if *bearer.project_id == *state.project_id => next.run(request).await,
        Some(_) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::INVALID_PROJECT,
            "Unknown project ID in the Authorization header",
        )
        .into_response(),
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::MISSING_PROJECT,
            "Missing project ID: send Authorization: Bearer <projectId>",
        )
        .into_response(),
    }
}

/// The parts of a Descope bearer: project ID, then optionally a JWT and a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bearer {
    pub project_id: String,
    pub jwt: Option<String>,
}

impl Bearer {
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Option<Self> {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, rest) = value.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let mut parts = rest.trim().splitn(3, ':');
        let project_id = parts.next().filter(|p| !p.is_empty())?.to_owned();
        // A JWT has two dots; an opaque management key has none (spec §1.1).
        let jwt = parts
            .find(|p| p.matches('.').count() == 2)
            .map(str::to_owned);
        Some(Self { project_id, jwt })
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
                        codes::BAD_REQUEST,
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn bearer(value: &str) -> Option<Bearer> {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, value.parse().unwrap());
        Bearer::from_headers(&h)
    }

    #[test]
    fn bearer_with_one_two_or_three_parts() {
        assert_eq!(bearer("Bearer P1").unwrap().jwt, None);
        assert_eq!(
            bearer("Bearer P1:a.b.c").unwrap().jwt.as_deref(),
            Some("a.b.c")
        );
        assert_eq!(bearer("Bearer P1:key").unwrap().jwt, None);
        assert_eq!(
            bearer("Bearer P1:a.b.c:key").unwrap().jwt.as_deref(),
            Some("a.b.c")
        );
        assert_eq!(bearer("Bearer P1:a.b.c").unwrap().project_id, "P1");
        assert!(bearer("Basic P1").is_none());
        assert!(bearer("Bearer ").is_none());
    }
}
