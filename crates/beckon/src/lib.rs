//! `beckon`: a Rust client for Descope's authentication REST API.
//!
//! It speaks the wire contract that Descope's own SDKs speak, so it works against Descope's
//! cloud (give it a project ID) or against a self-hosted `beckon-server` (also give it the
//! server's base URL).
//!
//! ```no_run
//! # async fn demo() -> beckon::Result<()> {
//! use beckon::{Client, WaitOptions};
//!
//! let client = Client::new("P2OPANdSmtackRAJlrRKFxFcoriw")?
//!     .with_base_url("http://127.0.0.1:8787");
//! let request = client.enchanted_link().sign_up_or_in("ada@example.com", None).await?;
//! println!("Tap the link numbered {} sent to {}", request.link_id, request.masked_email);
//! let session = client
//!     .enchanted_link()
//!     .wait_for_session(&request.pending_ref, &WaitOptions::default())
//!     .await?;
//! let claims = client.validate_session(session.session_jwt.expose()).await?;
//! println!("signed in as user {}", claims.subject);
//! # Ok(()) }
//! ```

mod client;
mod enchanted_link;
mod error;
mod jwks;
mod magic_link;
mod options;
mod proof;
mod secret;
mod session;

pub use client::{Client, DEFAULT_BASE_URL};
pub use enchanted_link::{
    EnchantedLink, LinkRequest, SessionPoll, SignUpUser, WaitEvent, WaitOptions,
};
pub use error::{Error, Result};
pub use magic_link::{DeliveryMethod, MagicLink};
pub use options::{LoginOptions, UpdateOptions};
pub use proof::CodeVerifier;
pub use secret::Secret;
pub use session::{AuthResponse, SessionToken, UserResponse, ValidSession};
pub use tokio_util::sync::CancellationToken;
