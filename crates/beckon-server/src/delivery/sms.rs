//! Text messages through a Twilio-compatible HTTP API: `POST {base}/2010-04-01/Accounts/
//! {AccountSid}/Messages.json` with the form fields `To`, `From` and `Body`, and HTTP basic
//! authentication (account SID, auth token). Twilio answers `201` with the message; other
//! providers offer the same API.

use std::time::Duration;

use async_trait::async_trait;

use crate::delivery::{SendError, Transport};
use crate::store::Queued;
use crate::support::secrets::Secret;

/// Checked SMS settings.
#[derive(Debug, Clone)]
pub struct SmsSettings {
    /// `https://api.twilio.com`, or another provider with the same API.
    pub base_url: url::Url,
    pub account_sid: String,
    pub auth_token: Secret,
    /// The sending number (E.164) or messaging service name the provider accepts as `From`.
    pub from: String,
}

/// How long one request to the provider may take (less than the worker's claim).
pub const SMS_TIMEOUT: Duration = Duration::from_secs(30);

pub struct SmsTransport {
    settings: SmsSettings,
    endpoint: url::Url,
    http: reqwest::Client,
}

impl SmsTransport {
    pub fn new(settings: SmsSettings) -> anyhow::Result<Self> {
        let mut endpoint = settings.base_url.clone();
        endpoint
            .path_segments_mut()
            .map_err(|()| anyhow::anyhow!("sms_provider_url cannot be a base URL"))?
            .pop_if_empty()
            .extend([
                "2010-04-01",
                "Accounts",
                settings.account_sid.as_str(),
                "Messages.json",
            ]);
        let http = reqwest::Client::builder()
            .timeout(SMS_TIMEOUT)
            .user_agent(concat!("beckon-server/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            settings,
            endpoint,
            http,
        })
    }

    /// `api.twilio.com (account AC…)`, for logs and the startup banner.
    pub fn describe(&self) -> String {
        format!(
            "{} (account {})",
            self.settings.base_url.host_str().unwrap_or_default(),
            self.settings.account_sid
        )
    }
}

#[async_trait]
impl Transport for SmsTransport {
    async fn send(&self, message: &Queued) -> Result<(), SendError> {
        let response = self
            .http
            .post(self.endpoint.clone())
            .basic_auth(
                &self.settings.account_sid,
                Some(self.settings.auth_token.expose()),
            )
            .form(&[
                ("To", message.recipient.as_str()),
                ("From", self.settings.from.as_str()),
                ("Body", message.text_body.as_str()),
            ])
            .send()
            .await
            .map_err(|e| {
                SendError::Retry(format!(
                    "cannot reach the SMS provider at {}: {}; check sms_provider_url",
                    self.describe(),
                    without_url(&e)
                ))
            })?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        // Twilio's errors are JSON: {"code": 21211, "message": "...", "status": 400}.
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        let said = match (body["code"].as_i64(), body["message"].as_str()) {
            (Some(code), Some(text)) => format!("{text} (code {code})"),
            (None, Some(text)) => text.to_owned(),
            _ => String::new(),
        };
        let error = match status.as_u16() {
            401 | 403 => format!(
                "the SMS provider refused the account ({status} {said}): check sms_account_sid and the token in sms_auth_token_file"
            ),
            _ => format!("the SMS provider answered {status} {said}"),
        };
        // Retried: a rate limit, the provider's trouble, or credentials an operator can fix
        // while the links are valid. Anything else is about this message.
        if matches!(status.as_u16(), 401 | 403 | 408 | 429) || status.is_server_error() {
            Err(SendError::Retry(error))
        } else {
            Err(SendError::Permanent(error))
        }
    }
}

/// A reqwest error's text without its URL, which names the account.
fn without_url(error: &reqwest::Error) -> String {
    let mut error = error.to_string();
    if let Some(start) = error.find(" for url (") {
        error.truncate(start);
    }
    error
}
