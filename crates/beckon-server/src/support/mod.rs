//! What every layer may use and that uses nothing of the server's: time, secrets and their
//! hashes, the Prometheus series, and the hooks tests reach in by (fault points, checkpoints,
//! kept renders).

pub mod checkpoints;
pub mod clock;
pub mod faults;
pub mod metrics;
#[cfg(test)]
pub(crate) mod renders;
pub mod secrets;
