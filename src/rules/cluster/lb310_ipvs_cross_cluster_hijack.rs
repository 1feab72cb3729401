use crate::rules::{Context, Sink};
use crate::facts::{ClusterFacts, Fact};

declare_rule! {
    /// In an IPVS cluster, a cross-cluster ELB without pass-through.
    ///
    /// ## What it does
    /// On CCE, reports a cross-cluster Service (`kubernetes.io/elb.multicluster: "true"`) in a
    /// cluster whose kube-proxy runs in IPVS mode, when `kubernetes.io/elb.pass-through` is not on.
    /// Needs the proxy mode (`--proxy-mode`).
    ///
    /// ## Why it matters
    /// kube-proxy binds the ELB address to `kube-ipvs0` on every node, so a pod calling the shared
    /// ELB is answered by its own cluster's Service and never reaches the other cluster (ground
    /// truth §1.8): failover and the cross-cluster split do not apply to in-cluster callers.
    ///
    /// ## Example
    /// ```yaml
    /// # IPVS cluster
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster: "true"
    /// ```
    ///
    /// ## Fix
    /// Set `kubernetes.io/elb.pass-through: "true"` so that in-cluster traffic goes through the
    /// ELB.
    pub struct IpvsCrossClusterHijack {
        code: "LB310",
        name: "ipvs-cross-cluster-hijack",
        severity: Warning,
        scope: Cce,
        check: check,
        facts: [ProxyMode],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        if !f.is_cross_cluster() {
            continue;
        }
        if f.pass_through_on() {
            continue;
        }
        let cluster = cx.cluster(f.object);
                if !cx.cluster_is(
            out,
            &META,
            f.object,
            Fact::ProxyMode,
            ClusterFacts::is_ipvs,
        ) {
            continue;
        }
        let at = f
            .pass_through
            .as_ref()
            .or(f.multicluster.as_ref())
            .map_or(f.lb.origin(), |a| a.origin);
        out.push(
            cx.finding(
                &META,
                f.object,
                at,
                format!(
                    "cross-cluster ELB {} in IPVS cluster {} without pass-through: in-cluster calls to it stay in this cluster",
                    f.lb.id(),
                    cluster.name()
                ),
            )
            .caption("IPVS captures the ELB address locally")
            .help("set kubernetes.io/elb.pass-through: \"true\" so that in-cluster traffic goes through the ELB"),
        );
    }
}
