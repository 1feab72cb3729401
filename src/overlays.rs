//! Kustomize overlays in a run: which ones are rendered, for which cluster, and which inputs they
//! replace.
//!
//! The leaves of the kustomizations met in folder walks are rendered (`render::leaves`), each for
//! the cluster whose paths hold it (the most specific path wins); a cluster that names its
//! overlays (`clusters[].kustomize`) renders those instead. Every file a render reads is part of
//! that render and is not read raw. Neither is any other file inside a kustomization's folder:
//! Kustomize deploys only what a kustomization lists, and read raw, a patch looks like a whole
//! object (one note gives their count). With rendering off nothing runs, and those files are still
//! not read raw: `load/rendered.rs` gives each overlay a note instead. `load.rs` calls [`place`]
//! on what `inputs.rs` found, before the inputs left under no cluster become problems.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::config::{ClusterSetup, Config, Renderer};
use crate::inputs::{Job, NO_CLUSTER, Role, cluster_holding, cluster_roots, given_folders};
use crate::render::{self, BaseOverlay, Choice, NotRendered, Overlay, Root, Settings};
use crate::source::discover::{Input, InputPath, IoProblem, display_folder};

/// An overlay to render, and the clusters its objects join.
#[derive(Debug, Clone)]
pub struct PlacedOverlay {
    pub overlay: Overlay,
    pub clusters: Vec<usize>,
    /// The sources that deploy it, as (cluster, index in its `sources`): their namespaces and
    /// variables apply to what it renders (`load/claims.rs`).
    pub deploys: Vec<(usize, usize)>,
}

/// The overlays of a run, and what placing them says.
#[derive(Debug, Default)]
pub struct Placed {
    /// Sorted by name; each overlay once.
    pub overlays: Vec<PlacedOverlay>,
    pub notes: Vec<String>,
    pub problems: Vec<IoProblem>,
    /// Canonical paths of every file the renders read, kustomization files included (a folder
    /// stands for every file under it): `--output` may not name one.
    pub files: BTreeSet<PathBuf>,
    /// Whether the inputs held a kustomization at all.
    pub any: bool,
    /// Overlays met in folder walks under no cluster's paths (with several clusters): not
    /// rendered, and counted in the one note about inputs no cluster holds.
    pub unowned: Vec<String>,
}

/// How a run renders: the engine's settings, and why nothing is rendered when it is not; how
/// Helm charts are rendered (the same time limit, threads and temporary folder).
#[derive(Debug, Clone)]
pub struct Rendering {
    pub settings: Settings,
    pub off: Option<NotRendered>,
    pub helm: crate::helm::Settings,
}

impl Rendering {
    /// From the config's `render:` and `--no-render`.
    pub fn new(config: &Config, no_render: bool) -> Rendering {
        let render = &config.file.render;
        let choice = match &render.kustomize {
            None | Some(Renderer::Auto) => Choice::Auto,
            Some(Renderer::Off) => Choice::Off,
            Some(Renderer::Engine(name)) => Choice::Engine(name),
        };
        let off = if no_render {
            Some(NotRendered::Flag)
        } else if choice == Choice::Off {
            Some(NotRendered::Config)
        } else {
            None
        };
        Rendering {
            settings: Settings {
                choice: if off.is_some() { Choice::Off } else { choice },
                program: None,
                no_remote: false,
                timeout: render.timeout.unwrap_or(render::DEFAULT_TIMEOUT),
                // Counted when renders start (`render_all`), not for runs that render nothing.
                threads: None,
                temp_parent: None,
                progress: true,
                cache: std::sync::Arc::new(crate::cache::Store::memory()),
                stop: None,
            },
            off,
            helm: crate::helm::Settings {
                program: None,
                off: crate::helm::Off::from_flags(
                    no_render,
                    render.helm == Some(crate::config::helm::HelmChoice::Off),
                ),
            },
        }
    }

    /// The render cache of the run (shared by both sides of a diff).
    #[must_use]
    pub fn with_cache(mut self, cache: std::sync::Arc<crate::cache::Store>) -> Rendering {
        self.settings.cache = cache;
        self
    }

    /// The program the person running lbplan named (`--kustomize-bin`, `LBPLAN_KUSTOMIZE`), and
    /// `--no-remote`.
    #[must_use]
    pub fn with_flags(mut self, program: Option<crate::exec::Named>, no_remote: bool) -> Rendering {
        self.settings.program = program;
        self.settings.no_remote = no_remote;
        self
    }

    /// The helm the person running lbplan named (`--helm-bin`, `LBPLAN_HELM`).
    #[must_use]
    pub fn with_helm(mut self, program: Option<crate::exec::Named>) -> Rendering {
        self.helm.program = program;
        self
    }
}

