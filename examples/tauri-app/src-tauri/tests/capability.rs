//! The example's window signs in with the plugin's `default` set and nothing more: the
//! session JWT stays in Rust, which calls the backend with it.
//!
//! (Being an integration test, it also makes `cargo test` build the example's binary, which
//! the end-to-end test drives.)
#![allow(clippy::unwrap_used)]

#[test]
fn the_window_gets_the_default_set_and_not_the_token() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/capabilities/default.json");
    let capability: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let granted = capability["permissions"].as_array().unwrap();
    assert!(granted.iter().any(|p| p == "beckon:default"));
    assert!(!granted.iter().any(|p| p == "beckon:allow-session-token"));
}
