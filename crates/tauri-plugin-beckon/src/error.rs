//! What a command fails with: the session's own error, a code with typed fields that the
//! view words (serialized as `{"code": …}`).

pub use beckon_session::Error;

/// A command's result.
pub type Result<T> = std::result::Result<T, Error>;
