//! Email over SMTP (lettre): settings, the transport, and SMTP failures turned into hints an
//! operator can act on.

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::delivery::{SendError, Transport};
use crate::store::Queued;
use crate::support::secrets::Secret;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network (port 25).
    None,
}

impl Security {
    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(Self::StartTls),
            "tls" => Ok(Self::Tls),
            "none" => Ok(Self::None),
            _ => Err("write starttls (port 587), tls (port 465) or none (a local relay)".into()),
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Self::StartTls => 587,
            Self::Tls => 465,
            Self::None => 25,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::StartTls => "starttls",
            Self::Tls => "tls",
            Self::None => "none",
        }
    }
}

/// Checked SMTP settings.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub credentials: Option<(String, Secret)>,
    pub from: Mailbox,
    /// A PEM file of certificate authorities to trust besides the built-in ones.
    pub ca_file: Option<PathBuf>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.credentials.as_ref().map(|(u, _)| u))
            .field("from", &self.from.to_string())
            .field("ca_file", &self.ca_file)
            .finish_non_exhaustive()
    }
}

impl SmtpSettings {
    /// The port given, or the usual one for `security`.
    pub fn port_or_default(port: Option<u16>, security: Security) -> u16 {
        port.unwrap_or_else(|| security.default_port())
    }

    /// `smtp.example.com:587 (starttls)`, for logs and the startup banner.
    pub fn describe(&self) -> String {
        format!("{}:{} ({})", self.host, self.port, self.security.name())
    }
}

/// Sends email through one SMTP server.
pub struct SmtpTransport {
    settings: SmtpSettings,
    mailer: AsyncSmtpTransport<Tokio1Executor>,
}

/// How long one SMTP conversation may take. The delivery worker's claim on a message lasts
/// longer, so no other worker sends it meanwhile.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl SmtpTransport {
    pub fn new(settings: SmtpSettings) -> anyhow::Result<Self> {
        let tls = |host: &str| -> anyhow::Result<TlsParameters> {
            let mut builder = TlsParameters::builder(host.to_owned());
            if let Some(path) = &settings.ca_file {
                let pem = std::fs::read(path).map_err(|e| {
                    anyhow::anyhow!("cannot read smtp_ca_file {}: {e}", path.display())
                })?;
                let cert = Certificate::from_pem(&pem).map_err(|e| {
                    anyhow::anyhow!(
                        "smtp_ca_file {} is not a PEM certificate: {e}",
                        path.display()
                    )
                })?;
                builder = builder.add_root_certificate(cert);
            }
            Ok(builder.build_rustls()?)
        };
        let tls = match settings.security {
            Security::StartTls => Tls::Required(tls(&settings.host)?),
            Security::Tls => Tls::Wrapper(tls(&settings.host)?),
            Security::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if let Some((user, password)) = &settings.credentials {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Self {
            mailer: builder.build(),
            settings,
        })
    }

    /// Connects and says hello, to tell the operator at start whether mail can go out.
    pub async fn check(&self) -> Result<(), String> {
        match self.mailer.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(format!(
                "the SMTP server at {} did not answer as expected",
                self.settings.describe()
            )),
            Err(error) => Err(self.hint(&error)),
        }
    }

    /// What went wrong, and what to change.
    fn hint(&self, error: &lettre::transport::smtp::Error) -> String {
        let at = self.settings.describe();
        let code = error.status().map(|c| c.to_string());
        let fix = match code.as_deref() {
            Some("530" | "534" | "535") => {
                "the server refused the login: check smtp_username and the password in smtp_password_file"
            }
            Some("550" | "551" | "553") => "the server refused the sender or the recipient: check smtp_from",
            Some("554") => "the server refused the message",
            _ if error.is_tls() || mentions_tls(error) => {
                "TLS failed: port 465 uses smtp_security = \"tls\", port 587 \"starttls\"; a server \
                 with a private certificate authority needs it in smtp_ca_file"
            }
            _ if error.is_timeout() => "the server did not answer in time: check smtp_host and smtp_port, and any firewall",
            _ if error.is_client() => "the server does not speak SMTP as expected (check smtp_security)",
            _ if !error.is_response() => {
                "cannot connect: check smtp_host and smtp_port, and that the server is running"
            }
            _ => "see the server's answer",
        };
        format!("SMTP {at}: {error}; {fix}")
    }
}

/// lettre reports a refused certificate or a failed handshake as a connection error; its
/// text says which.
fn mentions_tls(error: &lettre::transport::smtp::Error) -> bool {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    let text = text.to_ascii_lowercase();
    ["certificate", "handshake", "tls", "ssl"]
        .iter()
        .any(|w| text.contains(w))
}

#[async_trait]
impl Transport for SmtpTransport {
    async fn send(&self, message: &Queued) -> Result<(), SendError> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|e| SendError::Permanent(format!("the recipient is not an address: {e}")))?;
        let email = lettre::Message::builder()
            .from(self.settings.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .message_id(Some(message.message_id.clone()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(message.text_body.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(message.html_body.clone()),
                    ),
            )
            .map_err(|e| SendError::Permanent(format!("the message cannot be built: {e}")))?;
        match self.mailer.send(email).await {
            Ok(_) => Ok(()),
            // A 5xx about this message (not the login) will not change by trying again.
            Err(error)
                if error.is_permanent()
                    && !matches!(
                        error.status().map(|c| c.to_string()).as_deref(),
                        Some("530" | "534" | "535")
                    ) =>
            {
                Err(SendError::Permanent(self.hint(&error)))
            }
            Err(error) => Err(SendError::Retry(self.hint(&error))),
        }
    }
}
