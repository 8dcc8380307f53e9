//! The plain app is the example without the plugin, so the benchmark compares like with like:
//! the same window and the same content security policy. (Also, as an integration test, it has
//! cargo build the app's binary with the test build, where `scripts/bench.sh --quick` finds
//! it.)

fn config(path: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_plain_app_has_the_examples_window_and_policy() {
    let plain = config("tauri.conf.json");
    let example = config("../../../examples/tauri-app/src-tauri/tauri.conf.json");
    assert_eq!(plain["app"]["windows"], example["app"]["windows"]);
    assert_eq!(plain["app"]["security"], example["app"]["security"]);
    assert_eq!(plain["bundle"]["icon"], example["bundle"]["icon"]);
}
