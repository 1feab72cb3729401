//! Finding the GitOps objects of a run: every YAML and JSON file the run's walks read (the same
//! folders, ignore files and excludes), read once in parallel, its bytes left with the run's
//! [`Budget`] for the run's own read to take (no file is read from disk twice);
//! only a file that names an Argo CD or Flux API group is parsed, whole. ConfigMaps (which
//! Flux's `substituteFrom` and `valuesFrom` name) are parsed only when some object names one.
//!
//! Objects are kept as JSON values: GitOps objects are small, and ApplicationSet templates and
//! generators work on values, not on located text. Each keeps its file and line for the notes.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Map, Number, Value};

use crate::source::discover::{InputPath, Reuse, discover_in, display_name, is_json};
use crate::source::node::{EVERYTHING, Node, Value as NodeValue};
use crate::source::read::{Budget, Here, read_file};
use crate::source::walk::WalkOptions;
use crate::source::yaml::{parse_json, parse_yaml};

/// The repository the objects' paths are relative to.
#[derive(Debug, Clone)]
pub struct Repo {
    /// Its real (canonical) folder.
    pub real: PathBuf,
    /// How the run names it: `.`, `../..`, or absolute when the working folder is elsewhere.
    pub shown: PathBuf,
    /// `shown`, normalized once: [`Repo::lexical`] runs for every file of a run.
    shown_normal: PathBuf,
}

impl Repo {
    /// The repository holding the run: `root` (the config's confinement root) seen from `cwd`.
    pub fn new(root: &Path, cwd: &Path) -> Repo {
        let real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
        let shown = match cwd.strip_prefix(&real) {
            Ok(below) if below.as_os_str().is_empty() => PathBuf::from("."),
            Ok(below) => below.components().map(|_| "..").collect(),
            Err(_) => real.clone(),
        };
        let shown_normal = crate::render::wrapper::normalize(&shown);
        Repo {
            real,
            shown,
            shown_normal,
        }
    }

    /// A path relative to the repository's root (`apps/web`), as the run names it.
    pub fn path(&self, rel: &str) -> PathBuf {
        let rel = rel.trim_start_matches("./").trim_end_matches('/');
        if rel.is_empty() || rel == "." {
            return self.shown.clone();
        }
        if self.shown == Path::new(".") {
            PathBuf::from(rel)
        } else {
            crate::render::wrapper::normalize(&self.shown.join(rel))
        }
    }

    /// Where `path` (as the run names a path under the repository) lies in it, `/`-separated,
    /// without resolving links: `None` outside.
    pub fn lexical(&self, path: &Path) -> Option<String> {
        let path = crate::render::wrapper::normalize(path);
        let rel = if self.shown_normal == Path::new(".") {
            path.as_path()
        } else {
            path.strip_prefix(&self.shown_normal).ok()?
        };
        if rel
            .components()
            .next()
            .is_some_and(|c| c == std::path::Component::ParentDir)
            || rel.is_absolute()
        {
            return None;
        }
        let text = rel.to_string_lossy().replace('\\', "/");
        Some(if text == "." { String::new() } else { text })
    }

    /// Where `real` (a canonical path) lies in the repository, `/`-separated; `None` outside.
    pub fn rel(&self, real: &Path) -> Option<String> {
        let rel = real.strip_prefix(&self.real).ok()?;
        Some(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }
}

/// One object found, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// The file, as the run names it.
    pub name: String,
    /// The file relative to the repository's root, `/`-separated.
    pub rel: String,
    /// The line the object starts on (1-based).
    pub line: usize,
    pub value: Value,
}

impl Doc {
    /// `apps/web.yaml:3`, as notes name the object.
    pub fn at(&self) -> String {
        format!("{}:{}", self.name, self.line)
    }

    pub fn str(&self, pointer: &str) -> Option<&str> {
        self.value.pointer(pointer).and_then(Value::as_str)
    }

    pub fn kind(&self) -> &str {
        self.str("/kind").unwrap_or("")
    }

    pub fn api_group(&self) -> &str {
        let api = self.str("/apiVersion").unwrap_or("");
        api.split_once('/').map_or("", |(group, _)| group)
    }

    pub fn name(&self) -> &str {
        self.str("/metadata/name").unwrap_or("")
    }

    pub fn namespace(&self) -> Option<&str> {
        self.str("/metadata/namespace").filter(|n| !n.is_empty())
    }

