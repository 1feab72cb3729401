//! Which files a run reads, and for which cluster: the PATH arguments, the config's `paths:`, the
//! clusters' `paths:` and pod snapshots become one sorted list of [`Job`]s. Nothing is read here
//! but folder listings; `load.rs` reads the jobs.
//!
//! There are two ways a run finds its manifests: one cluster (PATHs, else its config paths, else
//! `.`), and several clusters (`several.rs`: the PATHs, else the config's folder, walked once, each
//! file going to the cluster [`cluster_holding`] names, `roots.rs`). `--cluster NAME` places
//! standard input and the PATHs in one cluster.

mod exports;
mod roots;
mod several;

#[cfg(test)]
mod tests;
mod unplaced;

use std::path::{Path, PathBuf};

use exports::Exports;

pub use roots::{cluster_holding, cluster_roots, overlap_notes};
pub use unplaced::Unplaced;

use crate::config::{ClusterSetup, Config};
use crate::source::discover::{Discovered, Input, InputPath, IoProblem, Reuse, Walks, discover_in};
use crate::source::helm::ChartRoot;
use crate::source::walk::{ExcludeSet, WalkOptions};

/// Why an input or an overlay is not read, with several clusters and explicit PATHs.
pub const NO_CLUSTER: &str = "belongs to no cluster: with several clusters configured, every input must be under one cluster's paths in .lbplan.yaml";

/// How the command line asks folders to be walked.
#[derive(Debug, Clone, Default)]
pub struct WalkFlags {
    /// `--exclude` globs, relative to the working folder.
    pub exclude: Vec<String>,
    /// `--no-ignore`: no ignore files, no built-in excludes.
    pub no_ignore: bool,
}

impl WalkFlags {
    /// An invalid `--exclude` glob is a usage error, found before anything is read.
    pub fn check(&self) -> Result<(), String> {
        ExcludeSet::new(Path::new("."), &self.exclude)
            .map(|_| ())
            .map_err(|e| format!("--exclude: {e}"))
    }
}

/// What the run reads from one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Manifests,
    /// A pod snapshot (`--pods`, `clusters[].pods`): an export that is the cluster's pods even
    /// when it lists none.
    Snapshot,
    /// A kubectl export (`--cluster-export`, `clusters[].exports`): cluster facts and observed
    /// pods, never linted.
    Export,
}

impl Role {
    /// Read as a kubectl export rather than as manifests.
    pub fn is_export(self) -> bool {
        matches!(self, Role::Snapshot | Role::Export)
    }
}

/// One file to read, the cluster it belongs to and what it is read for.
#[derive(Debug)]
pub struct Job {
    pub input: Input,
    /// Index of the cluster in the run's setups.
    pub cluster: usize,
    pub role: Role,
    /// The source of the cluster (`setups[cluster].sources[i]`) that deploys the file: its
    /// namespace and variables apply to the file's objects.
    pub source: Option<usize>,
}

/// The jobs of a run, and what discovery found besides.
#[derive(Debug, Default)]
pub struct Assigned {
    /// Sorted by name (then cluster), so that neither argument order nor discovery order changes
    /// the output.
    pub jobs: Vec<Job>,
    pub problems: Vec<IoProblem>,
    /// Files met in folder walks that cannot be read (see `Discovered::unread`).
    pub unread: Vec<IoProblem>,
    /// What discovery says besides: a note per Helm chart, links not followed.
    pub notes: Vec<String>,
    /// The Helm charts met, whose templates are not read.
    pub charts: Vec<ChartRoot>,
    /// Folders holding a kustomization, met in folder walks (readable from the working folder).
    pub kustomizations: Vec<PathBuf>,
    /// Inputs under no cluster's paths, with several clusters: unless a Kustomize render reads
    /// them (which `overlays::place` decides first), standard input and files named on the
    /// command line are a usage error, and files met in walks one note ([`Assigned::unplaced`]).
    pub unplaced: Vec<Input>,
    /// The files met in walks that no cluster holds, once [`Assigned::unplaced`] judged them:
    /// not read (`lbplan diff` counts those the change touches as not checked).
    pub no_cluster: Vec<String>,
    /// Whether the run was given PATHs (or standard input), which [`Assigned::unplaced`] judges.
    named: Vec<PathBuf>,
}

