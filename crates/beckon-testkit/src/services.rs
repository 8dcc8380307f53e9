//! Outside services some tests need, and what a test does when one is missing.
//!
//! A plain `cargo test` from a clone runs every test that needs nothing outside Rust, and a
//! test that needs PostgreSQL, aiosmtpd or a Debian tool returns early after saying so
//! (`skipped: …`, written past the test harness's capture so that it is seen). The full test
//! command sets `BECKON_TEST_REQUIRE_ALL=1`, and then a missing service fails the test instead:
//! the full run skips nothing.
//!
//! ```no_run
//! use beckon_testkit::{require, Service};
//!
//! #[test]
//! fn two_servers_share_one_database() {
//!     if !require(Service::Postgres) {
//!         return;
//!     }
//!     // … the test …
//! }
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The variable that turns every skip into a failure (`./scripts/test.sh` sets it).
pub const REQUIRE_ALL: &str = "BECKON_TEST_REQUIRE_ALL";

/// Something outside Rust that a test needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The test PostgreSQL server: its admin URL in `BECKON_TEST_POSTGRES`
    /// (`export BECKON_TEST_POSTGRES="$(./scripts/test-postgres.sh)"`).
    Postgres,
    /// A real SMTP server: aiosmtpd in `.venv` (or the Python named by `BECKON_TEST_PYTHON`).
    Smtp,
    /// `promtool`, Prometheus's checker (Debian's `prometheus` package).
    Promtool,
    /// The `openssl` command, which makes the SMTP tests' certificates.
    Openssl,
}

impl Service {
    /// What the service is, for a person reading why a test was skipped.
    pub fn describe(self) -> &'static str {
        match self {
            Service::Postgres => "the test PostgreSQL server (BECKON_TEST_POSTGRES)",
            Service::Smtp => "aiosmtpd in .venv (a real SMTP server)",
            Service::Promtool => "promtool (Debian's prometheus package)",
            Service::Openssl => "the openssl command",
        }
    }

    /// Whether the service is there, or why not.
    pub fn check(self) -> Result<(), String> {
        match self {
            Service::Postgres => match std::env::var("BECKON_TEST_POSTGRES") {
                Ok(url) if !url.is_empty() => Ok(()),
                _ => Err("BECKON_TEST_POSTGRES is not set".to_owned()),
            },
            Service::Smtp => {
                let python = python();
                if !python.exists() {
                    return Err(format!("{} is missing", python.display()));
                }
                runs(Command::new(&python).args(["-c", "import aiosmtpd"]))
                    .map_err(|e| format!("{} cannot import aiosmtpd: {e}", python.display()))
            }
            Service::Promtool => runs(Command::new("promtool").arg("--version")),
            Service::Openssl => runs(Command::new("openssl").arg("version")),
        }
    }
}

/// The Python that runs the SMTP server: `BECKON_TEST_PYTHON`, else `.venv`'s.
pub fn python() -> PathBuf {
    std::env::var_os("BECKON_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join(".venv/bin/python"))
}

/// The repository's root.
pub fn workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn runs(command: &mut Command) -> Result<(), String> {
    match command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("it exited with {status}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether a test may go on with `service`. When it is missing: under
/// `BECKON_TEST_REQUIRE_ALL` the test fails saying what is missing; otherwise this says the
/// test is skipped and returns `false`, and the test returns.
pub fn require(service: Service) -> bool {
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    require_for(&test, service)
}

/// [`require`] for a test the harness does not name by its thread (a harness-less suite's
/// case).
pub fn require_for(test: &str, service: Service) -> bool {
    let Err(why) = service.check() else {
        return true;
    };
    let required = std::env::var(REQUIRE_ALL).is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{test} needs {}: {why}; {REQUIRE_ALL} is set, so nothing may be skipped \
         (./scripts/setup.sh --test installs it; ./scripts/test.sh starts PostgreSQL)",
        service.describe()
    );
    // Straight to the process's stderr: the harness captures what `eprintln!` writes and
    // shows it only when a test fails, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test} needs {} ({why}); ./scripts/test.sh runs it",
        service.describe()
    );
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_that_is_not_there_says_why() {
        // No command of that name exists, so the check must say what failed.
        let why = runs(&mut Command::new("beckon-testkit-no-such-command")).unwrap_err();
        assert!(!why.is_empty());
        assert!(runs(&mut Command::new("true")).is_ok());
        assert!(runs(&mut Command::new("false"))
            .unwrap_err()
            .contains("exited"));
    }
}
