//! `lbplan diff --format github`: a workflow command per transition finding and per lint finding
//! new in the head, which GitHub shows as annotations on the pull request's lines. A finding
//! located in the base (an object the change deletes) has no line in the pull request: its
//! annotation names no file and says where the base had it.

use std::fmt::Write as _;

use super::{Kind, Report};
use crate::report;
use crate::report::github::{command, escape_data, escape_property};
use crate::rules::transition::Side;
use crate::rules::{Finding, Severity};

pub fn github(report: &Report) -> String {
    let all: Vec<Finding> = report.findings.iter().map(|f| f.finding.clone()).collect();
    let lint = report::Report::of_findings(&all, &report.sources);
    let mut out = String::new();
    for (f, d) in all.iter().zip(&report.findings) {
        if d.kind == Kind::Fixed {
            continue;
        }
        if d.side == Side::Head {
            let _ = writeln!(out, "{}", command(&lint, f));
            continue;
        }
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let at = report.sources.line_col(f.origin);
        let mut message = format!(
            "{} (in the base: {}:{})",
            f.message,
            report.sources.name(f.origin.file),
            at.line
        );
        for line in lint.details(f) {
            message.push('\n');
            message.push_str(&line);
        }
        let _ = writeln!(
            out,
            "::{level} title={}::{}",
            escape_property(&format!("{} {}", f.code, f.rule)),
            escape_data(&message)
        );
    }
    for (side, e) in &report.errors {
        let _ = writeln!(
            out,
            "::error title=lbplan ({})::{}",
            side.as_str(),
            escape_data(&format!("{}: {}", e.path, e.message))
        );
    }
    let _ = writeln!(
        out,
        "lbplan diff ({}): {}; {}",
        report.sides_line(),
        report.changes_line(),
        report.findings_line()
    );
    crate::source::escape_controls(&out).into_owned()
}
