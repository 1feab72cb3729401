use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::k8s::docs::{CCE_CROSS_CLUSTER};
use crate::k8s::keys;

declare_rule! {
    /// One Service on a shared cross-cluster listener loses `kubernetes.io/elb.multicluster: "true"`.
    ///
    /// ## What it does
    /// Compares each CCE LoadBalancer Service present on both sides, and reports the one that is
    /// cross-cluster in the base and not in the head (the annotation removed, or not `"true"`),
    /// while another Service on one of its listeners stays cross-cluster in the head. This is the
    /// transition form of LB201: it fires on the change that breaks the listener.
    ///
    /// ## Why it matters
    /// Every Service attached to a cross-cluster listener must have cross-cluster access on,
    /// "otherwise the backend server group may be overwritten and cleared" (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端": "和ELB对接的
    /// 所有Service均需要开启跨集群能力，否则可能出现后端服务器组被覆盖清除的问题"): the controllers
    /// remove each other's members.
    ///
    /// ## Example
    /// ```yaml
    /// # base
    /// kubernetes.io/elb.multicluster: "true"
    /// # head: the annotation is deleted; cluster b's Service on the same listener keeps it
    /// ```
    ///
    /// ## Fix
    /// Keep `kubernetes.io/elb.multicluster: "true"` on every Service of the listener, or move
    /// this Service to a listener of its own first.
    pub struct MulticlusterDropped {
        code: "LB509",
        name: "multicluster-dropped",
        severity: Warning,
        scope: Cce,
        transition: check,
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for (b, h) in tx.frontend_pairs() {
        if !b.is_cross_cluster() || h.is_cross_cluster() || !h.is_cce() || h.is_ingress() {
            continue;
        }
        // Another Service that stays cross-cluster on one of its listeners.
        let shared = h.claims.iter().find_map(|claim| {
            let listener = tx.listener(Side::Head, h.lb.id(), claim.protocol, claim.port)?;
            listener.claims().iter().find_map(|c| {
                let other = tx.head.inv.frontend(c.frontend);
                (other.object != h.object && other.is_cross_cluster()).then_some((claim, c, other))
            })
        });
        let Some((claim, theirs, other)) = shared else {
            continue;
        };
        let at = h.multicluster.as_ref().map_or(h.lb.origin(), |m| m.origin);
        let finding = out.push(
            Side::Head,
            tx.head
                .finding(
                    &META,
                    h.object,
                    at,
                    format!(
                        "{} is no longer cross-cluster ({}: \"true\" is gone) while {} stays cross-cluster on listener {}:{} of ELB {}: the backend groups of the listener may be overwritten and cleared ({CCE_CROSS_CLUSTER})",
                        tx.head.object_name(h.object),
                        keys::ELB_MULTICLUSTER,
                        tx.head.inv.qualified_label(other.object),
                        claim.protocol,
                        claim.port,
                        h.lb.id()
                    ),
                )
                .caption("no longer cross-cluster")
                .help(format!(
                    "keep {}: \"true\" on every Service of the listener, or move this Service to a listener of its own first",
                    keys::ELB_MULTICLUSTER
                ))
                .related(
                    theirs.origin,
                    Some(tx.head.object_name(other.object)),
                    "stays cross-cluster on this listener",
                ),
        );
        if let Some(m) = &b.multicluster {
            finding.elsewhere(
                m.origin,
                Some(tx.base.object_name(b.object)),
                "base: cross-cluster",
            );
        }
    }
}
