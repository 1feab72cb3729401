//! Which kustomizations a run renders, and which files they read.
//!
//! Kustomizations reference each other (an overlay lists its base in `resources`, a component in
//! `components`). Among the kustomizations of a run's inputs, the *leaves* (those no other
//! kustomization reachable from the inputs references) are rendered; a base is rendered as part of
//! its overlays, never on its own. Every file a kustomization references (resources, patches,
//! generator sources...) is part of a render and is not a manifest to read raw.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::kustomization::{self, Kustomization, Role, Target};

/// A folder holding a kustomization file, as the run met it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Root {
    /// The folder, as discovery gave it (readable from the working folder).
    pub dir: PathBuf,
    /// How reports name it (`overlays/prod`).
    pub name: String,
}

impl Root {
    pub fn new(dir: impl Into<PathBuf>, name: impl Into<String>) -> Root {
        Root {
            dir: dir.into(),
            name: name.into(),
        }
    }
}

/// A kustomization to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlay {
    pub dir: PathBuf,
    pub name: String,
    /// Every file the render reads (kustomization files included), canonical and sorted.
    pub files: Vec<PathBuf>,
    /// Remote bases it needs (rendering them needs the network).
    pub remote: Vec<String>,
}

/// What the kustomizations of a run amount to.
#[derive(Debug, Default)]
pub struct Plan {
    /// The overlays to render, sorted by name.
    pub overlays: Vec<Overlay>,
    /// Components that no kustomization of the inputs uses: a component renders only inside an
    /// overlay, so these are not rendered (one note each).
    pub unused_components: Vec<Root>,
    /// Canonical paths of every file a kustomization reachable from the inputs reads, kustomization
    /// files included: none of them is a manifest to read raw. A folder here (a Helm chart home
    /// named in `helmGlobals`) stands for every file under it.
    pub referenced: BTreeSet<PathBuf>,
    /// Kustomization files that could not be read or are partly wrong: (file, problem). Lenient:
    /// the overlay is still rendered, and Kustomize says what it refuses.
    pub problems: Vec<(PathBuf, String)>,
    /// Overlays of the inputs that another kustomization uses as its base (so they are no
    /// leaves, and not among `overlays`): kustomizations that have a base themselves, local or
    /// remote. Whether one is rendered on its own too is `overlays.rs`'s to decide.
    pub bases: Vec<BaseOverlay>,
}

/// An overlay that is also another overlay's base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseOverlay {
    /// The overlay, as rendered on its own.
    pub overlay: Overlay,
    /// The canonical folders of the kustomizations that reference it, and their names.
    pub users: Vec<(PathBuf, String)>,
}

/// One kustomization reached from the roots.
#[derive(Debug, Default)]
struct Vertex {
    /// Canonical folders of the kustomizations it references.
    edges: Vec<PathBuf>,
    files: Vec<PathBuf>,
    remote: Vec<String>,
    component: bool,
}

/// Leaves of the kustomizations met in a run's inputs (discovery's kustomization roots).
pub fn leaves(roots: &[Root]) -> Plan {
    build(roots, false)
}

/// The overlays named in the config (`clusters[].kustomize`): each is rendered, whatever
/// references it. A folder without a kustomization file is a problem.
pub fn named(overlays: &[Root]) -> Plan {
    build(overlays, true)
}

