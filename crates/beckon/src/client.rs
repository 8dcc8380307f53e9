use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::enchanted_link::EnchantedLink;
use crate::jwks::JwksCache;
use crate::{Error, Result, Secret};

/// Descope's cloud API, used when no base URL is given and the project ID names no region.
pub const DEFAULT_BASE_URL: &str = "https://api.descope.com";

/// Statuses that every official SDK retries, with the same delays on average (docs/wire.md
/// §1.4, §9): each is made random as [`crate::Backoff`]'s waits are, so that clients a
/// server's restart cut off together do not retry together.
const RETRY_STATUSES: [u16; 6] = [503, 520, 521, 522, 524, 530];
const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_millis(100),
    Duration::from_secs(5),
    Duration::from_secs(5),
];

/// A client for one Descope project.
///
/// Cheap to clone: clones share the HTTP connection pool and the JWKS cache.
///
/// ```no_run
/// # fn demo() -> beckon::Result<()> {
/// // Descope's cloud:
/// let cloud = beckon::Client::new("P2OPANdSmtackRAJlrRKFxFcoriw")?;
/// // A self-hosted beckon-server:
/// let local = beckon::Client::new("P2OPANdSmtackRAJlrRKFxFcoriw")?
///     .with_base_url("http://127.0.0.1:8787");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    project_id: String,
    base_url: String,
    http: reqwest::Client,
    pub(crate) jwks: Arc<JwksCache>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("project_id", &self.project_id)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `project_id`, talking to the base URL Descope's SDKs derive from it.
    ///
    /// ```no_run
    /// let client = beckon::Client::new("P2OPANdSmtackRAJlrRKFxFcoriw").unwrap();
    /// assert_eq!(client.base_url(), "https://api.descope.com");
    /// ```
    pub fn new(project_id: impl Into<String>) -> Result<Self> {
        let project_id = project_id.into().trim().to_owned();
        if project_id.is_empty() || project_id.contains([':', '/', ' ']) {
            return Err(Error::InvalidArgument(
                "the project ID must be non-empty and contain no ':', '/' or spaces".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("beckon-rust/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Network(e.into()))?;
        Ok(Self {
            base_url: Self::base_url_for_project_id(&project_id),
            project_id,
            http,
            jwks: Arc::new(JwksCache::default()),
        })
    }

    /// Descope's base-URL rule, as the Python and Go SDKs apply it: a project ID of 32 or more
    /// characters carries a region in characters 1..5 (`https://api.use1.descope.com`);
    /// shorter IDs use `https://api.descope.com` (docs/wire.md §1.3).
    ///
    /// ```
    /// assert_eq!(
    ///     beckon::Client::base_url_for_project_id("Puse12aAc4T2V93bddihGEx2Ryhc8e5Z"),
    ///     "https://api.use1.descope.com"
    /// );
    /// ```
    pub fn base_url_for_project_id(project_id: &str) -> String {
        match project_id.get(1..5) {
            Some(region) if project_id.len() >= 32 => format!("https://api.{region}.descope.com"),
            _ => DEFAULT_BASE_URL.to_owned(),
        }
    }

    /// The same client talking to another server, such as a beckon-server
    /// (`http://127.0.0.1:8787`) or a path prefix behind a proxy. A trailing `/` is dropped.
    ///
    /// ```no_run
    /// let client = beckon::Client::new("P2OPANdSmtackRAJlrRKFxFcoriw")
    ///     .unwrap()
    ///     .with_base_url("http://127.0.0.1:8787/");
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8787");
    /// ```
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        // Keys belong to a server: a new server means a new cache.
        self.jwks = Arc::new(JwksCache::default());
        self
    }

    /// A client for a beckon-server, asking it which project it serves
    /// (`GET /.well-known/beckon-project`), so a person needs only its URL. Descope's cloud has
    /// no such endpoint: there, use [`Client::new`] with the project ID.
    ///
    /// ```no_run
    /// # async fn demo() -> beckon::Result<()> {
    /// let client = beckon::Client::discover("http://127.0.0.1:8787").await?;
    /// # Ok(()) }
    /// ```
    pub async fn discover(base_url: &str) -> Result<Self> {
        let probe = Self::new("P000000000000000000000000000")?.with_base_url(base_url);
        let project: beckon_proto::ProjectResponse =
            probe.get("/.well-known/beckon-project", None).await?;
        Ok(Self::new(project.project_id)?.with_base_url(base_url))
    }

    /// The project this client signs in to.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The server this client talks to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Enchanted link: sign in on this device by tapping a numbered link on another.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// let request = client.enchanted_link().sign_in("ada@example.com", None).await?;
    /// # Ok(()) }
    /// ```
    pub fn enchanted_link(&self) -> EnchantedLink<'_> {
        EnchantedLink::new(self)
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path.trim_start_matches('/'))
    }

    fn bearer(&self, refresh_jwt: Option<&Secret>) -> String {
        match refresh_jwt {
            Some(jwt) => format!("Bearer {}:{}", self.project_id, jwt.expose()),
            None => format!("Bearer {}", self.project_id),
        }
    }

    /// POSTs a JSON body and decodes the JSON answer, or the wire error.
    pub(crate) async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
        refresh_jwt: Option<&Secret>,
    ) -> Result<T> {
        let body = encode(body)?;
        self.send(|| self.json_post(path, refresh_jwt, body.clone()))
            .await
    }

    /// POSTs `body` asking the server to hold its answer up to `wait` (`Prefer: wait=N`,
    /// RFC 7240), with an HTTP timeout that outlasts the wait. The answer, and the wait the
    /// server says it applied (`Preference-Applied`), if it said.
    pub(crate) async fn post_held<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
        wait: Duration,
    ) -> (Result<T>, Option<Duration>) {
        let body = match encode(body) {
            Ok(body) => body,
            Err(error) => return (Err(error), None),
        };
        let response = self
            .json_post(path, None, body)
            .header("Prefer", format!("wait={}", wait.as_secs()))
            .timeout(wait + HELD_TIMEOUT_MARGIN)
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(e) => return (Err(Error::Network(e.into())), None),
        };
        let status = response.status();
        let applied = wait_applied(response.headers());
        let retry_after = retry_after(response.headers());
        let answer = match response.bytes().await {
            Ok(bytes) => decode(status, &bytes, retry_after),
            Err(e) => Err(Error::Network(e.into())),
        };
        (answer, applied)
    }

    /// A JSON POST to `path` with the bearer and the headers Descope's SDKs send.
    fn json_post(&self, path: &str, refresh_jwt: Option<&Secret>, body: Vec<u8>) -> RequestBuilder {
        self.http
            .post(self.url(path))
            .header("Authorization", self.bearer(refresh_jwt))
            .header("Content-Type", "application/json")
            .header("x-descope-project-id", &self.project_id)
            .body(body)
    }

    /// GETs a path and decodes the JSON answer, or the wire error.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        refresh_jwt: Option<&Secret>,
    ) -> Result<T> {
        let url = self.url(path);
        let bearer = self.bearer(refresh_jwt);
        self.send(|| self.http.get(&url).header("Authorization", &bearer))
            .await
    }

    async fn send<T: DeserializeOwned>(&self, request: impl Fn() -> RequestBuilder) -> Result<T> {
        let mut delays = RETRY_DELAYS.iter();
        loop {
            let response = request()
                .send()
                .await
                .map_err(|e| Error::Network(e.into()))?;
            let status = response.status();
            if RETRY_STATUSES.contains(&status.as_u16()) {
                if let Some(delay) = delays.next() {
                    tokio::time::sleep(crate::backoff::jittered(*delay)).await;
                    continue;
                }
            }
            let retry_after = retry_after(response.headers());
            let bytes = response
                .bytes()
                .await
                .map_err(|e| Error::Network(e.into()))?;
            return decode(status, &bytes, retry_after);
        }
    }
}

