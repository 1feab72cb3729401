//! Several clusters: the run's roots are walked once, and each file goes to the cluster
//! [`cluster_of`] names. The roots are the PATHs, else the config's `paths:`, else the config's
//! folder (and the clusters' paths that lie outside them), so that files which no cluster holds
//! are counted and named in one note instead of passing in silence.
//!
//! - With `--cluster NAME` and PATHs, every input (standard input included) goes to that cluster.
//! - With `--cluster NAME` and no PATH, the run reads that cluster's files only.
//! - Otherwise standard input, and a file named on the command line that no cluster holds, are a
//!   usage error ([`super::Unplaced`]); files met in folder walks and glob matches that no
//!   cluster holds are skipped, with one note.

use std::path::{Path, PathBuf};

use super::{Assigned, ClusterPaths, Finder, Job, Role, chart_note, cluster_of};
use crate::source::discover::{InputPath, IoProblem, display_name};
use crate::source::walk::ExcludeSet;

impl Finder<'_> {
    pub(super) fn several_clusters(
        &self,
        cli_paths: &[PathBuf],
        placed: Option<usize>,
        snapshots: &[PathBuf],
        assigned: &mut Assigned,
    ) {
        let paths = ClusterPaths::new(self.setups);
        assigned.notes.extend(paths.overlap_notes(self.setups));
        let roots = if cli_paths.is_empty() {
            self.roots_without_paths(placed, assigned)
        } else {
            cli_paths.to_vec()
        };
        let found = match self.discover(&roots, None) {
            Ok(found) => found,
            Err(message) => {
                assigned.problems.push(IoProblem {
                    path: "exclude".into(),
                    message,
                });
                return;
            }
        };
        assigned.problems.extend(found.problems);
        assigned.notes.extend(found.notes);
        for chart in found.charts.iter().filter(|c| c.templates > 0) {
            let cluster = placed.or_else(|| cluster_of(&paths, Path::new(&chart.path)));
            let name = cluster
                .and_then(|c| self.setups.get(c))
                .map(|s| s.facts.name.as_str());
            assigned
                .notes
                .push(chart_note(chart, name.or(Some("NAME"))));
        }
        assigned.charts.extend(found.charts);
        assigned.kustomizations.extend(found.kustomizations);

        let excludes = self.cluster_excludes();
        let mut unassigned: Vec<String> = Vec::new();
        for input in found.inputs {
            let file = match &input.path {
                InputPath::File(path) => Some(path),
                InputPath::Stdin => None,
            };
            // A snapshot is read as its cluster's snapshot, never as manifests.
            let real = file.and_then(|f| std::fs::canonicalize(f).ok());
            if real.as_ref().is_some_and(|r| snapshots.contains(r)) {
                continue;
            }
            let named = file.is_none_or(|f| cli_paths.contains(f));
            let cluster = match placed {
                Some(cluster) if !cli_paths.is_empty() => Some(cluster),
                // No PATH: the cluster's own files, as cluster_of places them.
                Some(cluster) => match file.and_then(|f| cluster_of(&paths, f)) {
                    Some(c) if c == cluster => Some(c),
                    _ => continue,
                },
                None => file.and_then(|f| cluster_of(&paths, f)),
            };
            let Some(cluster) = cluster else {
                if named {
                    assigned.unplaced.push(input);
                } else {
                    unassigned.push(input.name);
                }
                continue;
            };
            // A cluster's excludes skip what its walks meet; a file named explicitly is read.
            let excluded = !named
                && match (file, excludes.get(cluster)) {
                    (Some(path), Some(Some(set))) => set.excludes_path(path),
                    _ => false,
                };
            if !excluded {
                assigned.jobs.push(Job {
                    input,
                    cluster,
                    role: Role::Manifests,
                });
            }
        }
        if let Some(first) = unassigned.first() {
            assigned
                .notes
                .push(unassigned_note(unassigned.len(), first));
        }
    }

    /// Without PATHs: the config's `paths:` (else its folder), and the clusters' paths outside
    /// them; with `--cluster NAME`, that cluster's paths. A cluster path that does not exist is a
    /// problem naming the config key.
    fn roots_without_paths(&self, placed: Option<usize>, assigned: &mut Assigned) -> Vec<PathBuf> {
        let mut roots = match placed {
            Some(_) => Vec::new(),
            None if self.config.file.paths.is_empty() => vec![self.config_folder()],
            None => self.config.default_paths(),
        };
        let real_roots: Vec<PathBuf> = roots
            .iter()
            .filter_map(|r| std::fs::canonicalize(r).ok())
            .collect();
        for (i, setup) in self.setups.iter().enumerate() {
            if placed.is_some_and(|p| p != i) {
                continue;
            }
            for path in setup.paths.iter().flatten() {
                let glob = path.to_string_lossy().contains(['*', '?', '[']);
                let real = std::fs::canonicalize(path);
                if real.is_err() && !glob {
                    assigned.problems.push(IoProblem {
                        path: display_name(path),
                        message: format!(
                            "no such file or folder (clusters[{i}].paths in the config, cluster {})",
                            setup.facts.name
                        ),
                    });
                    continue;
                }
                let inside = real
                    .as_ref()
                    .is_ok_and(|r| real_roots.iter().any(|root| r.starts_with(root)));
                if !inside {
                    roots.push(path.clone());
                }
            }
        }
        roots
    }

    /// The folder the config's paths start from.
    fn config_folder(&self) -> PathBuf {
        if self.config.base.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            self.config.base.clone()
        }
    }

    /// Each cluster's own exclude globs (relative to the config file), if it has any.
    fn cluster_excludes(&self) -> Vec<Option<ExcludeSet>> {
        let root = self.config_folder();
        self.setups
            .iter()
            .map(|s| {
                (!s.exclude.is_empty())
                    .then(|| ExcludeSet::new(&root, &s.exclude).ok())
                    .flatten()
            })
            .collect()
    }
}

/// The one note about files that no cluster holds.
fn unassigned_note(count: usize, first: &str) -> String {
    let files = if count == 1 {
        "1 file".to_string()
    } else {
        format!("{count} files")
    };
    let verb = if count == 1 { "belongs" } else { "belong" };
    format!(
        "{files} under the run's folders {verb} to no cluster and {} not linted (first: {first}); add {} folder to a cluster's paths in the config, or lint {} with --cluster NAME",
        if count == 1 { "was" } else { "were" },
        if count == 1 { "its" } else { "their" },
        if count == 1 { "it" } else { "them" },
    )
}
