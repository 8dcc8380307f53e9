//! The server's modules import each other without a circle, and the lower layers never reach
//! up: read from the source, so a new `use` that closes a circle fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules that the flows and HTTP build on: none of them may import these.
const UPPER: &[&str] = &[
    "http", "signin", "sessions", "admin", "cli", "state", "serve",
];
/// The bottom layers.
const LOWER: &[&str] = &["domain", "store", "support"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/store/users.rs` is `store`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_owned()
}

/// The first segment of each path after `crate::` in `code` (comments removed first):
/// `crate::store::Store` gives `store`; `crate::{links, domain::User}` gives both.
fn crate_paths(code: &str) -> Vec<String> {
    let code: String = code
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let preceded_by_ident = rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + "crate::".len()..];
        if preceded_by_ident {
            continue; // `beckon_crate::`, not this crate
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            found.push(ident(&group[start..end]));
        } else {
            found.push(ident(rest));
        }
    }
    found.retain(|s| !s.is_empty());
    found
}

/// Edges between top-level modules, each with a file that makes it.
fn graph() -> (BTreeSet<String>, BTreeMap<(String, String), PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut edges = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        if from == "lib" || from == "main" {
            continue; // the root wires the modules together; nothing imports it
        }
        let code = std::fs::read_to_string(file).unwrap();
        // Named as the crate sees it (`src/store/users.rs`).
        let shown = Path::new("src").join(file.strip_prefix(&src).unwrap_or(file));
        for to in crate_paths(&code) {
            assert!(
                modules.contains(&to),
                "{} uses crate::{to}, which is not a module: items belong in modules, \
                 not in lib.rs (use crate::state::AppState, say)",
                shown.display()
            );
            if to != from {
                edges
                    .entry((from.clone(), to))
                    .or_insert_with(|| shown.clone());
            }
        }
    }
    (modules, edges)
}

#[test]
fn the_parser_reads_paths_groups_and_skips_comments() {
    let code = "use crate::{links, domain::{User, Channel}};\n\
                // crate::http is only mentioned here\n\
                let x = crate::store::Store::connect(); // and crate::serve here\n";
    assert_eq!(crate_paths(code), ["links", "domain", "store"]);
}

#[test]
fn no_module_imports_in_a_circle() {
    let (modules, edges) = graph();
    assert!(edges.len() > 10, "the graph was not read: {edges:?}");
    let next = |m: &str| -> Vec<String> {
        edges
            .keys()
            .filter(|(from, _)| from == m)
            .map(|(_, to)| to.clone())
            .collect()
    };
    // Depth-first from each module; a module met again on the current path closes a circle.
    fn visit(
        m: &str,
        next: &dyn Fn(&str) -> Vec<String>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut circle = path[at..].to_vec();
            circle.push(m.to_owned());
            return Some(circle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_owned());
        for n in next(m) {
            if let Some(circle) = visit(&n, next, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(m.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for m in &modules {
        if let Some(circle) = visit(m, &next, &mut Vec::new(), &mut done) {
            let by: Vec<String> = circle
                .windows(2)
                .map(|w| {
                    let file = &edges[&(w[0].clone(), w[1].clone())];
                    format!("{} -> {} ({})", w[0], w[1], file.display())
                })
                .collect();
            panic!("an import circle:\n  {}", by.join("\n  "));
        }
    }
}

#[test]
fn the_lower_layers_never_reach_up() {
    let (_, edges) = graph();
    for ((from, to), file) in &edges {
        let upward = (LOWER.contains(&from.as_str()) && !LOWER.contains(&to.as_str()))
            || (!UPPER.contains(&from.as_str()) && UPPER.contains(&to.as_str()));
        assert!(
            !upward,
            "{from} imports {to} ({}): the domain and the store know nothing of the flows \
             or HTTP, and nothing below the flows knows them",
            file.display()
        );
    }
}
