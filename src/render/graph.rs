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
use crate::source::confine::RootDir;

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
    /// Its kustomizations' folders, canonical: where its objects' origins may be.
    pub roots: Vec<PathBuf>,
    /// The entries of its graph that leave the side's root: it is not rendered.
    pub escapes: Vec<String>,
    /// Whether lbplan read its whole graph: every kustomization read without a problem, every
    /// local reference found. Only then do `files` name everything the render reads, and only
    /// then is its render cached (`render/cached.rs`).
    pub resolved: bool,
}

impl Overlay {
    /// Whether its render can be cached: its whole graph read, nothing remote, nothing leaving
    /// the root (`render/cached.rs` keys only such renders).
    pub fn cacheable(&self) -> bool {
        self.resolved && self.remote.is_empty() && self.escapes.is_empty()
    }
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
    /// Entries that leave the side's root, in words.
    escapes: Vec<String>,
    /// A problem reading it, or a local reference that was not found.
    unresolved: bool,
}

/// Leaves of the kustomizations met in a run's inputs (discovery's kustomization roots), their
/// graphs confined to `side` (the side's root).
pub fn leaves(roots: &[Root], side: &RootDir) -> Plan {
    build(roots, false, side)
}

/// The overlays named in the config (`clusters[].kustomize`): each is rendered, whatever
/// references it. A folder without a kustomization file is a problem.
pub fn named(overlays: &[Root], side: &RootDir) -> Plan {
    build(overlays, true, side)
}

fn build(roots: &[Root], all: bool, side: &RootDir) -> Plan {
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
    let anywhere = RootDir::anywhere();
    let mut queue: Vec<PathBuf> = canonical_roots.keys().cloned().collect();
    while let Some(dir) = queue.pop() {
        if graph.contains_key(&dir) {
            continue;
        }
        // A kustomization outside the root is reached only from the command line (one inside
        // never reaches it: its escape stops there): its graph stays in its own repository.
        let own;
        let confine = if side.holds_real(&dir) {
            side
        } else if let Some(top) = RootDir::repository_of(&dir) {
            own = RootDir::new(&top);
            &own
        } else {
            &anywhere
        };
        let vertex = vertex(&dir, &mut plan, confine);
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

/// The overlay of the kustomization in the canonical folder `dir`: every file its render reads,
/// its kustomizations' folders, and the entries of its graph that leave the side's root.
fn overlay_of(graph: &BTreeMap<PathBuf, Vertex>, dir: &Path, root: &Root) -> Overlay {
    let (dirs, remote) = closure(graph, dir);
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut escapes = Vec::new();
    let mut resolved = true;
    for d in &dirs {
        match graph.get(d) {
            Some(v) => {
                files.extend(v.files.iter().cloned());
                escapes.extend(v.escapes.iter().cloned());
                resolved &= !v.unresolved;
            }
            None => resolved = false,
        }
    }
    Overlay {
        dir: root.dir.clone(),
        name: root.name.clone(),
        files: files.into_iter().collect(),
        remote,
        roots: dirs.into_iter().collect(),
        escapes,
        resolved,
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

/// Read the kustomization of the canonical folder `dir` and resolve its references; those that
/// leave `side` are escapes, neither read nor followed.
fn vertex(dir: &Path, plan: &mut Plan, side: &RootDir) -> Vertex {
    let mut vertex = Vertex::default();
    if let Some(file) = kustomization::file_in(dir) {
        if let Err(escape) = side.confine(&file) {
            vertex.escapes.push(escape.to_string());
            return vertex;
        }
    }
    let k: Kustomization = match kustomization::read(dir) {
        Ok(k) => k,
        Err(problem) => {
            plan.problems.push((dir.to_path_buf(), problem));
            vertex.unresolved = true;
            return vertex;
        }
    };
    vertex.unresolved = !k.problems.is_empty();
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
        if let Err(escape) = side.confine(path) {
            vertex.escapes.push(format!(
                "`{}` in {}: {escape}",
                crate::text::visible(&reference.text),
                crate::source::discover::display_name(&k.file)
            ));
            continue;
        }
        // A missing path is Kustomize's to report, when the overlay is rendered.
        let Ok(real) = std::fs::canonicalize(path) else {
            vertex.unresolved = true;
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
mod tests;
