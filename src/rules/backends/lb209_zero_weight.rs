use crate::rules::{Context, Sink};
use crate::model::frontend::LbAlgorithm;

declare_rule! {
    /// A cross-cluster weight of 0: that cluster gets no new connections.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.multicluster-loadbalancer-weight: "0"` on a cross-cluster
    /// Service. When the Service's algorithm is `SOURCE_IP`, the finding says that the weight
    /// does not apply: the ELB ignores member weights there (ground truth §1.7), so the weight 0
    /// does not drain the cluster either.
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
        let cluster = cx.cluster(f.object).name();
        let source_ip = f
            .listener
            .lb_algorithm()
            .filter(|a| a.value == LbAlgorithm::SourceIp);
        let finding = match source_ip {
            Some(algorithm) => cx
                .finding(
                    &META,
                    f.object,
                    weight.origin,
                    format!("cross-cluster weight 0 does not apply: with SOURCE_IP the ELB ignores member weights, so cluster {cluster} still receives new connections"),
                )
                .caption("ignored with SOURCE_IP")
                .help("to drain this cluster, use ROUND_ROBIN or LEAST_CONNECTIONS with weight 0, or remove the Service; else give it a weight above 0")
                .related(algorithm.origin, Some(cx.object_name(f.object)), "SOURCE_IP set here"),
            None => cx
                .finding(
                    &META,
                    f.object,
                    weight.origin,
                    format!("cross-cluster weight 0: cluster {cluster} receives no new connections"),
                )
                .caption("drains this cluster")
                .help("set a weight above 0, or suppress with lbplan.io/ignore: zero-weight if the drain is intended"),
        };
        out.push(finding);
    }
}
