//! `guest-js/bindings.ts`: every shape a web view receives, generated from the Rust types
//! (ts-rs), and the map of every command it may call, generated from the commands'
//! signatures in `src/commands.rs` (their parameters, camel-cased as Tauri passes them, and
//! what they answer). The test below fails when the committed file differs from what the Rust
//! says; `BINDINGS=write cargo test -p tauri-plugin-beckon --test bindings` writes it anew.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ts_rs::TS;

use tauri_plugin_beckon::beckon_session::settings::{SettingsView, ViewWords};
use tauri_plugin_beckon::beckon_session::{
    EmailChange, Error, LinkIgnored, Mode, Notice, SessionState, UrlProblem,
};

const HEADER: &str = "// Generated from the Rust types (crates/beckon-session, crates/tauri-plugin-beckon) by the plugin's tests/bindings.rs (ts-rs).\n\
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
        ViewWords::decl(),
    ];
    let mut out = String::from(HEADER);
    out.push_str(&format!(
        "\n/** The event every state change arrives on, with a `SessionState`. */\nexport const STATE_EVENT = {:?};\n",
        tauri_plugin_beckon::STATE_EVENT
    ));
    for declaration in declarations {
        out.push_str(&format!("\nexport {declaration}\n"));
    }
    out.push_str(
        "\n/** Every command a web view may call (src/commands.rs): its arguments and \
         its answer. Call them through `call` in index.ts. */\nexport type Commands = {\n",
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
        // The error (an `Error`; `Result<T>` is the crate's alias) rejects the promise; the
        // answer is the `Ok` side.
        let (ok, error) = inner.split_once(',').unwrap_or((inner, "Error"));
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
        "ViewWords" => ViewWords::name(),
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
        // The parameters end at the `)` that closes the `(` before them.
        let mut open = 1;
        let close = rest
            .char_indices()
            .find(|&(_, c)| {
                open += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                open == 0
            })
            .map_or(rest.len(), |(i, _)| i);
        let (params, answer) = (&rest[..close], rest.get(close + 1..).unwrap_or_default());
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
fn every_command_named_is_defined_and_in_the_map() {
    let map = commands(include_str!("../src/commands.rs"));
    let defined: Vec<&str> = map
        .iter()
        .map(|c| c.split(':').next().unwrap_or_default())
        .collect();
    // The idents in src/command_names.rs's lists (comments skipped).
    let named: Vec<String> = include_str!("../src/command_names.rs")
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<String>()
        .split(['[', ']'])
        .skip(1)
        .step_by(2)
        .flat_map(|list| list.split(','))
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    let mut sorted_defined = defined.clone();
    sorted_defined.sort_unstable();
    let mut sorted_named = named.clone();
    sorted_named.sort_unstable();
    assert_eq!(
        sorted_defined, sorted_named,
        "commands.rs and command_names.rs"
    );
    assert!(map.iter().any(|c| {
        c
        == "save_settings: { args: { baseUrl: string, projectId: string }, returns: SettingsView }"
    }));
}

fn path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("guest-js/bindings.ts")
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
        "guest-js/bindings.ts is stale: run `BINDINGS=write cargo test -p tauri-plugin-beckon \
         --test bindings` and commit it. It should be:\n{wanted}"
    );
}