    /// `Application argocd/web (apps/web.yaml:3)`.
    pub fn label(&self) -> String {
        let ns = self
            .namespace()
            .map_or_else(String::new, |n| format!("{n}/"));
        format!("{} {ns}{} ({})", self.kind(), self.name(), self.at())
    }

    /// The folder holding the object's file, relative to the repository's root (`""` at the
    /// root).
    pub fn folder(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Argo CD and Flux objects, in file order.
    pub objects: Vec<Doc>,
    /// ConfigMaps, when some object names one.
    pub config_maps: Vec<Doc>,
    /// Every YAML and JSON file of the repository (relative to its root, sorted): what the git
    /// files generator looks in.
    pub files: Vec<String>,
    /// Every folder holding one of them, a kustomization or a chart, with their parents: what
    /// the git directories generator looks in.
    pub dirs: std::collections::BTreeSet<String>,
}

/// The API groups whose objects say where things are deployed.
const GROUPS: [&str; 2] = ["argoproj.io", "fluxcd.io"];

/// Read the files of `roots` (the folders and files a run reads, as it names them) for GitOps
/// objects. `config_maps` says whether to parse ConfigMaps too, given the objects found (called
/// once the objects are known).
pub fn scan(
    repo: &Repo,
    roots: &[PathBuf],
    options: &WalkOptions,
    budget: &Budget,
    config_maps: impl Fn(&[Doc]) -> bool,
) -> Scanned {
    // The run's discovery takes this walk rather than walking the folders again.
    let found = discover_in(roots, "-", options, budget.walks(), Reuse::Keep);
    let files: Vec<PathBuf> = found
        .inputs
        .into_iter()
        .filter_map(|input| match input.path {
            InputPath::File(path) => Some(path),
            InputPath::Stdin => None,
        })
        .collect();
    let mut scanned = Scanned::default();
    let folders = found
        .kustomizations
        .iter()
        .cloned()
        .chain(found.charts.iter().map(|c| PathBuf::from(&c.path)));
    for folder in folders {
        if let Some(rel) = repo.lexical(&folder) {
            scanned.dirs.insert(rel);
        }
    }
    for file in &files {
        if let Some(rel) = repo.lexical(file) {
            scanned
                .dirs
                .insert(rel.rsplit_once('/').map_or("", |(d, _)| d).to_string());
            scanned.files.push(rel);
        }
    }
    scanned.files.sort();
    for dir in scanned.dirs.clone() {
        let mut at = dir.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            scanned.dirs.insert(parent.to_string());
            at = parent;
        }
    }
    scanned.dirs.remove("");
    // One search per file for the API groups; ConfigMaps only when an object asks for one
    // (Flux's substituteFrom and valuesFrom), in a second pass over the files that name one.
    // Each file's bytes stay with the budget, for the run's own read to take: the run reads
    // every file from disk once.
    let here = Here::now();
    let read = |path: &PathBuf| -> Vec<Doc> {
        let Ok(bytes) = read_file(path, budget) else {
            return Vec::new();
        };
        // On the bytes: the names are ASCII, so no UTF-8 decoding can make or hide a match
        // (memchr's SIMD search is a few times faster than `str::contains`, and every file of a
        // run passes here before any is parsed).
        let found = GROUPS
            .iter()
            .any(|g| memchr::memmem::find(&bytes, g.as_bytes()).is_some());
        let docs = if found {
            documents(repo, path, bytes.clone(), is_gitops)
        } else {
            Vec::new()
        };
        budget.keep(&here, path, bytes);
        docs
    };
    let results: Vec<Vec<Doc>> = match crate::threads::pool(crate::threads::for_jobs(files.len())) {
        Some(pool) => pool.install(|| files.par_iter().map(read).collect()),
        None => files.iter().map(read).collect(),
    };
    scanned.objects.extend(results.into_iter().flatten());
    if config_maps(&scanned.objects) {
        for path in &files {
            let Ok(bytes) = read_file(path, budget) else {
                continue;
            };
            if memchr::memmem::find(&bytes, b"ConfigMap").is_none() {
                continue;
            }
            scanned
                .config_maps
                .extend(documents(repo, path, bytes, |d| {
                    d.kind() == "ConfigMap" && d.str("/apiVersion") == Some("v1")
                }));
        }
    }
    scanned
}

