//! The Kustomize overlays of a run: rendered (or noted, when rendering is off), their streams
//! parsed like standard input into the clusters of each overlay; and what is reported about a
//! run's inputs once locations in the streams are moved to their sources.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::files::{Parsed, Read, parse_text};
use super::{Gathered, Loaded, ParseMemo, Target, Unrendered};
use crate::config::ClusterSetup;
use crate::inputs::{Job, Role};
use crate::model::Assumption;
use crate::overlays::{Placed, PlacedOverlay, Rendering};
use crate::relocate::Streams;
use crate::render::{Run, not_rendered_note, render_all_then};
use crate::source::FileId;
use crate::source::discover::{Input, InputPath, IoProblem, display_name};

/// A run's Kustomize renders, for [`Loaded::add_streams`].
#[derive(Default)]
pub(super) struct Renders {
    run: Run,
    /// Each rendered overlay's clusters (and the sources that deploy it), in the order of
    /// `run.rendered`.
    clusters: Vec<Vec<Target>>,
    /// Per rendered overlay, the streams parsed while the other renders ran (see [`Early`]).
    early: Vec<Vec<(FileId, Target, Parsed)>>,
}

/// Streams parsed as their renders finish, while the next renders run. A stream's origins name
/// its source, whose id depends on how many overlays before it rendered: each is parsed under
/// the id it gets when all of them did, and `add_streams` parses again any whose id turned out
/// otherwise (an overlay before it failed), so the output is the same whatever the order renders
/// finish in. Streams with post-build variables are substituted and parsed after the renders.
struct Early<'a> {
    overlays: &'a [PlacedOverlay],
    setups: &'a [ClusterSetup],
    /// The parses the other side of a diff kept (see `memo.rs`).
    memo: Option<&'a ParseMemo>,
    /// The id of each overlay's first stream, when every overlay before it renders.
    first_ids: Vec<usize>,
    /// Per overlay (in the order rendered): `None` until it rendered.
    parsed: Vec<Option<Vec<(FileId, Target, Parsed)>>>,
}

impl<'a> Early<'a> {
    fn new(
        overlays: &'a [PlacedOverlay],
        setups: &'a [ClusterSetup],
        first: usize,
        memo: Option<&'a ParseMemo>,
    ) -> Early<'a> {
        let mut next = first;
        let first_ids = overlays
            .iter()
            .map(|o| {
                let at = next;
                next += o.clusters.len() + o.deploys.len();
                at
            })
            .collect();
        Early {
            overlays,
            setups,
            memo,
            first_ids,
            parsed: overlays.iter().map(|_| None).collect(),
        }
    }

    /// Parse the stream of overlay `k` (named `name`) for each of its targets.
    fn parse(&mut self, k: usize, name: &str, text: &str) {
        let (Some(placed), Some(&first), Some(slot)) = (
            self.overlays.get(k),
            self.first_ids.get(k),
            self.parsed.get_mut(k),
        ) else {
            return;
        };
        let targets = placed
            .clusters
            .iter()
            .map(|&c| (c, None))
            .chain(placed.deploys.iter().map(|&(c, s)| (c, Some(s))));
        let mut parsed = Vec::new();
        for (t, (cluster, source)) in targets.enumerate() {
            let substituted = source
                .and_then(|s| self.setups.get(cluster)?.sources.get(s))
                .is_some_and(|s| s.substitute.is_some());
            if substituted {
                continue;
            }
            let file = FileId(u32::try_from(first + t).unwrap_or(u32::MAX));
            let parse = || parse_text(file, name, text.to_string(), None, false, "default");
            let stream = match self.memo {
                Some(memo) => memo.parsed(file, name, &Arc::from(text), parse),
                None => parse(),
            };
            parsed.push((file, (cluster, source), stream));
        }
        *slot = Some(parsed);
    }

    /// The streams parsed, per rendered overlay (`rendered` of them, in the overlays' order);
    /// none when the renders that finished do not match them.
    fn in_rendered_order(self, rendered: usize) -> Vec<Vec<(FileId, Target, Parsed)>> {
        let parsed: Vec<_> = self.parsed.into_iter().flatten().collect();
        if parsed.len() == rendered {
            parsed
        } else {
            Vec::new()
        }
    }
}

impl Loaded {
    /// Add a rendered stream (a Kustomize overlay's, a Helm release's) to a cluster (and the
    /// GitOps source that deploys it) like standard input named `name`; its source's id. The stream is no file of its own: the files its render
    /// read are counted instead, by the caller.
    pub(super) fn add_stream(
        &mut self,
        name: String,
        (cluster, source): Target,
        parsed: Parsed,
        setups: &[ClusterSetup],
        gathered: &mut Gathered,
    ) -> FileId {
        let job = Job {
            input: Input {
                name,
                path: InputPath::Stdin,
            },
            cluster,
            role: Role::Manifests,
            source,
        };
        let cluster_name = setups.get(cluster).map(|s| s.facts.name.as_str());
        let files = self.counts.files;
        let added = self.add_result(
            &job,
            Ok(Read::Manifests(parsed)),
            cluster_name,
            false,
            setups,
            gathered,
        );
        self.counts.files = files;
        added
    }

