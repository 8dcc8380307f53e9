//! `ui/src/bindings.ts`: every shape the window receives, generated from the Rust types
//! (ts-rs), and the map of every command the window may call, generated from the commands'
//! signatures in `commands.rs` (their parameters, camel-cased as Tauri passes them, and what
//! they answer). The test below fails when the committed file differs from what the Rust says;
//! `BINDINGS=write cargo test -p beckon-desktop --test bindings` writes it anew.
//!
//! (Being an integration test, it also makes `cargo test` build the app's binary, which the
//! end-to-end tests drive.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ts_rs::TS;

use beckon_session::settings::SettingsView;
use beckon_session::{EmailChange, Error, LinkIgnored, Mode, Notice, SessionState, UrlProblem};

const HEADER: &str = "// Generated from the Rust types (crates/beckon-session, src-tauri) by src-tauri/tests/bindings.rs (ts-rs).\n\
// Do not edit: change the Rust and run `BINDINGS=write cargo test -p beckon-desktop --test bindings`.\n\
// CI fails when this file and the Rust types differ.\n";

/// The file as the Rust types say it should be.
fn generate() -> String {
    let declarations = [
        UrlProblem::decl(),
        Error::decl(),
        LinkIgnored::decl(),
        Notice::decl(),
        Mode::decl(),
        EmailChange::decl(),
        SessionState::decl(),
        SettingsView::decl(),
    ];
    let mut out = String::from(HEADER);
    out.push_str(&format!(
        "\n/** The event every state change arrives on, with a `SessionState`. */\nexport const STATE_EVENT = {:?};\n",
        beckon_desktop::STATE_EVENT
    ));
    for declaration in declarations {
        out.push_str(&format!("\nexport {declaration}\n"));
    }
    out.push_str(
        "\n/** Every command the window may call (src-tauri/src/commands.rs): its arguments and \
         its answer. Call them through `call` in ui/src/ipc.ts. */\nexport type Commands = {\n",
    );
    let source = include_str!("../src/commands.rs");
    for command in commands(source) {
        out.push_str(&format!("  {command},\n"));
    }
    out.push_str("};\n");
    out
}

/// The Rust types a command takes or answers, as the window sees them. A new one fails the
/// test until it is named here.
fn typescript(rust: &str) -> String {
    let rust = rust.trim();
    if let Some(inner) = rust
        .strip_prefix("Option<")
        .and_then(|r| r.strip_suffix('>'))
    {
        return format!("{} | null", typescript(inner));
    }
    if let Some(inner) = rust
        .strip_prefix("Result<")
        .and_then(|r| r.strip_suffix('>'))
    {
        // The error (an `Error`) rejects the promise; the answer is the `Ok` side.
        let (ok, error) = inner.split_once(',').unwrap_or((inner, ""));
        assert_eq!(error.trim(), "Error", "commands fail with an Error: {rust}");
        return typescript(ok);
    }
    match rust {
        "String" => "string".into(),
        "bool" => "boolean".into(),
        "" | "()" => "null".into(),
        "SessionState" => SessionState::name(),
        "Mode" => Mode::name(),
        "SettingsView" => SettingsView::name(),
        other => panic!("a command uses {other}: name its TypeScript in bindings.rs"),
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// `name: { args: {…}, returns: … }` for each `#[tauri::command]` in `source`. Tauri's own
/// parameters (`State<…>`, the window, the app) are not the window's to pass.
fn commands(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in source.split("#[tauri::command]").skip(1) {
        let signature = chunk
            .split_once('{')
            .map_or(chunk, |(signature, _)| signature);
        let after_fn = signature.split_once("fn ").map_or("", |(_, rest)| rest);
        let (name, rest) = after_fn.split_once('(').unwrap_or_default();
        let (params, answer) = rest.rsplit_once(')').unwrap_or_default();
        let answer = answer.trim().strip_prefix("->").unwrap_or("").trim();
        let mut args = Vec::new();
        let mut depth = 0;
        let mut start = 0;
        let mut parts = Vec::new();
        for (i, c) in params.char_indices() {
            match c {
                '<' | '(' => depth += 1,
                '>' | ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&params[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&params[start..]);
        for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let (param, rust) = part.split_once(':').unwrap_or_default();
            let rust = rust.trim();
            if rust.starts_with("State<") || rust.contains("AppHandle") || rust.contains("Window") {
                continue;
            }
            args.push(format!(
                "{}: {}",
                camel_case(param.trim()),
                typescript(rust)
            ));
        }
        let args = if args.is_empty() {
            "{}".to_owned()
        } else {
            format!("{{ {} }}", args.join(", "))
        };
        out.push(format!(
            "{}: {{ args: {args}, returns: {} }}",
            name.trim(),
            typescript(answer)
        ));
    }
    out
}

#[test]
fn every_command_the_app_registers_is_in_the_map() {
    let map = commands(include_str!("../src/commands.rs"));
    let registered = include_str!("../src/lib.rs")
        .split("generate_handler![")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_default()
        .split(',')
        .map(|c| c.trim().trim_start_matches("commands::").to_owned())
        .filter(|c| !c.is_empty())
        .count();
    assert_eq!(map.len(), registered, "{map:#?}");
    assert!(map.iter().any(|c| {
        c
        == "save_settings: { args: { baseUrl: string, projectId: string }, returns: SettingsView }"
    }));
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
