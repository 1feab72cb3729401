//! An overlay or a Helm chart that renders on one side only: its objects would show as all added
//! or all removed, and the transition rules would judge a change nobody made. The side where it
//! rendered is read again without it, so that neither plan has it; an overlay's failure stays an
//! error of the run (exit code 2), a detected chart's leaves the exit code, and the report,
//! incomplete, counts their changed files.

use std::collections::BTreeSet;
use std::path::Path;

use super::config::Found;
use super::{Reading, Side, load_side};
use crate::diff::sides::{LiveFiles, exact_exclude};
use crate::helm::state::ChartState;
use crate::source::discover::display_name;

/// The overlays whose render failed on `side`, as reports name them (from the side's folder).
fn failed(side: &Side) -> BTreeSet<&str> {
    side.loaded
        .unrendered
        .iter()
        .filter(|u| u.off.is_none())
        .map(|u| u.overlay.name.as_str())
        .collect()
}

/// The Helm charts found in walks that are in `state` on `side`.
fn charts_in(side: &Side, state: ChartState) -> BTreeSet<&str> {
    side.loaded
        .chart_states
        .iter()
        .filter(|(_, s)| **s == state)
        .map(|(name, _)| name.as_str())
        .collect()
}

/// The overlays that failed on `failing` and not on `other`: those to leave out of `other`.
fn only_failed(failing: &Side, other: &Side) -> Vec<String> {
    let theirs = failed(other);
    failed(failing)
        .into_iter()
        .filter(|name| !theirs.contains(name))
        .map(str::to_string)
        .collect()
}

/// The charts found in walks whose render with default values failed on `failing` and that
/// rendered on `other`: those to leave out of `other`. (A chart the config names is in both
/// sides' config; its failure is an error of the run.)
fn charts_only_failed(failing: &Side, other: &Side) -> Vec<String> {
    let rendered = charts_in(other, ChartState::Rendered);
    charts_in(failing, ChartState::Failed { configured: false })
        .into_iter()
        .filter(|name| rendered.contains(name))
        .map(str::to_string)
        .collect()
}

/// Which side to read again, and without which overlays and charts.
pub(super) struct Leave {
    /// `true`: read the base again (they failed on the head); `false`: the head.
    pub base: bool,
    pub overlays: Vec<String>,
    pub charts: Vec<String>,
}

/// The overlays and charts that failed on one side only, and the side to read again without
/// them (the head's failures first; both, when each side has its own).
pub(super) fn to_leave_out(head: &Side, base: &Side) -> Vec<Leave> {
    let mut out = Vec::new();
    for (failing, other, read_base) in [(head, base, true), (base, head, false)] {
        let leave = Leave {
            base: read_base,
            overlays: only_failed(failing, other),
            charts: charts_only_failed(failing, other),
        };
        if !leave.overlays.is_empty() || !leave.charts.is_empty() {
            out.push(leave);
        }
    }
    out
}

/// How a side was read, to read it again.
pub(super) struct Again<'a> {
    /// The config that judges both sides (the base's).
    pub found: Option<&'a Found>,
    pub live: Option<&'a LiveFiles>,
    pub name: &'a dyn Fn(&str) -> String,
}

/// `side` read again, its walks (as `reading` has them) leaving `leave`'s overlays out; and the
/// note that says so.
pub(super) fn read_again(
    reading: &Reading,
    side: &Side,
    leave: &Leave,
    again: &Again,
) -> Result<(Side, String), super::Error> {
    let mut walk = reading.walk.clone();
    walk.exclude.extend(
        leave
            .overlays
            .iter()
            .chain(&leave.charts)
            .filter_map(|o| exact_exclude(Path::new(o))),
    );
    let again = load_side(
        &Reading {
            walk: &walk,
            program: reading.program.clone(),
            helm: reading.helm.clone(),
            ..*reading
        },
        side.root.clone(),
        again.found,
        side.info.clone(),
        again.live,
        again.name,
        None,
    )?;
    let (failed_on, other) = if leave.base {
        ("head", "base")
    } else {
        ("base", "head")
    };
    let named = |list: &[String], one: &str, many: &str| {
        let names: Vec<String> = list.iter().map(|o| display_name(Path::new(o))).collect();
        (!names.is_empty()).then(|| {
            format!(
                "{} {}",
                if names.len() == 1 { one } else { many },
                names.join(", ")
            )
        })
    };
    let what: Vec<String> = [
        named(&leave.overlays, "Kustomize overlay", "Kustomize overlays"),
        named(&leave.charts, "Helm chart", "Helm charts"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let one = leave.overlays.len() + leave.charts.len() == 1;
    let note = format!(
        "{} did not render on the {failed_on}: the {other} is read without {}, so that neither plan has {} objects",
        what.join(" and "),
        if one { "it" } else { "them" },
        if one { "its" } else { "their" },
    );
    Ok((again, note))
}
