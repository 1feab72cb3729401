//! Flux `Kustomization`s and `HelmRelease`s: what each deploys, and in which cluster
//! (`fluxcd/kustomize-controller` and `helm-controller` specs).
//!
//! Flux runs in a cluster and applies what its Kustomizations build there (or, with
//! `spec.kubeConfig`, in the remote cluster that kubeconfig names). Which cluster that is, the
//! repository says by its layout: `flux bootstrap --path=clusters/staging` commits the
//! bootstrap Kustomization to `clusters/staging/flux-system/`, and that Kustomization applies the
//! folder `clusters/staging`. So an object no Kustomization of the repository deploys is in the
//! cluster named by its folder (without a last `flux-system`; `default` at the root), and an
//! object a Kustomization deploys (its file is among what that Kustomization builds) is in that
//! Kustomization's cluster, its variables substituted first.
//!
//! - `Kustomization`: `path` from the source's root (a `GitRepository` whose path exists here
//!   is this repository; an `ExternalArtifact` is mapped back through its `ArtifactGenerator`'s
//!   `copy` rules; OCI and bucket sources are outside); a folder without a kustomization is all
//!   of its tree, as Flux generates one; `targetNamespace` over every object;
//!   `postBuild.substitute` (and `substituteFrom` ConfigMaps found here; Secrets and missing
//!   ones noted).
//! - `HelmRelease`: a chart from a `GitRepository` or `Bucket` (`chart.spec.chart` from the
//!   source's root); `chart.spec.valuesFiles` from the source's root (they replace the chart's
//!   `values.yaml`); `valuesFrom` ConfigMaps found here, in order (a `targetPath` as `--set`),
//!   then `values`; the namespace `targetNamespace`, else the HelmRelease's; the release
//!   `releaseName`, else `[targetNamespace-]name` (over 53 characters: its first 40, `-`, and
//!   12 hexadecimal digits of its SHA-256).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use super::scan::Doc;
use super::substitute::substitute_value;
use super::{Deployment, Local, Reading, cluster_name};
use crate::config::{OriginKind, ReleaseSetup, SourceSetup, Substitution};

/// One visit of an object: the cluster it is in, and what its deployer substitutes.
#[derive(Clone)]
struct Visit {
    object: usize,
    cluster: String,
    evidence: String,
    vars: Option<Substitution>,
}

fn is_kustomization(doc: &Doc) -> bool {
    doc.kind() == "Kustomization" && doc.api_group() == "kustomize.toolkit.fluxcd.io"
}

fn is_helm_release(doc: &Doc) -> bool {
    doc.kind() == "HelmRelease" && doc.api_group() == "helm.toolkit.fluxcd.io"
}

