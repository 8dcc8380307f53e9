//! The messages check: every set of Fluent files (the server's emails, texts and pages; the
//! plugin's view) has, in each language, exactly the messages English has, each with the
//! same variables; every English message is used; every message the code asks for exists.
//! Message IDs appear only as literals in the lookup calls (`tr("…")`, `tr_with("…")`,
//! `trNodes("…")`), so they can be found here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use beckon_server::languages::message_variables;

/// A set of messages: its folder of `<lang>/<file>` and the code that asks for them.
struct Set {
    locales: &'static str,
    file: &'static str,
    sources: &'static [&'static str],
}

const SETS: &[Set] = &[
    Set {
        locales: "crates/beckon-server/locales",
        file: "server.ftl",
        sources: &["crates/beckon-server/src", "crates/beckon-server/templates"],
    },
    Set {
        locales: "crates/tauri-plugin-beckon/locales",
        file: "view.ftl",
        sources: &[
            "crates/tauri-plugin-beckon/guest-js",
            "crates/tauri-plugin-beckon/src",
            "src-tauri/src",
        ],
    },
];

/// The lookup calls whose first argument is a message ID.
const LOOKUPS: &[&str] = &["tr(", "tr_with(", "trNodes("];

/// The workspace's root.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, into);
        } else if path
            .extension()
            .is_some_and(|x| x == "rs" || x == "ts" || x == "html")
            && !path.ends_with("bindings.ts")
        {
            into.push(path);
        }
    }
}

/// Every message ID the code at `dirs` (under `root`) asks for, with where.
fn used(root: &Path, dirs: &[&str]) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut paths = Vec::new();
    for dir in dirs {
        files(&root.join(dir), &mut paths);
    }
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        for lookup in LOOKUPS {
            let mut rest = text.as_str();
            while let Some(at) = rest.find(lookup) {
                let before = rest[..at].chars().next_back();
                let after = rest[at + lookup.len()..].trim_start();
                rest = &rest[at + lookup.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let Some(quoted) = after.strip_prefix('"') else {
                    continue;
                };
                let id: String = quoted.chars().take_while(|c| *c != '"').collect();
                found
                    .entry(id)
                    .or_insert_with(|| path.display().to_string());
            }
        }
    }
    found
}

fn messages(path: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    message_variables(&text).unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()))
}

/// The problems with one set (its folders under `root`), in words.
fn problems(root: &Path, set: &Set) -> Vec<String> {
    let dir = root.join(set.locales);
    let english = messages(&dir.join("en").join(set.file));
    let mut problems = Vec::new();
    let mut languages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    languages.sort();
    for language in languages.iter().filter(|l| *l != "en") {
        let path = dir.join(language).join(set.file);
        let theirs = messages(&path);
        for (id, variables) in &english {
            match theirs.get(id) {
                None => problems.push(format!("{}: {language} lacks {id}", set.locales)),
                Some(other) if other != variables => problems.push(format!(
                    "{}: {language}'s {id} uses {other:?}, English's {variables:?}",
                    set.locales
                )),
                Some(_) => {}
            }
        }
        for id in theirs.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!(
                "{}: {language} has {id}, which English does not",
                set.locales
            ));
        }
    }
    let used = used(root, set.sources);
    for id in english.keys().filter(|id| !used.contains_key(*id)) {
        problems.push(format!("{}: {id} is never used", set.locales));
    }
    for (id, place) in used.iter().filter(|(id, _)| !english.contains_key(*id)) {
        problems.push(format!(
            "{place} asks for {id}, which {}/en/{} lacks",
            set.locales, set.file
        ));
    }
    problems
}

#[test]
fn every_language_has_every_message_with_its_variables_and_every_message_is_used() {
    let root = workspace();
    let problems: Vec<String> = SETS.iter().flat_map(|set| problems(&root, set)).collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("beckon-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The check itself, run on a set with one of each fault planted, names each of them, and
/// nothing else.
#[test]
fn the_check_names_a_missing_an_extra_an_unused_and_an_unknown_message_and_a_variable_mismatch() {
    let scratch = Scratch::new("messages-check");
    scratch.write(
        "locales/en/app.ftl",
        "greeting = Hello, { $name }\nfarewell = Bye\nunused = Never asked for\n",
    );
    scratch.write(
        "locales/de/app.ftl",
        "greeting = Hallo, { $person }\nunused = Nie\nextra = Nur hier\n",
    );
    scratch.write(
        "locales/es/app.ftl",
        "greeting = Hola, { $name }\nfarewell = Adiós\nunused = Nunca\n",
    );
    scratch.write(
        "src/view.ts",
        "tr(\"greeting\", { name });\ntrNodes( \"farewell\");\nsubtr(\"unused\");\n",
    );
    scratch.write("src/lib.rs", "words.tr_with(\"missing\", &[]);\n");
    let set = Set {
        locales: "locales",
        file: "app.ftl",
        sources: &["src"],
    };

    let mut found = problems(&scratch.0, &set);
    found.sort();
    let view = scratch.0.join("src/lib.rs").display().to_string();
    let mut expected = vec![
        "locales: de lacks farewell".to_owned(),
        "locales: de's greeting uses {\"person\"}, English's {\"name\"}".to_owned(),
        "locales: de has extra, which English does not".to_owned(),
        "locales: unused is never used".to_owned(),
        format!("{view} asks for missing, which locales/en/app.ftl lacks"),
    ];
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn a_message_file_that_does_not_parse_is_an_error() {
    assert!(message_variables("a = { $x").is_err());
}
