//! The group a frontend makes from one backend Service: its members (pods, or nodes and the pods
//! they host) and how they are weighted. The plan's builder (`build.rs`), its L7 part (`l7.rs`)
//! and the kept weights (`kept.rs`) all start from it.

use std::collections::BTreeMap;

use super::bound_nodes::{bound_nodes, every_node_members};
use super::index::GroupSource;
use super::weights::{GroupSpec, MemberSpec, Weighting};
use crate::k8s::annotations::parse_weight;
use crate::k8s::{Spec, keys};
use crate::model::frontend::on;
use crate::model::targets::{TargetPods, template_of};
use crate::model::{Inventory, Mode};

/// The group a frontend makes from one backend Service: its members and how they are weighted.
pub(super) fn group_spec(inv: &Inventory, source: GroupSource) -> GroupSpec {
    let f = inv.frontend(source.frontend);
    let targets = inv.targets_of(source.service);
    let mut extra_pods = 0;
    let mut members: Vec<MemberSpec> = match f.mode {
        Mode::Pod => targets.pods.iter().map(|&p| pod_member(inv, p)).collect(),
        Mode::Node => match bound_nodes(inv, f) {
            Some(nodes) => {
                let (members, unplaced) = every_node_members(inv, &nodes, &targets.pods);
                extra_pods = unplaced;
                members
            }
            None => node_members(inv, &targets.pods),
        },
    };
    // TKE direct access: a pod may set its own CLB weight (custom-weight, direct mode only).
    // In pod mode the members are the target pods, entry for entry.
    if f.is_tke() && f.mode == Mode::Pod {
        let custom_key = if f.is_ingress() {
            keys::TKE_INGRESS_CUSTOM_WEIGHT
        } else {
            keys::TKE_CUSTOM_WEIGHT
        };
        for (member, pod) in members.iter_mut().zip(&targets.pods) {
            member.custom_weight = template_of(inv, pod.source())
                .and_then(|t| t.annotations.value(custom_key))
                .and_then(parse_weight);
        }
    }
    let weighting = match (f.cross_cluster_weight(), f.provider) {
        (Some(w), _) => Weighting::CrossCluster(w.value),
        (None, None) => Weighting::Unknown,
        (None, Some(p)) => {
            let pods_on_node = f.mode == Mode::Node
                && ((p.is_cce() && on(f.adaptive_weight.as_ref()))
                    || (p.is_tke() && on(f.weighted_balance.as_ref())));
            if pods_on_node {
                Weighting::PodsOnNode
            } else {
                Weighting::Fixed(p.default_member_weight())
            }
        }
    };
    GroupSpec {
        name: inv.scope_name(f.object),
        mode: f.mode,
        extra_pods,
        weighting,
        members,
    }
}

/// A member in pod mode: the Pod itself, or a workload's replicas as one numbered entry of
/// assumed pods `<workload>-<i>`.
fn pod_member(inv: &Inventory, pods: TargetPods) -> MemberSpec {
    match pods {
        TargetPods::Pod(id) => MemberSpec::new(inv.object(id).meta.name.clone(), 1),
        TargetPods::Replicas { workload, count } => {
            let name = &inv.object(workload).meta.name;
            MemberSpec::numbered(format!("{name}-"), 0, 1, count).assumed()
        }
    }
}

/// The members in node mode: each node named by a Pod (`spec.nodeName`) with the target pods it
/// hosts; the node assumed for a Pod that names none, `<pod>-node`; and a workload's replicas as
/// one numbered entry of assumed nodes `<workload>-node-<i>`, one pod each.
fn node_members(inv: &Inventory, pods: &[TargetPods]) -> Vec<MemberSpec> {
    let mut nodes: BTreeMap<&str, u32> = BTreeMap::new();
    let mut members = Vec::new();
    for &target in pods {
        match target {
            TargetPods::Pod(id) => {
                let object = inv.object(id);
                let node = match &object.spec {
                    Spec::Pod(pod) => pod.template.node_name.as_deref(),
                    _ => None,
                };
                match node {
                    Some(node) => *nodes.entry(node).or_default() += 1,
                    None => members
                        .push(MemberSpec::new(format!("{}-node", object.meta.name), 1).assumed()),
                }
            }
            TargetPods::Replicas { workload, count } => {
                let name = &inv.object(workload).meta.name;
                members.push(MemberSpec::numbered(format!("{name}-node-"), 0, 1, count).assumed());
            }
        }
    }
    members.extend(
        nodes
            .into_iter()
            .map(|(node, k)| MemberSpec::new(node.to_string(), k)),
    );
    members
}
