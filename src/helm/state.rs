//! What became of each chart the folder walks met, as `lbplan diff` asks it: a chart whose every
//! release rendered on a side is judged through its objects on that side, so a change that touches
//! only its files is a change like any other; a chart that did not render leaves its changed files
//! not checked, and says why.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{HelmFailure, HelmRun, Off};
use crate::source::helm::ChartRoot;

/// What became of one chart the walks met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartState {
    /// Every release of it rendered. A library or a dependency (rendered only inside the charts
    /// that use it) counts as rendered when every release of the side rendered: whatever uses it
    /// was rendered, and a chart nothing renders changes no object.
    Rendered,
    /// No helm to render it with.
    NoHelm,
    /// Rendering was off (`--no-render`, `render.helm: off`).
    Off(Off),
    /// A release of it did not render; `configured`: the config (or a GitOps object) names it,
    /// which makes the failure an error of the run.
    Failed { configured: bool },
    /// Under no cluster's paths (several clusters configured): not rendered at all.
    Unowned,
}

/// The state of each chart in `charts` (by the name reports give it), from what `run` rendered;
/// `skipped` are the charts not rendered on their own (libraries, dependencies), `unowned` those
/// under no cluster's paths. Paths are resolved from the working folder the run reads from.
pub fn states(
    charts: &[ChartRoot],
    run: &HelmRun,
    skipped: &[String],
    unowned: &[String],
) -> BTreeMap<String, ChartState> {
    let real = |p: &std::path::Path| std::fs::canonicalize(p).ok();
    let outcomes: Vec<(Option<PathBuf>, ChartState)> = run
        .outcomes
        .iter()
        .map(|o| {
            let state = match &o.result {
                Ok(_) => ChartState::Rendered,
                Err(HelmFailure::NotFound(_)) => ChartState::NoHelm,
                Err(HelmFailure::Off(off)) => ChartState::Off(*off),
                Err(_) => ChartState::Failed {
                    configured: o.release.source.named_by().is_some(),
                },
            };
            (real(&o.release.chart), state)
        })
        .collect();
    // What a chart rendered only through others is: the first release that did not render, else
    // rendered.
    let through_others = outcomes
        .iter()
        .map(|(_, s)| *s)
        .find(|s| *s != ChartState::Rendered)
        .unwrap_or(ChartState::Rendered);
    charts
        .iter()
        .map(|chart| {
            let state = if unowned.contains(&chart.path) {
                ChartState::Unowned
            } else if skipped.contains(&chart.path) {
                through_others
            } else {
                let folder = real(&chart.dir);
                let mine: Vec<ChartState> = outcomes
                    .iter()
                    .filter(|(r, _)| r.is_some() && *r == folder)
                    .map(|(_, s)| *s)
                    .collect();
                // A chart none of whose releases is known did not render (its folder could not
                // be resolved): not checked rather than judged.
                mine.iter()
                    .copied()
                    .find(|s| *s != ChartState::Rendered)
                    .unwrap_or(if mine.is_empty() {
                        ChartState::Failed { configured: false }
                    } else {
                        ChartState::Rendered
                    })
            };
            (chart.path.clone(), state)
        })
        .collect()
}
