//! Judging a change: the weights the ELB keeps, the lint rules on each side and the transition
//! rules on both, each side's findings suppressed, graded and located in its own root, then one
//! list of findings and sources for the report.

use super::super::Error;
use super::baseline::Baselines;
use super::{Origins, Side};
use crate::diff::findings::{attach, classify, fold, merge, resolve};
use crate::lint::{check, config_levels, finish};
use crate::load::Loaded;
use crate::plan::changes::PlanDiff;
use crate::plan::kept::keep_weights;
use crate::rules::find;
use crate::rules::suppress::{Policy, ignore_keys};
use crate::rules::transition::{self, Relaxation, Side as Which, Transition};
use crate::source::discover::IoProblem;

/// What the judging of a change gives the report.
pub(super) struct Judged {
    pub kept: Vec<crate::plan::kept::KeptWeight>,
    pub findings: Vec<crate::diff::DiffFinding>,
    pub sources: crate::source::Sources,
    pub lint: crate::diff::LintCounts,
    pub notes: Vec<String>,
}

/// The weights the ELB keeps, the lint rules on each side, the transition rules on both; each
/// side's findings suppressed, graded and located in its own root; then one list of findings.
///
/// Both sides are graded by the base's config (each side holds it, read in its own root) and
/// the command line's `selection`; a `lbplan.io/ignore` entry silences a finding of the head
/// only when the base's object had it too: the head's new ones are LB516's.
pub(super) fn judge(
    head: &mut Side,
    base: &mut Side,
    selection: &Policy,
    relaxed: Vec<Relaxation>,
    origins: &Origins,
    baselines: Option<&Baselines>,
) -> Result<Judged, Error> {
    let base_policy = selection
        .clone()
        .with_levels(config_levels(&base.loaded, &base.config));
    let head_policy = selection
        .clone()
        .with_levels(config_levels(&head.loaded, &head.config))
        .with_trusted_ignores(ignore_keys(&base.loaded.inventory));
    // The history the controllers keep: the head plan shows the weights the ELB keeps.
    let kept = transition::kept_weights(&base.loaded.inventory, &head.loaded.inventory);
    let kept = keep_weights(&mut head.plan, &head.index, &head.loaded.inventory, &kept);

    let mut head_sink = check(&head.loaded, &head.config, &head.plan, &head.index);
    let mut base_sink = check(&base.loaded, &base.config, &base.plan, &base.index);
    let transitions = {
        let plans = PlanDiff::compare(base.view(), head.view());
        let tx = Transition::new(
            base.context(),
            head.context(),
            &plans,
            (&base.loaded.sources, &head.loaded.sources),
        )
        .with_relaxations(relaxed);
        transition::check_all(&tx)
    };
    let mut elsewhere = attach(transitions, &mut head_sink, &mut base_sink);
    let head_outcome = {
        let _in = head.root.enter().map_err(Error::WorkingFolder)?;
        let outcome = finish(&mut head.loaded, &head_policy, head_sink);
        let (streams, sources) = (&mut head.loaded.streams, &mut head.loaded.sources);
        elsewhere.locate(Which::Head, |o| streams.relocate(o, sources).origin);
        outcome
    };
    let base_outcome = {
        let _in = base.root.enter().map_err(Error::WorkingFolder)?;
        let outcome = finish(&mut base.loaded, &base_policy, base_sink);
        let (streams, sources) = (&mut base.loaded.streams, &mut base.loaded.sources);
        elsewhere.locate(Which::Base, |o| streams.relocate(o, sources).origin);
        outcome
    };
    let (mut head_outcome, mut base_outcome) = (head_outcome, base_outcome);
    let is_transition = |code: &str| find(code).is_some_and(|r| r.meta().transition);
    let mut baselined = 0;
    if let Some(baselines) = baselines {
        baselined += baselines.apply(
            &mut head_outcome.findings,
            &head.loaded.sources,
            &is_transition,
        );
        baselined += baselines.apply(
            &mut base_outcome.findings,
            &base.loaded.sources,
            &is_transition,
        );
    }
    let (mut findings, mut lint) = classify(
        head_outcome.findings,
        base_outcome.findings,
        &head.loaded.sources,
        &base.loaded.sources,
        is_transition,
    );
    fold(&mut findings, &mut lint, &elsewhere);
    let (sources, offset) = merge(
        &head.loaded.sources,
        &base.loaded.sources,
        &origins.base_name,
    );
    for f in &mut findings {
        resolve(&mut f.finding, f.side, offset, &elsewhere);
    }
    // Transition findings first, errors first; each side's in file order.
    findings.sort_by_key(|f| (f.kind, std::cmp::Reverse(f.finding.severity)));
    let mut notes = notes_of(&head.loaded, head_outcome.notes.len());
    if baselined > 0 {
        notes.push(format!(
            "{baselined} lint {} of both sides accepted by the base's baseline (--baseline) left out",
            if baselined == 1 { "finding" } else { "findings" }
        ));
    }
    Ok(Judged {
        kept,
        findings,
        sources,
        lint,
        notes,
    })
}

/// The head's notes about its inputs (Helm charts, overlays not rendered, links not followed);
/// the rest of the lint's notes (`total` in all: copies of one object, checks skipped) are
/// `lbplan lint`'s, and only counted here.
fn notes_of(loaded: &Loaded, total: usize) -> Vec<String> {
    let mut notes = loaded.notes.clone();
    let more = total.saturating_sub(notes.len());
    if more > 0 {
        notes.push(format!(
            "{more} more {} about the head (objects defined twice, checks skipped for want of a cluster fact): `lbplan lint` lists them",
            if more == 1 { "note" } else { "notes" }
        ));
    }
    notes
}

/// What could not be read on each side, the base's named as the report names its files.
pub(super) fn errors(head: &Side, base: &Side, origins: &Origins) -> Vec<(Which, IoProblem)> {
    let mut errors = Vec::new();
    for (which, side) in [(Which::Head, head), (Which::Base, base)] {
        for mut p in side.loaded.errors() {
            if which == Which::Base {
                p.path = (origins.base_name)(&p.path);
            }
            errors.push((which, p));
        }
    }
    errors
}
