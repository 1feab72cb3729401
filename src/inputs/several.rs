//! Several clusters: the run's roots are walked once, and each file goes to the cluster
//! [`cluster_holding`] names. The roots are the PATHs, else the config's `paths:`, else the
//! config's folder (and the clusters' paths that lie outside them), so that files which no cluster
//! holds are counted and named in one note instead of passing in silence.
//!
//! - With `--cluster NAME` and PATHs, every input (standard input included) goes to that cluster.
//! - With `--cluster NAME` and no PATH, the run reads that cluster's files only.
//! - Otherwise an input no cluster holds is left in [`Assigned::unplaced`]: unless a Kustomize
//!   render reads it, standard input and files named on the command line are a usage error, and
//!   files met in folder walks and glob matches one note.

use std::path::{Path, PathBuf};

use super::exports::Exports;
use super::{Assigned, Finder, Job, Role, cluster_holding, cluster_roots, overlap_notes};
use crate::source::discover::{InputPath, IoProblem, display_name};
use crate::source::walk::ExcludeSet;

impl Finder<'_> {
    pub(super) fn several_clusters(
        &self,
        cli_paths: &[PathBuf],
        placed: Option<usize>,
        exports: &Exports,
        assigned: &mut Assigned,
    ) {
        let roots = cluster_roots(self.setups);
        assigned.notes.extend(overlap_notes(self.setups));
        let walked = if cli_paths.is_empty() {
            self.roots_without_paths(placed, assigned)
        } else {
            cli_paths.to_vec()
        };
        let found = match self.discover(&walked, None) {
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
        assigned.unread.extend(found.unread);
        assigned.notes.extend(found.notes);
        let holding = |path: &Path| {
            std::fs::canonicalize(path)
                .ok()
                .and_then(|real| cluster_holding(&roots, &real))
        };
        assigned.charts.extend(found.charts);
        assigned.kustomizations.extend(found.kustomizations);

        let excludes = self.cluster_excludes();
        for input in found.inputs {
            let job = Job {
                input,
                cluster: 0,
                role: Role::Manifests,
                source: None,
            };
            if exports.claims(&job, self.named(cli_paths), assigned) {
                continue; // read as its cluster's export
            }
            let input = job.input;
            let file = match &input.path {
                InputPath::File(path) => Some(path),
                InputPath::Stdin => None,
            };
            let named = file.is_none_or(|f| cli_paths.contains(f));
            let cluster = match placed {
                Some(cluster) if !cli_paths.is_empty() => Some(cluster),
                // No PATH: the cluster's own files, as cluster_holding places them.
                Some(cluster) => match file.and_then(|f| holding(f)) {
                    Some(c) if c == cluster => Some(c),
                    _ => continue,
                },
                None => file.and_then(|f| holding(f)),
            };
            let Some(cluster) = cluster else {
                assigned.unplaced.push(input);
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
                    source: None,
                });
            }
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
