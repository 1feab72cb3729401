use crate::rules::{Context, Sink};
use crate::facts::{ClusterFacts, Fact};
use crate::model::Mode;

declare_rule! {
    /// TKE direct access in a GlobalRouter cluster.
    ///
    /// ## What it does
    /// Reports Services and Ingresses with TKE direct access in a cluster whose network mode is
    /// `global-router`, unless GlobalRouter direct access is on. Needs the network mode
    /// (`--network`, or an export of `kube-system/tke-cni-agent-conf`). GlobalRouter direct
    /// access comes from `--global-route-direct-access`, `clusters[].global_route_direct_access`,
    /// an export of ConfigMap `kube-system/tke-service-controller-config`, or that ConfigMap among
    /// the manifests.
    ///
    /// ## Why it matters
    /// Direct access binds pod IPs to the CLB through elastic network interfaces; it requires the
    /// VPC-CNI ENI mode (Tencent Cloud TKE, "Use CLB-Pod Direct Connection on TKE" and "Using Services with LoadBalancer Directly Connected to Pods"). In a GlobalRouter cluster the CLB gets no backends,
    /// unless the cluster opted in to GlobalRouter direct access (`GlobalRouteDirectAccess:
    /// "true"` in `kube-system/tke-service-controller-config`, for bandwidth-up accounts).
    ///
    /// ## Example
    /// ```yaml
    /// # cluster network: global-router, GlobalRouteDirectAccess not "true"
    /// metadata:
    ///   annotations:
    ///     service.cloud.tencent.com/direct-access: "true"
    /// ```
    ///
    /// ## Fix
    /// Enable VPC-CNI for the cluster (and the workload), or remove direct access. Where the
    /// account allows it, opt in to GlobalRouter direct access: set `GlobalRouteDirectAccess:
    /// "true"` in ConfigMap `kube-system/tke-service-controller-config`, and tell lbplan
    /// (`--global-route-direct-access true`, or export that ConfigMap).
    pub struct DirectAccessNetwork {
        code: "LB309",
        name: "direct-access-network",
        severity: Error,
        scope: Tke,
        check: check,
        facts: [Network, GlobalRouteDirectAccess],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.tke_frontends() {
        if f.mode != Mode::Pod {
            continue;
        }
        let cluster = cx.cluster(f.object);
        if !cx.cluster_is(
            out,
            &META,
            f.object,
            Fact::Network,
            ClusterFacts::is_global_router,
        ) {
            continue;
        }
        // The opt-in makes direct access work in a GlobalRouter cluster.
        if cluster.facts.global_route_direct_access == Some(true) {
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                f.direct_access_origin(),
                format!(
                    "direct access in GlobalRouter cluster {}: it needs VPC-CNI ENI mode, or GlobalRouter direct access turned on",
                    cluster.name()
                ),
            )
            .caption("needs VPC-CNI")
            .help("enable VPC-CNI for the cluster and the workload, or remove direct access; where the account allows it, opt in with GlobalRouteDirectAccess: \"true\" in ConfigMap kube-system/tke-service-controller-config (and --global-route-direct-access true)"),
        );
    }
}
