//! Flux `HelmRelease`s: a chart from a `GitRepository` or `Bucket` (`chart.spec.chart` from the
//! source's root); `chart.spec.valuesFiles` from the source's root (they replace the chart's
//! `values.yaml`); `valuesFrom` ConfigMaps found here, in order (a `targetPath` as `--set`), then
//! `values`; the namespace `targetNamespace`, else the HelmRelease's; the release `releaseName`,
//! else `[targetNamespace-]name` (over 53 characters: its first 40, `-`, and 12 hexadecimal digits
//! of its SHA-256).

use serde_json::Value;

use super::{Visit, config_map, git_url, remote};
use crate::config::{OriginKind, ReleaseSetup, SourceSetup};
use crate::gitops::scan::Doc;
use crate::gitops::{Deployment, Local, Reading};

/// Read a HelmRelease visited in `visit`'s cluster.
pub(super) fn helm_release(r: &mut Reading, doc: &Doc, value: &Value, visit: &Visit) {
    let by = doc.label();
    let (cluster, evidence) =
        remote(doc, value).unwrap_or_else(|| (visit.cluster.clone(), visit.evidence.clone()));
    let spec = value.pointer("/spec/chart/spec");
    let source_kind = spec
        .and_then(|s| s.pointer("/sourceRef/kind"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let chart = spec
        .and_then(|s| s.get("chart"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let chart_ref = value.pointer("/spec/chartRef");
    // A HelmRelease that names no chart is a fragment (a Kustomize patch over one, as Flux's
    // example keeps per cluster), not a release of its own.
    if chart.is_empty() && chart_ref.is_none() {
        return;
    }
    if let Some(chart_ref) = chart_ref {
        let field = |key: &str| chart_ref.get(key).and_then(Value::as_str).unwrap_or("");
        r.note(format!(
            "{by}: its chart ({} {}, spec.chartRef) comes from outside this repository: not rendered",
            field("kind"),
            field("name")
        ));
        return;
    }
    if !matches!(source_kind, "GitRepository" | "Bucket") {
        let from = if source_kind.is_empty() {
            String::new()
        } else {
            format!(" (a {source_kind})")
        };
        r.note(format!(
            "{by}: its chart {chart} comes from outside this repository{from}: not rendered"
        ));
        return;
    }
    let chart_folder = match r.local(chart) {
        Local::Folder(rel, shown) if shown.join("Chart.yaml").is_file() => {
            if let Some(url) = spec.and_then(|s| git_url(r, doc, &serde_json::json!({"spec": s}))) {
                r.here(&url);
            }
            let _ = rel;
            shown
        }
        Local::Outside(why) => {
            r.note(format!("{by}: chart refused: {why}"));
            return;
        }
        _ => {
            r.note(format!(
                "{by}: its chart {chart} is not a chart folder of this repository: not rendered"
            ));
            return;
        }
    };
    let name = doc.name();
    let own_namespace = value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let target = value
        .pointer("/spec/targetNamespace")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let namespace = target.or(own_namespace).unwrap_or("default").to_string();
    let release = match value.pointer("/spec/releaseName").and_then(Value::as_str) {
        Some(given) if !given.is_empty() => given.to_string(),
        _ => release_name(target, name),
    };
    let Some((values, inline, set)) = helm_values(r, doc, value, own_namespace) else {
        return;
    };
    r.deploy(Deployment {
        cluster,
        origin: OriginKind::Flux,
        evidence,
        source: SourceSetup {
            path: chart_folder.clone(),
            namespace: Some(namespace.clone()),
            by: Some(by),
            release: Some(ReleaseSetup {
                chart: chart_folder,
                name: release,
                namespace,
                replaces_chart_values: !values.is_empty(),
                values,
                inline,
                set,
                set_string: Vec::new(),
            }),
            ..SourceSetup::default()
        },
    });
}

/// A HelmRelease's values, in Flux's order: the values files (from the source's root), then
/// `valuesFrom` (a `targetPath` as `--set`), then `values`. `None` (with a note) when Flux fails
/// the release.
fn helm_values(
    r: &mut Reading,
    doc: &Doc,
    value: &Value,
    own_namespace: Option<&str>,
) -> Option<ValuesOf> {
    let by = doc.label();
    let mut values = Vec::new();
    let files = value
        .pointer("/spec/chart/spec/valuesFiles")
        .and_then(Value::as_array);
    for file in files.into_iter().flatten().filter_map(Value::as_str) {
        if let Local::File(_, shown) = r.local(file) {
            values.push(shown);
        } else {
            r.note(format!(
                "{by}: its values file {file} is not in this repository, and Flux fails the release: not rendered"
            ));
            return None;
        }
    }
    let (mut inline, mut set) = (Vec::new(), Vec::new());
    let from = value.pointer("/spec/valuesFrom").and_then(Value::as_array);
    for from in from.into_iter().flatten() {
        let kind = from.get("kind").and_then(Value::as_str).unwrap_or("");
        let ref_name = from.get("name").and_then(Value::as_str).unwrap_or("");
        let key = from
            .get("valuesKey")
            .and_then(Value::as_str)
            .unwrap_or("values.yaml");
        let optional = from.get("optional").and_then(Value::as_bool) == Some(true);
        let data = (kind == "ConfigMap")
            .then(|| config_map(r, ref_name, Some(own_namespace.unwrap_or("default"))))
            .flatten();
        let target = from.get("targetPath").and_then(Value::as_str);
        match (data.and_then(|d| d.get(key).cloned()), target) {
            (Some(text), Some(path)) if !path.is_empty() => set.push((path.to_string(), text)),
            (Some(text), _) => inline.push(text),
            (None, _) if optional => {}
            (None, _) => r.note(format!(
                "{by}: valuesFrom {kind} {ref_name} (key {key}) is not in this repository: its values are not used"
            )),
        }
    }
    if let Some(values @ Value::Object(_)) = value.pointer("/spec/values") {
        inline.push(serde_yaml::to_string(values).unwrap_or_default());
    }
    Some((values, inline, set))
}

/// Values files, inline values, `--set` pairs.
type ValuesOf = (Vec<std::path::PathBuf>, Vec<String>, Vec<(String, String)>);

/// Flux's default release name: `[targetNamespace-]name`, shortened past 53 characters.
fn release_name(target: Option<&str>, name: &str) -> String {
    let full = match target {
        Some(target) => format!("{target}-{name}"),
        None => name.to_string(),
    };
    if full.len() <= 53 {
        return full;
    }
    let hash = crate::gitops::digest::sha256_hex(full.as_bytes());
    format!(
        "{}-{}",
        full.get(..40).unwrap_or(&full),
        hash.get(..12).unwrap_or(&hash)
    )
}

#[cfg(test)]
mod tests {
    use super::release_name;

    #[test]
    fn release_names_are_flux_s() {
        assert_eq!(release_name(None, "web"), "web");
        assert_eq!(release_name(Some("prod"), "web"), "prod-web");
        let long = "a".repeat(60);
        let name = release_name(None, &long);
        assert_eq!(name.len(), 53);
        assert!(name.starts_with(&"a".repeat(40)));
    }
}
