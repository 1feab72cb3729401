//! `lbplan diff`: what a change to the manifests does to the load balancers.
//!
//! Two sides (a base and a head), each read, rendered and planned exactly as `plan` reads a
//! repository (`sides.rs`; a git revision's files are written to a temporary folder by `tree.rs`,
//! read with the `git` program by `git.rs`), are compared by the plan's keys
//! ([`crate::plan::changes`]); the transition rules (LB5xx) judge the change, and each side's lint
//! findings are matched (`findings.rs`). The [`Report`] is rendered by the output layer,
//! `crate::report::diff`.

pub mod findings;
pub mod git;
pub mod policy;
pub mod sides;
pub mod tree;
pub mod unchecked;

use crate::exit::Exit;
use crate::plan::changes::{Action, Entity, PlanDiff};
use crate::plan::kept::KeptWeight;
use crate::rules::transition::Side;
use crate::rules::{Severity, Summary};
use crate::source::Sources;
use crate::source::discover::IoProblem;

pub use findings::{DiffFinding, Kind, LintCounts};
pub use unchecked::Unchecked;

/// One side as the report names it.
#[derive(Debug, Clone, Default)]
pub struct SideInfo {
    /// How titles name it: `f845f84 (merge base of main)`, `base/`, `working folder`.
    pub name: String,
    /// `--base-root DIR`, as given.
    pub root: Option<String>,
    /// The revision, as given.
    pub rev: Option<String>,
    /// The commit read.
    pub commit: Option<String>,
    /// The config file it used, as the report names it.
    pub config: Option<String>,
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    /// Files met in folder walks that could not be read (a broken symbolic link): not checked.
    pub not_checked: usize,
}

/// Everything a renderer needs.
pub struct Report<'a> {
    pub base: SideInfo,
    pub head: SideInfo,
    pub plans: PlanDiff<'a>,
    /// Groups the head plan weighs with the weight the ELB keeps.
    pub kept: Vec<KeptWeight>,
    /// Transition findings, then new lint findings, then fixed ones; located in `sources`.
    pub findings: Vec<DiffFinding>,
    pub sources: Sources,
    pub lint: LintCounts,
    /// What the run says besides findings: the live files, notes of each side.
    pub notes: Vec<String>,
    /// What could not be read, per side (exit code 2).
    pub errors: Vec<(Side, IoProblem)>,
    /// A side held documents that could not be read: its plan is incomplete (exit code 1).
    pub incomplete: Vec<Side>,
    /// The files of the change that sources not rendered would have used, and the files that
    /// could not be read: not checked.
    pub unchecked: Unchecked,
    /// The one cluster of both sides, when they have one and the same: human output leaves its
    /// `NAME:` out of object labels (JSON keeps them).
    pub single_cluster: Option<String>,
}

/// What makes a run fail.
#[derive(Debug, Clone, Copy)]
pub struct Gate {
    /// The lowest severity that fails the run (`None`: never).
    pub fail_at: Option<Severity>,
    /// `--exit-code`: a changed plan is exit code 3.
    pub exit_code: bool,
}

impl Report<'_> {
    /// Transition findings and new lint findings: what the gate judges.
    pub fn judged(&self) -> impl Iterator<Item = &DiffFinding> {
        self.findings.iter().filter(|f| f.kind != Kind::Fixed)
    }

    /// The findings that fail the run.
    pub fn failing(&self, gate: Gate) -> usize {
        self.judged()
            .filter(|f| gate.fail_at.is_some_and(|t| f.finding.severity >= t))
            .count()
    }

    /// Transition findings and new lint findings per severity.
    pub fn severities(&self) -> Summary {
        let mut summary = Summary::default();
        for f in self.judged() {
            match f.finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }

    /// 2 for an I/O error, 1 for a failing finding or an incomplete side, 3 (with
    /// `--exit-code`) for a changed plan, else 0.
    pub fn exit(&self, gate: Gate) -> Exit {
        if !self.errors.is_empty() {
            Exit::Error
        } else if self.failing(gate) > 0 || !self.incomplete.is_empty() {
            Exit::Findings
        } else if gate.exit_code && !self.plans.is_empty() {
            Exit::Changed
        } else {
            Exit::Clean
        }
    }

    /// `2 load balancers affected: 1 listener removed, 2 groups changed`, or `no change to the
    /// load balancers` (when the report is complete: else `nothing changed in what was
    /// checked`).
    pub fn changes_line(&self) -> String {
        if self.plans.is_empty() {
            return if self.complete() {
                "no change to the load balancers".to_string()
            } else {
                "nothing changed in what was checked".to_string()
            };
        }
        let counts = self.plans.counts();
        let lbs = u64::try_from(self.plans.load_balancers.len()).unwrap_or(u64::MAX);
        let mut parts = Vec::new();
        for entity in [
            Entity::LoadBalancer,
            Entity::Listener,
            Entity::Group,
            Entity::Rule,
            Entity::Setting,
            Entity::Member,
        ] {
            for action in [Action::Add, Action::Remove, Action::Replace, Action::Change] {
                if let Some(&n) = counts.of.get(&(entity, action)) {
                    parts.push(format!("{n} {} {}", entity.noun(n), action.past()));
                }
            }
        }
        format!(
            "{lbs} {} affected: {}",
            Entity::LoadBalancer.noun(lbs),
            parts.join(", ")
        )
    }

    /// `1 error, 1 warning, 0 infos (lint: 1 new, 2 fixed, 5 unchanged)`.
    pub fn findings_line(&self) -> String {
        format!(
            "{} (lint findings: {} new, {} fixed, {} unchanged)",
            self.severities().counts(),
            self.lint.new,
            self.lint.fixed,
            self.lint.unchanged
        )
    }

    /// `f845f84 (merge base of main) → working folder`.
    pub fn sides_line(&self) -> String {
        format!("{} → {}", self.base.name, self.head.name)
    }
}
