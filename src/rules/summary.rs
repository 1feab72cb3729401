//! The totals every report prints: the inputs read and the findings by severity. Counted where
//! findings are made (`lint`, `diff`), printed by every renderer.

use std::fmt::Write as _;

use super::{Finding, Severity};

/// Totals printed with every report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings left out because `--baseline` accepts them.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", crate::text::plural(n, one, many))
}

impl Summary {
    /// `1 error, 2 warnings, 0 infos` (`, 5 in the baseline` with `--baseline`)
    pub fn counts(&self) -> String {
        let mut counts = format!(
            "{}, {}, {}",
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings"),
            plural(self.infos, "info", "infos"),
        );
        if self.baselined > 0 {
            let _ = write!(counts, ", {} in the baseline", self.baselined);
        }
        counts
    }

    /// `3 files (5 documents, 4 objects)`
    pub fn inputs(&self) -> String {
        format!(
            "{} ({}, {})",
            plural(self.files, "file", "files"),
            plural(self.documents, "document", "documents"),
            plural(self.objects, "object", "objects"),
        )
    }

    /// Count `findings` again (after a baseline left some out).
    pub fn recount(&mut self, findings: &[Finding]) {
        (self.errors, self.warnings, self.infos) = (0, 0, 0);
        self.count(findings);
    }

    pub fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}
