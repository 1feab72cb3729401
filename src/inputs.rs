//! Which files a run reads, and for which cluster: the PATH arguments, the config's `paths:`, the
//! clusters' `paths:` and pod snapshots become one sorted list of [`Job`]s. Nothing is read here
//! but folder listings; `load.rs` reads the jobs.
//!
//! There are three ways a run finds its manifests, one function each: one cluster (PATHs, else
//! its config paths, else `.`), several clusters without PATHs (each cluster its own `paths:`),
//! and several clusters with PATHs (each file goes to the cluster whose `paths:` hold it).

use std::path::PathBuf;

use crate::config::{ClusterSetup, Config};
use crate::model::ClusterId;
use crate::source::discover::{Discovered, Input, InputPath, IoProblem, discover, display_name};

/// What the run reads from one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Manifests,
    /// A pod snapshot: only its Pods are used.
    Snapshot,
}

/// One file to read, the cluster it belongs to and what it is read for.
#[derive(Debug)]
pub struct Job {
    pub input: Input,
    pub cluster: ClusterId,
    pub role: Role,
}

/// The jobs of a run, and what discovery found besides.
#[derive(Debug, Default)]
pub struct Assigned {
    /// Sorted by name (then cluster), so that neither argument order nor discovery order changes
    /// the output.
    pub jobs: Vec<Job>,
    pub problems: Vec<IoProblem>,
}

/// Decide which files each cluster reads. `cli_paths` are the PATH arguments (may be empty).
pub fn assign_inputs(
    config: &Config,
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    stdin_name: &str,
) -> Assigned {
    // A pod snapshot under a linted folder is read once, as the snapshot: read as manifests too,
    // its pods would be counted twice.
    let snapshots: Vec<PathBuf> = setups
        .iter()
        .filter_map(|s| s.pods.as_ref())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut assigned = Assigned::default();
    match setups {
        [single] => one_cluster(config, single, cli_paths, stdin_name, &mut assigned),
        _ if cli_paths.is_empty() => each_cluster_its_paths(setups, stdin_name, &mut assigned),
        _ => by_cluster_paths(setups, cli_paths, stdin_name, &snapshots, &mut assigned),
    }
    for (i, setup) in setups.iter().enumerate() {
        if let Some(pods) = &setup.pods {
            assigned.jobs.push(Job {
                input: Input {
                    name: display_name(pods),
                    path: InputPath::File(pods.clone()),
                },
                cluster: i,
                role: Role::Snapshot,
            });
        }
    }
    if !snapshots.is_empty() {
        assigned
            .jobs
            .retain(|job| match (&job.input.path, job.role) {
                (InputPath::File(path), Role::Manifests) => {
                    std::fs::canonicalize(path).map_or(true, |real| !snapshots.contains(&real))
                }
                _ => true,
            });
    }
    let jobs = &mut assigned.jobs;
    jobs.sort_by(|a, b| (&a.input.name, a.cluster).cmp(&(&b.input.name, b.cluster)));
    jobs.dedup_by(|a, b| a.input == b.input && a.role == b.role);
    assigned
}

/// Add what one discovery found to the jobs of `cluster`. `origin` names where paths from the
/// config came from, so that a missing one is findable.
fn add(found: Discovered, cluster: ClusterId, origin: Option<&str>, assigned: &mut Assigned) {
    assigned
        .problems
        .extend(found.problems.into_iter().map(|mut p| {
            if let Some(origin) = origin {
                p.message = format!("{} ({origin})", p.message);
            }
            p
        }));
    assigned
        .jobs
        .extend(found.inputs.into_iter().map(|input| Job {
            input,
            cluster,
            role: Role::Manifests,
        }));
}

/// One cluster: the PATHs, else the cluster's config paths, else the config's `paths:`, else `.`.
fn one_cluster(
    config: &Config,
    setup: &ClusterSetup,
    cli_paths: &[PathBuf],
    stdin_name: &str,
    assigned: &mut Assigned,
) {
    let (paths, origin) = match (&setup.paths, cli_paths.is_empty()) {
        (_, false) => (cli_paths.to_vec(), None),
        (Some(paths), true) => (paths.clone(), Some("clusters[0].paths in the config")),
        (None, true) if config.file.paths.is_empty() => (config.default_paths(), None),
        (None, true) => (config.default_paths(), Some("paths in the config")),
    };
    add(discover(&paths, None, stdin_name), 0, origin, assigned);
}

/// Several clusters and no PATH: each cluster reads its own `paths:`.
fn each_cluster_its_paths(setups: &[ClusterSetup], stdin_name: &str, assigned: &mut Assigned) {
    for (i, setup) in setups.iter().enumerate() {
        let paths = setup.paths.clone().unwrap_or_default();
        let origin = format!(
            "clusters[{i}].paths in the config, cluster {}",
            setup.facts.name
        );
        add(
            discover(&paths, None, stdin_name),
            i,
            Some(&origin),
            assigned,
        );
    }
}

/// Several clusters and explicit PATHs: each file goes to the cluster whose paths hold it.
fn by_cluster_paths(
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    stdin_name: &str,
    snapshots: &[PathBuf],
    assigned: &mut Assigned,
) {
    let roots: Vec<(ClusterId, PathBuf)> = setups
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.paths.iter().flatten().map(move |p| (i, p.clone())))
        .filter_map(|(i, p)| std::fs::canonicalize(&p).ok().map(|c| (i, c)))
        .collect();
    let found = discover(cli_paths, None, stdin_name);
    assigned.problems.extend(found.problems);
    for input in found.inputs {
        let real = match &input.path {
            InputPath::Stdin => None,
            InputPath::File(path) => std::fs::canonicalize(path).ok(),
        };
        if real.as_ref().is_some_and(|r| snapshots.contains(r)) {
            continue; // read as its cluster's snapshot
        }
        let cluster = real.and_then(|real| {
            roots
                .iter()
                .find(|(_, root)| real.starts_with(root))
                .map(|(i, _)| *i)
        });
        match cluster {
            Some(cluster) => assigned.jobs.push(Job {
                input,
                cluster,
                role: Role::Manifests,
            }),
            None => assigned.problems.push(IoProblem {
                path: input.name.clone(),
                message: "belongs to no cluster: with several clusters configured, every input must be under one cluster's paths in .lbplan.yaml".into(),
            }),
        }
    }
}
