//! ARCHITECTURE.md as a test: imports go one way, from the commands down to the ground floor.
//!
//! Every module of `src/` (a file; its folder when it has one) is read for the paths it names
//! that start at `crate::` or `super::` (in `use` lines, braces expanded, and inline in code),
//! each resolved to the most specific module it reaches. Test modules are left out. Then:
//!
//! - every top-level folder of `src/` has a layer in [`LAYERS`], and imports no folder of a
//!   higher layer (except the debts listed in [`KNOWN_UPWARD`], each with its reason);
//! - no two modules import each other, directly or round a circle, and no two folders either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, ground floor first: a folder imports only its own layer's and lower ones. Keep in
/// step with ARCHITECTURE.md.
const LAYERS: &[(&str, &[&str])] = &[
    ("ground", &["text", "threads", "exit", "suggest"]),
    ("input", &["source", "exec", "cache", "render"]),
    ("kubernetes", &["k8s", "facts", "config", "gitops"]),
    ("model", &["model"]),
    ("plan", &["plan"]),
    ("rules", &["rules"]),
    (
        "assembly",
        &["relocate", "inputs", "overlays", "helm", "load"],
    ),
    ("pipelines", &["lint", "baseline", "diff"]),
    ("output", &["report"]),
    ("commands", &["cli"]),
];

/// Imports that go up a layer today, each a debt with its reason: (importing module, imported
/// module, why). Pay one off by removing its line; add none without saying why here.
const KNOWN_UPWARD: &[(&str, &str, &str)] = &[(
    "source::tracked",
    "diff::git",
    "discovery asks git which tracked files an ignore file hides; git's runner belongs in a \
     lower folder of its own, which needs exec's byte budget out of source first",
)];

/// A module's path (`plan::types`) from its file, relative to `src/`; none for the crate root.
fn module_of(relative: &Path) -> Option<String> {
    let mut segments: Vec<String> = relative
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = segments.pop()?;
    let stem = last.strip_suffix(".rs")?;
    if stem != "mod" {
        segments.push(stem.to_string());
    }
    if segments.is_empty() || segments == ["lib"] || segments == ["main"] {
        return None;
    }
    Some(segments.join("::"))
}

/// Every module of the crate under `src` with its text, test modules left out.
fn read_sources(src: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    collect(src, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(src).ok()?;
            let module = module_of(relative)?;
            if module.split("::").any(|s| s == "tests") {
                return None;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            Some((module, text))
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a module without comments and without its test module (`#[cfg(test)]` before
/// a `mod tests;` line drops the line; before anything else, the rest of the file).
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            match lines.next() {
                Some(next) if next.trim_end().ends_with(';') => continue,
                _ => break,
            }
        }
        let line = line.find("//").map_or(line, |i| &line[..i]);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The paths a module names from `crate::` or `super::`: `use` trees expanded (a `use` starts a
/// line), then any other such path in the code.
fn named_paths(text: &str) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    let mut other = String::new();
    let mut tree: Option<String> = None;
    for line in code(text).lines() {
        let trimmed = line.trim_start();
        let visibility_end = if trimmed.starts_with("pub(") {
            trimmed.find(')').map_or(0, |i| i + 1)
        } else if trimmed.starts_with("pub ") {
            3
        } else {
            0
        };
        let statement = trimmed[visibility_end..].trim_start();
        if tree.is_none() && statement.starts_with("use ") {
            tree = Some(String::new());
        }
        if let Some(t) = &mut tree {
            t.push_str(line);
            t.push(' ');
            if line.contains(';') {
                let whole = t.split_whitespace().collect::<Vec<_>>().join(" ");
                let start = whole.find("use ").map_or(0, |i| i + 4);
                let end = whole.rfind(';').unwrap_or(whole.len());
                expand(&whole[start..end], "", &mut paths);
                tree = None;
            }
        } else {
            other.push_str(line);
            other.push('\n');
        }
    }
    for start in ["crate::", "super::"] {
        let mut at = 0;
        while let Some(i) = other[at..].find(start) {
            let begin = at + i;
            at = begin + start.len();
            let before = other[..begin].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':') {
                continue;
            }
            let path: String = other[begin..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            paths.insert(path.trim_end_matches(':').to_string());
        }
    }
    paths
}

/// A `use` tree as full paths: `super::{a::B, c::{D, E}}` gives `super::a::B`, `super::c::D`,
/// `super::c::E`.
fn expand(tree: &str, prefix: &str, out: &mut BTreeSet<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        if !path.is_empty() {
            out.insert(format!("{prefix}{path}"));
        }
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let body = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut depth = 0;
    let mut part = String::new();
    for c in body.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&part, &head, out);
                part.clear();
                continue;
            }
            _ => {}
        }
        part.push(c);
    }
    expand(&part, &head, out);
}

