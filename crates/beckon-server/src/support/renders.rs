//! Tests only: what a template renders, against the render kept in `tests/renders/`, byte for
//! byte. A template's layout (line breaks, indentation) is for reading and must not reach a
//! page or an email; a change to what they say is made on purpose, by running the tests with
//! `UPDATE_RENDERS=1` and committing the new renders with it.

use std::path::PathBuf;

/// Compares `rendered` with `tests/renders/NAME` (or writes it there under `UPDATE_RENDERS`).
pub(crate) fn assert_renders_as(name: &str, rendered: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/renders")
        .join(name);
    if std::env::var_os("UPDATE_RENDERS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, rendered).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run the tests with UPDATE_RENDERS=1 to write it",
            path.display()
        )
    });
    if kept != rendered {
        let at = kept
            .bytes()
            .zip(rendered.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(kept.len().min(rendered.len()));
        let near = |s: &str| {
            s.get(at.saturating_sub(40)..(at + 40).min(s.len()))
                .unwrap_or("")
                .to_owned()
        };
        panic!(
            "{name} renders differently from {} at byte {at}:\n  kept:     {:?}\n  rendered: {:?}\n\
             (if the change is meant, run the tests with UPDATE_RENDERS=1 and commit the render)",
            path.display(),
            near(&kept),
            near(rendered),
        );
    }
}
