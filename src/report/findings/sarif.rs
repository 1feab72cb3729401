//! `--format sarif`: SARIF 2.1.0 for code-scanning uploads. Every result has a real region (start
//! and end line and column), the rule's metadata with its full documentation as help, and the
//! other side of a conflict as a related location. File URIs are relative to the repository root
//! ([`crate::report::root`]), under the base `%SRCROOT%` that `originalUriBaseIds` defines, so that a run
//! from a subfolder uploads paths code scanning finds in the checkout.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::report::{Renderer, Report};
use crate::rules::{Finding, RULES, Severity};
use crate::source::Origin;
use crate::text::{Truncated, bound};

pub struct Sarif;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file name as a URI reference: relative paths stay relative (resolved against the checkout by
/// code-scanning tools), absolute ones become `file://` URIs; reserved characters are escaped.
pub fn uri(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    if name.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// The base every relative URI is resolved against: the repository root.
const SRCROOT: &str = "%SRCROOT%";

/// An artifact location: a URI relative to the root with `uriBaseId`, or, for a file outside the
/// root (or a report without one), the name as a URI reference.
fn artifact(report: &Report, name: &str) -> Value {
    match report.rooted(name) {
        Some(relative) => json!({"uri": uri(&relative), "uriBaseId": SRCROOT}),
        None => json!({"uri": uri(name)}),
    }
}

/// `originalUriBaseIds`: where `%SRCROOT%` is (a `file://` URI ending in `/`) and which folder
/// it is.
fn base_ids(report: &Report) -> Value {
    let Some(root) = report.root else {
        return Value::Null;
    };
    let mut dir = uri(&root.dir.to_string_lossy());
    if !dir.ends_with('/') {
        dir.push('/');
    }
    json!({SRCROOT: {
        "uri": dir,
        "description": {"text": format!("the repository root: {}", root.describe())},
    }})
}

impl Sarif {
    fn region(report: &Report, origin: Origin) -> Value {
        let start = report.position(origin);
        let end = report
            .sources
            .get(origin.file)
            .map_or(start, |f| f.line_col(origin.span.end));
        // An empty span (a parse error's position) still marks one character.
        let end_column = if end == start {
            start.column + 1
        } else {
            end.column
        };
        json!({
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            "endColumn": end_column,
        })
    }

    fn physical(report: &Report, origin: Origin) -> Value {
        json!({
            "artifactLocation": artifact(report, report.sources.name(origin.file)),
            "region": Self::region(report, origin),
        })
    }

    /// A location: physical (file and region) where the source is a file; for standard input
    /// under a name that is no file, its place in words, with no file named.
    fn locate(report: &Report, origin: Origin, location: &mut Map<String, Value>) {
        if report.is_file_path(origin) {
            location.insert("physicalLocation".into(), Self::physical(report, origin));
        } else {
            location.insert(
                "message".into(),
                json!({"text": format!("standard input, {}", report.place(origin))}),
            );
        }
    }

    fn result(report: &Report, finding: &Finding) -> Value {
        let mut text = bound(&finding.message).into_owned();
        if let Some(help) = &finding.help {
            let _ = write!(text, "\nhelp: {}", bound(help));
        }
        let mut location = Map::new();
        Self::locate(report, finding.origin, &mut location);
        if let Some(object) = &finding.object {
            location.insert(
                "logicalLocations".into(),
                json!([{"fullyQualifiedName": bound(object), "kind": "object"}]),
            );
        }
        let at = report.position(finding.origin);
        let mut result = Map::new();
        result.insert("ruleId".into(), json!(finding.code));
        if let Some(index) = RULES.iter().position(|r| r.meta().code == finding.code) {
            result.insert("ruleIndex".into(), json!(index));
        }
        result.insert("level".into(), json!(level(finding.severity)));
        result.insert("message".into(), json!({"text": text}));
        result.insert("locations".into(), json!([location]));
        // Stable across runs and unrelated edits elsewhere in the file; a line or a name over
        // 200 bytes is cut (with its length), as messages cut the values they quote.
        let line = report
            .sources
            .get(finding.origin.file)
            .map_or("", |f| f.line_text(at.line).trim());
        let subject = finding
            .object
            .as_deref()
            .unwrap_or(report.file_name(finding));
        result.insert(
            "partialFingerprints".into(),
            json!({"lbplan/v1": format!("{}:{}:{}", finding.code, Truncated(subject), Truncated(line))}),
        );
        if !finding.related.is_empty() {
            let related: Vec<Value> = finding
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut message = match &r.object {
                        Some(object) => format!("{}: {}", bound(object), bound(&r.message)),
                        None => bound(&r.message).into_owned(),
                    };
                    let mut related = Map::new();
                    related.insert("id".into(), json!(i + 1));
                    if report.is_file_path(r.origin) {
                        related.insert("physicalLocation".into(), Self::physical(report, r.origin));
                    } else {
                        message = format!("{message} (standard input, {})", report.place(r.origin));
                    }
                    related.insert("message".into(), json!({"text": message}));
                    Value::Object(related)
                })
                .collect();
            result.insert("relatedLocations".into(), json!(related));
        }
        if let Some(cluster) = &finding.cluster {
            result.insert("properties".into(), json!({"cluster": bound(cluster)}));
        }
        Value::Object(result)
    }
}

