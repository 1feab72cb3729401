//! `--format junit`: JUnit XML for CI test viewers (GitLab, Jenkins, Azure). One test case per
//! finding, named by rule and place; findings at or above `--fail-on` are failures, the others pass
//! with the finding as output; unreadable inputs are errors. A clean run is one passing case.

use std::fmt::Write as _;

use super::{Renderer, Report};
use crate::rules::Severity;

pub struct Junit {
    /// Findings at or above this severity are failures; `None` (`--fail-on never`) fails none.
    pub fail_at: Option<Severity>,
}

/// Escape text for XML, dropping characters XML 1.0 cannot hold.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

impl Renderer for Junit {
    fn render(&self, report: &Report) -> String {
        let mut cases = Vec::new();
        let mut failures = 0;
        for f in report.findings {
            let at = report.position(f.origin);
            let file = report.file_name(f);
            let name = format!("{} {}: {}:{}:{}", f.code, f.rule, file, at.line, at.column);
            let mut body = format!(
                "{}: {}\n{file}:{}:{}",
                f.severity, f.message, at.line, at.column
            );
            if let Some(object) = &f.object {
                let _ = write!(body, " ({object})");
            }
            for line in report.details(f) {
                body.push('\n');
                body.push_str(&line);
            }
            let fails = self.fail_at.is_some_and(|s| f.severity >= s);
            let inner = if fails {
                failures += 1;
                format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    f.code,
                    xml(&f.message),
                    xml(&body)
                )
            } else {
                format!("      <system-out>{}</system-out>\n", xml(&body))
            };
            cases.push(format!(
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n{inner}    </testcase>\n",
                xml(&name),
                xml(file),
                xml(file),
                at.line
            ));
        }
        let errors = report.io_problems.len();
        for p in report.io_problems {
            cases.push(format!(
                "    <testcase name=\"read {}\" classname=\"{}\">\n      <error type=\"io\" message=\"{}\"/>\n    </testcase>\n",
                xml(&p.path),
                xml(&p.path),
                xml(&p.message)
            ));
        }
        if cases.is_empty() {
            cases.push("    <testcase name=\"no findings\" classname=\"lbplan\"/>\n".into());
        }
        let tests = cases.len();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"lbplan\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"lbplan lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">"
        );
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
    fn xml_escapes_and_drops_control_characters() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
