//! Cluster facts from what one cluster's exports show, from positive evidence only (cluster-facts
//! research, §7.2): a fact no export proves stays unknown, and exports that disagree give no
//! inference. Each inference names the file and field it rests on.

use super::observe::{NodeSeen, Seen};
use crate::facts::{Flavor, K8sVersion, NodeFact, Provider, VERSION_FORMS};

/// What one export shows, with the name reports give the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSeen {
    pub file: String,
    pub seen: Seen,
}

/// What a cluster's exports say about one fact.
#[derive(Debug, Clone, PartialEq)]
pub enum Inferred<T> {
    /// Nothing shows it; with why, when the exports say something about it.
    Unknown(Option<String>),
    Known {
        value: T,
        /// `nodes.yaml: spec.providerID qcloud:///100003/ins-jifjbvhg (3 of 3 nodes)`.
        evidence: String,
        file: String,
        /// Something to know about the value.
        remark: Option<String>,
    },
    /// The exports disagree: nothing is inferred.
    Conflict(String),
}

impl<T> Inferred<T> {
    pub(super) fn known(value: T, file: &str, evidence: String) -> Inferred<T> {
        Inferred::Known {
            value,
            evidence,
            file: file.to_string(),
            remark: None,
        }
    }
}

/// Whose node a node's fields prove, and how: (provider, `spec.providerID qcloud:///...`).
fn node_provider(node: &NodeSeen) -> Option<(Provider, String)> {
    let id = node.provider_id.as_deref().unwrap_or("");
    if id.starts_with("qcloud://") {
        return Some((Provider::TencentTke, format!("spec.providerID {id}")));
    }
    if id.contains("://") {
        // `cce://` is Baidu Cloud's CCE, `huaweicloud://` the open-source Huawei controller of
        // self-built clusters: neither is a CCE the plan knows. (CCE's own IDs have no scheme.)
        return None;
    }
    let kubelet = node.kubelet_version.as_deref();
    let build = kubelet.and_then(|v| v.parse::<K8sVersion>().ok()?.build_of());
    let version = || format!("status.nodeInfo.kubeletVersion {}", kubelet.unwrap_or(""));
    if node.tke_label {
        return Some((
            Provider::TencentTke,
            "label cloud.tencent.com/node-instance-id".into(),
        ));
    }
    if build == Some(Provider::TencentTke) {
        return Some((Provider::TencentTke, version()));
    }
    if node.eklet {
        return Some((
            Provider::TencentTke,
            "label node.kubernetes.io/instance-type=eklet".into(),
        ));
    }
    if build == Some(Provider::HuaweiCce) {
        return Some((Provider::HuaweiCce, version()));
    }
    node.cce_label
        .map(|label| (Provider::HuaweiCce, format!("label {label}")))
}

fn family(provider: Provider) -> &'static str {
    if provider.is_tke() { "TKE" } else { "CCE" }
}

/// The provider: TKE from `qcloud://` provider IDs, Tencent labels, `-tke.N` versions or super
/// nodes; the CCE family from `-rN-CCE` versions or CCE's node labels. Never CT Cloud (its nodes
/// look like Huawei's), never from a `cce://` provider ID (Baidu's).
pub fn provider(exports: &[ExportSeen]) -> Inferred<Provider> {
    // (provider, file, what shows it, nodes showing it)
    let mut found: Vec<(Provider, &str, String, usize)> = Vec::new();
    let mut nodes = 0;
    let mut foreign = None;
    for export in exports {
        let file = export.file.as_str();
        for raw in &export.seen.server_versions {
            if let Some(p) = raw.parse::<K8sVersion>().ok().and_then(|v| v.build_of()) {
                found.push((p, file, format!("serverVersion.gitVersion {raw}"), 0));
            }
        }
        for node in &export.seen.nodes {
            nodes += 1;
            match node_provider(node) {
                Some((p, what)) => match found.iter_mut().find(|f| f.0 == p && f.1 == file) {
                    Some(entry) => entry.3 += 1,
                    None => found.push((p, file, what, 1)),
                },
                None => {
                    if let Some(id) = node.provider_id.as_deref().filter(|i| i.contains("://")) {
                        foreign.get_or_insert_with(|| {
                            format!("{file}: node {} has spec.providerID {id}", node.name)
                        });
                    }
                }
            }
        }
    }
    let first = |family_is_tke: bool| found.iter().find(|f| f.0.is_tke() == family_is_tke);
    match (first(true), first(false)) {
        (Some(tke), Some(cce)) => Inferred::Conflict(format!(
            "exports show both {} ({}: {}) and {} ({}: {}): provider not inferred",
            family(tke.0),
            tke.1,
            tke.2,
            family(cce.0),
            cce.1,
            cce.2
        )),
        (Some((p, file, what, _)), None) | (None, Some((p, file, what, _))) => {
            let showing: usize = found.iter().map(|f| f.3).sum();
            let count = if showing > 0 {
                format!(" ({showing} of {nodes} nodes)")
            } else {
                String::new()
            };
            let mut inferred = Inferred::known(*p, file, format!("{file}: {what}{count}"));
            if p.is_cce() {
                if let Inferred::Known { remark, .. } = &mut inferred {
                    *remark = Some(
                        "the CCE family: Huawei Cloud CCE or China Telecom Cloud CCE, whose nodes look the same; set --provider ctyun-cce for CT Cloud".into(),
                    );
                }
            }
            inferred
        }
        (None, None) => Inferred::Unknown(
            foreign
                .map(|f| format!("{f}, which is no CCE or TKE node (cce:// is Baidu Cloud's CCE)")),
        ),
    }
}

