//! `--format json`: the versioned contract of the spec.

use serde::Serialize;

use super::{Renderer, Report, Summary};

pub struct Json;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
    /// Checks skipped because a cluster fact was unknown.
    notes: &'a [String],
    /// Inputs that could not be read (exit code 2).
    errors: Vec<JsonError<'a>>,
    /// The config file used (`.lbplan.yaml` found or `--config`), or null.
    config: Option<&'a str>,
}

/// One finding, as `lint --format json` prints it.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    code: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    cluster: Option<&'a str>,
    object: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    object: Option<&'a str>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: &'a str,
    message: &'a str,
}

/// The report's findings, as `lint --format json` prints them.
pub fn findings<'a>(report: &'a Report) -> Vec<JsonFinding<'a>> {
    report
        .findings
        .iter()
        .map(|f| {
            let start = report.position(f.origin);
            let end = report
                .sources
                .get(f.origin.file)
                .map_or(start, |file| file.line_col(f.origin.span.end));
            JsonFinding {
                code: f.code,
                rule: f.rule,
                severity: f.severity.as_str(),
                message: &f.message,
                help: f.help.as_deref(),
                file: report.file_name(f),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                cluster: f.cluster.as_deref(),
                object: f.object.as_deref(),
                related: f
                    .related
                    .iter()
                    .map(|r| {
                        let at = report.position(r.origin);
                        JsonRelated {
                            file: report.sources.name(r.origin.file),
                            line: at.line,
                            column: at.column,
                            object: r.object.as_deref(),
                            message: &r.message,
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

impl Renderer for Json {
    fn render(&self, report: &Report) -> String {
        let findings = findings(report);
        let output = Output {
            version: 1,
            findings,
            summary: report.summary,
            notes: report.notes,
            errors: report
                .io_problems
                .iter()
                .map(|p| JsonError {
                    file: &p.path,
                    message: &p.message,
                })
                .collect(),
            config: report.config.as_deref(),
        };
        crate::plan::render::to_json(&output)
    }
}
