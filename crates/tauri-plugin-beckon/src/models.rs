//! The shapes a web view receives, from `beckon-session`, and the settings view. The
//! TypeScript declarations in `guest-js/bindings.ts` are generated from these.

pub use beckon_session::settings::{SettingsView, ViewWords};
pub use beckon_session::{EmailChange, LinkIgnored, Mode, Notice, SessionState, UrlProblem};
