//! `cargo xtask layout`: the architecture's rules, checked on the code rather than promised in
//! `docs/architecture.md`.
//!
//! - In every crate, files form a tree: no two files depend on each other, directly or through
//!   a cycle. A file depends on another when it names an item of the other's module
//!   (`use crate::a::B`, `super::B`, `crate::a::f()` inside code or a macro). A module naming
//!   anything below it (declaring submodules, re-exporting or calling their items) is how a
//!   tree is built and is not counted; a submodule naming its parent is.
//!
//! What it reads: the `src/` of each crate (tests and examples are left out), and the paths
//! that start with `crate`, `super` or `self`, each resolved to the file its module lives in.
//! A path through a re-export names the re-exporting file (`crate::Error` names `lib.rs`,
//! whose arrows all point down), so an edge hidden behind the root's re-exports is not seen.
//! - In `yandex-promo`, the shared floor (calls, errors, retries, pagination, HTTP, clock,
//!   limiter) names nothing of `go` or `market`.
//! - The sandbox and the test support share no code with the client; the CLI reaches the
//!   generated types only through `yandex_promo::raw`.
use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
    str::FromStr as _,
};

use anyhow::{Context as _, bail};
use proc_macro2::{TokenStream, TokenTree};

/// Module paths (from the crate root) of `yandex-promo`'s shared floor.
const CORE_MODULES: [&str; 7] = [
    "call",
    "clock",
    "error",
    "http",
    "limiter",
    "pagination",
    "retry",
];

/// The API areas of `yandex-promo`, which the floor must not name.
const API_AREAS: [&str; 2] = ["go", "market"];

/// Crates (directory under `crates/`) and the crate names their sources must never name.
const FORBIDDEN_CRATES: [(&str, &[&str]); 3] = [
    ("yandex-promo-sandbox", &["yandex_promo"]),
    ("yandex-promo-test-support", &["yandex_promo"]),
    ("yandex-promo-cli", &["yandex_promo_raw"]),
];

/// Checks every crate of the workspace; fails with every broken rule listed.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let mut problems = Vec::new();
    let mut crates = vec![root.join("xtask")];
    for entry in fs::read_dir(root.join("crates")).context("reading crates/")? {
        crates.push(entry?.path());
    }
    crates.sort();
    let mut files = 0;
    for dir in &crates {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let graph = Graph::of_crate(&dir.join("src"))?;
        files += graph.modules.len();
        problems.extend(graph.cycles());
        if name == "yandex-promo" {
            problems.extend(graph.floor_violations());
        }
        for (krate, forbidden) in FORBIDDEN_CRATES {
            if name == krate {
                problems.extend(graph.names_crates(forbidden));
            }
        }
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("layout: {problem}");
        }
        bail!("{} layout rule(s) broken", problems.len());
    }
    eprintln!(
        "layout: {files} files in {} crates form trees; the floor of yandex-promo names no API",
        crates.len()
    );
    Ok(())
}