fn encode(body: &impl Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(body)
        .map_err(|e| Error::InvalidArgument(format!("could not encode the request: {e}")))
}

fn decode<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    retry_after: Option<Duration>,
) -> Result<T> {
    if status.is_success() {
        serde_json::from_slice(body).map_err(|e| {
            Error::InvalidResponse(format!(
                "HTTP {status} with a body that is not the expected JSON: {e}"
            ))
        })
    } else {
        Err(Error::from_wire(status.as_u16(), body, retry_after))
    }
}

/// How much longer than the wait a held request may take before it counts as lost.
const HELD_TIMEOUT_MARGIN: Duration = Duration::from_secs(10);

/// `Preference-Applied: wait=N`, as a duration.
fn wait_applied(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get("preference-applied")?.to_str().ok()?;
    value
        .split(',')
        .find_map(|p| p.trim().strip_prefix("wait="))
        .and_then(|n| n.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_rule_matches_the_official_sdks() {
        assert_eq!(
            Client::base_url_for_project_id("Puse12aAc4T2V93bddihGEx2Ryhc8e5Z"),
            "https://api.use1.descope.com"
        );
        assert_eq!(
            Client::base_url_for_project_id("P2OPANdSmtackRAJlrRKFxFcoriw"),
            "https://api.descope.com"
        );
    }

    #[test]
    fn rejects_project_ids_that_would_break_the_bearer() {
        assert!(Client::new("").is_err());
        assert!(Client::new("P2:x").is_err());
    }

    #[test]
    fn base_url_override_drops_trailing_slash_and_builds_paths() {
        let c = Client::new("P2OPANdSmtackRAJlrRKFxFcoriw")
            .unwrap()
            .with_base_url("http://127.0.0.1:8787/");
        assert_eq!(
            c.url("/v1/auth/refresh"),
            "http://127.0.0.1:8787/v1/auth/refresh"
        );
        let pid = c.project_id().to_owned();
        assert_eq!(c.bearer(None), format!("Bearer {pid}"));
        assert_eq!(
            c.bearer(Some(&Secret::new("a.b.c"))),
            format!("Bearer {pid}:a.b.c")
        );
    }
}
