//! End-to-end: the real Beckon desktop binary in a real webview (tauri-driver +
//! WebKitWebDriver), against a real beckon-server on a loopback port.
//!
//! Needs a display (run under `xvfb-run`), `tauri-driver` and `WebKitWebDriver` on the PATH,
//! and both binaries built: `scripts/test.sh` does all of that. Set `BECKON_SCREENSHOTS=DIR`
//! to save screenshots of each screen (with ImageMagick's `import`).
//!
//! One file per feature, as in the app (`sign_in`, `session`, `change_email`, `settings`,
//! `magic`), and `example` for the example app; `steps` holds what they share, `harness` the processes, `webdriver` the client.
//!
//! Linux only: the harness drives WebKitWebDriver and ends its processes by process group.
//! On Windows and macOS the release workflow builds and tests the app (CONTRIBUTING.md).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod change_email;
mod example;
mod harness;
mod languages;
mod magic;
mod session;
mod settings;
mod sign_in;
mod steps;
mod webdriver;