/// The Kubernetes version: the server's (`kubectl version -o yaml`), else the lowest kubelet
/// version of the nodes (nodes trail the control plane during upgrades), skipping TKE super nodes,
/// which report the eklet version.
pub fn version(exports: &[ExportSeen]) -> Inferred<K8sVersion> {
    let mut unreadable = None;
    let mut servers: Vec<(K8sVersion, &str)> = Vec::new();
    for export in exports {
        for raw in &export.seen.server_versions {
            match raw.parse::<K8sVersion>() {
                Ok(v) => servers.push((v, &export.file)),
                Err(_) => {
                    unreadable.get_or_insert_with(|| {
                        format!("{}: serverVersion.gitVersion {raw}", export.file)
                    });
                }
            }
        }
    }
    if let Some((first, file)) = servers.first() {
        if let Some((other, other_file)) = servers.iter().find(|(v, _)| v.text != first.text) {
            return Inferred::Conflict(format!(
                "exports disagree on the server version: {file} says {}, {other_file} says {}; version not inferred",
                first.reported(),
                other.reported()
            ));
        }
        return Inferred::known(
            first.clone(),
            file,
            format!("{file}: serverVersion.gitVersion {}", first.reported()),
        );
    }
    let mut lowest: Option<(K8sVersion, &str, &str)> = None;
    let (mut counted, mut super_nodes) = (0, 0);
    for export in exports {
        for node in &export.seen.nodes {
            if node.eklet {
                super_nodes += 1;
                continue;
            }
            let Some(raw) = node.kubelet_version.as_deref() else {
                continue;
            };
            let Ok(v) = raw.parse::<K8sVersion>() else {
                unreadable.get_or_insert_with(|| {
                    format!(
                        "{}: node {} status.nodeInfo.kubeletVersion {raw}",
                        export.file, node.name
                    )
                });
                continue;
            };
            counted += 1;
            if lowest
                .as_ref()
                .is_none_or(|(l, _, _)| v.cmp_parts(l).is_lt())
            {
                lowest = Some((v, &export.file, &node.name));
            }
        }
    }
    let Some((v, file, node)) = lowest else {
        return Inferred::Unknown(
            unreadable
                .map(|u| format!("{u} is not a version lbplan reads (expected {VERSION_FORMS})")),
        );
    };
    let of = if counted == 1 {
        format!("node {node}")
    } else {
        format!("node {node}, the lowest of {counted} nodes")
    };
    let skipped = match super_nodes {
        0 => String::new(),
        1 => "; 1 super node skipped".into(),
        n => format!("; {n} super nodes skipped"),
    };
    let evidence = format!(
        "{file}: status.nodeInfo.kubeletVersion {} ({of}{skipped})",
        v.reported()
    );
    Inferred::known(v, file, evidence)
}

/// CCE Turbo from a pod annotated by Turbo's CNI; TKE Serverless when every node is a super node.
/// Standard is never inferred: nothing in an export proves it.
pub fn flavor(exports: &[ExportSeen]) -> Inferred<Flavor> {
    let turbo = exports
        .iter()
        .find_map(|e| e.seen.turbo_pod.as_ref().map(|p| (e.file.as_str(), p)));
    let nodes: Vec<(&str, &NodeSeen)> = exports
        .iter()
        .flat_map(|e| e.seen.nodes.iter().map(move |n| (e.file.as_str(), n)))
        .collect();
    let serverless = (!nodes.is_empty() && nodes.iter().all(|(_, n)| n.eklet)).then(|| {
        let file = nodes.first().map_or("", |(f, _)| f);
        (
            file,
            format!(
                "{file}: all {} nodes are TKE super nodes (node.kubernetes.io/instance-type=eklet)",
                nodes.len()
            ),
        )
    });
    match (turbo, serverless) {
        (Some((tf, pod)), Some((_, nodes))) => Inferred::Conflict(format!(
            "exports show CCE Turbo ({tf}: {pod}) and TKE Serverless ({nodes}): flavor not inferred"
        )),
        (Some((file, pod)), None) => Inferred::known(Flavor::Turbo, file, format!("{file}: {pod}")),
        (None, Some((file, evidence))) => Inferred::known(Flavor::Serverless, file, evidence),
        (None, None) => Inferred::Unknown(None),
    }
}

/// The InternalIPs of the nodes (not of super nodes, which run no kube-proxy).
pub fn nodes(exports: &[ExportSeen]) -> Vec<NodeFact> {
    exports
        .iter()
        .flat_map(|e| {
            e.seen.nodes.iter().filter(|n| !n.eklet).flat_map(move |n| {
                n.internal_ips.iter().map(move |ip| NodeFact {
                    name: n.name.clone(),
                    ip: ip.clone(),
                    export: Some(e.file.clone()),
                    ready: n.ready,
                    master: n.master,
                    unschedulable: n.unschedulable,
                    labels: n.labels.clone(),
                })
            })
        })
        .collect()
}
