//! Which server an app signs in with: a base URL, a project ID, or both (from settings, or
//! `BECKON_BASE_URL` and `BECKON_PROJECT_ID`; see [`crate::settings`]).
//!
//! - Neither set: the local beckon-server at `http://127.0.0.1:8787`, asked for its project.
//! - Only `BECKON_PROJECT_ID`: Descope's cloud, with the SDKs' base-URL rule.
//! - Only `BECKON_BASE_URL`: that beckon-server, asked for its project.
//! - Both: that server and project.
//!
//! A plain `http://` server is used only on this computer (127.0.0.0/8, `::1`, `localhost`):
//! elsewhere the refresh JWT would cross the network unencrypted. `BECKON_UNSAFE_PLAIN_HTTP=1`
//! allows it for a run, on a network its user trusts.

use crate::error::Error;

/// Where the local development server listens by default.
pub const LOCAL_SERVER: &str = "http://127.0.0.1:8787";

/// The variable that lets a run use a plain `http://` server on another machine.
pub const UNSAFE_PLAIN_HTTP: &str = "BECKON_UNSAFE_PLAIN_HTTP";

/// Which server to sign in with: a base URL, a project ID, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// A beckon-server's (or a custom Descope) base URL.
    pub base_url: Option<String>,
    /// A Descope project ID; alone, it means Descope's cloud.
    pub project_id: Option<String>,
    /// A plain `http://` server off this computer is allowed ([`UNSAFE_PLAIN_HTTP`]).
    pub unsafe_plain_http: bool,
}

impl ServerConfig {
    /// A configuration from a base URL and a project ID; neither means the local server.
    pub fn from_values(base_url: Option<String>, project_id: Option<String>) -> Self {
        let base_url = match (&base_url, &project_id) {
            (None, None) => Some(LOCAL_SERVER.to_owned()),
            _ => base_url,
        };
        Self {
            base_url,
            project_id,
            unsafe_plain_http: false,
        }
    }

    /// This configuration, with a plain `http://` server off this computer allowed or not.
    pub fn unsafe_plain_http(self, allowed: bool) -> Self {
        Self {
            unsafe_plain_http: allowed,
            ..self
        }
    }

    /// Refuses a plain `http://` server that is not on this computer, unless allowed.
    pub fn check_transport(&self) -> Result<(), Error> {
        match &self.base_url {
            Some(base) if !self.unsafe_plain_http => check_transport(base),
            _ => Ok(()),
        }
    }

    /// Names the server and project, to file its session under in the keyring.
    pub fn identity(&self) -> String {
        match (&self.base_url, &self.project_id) {
            (Some(base), Some(project)) => format!("{}#{project}", base.trim_end_matches('/')),
            (Some(base), None) => base.trim_end_matches('/').to_owned(),
            (None, Some(project)) => project.clone(),
            (None, None) => String::new(),
        }
    }

    /// A client for the configured server.
    pub async fn client(&self) -> Result<beckon::Client, Error> {
        self.check_transport()?;
        match (&self.base_url, &self.project_id) {
            (base, Some(project)) => {
                let client =
                    beckon::Client::new(project.as_str()).map_err(|_| Error::BadProjectId {
                        input: project.clone(),
                    })?;
                Ok(match base {
                    Some(base) => client.with_base_url(base.as_str()),
                    None => client,
                })
            }
            (Some(base), None) => beckon::Client::discover(base).await.map_err(|e| match e {
                beckon::Error::Network(_) => Error::Offline {
                    server: Some(base.clone()),
                },
                other => Error::NoProject {
                    server: base.clone(),
                    detail: other.to_string(),
                },
            }),
            (None, None) => Err(Error::NoServer),
        }
    }
}

/// `base` is `https://`, or plain `http://` on this computer; otherwise
/// [`Error::PlainHttp`].
pub fn check_transport(base: &str) -> Result<(), Error> {
    let Ok(url) = url::Url::parse(base) else {
        return Ok(()); // Not a URL at all: the client says so when it is built.
    };
    let on_this_computer = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if url.scheme() != "http" || on_this_computer {
        return Ok(());
    }
    Err(Error::PlainHttp {
        url: base.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_local_server() {
        let c = ServerConfig::from_values(None, None);
        assert_eq!(c.base_url.as_deref(), Some(LOCAL_SERVER));
        assert_eq!(c.project_id, None);
    }

    const PROJECT: &str = "P2OPANdSmtackRAJlrRKFxFcoriw";

    /// A plain `http://` server off this computer would carry the refresh JWT across the
    /// network in clear: refused wherever a client is built (Settings and `BECKON_BASE_URL`
    /// both end here), saying why. Loopback (127.0.0.0/8, ::1, localhost) and https are not.
    #[tokio::test]
    async fn plain_http_off_this_computer_is_refused_where_the_client_is_built() {
        for url in [
            "http://10.0.0.5:8787",
            "http://auth.example.com",
            "http://[fd00::1]:8787",
        ] {
            let config = ServerConfig::from_values(Some(url.into()), Some(PROJECT.into()));
            let error = config.client().await.unwrap_err();
            assert_eq!(error, Error::PlainHttp { url: url.into() }, "{url}");
        }
        for url in [
            "http://127.0.0.1:8787",
            "http://127.9.9.9:8787",
            "http://[::1]:8787",
            "http://localhost:8787",
            "https://auth.example.com",
        ] {
            let config = ServerConfig::from_values(Some(url.into()), Some(PROJECT.into()));
            assert!(config.client().await.is_ok(), "{url}");
        }
    }

    #[tokio::test]
    async fn the_unsafe_setting_allows_plain_http_off_this_computer() {
        let config =
            ServerConfig::from_values(Some("http://10.0.0.5:8787".into()), Some(PROJECT.into()))
                .unsafe_plain_http(true);
        assert!(config.client().await.is_ok());
    }

    #[test]
    fn project_alone_means_the_cloud() {
        let c = ServerConfig::from_values(None, Some("P2OPANdSmtackRAJlrRKFxFcoriw".into()));
        assert_eq!(c.base_url, None);
    }
}
