//! A real SMTP server for the email tests: aiosmtpd on a loopback port, run by
//! `tests/support/smtp_server.py` with the Python of `.venv` (`scripts/setup.sh --test` installs
//! it). A test that starts one first asks `beckon_testkit::require(Service::Smtp)`.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct SmtpServer {
    pub port: u16,
    pub maildir: tempfile::TempDir,
    said: Arc<Mutex<Vec<String>>>,
    _child: Child,
}

impl SmtpServer {
    /// Starts the server with `args` (see the script's header).
    pub async fn start(args: &[&str]) -> Self {
        let python = beckon_testkit::services::python();
        assert!(
            python.exists(),
            "{} is missing: run ./scripts/setup.sh --test (it installs aiosmtpd there)",
            python.display()
        );
        let maildir = tempfile::tempdir().unwrap();
        let mut child = Command::new(python)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py"))
            .arg("--maildir")
            .arg(maildir.path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // aiosmtpd logs each refused TLS handshake with a traceback; set
            // BECKON_TEST_SMTP_LOG=1 to see its log.
            .stderr(if std::env::var_os("BECKON_TEST_SMTP_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .kill_on_drop(true)
            .spawn()
            .expect("the SMTP server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("the SMTP server says where it listens")
            .unwrap()
            .expect("a first line (is aiosmtpd installed? run ./scripts/setup.sh --test)");
        let port = first
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {first}"));
        let said = Arc::new(Mutex::new(Vec::new()));
        let log = said.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                log.lock().unwrap().push(line);
            }
        });
        Self {
            port,
            maildir,
            said,
            _child: child,
        }
    }

    /// How many times the server said `word` ("accepted", "deferred").
    pub fn count(&self, word: &str) -> usize {
        self.said
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with(word))
            .count()
    }

    /// Waits until the server has said `word` `n` times.
    pub async fn wait_for(&self, word: &str, n: usize) {
        let start = Instant::now();
        while self.count(word) < n {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the SMTP server said {word:?} {} times, not {n}",
                self.count(word)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The `n`-th accepted message, parsed by Python's email package.
    pub fn message(&self, n: usize) -> Value {
        let text = std::fs::read_to_string(self.maildir.path().join(format!("{n}.json"))).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

/// A port nothing listens on (bound and let go).
pub fn unused_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