/// Read every Kustomization and HelmRelease of the repository.
pub(super) fn read(r: &mut Reading) {
    let objects: Vec<&Doc> = r
        .scanned
        .objects
        .iter()
        .filter(|d| is_kustomization(d) || is_helm_release(d))
        .collect();
    if objects.is_empty() {
        return;
    }
    // Which objects each Kustomization deploys, as written (before any substitution): those
    // no other Kustomization deploys are where the walk starts.
    let deployed: BTreeSet<usize> = objects
        .iter()
        .enumerate()
        .filter(|(_, d)| is_kustomization(d))
        .flat_map(|(k, d)| {
            let files = builds(r, d, &d.value);
            objects
                .iter()
                .enumerate()
                .filter(move |(o, other)| *o != k && files.contains(&other.rel))
                .map(|(o, _)| o)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut queue: VecDeque<Visit> = VecDeque::new();
    let root_visit = |o: usize, doc: &Doc| {
        let (cluster, evidence) = root_cluster(doc);
        Visit {
            object: o,
            cluster,
            evidence,
            vars: None,
        }
    };
    for (o, doc) in objects.iter().enumerate() {
        if !deployed.contains(&o) {
            queue.push_back(root_visit(o, doc));
        }
    }
    let mut seen: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut visited: BTreeSet<usize> = BTreeSet::new();
    loop {
        while let Some(visit) = queue.pop_front() {
            if !seen.insert((visit.object, visit.cluster.clone())) {
                continue;
            }
            visited.insert(visit.object);
            let Some(doc) = objects.get(visit.object) else {
                continue;
            };
            let value = match &visit.vars {
                Some(vars) => substitute_value(&doc.value, vars),
                None => doc.value.clone(),
            };
            if is_kustomization(doc) {
                let next = kustomization(r, doc, &value, &visit);
                let files = builds(r, doc, &value);
                for (o, other) in objects.iter().enumerate() {
                    if o != visit.object && files.contains(&other.rel) {
                        for (cluster, evidence, vars) in &next {
                            queue.push_back(Visit {
                                object: o,
                                cluster: cluster.clone(),
                                evidence: evidence.clone(),
                                vars: vars.clone(),
                            });
                        }
                    }
                }
            } else {
                helm_release(r, doc, &value, &visit);
            }
        }
        // Objects only a cycle of Kustomizations deploys: their folder names their cluster.
        match (0..objects.len()).find(|o| !visited.contains(o)) {
            Some(o) => {
                if let Some(doc) = objects.get(o) {
                    queue.push_back(root_visit(o, doc));
                }
            }
            None => break,
        }
    }
}

/// The cluster of an object no Kustomization deploys: its folder, as `flux bootstrap --path`
/// lays clusters out (`clusters/staging/flux-system/` is `staging`).
fn root_cluster(doc: &Doc) -> (String, String) {
    let folder = doc.folder();
    let folder = match folder.strip_suffix("flux-system") {
        Some(parent) if parent.is_empty() || parent.ends_with('/') => parent.trim_end_matches('/'),
        _ => folder,
    };
    let name = folder.rsplit('/').next().filter(|n| !n.is_empty());
    let evidence = match name {
        Some(_) => format!(
            "{}: in {folder}/, a cluster's folder as flux bootstrap --path lays them out",
            doc.label()
        ),
        None => format!(
            "{}: at the repository's root, which names no cluster",
            doc.label()
        ),
    };
    (cluster_name(name.unwrap_or("default")), evidence)
}

/// The remote cluster a `spec.kubeConfig` names (by its Secret's or ConfigMap's name).
fn remote(doc: &Doc, value: &Value) -> Option<(String, String)> {
    let config = value.pointer("/spec/kubeConfig")?;
    let (key, name) = ["secretRef", "configMapRef"].iter().find_map(|key| {
        config
            .pointer(&format!("/{key}/name"))
            .and_then(Value::as_str)
            .map(|n| (*key, n))
    })?;
    Some((
        cluster_name(name),
        format!(
            "{}: spec.kubeConfig.{key} {name} (a remote cluster)",
            doc.label()
        ),
    ))
}

/// The folder of this repository a Kustomization's source and path name.
fn folder(r: &mut Reading, doc: &Doc, value: &Value) -> Option<(String, std::path::PathBuf)> {
    let by = doc.label();
    let path = value
        .pointer("/spec/path")
        .and_then(Value::as_str)
        .unwrap_or("./");
    let kind = value
        .pointer("/spec/sourceRef/kind")
        .and_then(Value::as_str)
        .unwrap_or("");
    let name = value
        .pointer("/spec/sourceRef/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let rel = match kind {
        "GitRepository" => {
            let url = git_url(r, doc, value).unwrap_or_else(|| format!("GitRepository {name}"));
            if matches!(r.local(path), Local::Folder(..)) {
                r.here(&url);
            }
            path.to_string()
        }
        "ExternalArtifact" => artifact_path(r, name, path).or_else(|| {
            r.note(format!(
                "{by}: the ExternalArtifact {name} is not generated by an ArtifactGenerator of this repository: not linted"
            ));
            None
        })?,
        other => {
            r.note(format!(
                "{by}: its source ({other} {name}) is outside this repository: not linted"
            ));
            return None;
        }
    };
    match r.local(&rel) {
        Local::Folder(rel, shown) => Some((rel, shown)),
        Local::Outside(why) => {
            r.note(format!("{by}: path refused: {why}"));
            None
        }
        Local::File(..) | Local::Missing => {
            r.note(format!(
                "{by}: its path {path} is not a folder of this repository: not linted"
            ));
            None
        }
    }
}

/// The URL of the GitRepository a Kustomization or HelmRelease names, when it is here.
fn git_url(r: &Reading, doc: &Doc, value: &Value) -> Option<String> {
    let name = value
        .pointer("/spec/sourceRef/name")
        .and_then(Value::as_str)?;
    let namespace = value
        .pointer("/spec/sourceRef/namespace")
        .and_then(Value::as_str)
        .or(doc.namespace());
    r.scanned
        .objects
        .iter()
        .find(|d| d.kind() == "GitRepository" && d.name() == name && d.namespace() == namespace)
        .and_then(|d| d.str("/spec/url").map(str::to_string))
}

/// A path inside an ExternalArtifact, mapped back to the repository through the `copy` rules of
/// the ArtifactGenerator that makes it (`@monorepo/apps/staging/**` to `@artifact/staging/`).
fn artifact_path(r: &Reading, artifact: &str, path: &str) -> Option<String> {
    let path = path.trim_start_matches("./").trim_start_matches('/');
    for generator in r
        .scanned
        .objects
        .iter()
        .filter(|d| d.kind() == "ArtifactGenerator")
    {
        let artifacts = generator
            .value
            .pointer("/spec/artifacts")
            .and_then(Value::as_array);
        let Some(made) = artifacts
            .into_iter()
            .flatten()
            .find(|a| a.get("name").and_then(Value::as_str) == Some(artifact))
        else {
            continue;
        };
        for copy in made
            .get("copy")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(from), Some(to)) = (
                copy.get("from").and_then(Value::as_str),
                copy.get("to").and_then(Value::as_str),
            ) else {
                continue;
            };
            let to = to
                .strip_prefix("@artifact/")
                .unwrap_or(to)
                .trim_end_matches('/');
            let from = from.split_once('/').map_or("", |(_, rest)| rest);
            // The part of the source pattern before its first glob.
            let base: Vec<&str> = from
                .split('/')
                .take_while(|s| !s.contains(['*', '?', '[']))
                .collect();
            let base = base.join("/");
            let rest = if to.is_empty() {
                Some(path)
            } else {
                path.strip_prefix(to)
                    .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                    .map(|rest| rest.trim_start_matches('/'))
            };
            if let Some(rest) = rest {
                return Some(format!("{base}/{rest}").trim_matches('/').to_string());
            }
        }
    }
    None
}

