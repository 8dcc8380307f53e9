//! Approved redirect URLs, as Descope's "Approved Domains": a request may send its links
//! only to a page on a host the operator approved, or to an app's own URL scheme. Without
//! this, anyone could ask for a sign-in link for someone else's address that delivers its
//! token to a page of theirs.

use crate::domain::{Error, Result};

/// Where links may point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedRedirects {
    /// Lowercase host names; each also approves its subdomains.
    pub domains: Vec<String>,
    /// Lowercase schemes other than http and https, approved whatever follows.
    pub schemes: Vec<String>,
}

impl ApprovedRedirects {
    /// The configured domains, or by default the public URL's host, and the loopback names
    /// only when that host is one of them (a developer's machine): on a public server a link
    /// to `http://localhost/…` would hand its token to whatever listens on the reader's own
    /// machine.
    pub fn new(domains: Option<Vec<String>>, schemes: Vec<String>, public_url: &url::Url) -> Self {
        let domains = domains.unwrap_or_else(|| {
            let loopback = ["localhost", "127.0.0.1", "[::1]"];
            let host = public_url
                .host_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if loopback.contains(&host.as_str()) {
                loopback.iter().map(|h| (*h).to_owned()).collect()
            } else {
                vec![host]
            }
        });
        Self { domains, schemes }
    }

    /// Refuses a redirect URL outside the approved list, naming the setting that allows it.
    pub fn check(&self, url: &url::Url) -> Result<()> {
        let scheme = url.scheme();
        let approved = if matches!(scheme, "http" | "https") {
            url.host_str().is_some_and(|host| {
                let host = host.to_ascii_lowercase();
                self.domains.iter().any(|domain| {
                    host == *domain
                        || host
                            .strip_suffix(domain.as_str())
                            .is_some_and(|rest| rest.ends_with('.'))
                })
            })
        } else {
            self.schemes.iter().any(|s| s == scheme)
        };
        if approved {
            return Ok(());
        }
        let what = match url.host_str() {
            Some(host) if matches!(scheme, "http" | "https") => format!("the domain {host}"),
            _ => format!("the scheme {scheme}:"),
        };
        Err(Error::invalid(format!(
            "The URI is not approved: {what} is not in this server's approved redirect list"
        ))
        .with_message(
            "The server's operator approves domains with approved_domains \
             (BECKON_APPROVED_DOMAINS) and app schemes with approved_schemes",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approved() -> ApprovedRedirects {
        ApprovedRedirects::new(
            Some(vec!["example.com".into()]),
            vec!["beckon".into()],
            &url::Url::parse("http://auth.internal:8787").unwrap(),
        )
    }

    fn ok(url: &str) -> bool {
        approved().check(&url::Url::parse(url).unwrap()).is_ok()
    }

    #[test]
    fn a_domain_approves_itself_and_its_subdomains_only() {
        assert!(ok("https://example.com/verify"));
        assert!(ok("https://app.EXAMPLE.com:8443/verify?x=1"));
        assert!(ok("http://a.b.example.com/"));
        assert!(!ok("https://badexample.com/"));
        assert!(!ok("https://example.com.evil.net/"));
        assert!(!ok("https://evil.net/?example.com"));
        assert!(!ok("https://example.com@evil.net/"));
    }

    #[test]
    fn other_schemes_only_when_approved() {
        assert!(ok("beckon://auth"));
        assert!(!ok("otherapp://auth"));
        assert!(!ok("javascript:alert(1)"));
    }

    #[test]
    fn the_default_is_this_server_and_loopback_only_on_a_loopback_server() {
        let d = ApprovedRedirects::new(
            None,
            vec![],
            &url::Url::parse("https://auth.example.org").unwrap(),
        );
        let check = |u: &str| d.check(&url::Url::parse(u).unwrap()).is_ok();
        assert!(check("https://auth.example.org/confirm"));
        // A public server never sends a token to whatever listens on the reader's machine.
        assert!(!check("http://localhost:3000/verify"));
        assert!(!check("http://127.0.0.1:3000/verify"));
        assert!(!check("https://example.org/"));
        let local = ApprovedRedirects::new(
            None,
            vec![],
            &url::Url::parse("http://127.0.0.1:8787").unwrap(),
        );
        let check_local = |u: &str| local.check(&url::Url::parse(u).unwrap()).is_ok();
        assert!(check_local("http://localhost:3000/verify"));
        assert!(check_local("http://[::1]:3000/verify"));
        let err = d
            .check(&url::Url::parse("https://evil.net/x").unwrap())
            .unwrap_err();
        assert_eq!(err.refusal(), Some(crate::domain::Refusal::Invalid));
        assert!(err.to_string().contains("evil.net"));
    }
}
