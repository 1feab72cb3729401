//! `--format github`: GitHub Actions workflow commands, one per finding, which GitHub shows as
//! annotations on the pull request's diff: `::error file=F,line=L,col=C,title=CODE rule::message`,
//! `F` from the repository root ([`crate::report::root`]). The notes follow in one `::notice`, since
//! GitHub shows only the first few annotations of each kind per step; the summary line ends the
//! output, so that the log of a failing step always says what failed.
//!
//! lbplan writes these commands itself; what the input says is only ever their data or a
//! property, encoded as the runner decodes it ([`crate::text::workflow`]), each line of a message
//! escaped as a value, so no input can end a command early or start one of its own.

use std::fmt::Write as _;

use crate::report::{Renderer, Report};
use crate::rules::{Finding, Severity};
use crate::text::{bound, terminal, workflow};

pub struct Github {
    /// `--quiet`: the findings alone, without the notes and the summary line.
    pub quiet: bool,
}

/// The command of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// A finding's message and detail lines (help, related places), bounded, for a command's data.
pub fn message_lines(report: &Report, f: &Finding) -> Vec<String> {
    std::iter::once(f.message.clone())
        .chain(report.details(f))
        .map(|line| bound(&line).into_owned())
        .collect()
}

/// The workflow command of one finding: `::error file=F,line=L,...::message`.
pub fn command(report: &Report, f: &Finding) -> String {
    let command = level(f.severity);
    let start = report.position(f.origin);
    let end = report
        .sources
        .get(f.origin.file)
        .map_or(start, |file| file.line_col(f.origin.span.end));
    let mut lines = message_lines(report, f);
    let title = format!("{} {}", f.code, f.rule);
    if !report.is_file_path(f.origin) {
        // Standard input under a name that is no file: GitHub would annotate a file that does
        // not exist, so the place goes into the message.
        if let Some(first) = lines.first_mut() {
            *first = format!("{}: {first}", report.place(f.origin));
        }
        let message = workflow::message(lines.iter().map(String::as_str));
        return workflow::command(command, &[("title", &title)], &message);
    }
    let message = workflow::message(lines.iter().map(String::as_str));
    let file = report.ci_path(f.origin.file);
    let (line, col) = (start.line.to_string(), start.column.to_string());
    let (end_line, end_col) = (
        end.line.to_string(),
        end.column.max(start.column).to_string(),
    );
    workflow::command(
        command,
        &[
            ("file", &file),
            ("line", &line),
            ("col", &col),
            ("endLine", &end_line),
            ("endColumn", &end_col),
            ("title", &title),
        ],
        &message,
    )
}

/// Every note in one `::notice` (a line each, bounded and escaped), titled with their count:
/// GitHub caps the annotations a step shows, and notes must not take the place of findings.
fn notes(notes: &[String]) -> Option<String> {
    if notes.is_empty() {
        return None;
    }
    let title = match notes.len() {
        1 => "lbplan: 1 note".to_string(),
        n => format!("lbplan: {n} notes"),
    };
    let lines: Vec<String> = notes.iter().map(|n| bound(n).into_owned()).collect();
    let message = workflow::message(lines.iter().map(String::as_str));
    Some(workflow::command("notice", &[("title", &title)], &message))
}

impl Renderer for Github {
    fn render(&self, report: &Report) -> String {
        let mut out = String::new();
        for f in report.findings {
            let _ = writeln!(out, "{}", command(report, f));
        }
        for p in report.io_problems {
            // A renderer's error runs over several lines: each is escaped, and they stay lines
            // of the annotation.
            let message = workflow::message(bound(&p.message).lines());
            let _ = writeln!(
                out,
                "{}",
                workflow::command(
                    "error",
                    &[("file", &report.ci_name(&p.path)), ("title", "lbplan")],
                    &message
                )
            );
        }
        if self.quiet {
            return out;
        }
        if let Some(notice) = notes(report.notes) {
            let _ = writeln!(out, "{notice}");
        }
        // As in human output, no "0 errors in 0 files" when nothing could be read.
        if !report.nothing_read {
            let s = report.summary;
            let line = format!("lbplan: {} in {}", s.counts(), s.inputs());
            let _ = writeln!(out, "{}", terminal::inert(&line));
        }
        out
    }
}
