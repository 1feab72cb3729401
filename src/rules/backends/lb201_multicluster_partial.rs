use std::collections::BTreeSet;

use crate::rules::{Context, Severity, Sink};
use crate::model::{ClusterId, FrontendId};
use crate::plan::GroupKind;
use crate::source::Origin;

declare_rule! {
    /// Services from several clusters (or with outside backends) share a listener, but not all of
    /// them are cross-cluster.
    ///
    /// ## What it does
    /// On CCE, for each listener claimed by Services of two or more clusters, reports every one of
    /// them without `kubernetes.io/elb.multicluster: "true"`, with a Service of another cluster as
    /// the related location. A listener that also has backends added outside Kubernetes (ECS
    /// members, declared in the config's `load_balancers[].members`) counts as shared too.
    ///
    /// And, as a warning, every CCE Service without it on any other listener of an ELB that
    /// carries cross-cluster Services: Huawei Cloud CCE's "为负载均衡类型的Service配置跨集群的后端"
    /// asks it of every Service attached to the ELB, not only of those sharing a listener
    /// ("通过ELB实现跨集群访问时，和ELB对接的所有Service均需要开启跨集群能力，否则可能出现后端服务器组被
    /// 覆盖清除的问题": with cross-cluster access through an ELB, every Service attached to the ELB
    /// must enable it, or backend server groups may be overwritten and cleared).
    ///
    /// ## Why it matters
    /// Cross-cluster backends work only when every Service attached to the listener enables it.
    /// Otherwise the non-cross-cluster Service's controller treats the backend group as its own and
    /// overwrites or clears the other clusters' members, and the ECS members added by hand
    /// (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端").
    ///
    /// ## Example
    /// ```yaml
    /// # cluster a: kubernetes.io/elb.multicluster: "true",  elb.id X, port 80
    /// # cluster b: (no multicluster annotation),            elb.id X, port 80
    /// ```
    ///
    /// ## Fix
    /// Add `kubernetes.io/elb.multicluster: "true"` (and a `multicluster-loadbalancer-weight`) to
    /// every Service on the listener, or give the Services different ports.
    pub struct MulticlusterPartial {
        code: "LB201",
        name: "multicluster-partial",
        severity: Error,
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
            let services: Vec<(FrontendId, Origin)> = planned_listener
                .claims()
                .iter()
                .filter(|c| {
                    let f = cx.inv.frontend(c.frontend);
                    f.is_cce() && !f.is_ingress()
                })
                .map(|c| (c.frontend, c.origin))
                .collect();
            let clusters: BTreeSet<ClusterId> = services
                .iter()
                .map(|(fid, _)| cx.inv.frontend(*fid).cluster)
                .collect();
            let external: Vec<&str> = listener
                .groups
                .iter()
                .filter(|g| g.kind == GroupKind::External)
                .flat_map(|g| &g.members)
                .map(|m| m.name.as_str())
                .collect();
            if !external.is_empty() {
                for &(fid, origin) in &services {
                    let f = cx.inv.frontend(fid);
                    if f.is_cross_cluster()
                        || !reported.insert((fid, listener.protocol, listener.port))
                    {
                        continue;
                    }
                    out.push(
                        cx.finding(
                            &META,
                            f.object,
                            f.multicluster.as_ref().map_or(origin, |m| m.origin),
                            format!(
                                "listener {}:{} of ELB {} also has backends added outside Kubernetes ({}), but this Service is not cross-cluster",
                                listener.protocol,
                                listener.port,
                                lb.id,
                                external.join(", ")
                            ),
                        )
                        .caption("needs kubernetes.io/elb.multicluster: \"true\"")
                        .help("set kubernetes.io/elb.multicluster: \"true\" and a weight on this Service, or its controller clears the outside members from the backend group"),
                    );
                }
            }
            if clusters.len() < 2 {
                continue;
            }

            for &(fid, origin) in &services {
                let f = cx.inv.frontend(fid);
                if f.is_cross_cluster() || !reported.insert((fid, listener.protocol, listener.port))
                {
                    continue;
                }
                let Some(&(other_fid, other_origin)) = services
                    .iter()
                    .find(|(o, _)| cx.inv.frontend(*o).cluster != f.cluster)
                else {
                    continue;
                };
                let other = cx.inv.frontend(other_fid);
                let at = f.multicluster.as_ref().map_or(origin, |m| m.origin);
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        at,
                        format!(
                            "listener {}:{} of ELB {} is shared with {} in another cluster, but this Service is not cross-cluster",
                            listener.protocol,
                            listener.port,
                            lb.id,
                            cx.qualified_name(other.object)
                        ),
                    )
                    .caption("needs kubernetes.io/elb.multicluster: \"true\"")
                    .help("set kubernetes.io/elb.multicluster: \"true\" on every Service attached to this listener, or the backend group gets overwritten or cleared")
                    .related(other_origin, Some(cx.object_name(other.object)), "claims the same listener from another cluster"),
                );
            }
        }
        whole_elb(cx, out, planned, &reported);
    }
}

/// Every CCE Service on an ELB that carries cross-cluster Services must be cross-cluster too; the
/// Services already reported on a shared listener are not reported again.
fn whole_elb(
    cx: &Context,
    out: &mut Sink,
    planned: crate::plan::PlannedLb,
    reported: &BTreeSet<(FrontendId, crate::k8s::Protocol, u16)>,
) {
    let lb = planned.lb;
    // Every Service on an ELB that carries cross-cluster Services must be cross-cluster.
    let services: Vec<(FrontendId, &crate::model::Frontend)> = planned
        .frontends()
        .iter()
        .map(|&fid| (fid, cx.inv.frontend(fid)))
        .filter(|(_, f)| f.is_cce() && !f.is_ingress())
        .collect();
    let Some(&(_, cross)) = services.iter().find(|(_, f)| f.is_cross_cluster()) else {
        return;
    };
    for &(fid, f) in &services {
        if f.is_cross_cluster() || reported.iter().any(|(r, _, _)| *r == fid) {
            continue;
        }
        let at = f.multicluster.as_ref().map_or(f.lb.origin(), |m| m.origin);
        out.push(
            cx.finding(
                &META,
                f.object,
                at,
                format!(
                    "ELB {} carries cross-cluster Services such as {}, but this Service on it is not cross-cluster",
                    lb.id,
                    cx.qualified_name(cross.object)
                ),
            )
            .severity(Severity::Warning)
            .caption("needs kubernetes.io/elb.multicluster: \"true\"")
            .help("set kubernetes.io/elb.multicluster: \"true\" on every Service attached to a cross-cluster ELB, or move this Service to another ELB: otherwise backend groups may be overwritten or cleared")
            .related(cross.lb.origin(), Some(cx.object_name(cross.object)), "cross-cluster Service on the same ELB"),
        );
    }
}
