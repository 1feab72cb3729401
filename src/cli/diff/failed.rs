//! An overlay that renders on one side only: its objects would show as all added or all
//! removed, and the transition rules would judge a change nobody made. The side where it
//! rendered is read again without it, so that neither plan has it; the failure stays an error
//! of the run (exit code 2), and the report, incomplete, counts its changed files.

use std::collections::BTreeSet;
use std::path::Path;

use super::config::Found;
use super::{Reading, Side, load_side};
use crate::diff::sides::{LiveFiles, exact_exclude};
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

/// The overlays that failed on `failing` and rendered on `other`: those to leave out of `other`.
fn only_failed<'a>(failing: &'a Side, other: &Side) -> Vec<&'a str> {
    let theirs = failed(other);
    failed(failing)
        .into_iter()
        .filter(|name| !theirs.contains(name))
        .collect()
}

/// Which side to read again, and without which overlays.
pub(super) struct Leave {
    /// `true`: read the base again (the overlays failed on the head); `false`: the head.
    pub base: bool,
    pub overlays: Vec<String>,
}

/// The overlays that failed on one side only, and the side to read again without them (the
/// head's failures first; both, when each side has its own).
pub(super) fn to_leave_out(head: &Side, base: &Side) -> Vec<Leave> {
    let mut out = Vec::new();
    let on_head = only_failed(head, base);
    if !on_head.is_empty() {
        out.push(Leave {
            base: true,
            overlays: on_head.into_iter().map(str::to_string).collect(),
        });
    }
    let on_base = only_failed(base, head);
    if !on_base.is_empty() {
        out.push(Leave {
            base: false,
            overlays: on_base.into_iter().map(str::to_string).collect(),
        });
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
            .filter_map(|o| exact_exclude(Path::new(o))),
    );
    let again = load_side(
        &Reading {
            walk: &walk,
            program: reading.program.clone(),
            ..*reading
        },
        side.root.clone(),
        again.found,
        side.info.clone(),
        again.live,
        again.name,
    )?;
    let (failed_on, other) = if leave.base {
        ("head", "base")
    } else {
        ("base", "head")
    };
    let names: Vec<String> = leave
        .overlays
        .iter()
        .map(|o| display_name(Path::new(o)))
        .collect();
    let note = format!(
        "Kustomize {} {} did not render on the {failed_on}: the {other} is read without {}, so that neither plan has {} objects",
        if names.len() == 1 {
            "overlay"
        } else {
            "overlays"
        },
        names.join(", "),
        if names.len() == 1 { "it" } else { "them" },
        if names.len() == 1 { "its" } else { "their" },
    );
    Ok((again, note))
}
