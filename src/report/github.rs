//! `--format github`: GitHub Actions workflow commands, one per finding, which GitHub shows as
//! annotations on the pull request's diff: `::error file=F,line=L,col=C,title=CODE rule::message`.

use std::fmt::Write as _;

use super::{Renderer, Report};
use crate::rules::{Finding, Severity};

pub struct Github;

/// Escape a message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: also `:` and `,`, which delimit properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow command of one finding: `::error file=F,line=L,...::message`.
pub fn command(report: &Report, f: &Finding) -> String {
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let start = report.position(f.origin);
    let end = report
        .sources
        .get(f.origin.file)
        .map_or(start, |file| file.line_col(f.origin.span.end));
    let mut message = f.message.clone();
    for line in report.details(f) {
        message.push('\n');
        message.push_str(&line);
    }
    let title = escape_property(&format!("{} {}", f.code, f.rule));
    if !report.is_file_path(f.origin) {
        // Standard input under a name that is no file: GitHub would annotate a file that does
        // not exist, so the place goes into the message.
        let place = escape_data(&format!("{}: {message}", report.place(f.origin)));
        return format!("::{command} title={title}::{place}");
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={title}::{}",
        escape_property(report.file_name(f)),
        start.line,
        start.column,
        end.line,
        end.column.max(start.column),
        escape_data(&message),
    )
}

impl Renderer for Github {
    fn render(&self, report: &Report) -> String {
        let mut out = String::new();
        for f in report.findings {
            let _ = writeln!(out, "{}", command(report, f));
        }
        for p in report.io_problems {
            let _ = writeln!(
                out,
                "::error file={},title=lbplan::{}",
                escape_property(&p.path),
                escape_data(&p.message)
            );
        }
        // As in human output, no "0 errors in 0 files" when nothing could be read.
        if !report.nothing_read {
            let s = report.summary;
            let _ = writeln!(out, "lbplan: {} in {}", s.counts(), s.inputs());
        }
        // Messages carry annotation values: no control character reaches the log raw (CR and LF
        // inside a message were escaped above).
        crate::source::escape_controls(&out).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a,b:c"), "a%2Cb%3Ac");
    }
}
