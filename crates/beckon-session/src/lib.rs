//! The session after phone sign-in, for desktop apps: restore at launch, the enchanted link's
//! held wait, magic links, refresh, sign-out, change of email; kept in the OS keyring.

pub mod config;
pub mod error;
pub mod flow;
pub mod settings;
pub mod vault;
