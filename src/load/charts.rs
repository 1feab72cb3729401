//! The Helm releases of a run: rendered (or summed up in one note when they cannot be), each
//! stream parsed like standard input into its release's cluster, objects without a namespace in
//! the release's, hooks out of the plan.

use rayon::prelude::*;

use super::files::{Parsed, parse_text};
use super::{Gathered, Loaded};
use crate::config::ClusterSetup;
use crate::helm::place::PlacedCharts;
use crate::helm::state::states;
use crate::helm::summary::summarize;
use crate::helm::{HelmRun, RenderedRelease, render_all};
use crate::model::Assumption;
use crate::overlays::Rendering;
use crate::source::FileId;
use crate::source::confine::RootDir;
use crate::source::read::Budget;

impl Loaded {
    /// Render the releases (or sum up why they are not); what rendered.
    pub(super) fn render_charts(
        &mut self,
        placed: PlacedCharts,
        rendering: &Rendering,
        setups: &[ClusterSetup],
        root: &RootDir,
        budget: &Budget,
    ) -> HelmRun {
        self.render_inputs.extend(placed.files);
        self.io_problems.extend(placed.problems);
        let run = render_all(
            &placed.releases,
            &rendering.helm,
            &rendering.settings,
            root,
            budget,
        );
        let skipped: Vec<String> = placed.skipped.iter().map(|(c, _)| c.clone()).collect();
        self.chart_states = states(&self.charts, &run, &skipped, &placed.unowned);
        let summary = summarize(&run, &placed.skipped, setups);
        self.notes.extend(summary.notes);
        self.helm_errors = summary.errors;
        self.chart_records = summary.records;
        self.unrendered_charts = summary.unrendered;
        self.assumptions
            .extend(summary.assumptions.into_iter().map(Assumption::Rendered));
        run
    }

    /// Parse each rendered release like standard input into its cluster.
    pub(super) fn add_charts(
        &mut self,
        run: HelmRun,
        setups: &[ClusterSetup],
        gathered: &mut Gathered,
    ) {
        let rendered: Vec<RenderedRelease> = run
            .outcomes
            .into_iter()
            .filter_map(|o| o.result.ok())
            .collect();
        let first = self.sources.names().count();
        let id = |i: usize| FileId(u32::try_from(first + i).unwrap_or(u32::MAX));
        let parse = |(i, release): (usize, &RenderedRelease)| {
            let text = release.text.to_string();
            let namespace = release.release.namespace.as_str();
            let mut parsed = parse_text(id(i), &release.command, text, None, false, namespace);
            without_hooks(&mut parsed, release);
            parsed
        };
        let results: Vec<Parsed> =
            match crate::threads::pool(crate::threads::for_jobs(rendered.len())) {
                Some(pool) => pool.install(|| rendered.par_iter().enumerate().map(parse).collect()),
                None => rendered.iter().enumerate().map(parse).collect(),
            };
        // The files the renders read: each counted once, however many releases read it.
        let read: std::collections::BTreeSet<&std::path::PathBuf> =
            rendered.iter().flat_map(|r| r.files.iter()).collect();
        let mut table = Vec::new();
        for (i, (release, parsed)) in rendered.iter().zip(results).enumerate() {
            let cluster = release.release.cluster;
            let added = self.add_stream(
                release.command.clone(),
                (cluster, None),
                parsed,
                setups,
                gathered,
            );
            debug_assert_eq!(added, id(i), "the stream's origins name this source");
            // The chart's files count instead of the stream (below).
            table.push((added, i));
        }
        self.counts.files += read.len();
        self.streams.add_releases(rendered, &table);
    }
}

/// Objects carrying `helm.sh/hook` out of a release's objects: helm runs them once around an
/// install, as Jobs and Pods; they are never target pods or load-balanced objects. Problems
/// found in them stay, without their object.
fn without_hooks(parsed: &mut Parsed, release: &RenderedRelease) {
    let outcome = &mut parsed.outcome;
    if !release.documents.iter().any(|d| d.hook) {
        return;
    }
    let mut kept = Vec::new();
    let mut moved: Vec<Option<usize>> = Vec::new();
    for object in std::mem::take(&mut outcome.objects) {
        if release.is_hook(object.origin.span.start) {
            moved.push(None);
        } else {
            moved.push(Some(kept.len()));
            kept.push(object);
        }
    }
    outcome.objects = kept;
    for problem in &mut outcome.problems {
        problem.object = problem.object.and_then(|i| moved.get(i).copied().flatten());
    }
    outcome
        .unmodelled
        .retain(|u| !release.is_hook(u.origin.span.start));
}
