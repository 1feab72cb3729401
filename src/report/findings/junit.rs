//! `--format junit`: JUnit XML for CI test viewers (GitLab, Jenkins, Azure). One test case per
//! finding, named by rule and place (the file from the repository root, [`crate::report::root`]); findings
//! at or above `--fail-on` are failures, the others pass with the finding as output; unreadable
//! inputs are errors; each note is a skipped case (what lbplan could not check), so viewers show
//! it. A clean run is one passing case. The suite's properties say where paths start.

use std::fmt::Write as _;

use crate::report::{Renderer, Report};
use crate::rules::Severity;
use crate::text::terminal::clean;

pub struct Junit {
    /// Findings at or above this severity are failures; `None` (`--fail-on never`) fails none.
    pub fail_at: Option<Severity>,
}

/// Text holding input for XML: bounded and escaped as a value (so that its control characters
/// show), then as XML ([`crate::text::machine::xml`]).
fn xml(text: &str) -> String {
    crate::text::machine::xml(&clean(text))
}

impl Renderer for Junit {
    fn render(&self, report: &Report) -> String {
        let mut cases = Vec::new();
        let mut failures = 0;
        for f in report.findings {
            let at = report.position(f.origin);
            let file = xml(&report.ci_path(f.origin.file));
            let name = format!("{} {}: {file}:{}:{}", f.code, f.rule, at.line, at.column);
            // lbplan's lines, each value in them escaped: no input starts a line of the file.
            let mut body = format!(
                "{}: {}\n{file}:{}:{}",
                f.severity,
                xml(&f.message),
                at.line,
                at.column
            );
            if let Some(object) = &f.object {
                let _ = write!(body, " ({})", xml(object));
            }
            for line in report.details(f) {
                body.push('\n');
                body.push_str(&xml(&line));
            }
            let fails = self.fail_at.is_some_and(|s| f.severity >= s);
            let inner = if fails {
                failures += 1;
                format!(
                    "      <failure type=\"{}\" message=\"{}\">{body}</failure>\n",
                    f.code,
                    xml(&f.message),
                )
            } else {
                format!("      <system-out>{body}</system-out>\n")
            };
            cases.push(format!(
                "    <testcase name=\"{name}\" classname=\"{file}\" file=\"{file}\" line=\"{}\">\n{inner}    </testcase>\n",
                at.line
            ));
        }
        let errors = report.io_problems.len();
        for p in report.io_problems {
            let path = xml(&report.ci_name(&p.path));
            cases.push(format!(
                "    <testcase name=\"read {path}\" classname=\"{path}\">\n      <error type=\"io\" message=\"{}\"/>\n    </testcase>\n",
                xml(&p.message)
            ));
        }
        if cases.is_empty() {
            cases.push("    <testcase name=\"no findings\" classname=\"lbplan\"/>\n".into());
        }
        let skipped = report.notes.len();
        for note in report.notes {
            let note = xml(note);
            cases.push(format!(
                "    <testcase name=\"note: {note}\" classname=\"lbplan.notes\">\n      <skipped message=\"{note}\"/>\n    </testcase>\n"
            ));
        }
        let tests = cases.len();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"lbplan\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"lbplan lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
        );
        if let Some(root) = report.root {
            let _ = writeln!(
                out,
                "    <properties>\n      <property name=\"paths\" value=\"relative to {}\"/>\n    </properties>",
                root.describe()
            );
        }
        for case in cases {
            out.push_str(&case);
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_escapes_markup_and_shows_control_characters() {
        assert_eq!(
            xml("a<b & \"c\"\u{1}\n::x ##[y"),
            "a&lt;b &amp; &quot;c&quot;\\u{1}\\u{a}:&#58;x #\\u{23}[y"
        );
    }
}
