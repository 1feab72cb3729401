//! What each cluster's sources (`clusters[].sources`, or GitOps objects) take of a run's inputs:
//! after `inputs.rs` placed the files by paths (or, with GitOps clusters, all of them in the
//! cluster of what no object deploys) and `overlays.rs` chose the overlays, a file a source
//! claims becomes that source's, once per source that claims it (one base deployed into two
//! namespaces is read twice), and so does an overlay.
//!
//! - A folder without a kustomization claims its own files (all of its tree with `recurse`),
//!   filtered by `include` and `exclude` (relative to the folder); a kustomization met in the
//!   tree is rendered for the source instead (the topmost, as Flux's generated kustomization
//!   lists it).
//! - A folder with a kustomization claims that overlay, rendered whatever else uses it as a base.
//! - A chart claims nothing here: the release it names is the Helm rendering's.
//!
//! Only what the run's walks met is claimed: `lbplan lint apps/web` lints what is there, in the
//! clusters and namespaces the sources give it. With `--cluster NAME` and PATHs, every input is
//! that cluster's (a source of it that claims a file still gives its namespace); without PATHs,
//! the run keeps that cluster's own inputs only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::ClusterSetup;
use crate::inputs::{Assigned, Job, Role};
use crate::overlays::{Placed, PlacedOverlay};
use crate::render::{self, Root};
use crate::source::confine::RootDir;
use crate::source::discover::{InputPath, display_folder};
use crate::source::glob::Glob;

/// One source's folder, resolved.
struct Claim {
    cluster: usize,
    source: usize,
    real: PathBuf,
    recurse: bool,
    include: Option<Glob>,
    exclude: Option<Glob>,
    /// The folder holds a kustomization.
    overlay: bool,
}

/// The sources of every cluster, resolved once.
fn claims(setups: &[ClusterSetup]) -> Vec<Claim> {
    let mut out = Vec::new();
    for (cluster, setup) in setups.iter().enumerate() {
        for (source, s) in setup.sources.iter().enumerate() {
            if s.release.is_some() {
                continue;
            }
            let Ok(real) = std::fs::canonicalize(&s.path) else {
                continue;
            };
            out.push(Claim {
                cluster,
                source,
                overlay: render::kustomization::file_in(&real).is_some(),
                real,
                recurse: s.recurse,
                include: s.include.as_deref().and_then(|g| Glob::new(g).ok()),
                exclude: s.exclude.as_deref().and_then(|g| Glob::new(g).ok()),
            });
        }
    }
    out
}

impl Claim {
    /// Whether this source deploys the file at `real`.
    fn file(&self, real: &Path) -> bool {
        if self.overlay {
            return false;
        }
        let Ok(rel) = real.strip_prefix(&self.real) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.is_empty() || (!self.recurse && rel.contains('/')) {
            return false;
        }
        self.include.as_ref().is_none_or(|g| g.matches(&rel))
            && !self.exclude.as_ref().is_some_and(|g| g.matches(&rel))
    }

    /// Whether this source deploys the overlay in `dir` (canonical); `kustomizations` are the
    /// canonical folders holding one.
    fn overlay(&self, dir: &Path, kustomizations: &BTreeSet<PathBuf>) -> bool {
        if self.overlay {
            return dir == self.real;
        }
        if !self.recurse || dir == self.real || !dir.starts_with(&self.real) {
            return false;
        }
        // The topmost kustomization below the folder: none between them.
        !dir.ancestors()
            .skip(1)
            .take_while(|a| *a != self.real)
            .any(|a| kustomizations.contains(a))
    }
}

/// Give the sources what they claim of `assigned`'s jobs and inputs no cluster holds, and of
/// the overlays; `placed` is the cluster of `--cluster NAME`.
pub(super) fn claim(
    setups: &[ClusterSetup],
    assigned: &mut Assigned,
    overlays: &mut Placed,
    cli_paths: &[PathBuf],
    placed: Option<usize>,
    root: &RootDir,
) {
    let claims = claims(setups);
    let named = !cli_paths.is_empty();
    held_by_paths(setups, assigned, named.then_some(()).and(placed));
    if claims.is_empty() {
        return;
    }
    let of = |real: &Path| -> Vec<(usize, usize)> {
        claims
            .iter()
            .filter(|c| c.file(real))
            .map(|c| (c.cluster, c.source))
            .filter(|(c, _)| !named || placed.is_none_or(|p| p == *c))
            .collect()
    };
    let mut jobs = Vec::new();
    let inputs = std::mem::take(&mut assigned.jobs).into_iter().chain(
        std::mem::take(&mut assigned.unplaced)
            .into_iter()
            .map(|input| Job {
                input,
                cluster: usize::MAX,
                role: Role::Manifests,
                source: None,
            }),
    );
    for job in inputs {
        let real = match &job.input.path {
            InputPath::File(path) if job.role == Role::Manifests => {
                std::fs::canonicalize(path).ok()
            }
            _ => None,
        };
        let found = real.as_deref().map(&of).unwrap_or_default();
        match (found.is_empty(), placed) {
            // `--cluster NAME` with PATHs: that cluster's, with the source of it that claims it.
            (_, Some(p)) if named => jobs.push(Job {
                cluster: p,
                source: found.first().map(|&(_, s)| s),
                ..job
            }),
            (true, _) if job.cluster == usize::MAX => assigned.unplaced.push(job.input),
            (true, _) => jobs.push(job),
            (false, _) => jobs.extend(found.into_iter().map(|(cluster, source)| Job {
                input: job.input.clone(),
                cluster,
                role: job.role,
                source: Some(source),
            })),
        }
    }
    if let (Some(p), false) = (placed, named) {
        jobs.retain(|j| j.cluster == p || j.role != Role::Manifests);
    }
    jobs.sort_by(|a, b| {
        (&a.input.name, a.cluster, a.source).cmp(&(&b.input.name, b.cluster, b.source))
    });
    assigned.jobs = jobs;
    claim_overlays(&claims, assigned, overlays, (named, placed), root);
}

