//! `lbplan diff --format github`: a workflow command per transition finding and per lint finding
//! new in the head, which GitHub shows as annotations on the pull request's lines. A finding
//! located in the base (an object the change deletes) has no line in the pull request: its
//! annotation names no file and says where the base had it. Files are named from the repository
//! root (`root`: [`crate::report::root`]), as GitHub finds them in the checkout. Data and
//! properties are encoded as the runner decodes them ([`crate::text::workflow`]).

use std::fmt::Write as _;

use crate::diff::{Kind, Report};
use crate::report;
use crate::report::findings::github::{command, level, message_lines};
use crate::report::root::Root;
use crate::rules::Finding;
use crate::rules::transition::Side;
use crate::text::{bound, terminal, workflow};

pub fn github(report: &Report, root: Option<&Root>) -> String {
    let all: Vec<Finding> = report.findings.iter().map(|f| f.finding.clone()).collect();
    let mut lint = report::Report::of_findings(&all, &report.sources);
    lint.root = root;
    let mut out = String::new();
    for (f, d) in all.iter().zip(&report.findings) {
        if d.kind == Kind::Fixed {
            continue;
        }
        if d.side == Side::Head {
            let _ = writeln!(out, "{}", command(&lint, f));
            continue;
        }
        let at = report.sources.line_col(f.origin);
        let mut lines = message_lines(&lint, f);
        if let Some(first) = lines.first_mut() {
            let _ = write!(
                first,
                " (in the base: {}:{})",
                report.sources.name(f.origin.file),
                at.line
            );
        }
        let title = format!("{} {}", f.code, f.rule);
        let message = workflow::message(lines.iter().map(String::as_str));
        let _ = writeln!(
            out,
            "{}",
            workflow::command(level(f.severity), &[("title", &title)], &message)
        );
    }
    for (side, e) in &report.errors {
        let title = format!("lbplan ({})", side.as_str());
        let text = format!("{}: {}", e.path, e.message);
        let message = workflow::message(bound(&text).lines());
        let _ = writeln!(
            out,
            "{}",
            workflow::command("error", &[("title", &title)], &message)
        );
    }
    if let Some(line) = report.incomplete_line() {
        let unchecked = report.unchecked_lines(&|t: &str| bound(t).into_owned());
        let first = if unchecked.is_empty() {
            line
        } else {
            format!("{line}; not checked:")
        };
        let lines: Vec<String> = std::iter::once(first).chain(unchecked).collect();
        let message = workflow::message(lines.iter().map(String::as_str));
        let _ = writeln!(
            out,
            "{}",
            workflow::command("notice", &[("title", "lbplan diff: incomplete")], &message)
        );
    }
    let _ = writeln!(out, "{}", terminal::clean(&report.summary_line()));
    out
}
