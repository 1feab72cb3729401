use std::collections::BTreeSet;

use super::{Context, Sink};
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
    /// ## Why it matters
    /// Cross-cluster backends work only when every Service attached to the listener enables it.
    /// Otherwise the non-cross-cluster Service's controller treats the backend group as its own and
    /// overwrites or clears the other clusters' members, and the ECS members added by hand
    /// (seed 002).
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
    }
}