/// The files of one crate and what each depends on.
#[derive(Debug, Default)]
struct Graph {
    /// Module path (`go::issue`) -> its file, relative to `src/`.
    modules: BTreeMap<String, PathBuf>,
    /// Module path -> the module paths it depends on (other than its own descendants).
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Module path -> the external crate names its file mentions.
    crates_named: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// Reads every file under `src` (a `bin/` folder holds other crates' roots: left out).
    fn of_crate(src: &Path) -> anyhow::Result<Self> {
        let mut graph = Graph::default();
        let mut sources = BTreeMap::new();
        for file in rust_files(src)? {
            let relative = file.strip_prefix(src)?.to_path_buf();
            if relative.starts_with("bin") {
                continue;
            }
            let text =
                fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let module = module_path(&relative);
            graph.modules.insert(module.clone(), relative);
            sources.insert(module, text);
        }
        for (module, text) in &sources {
            let tokens = TokenStream::from_str(text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", graph.modules[module].display()))?;
            let mut paths = Vec::new();
            let mut crates = BTreeSet::new();
            collect_paths(tokens, 0, &mut paths, &mut crates);
            let targets = paths
                .iter()
                .filter_map(|(depth, path)| graph.resolve(module, *depth, path))
                .filter(|target| target != module && !is_descendant(target, module))
                .collect();
            graph.edges.insert(module.clone(), targets);
            graph.crates_named.insert(module.clone(), crates);
        }
        Ok(graph)
    }

    /// The module a path names, from the module `from` (inside `depth` inline modules of its
    /// file, such as `mod tests`): the longest prefix that is a file.
    fn resolve(&self, from: &str, depth: usize, path: &[String]) -> Option<String> {
        let mut segments: Vec<&str> = if from.is_empty() {
            Vec::new()
        } else {
            from.split("::").collect()
        };
        let mut rest = path.iter().map(String::as_str).peekable();
        match rest.peek().copied() {
            Some("crate") => {
                segments.clear();
                rest.next();
            }
            Some("super") => {
                let mut inline = depth;
                while rest.peek() == Some(&"super") {
                    rest.next();
                    if inline > 0 {
                        inline -= 1;
                    } else {
                        segments.pop()?;
                    }
                }
                if inline > 0 {
                    return None; // an item of an enclosing inline module: this file
                }
            }
            Some("self") if depth > 0 => return None,
            Some("self") => {
                rest.next();
            }
            _ => return None,
        }
        let mut best = segments.join("::");
        for segment in rest {
            segments.push(segment);
            let candidate = segments.join("::");
            if !self.modules.contains_key(&candidate) {
                break;
            }
            best = candidate;
        }
        self.modules.contains_key(&best).then_some(best)
    }

    /// Each cycle among the files, with the dependencies that close it.
    fn cycles(&self) -> Vec<String> {
        strongly_connected(&self.edges)
            .into_iter()
            .filter(|component| component.len() > 1)
            .map(|component| {
                let arrows: Vec<String> = component
                    .iter()
                    .flat_map(|from| {
                        self.edges[from]
                            .iter()
                            .filter(|to| component.contains(*to))
                            .map(move |to| format!("{} -> {}", self.file(from), self.file(to)))
                    })
                    .collect();
                format!("import cycle: {}", arrows.join(", "))
            })
            .collect()
    }

    /// Each dependency of a floor module (or one below it) on an API area.
    fn floor_violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        let floor = self.edges.iter().filter(|(module, _)| {
            CORE_MODULES.contains(&module.split("::").next().unwrap_or_default())
        });
        for (core, targets) in floor {
            for target in targets {
                let area = target.split("::").next().unwrap_or_default();
                if API_AREAS.contains(&area) {
                    found.push(format!(
                        "the floor module {} names the API area {}",
                        self.file(core),
                        self.file(target)
                    ));
                }
            }
        }
        found
    }

    /// Each file that names one of `forbidden` crates.
    fn names_crates(&self, forbidden: &[&str]) -> Vec<String> {
        self.crates_named
            .iter()
            .flat_map(|(module, crates)| {
                forbidden
                    .iter()
                    .filter(|name| crates.contains(**name))
                    .map(move |name| format!("{} names the crate {name}", self.file(module)))
            })
            .collect()
    }

    fn file(&self, module: &str) -> String {
        self.modules[module].display().to_string()
    }
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(files)
}

/// `lib.rs` -> ``, `go/mod.rs` -> `go`, `go/issue/plan.rs` -> `go::issue::plan`.
fn module_path(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

/// Whether `module` lies below `ancestor` (`go::issue` below `go`; everything below the root).
fn is_descendant(module: &str, ancestor: &str) -> bool {
    ancestor.is_empty() && !module.is_empty()
        || module
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with("::"))
}

/// Every path that starts with `crate`, `super` or `self` in `tokens` (use trees expanded,
/// macro bodies included), with the depth of inline modules it sits in, and every identifier
/// that may name an external crate.
fn collect_paths(
    tokens: TokenStream,
    depth: usize,
    paths: &mut Vec<(usize, Vec<String>)>,
    crates: &mut BTreeSet<String>,
) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Group(group) => collect_paths(group.stream(), depth, paths, crates),
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                if let ("mod", Some(TokenTree::Ident(_)), Some(TokenTree::Group(body))) =
                    (word.as_str(), tokens.get(i + 1), tokens.get(i + 2))
                {
                    collect_paths(body.stream(), depth + 1, paths, crates);
                    i += 3;
                    continue;
                }
                if matches!(word.as_str(), "crate" | "super" | "self") {
                    let mut found = Vec::new();
                    i = read_path(&tokens, i, Vec::new(), &mut found);
                    paths.extend(found.into_iter().map(|path| (depth, path)));
                    continue;
                }
                crates.insert(word);
            }
            _ => {}
        }
        i += 1;
    }
}

