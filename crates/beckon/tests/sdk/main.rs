//! The `beckon` SDK against a real beckon-server on a loopback port.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod flow;
mod held;
mod magic;
mod sessions;
mod updates;
mod validation;

use std::sync::Arc;

use beckon_server::config::Config;
use beckon_server::support::clock::ManualClock;
use beckon_server::Running;
use beckon_testkit::ClockedServer;

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
        // The SDK checks a JWT's times against the real clock: the server's starts there.
        let ClockedServer { server, clock } =
            ClockedServer::start(&config, beckon_testkit::real_now()).await;
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
        beckon_testkit::links_from_column(&self.links_json(email).await)
            .into_iter()
            .map(|link| (link.number.clone().expect("a numbered link"), link.token()))
            .collect()
    }

    /// The token of the one link in the newest message to `to` (a magic link).
    pub async fn magic_token(&self, to: &str) -> String {
        let links = beckon_testkit::links_from_column(&self.links_json(to).await);
        assert_eq!(links.len(), 1, "a magic link message has one link");
        assert!(links[0].number.is_none());
        links[0].token()
    }

    /// The code in the newest sign-in message to `to` (`ABCD-EFGH`).
    pub async fn code(&self, to: &str) -> String {
        let rows = self.server.state.store.dev_outbox(50).await.unwrap();
        let row = rows
            .iter()
            .find(|r| r.recipient == to && r.kind == "sign_in")
            .expect("a sign-in message");
        beckon_testkit::links::code_in(&row.text_body)
    }

    /// The links of the newest sign-in message to `to`, as the outbox table keeps them (JSON
    /// text).
    async fn links_json(&self, to: &str) -> String {
        let rows = self.server.state.store.dev_outbox(50).await.unwrap();
        let row = rows
            .iter()
            .find(|r| r.recipient == to && r.kind == "sign_in")
            .expect("a sign-in message");
        row.links_json.clone()
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
            other => panic!("an answer this test does not know: {other:?}"),
        }
    }
}
