//! Fault hooks for the fault tests (`tests/faults`), compiled in only with the `fault-hooks`
//! feature, which no release build has. Each is asked for by an environment variable that
//! only such a build accepts:
//! - `BECKON_FAULT_CRASH_AT=<point>`: the process aborts (as a `kill -9` would leave it) when
//!   it reaches that point: `confirm-committed` (a link's confirmation is stored, its answer
//!   not sent) or `session-committed` (a session is handed out, its answer not sent);
//! - `BECKON_FAULT_SQLITE=full|read-only`: every SQLite connection refuses to grow the
//!   database (`max_page_count` at its size when opened) or to write at all (`query_only`).
//!
//! Without the feature every hook is an empty function.

/// The variables the hooks read: accepted by the environment check only in a build with
/// the hooks.
#[cfg(feature = "fault-hooks")]
pub const VARIABLES: &[&str] = &["BECKON_FAULT_CRASH_AT", "BECKON_FAULT_SQLITE"];
#[cfg(not(feature = "fault-hooks"))]
pub const VARIABLES: &[&str] = &[];

/// Aborts here when `BECKON_FAULT_CRASH_AT` names this point.
pub fn crash_point(point: &str) {
    #[cfg(feature = "fault-hooks")]
    if std::env::var("BECKON_FAULT_CRASH_AT").is_ok_and(|at| at == point) {
        eprintln!("beckon-server: fault hook: crashing at {point}");
        std::process::abort();
    }
    #[cfg(not(feature = "fault-hooks"))]
    let _ = point;
}

/// The SQL each new SQLite connection runs for `BECKON_FAULT_SQLITE`, if any.
pub fn sqlite_fault() -> Option<&'static str> {
    #[cfg(feature = "fault-hooks")]
    match std::env::var("BECKON_FAULT_SQLITE").as_deref() {
        Ok("full") => return Some("full"),
        Ok("read-only") => return Some("PRAGMA query_only = ON"),
        _ => {}
    }
    None
}
