//! The exports of a run's clusters, pod snapshots included: each is one job, read as an export.
//! A file that is also found as a manifest is read once, as the export (issue 12, item 10): read
//! as a manifest too, its pods would be counted twice and its objects linted.

use std::path::{Path, PathBuf};

use super::{Assigned, Job, Role};
use crate::config::ClusterSetup;
use crate::source::discover::{Input, InputPath, IoProblem, display_name};

/// The exports of a run's clusters (pod snapshots included), each read as an export.
pub(super) struct Exports {
    pub(super) jobs: Vec<Job>,
    /// Canonical path -> what it is (`the pod snapshot of cluster a (--pods ...)`), for files
    /// also found as manifests.
    by_path: Vec<(PathBuf, String)>,
}

impl Exports {
    pub(super) fn of(setups: &[ClusterSetup]) -> Exports {
        let mut exports = Exports {
            jobs: Vec::new(),
            by_path: Vec::new(),
        };
        for (cluster, setup) in setups.iter().enumerate() {
            let snapshot = setup.pods.iter().map(|p| (p, Role::Snapshot));
            // A file given as the pod snapshot and as an export is read once, as the snapshot.
            let others = setup
                .exports
                .iter()
                .filter(|p| setup.pods.as_ref() != Some(*p))
                .map(|p| (p, Role::Export));
            for (path, role) in snapshot.chain(others) {
                if let Ok(real) = std::fs::canonicalize(path) {
                    let name = &setup.facts.name;
                    let what = match role {
                        Role::Snapshot => format!(
                            "the pod snapshot of cluster {name} (--pods or clusters[].pods)"
                        ),
                        _ => format!(
                            "an export of cluster {name} (--cluster-export or clusters[].exports)"
                        ),
                    };
                    exports.by_path.push((real, what));
                }
                exports.jobs.push(Job {
                    input: Input {
                        name: display_name(path),
                        path: InputPath::File(path.clone()),
                    },
                    cluster,
                    role,
                    source: None,
                });
            }
        }
        exports
    }

    /// Whether a manifest job is one of the exports: then it is not read as a manifest. Found in
    /// a folder walk, it is simply skipped (exports are never linted, and a repository may keep
    /// them beside its manifests); named as a manifest (`named`), it is an error naming it, since
    /// the user asked for both and lbplan does only one.
    pub(super) fn claims(
        &self,
        job: &Job,
        named: impl Fn(&Path) -> bool,
        assigned: &mut Assigned,
    ) -> bool {
        let InputPath::File(path) = &job.input.path else {
            return false;
        };
        if job.role != Role::Manifests || self.by_path.is_empty() {
            return false;
        }
        let Ok(real) = std::fs::canonicalize(path) else {
            return false;
        };
        let Some((_, what)) = self.by_path.iter().find(|(p, _)| *p == real) else {
            return false;
        };
        if named(path) {
            assigned.problems.push(IoProblem {
                path: job.input.name.clone(),
                message: format!(
                    "given both as a manifest and as {what}: an export is read for cluster facts and observed pods, never linted as a manifest; name it once"
                ),
            });
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::{Role, WalkFlags, assign_inputs};
    use crate::config::{ClusterSetup, Config};
    use crate::facts::ClusterFacts;

    fn setup(name: &str, exports: &[&str], pods: Option<&str>) -> ClusterSetup {
        ClusterSetup {
            facts: ClusterFacts {
                name: name.into(),
                ..ClusterFacts::default()
            },
            paths: Some(Vec::new()),
            pods: pods.map(PathBuf::from),
            exports: exports.iter().map(PathBuf::from).collect(),
            exclude: Vec::new(),
            kustomize: None,
            ..ClusterSetup::named(name, Default::default())
        }
    }

    #[test]
    fn an_export_is_read_once_per_cluster_and_once_as_snapshot() {
        let nodes = "fixtures/exports/tke/exports/nodes.yaml";
        let pods = "fixtures/exports/tke/exports/pods.yaml";
        let setups = [
            setup("a", &[nodes, pods], Some(pods)),
            setup("b", &[nodes], None),
        ];
        let assigned = assign_inputs(
            &Config::default(),
            &setups,
            &[],
            "<stdin>",
            &WalkFlags::default(),
            None,
            &crate::source::discover::Walks::default(),
        );
        let jobs: Vec<(String, usize, Role)> = assigned
            .jobs
            .iter()
            .map(|j| (j.input.name.clone(), j.cluster, j.role))
            .collect();
        assert_eq!(
            jobs,
            [
                (nodes.to_string(), 0, Role::Export),
                (nodes.to_string(), 1, Role::Export),
                (pods.to_string(), 0, Role::Snapshot),
            ]
        );
    }
}
