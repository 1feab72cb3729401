//! What a run says about its charts: one note for every chart that was not rendered (never one
//! per chart: a repository of 124 charts gets one line), an error for each release the config or
//! a GitOps object names that did not render (exit code 2), the plan's assumptions, and each
//! chart's record for `--verbose` and JSON (its reason, helm's first error line, and whether its
//! templates or values name a load-balancer annotation).

use serde::Serialize;

use super::error::HelmError;
use super::{HelmFailure, HelmRun, Off, Outcome};
use crate::config::ClusterSetup;
use crate::source::discover::display_name;

/// Charts named in the note about charts not rendered, at most.
const NAMED: usize = 3;

/// One chart of the run, as `--verbose` and JSON list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartRecord {
    /// The chart's folder.
    pub chart: String,
    /// The release, its namespace and its cluster; `null` for a chart not rendered on its own.
    pub release: Option<String>,
    pub namespace: Option<String>,
    pub cluster: Option<String>,
    /// The values files and inline values it was given, lowest precedence first.
    pub values: Vec<String>,
    pub rendered: bool,
    /// Objects rendered (hooks included).
    pub objects: usize,
    /// Why it was not rendered.
    pub reason: Option<String>,
    /// helm's first line of error.
    pub error: Option<String>,
    /// For a chart not rendered: whether its templates or values name a load-balancer annotation.
    pub load_balancer_annotations: Option<bool>,
}

/// What the run reports about its charts.
#[derive(Debug, Default)]
pub struct Summary {
    pub notes: Vec<String>,
    pub errors: Vec<HelmError>,
    pub records: Vec<ChartRecord>,
    pub assumptions: Vec<String>,
    /// Charts not rendered (for `plan`'s "N charts were not rendered").
    pub unrendered: usize,
}

/// Summarize `run`; `skipped` are the detected charts not rendered on their own (libraries,
/// dependencies), with why.
pub fn summarize(run: &HelmRun, skipped: &[(String, String)], setups: &[ClusterSetup]) -> Summary {
    let mut summary = Summary::default();
    let cluster = |c: usize| setups.get(c).map(|s| s.facts.name.clone());
    let version = match &run.version {
        Some(Ok(v)) => v.clone(),
        Some(Err(_)) | None => "helm (version unknown)".to_string(),
    };
    if let Some(helm) = &run.helm {
        let schema = if run.skips_schema {
            "--skip-schema-validation, and no values.schema.json in the copies"
        } else {
            "no values.schema.json in the copies; this helm is older than v3.16 and validates packaged dependencies' schemas"
        };
        summary.assumptions.push(match &run.version {
            Some(Err(why)) => format!("Helm charts rendered with {helm} (version unknown: {why}); values not validated against schemas ({schema})"),
            _ => format!("Helm charts rendered with helm {version} ({helm}); values not validated against schemas ({schema})"),
        });
    }
    let mut unrendered: Vec<&Outcome> = Vec::new();
    for outcome in &run.outcomes {
        let release = &outcome.release;
        summary.notes.extend(outcome.notes.iter().cloned());
        let mut record = ChartRecord {
            chart: release.chart_name.clone(),
            release: Some(release.name.clone()),
            namespace: Some(release.namespace.clone()),
            cluster: cluster(release.cluster),
            values: release
                .values
                .iter()
                .map(|v| v.name().to_string())
                .collect(),
            rendered: false,
            objects: 0,
            reason: None,
            error: None,
            load_balancer_annotations: None,
        };
        match &outcome.result {
            Ok(rendered) => {
                record.rendered = true;
                record.objects = rendered.objects();
                summary
                    .assumptions
                    .push(rendered_assumption(outcome, &version, setups));
            }
            Err(failure) => {
                record.reason = Some(failure.reason());
                record.error = failure.stderr().first().cloned();
                record.load_balancer_annotations = Some(outcome.balancers);
                match release.source.named_by() {
                    // Asked for and not rendered: an error, unless rendering was turned off.
                    Some(named_by) if !matches!(failure, HelmFailure::Off(_)) => {
                        summary.errors.push(HelmError {
                            label: release.label(),
                            command: super::process::command_line(release),
                            named_by,
                            file: release.chart.join(super::chart::CHART_FILE),
                            failure: failure.clone(),
                        });
                    }
                    _ => unrendered.push(outcome),
                }
                summary.unrendered += 1;
            }
        }
        summary.records.push(record);
    }
    for (chart, why) in skipped {
        summary.records.push(ChartRecord {
            chart: chart.clone(),
            release: None,
            namespace: None,
            cluster: None,
            values: Vec::new(),
            rendered: false,
            objects: 0,
            reason: Some(why.clone()),
            error: None,
            load_balancer_annotations: None,
        });
    }
    summary
        .notes
        .extend(not_rendered_note(&unrendered, run.outcomes.len()));
    if summary.unrendered > 0 {
        summary.assumptions.push(format!(
            "{} of {} Helm charts not rendered: their objects are not in this plan",
            summary.unrendered,
            run.outcomes.len()
        ));
    }
    summary
}

