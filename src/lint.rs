//! The lint pipeline: model, plan, rules, then findings in a stable order.

use crate::config::Config;
use crate::load::Loaded;
use crate::plan::{self, Plan};
use crate::report::Summary;
use crate::rules::{self, Context, Finding};
use crate::source::Sources;

/// Findings of a run, sorted, and what could not be checked.
#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    pub summary: Summary,
    pub plan: Plan,
}

pub fn lint(loaded: &Loaded, config: &Config) -> Outcome {
    let plan = plan::build(&loaded.inventory, config, &loaded.assumptions);
    let cx = Context {
        inv: &loaded.inventory,
        plan: &plan,
        config,
        problems: &loaded.problems,
    };
    let sink = rules::check_all(&cx);
    let mut notes = loaded.duplicates.clone();
    notes.extend(sink.notes());
    let mut findings = sink.findings;
    sort(&mut findings, &loaded.sources);
    let mut summary = Summary {
        files: loaded.counts.files,
        documents: loaded.counts.documents,
        objects: loaded.counts.objects,
        ..Summary::default()
    };
    summary.count(&findings);
    Outcome {
        findings,
        notes,
        summary,
        plan,
    }
}

/// Sort by file, line, code (then column and message, so the order is total) and drop exact
/// duplicates: identical input gives byte-identical output.
pub fn sort(findings: &mut Vec<Finding>, sources: &Sources) {
    let mut keyed: Vec<_> = findings
        .drain(..)
        .map(|f| {
            let at = sources.line_col(f.origin);
            (
                (
                    sources.name(f.origin.file).to_string(),
                    at.line,
                    f.code,
                    at.column,
                    f.message.clone(),
                ),
                f,
            )
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    findings.extend(keyed.into_iter().map(|(_, f)| f));
}
