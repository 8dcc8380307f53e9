//! The server's layers are its folders (and the few files beside them), bottom first: a
//! module imports only from its own layer and those below, and nothing imports in a circle.
//! Each file under `src/` is read as Rust (`syn`), so every `crate::…` path counts, in a
//! `use`, in code, or in a macro's arguments; comments and doc text do not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The layers, bottom first: the top-level folders and files of `src/` each belongs to.
/// A new one must be placed here, in the layer its imports allow.
const LAYERS: &[(&str, &[&str])] = &[
    ("support: time, secrets, metrics, test hooks", &["support"]),
    ("the data: the nouns and the database", &["domain", "store"]),
    (
        "what the flows use",
        &[
            "audit",
            "config",
            "delivery",
            "keys",
            "languages",
            "limits",
            "places",
            "redirects",
            "waits",
        ],
    ),
    ("the server's state", &["state"]),
    ("the flows", &["admin", "sessions", "signin"]),
    ("the ways in: HTTP and the CLI", &["cli", "http", "serve"]),
];

/// The layer a top-level module is in.
fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The top-level modules a file's `crate::` paths name.
#[derive(Default)]
struct CratePaths(BTreeSet<String>);

impl CratePaths {
    /// The top-level modules under a `use crate::…` tree.
    fn use_tree(&mut self, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                self.0.insert(path.ident.to_string());
            }
            syn::UseTree::Name(name) => {
                self.0.insert(name.ident.to_string());
            }
            syn::UseTree::Rename(rename) => {
                self.0.insert(rename.ident.to_string());
            }
            syn::UseTree::Group(group) => group.items.iter().for_each(|t| self.use_tree(t)),
            syn::UseTree::Glob(_) => {
                self.0.insert("*".to_owned());
            }
        }
    }

    /// `crate :: name` in a macro's tokens, at any depth.
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        let tokens: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                proc_macro2::TokenTree::Group(group) => self.tokens(group.stream()),
                proc_macro2::TokenTree::Ident(ident) if ident == "crate" => {
                    if let [proc_macro2::TokenTree::Punct(a), proc_macro2::TokenTree::Punct(b), proc_macro2::TokenTree::Ident(name)] =
                        tokens.get(i + 1..i + 4).unwrap_or_default()
                    {
                        if a.as_char() == ':' && b.as_char() == ':' {
                            self.0.insert(name.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for CratePaths {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if let syn::UseTree::Path(path) = &item.tree {
            if path.ident == "crate" {
                self.use_tree(&path.tree);
            }
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if let (Some(first), Some(second)) = (segments.next(), segments.next()) {
            if first.ident == "crate" {
                self.0.insert(second.ident.to_string());
            }
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// The `crate::` paths of one file's source.
fn crate_paths(source: &str) -> BTreeSet<String> {
    let file = syn::parse_file(source).unwrap();
    let mut paths = CratePaths::default();
    paths.visit_file(&file);
    paths.0
}

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

/// The top-level module a file belongs to, by its folder: `src/store/users.rs` is `store`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_owned()
}

/// Edges between top-level modules, each with a file that makes it.
fn graph() -> BTreeMap<(String, String), PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        if from == "lib" || from == "main" {
            continue; // the roots wire the modules together; nothing imports them
        }
        // Named as the crate sees it (`src/store/users.rs`).
        let shown = Path::new("src").join(file.strip_prefix(&src).unwrap_or(file));
        for to in crate_paths(&std::fs::read_to_string(file).unwrap()) {
            assert!(
                layer_of(&to).is_some(),
                "{} uses crate::{to}, which is no module of a layer: items belong in modules, \
                 not in lib.rs (use crate::state::AppState, say), and a glob hides what is used",
                shown.display()
            );
            if to != from {
                edges
                    .entry((from.clone(), to))
                    .or_insert_with(|| shown.clone());
            }
        }
    }
    edges
}

#[test]
fn the_reader_finds_paths_in_uses_code_and_macros_and_not_in_comments() {
    let source = "use crate::{signin, domain::{User, Channel}};\n\
                  use crate::store as db;\n\
                  // crate::http is only mentioned here\n\
                  /// and crate::serve in a doc comment\n\
                  fn f() { let x = crate::keys::KeyRing::new(); \
                  tracing::info!(at = ?crate::support::clock::now()); }\n";
    assert_eq!(
        crate_paths(source).into_iter().collect::<Vec<_>>(),
        ["domain", "keys", "signin", "store", "support"]
    );
}

#[test]
fn every_folder_and_file_of_src_is_in_one_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let module = name.trim_end_matches(".rs").to_owned();
        if module != "lib" && module != "main" {
            found.insert(module);
        }
    }
    let listed: Vec<&str> = LAYERS.iter().flat_map(|(_, m)| m.iter().copied()).collect();
    let unique: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(listed.len(), unique.len(), "a module is in two layers");
    let listed: BTreeSet<String> = unique.into_iter().map(str::to_owned).collect();
    assert_eq!(
        found, listed,
        "src/'s folders and files and the layers in this test must match: place a new one \
         in the layer its imports allow"
    );
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let edges = graph();
    assert!(edges.len() > 10, "the graph was not read: {edges:?}");
    for ((from, to), file) in &edges {
        let (Some(own), Some(used)) = (layer_of(from), layer_of(to)) else {
            panic!("{from} or {to} is in no layer ({})", file.display());
        };
        assert!(
            used <= own,
            "{from} ({}) imports {to} ({}) in {}: a layer uses only itself and those below",
            LAYERS[own].0,
            LAYERS[used].0,
            file.display()
        );
    }
}

#[test]
fn no_module_imports_in_a_circle() {
    let edges = graph();
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
        if !done.insert(m.to_owned()) {
            return None;
        }
        path.push(m.to_owned());
        for n in next(m) {
            if let Some(circle) = visit(&n, next, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for (_, modules) in LAYERS {
        for m in *modules {
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
}