fn is_gitops(doc: &Doc) -> bool {
    let group = doc.api_group();
    group == "argoproj.io" || group.ends_with(".fluxcd.io")
}

/// The documents of one file that `keep` keeps.
fn documents(repo: &Repo, path: &Path, bytes: Vec<u8>, keep: impl Fn(&Doc) -> bool) -> Vec<Doc> {
    let decoded = crate::source::decode(bytes);
    if decoded.binary {
        return Vec::new();
    }
    let text = decoded.text;
    let name = display_name(path);
    let rel = std::fs::canonicalize(path)
        .ok()
        .and_then(|real| repo.rel(&real))
        .unwrap_or_else(|| name.clone());
    let parsed = if is_json(&name) {
        parse_json(&text, &EVERYTHING)
    } else {
        parse_yaml(&text, &EVERYTHING)
    };
    let mut out = Vec::new();
    for doc in parsed {
        let Ok(root) = doc.result else {
            continue;
        };
        let start = root.span.map_or(doc.span.start, |s| s.start);
        let line = text
            .get(..start)
            .map_or(1, |before| before.matches('\n').count() + 1);
        // `kind: List` holds objects too.
        let values = match to_json(&root) {
            Value::Object(map) if map.get("kind").and_then(Value::as_str) == Some("List") => map
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            value => vec![value],
        };
        for value in values {
            let doc = Doc {
                name: name.clone(),
                rel: rel.clone(),
                line,
                value,
            };
            if keep(&doc) {
                out.push(doc);
            }
        }
    }
    out
}

/// A node tree as a JSON value (a key given twice keeps its first value, as the reader does).
pub fn to_json(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null | NodeValue::Skipped => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Int(i) => Value::Number(Number::from(*i)),
        NodeValue::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        NodeValue::Str(s) => Value::String(s.to_string()),
        NodeValue::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        NodeValue::Map(entries) => {
            let mut map = Map::new();
            for entry in entries {
                if !map.contains_key(entry.key.as_ref()) {
                    map.insert(entry.key.to_string(), to_json(&entry.value));
                }
            }
            Value::Object(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_is_named_from_the_working_folder() {
        let temp = tempfile::tempdir().expect("temp");
        let sub = temp.path().join("a/b");
        std::fs::create_dir_all(&sub).expect("mkdir");
        let repo = Repo::new(temp.path(), &sub);
        assert_eq!(repo.shown, PathBuf::from("../.."));
        assert_eq!(repo.path("apps/web/"), PathBuf::from("../../apps/web"));
        assert_eq!(repo.path("./"), PathBuf::from("../.."));
        let here = Repo::new(temp.path(), temp.path());
        assert_eq!(here.path("./apps/web"), PathBuf::from("apps/web"));
        assert_eq!(here.path(""), PathBuf::from("."));
        let real = std::fs::canonicalize(&sub).expect("real");
        assert_eq!(here.rel(&real).as_deref(), Some("a/b"));
    }

    #[test]
    fn gitops_objects_are_found_with_their_lines() {
        let temp = tempfile::tempdir().expect("temp");
        std::fs::write(
            temp.path().join("apps.yaml"),
            "# apps\napiVersion: v1\nkind: Service\nmetadata: {name: x}\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\n",
        )
        .expect("write");
        std::fs::write(
            temp.path().join("vars.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vars}\ndata: {A: b}\n",
        )
        .expect("write");
        // Named from the process's working folder (the crate's), as runs name it.
        let cwd = std::env::current_dir().expect("cwd");
        let repo = Repo::new(temp.path(), &cwd);
        let options = WalkOptions {
            ignore_files: true,
            default_excludes: true,
            excludes: Vec::new(),
        };
        let roots = [repo.shown.clone()];
        let scanned = scan(&repo, &roots, &options, &Budget::default(), |_| true);
        let [app] = scanned.objects.as_slice() else {
            panic!("{:?}", scanned.objects);
        };
        assert_eq!(app.rel, "apps.yaml");
        assert!(
            app.label().starts_with("Application argocd/web ("),
            "{}",
            app.label()
        );
        assert!(app.label().ends_with("apps.yaml:6)"), "{}", app.label());
        assert_eq!(app.folder(), "");
        assert_eq!(scanned.config_maps.len(), 1);
        let none = scan(&repo, &roots, &options, &Budget::default(), |_| false);
        assert!(none.config_maps.is_empty());
    }
}
