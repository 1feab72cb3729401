//! What a run reads, decided before anything is read (`load.rs` then reads it).

use std::path::PathBuf;

use super::claims;
use crate::config::{ClusterSetup, Config};
use crate::inputs::{Assigned, Unplaced, WalkFlags, assign_inputs};
use crate::overlays::place;
use crate::source::read::Budget;

/// What a run reads, decided before anything is read: each cluster's files, the overlays to
/// render and the Helm releases. `lbplan diff` starts the head's renders from it
/// ([`Assignment::overlays`]) while it reads the base.
pub struct Assignment {
    pub(super) assigned: Assigned,
    pub(super) overlays: crate::overlays::Placed,
    pub(super) releases: crate::helm::place::PlacedCharts,
}

impl Assignment {
    /// The overlays the run renders.
    pub fn overlays(&self) -> Vec<crate::render::Overlay> {
        self.overlays
            .overlays
            .iter()
            .map(|o| o.overlay.clone())
            .collect()
    }
}

/// Decide what the run reads: which inputs each cluster of `setups` takes (`cli_paths` are the
/// PATH arguments, may be empty; `placed` is the cluster `--cluster NAME` puts them in), which
/// overlays are rendered and which charts. Standard input and files named on the command line
/// that no cluster holds are refused here, before anything is read.
pub fn assign(
    config: &Config,
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    stdin_name: &str,
    walk: &WalkFlags,
    placed: Option<usize>,
    budget: &Budget,
) -> Result<Assignment, Unplaced> {
    let walks = budget.walks();
    let mut assigned = assign_inputs(config, setups, cli_paths, stdin_name, walk, placed, walks);
    // A walk kept for this discovery and not taken (other folders or excludes) is not needed.
    walks.forget();
    // Which overlays are rendered, and which inputs their renders replace; then what is left
    // under no cluster is a usage error, or one note.
    // A cluster of the rest (GitOps objects, or `rest: true`) keeps what a run without config
    // does with the files it takes: bases beside their overlay, placements.
    let rest = setups.iter().any(|s| s.unclaimed);
    let mut overlays = place(
        setups,
        !config.file.clusters.is_empty() && !rest,
        &assigned.kustomizations,
        cli_paths,
        &mut assigned.jobs,
        &mut assigned.unplaced,
        &config.root,
    );
    // What the clusters' sources (or GitOps objects) deploy is theirs, whatever held it.
    claims::claim(
        setups,
        &mut assigned,
        &mut overlays,
        cli_paths,
        placed,
        &config.root,
    );
    // Which Helm releases are rendered, for which cluster.
    let releases = crate::helm::place::place(&crate::helm::place::Run {
        setups,
        charts: &assigned.charts,
        cli_paths,
        placed,
        root: &config.root,
    });
    releases.drop_inputs(&mut assigned.jobs, &mut assigned.unplaced);
    let mut unowned = std::mem::take(&mut overlays.unowned);
    unowned.extend(releases.unowned.iter().cloned());
    assigned.unplaced(unowned, setups)?;
    Ok(Assignment {
        assigned,
        overlays,
        releases,
    })
}
