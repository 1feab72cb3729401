use crate::rules::{Context, Sink};
use crate::facts::{ClusterFacts, Fact};
use crate::model::targets::template_of;

declare_rule! {
    /// `externalTrafficPolicy: Local` on a CCE Turbo cluster.
    ///
    /// ## What it does
    /// Reports LoadBalancer Services with `externalTrafficPolicy: Local` in a CCE Turbo cluster,
    /// unless every pod they target uses `hostNetwork`. Needs the flavor (`--flavor`).
    ///
    /// ## Why it matters
    /// CCE Turbo supports only cluster-level service affinity (`Cluster`); `Local` is allowed only
    /// for hostNetwork backends (China Telecom Cloud CCE, "负载均衡(LoadBalancer)"; Huawei CCE "Creating a LoadBalancer Service"). The Service is refused or keeps no backends.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Local
    /// ```
    ///
    /// ## Fix
    /// Use `externalTrafficPolicy: Cluster`; to keep the client source IP on Turbo, use a dedicated
    /// ELB, which passes traffic through to the pods.
    pub struct TurboLocalTrafficPolicy {
        code: "LB303",
        name: "turbo-local-traffic-policy",
        severity: Error,
        scope: Cce,
        check: check,
        facts: [Flavor],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(service) = cx.object(f.object).as_service() else {
            continue;
        };
        let Some(policy) = service.local_traffic_policy() else {
            continue;
        };
        let cluster = cx.cluster(f.object);
                if !cx.cluster_is(
            out,
            &META,
            f.object,
            Fact::Flavor,
            ClusterFacts::is_turbo,
        ) {
            continue;
        }
        let pods = &cx.inv.targets_of(f.object).pods;
        let all_host_network = !pods.is_empty()
            && pods
                .iter()
                .all(|p| template_of(cx.inv, p.source()).is_some_and(|t| t.host_network.is_some()));
        if all_host_network {
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                policy.origin,
                format!(
                    "externalTrafficPolicy: Local on CCE Turbo cluster {}, which supports only Cluster for non-hostNetwork pods",
                    cluster.name()
                ),
            )
            .about_pods(pods.iter().map(|p| p.source()))
            .caption("Turbo supports Cluster only")

            .help("use externalTrafficPolicy: Cluster (a dedicated ELB passes through to pods and keeps the source IP)"),
        );
    }
}
