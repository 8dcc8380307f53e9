//! A simulated desktop's connection: one HTTP/1.1 connection from a loopback address of its
//! own (all of 127.0.0.0/8 is loopback; the server's per-IP limits count each address), so
//! thousands of desktops meet the default limits as real ones on their own networks would.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::Context;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

use crate::server::PENDING_SESSION;

/// The `n`th simulated desktop's address, in `block` (one /16 per use, so rows never share
/// one): 127.BLOCK.x.y, never .0 or .255.
pub fn address(block: u8, n: u32) -> Ipv4Addr {
    let x = (n / 254) as u8;
    let y = (n % 254) as u8 + 1;
    Ipv4Addr::new(127, block, x, y)
}

/// An answer: status, JSON body, and whether the server said it held the request.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub held: bool,
}

pub struct Conn {
    send: SendRequest<Full<Bytes>>,
    host: String,
    project: String,
}

impl Conn {
    /// Connects from `from` to the server at `to`.
    pub async fn open(from: Ipv4Addr, to: SocketAddr, project: &str) -> anyhow::Result<Self> {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket
            .bind(SocketAddr::from((from, 0)))
            .with_context(|| format!("cannot bind {from}"))?;
        let stream = socket.connect(to).await.context("cannot connect")?;
        stream.set_nodelay(true)?;
        let (send, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Self {
            send,
            host: to.to_string(),
            project: project.to_owned(),
        })
    }

    async fn request(
        &mut self,
        method: &str,
        path: &str,
        body: Option<Value>,
        prefer: Option<u64>,
    ) -> anyhow::Result<Answer> {
        self.send.ready().await?;
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host)
            .header("authorization", format!("Bearer {}", self.project))
            .header("content-type", "application/json");
        if let Some(wait) = prefer {
            request = request.header("prefer", format!("wait={wait}"));
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let response = self
            .send
            .send_request(request.body(Full::new(Bytes::from(body)))?)
            .await?;
        let status = response.status().as_u16();
        let held = response.headers().contains_key("preference-applied");
        let bytes = response.into_body().collect().await?.to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, body, held })
    }

    /// Asks for three links to `email`: (pendingRef, linkId), or the refusal's status.
    pub async fn start(&mut self, email: &str) -> anyhow::Result<Result<(String, String), u16>> {
        let answer = self
            .request(
                "POST",
                "/v1/auth/enchantedlink/signup-in/email",
                Some(json!({ "loginId": email })),
                None,
            )
            .await?;
        if answer.status != 200 {
            return Ok(Err(answer.status));
        }
        let text = |key: &str| answer.body[key].as_str().unwrap_or_default().to_owned();
        Ok(Ok((text("pendingRef"), text("linkId"))))
    }

    /// The token of the link numbered `number` in the newest sign-in message to `email` (the
    /// development outbox).
    pub async fn token(&mut self, email: &str, number: &str) -> anyhow::Result<String> {
        let path = format!("/dev/outbox?to={}", email.replace('@', "%40"));
        let answer = self.request("GET", &path, None, None).await?;
        let newest = answer
            .body
            .as_array()
            .and_then(|messages| messages.iter().find(|m| m["kind"] == "sign_in"));
        let url = newest
            .and_then(|m| m["links"].as_array())
            .and_then(|links| links.iter().find(|l| l["number"] == number))
            .and_then(|l| l["url"].as_str())
            .with_context(|| format!("no link numbered {number} to {email}"))?;
        let token = url
            .split_once("t=")
            .map(|(_, t)| t.split('&').next().unwrap_or_default().to_owned())
            .context("a link with a token")?;
        Ok(token)
    }

    /// Confirms a link: its status.
    pub async fn verify(&mut self, token: &str) -> anyhow::Result<u16> {
        let answer = self
            .request(
                "POST",
                "/v1/auth/enchantedlink/verify",
                Some(json!({ "token": token })),
                None,
            )
            .await?;
        Ok(answer.status)
    }

    /// One `pending-session` poll, held up to `wait` seconds when given.
    pub async fn poll(&mut self, pending_ref: &str, wait: Option<u64>) -> anyhow::Result<Answer> {
        self.request(
            "POST",
            PENDING_SESSION,
            Some(json!({ "pendingRef": pending_ref })),
            wait,
        )
        .await
    }
}