/// Imports between modules: module -> the modules it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The graph of `sources` (module, text). A module naming one of its ancestors (a re-export of
/// its folder) or itself is no edge.
fn graph(sources: &[(String, String)]) -> Graph {
    let mut modules: BTreeSet<String> = BTreeSet::new();
    for (module, _) in sources {
        let segments: Vec<&str> = module.split("::").collect();
        for n in 1..=segments.len() {
            modules.insert(segments[..n].join("::"));
        }
    }
    let mut edges = Graph::new();
    for (module, text) in sources {
        let targets = edges.entry(module.clone()).or_default();
        for path in named_paths(text) {
            let Some(target) = resolve(&modules, module, &path) else {
                continue;
            };
            let ancestor = module.starts_with(&format!("{target}::"));
            if target != *module && !ancestor {
                targets.insert(target);
            }
        }
    }
    edges
}

/// The most specific module `path` (named in `module`) reaches.
fn resolve(modules: &BTreeSet<String>, module: &str, path: &str) -> Option<String> {
    let mut segments = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut base: Vec<&str> = Vec::new();
    match segments.peek() {
        Some(&"crate") => {
            segments.next();
        }
        Some(&"super") => {
            base = module.split("::").collect();
            while segments.peek() == Some(&"super") {
                segments.next();
                base.pop();
            }
        }
        _ => return None,
    }
    let mut best = None;
    for segment in segments {
        base.push(segment);
        let candidate = base.join("::");
        if modules.contains(&candidate) {
            best = Some(candidate);
        } else {
            break;
        }
    }
    best
}

fn folder(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

fn layer(folder: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, folders)| folders.contains(&folder))
}

fn known_upward(from: &str, to: &str) -> bool {
    KNOWN_UPWARD.iter().any(|(f, t, _)| *f == from && *t == to)
}

/// The imports that go up a layer, and the folders that have none.
fn layer_violations(graph: &Graph) -> Vec<String> {
    let mut problems = BTreeSet::new();
    for (from, targets) in graph {
        let Some(from_layer) = layer(folder(from)) else {
            problems.insert(format!(
                "src/{}/ has no layer: add it to LAYERS in tests/architecture.rs and to ARCHITECTURE.md",
                folder(from)
            ));
            continue;
        };
        for to in targets {
            let to_layer = layer(folder(to)).unwrap_or(usize::MAX);
            if to_layer > from_layer && !known_upward(from, to) {
                problems.insert(format!(
                    "{from} ({} layer) imports {to} ({} layer): a lower layer imports a higher one",
                    LAYERS[from_layer].0,
                    LAYERS.get(to_layer).map_or("no", |l| l.0),
                ));
            }
        }
    }
    problems.into_iter().collect()
}

/// The circles of a graph: its strongly connected components of more than one node.
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        let graph: &'a Graph = w.graph;
        for t in graph.get(v).into_iter().flatten() {
            let t = t.as_str();
            if !w.index.contains_key(t) {
                visit(w, t);
                let low = w.low[v].min(w.low[t]);
                w.low.insert(v, low);
            } else if w.stack.contains(&t) {
                let low = w.low[v].min(w.index[t]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut component = Vec::new();
            while let Some(t) = w.stack.pop() {
                component.push(t.to_string());
                if t == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                w.found.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            visit(&mut walk, v);
        }
    }
    walk.found.sort();
    walk.found
}

/// The folders' graph: which top-level folder imports which, the known debts left out.
fn folders(graph: &Graph) -> Graph {
    let mut out = Graph::new();
    for (from, targets) in graph {
        for to in targets {
            if folder(from) != folder(to) && !known_upward(from, to) {
                out.entry(folder(from).to_string())
                    .or_default()
                    .insert(folder(to).to_string());
            }
        }
    }
    out
}

fn crate_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    graph(&read_sources(&src))
}

