//! The HTTP API: one module per group, one extractor that turns any malformed body into a
//! wire error, and the project check on `Authorization`.

mod enchanted_link;
pub mod error;
mod health;
mod keys;
mod magic_link;
mod management;
mod pages;
mod session;

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;

use axum::http::HeaderMap;

use beckon_proto::{ErrorCode, JwtResponse, SignInRequest, UpdateRequest, UserResponse};

use crate::domain::{Channel, Error, Mode, Profile, User};
use crate::links::{LinkRequest, Requester, SessionOptions, Update};
use crate::sessions::Granted;
use crate::state::AppState;
use error::ApiError;

/// A sign-in request from an API body, whichever SDK sent it.
fn link_request<'a>(
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
        refresh_jwt,
        update: None,
        code_challenge: body.code_challenge.as_deref(),
        code_challenge_method: body.code_challenge_method.as_deref(),
    }
}

/// An update-email or update-phone request from an API body.
fn update_request<'a>(
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

fn requester(headers: &HeaderMap, ip: Option<IpAddr>) -> Requester<'_> {
    Requester {
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
        ip,
    }
}

/// The client's address: the connection's, or the last one in the trusted proxy's header
/// when one is configured. `None` when the router runs without a socket.
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let from_proxy = state.client_ip_header.as_ref().and_then(|name| {
            let value = parts
                .headers
                .get_all(name)
                .iter()
                .next_back()?
                .to_str()
                .ok()?;
            parse_ip(value.rsplit(',').next()?.trim())
        });
        let from_socket = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(Self(from_proxy.or(from_socket)))
    }
}

/// `192.0.2.7`, `192.0.2.7:5000`, `2001:db8::1` or `[2001:db8::1]:5000`.
fn parse_ip(value: &str) -> Option<IpAddr> {
    value
        .parse::<IpAddr>()
        .ok()
        .or_else(|| value.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// The refresh JWT a request carries: the bearer's JWT part, or the `DSR` cookie (docs/wire.md §7.3).
fn refresh_jwt(headers: &HeaderMap) -> Option<String> {
    if let Some(jwt) = Bearer::from_headers(headers).and_then(|b| b.jwt) {
        return Some(jwt);
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("DSR=").map(str::to_owned))
}

/// The delivery channel named by a path's last segment.
fn channel(segment: &str) -> Result<Channel, ApiError> {
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
fn mode(segment: &str) -> Result<Mode, ApiError> {
    match segment {
        "signin" => Ok(Mode::SignIn),
        "signup" => Ok(Mode::SignUp),
        "signup-in" => Ok(Mode::SignUpOrIn),
        _ => Err(no_such_endpoint()),
    }
}

fn no_such_endpoint() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::BadRequest,
        "No such endpoint",
    )
}

/// A session on the wire (Descope's `JWTResponse`).
fn jwt_response(granted: Granted) -> JwtResponse {
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
fn masked(masked: crate::links::Masked) -> beckon_proto::MaskedAddress {
    let mut wire = beckon_proto::MaskedAddress::default();
    match masked.channel {
        Channel::Email => wire.masked_email = masked.address,
        Channel::Sms => wire.masked_phone = masked.address,
    }
    wire
}

/// A user on the wire: what Beckon has, and the rest empty as Descope sends it.
fn user_response(user: &User) -> UserResponse {
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

/// Largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let auth = Router::new()
        .route(
            "/enchantedlink/{action}/{method}",
            post(enchanted_link::start),
        )
        .route(
            "/enchantedlink/update/email",
            post(enchanted_link::update_email),
        )
        .route(
            "/enchantedlink/update/phone/{method}",
            post(enchanted_link::update_phone),
        )
        .route("/enchantedlink/verify", post(enchanted_link::verify))
        .route(
            "/enchantedlink/pending-session",
            post(enchanted_link::pending_session),
        )
        .route("/magiclink/verify", post(magic_link::verify))
        .route("/magiclink/{action}/{method}", post(magic_link::start))
        .route("/magiclink/update/email", post(magic_link::update_email))
        // Python sends no method suffix; Node and Go do (docs/wire.md §5.6).
        .route(
            "/magiclink/update/phone",
            post(magic_link::update_phone_sms),
        )
        .route(
            "/magiclink/update/phone/{method}",
            post(magic_link::update_phone),
        )
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
        .route("/openapi.json", get(openapi))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(pages::router(state.dev))
        .merge(management::routes(state.clone()))
        .fallback(not_found)
        // After the fallback, so an unknown path counts too (as `unmatched`).
        .layer(middleware::from_fn_with_state(state.clone(), count_request))
        .layer(catch_panics())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(time_limit))
        .layer(request_log())
        .with_state(state)
}

/// The metrics listener's routes: `GET /metrics` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .with_state(state)
}

