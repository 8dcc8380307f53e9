//! What Beckon's test suites share, written once: a beckon-server started in the test's process
//! with a clock the test moves ([`ClockedServer`]), which outside services a test needs
//! (skipped with a message under a plain `cargo test`, required under `./scripts/test.sh`), the
//! links in a message ("the link numbered N", a link's token), and the wire's error codes as
//! [`ErrorCode`] values.
//!
//! A dev-dependency of the server's, the SDK's, the app's and the end-to-end tests; never
//! published.

pub mod links;
pub mod metrics;
pub mod server;
pub mod services;

pub use beckon_proto::ErrorCode;
pub use links::{link_numbered, links, links_from_column, numbered, token_of, Link};
pub use server::{real_now, ClockedServer, START};
pub use services::{require, require_for, Service};
