//! `--statistics`: how many findings each rule reported, most first, in place of the findings
//! (as `ruff check --statistics` prints them), then the summary line; as JSON with `--format
//! json`. A rule whose findings were graded differently (a config level for one cluster) has a
//! row per severity.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::human::{severity_style, summary_line};
use crate::report::Report;
use crate::rules::{Finding, Severity};
use crate::text::Paint;
use crate::text::terminal::inert;

/// One row: a rule at one severity, and how many findings it reported.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct RuleCount {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub count: usize,
}

/// The rows, most findings first, then by code and (most severe first) severity.
pub fn counts(findings: &[Finding]) -> Vec<RuleCount> {
    let mut by_rule: BTreeMap<(&'static str, Severity), (&'static str, usize)> = BTreeMap::new();
    for f in findings {
        by_rule.entry((f.code, f.severity)).or_insert((f.rule, 0)).1 += 1;
    }
    let mut rows: Vec<RuleCount> = by_rule
        .into_iter()
        .map(|((code, severity), (name, count))| RuleCount {
            code,
            name,
            severity,
            count,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.code.cmp(b.code))
            .then(b.severity.cmp(&a.severity))
    });
    rows
}

/// The rows as aligned text (`  3  LB101  listener-conflict  error`), then the summary line
/// unless `quiet`. Only lbplan's own words: codes, names, severities and numbers.
pub fn text(report: &Report, paint: Paint, quiet: bool) -> String {
    let rows = counts(report.findings);
    let count_width = rows.iter().map(|r| r.count.to_string().len()).max();
    let name_width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let _ = writeln!(
            out,
            "{:>count$}  {}  {:<name$}  {}",
            r.count,
            r.code,
            r.name,
            paint.paint(r.severity.as_str(), severity_style(r.severity)),
            count = count_width.unwrap_or(1),
            name = name_width,
        );
    }
    if !quiet && !report.nothing_read {
        out.push_str(&summary_line(paint, report));
    }
    inert(&out).into_owned()
}

/// The rows as a JSON array: `[{"code": "LB101", "name": ..., "severity": "error", "count": 3}]`.
pub fn json(report: &Report) -> String {
    crate::text::machine::to_json(&counts(report.findings))
}