/// The files (relative to the repository's root) a Kustomization builds: what its
/// kustomization reads, or its whole tree when it has none.
fn builds(r: &mut Reading, doc: &Doc, value: &Value) -> BTreeSet<String> {
    let mut quiet = Reading {
        repo: r.repo,
        root: r.root,
        scanned: r.scanned,
        deployments: Vec::new(),
        notes: Vec::new(),
        here: BTreeSet::new(),
    };
    let Some((rel, shown)) = folder(&mut quiet, doc, value) else {
        return BTreeSet::new();
    };
    if crate::render::kustomization::file_in(&shown).is_some() {
        let plan = crate::render::named(
            &[crate::render::Root::new(shown.clone(), rel.clone())],
            r.root,
        );
        plan.overlays
            .iter()
            .flat_map(|o| o.files.iter())
            .filter_map(|f| r.repo.rel(f))
            .collect()
    } else {
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        r.scanned
            .files
            .iter()
            .filter(|f| f.starts_with(&prefix))
            .cloned()
            .collect()
    }
}

/// Read a Kustomization visited in `visit`'s cluster: its deployments; the clusters (with
/// evidence and variables) of the objects it deploys.
fn kustomization(
    r: &mut Reading,
    doc: &Doc,
    value: &Value,
    visit: &Visit,
) -> Vec<(String, String, Option<Substitution>)> {
    let by = doc.label();
    let (cluster, evidence) =
        remote(doc, value).unwrap_or_else(|| (visit.cluster.clone(), visit.evidence.clone()));
    let vars = substitution(r, doc, value);
    if let Some((_, shown)) = folder(r, doc, value) {
        let target = value
            .pointer("/spec/targetNamespace")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        r.deploy(Deployment {
            cluster: cluster.clone(),
            origin: OriginKind::Flux,
            evidence: evidence.clone(),
            source: SourceSetup {
                path: shown,
                recurse: true,
                target_namespace: target,
                substitute: vars.clone(),
                by: Some(by),
                ..SourceSetup::default()
            },
        });
    }
    vec![(cluster, evidence, vars)]
}

/// `spec.postBuild`: the variables, from `substitute` over the `substituteFrom` ConfigMaps found
/// here; `None` when it defines none (Flux then substitutes nothing).
fn substitution(r: &mut Reading, doc: &Doc, value: &Value) -> Option<Substitution> {
    let by = doc.label();
    let post = value.pointer("/spec/postBuild")?;
    let mut vars = BTreeMap::new();
    let mut incomplete = false;
    let from = post.get("substituteFrom").and_then(Value::as_array);
    for reference in from.into_iter().flatten() {
        let kind = reference.get("kind").and_then(Value::as_str).unwrap_or("");
        let name = reference.get("name").and_then(Value::as_str).unwrap_or("");
        let found = (kind == "ConfigMap")
            .then(|| config_map(r, name, doc.namespace()))
            .flatten();
        if let Some(data) = found {
            vars.extend(data);
        } else {
            incomplete = true;
            r.note(format!(
                "{by}: postBuild.substituteFrom {kind} {name} is not in this repository: the variables it defines stay as written"
            ));
        }
    }
    for (k, v) in post
        .get("substitute")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        // Flux takes line breaks out of the values.
        vars.insert(k.clone(), text.replace('\n', ""));
    }
    let bad: Vec<String> = super::substitute::invalid_names(&vars);
    if !bad.is_empty() {
        r.note(format!(
            "{by}: postBuild variable names Flux refuses ({}): nothing is substituted, as Flux fails this Kustomization",
            bad.join(", ")
        ));
        return None;
    }
    (!vars.is_empty() || from.is_some_and(|f| !f.is_empty()))
        .then_some(Substitution { vars, incomplete })
}

/// The data of a ConfigMap of this repository, by name and namespace.
fn config_map(
    r: &Reading,
    name: &str,
    namespace: Option<&str>,
) -> Option<BTreeMap<String, String>> {
    let found = r.scanned.config_maps.iter().find(|c| {
        c.name() == name
            && (namespace.is_none() || c.namespace().is_none() || c.namespace() == namespace)
    })?;
    Some(
        found
            .value
            .get("data")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").replace('\n', "")))
            .collect(),
    )
}

/// Read a HelmRelease visited in `visit`'s cluster.
fn helm_release(r: &mut Reading, doc: &Doc, value: &Value, visit: &Visit) {
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
    if value.pointer("/spec/chartRef").is_some()
        || !matches!(source_kind, "GitRepository" | "Bucket")
    {
        r.note(format!(
            "{by}: its chart {chart} comes from outside this repository: not rendered"
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
    let hash = super::digest::sha256_hex(full.as_bytes());
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
