use std::collections::BTreeSet;

use crate::rules::{Context, Sink};
use crate::model::frontend::RecyclePolicy;

declare_rule! {
    /// `multicluster-resource-recycle-policy: cascade` on a listener shared with other Services.
    ///
    /// ## What it does
    /// On CCE, reports each Service with the `cascade` recycle policy whose listener is also
    /// claimed by another Service. Several `cascade` Services on one listener are always reported,
    /// each pointing at the others.
    ///
    /// ## Why it matters
    /// With `cascade`, deleting the Service, or its whole cluster, force-removes the listener and
    /// the backend group, for every cluster that shares them. Huawei recommends `cascade` on the
    /// first Service only, if at all (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端"); on any other it turns one cluster's clean-up into
    /// an outage of all.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster: "true"
    ///     kubernetes.io/elb.multicluster-resource-recycle-policy: cascade
    /// ```
    ///
    /// ## Fix
    /// Use `member-only` on every Service but the one that created the listener; if this is that
    /// one, keep `cascade` and suppress the finding with `lbplan.io/ignore: shared-cascade`.
    pub struct SharedCascade {
        code: "LB206",
        name: "shared-cascade",
        severity: Warning,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut reported = BTreeSet::new();
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        for planned_listener in planned.listeners() {
            let listener = planned_listener.listener;
            if planned_listener.claims().len() < 2 {
                continue;
            }
            let cascades: Vec<_> = planned_listener
                .claims()
                .iter()
                .filter_map(|c| {
                    let policy = cx.inv.frontend(c.frontend).recycle_policy.as_ref()?;
                    (policy.value == RecyclePolicy::Cascade).then_some((c.frontend, policy.origin))
                })
                .collect();
            for &(fid, annotation) in &cascades {
                let f = cx.inv.frontend(fid);
                if !reported.insert(f.object) {
                    continue;
                }
                let others: Vec<_> = cascades.iter().filter(|(o, _)| *o != fid).collect();
                let mut finding = if others.is_empty() {
                    let Some(claim) = planned_listener.claims().iter().find(|c| c.frontend != fid)
                    else {
                        continue;
                    };
                    let (other, origin) = (cx.inv.frontend(claim.frontend), claim.origin);
                    cx.finding(
                        &META,
                        f.object,
                        annotation,
                        format!(
                            "cascade recycle policy on listener {}:{} of ELB {}, which {} shares: deleting this Service removes the listener for both",
                            listener.protocol,
                            listener.port,
                            lb.id,
                            cx.qualified_name(other.object)
                        ),
                    )
                    .related(origin, Some(cx.object_name(other.object)), "shares the listener")
                } else {
                    cx.finding(
                        &META,
                        f.object,
                        annotation,
                        format!(
                            "{} Services on listener {}:{} of ELB {} set the cascade recycle policy",
                            others.len() + 1,
                            listener.protocol,
                            listener.port,
                            lb.id
                        ),
                    )
                };
                for (other, at) in others {
                    let o = cx.inv.frontend(*other);
                    finding = finding.related(*at, Some(cx.object_name(o.object)), "also cascade");
                }
                out.push(
                    finding
                        .caption("removes the shared listener and backend group on delete")
                        .help("use member-only here; keep cascade on the first Service only, if at all"),
                );
            }
        }
    }
}