/// What `--verbose` says about each chart.
pub fn verbose_lines(records: &[ChartRecord]) -> Vec<String> {
    records
        .iter()
        .map(|r| {
            let release = match (&r.release, &r.namespace, &r.cluster) {
                (Some(release), Some(namespace), Some(cluster)) => {
                    format!(" (release {release}, namespace {namespace}, cluster {cluster})")
                }
                _ => String::new(),
            };
            let outcome = if r.rendered {
                format!(
                    "rendered, {} object{}",
                    r.objects,
                    if r.objects == 1 { "" } else { "s" }
                )
            } else {
                let reason = r.reason.as_deref().unwrap_or("unknown");
                let error = r
                    .error
                    .as_ref()
                    .map_or_else(String::new, |e| format!(": {e}"));
                let balancers = if r.load_balancer_annotations == Some(true) {
                    "; holds load-balancer annotations"
                } else {
                    ""
                };
                format!("not rendered: {reason}{error}{balancers}")
            };
            format!("helm: {}{release}: {outcome}", r.chart)
        })
        .collect()
}

/// The one note for the charts that were not rendered (and are no error of the run).
fn not_rendered_note(unrendered: &[&Outcome], total: usize) -> Option<String> {
    let first = unrendered.first()?;
    let count = unrendered.len();
    let charts = |n: usize| {
        if n == 1 {
            "1 Helm chart".to_string()
        } else {
            format!("{n} Helm charts")
        }
    };
    let head = match &first.result {
        Err(HelmFailure::Off(off)) => format!(
            "{} not rendered ({}): {} not linted",
            charts(count),
            off.words(),
            if count == 1 {
                "its templates are"
            } else {
                "their templates are"
            }
        ),
        Err(HelmFailure::NotFound(why)) if why.starts_with("`helm` not found") => format!(
            "{} not rendered: helm not found (install helm, or --no-render)",
            charts(count)
        ),
        Err(HelmFailure::NotFound(why)) => format!("{} not rendered: {why}", charts(count)),
        _ => format!(
            "{count} of {} failed with their default values and {} not linted (--verbose or --format json says why; name a chart in clusters[].helm with the values it is deployed with)",
            charts(total),
            if count == 1 { "is" } else { "are" }
        ),
    };
    let holding: Vec<&str> = unrendered
        .iter()
        .filter(|o| o.balancers)
        .map(|o| o.release.chart_name.as_str())
        .collect();
    let balancers = match holding.len() {
        0 => String::new(),
        n => format!(
            "; {n} of them {} load-balancer annotations ({}{})",
            if n == 1 { "holds" } else { "hold" },
            holding
                .iter()
                .take(NAMED)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            if n > NAMED { ", ..." } else { "" }
        ),
    };
    Some(format!("{head}{balancers}"))
}

/// The plan's assumption for a rendered release: chart, cluster, release, values, helm and Kubernetes
/// versions, and what it rendered.
fn rendered_assumption(outcome: &Outcome, version: &str, setups: &[ClusterSetup]) -> String {
    let release = &outcome.release;
    let Ok(rendered) = &outcome.result else {
        return String::new();
    };
    let mut values: Vec<String> = Vec::new();
    if release.chart.join("values.yaml").is_file() {
        values.push(display_name(
            &std::path::Path::new(&release.chart_name).join("values.yaml"),
        ));
    }
    values.extend(release.values.iter().map(|v| v.name().to_string()));
    let values = if values.is_empty() {
        "no values files".to_string()
    } else {
        format!("values {}", values.join(", "))
    };
    let cluster = setups.get(release.cluster);
    let kube = match cluster.and_then(|s| s.facts.version.as_ref()) {
        Some(_) => release.kube_version.clone(),
        None => format!(
            "{}, the default for a cluster of unknown version",
            release.kube_version
        ),
    };
    let cluster = cluster
        .filter(|_| setups.len() > 1)
        .map_or_else(String::new, |s| format!(" for cluster {}", s.facts.name));
    let hooks = match rendered.hooks() {
        0 => String::new(),
        1 => ", 1 of them a hook (not planned)".to_string(),
        n => format!(", {n} of them hooks (not planned)"),
    };
    format!(
        "{}{cluster} rendered as release {} in namespace {} with {values} (helm {version}, --kube-version {kube}): {} objects{hooks}",
        format_args!("Helm chart {}", release.chart_name),
        release.name,
        release.namespace,
        rendered.objects()
    )
}

impl Off {
    /// Whether charts are off for this run (for callers that build the settings).
    pub fn from_flags(no_render: bool, config_off: bool) -> Option<Off> {
        if no_render {
            Some(Off::Flag)
        } else if config_off {
            Some(Off::Config)
        } else {
            None
        }
    }
}
