//! Each wire error code is written once in the workspace's non-test Rust: in `src/codes.rs`.
//! Everywhere else names it as `ErrorCode::…` (doc comments and tests may quote it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `"E` followed by six digits and `"`, in code (not comments), before the file's tests.
fn quoted_codes(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        let bytes = line.as_bytes();
        for at in 0..bytes.len().saturating_sub(8) {
            let candidate = &bytes[at..at + 9];
            if candidate[0] == b'"'
                && candidate[1] == b'E'
                && candidate[2..8].iter().all(u8::is_ascii_digit)
                && candidate[8] == b'"'
            {
                found.push(String::from_utf8_lossy(&candidate[1..8]).into_owned());
            }
        }
    }
    found
}

#[test]
fn each_error_code_is_written_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [
        "crates/beckon-proto/src",
        "crates/beckon/src",
        "crates/beckon-server/src",
        "src-tauri/src",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "the sources were not found: {files:?}");
    let definitions = root.join("crates/beckon-proto/src/codes.rs");
    for file in &files {
        let codes = quoted_codes(&std::fs::read_to_string(file).unwrap());
        if *file == definitions {
            let mut unique = codes.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(
                unique.len(),
                codes.len(),
                "a code declared twice: {codes:?}"
            );
        } else {
            assert!(
                codes.is_empty(),
                "{} writes {codes:?}: use beckon_proto::ErrorCode instead",
                file.display()
            );
        }
    }
}

#[test]
fn the_scan_finds_a_quoted_code() {
    assert_eq!(quoted_codes(r#"if code == "E062108" {"#), ["E062108"]);
    assert!(quoted_codes("// \"E062108\" in a comment").is_empty());
}