/// Place the overlays of a run: `found` are the kustomization folders the walks met, `jobs` and
/// `unplaced` the inputs found so far, from which whatever a render reads (or a kustomization
/// folder holds) is removed. `configured`: the config lists `clusters:`.
pub fn place(
    setups: &[ClusterSetup],
    configured: bool,
    found: &[PathBuf],
    cli_paths: &[PathBuf],
    jobs: &mut Vec<Job>,
    unplaced: &mut Vec<Input>,
    root: &crate::source::confine::RootDir,
) -> Placed {
    let mut placed = Placed::default();
    if found.is_empty() && setups.iter().all(|s| s.kustomize.is_none()) {
        return placed;
    }
    placed.any = true;
    let mut chosen = Chosen::default();
    let named = named_overlays(setups, cli_paths, &mut placed.problems, root);
    for (overlay, cluster) in &named.overlays {
        chosen.add(overlay, *cluster);
    }
    let roots: Vec<Root> = found
        .iter()
        .map(|dir| Root::new(dir.clone(), display_folder(dir)))
        .collect();
    let detected = render::leaves(&roots, root);
    let cluster_paths = cluster_roots(setups);
    // With GitOps clusters, what no path holds is the cluster of the files no object deploys.
    let unclaimed = setups.iter().position(|s| s.unclaimed);
    for overlay in &detected.overlays {
        let real = std::fs::canonicalize(&overlay.dir).ok();
        let owner = if setups.len() == 1 {
            Some(0)
        } else {
            real.as_deref()
                .and_then(|r| cluster_holding(&cluster_paths, r))
                .or(unclaimed)
        };
        let Some(cluster) = owner else {
            // Named on the command line, it is an error; met in a walk, one note counts it.
            if cli_paths
                .iter()
                .any(|p| std::fs::canonicalize(p).ok() == real)
            {
                placed.problems.push(IoProblem {
                    path: overlay.name.clone(),
                    message: format!("Kustomize overlay {NO_CLUSTER}"),
                });
            } else {
                placed.unowned.push(overlay.name.clone());
            }
            continue;
        };
        match setups.get(cluster).filter(|s| s.kustomize.is_some()) {
            // Named in the config: placed above.
            Some(_) if real.as_ref().is_some_and(|r| named.dirs.contains(r)) => {}
            Some(setup) => placed.notes.push(format!(
                "Kustomize overlay {} not rendered: cluster {} lists its overlays in clusters[].kustomize, and not this one",
                overlay.name, setup.facts.name
            )),
            None => chosen.add(overlay, cluster),
        }
    }
    for base in &detected.bases {
        let real = std::fs::canonicalize(&base.overlay.dir).ok();
        if real.as_ref().is_some_and(|r| named.dirs.contains(r)) {
            continue; // named in the config: placed above
        }
        match base_cluster(setups, configured, &cluster_paths, base, &chosen) {
            Some(cluster) => chosen.add(&base.overlay, cluster),
            None if configured => placed.notes.push(base_note(base)),
            None => {}
        }
    }
    let mut referenced = detected.referenced;
    referenced.extend(named.referenced);
    let mut folders: HashSet<PathBuf> = found
        .iter()
        .filter_map(|d| std::fs::canonicalize(d).ok())
        .chain(named.dirs)
        .collect();
    // Kustomizations reached through references (bases outside the walks) hold files too.
    folders.extend(
        referenced
            .iter()
            .filter(|f| {
                f.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| render::kustomization::FILE_NAMES.contains(&n))
            })
            .filter_map(|f| f.parent().map(Path::to_path_buf)),
    );
    let unreferenced = drop_rendered(jobs, unplaced, cli_paths, &referenced, &folders);
    placed.notes.extend(unreferenced_note(&unreferenced));
    placed.notes.extend(
        detected
            .unused_components
            .iter()
            .map(render::unused_component_note),
    );
    placed.overlays = chosen.into_sorted();
    placed.files = referenced;
    placed
}

/// The cluster an overlay that is also another overlay's base is rendered for on its own, if
/// any. Without `clusters:`, when it is its own placement: it sits beside an overlay that uses it
/// (`overlays/prod` beside `overlays/prod-eu`, whose base it is), a variant of its own, not a
/// shared base. With `clusters:`, when a cluster's paths hold it and no overlay rendered for that
/// cluster uses it (a cluster that names its overlays renders only those).
fn base_cluster(
    setups: &[ClusterSetup],
    configured: bool,
    cluster_paths: &[(usize, PathBuf)],
    base: &BaseOverlay,
    chosen: &Chosen,
) -> Option<usize> {
    let real = std::fs::canonicalize(&base.overlay.dir).ok()?;
    if !configured {
        let beside = base
            .users
            .iter()
            .any(|(user, _)| user.parent().is_some() && user.parent() == real.parent());
        return beside.then(|| setups.iter().position(|s| s.unclaimed).unwrap_or(0));
    }
    let cluster = if setups.len() == 1 {
        0
    } else {
        cluster_holding(cluster_paths, &real)?
    };
    if setups.get(cluster)?.kustomize.is_some() {
        return None;
    }
    let file = render::kustomization::file_in(&real)?;
    let used = chosen
        .0
        .values()
        .any(|o| o.clusters.contains(&cluster) && o.overlay.files.contains(&file));
    (!used).then_some(cluster)
}

