//! A beckon-server in the test's own process, on a loopback port, with a clock the test moves
//! instead of sleeping: links and sessions expire when the test says so.

use std::sync::Arc;

use beckon_server::config::Config;
use beckon_server::support::clock::{Clock, ManualClock};
use beckon_server::Running;

/// Where the server suites start their clocks: a fixed time, so a failure replays the same.
pub const START: i64 = 1_790_000_000;

/// A started server and its clock. It runs until the test's runtime ends, or
/// `server.stop()`.
pub struct ClockedServer {
    /// The server: its address (`server.base_url()`) and its state, for tests that look in.
    pub server: Running,
    /// Its clock, in the test's hands.
    pub clock: Arc<ManualClock>,
}

impl ClockedServer {
    /// Starts a server with `config` and its clock at `now` (Unix seconds; [`START`], or the
    /// real time for a client that checks a JWT's times against its own).
    ///
    /// Panics if the server does not start, with why.
    pub async fn start(config: &Config, now: i64) -> Self {
        let clock = Arc::new(ManualClock::new(now));
        let server = match beckon_server::start(config, clock.clone()).await {
            Ok(server) => server,
            Err(error) => panic!("beckon-server did not start: {error:#}"),
        };
        Self { server, clock }
    }

    /// The server's base URL (`http://127.0.0.1:PORT`).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The time on the server's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Moves the server's clock `seconds` on.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance(seconds);
    }
}

/// The real time, in Unix seconds.
pub fn real_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