#[test]
fn no_lower_layer_imports_a_higher_one() {
    let problems = layer_violations(&crate_graph());
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn no_modules_import_each_other() {
    let graph = crate_graph();
    let mut found: Vec<String> = circles(&graph)
        .into_iter()
        .map(|c| format!("modules in a circle: {}", c.join(", ")))
        .collect();
    found.extend(
        circles(&folders(&graph))
            .into_iter()
            .map(|c| format!("folders in a circle: {}", c.join(", "))),
    );
    assert!(found.is_empty(), "\n{}\n", found.join("\n"));
}

#[test]
fn every_known_upward_import_is_still_there() {
    let graph = crate_graph();
    for (from, to, _) in KNOWN_UPWARD {
        assert!(
            graph.get(*from).is_some_and(|t| t.contains(*to)),
            "{from} no longer imports {to}: remove the debt from KNOWN_UPWARD"
        );
    }
}

/// Sources for the checks' own tests: (module, text).
fn sources(modules: &[(&str, &str)]) -> Vec<(String, String)> {
    modules
        .iter()
        .map(|(m, t)| (m.to_string(), t.to_string()))
        .collect()
}

/// The five circles the crate had (issue 28), as their imports read: each is found.
#[test]
fn the_five_old_circles_would_each_fail() {
    let old = [
        vec![
            (
                "plan::types",
                "use super::forwarding::{ForwardingRule, ListenerSettings};\nuse super::weights::Ratio;",
            ),
            (
                "plan::forwarding",
                "use super::index::{PlanIndex, RuleSource};\nuse super::types::{Listener, Plan};",
            ),
            (
                "plan::weights",
                "use super::types::{BackendGroup, GroupKind, Member, Numbered};",
            ),
            (
                "plan::index",
                "use super::forwarding::ForwardingRule;\nuse super::types::{BackendGroup, Listener};",
            ),
        ],
        vec![
            (
                "plan::build",
                "use super::l7;\nfn f() { l7::listener_rules(); }",
            ),
            ("plan::l7", "use super::build::group_spec;"),
        ],
        vec![
            (
                "model::ingress_rules",
                "use super::rule_mix::{MixList, assign_tke_listeners, mix_list};",
            ),
            (
                "model::rule_mix",
                "use super::ingress_rules::{IngressFacts, Route};",
            ),
        ],
        vec![
            (
                "source::discover",
                "use super::helm::{ChartRoot, Charts, Placement};\nuse super::walk::{WalkOptions, walk};",
            ),
            (
                "source::walk",
                "use super::discover::{IoProblem, display_name};",
            ),
            (
                "source::helm",
                "use super::discover::{display_folder, has_manifest_extension};",
            ),
        ],
        vec![
            (
                "cli::run",
                "fn run() { match c { Command::Diff(args) => super::diff::diff(cli, args), } }",
            ),
            (
                "cli::diff",
                "use super::run::{ReadInputs, RunInputs, check_output, read_inputs, walk_flags};",
            ),
        ],
    ];
    for modules in old {
        let names: Vec<&str> = modules.iter().map(|(m, _)| *m).collect();
        let found = circles(&graph(&sources(&modules)));
        assert!(
            found
                .iter()
                .any(|c| c.len() >= 2 && c.iter().all(|m| names.contains(&m.as_str()))),
            "no circle found among {names:?}: {found:?}"
        );
    }
}

#[test]
fn an_upward_import_fails() {
    let modules = sources(&[
        ("model::targets", "use crate::rules::{Context, Sink};"),
        ("rules::context", "use crate::model::Inventory;"),
        (
            "text::terminal",
            "fn f() -> String { crate::report::human::render() }",
        ),
        (
            "report::human",
            "use crate::text::terminal::{inert, lines};",
        ),
    ]);
    let problems = layer_violations(&graph(&modules));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("model::targets (model layer) imports rules"));
    assert!(problems[1].starts_with("text::terminal (ground layer) imports report::human"));
}

#[test]
fn use_trees_comments_and_test_modules_are_read_as_written() {
    let text = "//! See crate::cli for the commands.\n\
                pub(crate) use super::{a::B, c::{D, e as f}};\n\
                use crate::plan::types::Plan; // crate::rules is not named here\n\
                fn g() { crate::report::root::Root::new(); }\n\
                #[cfg(test)]\nmod tests;\n\
                fn h() { super::x::y(); }\n\
                #[cfg(test)]\nmod more {\n    use crate::cli::main;\n}\n";
    let paths: Vec<String> = named_paths(text).into_iter().collect();
    assert_eq!(
        paths,
        [
            "crate::plan::types::Plan",
            "crate::report::root::Root::new",
            "super::a::B",
            "super::c::D",
            "super::c::e",
            "super::x::y",
        ]
    );
}

/// One place for colour: styles are named in `src/text/palette.rs` and applied by `text::Paint`;
/// no other module builds a style or colours a string itself.
#[test]
fn colours_are_named_in_the_palette_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (module, text) in read_sources(&src) {
        if module.starts_with("text::") {
            continue;
        }
        let code = code(&text);
        for needle in ["Style::new()", "OwoColorize", "\\x1b[", "\\u{1b}["] {
            if code.contains(needle) {
                found.push(format!(
                    "{module} uses {needle}: name the style in text/palette.rs"
                ));
            }
        }
    }
    assert!(found.is_empty(), "\n{}\n", found.join("\n"));
}
