//! What a request carries besides its body, as typed extractors: the client's address and
//! the `Authorization` bearer (project ID, refresh JWT, management key).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use axum::http::HeaderMap;

use crate::state::AppState;

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
pub(super) fn parse_ip(value: &str) -> Option<IpAddr> {
    value
        .parse::<IpAddr>()
        .ok()
        .or_else(|| value.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// The refresh JWT a request carries: the bearer's JWT part, or the `DSR` cookie (docs/wire.md §7.3).
pub(super) fn refresh_jwt(headers: &HeaderMap) -> Option<String> {
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
