use super::{Context, Sink};

declare_rule! {
    /// A cross-cluster weight of 0: that cluster gets no new connections.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.multicluster-loadbalancer-weight: "0"` on a cross-cluster
    /// Service.
    ///
    /// ## Why it matters
    /// Every member of the cluster then weighs 0, and an ELB member of weight 0 receives no new
    /// requests (ground truth §1.7). That is right for draining a cluster, and an outage of that
    /// cluster's share when it was left in by accident.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster: "true"
    ///     kubernetes.io/elb.multicluster-loadbalancer-weight: "0"
    /// ```
    ///
    /// ## Fix
    /// Give the cluster a weight above 0, or, for an intended drain, suppress the finding with
    /// `lbplan.io/ignore: "zero-weight; draining cluster b"`.
    pub struct ZeroWeight {
        code: "LB209",
        name: "zero-weight",
        severity: Warning,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(weight) = f.cross_cluster_weight().filter(|w| w.value == 0) else {
            continue;
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                weight.origin,
                format!("cross-cluster weight 0: cluster {} receives no new connections", cx.cluster(f.object).name()),
            )
            .caption("drains this cluster")
            .help("set a weight above 0, or suppress with lbplan.io/ignore: zero-weight if the drain is intended"),
        );
    }
}