/// With a cluster of the rest (which took every file of the walk), the files other clusters'
/// `paths:` hold are theirs (the most specific path, as always); with `--cluster NAME` and PATHs,
/// they stay where the flag put them.
fn held_by_paths(setups: &[ClusterSetup], assigned: &mut Assigned, pinned: Option<usize>) {
    let Some(rest) = setups.iter().position(|s| s.unclaimed) else {
        return;
    };
    let roots = crate::inputs::cluster_roots(setups);
    if roots.is_empty() || pinned.is_some() {
        return;
    }
    for job in &mut assigned.jobs {
        let InputPath::File(path) = &job.input.path else {
            continue;
        };
        if job.cluster != rest || job.role != Role::Manifests {
            continue;
        }
        if let Some(cluster) = std::fs::canonicalize(path)
            .ok()
            .and_then(|real| crate::inputs::cluster_holding(&roots, &real))
        {
            job.cluster = cluster;
        }
    }
}

/// The overlays the sources deploy: taken from the clusters that paths gave them to, and
/// rendered for the sources (those not chosen yet, such as a base, planned here).
fn claim_overlays(
    claims: &[Claim],
    assigned: &mut Assigned,
    overlays: &mut Placed,
    (named, placed): (bool, Option<usize>),
    root: &RootDir,
) {
    let found: BTreeSet<PathBuf> = assigned
        .kustomizations
        .iter()
        .filter_map(|d| std::fs::canonicalize(d).ok())
        .collect();
    let mut extra: Vec<Root> = Vec::new();
    let mut deploys: Vec<(PathBuf, Vec<(usize, usize)>)> = Vec::new();
    for dir in &found {
        let by: Vec<(usize, usize)> = claims
            .iter()
            .filter(|c| c.overlay(dir, &found))
            .map(|c| (c.cluster, c.source))
            .filter(|(c, _)| !named || placed.is_none_or(|p| p == *c))
            .collect();
        if by.is_empty() {
            continue;
        }
        let chosen = overlays
            .overlays
            .iter()
            .any(|o| std::fs::canonicalize(&o.overlay.dir).ok().as_ref() == Some(dir));
        if !chosen {
            let shown = assigned
                .kustomizations
                .iter()
                .find(|d| std::fs::canonicalize(d).ok().as_ref() == Some(dir))
                .cloned()
                .unwrap_or_else(|| dir.clone());
            extra.push(Root::new(shown.clone(), display_folder(&shown)));
        }
        deploys.push((dir.clone(), by));
    }
    if !extra.is_empty() {
        let plan = render::named(&extra, root);
        let referenced = plan.referenced.clone();
        assigned.jobs.retain(|job| {
            let InputPath::File(path) = &job.input.path else {
                return true;
            };
            job.role != Role::Manifests
                || !std::fs::canonicalize(path)
                    .is_ok_and(|real| real.ancestors().any(|a| referenced.contains(a)))
        });
        overlays.files.extend(plan.referenced);
        overlays.any = true;
        overlays
            .overlays
            .extend(plan.overlays.into_iter().map(|overlay| PlacedOverlay {
                overlay,
                clusters: Vec::new(),
                deploys: Vec::new(),
            }));
        overlays
            .overlays
            .sort_by(|a, b| a.overlay.name.cmp(&b.overlay.name));
    }
    for overlay in &mut overlays.overlays {
        let real = std::fs::canonicalize(&overlay.overlay.dir).ok();
        if let Some((_, by)) = deploys.iter().find(|(d, _)| Some(d) == real.as_ref()) {
            overlay.clusters.clear();
            overlay.deploys.clone_from(by);
        } else if let (Some(p), false) = (placed, named) {
            overlay.clusters.retain(|c| *c == p);
        }
    }
    overlays
        .overlays
        .retain(|o| !o.clusters.is_empty() || !o.deploys.is_empty());
    let claimed: BTreeSet<String> = overlays
        .overlays
        .iter()
        .filter(|o| !o.deploys.is_empty())
        .map(|o| o.overlay.name.clone())
        .collect();
    overlays.unowned.retain(|name| !claimed.contains(name));
}

/// The clusters the run uses: all of them, but the cluster of the rest of the files (of GitOps
/// objects, or `rest: true`) when it is the last, deploys nothing of its own, and none of its
/// files holds an object lbplan reads (the Applications themselves, say).
pub(super) fn used_setups(
    setups: &[ClusterSetup],
    used_by: impl Fn(usize) -> bool,
) -> &[ClusterSetup] {
    let Some((last, rest)) = setups.split_last() else {
        return setups;
    };
    let index = rest.len();
    let idle = last.unclaimed && last.sources.is_empty() && !rest.is_empty();
    let used = used_by(index);
    if idle && !used { rest } else { setups }
}

/// Copies of one object in a cluster whose sources (GitOps objects', or a config's) say what it
/// deploys are one object applied twice, not clusters to separate: their note says so.
pub(super) fn mark_deployed(setups: &[ClusterSetup], duplicates: &mut [crate::model::Duplicate]) {
    for duplicate in duplicates {
        duplicate.gitops = setups
            .iter()
            .any(|s| s.facts.name == duplicate.cluster && !s.sources.is_empty());
    }
}