fn build(roots: &[Root], all: bool) -> Plan {
    let mut plan = Plan::default();
    let mut graph: BTreeMap<PathBuf, Vertex> = BTreeMap::new();
    // Roots by canonical folder; the first name (in sorted order) wins for a folder met twice.
    let mut sorted: Vec<&Root> = roots.iter().collect();
    sorted.sort();
    let mut canonical_roots: BTreeMap<PathBuf, &Root> = BTreeMap::new();
    for root in sorted {
        match std::fs::canonicalize(&root.dir) {
            Ok(dir) if kustomization::file_in(&dir).is_some() => {
                canonical_roots.entry(dir).or_insert(root);
            }
            _ => plan.problems.push((
                root.dir.clone(),
                "not a kustomization: no kustomization.yaml, kustomization.yml or Kustomization"
                    .into(),
            )),
        }
    }
    let mut queue: Vec<PathBuf> = canonical_roots.keys().cloned().collect();
    while let Some(dir) = queue.pop() {
        if graph.contains_key(&dir) {
            continue;
        }
        let vertex = vertex(&dir, &mut plan);
        queue.extend(vertex.edges.iter().cloned());
        graph.insert(dir, vertex);
    }
    let referenced_dirs: BTreeSet<&PathBuf> = graph
        .iter()
        .flat_map(|(dir, v)| v.edges.iter().filter(move |e| *e != dir))
        .collect();
    let is_component = |dir: &PathBuf| graph.get(dir).is_some_and(|v| v.component);
    let mut chosen: Vec<&PathBuf> = canonical_roots
        .keys()
        .filter(|dir| all || (!referenced_dirs.contains(dir) && !is_component(dir)))
        .collect();
    if !all {
        // Kustomizations that reference each other in a cycle have no leaf: render them anyway,
        // so that Kustomize reports the cycle rather than lbplan saying nothing.
        let reached: BTreeSet<PathBuf> = chosen
            .iter()
            .flat_map(|dir| closure(&graph, dir).0)
            .collect();
        let orphans: Vec<&PathBuf> = canonical_roots
            .keys()
            .filter(|dir| !reached.contains(*dir) && !is_component(dir))
            .collect();
        chosen.extend(orphans);
        plan.unused_components = canonical_roots
            .iter()
            .filter(|(dir, _)| is_component(dir) && !referenced_dirs.contains(dir))
            .map(|(_, root)| (*root).clone())
            .collect();
    }
    if !all {
        plan.bases = bases(&graph, &canonical_roots, &referenced_dirs, &chosen);
    }
    for dir in chosen {
        let Some(root) = canonical_roots.get(dir) else {
            continue;
        };
        plan.overlays.push(overlay_of(&graph, dir, root));
    }
    plan.overlays.sort_by(|a, b| a.name.cmp(&b.name));
    plan.referenced = graph
        .values()
        .flat_map(|v| v.files.iter().cloned())
        .collect();
    plan
}

/// The overlay of the kustomization in the canonical folder `dir`: every file its render reads.
fn overlay_of(graph: &BTreeMap<PathBuf, Vertex>, dir: &Path, root: &Root) -> Overlay {
    let (dirs, remote) = closure(graph, dir);
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    for d in &dirs {
        if let Some(v) = graph.get(d) {
            files.extend(v.files.iter().cloned());
        }
    }
    Overlay {
        dir: root.dir.clone(),
        name: root.name.clone(),
        files: files.into_iter().collect(),
        remote,
    }
}

/// The kustomizations of the inputs that another kustomization uses as a base and that have a
/// base of their own (local or remote), with who uses them.
fn bases(
    graph: &BTreeMap<PathBuf, Vertex>,
    roots: &BTreeMap<PathBuf, &Root>,
    referenced: &BTreeSet<&PathBuf>,
    chosen: &[&PathBuf],
) -> Vec<BaseOverlay> {
    let has_base = |dir: &PathBuf| {
        graph.get(dir).is_some_and(|v| {
            !v.component && (v.edges.iter().any(|e| e != dir) || !v.remote.is_empty())
        })
    };
    roots
        .iter()
        .filter(|(dir, _)| referenced.contains(dir) && has_base(dir) && !chosen.contains(dir))
        .map(|(dir, root)| BaseOverlay {
            overlay: overlay_of(graph, dir, root),
            users: graph
                .iter()
                .filter(|(d, v)| *d != dir && v.edges.contains(dir))
                .map(|(d, _)| {
                    let name = roots.get(d).map_or_else(
                        || crate::source::discover::display_name(d),
                        |r| r.name.clone(),
                    );
                    (d.clone(), name)
                })
                .collect(),
        })
        .collect()
}

/// Read the kustomization of the canonical folder `dir` and resolve its references.
fn vertex(dir: &Path, plan: &mut Plan) -> Vertex {
    let mut vertex = Vertex::default();
    let k: Kustomization = match kustomization::read(dir) {
        Ok(k) => k,
        Err(problem) => {
            plan.problems.push((dir.to_path_buf(), problem));
            return vertex;
        }
    };
    vertex.files.push(k.file.clone());
    vertex.component = k.component;
    plan.problems
        .extend(k.problems.iter().map(|p| (k.file.clone(), p.clone())));
    for reference in &k.references {
        let path = match &reference.target {
            Target::Remote(url) => {
                vertex.remote.push(url.clone());
                continue;
            }
            Target::Local(path) => path,
        };
        // A missing path is Kustomize's to report, when the overlay is rendered.
        let Ok(real) = std::fs::canonicalize(path) else {
            continue;
        };
        if real.is_dir() {
            if kustomization::file_in(&real).is_some() {
                vertex.edges.push(real);
            } else if reference.role == Role::Input {
                // A Helm chart home, say: every file under it is read by the render.
                vertex.files.push(real);
            }
        } else {
            vertex.files.push(real);
        }
    }
    vertex
}

