//! Each cluster's facts as the plan shows them, with where each comes from: the `clusters` array
//! of `plan --format json|yaml`, and a short block per cluster above its load balancers in the
//! plan table.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::facts::{ClusterFacts, Fact, Flavor, Network, Provider, ProxyMode, Source};
use crate::model::{Cluster, ClusterId, Inventory};
use crate::text::terminal::clean;

/// One cluster and its facts.
#[derive(Debug, Serialize)]
pub struct ClusterView {
    pub name: String,
    /// Where the cluster comes from: the config, GitOps objects, or neither.
    pub origin: Option<OriginView>,
    pub facts: FactsView,
    /// A CCE cluster, whose block leaves out the TKE-only facts.
    #[serde(skip)]
    pub cce: bool,
}

/// Where a cluster comes from.
#[derive(Debug, Serialize)]
pub struct OriginView {
    /// `config`, `argocd`, `flux`, `unclaimed` (the files no GitOps object deploys) or `default`.
    pub source: &'static str,
    pub evidence: String,
}

/// The facts of one cluster, each known or not (`value: null`).
#[derive(Debug, Serialize)]
pub struct FactsView {
    pub provider: FactView,
    pub version: FactView,
    pub flavor: FactView,
    pub proxy_mode: FactView,
    pub network: FactView,
    pub global_route_direct_access: FactView,
    /// The number of node IPs known (the config's nodes and the exports' InternalIPs).
    pub nodes: FactView,
}

/// A fact's value as JSON shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Shown {
    Text(String),
    Flag(bool),
    Count(usize),
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Text(text) => f.write_str(text),
            Shown::Flag(flag) => write!(f, "{flag}"),
            Shown::Count(count) => write!(f, "{count}"),
        }
    }
}

/// One fact: its value and source (both `null` when unknown), what shows it, and what to know.
#[derive(Debug, Default, Serialize)]
pub struct FactView {
    pub value: Option<Shown>,
    pub source: Option<Source>,
    pub evidence: Option<String>,
    /// Why it is unknown, or that sources disagree.
    pub note: Option<String>,
}

impl FactView {
    fn of(facts: &ClusterFacts, fact: Fact, value: Option<Shown>) -> FactView {
        let provenance = value.as_ref().and_then(|_| facts.provenance(fact));
        FactView {
            source: provenance.map(|p| p.source),
            evidence: provenance.map(|p| p.evidence.clone()),
            value,
            note: facts.remarks.get(&fact).map(|r| r.text.clone()),
        }
    }
}

fn text(value: Option<&str>) -> Option<Shown> {
    value.map(|v| Shown::Text(v.to_string()))
}

/// The clusters of a run with their facts.
pub fn clusters(inv: &Inventory) -> Vec<ClusterView> {
    inv.clusters
        .iter()
        .enumerate()
        .map(|(i, cluster)| {
            let facts = &cluster.facts;
            let view = |fact, value| FactView::of(facts, fact, value);
            let mut provider = view(Fact::Provider, text(facts.provider.map(Provider::as_str)));
            if provider.value.is_none() {
                provider = by_annotations(inv, ClusterId::new(i), provider.note);
            }
            let cce = provider.value.as_ref().is_some_and(|p| {
                [Provider::HuaweiCce, Provider::CtyunCce]
                    .iter()
                    .any(|c| *p == Shown::Text(c.as_str().to_string()))
            });
            ClusterView {
                name: cluster.name().to_string(),
                origin: facts.origin.as_ref().map(|(source, evidence)| OriginView {
                    source,
                    evidence: evidence.clone(),
                }),
                cce,
                facts: FactsView {
                    provider,
                    version: view(
                        Fact::Version,
                        facts.version.as_ref().map(|v| Shown::Text(v.text.clone())),
                    ),
                    flavor: view(Fact::Flavor, text(facts.flavor.map(Flavor::as_str))),
                    proxy_mode: view(
                        Fact::ProxyMode,
                        text(facts.proxy_mode.map(ProxyMode::as_str)),
                    ),
                    network: view(Fact::Network, text(facts.network.map(Network::as_str))),
                    global_route_direct_access: view(
                        Fact::GlobalRouteDirectAccess,
                        facts.global_route_direct_access.map(Shown::Flag),
                    ),
                    nodes: nodes(cluster),
                },
            }
        })
        .collect()
}