/// The note for an overlay that is also a base, rendered only inside the overlays using it.
fn base_note(base: &BaseOverlay) -> String {
    let users: Vec<&str> = base.users.iter().map(|(_, name)| name.as_str()).collect();
    format!(
        "Kustomize overlay {} is used only as a base (of {}) and is not rendered on its own; to render it for a cluster too, list it in that cluster's clusters[].kustomize",
        base.overlay.name,
        users.join(", ")
    )
}

/// The overlays chosen so far, once each by canonical folder, with their clusters.
#[derive(Default)]
struct Chosen(BTreeMap<PathBuf, PlacedOverlay>);

impl Chosen {
    fn add(&mut self, overlay: &Overlay, cluster: usize) {
        let key = std::fs::canonicalize(&overlay.dir).unwrap_or_else(|_| overlay.dir.clone());
        let entry = self.0.entry(key).or_insert_with(|| PlacedOverlay {
            overlay: overlay.clone(),
            clusters: Vec::new(),
            deploys: Vec::new(),
        });
        if !entry.clusters.contains(&cluster) {
            entry.clusters.push(cluster);
        }
    }

    fn into_sorted(self) -> Vec<PlacedOverlay> {
        let mut overlays: Vec<PlacedOverlay> = self.0.into_values().collect();
        for o in &mut overlays {
            o.clusters.sort_unstable();
        }
        overlays.sort_by(|a, b| a.overlay.name.cmp(&b.overlay.name));
        overlays
    }
}

/// The overlays the config names (`clusters[].kustomize`).
#[derive(Default)]
struct Named {
    overlays: Vec<(Overlay, usize)>,
    /// Their canonical folders.
    dirs: BTreeSet<PathBuf>,
    referenced: BTreeSet<PathBuf>,
}

/// The overlays each cluster names; with PATHs, those inside them. A named folder that is not a
/// kustomization is a problem naming the config key.
fn named_overlays(
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    problems: &mut Vec<IoProblem>,
    root: &crate::source::confine::RootDir,
) -> Named {
    let mut named = Named::default();
    let within = given_folders(cli_paths);
    for (i, setup) in setups.iter().enumerate() {
        let Some(dirs) = &setup.kustomize else {
            continue;
        };
        let mut roots = Vec::new();
        for dir in dirs {
            let real = std::fs::canonicalize(dir).ok();
            if within
                .as_ref()
                .is_some_and(|w| !real.as_ref().is_some_and(|r| inside(r, w)))
            {
                continue;
            }
            if render::kustomization::file_in(dir).is_none() {
                problems.push(IoProblem {
                    path: display_folder(dir),
                    message: format!(
                        "not a kustomization: no kustomization.yaml, kustomization.yml or Kustomization (clusters[{i}].kustomize in the config, cluster {})",
                        setup.facts.name
                    ),
                });
                continue;
            }
            named.dirs.extend(real);
            roots.push(Root::new(dir.clone(), display_folder(dir)));
        }
        let plan = render::named(&roots, root);
        named
            .overlays
            .extend(plan.overlays.into_iter().map(|o| (o, i)));
        named.referenced.extend(plan.referenced);
    }
    named
}

/// Remove from `jobs` and `unplaced` the files a render reads, and the other files inside
/// kustomization folders (unless named on the command line); the names of the latter.
fn drop_rendered(
    jobs: &mut Vec<Job>,
    unplaced: &mut Vec<Input>,
    cli_paths: &[PathBuf],
    referenced: &BTreeSet<PathBuf>,
    folders: &HashSet<PathBuf>,
) -> Vec<String> {
    let mut unreferenced = Vec::new();
    let mut keep = |input: &Input| -> bool {
        let InputPath::File(path) = &input.path else {
            return true;
        };
        let Ok(real) = std::fs::canonicalize(path) else {
            return true;
        };
        if real.ancestors().any(|a| referenced.contains(a)) {
            return false;
        }
        let named = cli_paths.contains(path);
        if !named && real.ancestors().skip(1).any(|a| folders.contains(a)) {
            unreferenced.push(input.name.clone());
            return false;
        }
        true
    };
    jobs.retain(|job| job.role != Role::Manifests || keep(&job.input));
    unplaced.retain(&mut keep);
    unreferenced.sort();
    unreferenced.dedup();
    unreferenced
}

/// One note for the files inside kustomization folders that no kustomization lists.
fn unreferenced_note(files: &[String]) -> Option<String> {
    let first = files.first()?;
    let count = files.len();
    Some(format!(
        "{count} {} inside Kustomize folders that no kustomization lists {} not linted ({first}{}): Kustomize does not deploy {}; name a file on the command line to lint it as a manifest",
        if count == 1 { "file" } else { "files" },
        if count == 1 { "is" } else { "are" },
        if count > 1 { ", ..." } else { "" },
        if count == 1 { "it" } else { "them" },
    ))
}

fn inside(path: &Path, folders: &[PathBuf]) -> bool {
    folders.iter().any(|f| path.starts_with(f))
}

#[cfg(test)]
mod tests;
