use std::collections::BTreeMap;

use super::{Context, Sink};
use crate::facts::{Fact, ProxyMode};
use crate::model::{ClusterId, Frontend};

declare_rule! {
    /// In an IPVS cluster, Services on one ELB differ in `kubernetes.io/elb.pass-through`.
    ///
    /// ## What it does
    /// On CCE, groups the LoadBalancer Services of each IPVS cluster by ELB and reports each whose
    /// pass-through setting (`true` or `onlyLocal` versus absent or `false`) differs from the
    /// first's. Needs the proxy mode (`--proxy-mode`).
    ///
    /// ## Why it matters
    /// With pass-through off, kube-proxy binds the ELB address to `kube-ipvs0` on every node; with
    /// it on, in-cluster traffic goes out to the ELB. On one ELB the two cannot coexist: in IPVS
    /// mode all Services on one ELB must have the same pass-through setting (seed 003), or
    /// in-cluster access to some of them breaks.
    ///
    /// ## Example
    /// ```yaml
    /// # Service a: kubernetes.io/elb.id: X, kubernetes.io/elb.pass-through: "true"
    /// # Service b: kubernetes.io/elb.id: X        (no pass-through)
    /// ```
    ///
    /// ## Fix
    /// Set the same `kubernetes.io/elb.pass-through` value on every Service of the ELB.
    pub struct IpvsPassThroughMismatch {
        code: "LB302",
        name: "ipvs-pass-through-mismatch",
        severity: Error,
        scope: Cce,
        check: check,
        facts: [ProxyMode],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        let mut by_cluster: BTreeMap<ClusterId, Vec<&Frontend>> = BTreeMap::new();
        for &fid in planned.frontends() {
            let f = cx.inv.frontend(fid);
            if f.is_cce() && !f.is_ingress() {
                by_cluster.entry(f.cluster).or_default().push(f);
            }
        }
        for services in by_cluster.values() {
            let Some((first, rest)) = services.split_first() else {
                continue;
            };
            let reference = first.pass_through_on();
            let differing: Vec<_> = rest
                .iter()
                .filter(|f| f.pass_through_on() != reference)
                .collect();
            if differing.is_empty() {
                continue;
            }
            let cluster = cx.cluster(first.object);
            match cluster.facts.proxy_mode {
                Some(ProxyMode::Ipvs) => {}
                Some(ProxyMode::Iptables) => continue,
                None => {
                    for f in &differing {
                        out.unknown(
                            &META,
                            cluster,
                            Fact::ProxyMode,
                            f.object,
                        );
                    }
                    continue;
                }
            }
            let origin_of =
                |f: &Frontend| f.pass_through.as_ref().map_or(f.lb.origin(), |p| p.origin);
            let state = |on: bool| if on { "on" } else { "off" };
            for f in differing {
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        origin_of(f),
                        format!(
                            "pass-through is {} here but {} for {}, which shares ELB {} in IPVS cluster {}",
                            state(!reference),
                            state(reference),
                            cx.qualified_name(first.object),
                            lb.id,
                            cluster.name()
                        ),
                    )
                    .caption(format!("pass-through {}", state(!reference)))
                    .help("set the same kubernetes.io/elb.pass-through on every Service of this ELB")
                    .related(origin_of(first), Some(cx.object_name(first.object)), format!("pass-through {}", state(reference))),
                );
            }
        }
    }
}
