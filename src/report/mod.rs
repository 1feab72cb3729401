//! Lint reports: one renderer per output format behind [`Renderer`].

pub mod diff;
pub mod findings;
pub mod plan;
pub mod root;

use std::borrow::Cow;

use crate::model::Duplicate;
use crate::rules::Finding;
pub use crate::rules::Summary;
use crate::source::discover::IoProblem;
use crate::source::{FileId, LineCol, Origin, Sources};

/// How text for a terminal (or a log) is drawn: colour, the width it wraps at, and `--quiet`
/// (the findings alone, without notes and summary line).
#[derive(Debug, Clone, Copy)]
pub struct TerminalOutput {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
}

/// Everything a renderer needs.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub sources: &'a Sources,
    pub summary: Summary,
    /// Checks skipped for want of a cluster fact.
    pub notes: &'a [String],
    pub io_problems: &'a [IoProblem],
    /// Objects defined more than once in one cluster (one note sums them up; JSON lists them).
    pub duplicates: &'a [Duplicate],
    /// The config file used, as reports name it.
    pub config: Option<String>,
    /// The clusters of the run: (name, where it comes from, what shows it).
    pub clusters: &'a [(String, &'static str, String)],
    /// Standard input, when findings can point into it and `--stdin-name` is not the path of a
    /// file: formats that locate findings by file path (GitHub workflow commands, SARIF physical
    /// locations) then do not name it as one.
    pub stdin_not_a_file: Option<FileId>,
    /// No file could be read and the run ends with exit code 2 (a missing path, empty standard
    /// input, no manifests): human output and GitHub commands leave out their summary line, since
    /// "0 errors in 0 files" before the error would read as a clean run.
    pub nothing_read: bool,
    /// The repository root that CI formats (GitHub, SARIF, JUnit) name files from; `None`: as
    /// the run names them.
    pub root: Option<&'a root::Root>,
    /// Every Helm chart of the run, rendered or not (JSON lists them).
    pub charts: &'a [crate::helm::summary::ChartRecord],
}

impl<'a> Report<'a> {
    /// A report of `findings` alone, for drawing them (as `lbplan diff` does with each side's):
    /// no notes, problems, duplicates or summary.
    pub fn of_findings(findings: &'a [Finding], sources: &'a Sources) -> Report<'a> {
        Report {
            findings,
            sources,
            summary: Summary::default(),
            notes: &[],
            io_problems: &[],
            duplicates: &[],
            config: None,
            clusters: &[],
            stdin_not_a_file: None,
            nothing_read: false,
            root: None,
            charts: &[],
        }
    }

    /// A file's name as CI formats give it: from the repository root ([`Report::ci_name`]).
    pub fn ci_path(&self, file: FileId) -> Cow<'_, str> {
        self.ci_name(self.sources.name(file))
    }

    /// A name as the run gives it, from the repository root where the report has one and the
    /// name is a file under it; else as given (standard input, a file outside the repository, a
    /// revision's `abc1234:path` in `lbplan diff`).
    pub fn ci_name<'n>(&self, name: &'n str) -> Cow<'n, str> {
        match self.rooted(name) {
            Some(path) => Cow::Owned(path),
            None => Cow::Borrowed(name),
        }
    }

    /// `name` relative to the repository root, when the report has one and `name` (from the
    /// working folder) is there on disk and under the root.
    pub fn rooted(&self, name: &str) -> Option<String> {
        let root = self.root?;
        std::path::Path::new(name)
            .symlink_metadata()
            .ok()
            .and_then(|_| root.relative(name))
    }

    pub fn file_name(&self, finding: &Finding) -> &str {
        self.sources.name(finding.origin.file)
    }

    pub fn position(&self, origin: Origin) -> LineCol {
        self.sources.line_col(origin)
    }

    /// Whether reports may name the origin's source as a file path: every input but standard
    /// input whose `--stdin-name` is no file.
    pub fn is_file_path(&self, origin: Origin) -> bool {
        self.stdin_not_a_file != Some(origin.file)
    }

    /// `name:line:column`, for formats that must say where a finding is in words (the name from
    /// the repository root where the report has one).
    pub fn place(&self, origin: Origin) -> String {
        let at = self.position(origin);
        format!("{}:{}:{}", self.ci_path(origin.file), at.line, at.column)
    }

    /// The lines that follow a finding's message in plain-text formats: `help: ...`, then one
    /// `related: FILE:LINE:COL: message` per related location (FILE as [`Report::ci_path`]).
    pub fn details(&self, finding: &Finding) -> Vec<String> {
        let help = finding.help.iter().map(|h| format!("help: {h}"));
        let related = finding.related.iter().map(|r| {
            let at = self.position(r.origin);
            format!(
                "related: {}:{}:{}: {}",
                self.ci_path(r.origin.file),
                at.line,
                at.column,
                r.message
            )
        });
        help.chain(related).collect()
    }
}

pub trait Renderer {
    fn render(&self, report: &Report) -> String;
}