impl Assigned {
    /// What becomes of the inputs no cluster holds, once renders took theirs: standard input and
    /// the files named on the command line are a usage error ([`Unplaced`], before anything is
    /// read); the others, met in folder walks or glob matches (and `overlays`, Kustomize
    /// overlays found there), are not read, and one note says how many and names the first.
    pub fn unplaced(
        &mut self,
        overlays: Vec<String>,
        setups: &[ClusterSetup],
    ) -> Result<(), Unplaced> {
        let (named, walked): (Vec<Input>, Vec<Input>) =
            self.unplaced
                .drain(..)
                .partition(|input| match &input.path {
                    InputPath::Stdin => true,
                    InputPath::File(path) => self.named.contains(path),
                });
        if !named.is_empty() {
            return Err(Unplaced::new(&named, setups));
        }
        self.no_cluster = walked.iter().map(|i| i.name.clone()).collect();
        let names: Vec<String> = walked.into_iter().map(|i| i.name).chain(overlays).collect();
        if let Some(first) = names.first() {
            self.notes.push(unplaced::note(names.len(), first));
        }
        Ok(())
    }
}

/// Folder walks of one cluster: the config's excludes (and the cluster's), then `--exclude`.
pub fn walk_options(
    config: &Config,
    cluster_exclude: &[String],
    flags: &WalkFlags,
) -> Result<WalkOptions, String> {
    let config_root = if config.base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        config.base.clone()
    };
    let config_globs: Vec<String> = config
        .file
        .exclude
        .iter()
        .chain(cluster_exclude)
        .cloned()
        .collect();
    let mut excludes = Vec::new();
    if !config_globs.is_empty() {
        excludes.push(ExcludeSet::new(&config_root, &config_globs)?);
    }
    if !flags.exclude.is_empty() {
        excludes.push(ExcludeSet::new(Path::new("."), &flags.exclude)?);
    }
    Ok(WalkOptions {
        ignore_files: !flags.no_ignore,
        default_excludes: !flags.no_ignore && config.file.default_exclude != Some(false),
        excludes,
    })
}

/// Decide which files each cluster reads. `cli_paths` are the PATH arguments (may be empty);
/// `placed` is the cluster `--cluster NAME` names, which takes standard input and the PATHs (and,
/// without PATHs, limits the run to that cluster's paths). A walk of the same folders kept in
/// `walks` (the GitOps scan's) is taken rather than walked again.
pub fn assign_inputs(
    config: &Config,
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    stdin_name: &str,
    flags: &WalkFlags,
    placed: Option<usize>,
    walks: &Walks,
) -> Assigned {
    let exports = Exports::of(setups);
    let mut assigned = Assigned {
        named: cli_paths.to_vec(),
        ..Assigned::default()
    };
    let finder = Finder {
        config,
        setups,
        stdin_name,
        flags,
        walks,
    };
    // With GitOps clusters, the run's folders are walked once, for the cluster of the files no
    // object deploys; the sources take theirs from there (`load/claims.rs`).
    match (setups, setups.iter().position(|s| s.unclaimed)) {
        (_, Some(unclaimed)) => finder.one_cluster(unclaimed, cli_paths, &mut assigned),
        ([_], None) => finder.one_cluster(0, cli_paths, &mut assigned),
        _ => finder.several_clusters(cli_paths, placed, &exports, &mut assigned),
    }
    // An export is read once, as an export: read as a manifest too, its pods would be counted
    // twice and its objects linted.
    let mut jobs = std::mem::take(&mut assigned.jobs);
    jobs.retain(|job| !exports.claims(job, finder.named(cli_paths), &mut assigned));
    assigned.jobs = jobs;
    assigned.jobs.extend(exports.jobs);
    assigned.charts.sort();
    assigned.charts.dedup();
    assigned.kustomizations.sort();
    assigned.kustomizations.dedup();
    assigned.notes.dedup();
    let jobs = &mut assigned.jobs;
    jobs.sort_by(|a, b| (&a.input.name, a.cluster).cmp(&(&b.input.name, b.cluster)));
    // An export given to two clusters is read for each.
    jobs.dedup_by(|a, b| {
        a.input == b.input
            && a.role == b.role
            && (a.role == Role::Manifests || a.cluster == b.cluster)
    });
    assigned
}

