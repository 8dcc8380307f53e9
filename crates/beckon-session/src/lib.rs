//! # beckon-session
//!
//! Phone sign-in for desktop apps, as a library: the session after an enchanted link (the
//! number on screen, the tap on the phone) or a magic link, without any UI toolkit.
//!
//! A [`Session`] restores the remembered session at launch, signs in (holding the wait on
//! the server, so the tap is seen at once), resumes a sign-in after the app was quit, keeps
//! the session fresh, signs out (offline too, or everywhere), changes the email, and hands
//! the app a valid session JWT for its own backend ([`Session::session_token`]). Its
//! [`SessionState`] is what a view shows; every error and note is a code with typed fields
//! ([`Error`], [`Notice`]) for the view to word. The refresh JWT is kept in the OS keyring
//! ([`KeyringVault`]), under the app's own service name.
//!
//! ```no_run
//! # async fn example() {
//! use std::sync::Arc;
//! use beckon_session::{KeyringVault, Mode, ServerConfig, Session, SessionState};
//!
//! let config = ServerConfig::from_values(Some("https://auth.example.com".into()), None);
//! let vault = Arc::new(KeyringVault::new("com.example.app", &config.identity()));
//! let session = Session::builder(config, vault).start();
//! session.restore().await;
//! if !session.is_signed_in() {
//!     // Shows the number in `session.state()`; returns once signed in (or failed).
//!     session.sign_in("ada@example.com", Mode::SignUpOrIn).await;
//! }
//! if let SessionState::SignedIn { email, .. } = session.state() {
//!     let jwt = session.session_token().await.expect("signed in");
//!     println!("{email} is signed in; call the backend with {}", jwt.expose().len());
//! }
//! # }
//! ```
#![warn(missing_docs)]

pub mod config;
pub mod error;
mod session;
pub mod settings;
mod state;
pub mod vault;

pub use beckon::Secret;
pub use config::ServerConfig;
pub use error::{Error, UrlProblem};
#[doc(hidden)]
pub use session::Checkpoint;
pub use session::{DeepLink, InvalidDeepLink, Session, SessionBuilder, States, Timing};
pub use state::{EmailChange, LinkIgnored, Mode, Notice, SessionState};
pub use vault::{KeyringVault, MemoryVault, Vault, VaultError};
