//! The findings of a report as tables, row by row within the byte budget: what the change
//! introduces (transition findings and lint findings new in the head), then what it fixes
//! (lint findings of the base the head no longer has), each with its rule, object and file.

use crate::diff::findings::DiffFinding;
use crate::diff::{Kind, Report};
use crate::text::bound;
use crate::text::markdown::{Budget, cell};
use crate::text::plural;

/// Longest message in a table, in characters.
const MAX_MESSAGE: usize = 400;

/// `N more findings not shown ...` after the findings table (`what`: `fixed ` after the fixed
/// findings').
pub(super) fn left_line(n: usize, what: &str, max_bytes: usize) -> String {
    format!(
        "\n{n} more {what}{} not shown within {max_bytes} bytes; `lbplan diff --format json` lists every finding.\n",
        plural(n, "finding", "findings")
    )
}

fn shorten(text: &str) -> String {
    let text = bound(text);
    if text.chars().count() <= MAX_MESSAGE {
        return text.into_owned();
    }
    let cut: String = text.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

/// The object a finding is about, with its cluster where there are several.
fn object(f: &DiffFinding) -> String {
    let d = &f.finding;
    match (&d.cluster, &d.object) {
        (Some(c), Some(o)) if c != "default" => cell(&bound(&format!("{c}:{o}"))),
        (_, Some(o)) => cell(&bound(o)),
        _ => String::new(),
    }
}

/// `| error | LB505 `address-changed` | `prod:Service/shop/web` | `web.yaml:9` | ... |`.
fn row(report: &Report, f: &DiffFinding) -> String {
    let d = &f.finding;
    let at = report.sources.line_col(d.origin);
    let severity = if f.kind == Kind::New {
        format!("{} (new)", d.severity)
    } else {
        d.severity.to_string()
    };
    format!(
        "| {severity} | {} {} | {} | {} | {} |\n",
        d.code,
        cell(d.rule),
        object(f),
        cell(&format!(
            "{}:{}",
            bound(report.sources.name(d.origin.file)),
            at.line
        )),
        cell(&shorten(&d.message))
    )
}

/// Rows under `header` while they fit; then a line counting the rest.
fn table<'a>(
    out: &mut Budget,
    report: &Report,
    header: &str,
    rows: impl Iterator<Item = &'a DiffFinding>,
    left: impl Fn(usize) -> String,
) {
    let mut header = Some(header);
    let mut any = false;
    let mut not_shown = 0;
    for f in rows {
        any = true;
        let row = row(report, f);
        let piece = match header {
            Some(h) => format!("{h}{row}"),
            None => row,
        };
        if not_shown == 0 && out.push(&piece) {
            header = None;
        } else {
            not_shown += 1;
        }
    }
    if not_shown > 0 {
        out.force(&left(not_shown));
    }
    if any {
        out.force("\n");
    }
}

/// What the change introduces: transition findings, then lint findings new in the head.
pub(super) fn introduced(out: &mut Budget, report: &Report, max_bytes: usize) {
    table(
        out,
        report,
        "| | Rule | Object | Where | What happens |\n|---|---|---|---|---|\n",
        report.findings.iter().filter(|f| f.kind != Kind::Fixed),
        |n| left_line(n, "", max_bytes),
    );
}

/// What the change fixes: each lint finding of the base the head no longer has, where the base
/// had it.
pub(super) fn fixed(out: &mut Budget, report: &Report, max_bytes: usize) {
    let fixed = report.findings.iter().filter(|f| f.kind == Kind::Fixed);
    if fixed.clone().next().is_none() {
        return;
    }
    let n = fixed.clone().count();
    let header = format!(
        "#### Fixed: {n} lint {} of the base the head no longer has\n\n| | Rule | Object | Where (base) | What it was |\n|---|---|---|---|---|\n",
        plural(n, "finding", "findings")
    );
    table(out, report, &header, fixed, |n| {
        left_line(n, "fixed ", max_bytes)
    });
}
