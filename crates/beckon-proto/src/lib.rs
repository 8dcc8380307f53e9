//! The wire: every body, answer and error code that crosses between a client and a
//! Descope-compatible server, declared once.
//!
//! The `beckon` SDK sends and reads these; `beckon-server` reads and sends them. A shape here is
//! what Descope's own SDKs send and expect (`docs/wire.md` in the repository says where each
//! one is used and what each SDK does with it), so a change here is a change to the contract:
//! the server's OpenAPI test and the official SDKs' conformance tests say whether it still
//! holds.
//!
//! Nothing here holds logic beyond reading leniently: a field a client may send as `null` or
//! leave out reads as empty, as Descope's Go server does.

mod answers;
mod bodies;
mod codes;
pub mod management;
mod nullable;
pub mod secret;

pub use answers::{
    EnchantedLinkResponse, JwtResponse, KeySet, MaskedAddress, ProjectResponse, PublicKey,
    UserResponse, WireError,
};
pub use bodies::{
    CodeRequest, LoginOptions, PendingSessionRequest, Redirect, SignInRequest, SignUpUser,
    TokenRequest, UpdateRequest,
};
pub use codes::ErrorCode;
pub use secret::Secret;
