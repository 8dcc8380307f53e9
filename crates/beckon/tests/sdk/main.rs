//! The `beckon` SDK against a real beckon-server on a loopback port.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod flow;
mod held;
mod magic;
mod sessions;
mod updates;
mod validation;

use std::sync::Arc;

use beckon_server::clock::ManualClock;
use beckon_server::config::Config;
use beckon_server::Running;

pub struct Harness {
    pub server: Running,
    pub clock: Arc<ManualClock>,
    pub client: beckon::Client,
}

impl Harness {
    pub async fn start() -> Self {
        Self::with_config(Config::for_tests()).await
    }

    pub async fn with_config(config: Config) -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let clock = Arc::new(ManualClock::new(now));
        let server = beckon_server::start(&config, clock.clone()).await.unwrap();
        let client = beckon::Client::new(server.state.project_id.to_string())
            .unwrap()
            .with_base_url(server.base_url());
        Self {
            server,
            clock,
            client,
        }
    }

    /// The links the server sent to `email`: (number, token).
    pub async fn links(&self, email: &str) -> Vec<(String, String)> {
        let rows = self.server.state.store.dev_outbox(50).await.unwrap();
        let row = rows
            .iter()
            .find(|r| r.recipient == email)
            .expect("a message");
        let links: serde_json::Value = serde_json::from_str(&row.links_json).unwrap();
        links
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let url = reqwest::Url::parse(l["url"].as_str().unwrap()).unwrap();
                let token = url
                    .query_pairs()
                    .find(|(k, _)| k == "t")
                    .unwrap()
                    .1
                    .into_owned();
                (l["number"].as_str().unwrap().to_owned(), token)
            })
            .collect()
    }

    /// The token of the one link in the newest message to `to` (a magic link).
    pub async fn magic_token(&self, to: &str) -> String {
        let rows = self.server.state.store.dev_outbox(50).await.unwrap();
        let row = rows.iter().find(|r| r.recipient == to).expect("a message");
        let links: serde_json::Value = serde_json::from_str(&row.links_json).unwrap();
        let links = links.as_array().unwrap();
        assert_eq!(links.len(), 1, "a magic link message has one link");
        assert!(links[0].get("number").is_none());
        token_in(&links[0]["url"])
    }

    /// Signs `email` up or in through the SDK and returns the session.
    pub async fn signed_in(&self, email: &str) -> beckon::AuthResponse {
        let el = self.client.enchanted_link();
        let request = el.sign_up_or_in(email, None).await.unwrap();
        let links = self.links(email).await;
        let (_, token) = links.iter().find(|(n, _)| *n == request.link_id).unwrap();
        el.verify(token).await.unwrap();
        match el.get_session(&request.pending_ref).await.unwrap() {
            beckon::SessionPoll::Ready(session) => *session,
            beckon::SessionPoll::Pending => panic!("verified but still pending"),
        }
    }
}

/// The `t` parameter of a link URL.
fn token_in(url: &serde_json::Value) -> String {
    let url = reqwest::Url::parse(url.as_str().unwrap()).unwrap();
    let token = url.query_pairs().find(|(k, _)| k == "t").unwrap().1;
    token.into_owned()
}
