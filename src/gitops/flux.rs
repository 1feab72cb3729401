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
use super::{Deployment, Reading, cluster_name};
use crate::config::{OriginKind, SourceSetup, Substitution};

/// One visit of an object: the cluster it is in, and what its deployer substitutes.
#[derive(Clone)]
pub(super) struct Visit {
    object: usize,
    pub(super) cluster: String,
    pub(super) evidence: String,
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
                helm::helm_release(r, doc, &value, &visit);
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
pub(super) fn remote(doc: &Doc, value: &Value) -> Option<(String, String)> {
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
            // Flux takes line breaks out of the values.
            vars.extend(data.into_iter().map(|(k, v)| (k, v.replace('\n', ""))));
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
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
            .collect(),
    )
}

mod helm;
mod source;

use source::folder;
use source::git_url;