/// The provider the objects' annotations name, when the cluster's is not given: per object (the
/// plan and the rules use each object's own), so the cluster shows one only when all agree.
fn by_annotations(inv: &Inventory, cluster: ClusterId, note: Option<String>) -> FactView {
    let frontends: Vec<_> = inv
        .planned_frontends()
        .map(|(_, f)| f)
        .filter(|f| f.cluster == cluster)
        .collect();
    let mut named: BTreeMap<Provider, usize> = BTreeMap::new();
    for provider in frontends.iter().filter_map(|f| f.provider) {
        *named.entry(provider).or_default() += 1;
    }
    let first = frontends
        .iter()
        .find(|f| f.provider.is_some())
        .map(|f| inv.object(f.object).label().to_string());
    match (named.len(), first) {
        (1, Some(first)) => {
            let (provider, count) = named
                .iter()
                .next()
                .map_or((None, 0), |(p, c)| (Some(*p), *c));
            FactView {
                value: text(provider.map(Provider::as_str)),
                source: Some(Source::Annotations),
                evidence: Some(format!(
                    "the annotations of {count} of {} load-balanced objects (first: {first})",
                    frontends.len()
                )),
                note,
            }
        }
        (0, _) => FactView {
            note,
            ..FactView::default()
        },
        _ => {
            let counts: Vec<String> = named
                .iter()
                .map(|(p, c)| format!("{c} {}", p.as_str()))
                .collect();
            FactView {
                note: Some(format!(
                    "the objects' annotations name several providers ({}); each object uses its own",
                    counts.join(", ")
                )),
                ..FactView::default()
            }
        }
    }
}

/// Node IPs from the config, the exports' nodes and the observed pods' `status.hostIP`: what
/// LB306 compares `externalIPs` with.
fn nodes(cluster: &Cluster) -> FactView {
    let facts = &cluster.facts;
    if cluster.node_ips.is_empty() {
        return FactView::default();
    }
    let mut from: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for node in &facts.nodes {
        *from.entry(node.export.as_deref()).or_default() += 1;
    }
    let mut parts: Vec<String> = from
        .iter()
        .map(|(file, count)| match file {
            None => format!("{count} in clusters[].nodes"),
            Some(file) if *count == 1 => format!("{file}: InternalIP of 1 node"),
            Some(file) => format!("{file}: InternalIP of {count} nodes"),
        })
        .collect();
    let named: BTreeSet<&str> = facts.nodes.iter().map(|n| n.ip.as_str()).collect();
    let seen = cluster
        .node_ips
        .iter()
        .filter(|ip| !named.contains(ip.as_str()))
        .count();
    if let (true, Some(files)) = (seen > 0, cluster.observed_in()) {
        parts.push(format!(
            "status.hostIP of the pods in {files} ({seen} nodes)"
        ));
    }
    let exported = cluster
        .observed_from
        .iter()
        .any(|f| facts.exports.contains(f));
    let source = if from.contains_key(&None) {
        Source::Config
    } else if !from.is_empty() || exported {
        Source::Export
    } else {
        Source::Manifests
    };
    FactView {
        value: Some(Shown::Count(cluster.node_ips.len())),
        source: Some(source),
        evidence: Some(parts.join(", ")),
        note: None,
    }
}

/// A cluster's facts block in the plan table: a few lines.
pub fn facts_block(cluster: &ClusterView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Cluster {}", clean(&cluster.name));
    // Where a cluster the GitOps objects gave comes from (a config's or the one default cluster
    // needs no line).
    if let Some(origin) = cluster
        .origin
        .as_ref()
        .filter(|o| !matches!(o.source, "config" | "default"))
    {
        let _ = writeln!(
            out,
            "  {:<16} {:<12} {}",
            "from",
            origin.source,
            clean(&origin.evidence)
        );
    }
    let f = &cluster.facts;
    let mut rows: Vec<(&str, &FactView)> = vec![
        ("provider", &f.provider),
        ("version", &f.version),
        ("flavor", &f.flavor),
        ("proxy mode", &f.proxy_mode),
    ];
    if !cluster.cce {
        rows.push(("network", &f.network));
        rows.push(("GR direct access", &f.global_route_direct_access));
    }
    rows.push(("node IPs", &f.nodes));
    let mut unknown = Vec::new();
    for (label, view) in rows {
        match (&view.value, &view.source) {
            (Some(value), Some(source)) => {
                let evidence = clean(view.evidence.as_deref().unwrap_or(""));
                let value = clean(&value.to_string());
                let _ = writeln!(out, "  {label:<16} {value:<12} {source}: {evidence}");
            }
            (Some(value), None) => {
                let _ = writeln!(out, "  {label:<16} {}", clean(&value.to_string()));
            }
            (None, _) if view.note.is_some() => {
                let _ = writeln!(out, "  {label:<16} unknown");
            }
            (None, _) => unknown.push(label),
        }
        if let Some(note) = &view.note {
            let _ = writeln!(out, "  {:<16} note: {}", "", clean(note));
        }
    }
    if !unknown.is_empty() {
        let _ = writeln!(out, "  {:<16} {}", "unknown", unknown.join(", "));
    }
    out.push('\n');
    out
}
