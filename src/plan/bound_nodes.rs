//! TKE's bound nodes: without direct access, a CLB binds the NodePort of every node, not only the
//! nodes hosting target pods, when the cluster's nodes are known.

use std::collections::{BTreeMap, BTreeSet};

use super::weights::MemberSpec;
use crate::facts::NodeFact;
use crate::k8s::Spec;
use crate::model::frontend::on;
use crate::model::targets::TargetPods;
use crate::model::{Frontend, Inventory, Mode};

/// The nodes a TKE CLB without direct access binds, when the cluster's nodes are known: the
/// NodePort of every Ready node that is not a control-plane node (Tencent Cloud TKE, "Use CLB-Pod
/// Direct Connection on TKE": "the CLB backend is bound with the NodePort of each node"; ground
/// truth §3.3 for Ready and master), narrowed to the labelled nodes by
/// `service.kubernetes.io/qcloud-loadbalancer-backends-label`. Cordoned nodes stay bound, as
/// Tencent's English Service documentation says (an older Chinese page left them out). `None`
/// where the members are the nodes hosting target pods instead: not TKE, direct access, a Service
/// with `local-svc-only-bind-node-with-pod: "true"` and `externalTrafficPolicy: Local`, or no
/// known nodes.
pub fn bound_nodes<'a>(inv: &'a Inventory, f: &Frontend) -> Option<Vec<&'a NodeFact>> {
    if !binds_every_node(inv, f) {
        return None;
    }
    let facts = &inv.cluster(f.cluster).facts;
    if facts.nodes.is_empty() {
        return None;
    }
    let wanted: Vec<(&str, Option<&str>)> = f
        .backends_label
        .as_ref()
        .filter(|_| !f.is_ingress())
        .map(|l| {
            l.value
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| match t.split_once('=') {
                    Some((k, v)) => (k.trim(), Some(v.trim())),
                    None => (t, None),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    Some(
        facts
            .nodes
            .iter()
            .filter(|n| n.ready && !n.master)
            .filter(|n| {
                wanted.iter().all(|(k, v)| match v {
                    Some(v) => n.labels.get(*k).is_some_and(|have| have == v),
                    None => n.labels.contains_key(*k),
                })
            })
            .filter(|n| seen.insert(n.name.as_str()))
            .collect(),
    )
}

/// Whether the frontend's CLB binds every node: TKE without direct access, unless a Service
/// with `local-svc-only-bind-node-with-pod: "true"` and `externalTrafficPolicy: Local`.
pub fn binds_every_node(inv: &Inventory, f: &Frontend) -> bool {
    if !f.is_tke() || f.mode != Mode::Node {
        return false;
    }
    let local = inv
        .object(f.object)
        .as_service()
        .is_some_and(|s| s.local_traffic_policy().is_some());
    !(local && on(f.bind_node_with_pod.as_ref()))
}

/// One member per bound node, hosting the target pods that name it; and how many target pods
/// no bound node is known to host (a workload's assumed replicas, pods on other nodes).
pub fn every_node_members(
    inv: &Inventory,
    nodes: &[&NodeFact],
    pods: &[TargetPods],
) -> (Vec<MemberSpec>, u64) {
    let mut on_node: BTreeMap<&str, u32> = nodes.iter().map(|n| (n.name.as_str(), 0)).collect();
    let mut unplaced = 0u64;
    for &target in pods {
        let node = match target {
            TargetPods::Pod(id) => match &inv.object(id).spec {
                Spec::Pod(pod) => pod.template.node_name.as_deref(),
                _ => None,
            },
            TargetPods::Replicas { .. } => None,
        };
        match node.and_then(|n| on_node.get_mut(n)) {
            Some(k) => *k += 1,
            None => unplaced += u64::from(target.count()),
        }
    }
    let members = nodes
        .iter()
        .map(|n| {
            MemberSpec::new(
                n.name.clone(),
                on_node.get(n.name.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    (members, unplaced)
}
