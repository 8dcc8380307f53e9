//! `cargo tauri ARGS` → `ui/node_modules/.bin/tauri ARGS`, run from the workspace root.

use std::path::Path;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cli = root.join("ui/node_modules/.bin/tauri");
    if !cli.exists() {
        eprintln!(
            "cargo tauri: {} is missing; run ./scripts/setup.sh (or `npm ci` in ui/) first",
            cli.display()
        );
        return ExitCode::FAILURE;
    }
    match Command::new(&cli)
        .args(std::env::args_os().skip(1))
        .current_dir(&root)
        .status()
    {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(status.code().unwrap_or(1).clamp(1, 255) as u8),
        Err(error) => {
            eprintln!("cargo tauri: could not run {}: {error}", cli.display());
            ExitCode::FAILURE
        }
    }
}