/// Reads the path starting at `tokens[start]`, after `prefix`; a `{…}` group of a use tree
/// adds one path per branch. Returns the index after the path.
fn read_path(
    tokens: &[TokenTree],
    start: usize,
    mut prefix: Vec<String>,
    paths: &mut Vec<Vec<String>>,
) -> usize {
    let mut i = start;
    let mut separators = 0;
    loop {
        match tokens.get(i) {
            Some(TokenTree::Ident(ident)) => prefix.push(ident.to_string()),
            Some(TokenTree::Group(group)) if group.delimiter() == proc_macro2::Delimiter::Brace => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let mut j = 0;
                while j < inner.len() {
                    j = read_path(&inner, j, prefix.clone(), paths) + 1;
                }
                return i + 1;
            }
            _ => break,
        }
        let separated = matches!(
            (tokens.get(i + 1), tokens.get(i + 2)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
        );
        if !separated {
            i += 1;
            break;
        }
        separators += 1;
        i += 3;
    }
    // A lone `super` or `self` (as in `pub(super)`, `&self`) is no path.
    if separators > 0 || prefix.len() > 1 {
        paths.push(prefix);
    }
    i
}

/// Tarjan's strongly connected components of a directed graph.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    #[derive(Default)]
    struct Walk<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        components: Vec<BTreeSet<String>>,
    }
    fn visit<'a>(
        node: &'a str,
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        walk: &mut Walk<'a>,
    ) {
        let n = walk.index.len();
        walk.index.insert(node, n);
        walk.low.insert(node, n);
        walk.stack.push(node);
        walk.on_stack.insert(node);
        for next in edges.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !walk.index.contains_key(next) {
                visit(next, edges, walk);
                let low = walk.low[node].min(walk.low[next]);
                walk.low.insert(node, low);
            } else if walk.on_stack.contains(next) {
                let low = walk.low[node].min(walk.index[next]);
                walk.low.insert(node, low);
            }
        }
        if walk.low[node] == walk.index[node] {
            let mut component = BTreeSet::new();
            while let Some(top) = walk.stack.pop() {
                walk.on_stack.remove(top);
                component.insert(top.to_owned());
                if top == node {
                    break;
                }
            }
            walk.components.push(component);
        }
    }
    let mut walk = Walk::default();
    for node in edges.keys() {
        if !walk.index.contains_key(node.as_str()) {
            visit(node, edges, &mut walk);
        }
    }
    walk.components
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate made of `files` (path, source) in a fresh directory.
    fn graph(files: &[(&str, &str)]) -> Graph {
        let dir = std::env::temp_dir().join(format!(
            "xtask-layout-{}-{}",
            std::process::id(),
            files.len() * 31 + files.iter().map(|f| f.1.len()).sum::<usize>()
        ));
        let _ = fs::remove_dir_all(&dir);
        for (path, source) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().expect("a parent")).expect("dir");
            fs::write(path, source).expect("write");
        }
        let graph = Graph::of_crate(&dir).expect("read");
        let _ = fs::remove_dir_all(&dir);
        graph
    }

    #[test]
    fn a_cycle_through_a_macro_and_a_use_tree_is_found() {
        let graph = graph(&[
            ("lib.rs", "mod call; mod error; pub mod go;"),
            ("call.rs", "use crate::{error::{excerpt, Error}};"),
            ("error.rs", "fn f() { write!(f, \"{}\", crate::go::ENV)?; }"),
            (
                "go/mod.rs",
                "mod orders; pub use orders::X; use crate::call::send;",
            ),
            ("go/orders.rs", "use super::GoClient;"),
        ]);
        let cycles = graph.cycles();
        assert_eq!(cycles.len(), 1, "{cycles:?}");
        assert!(cycles[0].contains("error.rs -> go/mod.rs"), "{cycles:?}");
        assert!(
            !cycles[0].contains("orders"),
            "a child naming its parent alone is no cycle"
        );
        assert_eq!(graph.floor_violations().len(), 1);
    }

    #[test]
    fn a_tree_passes_and_a_named_crate_is_seen() {
        let graph = graph(&[
            (
                "lib.rs",
                "mod call; mod error; pub mod go; pub use error::Error;",
            ),
            (
                "call.rs",
                "use crate::error::Error; use yandex_promo_raw::Error as Raw;",
            ),
            ("error.rs", "pub struct Error;"),
            (
                "go/mod.rs",
                "mod orders; use self::orders::X; use crate::call::send;",
            ),
            (
                "go/orders.rs",
                "use super::super::error::Error; pub(super) fn f(&self) {}",
            ),
        ]);
        assert!(graph.cycles().is_empty(), "{:?}", graph.cycles());
        assert!(graph.floor_violations().is_empty());
        assert_eq!(graph.names_crates(&["yandex_promo_raw"]).len(), 1);
        assert!(graph.names_crates(&["yandex_promo"]).is_empty());
    }
}