/// Every kustomization folder reachable from `dir` (itself included), and the remote bases met.
fn closure(graph: &BTreeMap<PathBuf, Vertex>, dir: &Path) -> (BTreeSet<PathBuf>, Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut remote = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if !seen.insert(d.clone()) {
            continue;
        }
        if let Some(v) = graph.get(&d) {
            remote.extend(v.remote.iter().cloned());
            stack.extend(v.edges.iter().cloned());
        }
    }
    (seen, remote.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Write `files` (path, text) under a temporary folder.
    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    fn roots(dir: &Path, names: &[&str]) -> Vec<Root> {
        names.iter().map(|n| Root::new(dir.join(n), *n)).collect()
    }

    fn names(plan: &Plan) -> Vec<&str> {
        plan.overlays.iter().map(|o| o.name.as_str()).collect()
    }

    const SHOP: &[(&str, &str)] = &[
        (
            "base/kustomization.yaml",
            "resources: [svc.yaml]\nconfigMapGenerator:\n- name: c\n  files: [a.conf]\n",
        ),
        ("base/svc.yaml", "kind: Service\n"),
        ("base/a.conf", "x\n"),
        ("base/unused.yaml", "kind: Service\n"),
        (
            "components/c/kustomization.yaml",
            "kind: Component\npatches:\n- path: p.yaml\n",
        ),
        ("components/c/p.yaml", "kind: Service\n"),
        ("components/lonely/kustomization.yaml", "kind: Component\n"),
        (
            "overlays/prod/kustomization.yaml",
            "resources: [../../base]\ncomponents: [../../components/c]\npatchesStrategicMerge: [lb.yaml]\n",
        ),
        ("overlays/prod/lb.yaml", "kind: Service\n"),
        (
            "overlays/dev/Kustomization",
            "resources:\n- ../../base\n- github.com/org/repo//x?ref=v1\n",
        ),
    ];

    #[test]
    fn bases_and_components_are_not_leaves() {
        let dir = repo(SHOP);
        let all = [
            "base",
            "components/c",
            "components/lonely",
            "overlays/dev",
            "overlays/prod",
        ];
        let plan = leaves(&roots(dir.path(), &all));
        assert_eq!(names(&plan), ["overlays/dev", "overlays/prod"]);
        let lonely: Vec<_> = plan
            .unused_components
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(lonely, ["components/lonely"]);
        assert!(plan.problems.is_empty(), "{:?}", plan.problems);
        let real = std::fs::canonicalize(dir.path()).expect("real");
        let rel = |paths: &[PathBuf]| -> Vec<String> {
            paths
                .iter()
                .map(|p| p.strip_prefix(&real).expect("inside").display().to_string())
                .collect()
        };
        let prod = &plan.overlays[1];
        assert_eq!(
            rel(&prod.files),
            [
                "base/a.conf",
                "base/kustomization.yaml",
                "base/svc.yaml",
                "components/c/kustomization.yaml",
                "components/c/p.yaml",
                "overlays/prod/kustomization.yaml",
                "overlays/prod/lb.yaml",
            ]
        );
        assert_eq!(plan.overlays[0].remote, ["github.com/org/repo//x?ref=v1"]);
        let referenced: Vec<PathBuf> = plan.referenced.iter().cloned().collect();
        assert!(!rel(&referenced).contains(&"base/unused.yaml".to_string()));
        assert!(rel(&referenced).contains(&"overlays/dev/Kustomization".to_string()));
    }

    #[test]
    fn a_base_alone_in_the_inputs_is_a_leaf() {
        let dir = repo(SHOP);
        let plan = leaves(&roots(dir.path(), &["base"]));
        assert_eq!(names(&plan), ["base"]);
        // Its overlays are outside the inputs: they do not make it a base here.
    }

    #[test]
    fn named_overlays_render_even_when_referenced() {
        let dir = repo(SHOP);
        let plan = named(&roots(dir.path(), &["base", "overlays/prod", "nowhere"]));
        assert_eq!(names(&plan), ["base", "overlays/prod"]);
        assert_eq!(plan.problems.len(), 1);
        assert!(plan.problems[0].1.contains("not a kustomization"));
    }

    #[test]
    fn cycles_are_rendered_so_kustomize_reports_them() {
        let dir = repo(&[
            ("a/kustomization.yaml", "resources: [../b]\n"),
            ("b/kustomization.yaml", "resources: [../a]\n"),
            ("c/kustomization.yaml", "resources: [../c]\n"),
        ]);
        let plan = leaves(&roots(dir.path(), &["a", "b", "c"]));
        assert_eq!(names(&plan), ["a", "b", "c"]);
    }

    #[test]
    fn unreadable_kustomizations_are_problems() {
        let dir = repo(&[("a/kustomization.yaml", "resources: base\n")]);
        let plan = leaves(&roots(dir.path(), &["a"]));
        assert_eq!(names(&plan), ["a"]);
        assert!(plan.problems[0].1.contains("should be a list"));
    }
}