/// What every way of finding inputs needs.
struct Finder<'a> {
    config: &'a Config,
    setups: &'a [ClusterSetup],
    stdin_name: &'a str,
    flags: &'a WalkFlags,
    walks: &'a Walks,
}

impl Finder<'_> {
    /// Whether a file was named as a manifest input (a PATH, or a file in the config's `paths:`)
    /// rather than found in a folder walk.
    fn named<'p>(&'p self, cli_paths: &'p [PathBuf]) -> impl Fn(&Path) -> bool + 'p {
        move |path: &Path| {
            let configured = self.config.default_paths();
            cli_paths.iter().any(|p| p == path)
                || (cli_paths.is_empty()
                    && (configured.iter().any(|p| p == path)
                        || self
                            .setups
                            .iter()
                            .flat_map(|s| s.paths.iter().flatten())
                            .any(|p| p == path)))
        }
    }

    /// Discover `paths` with the walk options of the cluster `cluster` (`None`: the run's).
    fn discover(&self, paths: &[PathBuf], cluster: Option<usize>) -> Result<Discovered, String> {
        let exclude = cluster
            .and_then(|c| self.setups.get(c))
            .map_or(&[][..], |s| s.exclude.as_slice());
        let options = walk_options(self.config, exclude, self.flags)?;
        Ok(discover_in(
            paths,
            self.stdin_name,
            &options,
            self.walks,
            Reuse::Take,
        ))
    }

    /// Add what one discovery found to the jobs of `cluster`. `origin` names where paths from the
    /// config came from, so that a missing one is findable.
    fn add(
        &self,
        found: Result<Discovered, String>,
        cluster: usize,
        origin: Option<&str>,
        assigned: &mut Assigned,
    ) {
        let found = match found {
            Ok(found) => found,
            Err(message) => {
                assigned.problems.push(IoProblem {
                    path: origin.unwrap_or("exclude").to_string(),
                    message,
                });
                return;
            }
        };
        assigned
            .problems
            .extend(found.problems.into_iter().map(|mut p| {
                if let Some(origin) = origin {
                    p.message = format!("{} ({origin})", p.message);
                }
                p
            }));
        // Charts are rendered (`helm/place.rs`), and say so there.
        assigned.notes.extend(found.notes);
        assigned.unread.extend(found.unread);
        assigned.charts.extend(found.charts);
        assigned.kustomizations.extend(found.kustomizations);
        assigned
            .jobs
            .extend(found.inputs.into_iter().map(|input| Job {
                input,
                cluster,
                role: Role::Manifests,
                source: None,
            }));
    }

    /// One cluster: the PATHs, else the cluster's config paths, else the config's `paths:`, else
    /// `.`.
    fn one_cluster(&self, cluster: usize, cli_paths: &[PathBuf], assigned: &mut Assigned) {
        let config = self.config;
        let Some(setup) = self.setups.get(cluster) else {
            return;
        };
        let (paths, origin) = match (&setup.paths, cli_paths.is_empty()) {
            (_, false) => (cli_paths.to_vec(), None),
            (Some(paths), true) => (paths.clone(), Some("clusters[0].paths in the config")),
            (None, true) if config.file.paths.is_empty() => (config.default_paths(), None),
            (None, true) => (config.default_paths(), Some("paths in the config")),
        };
        self.add(
            self.discover(&paths, Some(cluster)),
            cluster,
            origin,
            assigned,
        );
    }
}

/// The canonical folders among the PATHs, when PATHs are given: named overlays outside them are
/// not rendered (nor Helm releases the config names). `None` when no PATH is given (every named
/// overlay is).
pub(crate) fn given_folders(cli_paths: &[PathBuf]) -> Option<Vec<PathBuf>> {
    if cli_paths.is_empty() {
        return None;
    }
    Some(
        cli_paths
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .filter(|p| p.is_dir())
            .collect(),
    )
}
