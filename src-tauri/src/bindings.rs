//! `ui/src/bindings.ts`: every shape the window receives, generated from the Rust types
//! (ts-rs). The test below fails when the committed file differs from what the types say;
//! `BINDINGS=write cargo test -p beckon-desktop --lib bindings` writes it anew.

use ts_rs::TS;

use crate::error::{ErrorCode, UiError};
use crate::flow::{EmailChange, FlowState, Mode};
use crate::settings::SettingsView;

const HEADER: &str = "// Generated from the Rust types in src-tauri by src-tauri/src/bindings.rs (ts-rs).\n\
// Do not edit: change the Rust and run `BINDINGS=write cargo test -p beckon-desktop --lib bindings`.\n\
// CI fails when this file and the Rust types differ.\n";

/// The file as the Rust types say it should be.
fn generate() -> String {
    let declarations = [
        ErrorCode::decl(),
        UiError::decl(),
        Mode::decl(),
        EmailChange::decl(),
        FlowState::decl(),
        SettingsView::decl(),
    ];
    let mut out = String::from(HEADER);
    out.push_str(&format!(
        "\n/** The event every state change arrives on, with a `FlowState`. */\nexport const STATE_EVENT = {:?};\n",
        crate::STATE_EVENT
    ));
    for declaration in declarations {
        out.push_str(&format!("\nexport {declaration}\n"));
    }
    out
}

fn path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts")
}

#[test]
fn bindings_match_the_rust_types() {
    let wanted = generate();
    if std::env::var("BINDINGS").as_deref() == Ok("write") {
        std::fs::write(path(), &wanted).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path()).unwrap_or_default();
    assert!(
        committed == wanted,
        "ui/src/bindings.ts is stale: run `BINDINGS=write cargo test -p beckon-desktop --lib \
         bindings` and commit it. It should be:\n{wanted}"
    );
}
