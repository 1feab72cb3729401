//! `--format json`: the versioned contract of the spec. Input stays whole in JSON strings (JSON
//! escapes control characters), except that messages quote at most 200 bytes of any value
//! ([`crate::text::bound`]).

use std::borrow::Cow;

use serde::Serialize;

use crate::model::Duplicate;
use crate::model::duplicate::Place;
use crate::report::{Renderer, Report, Summary};
use crate::source::Sources;
use crate::text::bound;

pub struct Json;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
    /// Checks skipped because a cluster fact was unknown.
    notes: Vec<Cow<'a, str>>,
    /// Inputs that could not be read (exit code 2).
    errors: Vec<JsonError<'a>>,
    /// The config file used (`.lbplan.yaml` found or `--config`), or null.
    config: Option<&'a str>,
    /// The clusters of the run, and where each comes from: `config` (its `clusters:`), `argocd`
    /// or `flux` (GitOps objects), `unclaimed` (the files they do not deploy) or `default`.
    clusters: Vec<JsonOrigin<'a>>,
    /// Objects defined more than once in one cluster, with every copy (`notes` sums them up in
    /// one sentence).
    duplicates: Vec<JsonDuplicate<'a>>,
    /// Every Helm chart of the run: its release, whether it rendered, and why not (`notes` sums
    /// up those that did not in one sentence).
    charts: Vec<JsonChart<'a>>,
}

/// A chart as JSON lists it; input text bounded as in messages.
#[derive(Serialize)]
struct JsonChart<'a> {
    chart: Cow<'a, str>,
    release: Option<Cow<'a, str>>,
    namespace: Option<Cow<'a, str>>,
    cluster: Option<Cow<'a, str>>,
    values: Vec<Cow<'a, str>>,
    rendered: bool,
    objects: usize,
    reason: Option<Cow<'a, str>>,
    error: Option<Cow<'a, str>>,
    load_balancer_annotations: Option<bool>,
}

impl<'a> JsonChart<'a> {
    fn of(record: &'a crate::helm::summary::ChartRecord) -> JsonChart<'a> {
        let some = |v: &'a Option<String>| v.as_deref().map(bound);
        JsonChart {
            chart: bound(&record.chart),
            release: some(&record.release),
            namespace: some(&record.namespace),
            cluster: some(&record.cluster),
            values: record.values.iter().map(|v| bound(v)).collect(),
            rendered: record.rendered,
            objects: record.objects,
            reason: some(&record.reason),
            error: some(&record.error),
            load_balancer_annotations: record.load_balancer_annotations,
        }
    }
}

/// Places are `file:line` (the object's first line), as notes and plan assumptions write them:
/// a repository copied many times lists many, and the compact form halves the report.
#[derive(Serialize)]
struct JsonDuplicate<'a> {
    object: &'a str,
    cluster: &'a str,
    /// The copy the plan uses: the last one Kubernetes accepts.
    used: Option<JsonPlace<'a>>,
    /// Every copy, in input order, the used one included.
    definitions: Vec<JsonPlace<'a>>,
    /// The copies that are `kubectl get -o yaml` dumps of the live object (LB025).
    dumps: Vec<JsonPlace<'a>>,
    /// When the copies sit in several folders: the `clusters[].paths` that would give each
    /// folder its own cluster, with a cluster name.
    separate: Vec<JsonCluster>,
}

/// A cluster of the run and where it comes from.
#[derive(Serialize)]
struct JsonOrigin<'a> {
    name: &'a str,
    source: &'a str,
    evidence: Cow<'a, str>,
}

#[derive(Serialize)]
struct JsonCluster {
    name: String,
    paths: [String; 1],
}

/// One finding, as `lint --format json` prints it.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    code: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: Cow<'a, str>,
    help: Option<Cow<'a, str>>,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    cluster: Option<Cow<'a, str>>,
    /// The folder of a copy planned once per folder; left out for any other object.
    #[serde(skip_serializing_if = "Option::is_none")]
    placement: Option<Cow<'a, str>>,
    object: Option<Cow<'a, str>>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    object: Option<Cow<'a, str>>,
    message: Cow<'a, str>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: &'a str,
    message: Cow<'a, str>,
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
                message: bound(&f.message),
                help: f.help.as_deref().map(bound),
                file: report.file_name(f),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                cluster: f.cluster.as_deref().map(bound),
                placement: f.placement.as_deref().map(bound),
                object: f.object.as_deref().map(bound),
                related: f
                    .related
                    .iter()
                    .map(|r| {
                        let at = report.position(r.origin);
                        JsonRelated {
                            file: report.sources.name(r.origin.file),
                            line: at.line,
                            column: at.column,
                            object: r.object.as_deref().map(bound),
                            message: bound(&r.message),
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
            notes: report.notes.iter().map(|n| bound(n)).collect(),
            errors: report
                .io_problems
                .iter()
                .map(|p| JsonError {
                    file: &p.path,
                    message: bound(&p.message),
                })
                .collect(),
            config: report.config.as_deref(),
            clusters: report
                .clusters
                .iter()
                .map(|(name, source, evidence)| JsonOrigin {
                    name,
                    source,
                    evidence: bound(evidence),
                })
                .collect(),
            duplicates: report
                .duplicates
                .iter()
                .map(|d| duplicate(report, d))
                .collect(),
            charts: report.charts.iter().map(JsonChart::of).collect(),
        };
        crate::text::machine::to_json(&output)
    }
}

/// `file:line` (with the Kustomize overlay or Helm chart that rendered the copy), written straight into the
/// report.
struct JsonPlace<'a> {
    place: &'a Place,
    sources: &'a Sources,
}

impl Serialize for JsonPlace<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.place.at(self.sources))
    }
}

fn place<'a>(report: &'a Report, place: &'a Place) -> JsonPlace<'a> {
    JsonPlace {
        place,
        sources: report.sources,
    }
}

fn duplicate<'a>(report: &'a Report, d: &'a Duplicate) -> JsonDuplicate<'a> {
    JsonDuplicate {
        object: &d.object,
        cluster: &d.cluster,
        used: d.definitions.get(d.used).map(|p| place(report, p)),
        definitions: d.definitions.iter().map(|p| place(report, p)).collect(),
        dumps: d.dumps().map(|p| place(report, p)).collect(),
        separate: d
            .separate(report.sources)
            .into_iter()
            .map(|(name, path)| JsonCluster {
                name,
                paths: [path],
            })
            .collect(),
    }
}
