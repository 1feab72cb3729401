//! Whether a report is complete, and what its headline says when it is not: every format leads
//! with "Incomplete" and its causes, each with what it does to the exit code, and never says
//! "no change" then (a reviewer who reads "no change" stops reading).

use crate::diff::Report;
use crate::diff::unchecked::{SourceKind, Untouched};
use crate::text::plural;

/// At most this many changed files are named per source; more are counted.
const NAMED_FILES: usize = 5;

impl Report<'_> {
    /// Whether everything the change touches was read, rendered and planned: no error, no
    /// document that could not be read, no file not checked.
    pub fn complete(&self) -> bool {
        self.errors.is_empty() && self.incomplete.is_empty() && self.unchecked.is_empty()
    }

    /// Why the report is incomplete, shortest first: `3 files not checked`, `1 error (exit code
    /// 2)`, `documents of the head could not be read (exit code 1)`. Empty when complete.
    pub fn gaps(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        let files = self.unchecked.files();
        if files > 0 {
            gaps.push(format!(
                "{files} {} not checked",
                plural(files, "file", "files")
            ));
        }
        let errors = self.errors.len();
        if errors > 0 {
            gaps.push(format!(
                "{errors} {} reading a side (exit code 2)",
                plural(errors, "error", "errors")
            ));
        }
        for side in &self.incomplete {
            gaps.push(format!(
                "documents of the {} could not be read (exit code 1)",
                side.as_str()
            ));
        }
        gaps
    }

    /// `Incomplete: 3 files not checked, 1 error reading a side (exit code 2)`, or `None` when
    /// the report is complete.
    pub fn incomplete_line(&self) -> Option<String> {
        (!self.complete()).then(|| format!("Incomplete: {}", self.gaps().join(", ")))
    }

    /// `lbplan diff (main@f845f84 → working folder): Incomplete: ...; 1 load balancer affected:
    /// ...; 1 error, ...`: the run in one line, for logs (input not escaped: the caller escapes
    /// for its output).
    pub fn summary_line(&self) -> String {
        let incomplete = self
            .incomplete_line()
            .map(|line| format!("{line}; "))
            .unwrap_or_default();
        format!(
            "lbplan diff ({}): {incomplete}{}; {}",
            self.sides_line(),
            self.changes_line(),
            self.findings_line()
        )
    }

    /// What was not checked, one line per source and one for the files that could not be read:
    /// `Helm chart charts/web (not rendered: ...): 3 changed files: charts/web/Chart.yaml, ...`.
    /// Input (names, paths) is given to `show` to escape for the format.
    pub fn unchecked_lines(&self, show: &dyn Fn(&str) -> String) -> Vec<String> {
        let mut lines: Vec<String> = self
            .unchecked
            .sources
            .iter()
            .map(|s| source_line(s, show))
            .collect();
        let unread = &self.unchecked.unread;
        if !unread.is_empty() {
            lines.push(format!(
                "{} {} could not be read: {}",
                unread.len(),
                plural(
                    unread.len(),
                    "file met in folder walks",
                    "files met in folder walks"
                ),
                named(unread, show)
            ));
        }
        lines
    }
}

/// `a, b, c and 2 more`.
fn named(files: &[String], show: &dyn Fn(&str) -> String) -> String {
    let shown: Vec<String> = files.iter().take(NAMED_FILES).map(|f| show(f)).collect();
    let more = files.len().saturating_sub(NAMED_FILES);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn source_line(s: &Untouched, show: &dyn Fn(&str) -> String) -> String {
    let n = s.changed.len();
    if s.kind == SourceKind::NoCluster {
        return format!(
            "{n} changed {} {}: {}",
            plural(n, "file", "files"),
            s.why.describe(),
            named(&s.changed, show)
        );
    }
    format!(
        "{} {} ({}): {n} changed {}: {}",
        s.kind.noun(),
        show(&s.name),
        s.why.describe(),
        plural(n, "file", "files"),
        named(&s.changed, show)
    )
}