impl Renderer for Sarif {
    fn render(&self, report: &Report) -> String {
        let rules: Vec<Value> = RULES
            .iter()
            .map(|r| {
                let m = r.meta();
                let doc = m.doc();
                let mut rule = json!({
                    "id": m.code,
                    "name": m.name,
                    "shortDescription": {"text": m.summary()},
                    "fullDescription": {"text": m.section("What it does").unwrap_or_default()},
                    "help": {"text": doc, "markdown": doc},
                    "defaultConfiguration": {"level": level(m.severity)},
                    "properties": {"provider": m.scope.as_str(), "tags": [m.scope.as_str()]},
                });
                // The rule's page, only where the build knows its published address.
                if let (Some(url), Some(fields)) =
                    (crate::rules::catalog::rule_url(m), rule.as_object_mut())
                {
                    fields.insert("helpUri".into(), url.into());
                }
                rule
            })
            .collect();
        let results: Vec<Value> = report
            .findings
            .iter()
            .map(|f| Self::result(report, f))
            .collect();
        let notifications: Vec<Value> = report
            .io_problems
            .iter()
            .map(|p| {
                json!({
                    "level": "error",
                    "message": {"text": format!("{}: {}", p.path, bound(&p.message))},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact(report, &p.path)}}],
                })
            })
            .chain(
                report
                    .notes
                    .iter()
                    .map(|n| json!({"level": "note", "message": {"text": bound(n)}})),
            )
            .collect();
        let mut run = json!({
            "tool": {"driver": {
                "name": "lbplan",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,

            }},
            "invocations": [{
                "executionSuccessful": report.io_problems.is_empty(),
                "toolExecutionNotifications": notifications,
                // The config file used, so that a run's rules can be traced to it.
                "properties": {"config": report.config},
            }],
        });
        let bases = base_ids(report);
        if let (Value::Object(run), false) = (&mut run, bases.is_null()) {
            run.insert("originalUriBaseIds".into(), bases);
        }
        if let Value::Object(run) = &mut run {
            run.insert("columnKind".into(), json!("unicodeCodePoints"));
            run.insert("results".into(), json!(results));
        }
        let sarif = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [run],
        });
        crate::text::machine::to_json(&sarif)
    }
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_escaped_references() {
        assert_eq!(uri("manifests/a b.yaml"), "manifests/a%20b.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("/tmp/x.yaml"), "file:///tmp/x.yaml");
        assert_eq!(uri("clusters/é.yaml"), "clusters/%C3%A9.yaml");
    }
}
