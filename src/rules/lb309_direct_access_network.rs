use super::{Context, Sink};
use crate::facts::{ClusterFacts, Fact};
use crate::model::Mode;

declare_rule! {
    /// TKE direct access in a GlobalRouter cluster.
    ///
    /// ## What it does
    /// Reports Services and Ingresses with TKE direct access in a cluster whose network mode is
    /// `global-router`. Needs the network mode (`--network`).
    ///
    /// ## Why it matters
    /// Direct access binds pod IPs to the CLB through elastic network interfaces; it requires the
    /// VPC-CNI ENI mode (seeds 001, 004). In a GlobalRouter cluster the CLB gets no backends.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster network: global-router
    /// metadata:
    ///   annotations:
    ///     service.cloud.tencent.com/direct-access: "true"
    /// ```
    ///
    /// ## Fix
    /// Enable VPC-CNI for the cluster (and the workload), or remove direct access. GlobalRouter
    /// direct access (`GlobalRouteDirectAccess` in `tke-service-controller-config`) is a separate
    /// opt-in for bandwidth-up accounts.
    pub struct DirectAccessNetwork {
        code: "LB309",
        name: "direct-access-network",
        severity: Error,
        scope: Tke,
        check: check,
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
        out.push(
            cx.finding(
                &META,
                f.object,
                f.direct_access_origin(),
                format!(
                    "direct access in GlobalRouter cluster {}: it needs VPC-CNI ENI mode",
                    cluster.name()
                ),
            )
            .caption("needs VPC-CNI")
            .help("enable VPC-CNI for the cluster and the workload, or remove direct access"),
        );
    }
}