/// The Prometheus text exposition, with the outbox read from the database now.
async fn metrics(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let (unsent, oldest) = match state.store.outbox_backlog().await {
        Ok(backlog) => backlog,
        Err(error) => return ApiError::from(error).into_response(),
    };
    let age = oldest.map_or(0, |at| state.clock.now() - at);
    match state.metrics.render(state.waits.held(), unsent, age) {
        Ok(text) => ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text).into_response(),
        Err(error) => ApiError::internal(error).into_response(),
    }
}

/// Counts each routed request by its route's pattern (never its path, which may carry a
/// project ID or be anything a scanner sends); a held wait goes to its own histogram.
async fn count_request(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    if enchanted_link::wait_applied(response.headers()).is_some() {
        state.metrics.held(&route, &method, status, seconds);
    } else {
        state.metrics.request(&route, &method, status, seconds);
    }
    response
}

/// A handler that panics answers 500 in the wire format (and the panic is logged), rather
/// than dropping the connection.
fn catch_panics(
) -> tower_http::catch_panic::CatchPanicLayer<fn(Box<dyn std::any::Any + Send>) -> Response> {
    fn answer(panic: Box<dyn std::any::Any + Send>) -> Response {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        ApiError::internal(format!("a handler panicked: {what}")).into_response()
    }
    tower_http::catch_panic::CatchPanicLayer::custom(answer as fn(_) -> _)
}

/// This API as an OpenAPI 3.1 document (`crates/beckon-server/openapi.json`, checked against
/// the routes and their answers by `tests/server/openapi.rs`).
async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("../../openapi.json"),
    )
}

async fn not_found() -> ApiError {
    no_such_endpoint()
}

/// The longest a request may take, body included; a slow client or a stuck database gets an
/// answer rather than holding a connection.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

// A held poll answers before the router's time limit cuts it.
const _: () = assert!((crate::config::MAX_WAIT_CAP as u64) < REQUEST_TIMEOUT.as_secs());

/// A request cut at [`REQUEST_TIMEOUT`] answers 500, not 503: every Descope SDK retries a 503
/// (and 520–530) up to three times, and a retried sign-in sends up to three more emails.
async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "The request took too long",
        )
        .with_message(format!(
            "No answer within {} seconds; try again",
            REQUEST_TIMEOUT.as_secs()
        ))
        .into_response(),
    }
}

type RequestLog = tower_http::trace::TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    fn(&Request) -> tracing::Span,
    (),
    fn(&Response, std::time::Duration, &tracing::Span),
    (),
    (),
    (),
>;

/// Each request in a span of its method and path (what it logs, an internal error say, sits
/// inside it), and one `request` event with its status and time. Never the query string,
/// which carries link tokens.
fn request_log() -> RequestLog {
    fn span(request: &Request) -> tracing::Span {
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
    }
    fn answered(response: &Response, latency: std::time::Duration, _: &tracing::Span) {
        let ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        let status = response.status().as_u16();
        // A held poll says for how long it could be held (`wait=N`, its Preference-Applied).
        match enchanted_link::wait_applied(response.headers()) {
            Some(wait) => tracing::info!(status, ms, wait, "request"),
            None => tracing::info!(status, ms, "request"),
        }
    }
    tower_http::trace::TraceLayer::new_for_http()
        .make_span_with(span as fn(&Request) -> tracing::Span)
        .on_request(())
        .on_response(answered as fn(&Response, std::time::Duration, &tracing::Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

/// `Authorization: Bearer <projectId>[:<jwt>][:<key>]` must name this project (docs/wire.md §1.1).
async fn require_project(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match Bearer::from_headers(request.headers()) {
        Some(bearer) if *bearer.project_id == *state.project_id => next.run(request).await,
        Some(_) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidProject,
            "Unknown project ID in the Authorization header",
        )
        .into_response(),
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::MissingProject,
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
        // A JWT has two dots; an opaque management key has none (docs/wire.md §1.1).
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    /// The SDKs' retried statuses (Python `_RETRY_STATUS_CODES`, Node's core-js-sdk list).
    const RETRIED_BY_THE_SDKS: [u16; 6] = [503, 520, 521, 522, 524, 530];

    #[tokio::test]
    async fn a_handler_that_panics_answers_500_in_the_wire_format() {
        use tower::ServiceExt;
        let broken = Router::new()
            .route(
                "/broken",
                get(|| async {
                    if true {
                        panic!("a column changed type");
                    }
                    "never"
                }),
            )
            .layer(catch_panics());
        let request = Request::get("/broken")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = broken.oneshot(request).await.unwrap();
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errorCode"], ErrorCode::Internal.as_str());
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_cut_at_the_time_limit_is_not_one_the_sdks_retry() {
        use tower::ServiceExt;
        let slow = Router::new()
            .route(
                "/slow",
                post(|| async {
                    tokio::time::sleep(REQUEST_TIMEOUT * 2).await;
                    "late"
                }),
            )
            .layer(middleware::from_fn(time_limit));
        let request = Request::post("/slow")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = slow.oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        assert_eq!(status, 500);
        assert!(!RETRIED_BY_THE_SDKS.contains(&status));
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errorCode"], ErrorCode::Internal.as_str());
    }

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