    /// Render the overlays (or note each one when rendering is off); what rendered, the
    /// clusters of each rendered overlay, and the streams parsed while the next renders ran, as
    /// the sources from `first` on (the run's files come first) when every overlay renders.
    pub(super) fn render(
        &mut self,
        placed: Placed,
        rendering: &Rendering,
        setups: &[ClusterSetup],
        budget: &crate::source::read::Budget,
        first: usize,
        memo: Option<&ParseMemo>,
    ) -> Renders {
        self.kustomize = placed.any;
        self.render_inputs = placed.files;
        self.notes.extend(placed.notes);
        self.io_problems.extend(placed.problems);
        if let Some(why) = rendering.off {
            self.unrendered
                .extend(placed.overlays.iter().map(|o| Unrendered {
                    overlay: o.overlay.clone(),
                    off: Some(why),
                }));
            self.notes.extend(placed.overlays.iter().map(|o| {
                // With several clusters, the command names the overlay's.
                let cluster = o
                    .clusters
                    .first()
                    .or(o.deploys.first().map(|(c, _)| c))
                    .and_then(|&c| setups.get(c))
                    .filter(|_| setups.len() > 1)
                    .map(|s| s.facts.name.as_str());
                not_rendered_note(&o.overlay, why, cluster)
            }));
            return Renders::default();
        }
        let overlays: Vec<_> = placed.overlays.iter().map(|o| o.overlay.clone()).collect();
        let mut early = Early::new(&placed.overlays, setups, first, memo);
        let mut run = render_all_then(&overlays, &rendering.settings, budget, |k, name, text| {
            early.parse(k, name, text);
        });
        self.render_errors = std::mem::take(&mut run.errors);
        self.unrendered.extend(
            placed
                .overlays
                .iter()
                .filter(|o| {
                    self.render_errors
                        .iter()
                        .any(|e| e.overlay == o.overlay.name)
                })
                .map(|o| Unrendered {
                    overlay: o.overlay.clone(),
                    off: None,
                }),
        );
        self.notes
            .extend(run.rendered.iter().filter_map(|r| r.distrusted.clone()));
        self.notes.extend(run.cache_note.clone());
        self.assumptions
            .extend(run.assumptions().into_iter().map(Assumption::Rendered));
        // Each rendered overlay's clusters (and the sources that deploy it), in the order of
        // `run.rendered`.
        let clusters = run
            .rendered
            .iter()
            .map(|r| {
                placed
                    .overlays
                    .iter()
                    .find(|o| o.overlay.dir == r.overlay.dir)
                    .map(|o| {
                        o.clusters
                            .iter()
                            .map(|&c| (c, None))
                            .chain(o.deploys.iter().map(|&(c, s)| (c, Some(s))))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let early = early.in_rendered_order(run.rendered.len());
        Renders {
            run,
            clusters,
            early,
        }
    }

    /// Parse each rendered stream like standard input, once per cluster (and source) of its
    /// overlay (or take the parse `memo` kept from the other side of a diff); the objects join
    /// that cluster. A source's post-build variables are substituted
    /// in a copy of the stream, which its locations are moved back from.
    pub(super) fn add_streams(
        &mut self,
        renders: Renders,
        setups: &[ClusterSetup],
        gathered: &mut Gathered,
        memo: Option<&ParseMemo>,
    ) {
        let Renders {
            mut run,
            clusters,
            mut early,
        } = renders;
        let first = self.sources.names().count();
        // (overlay index, cluster, source): one stream per overlay and target, in this order;
        // a substituted copy is its own overlay, after the renders.
        let mut streams: Vec<(usize, usize, Option<usize>)> = Vec::new();
        let rendered_count = run.rendered.len();
        for (r, targets) in clusters.iter().enumerate().take(rendered_count) {
            for &(cluster, source) in targets {
                let vars = source
                    .and_then(|s| setups.get(cluster)?.sources.get(s))
                    .and_then(|s| s.substitute.as_ref());
                let index = match (vars, run.rendered.get(r)) {
                    (Some(vars), Some(rendered)) => {
                        let copy = rendered.rewritten(|text| {
                            crate::gitops::substitute::substitute(text, vars).text
                        });
                        run.rendered.push(copy);
                        run.rendered.len() - 1
                    }
                    _ => r,
                };
                streams.push((index, cluster, source));
            }
        }
        let id = |i: usize| FileId(u32::try_from(first + i).unwrap_or(u32::MAX));
        let rendered = &run.rendered;
        let parse = |(i, &(r, _, _)): (usize, &(usize, usize, Option<usize>))| {
            let stream = rendered.get(r)?;
            let name = stream.stream_name();
            let parse = || {
                parse_text(
                    id(i),
                    &name,
                    stream.text.to_string(),
                    None,
                    false,
                    "default",
                )
            };
            Some(match memo {
                Some(memo) => memo.parsed(id(i), &name, &stream.text, parse),
                None => parse(),
            })
        };
        // A stream parsed while the renders ran is taken when it got the id it has here (every
        // overlay before it rendered); the others are parsed now.
        let mut results: Vec<Option<Parsed>> = streams
            .iter()
            .enumerate()
            .map(|(i, &(r, cluster, source))| {
                let parsed = early.get_mut(r)?;
                let at = parsed
                    .iter()
                    .position(|(file, target, _)| *file == id(i) && *target == (cluster, source))?;
                Some(parsed.swap_remove(at).2)
            })
            .collect();
        let left: Vec<usize> = (0..streams.len())
            .filter(|&i| results.get(i).is_some_and(Option::is_none))
            .collect();
        let parse_left = |&i: &usize| parse((i, streams.get(i)?));
        let parsed_now: Vec<Option<Parsed>> =
            match crate::threads::pool(crate::threads::for_jobs(left.len())) {
                Some(pool) => pool.install(|| left.par_iter().map(parse_left).collect()),
                None => left.iter().map(parse_left).collect(),
            };
        for (i, parsed) in left.iter().zip(parsed_now) {
            if let Some(slot) = results.get_mut(*i) {
                *slot = parsed;
            }
        }
        drop(early);
        // The files the renders read: each counted once, however many overlays read it.
        let mut read: BTreeSet<&PathBuf> = BTreeSet::new();
        for rendered in run.rendered.iter().take(rendered_count) {
            read.extend(rendered.overlay.files.iter());
        }
        self.counts.files += read.len();
        let mut table = Vec::new();
        for (i, ((r, cluster, source), parsed)) in streams.into_iter().zip(results).enumerate() {
            let (Some(parsed), Some(rendered)) = (parsed, run.rendered.get(r)) else {
                continue;
            };
            let target = (cluster, source);
            let added = self.add_stream(rendered.stream_name(), target, parsed, setups, gathered);
            debug_assert_eq!(added, id(i), "the stream's origins name this source");
            table.push((added, r));
        }
        self.streams = Streams::new(run.rendered);
        for (id, r) in table {
            self.streams.add_stream(id, r);
        }
    }

    /// The run's errors as reports list them: I/O problems, then the Helm releases and the
    /// overlays that did not render (named by their `Chart.yaml` and kustomization file, files
    /// reports can point at).
    pub fn errors(&self) -> Vec<IoProblem> {
        self.io_problems
            .iter()
            .cloned()
            .chain(self.helm_errors.iter().map(|e| IoProblem {
                path: display_name(&e.file),
                message: e.to_string(),
            }))
            .chain(self.render_errors.iter().map(|e| {
                IoProblem {
                    path: e
                        .kustomization
                        .as_deref()
                        .map_or_else(|| e.overlay.clone(), display_name),
                    message: e.to_string(),
                }
            }))
            .collect()
    }

    /// The documents that could not be read, for commands that print a plan rather than findings:
    /// `FILE:LINE:COLUMN: message (LB001; ...)`, located in the files the user wrote, with what
    /// the plan made of each: nothing, the rest of its object, or another copy of that object.
    pub fn unplanned_documents(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        for i in 0..self.problems.len() {
            let Some(problem) = self.problems.get(i) else {
                continue;
            };
            let (origin, message, object) =
                (problem.origin, problem.message.clone(), problem.object);
            let moved = self.streams.relocate(origin, &mut self.sources);
            let at = self.sources.line_col(moved.origin);
            let in_plan = match object.map(|id| self.inventory.placed(id).shadowed_by) {
                None => "this document is not in the plan".to_string(),
                Some(None) => {
                    "the plan holds the rest of this object, without that value".to_string()
                }
                Some(Some(used)) => {
                    let used = self
                        .streams
                        .relocate(self.inventory.object(used).origin, &mut self.sources);
                    format!(
                        "this copy is not in the plan: {}:{} is used",
                        self.sources.name(used.origin.file),
                        self.sources.line_col(used.origin).line
                    )
                }
            };
            lines.push(format!(
                "{}:{}:{}: {} (LB001; {in_plan})",
                self.sources.name(moved.origin.file),
                at.line,
                at.column,
                moved.message(&message)
            ));
        }
        lines
    }
}
