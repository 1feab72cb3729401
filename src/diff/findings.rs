//! The findings of a diff: the transition rules' (each located on its side, with related places
//! on either side), and the lint findings that are new in the head or fixed by it.
//!
//! Lint findings are matched by their [`Identity`] (rule, cluster, placement, object and
//! message, never the line), the one a baseline matches by too: moving a manifest does not make
//! its findings new. A finding whose message differs only in its numbers (a share, a count, a
//! port) is the same finding changed, not a new one. Findings without an object (a YAML error)
//! are matched within their file.
//!
//! Each side's findings are located in that side's files. A transition finding's related places
//! on the other side ride through the side's own suppression, relocation and sorting as
//! placeholders ([`Elsewhere`]), and are located in their own side's files afterwards; then both
//! sides' files become one list of sources, the base's named as the report shows them.

use std::collections::HashMap;

use crate::model::ObjectId;
use crate::rules::identity::{Identity, Wording};
use crate::rules::transition::{Side, TransitionSink};
use crate::rules::{Finding, Sink};
use crate::source::{FileId, Origin, SourceFile, Sources};

/// A finding of the diff.
#[derive(Debug)]
pub struct DiffFinding {
    pub side: Side,
    pub kind: Kind,
    pub finding: Finding,
}

/// Why a finding is in the diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A transition rule's (LB5xx).
    Transition,
    /// A lint finding of the head that the base does not have.
    New,
    /// A lint finding of the base that the head does not have.
    Fixed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Transition => "transition",
            Kind::New => "new",
            Kind::Fixed => "fixed",
        }
    }
}

/// Lint findings per kind of match.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LintCounts {
    pub new: usize,
    pub fixed: usize,
    pub unchanged: usize,
}

/// Placeholder file ids start here, counting down: no source has that many files.
const PLACEHOLDER: u32 = u32::MAX;

/// Related places on the other side of their finding, waiting to be located; and the lint
/// findings transition findings speak for.
#[derive(Debug, Default)]
pub struct Elsewhere {
    /// (the side the place is on, the place), by placeholder number.
    places: Vec<(Side, Origin)>,
    /// Where each was located, in its side's sources.
    located: Vec<Option<Origin>>,
    folds: Vec<Fold>,
}

/// A transition finding (by its code, side and object) and the lint rules whose new finding on
/// the same object it speaks for.
#[derive(Debug)]
struct Fold {
    by: &'static str,
    side: Side,
    object: ObjectId,
    codes: Vec<&'static str>,
}

impl Elsewhere {
    fn placeholder(&mut self, side: Side, origin: Origin) -> Origin {
        let n = u32::try_from(self.places.len()).unwrap_or(0);
        self.places.push((side, origin));
        Origin::new(FileId(PLACEHOLDER - n), origin.span)
    }

    fn number(origin: Origin) -> Option<usize> {
        let n = PLACEHOLDER.checked_sub(origin.file.0)?;
        usize::try_from(n).ok()
    }

    /// Locate the places on `side`, in that side's files (`relocate`: out of rendered streams).
    pub fn locate(&mut self, side: Side, mut relocate: impl FnMut(Origin) -> Origin) {
        self.located.resize(self.places.len(), None);
        for (i, (s, origin)) in self.places.iter().enumerate() {
            if *s == side {
                if let Some(slot) = self.located.get_mut(i) {
                    *slot = Some(relocate(*origin));
                }
            }
        }
    }
}

/// Add the transition findings to their sides' sinks, to be suppressed, graded and located with
/// that side's lint findings; their related places on the other side become placeholders.
pub fn attach(transitions: TransitionSink, head: &mut Sink, base: &mut Sink) -> Elsewhere {
    let mut elsewhere = Elsewhere::default();
    for t in transitions.findings {
        if let (false, Some(object)) = (t.folds.is_empty(), t.finding.object_id) {
            elsewhere.folds.push(Fold {
                by: t.finding.code,
                side: t.side,
                object,
                codes: t.folds,
            });
        }
        let mut finding = t.finding;
        for mut related in t.elsewhere {
            related.origin = elsewhere.placeholder(t.side.other(), related.origin);
            finding.related.push(related);
        }
        match t.side {
            Side::Head => head.push(finding),
            Side::Base => base.push(finding),
        }
    }
    elsewhere
}

/// Leave out the new lint findings that a transition finding still reported (not suppressed)
/// speaks for, on the same object of the same side; they are not counted as new either.
pub fn fold(findings: &mut Vec<DiffFinding>, counts: &mut LintCounts, elsewhere: &Elsewhere) {
    let same = |f: &DiffFinding, fold: &Fold| {
        f.side == fold.side && f.finding.object_id == Some(fold.object)
    };
    let live: Vec<&Fold> = elsewhere
        .folds
        .iter()
        .filter(|fold| {
            findings
                .iter()
                .any(|f| f.kind == Kind::Transition && f.finding.code == fold.by && same(f, fold))
        })
        .collect();
    let before = findings.len();
    findings.retain(|f| {
        f.kind != Kind::New
            || !live
                .iter()
                .any(|fold| fold.codes.contains(&f.finding.code) && same(f, fold))
    });
    counts.new -= before - findings.len();
}

