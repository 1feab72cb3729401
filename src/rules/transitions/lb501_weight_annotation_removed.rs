use crate::rules::transition::{Side, Transition, TransitionSink, kept_weights, weight_removed};
use crate::k8s::keys;

declare_rule! {
    /// A Service keeps running but loses `kubernetes.io/elb.multicluster-loadbalancer-weight`.
    ///
    /// ## What it does
    /// Compares each CCE LoadBalancer Service present on both sides, and reports the one whose
    /// base sets a valid cross-cluster weight and whose head no longer sets any. Where the head
    /// is still cross-cluster, the head plan of `lbplan diff` weighs its group with the weight
    /// the ELB keeps, not the provider's default, and says so.
    ///
    /// ## Why it matters
    /// Deleting the annotation does not change the weight already configured on the ELB (Huawei
    /// Cloud CCE, "为负载均衡类型的Service配置跨集群的后端": "删除kubernetes.io/elb.multicluster-loadbalancer-weight不会对已配置的权重进行调整"). A
    /// reviewer reading the manifest expects the default weight; the cloud keeps the old one, and
    /// the manifest no longer says what it is.
    ///
    /// ## Example
    /// ```yaml
    /// # base
    /// kubernetes.io/elb.multicluster-loadbalancer-weight: "80"
    /// # head: the annotation is deleted, the Service keeps running
    /// ```
    ///
    /// ## Fix
    /// Set the weight you want explicitly instead of deleting the annotation: keep
    /// `kubernetes.io/elb.multicluster-loadbalancer-weight` with the value the ELB should use.
    pub struct WeightAnnotationRemoved {
        code: "LB501",
        name: "weight-annotation-removed",
        severity: Warning,
        scope: Cce,
        transition: check,
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    let kept = kept_weights(tx.base.inv, tx.head.inv);
    for (b, h) in tx.frontend_pairs() {
        let Some(weight) = weight_removed(b, h) else {
            continue;
        };
        let label = tx.head.inv.qualified_label(h.object);
        let plan = if kept.contains_key(&label) {
            format!("the plan shows weight {}, which the ELB keeps", weight.value)
        } else {
            "the Service is no longer cross-cluster here, and the ELB's weight is not what the manifest shows".to_string()
        };
        let at = h.multicluster.as_ref().map_or(h.lb.origin(), |m| m.origin);
        out.push(
            Side::Head,
            tx.head
                .finding(
                    &META,
                    h.object,
                    at,
                    format!(
                        "{} no longer sets {} ({} in the base): deleting it does not change the weight on the ELB, which keeps {}; {plan}",
                        tx.head.object_name(h.object),
                        keys::ELB_MULTICLUSTER_WEIGHT,
                        weight.value,
                        weight.value,
                    ),
                )
                .caption(format!("the ELB keeps weight {}", weight.value))
                .help(format!(
                    "set the weight you want explicitly instead of deleting the annotation: {}: \"{}\" keeps today's",
                    keys::ELB_MULTICLUSTER_WEIGHT,
                    weight.value
                )),
        )
        .elsewhere(
            weight.origin,
            Some(tx.base.object_name(b.object)),
            format!("base sets weight {}", weight.value),
        );
    }
}
