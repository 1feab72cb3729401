//! `lbplan diff --baseline FILE`: the baseline is read on each side, in the side's root (a
//! relative or in-repository FILE is the same relative place on each side; one outside every
//! root is one file for both). Like the config, the base's judges: it accepts lint findings on
//! both sides. What the head's accepts beyond the base's is a relaxation (LB516), at the line of
//! each entry, for a pull request can write its own findings into the baseline.

use std::path::Path;

use super::super::Error;
use super::Origins;
use super::config::{Found, Place};
use crate::baseline::{Baseline, entry_spans};
use crate::diff::sides::Root;
use crate::rules::Finding;
use crate::rules::transition::{Relaxation, Side as Which};
use crate::source::discover::display_name;
use crate::source::{FileId, Origin, SourceFile, Sources, Span};
use crate::text::Truncated;

/// The baseline of each side: the base's judges, the head's is compared with it.
pub(super) struct Baselines {
    pub base: Baseline,
    head: Option<(Found, Baseline)>,
}

/// Read `--baseline FILE` on both sides. A side without the file has an empty baseline; a file
/// that is not a baseline is an error naming the side's file.
pub(super) fn read(path: &Path, origins: &Origins) -> Result<Baselines, Error> {
    let place = Place::of(Some(path), origins);
    let base = read_side(&place, &origins.base, &*origins.base_name)?;
    let head = read_side(&place, &origins.head, &|n: &str| n.to_string())?;
    Ok(Baselines {
        base: base.map(|(_, b)| b).unwrap_or_default(),
        head,
    })
}

fn read_side(
    place: &Place,
    root: &Root,
    name: &dyn Fn(&str) -> String,
) -> Result<Option<(Found, Baseline)>, Error> {
    let _entered = root.enter().map_err(Error::WorkingFolder)?;
    let Some(found) = place.read(root, "--baseline")? else {
        return Ok(None);
    };
    let baseline = Baseline::parse(&found.text).map_err(|problem| Error::Baseline {
        path: name(&display_name(&found.path)),
        problem,
    })?;
    Ok(Some((found, baseline)))
}

impl Baselines {
    /// Leave out of a side's lint findings (those whose code `is_transition` denies) the ones the
    /// base's baseline accepts; returns how many.
    pub fn apply(
        &self,
        findings: &mut Vec<Finding>,
        sources: &Sources,
        is_transition: &dyn Fn(&str) -> bool,
    ) -> usize {
        let (mut transitions, mut lint): (Vec<Finding>, Vec<Finding>) =
            findings.drain(..).partition(|f| is_transition(f.code));
        let applied = self
            .base
            .apply(&mut lint, |f| sources.name(f.origin.file).to_string());
        transitions.append(&mut lint);
        *findings = transitions;
        applied.baselined
    }

    /// What the head's baseline accepts beyond the base's, each at its entry in the head's file
    /// (added to the head's `sources`). The entry's code and subject are the pull request's
    /// text: cut as messages cut names.
    pub fn relaxations(&self, sources: &mut Sources) -> Vec<Relaxation> {
        let Some((found, head)) = &self.head else {
            return Vec::new();
        };
        let added = head.added(&self.base);
        if added.is_empty() {
            return Vec::new();
        }
        let name = display_name(&found.path);
        let file: FileId = sources.add(SourceFile::in_memory(
            name.clone(),
            found.text.as_str().into(),
        ));
        let spans = entry_spans(&found.text);
        added
            .into_iter()
            .map(|added| {
                let span = spans
                    .get(added.index)
                    .copied()
                    .flatten()
                    .unwrap_or(Span::new(0, 0));
                Relaxation {
                    side: Which::Head,
                    origin: Origin::new(file, span),
                    message: format!(
                        "the head's {name} accepts {} {} finding{} on {} that the base's does not: once merged, `lbplan lint --baseline` stops reporting {}",
                        added.more,
                        Truncated(&added.code),
                        if added.more == 1 { "" } else { "s" },
                        Truncated(&added.subject),
                        if added.more == 1 { "it" } else { "them" },
                    ),
                    caption: "accepted by the baseline",
                }
            })
            .collect()
    }
}
