//! The history the controllers keep: values the cloud holds that the manifests no longer state.
//!
//! Removing `kubernetes.io/elb.multicluster-loadbalancer-weight` from a running cross-cluster
//! Service does not change the weight already set on the ELB (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端": "删除
//! kubernetes.io/elb.multicluster-loadbalancer-weight不会对已配置的权重进行调整"). A plan of the
//! manifests alone would show the provider's default weight; `lbplan diff` knows the weight the
//! base set, and plans the head with it.

use crate::k8s::docs::CCE_CROSS_CLUSTER;
use std::collections::BTreeMap;

use super::group_spec::group_spec;
use super::index::PlanIndex;
use super::natural::natural_cmp;
use super::types::Plan;
use super::weights::{Weighting, set_shares, weigh};
use crate::k8s::Protocol;
use crate::model::Inventory;

/// A group re-weighted with the weight the ELB keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptWeight {
    pub lb: String,
    pub protocol: Protocol,
    pub port: u16,
    /// The group's name in the plan.
    pub group: String,
    /// `cluster:Service/namespace/name`.
    pub service: String,
    pub weight: u32,
}

impl KeptWeight {
    /// Why the plan shows this weight.
    pub fn why(&self) -> String {
        format!(
            "group {} of {}:{} on {} keeps weight {}: {} no longer sets kubernetes.io/elb.multicluster-loadbalancer-weight, and removing it does not change the weight the ELB already has ({CCE_CROSS_CLUSTER})",
            self.group, self.protocol, self.port, self.lb, self.weight, self.service
        )
    }
}

/// Re-weigh the groups of the cross-cluster Services in `kept` (`cluster:Service/namespace/name`
/// -> the weight the ELB keeps) that state no weight of their own, and the shares of their
/// listeners. Returns the groups re-weighted, in plan order.
pub fn keep_weights(
    plan: &mut Plan,
    index: &PlanIndex,
    inv: &Inventory,
    kept: &BTreeMap<String, u32>,
) -> Vec<KeptWeight> {
    let mut out = Vec::new();
    if kept.is_empty() {
        return out;
    }
    for (lb, lb_index) in plan.load_balancers.iter_mut().zip(&index.load_balancers) {
        for (listener, l_index) in lb.listeners.iter_mut().zip(&lb_index.listeners) {
            let mut changed = false;
            for (group, source) in listener.groups.iter_mut().zip(&l_index.groups) {
                let Some(source) = source else { continue };
                let service = inv.qualified_label(source.service);
                let Some(&weight) = kept.get(&service) else {
                    continue;
                };
                let f = inv.frontend(source.frontend);
                if group.by_rules || !f.is_cross_cluster() || f.weight.is_some() {
                    continue;
                }
                let mut spec = group_spec(inv, *source);
                spec.weighting = Weighting::CrossCluster(weight);
                let weighed = weigh(&spec);
                group.weight = weighed.weight;
                group.total_weight = weighed.total_weight;
                group.members = weighed.members;
                group.members.sort_by(|a, b| natural_cmp(&a.name, &b.name));
                changed = true;
                out.push(KeptWeight {
                    lb: lb.id.clone(),
                    protocol: listener.protocol,
                    port: listener.port,
                    group: group.name.clone(),
                    service,
                    weight,
                });
            }
            if changed {
                for group in &mut listener.groups {
                    group.nominal_share = None;
                    group.effective_share = None;
                }
                set_shares(&mut listener.groups);
            }
        }
    }
    out
}