/// Both sides' sources as one list: the head's first (their ids unchanged), then the base's,
/// named by `rename`. Returns the list and the offset of the base's ids.
pub fn merge(head: &Sources, base: &Sources, rename: impl Fn(&str) -> String) -> (Sources, u32) {
    let mut merged = Sources::default();
    let mut copy = |sources: &Sources, name: &dyn Fn(&str) -> String| {
        let mut count = 0u32;
        while let Some(file) = sources.get(FileId(count)) {
            merged.add(SourceFile::new(name(&file.name), file.text().cloned()));
            count += 1;
        }
        count
    };
    let offset = copy(head, &|n: &str| n.to_string());
    copy(base, &rename);
    (merged, offset)
}

/// Move a place of the base into the merged list.
pub fn shift(origin: Origin, offset: u32) -> Origin {
    Origin::new(FileId(origin.file.0 + offset), origin.span)
}

/// The merged-list places of a finding of `side`: its own (shifted for the base), and its
/// placeholders, located.
pub fn resolve(finding: &mut Finding, side: Side, offset: u32, elsewhere: &Elsewhere) {
    let own = |origin: Origin| match side {
        Side::Head => origin,
        Side::Base => shift(origin, offset),
    };
    finding.origin = own(finding.origin);
    for related in &mut finding.related {
        related.origin = match Elsewhere::number(related.origin) {
            Some(n) => {
                let place = elsewhere.places.get(n).map(|p| p.0);
                match (place, elsewhere.located.get(n).copied().flatten()) {
                    (Some(Side::Base), Some(local)) => shift(local, offset),
                    (Some(Side::Head), Some(local)) => local,
                    // Never left unlocated: `locate` runs for both sides.
                    _ => related.origin,
                }
            }
            None => own(related.origin),
        };
    }
}

/// What identifies a lint finding across the sides ([`Identity`]: rule, cluster, placement,
/// object or file, and the message exactly or without its numbers); with `in_file`, also the
/// file it is in, so that of several copies of one object the copy in the same file is matched
/// first.
fn key(f: &Finding, sources: &Sources, pass: Pass) -> (Identity, String) {
    let file = sources.name(f.origin.file);
    let wording = if pass.exact {
        Wording::Exact
    } else {
        Wording::Loose
    };
    let in_file = if pass.in_file {
        file.to_string()
    } else {
        String::new()
    };
    (Identity::of(f, file, wording), in_file)
}

/// One round of matching lint findings across the sides, from the strictest.
#[derive(Clone, Copy)]
struct Pass {
    exact: bool,
    in_file: bool,
}

const PASSES: [Pass; 3] = [
    Pass {
        exact: true,
        in_file: true,
    },
    Pass {
        exact: true,
        in_file: false,
    },
    Pass {
        exact: false,
        in_file: false,
    },
];

/// Split each side's findings into transition findings and lint findings, and match the lint
/// findings: those of the head the base lacks are new, those of the base the head lacks are
/// fixed. Returns the diff's findings (each side's in its own ids) and the counts.
pub fn classify(
    head: Vec<Finding>,
    base: Vec<Finding>,
    head_sources: &Sources,
    base_sources: &Sources,
    transition: impl Fn(&str) -> bool,
) -> (Vec<DiffFinding>, LintCounts) {
    let mut out = Vec::new();
    let (mut head_lint, mut base_lint) = (Vec::new(), Vec::new());
    for (side, findings, lint) in [
        (Side::Head, head, &mut head_lint),
        (Side::Base, base, &mut base_lint),
    ] {
        for finding in findings {
            if transition(finding.code) {
                out.push(DiffFinding {
                    side,
                    kind: Kind::Transition,
                    finding,
                });
            } else {
                lint.push(Some(finding));
            }
        }
    }
    let mut counts = LintCounts::default();
    for pass in PASSES {
        let mut waiting: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, f) in base_lint.iter().enumerate() {
            if let Some(f) = f {
                waiting
                    .entry(key(f, base_sources, pass))
                    .or_default()
                    .push(i);
            }
        }
        for slot in &mut head_lint {
            let Some(f) = slot else { continue };
            let matched = waiting
                .get_mut(&key(f, head_sources, pass))
                .and_then(|v| (!v.is_empty()).then(|| v.remove(0)));
            if let Some(i) = matched {
                if let Some(b) = base_lint.get_mut(i) {
                    *b = None;
                }
                *slot = None;
                counts.unchanged += 1;
            }
        }
    }
    for (side, kind, lint) in [
        (Side::Head, Kind::New, head_lint),
        (Side::Base, Kind::Fixed, base_lint),
    ] {
        for finding in lint.into_iter().flatten() {
            match kind {
                Kind::New => counts.new += 1,
                _ => counts.fixed += 1,
            }
            out.push(DiffFinding {
                side,
                kind,
                finding,
            });
        }
    }
    (out, counts)
}
