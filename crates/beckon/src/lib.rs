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
//! println!("Tap the link numbered {} sent to {}", request.link_id, request.masked.address());
//! let session = client
//!     .enchanted_link()
//!     .wait_for_session(&request.pending_ref, &WaitOptions::default())
//!     .await?;
//! let claims = client.validate_session(session.session_jwt.expose()).await?;
//! println!("signed in as user {}", claims.subject);
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod backoff;
mod client;
mod enchanted_link;
mod error;
mod jwks;
mod magic_link;
mod options;
mod proof;
mod session;

pub use backoff::Backoff;
pub use client::{Client, DEFAULT_BASE_URL};
pub use enchanted_link::{CancelWait, EnchantedLink, SessionPoll, WaitEvent, WaitOptions};
pub use error::{Error, NetworkError, Result};
pub use magic_link::{DeliveryMethod, MagicLink};
pub use options::UpdateOptions;
pub use proof::CodeVerifier;
pub use session::{SessionToken, ValidSession};

/// The wire shapes this SDK sends and reads, shared with beckon-server.
pub use beckon_proto as proto;
pub use beckon_proto::{ErrorCode, LoginOptions, Secret, SignUpUser, UserResponse};

/// A started enchanted-link sign-in (the wire answer): show `link_id`, then wait on
/// `pending_ref`.
pub type LinkRequest = beckon_proto::EnchantedLinkResponse;
/// A signed-in session (the wire `JWTResponse`): keep `refresh_jwt` in the OS keyring.
pub type AuthResponse = beckon_proto::JwtResponse;
