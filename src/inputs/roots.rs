//! Which cluster's `paths:` hold a file or folder: the clusters' real root folders, the one rule
//! that picks among them ([`cluster_holding`]: the most specific path), and the notes that say
//! where overlapping paths send their files.

use std::path::{Path, PathBuf};

use crate::config::ClusterSetup;
use crate::source::discover::display_name;

/// The real folders of every cluster's `paths:` (a glob stands for what it matches), with the
/// cluster's index: what [`cluster_holding`] looks in. A path that does not exist holds nothing
/// (discovery reports it).
pub fn cluster_roots(setups: &[ClusterSetup]) -> Vec<(usize, PathBuf)> {
    let mut roots = Vec::new();
    for (i, setup) in setups.iter().enumerate() {
        for path in setup.paths.iter().flatten() {
            let text = path.to_string_lossy();
            let matches: Vec<PathBuf> = if text.contains(['*', '?', '[']) {
                glob::glob(&text)
                    .map(|paths| paths.flatten().collect())
                    .unwrap_or_default()
            } else {
                vec![path.clone()]
            };
            roots.extend(
                matches
                    .into_iter()
                    .filter_map(|p| std::fs::canonicalize(p).ok().map(|real| (i, real))),
            );
        }
    }
    roots
}

/// One note per pair of clusters whose paths overlap, saying which files go where.
pub fn overlap_notes(setups: &[ClusterSetup]) -> Vec<String> {
    let name = |i: usize| setups.get(i).map_or("?", |s| s.facts.name.as_str());
    let written: Vec<(usize, PathBuf, String)> = setups
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.paths.iter().flatten().map(move |p| (i, p)))
        .filter_map(|(i, p)| {
            std::fs::canonicalize(p)
                .ok()
                .map(|real| (i, real, display_name(p)))
        })
        .collect();
    let mut notes = Vec::new();
    for (outer_cluster, outer, outer_name) in &written {
        for (inner_cluster, inner, inner_name) in &written {
            if outer_cluster == inner_cluster || !inner.starts_with(outer) {
                continue;
            }
            if inner == outer {
                // The same folder twice: the first cluster in the config takes it.
                if outer_cluster < inner_cluster {
                    notes.push(format!(
                        "clusters {} and {} both list {outer_name} in their paths: its files go to {}, the first in the config",
                        name(*outer_cluster),
                        name(*inner_cluster),
                        name(*outer_cluster)
                    ));
                }
                continue;
            }
            notes.push(format!(
                "the paths of cluster {} ({outer_name}) hold those of cluster {} ({inner_name}): files under {inner_name} go to {}, the most specific path",
                name(*outer_cluster),
                name(*inner_cluster),
                name(*inner_cluster)
            ));
        }
    }
    notes
}

/// The cluster whose paths hold `real` (a real path, file or folder): the cluster one of whose
/// `paths:` is its nearest ancestor, or itself. The most specific path wins, whatever the order of
/// the clusters in the config; between equal paths, the first cluster. `None` when no cluster's
/// paths hold it.
///
/// This is the one place that decides it: discovery asks here for every file and each Helm
/// chart's render hint, and `overlays.rs` for each Kustomize overlay.
pub fn cluster_holding(roots: &[(usize, PathBuf)], real: &Path) -> Option<usize> {
    roots
        .iter()
        .filter(|(_, root)| real.starts_with(root))
        .max_by(|(a, ra), (b, rb)| {
            (ra.components().count(), std::cmp::Reverse(a))
                .cmp(&(rb.components().count(), std::cmp::Reverse(b)))
        })
        .map(|(i, _)| *i)
}
