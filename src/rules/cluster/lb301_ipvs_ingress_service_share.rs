use std::collections::BTreeSet;

use crate::rules::{Context, Sink};
use crate::facts::{ClusterFacts, Fact};

declare_rule! {
    /// In an IPVS cluster, an Ingress and a LoadBalancer Service use the same ELB.
    ///
    /// ## What it does
    /// On CCE, reports an Ingress whose ELB also serves a LoadBalancer Service of a cluster whose
    /// kube-proxy runs in IPVS mode. Needs the proxy mode (`--proxy-mode`).
    ///
    /// ## Why it matters
    /// In IPVS mode kube-proxy binds every LoadBalancer Service's address to the `kube-ipvs0`
    /// interface of every node. Traffic from nodes and pods to that address never leaves the node,
    /// so the Ingress on the same ELB is unreachable from inside the cluster (China Telecom Cloud CCE, "负载均衡(LoadBalancer)"), while it
    /// works from outside: the failure shows up as "works for customers, not for our jobs".
    ///
    /// Quiet when every LoadBalancer Service on the ELB has pass-through on
    /// (`kubernetes.io/elb.pass-through: "true"`, or the `onlyLocal` Huawei CCE sets itself for
    /// `externalTrafficPolicy: Local` from v1.19). This is inferred, not stated: China Telecom
    /// Cloud CCE's "负载均衡(LoadBalancer)" says that with pass-through in-cluster requests to the
    /// ELB address bypass kube-proxy and go through the ELB, so kube-proxy has no address of
    /// theirs to capture on `kube-ipvs0`.
    ///
    /// ## Example
    /// ```yaml
    /// # Ingress:  kubernetes.io/elb.id: X
    /// # Service:  type: LoadBalancer, kubernetes.io/elb.id: X     (cluster in IPVS mode)
    /// ```
    ///
    /// ## Fix
    /// Give the Ingress and the Service different ELBs.
    pub struct IpvsIngressServiceShare {
        code: "LB301",
        name: "ipvs-ingress-service-share",
        severity: Warning,
        scope: Cce,
        check: check,
        facts: [ProxyMode],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut reported = BTreeSet::new();
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        let frontends: Vec<_> = planned
            .frontends()
            .iter()
            .map(|&fid| cx.inv.frontend(fid))
            .filter(|f| f.is_cce())
            .collect();
        // Pass-through on every Service: no address of theirs is bound to kube-ipvs0.
        let services_pass_through = frontends.iter().filter(|f| !f.is_ingress()).all(|f| {
            let service = cx.object(f.object).as_service();
            let local = service.and_then(|s| s.local_traffic_policy()).map(|p| p.origin);
            f.pass_through(local, cx.cluster(f.object).facts.version.as_ref())
                .is_on()
        });
        if services_pass_through {
            continue;
        }
        for ingress in frontends.iter().filter(|f| f.is_ingress()) {
            for service in frontends.iter().filter(|f| !f.is_ingress()) {
                let cluster = cx.cluster(service.object);
                let meta = &META;
                if !cx.cluster_of_is(
                    out,
                    meta,
                    service.object,
                    ingress.object,
                    Fact::ProxyMode,
                    ClusterFacts::is_ipvs,
                ) {
                    continue;
                }
                if !reported.insert(ingress.object) {
                    continue;
                }
                out.push(
                    cx.finding(
                        &META,
                        ingress.object,
                        ingress.lb.origin(),
                        format!(
                            "ELB {} also serves LoadBalancer {} of IPVS cluster {}: this Ingress is unreachable from that cluster's nodes and pods",
                            lb.id,
                            cx.qualified_name(service.object),
                            cluster.name()
                        ),
                    )
                    .caption("ELB shared with a LoadBalancer Service")
                    .help("use different ELBs for the Ingress and the Service; kube-proxy in IPVS mode captures the ELB address on every node")
                    .related(service.lb.origin(), Some(cx.object_name(service.object)), "LoadBalancer Service on the same ELB"),
                );
            }
        }
    }
}
