use crate::rules::{Context, Sink, first_conflicts};
use crate::model::Frontend;
use crate::plan::ListenerClaim;

declare_rule! {
    /// Two objects claim the same listener (load balancer, protocol, port).
    ///
    /// ## What it does
    /// Groups every listener claim by load balancer ID, protocol and port, across files, documents
    /// and `List` items, and reports each claim that collides with an earlier one. Claims that may
    /// share a listener are left alone: CCE Ingresses on one ELB (they add forwarding rules to one
    /// listener) and CCE cross-cluster Services (see LB201). An Ingress and an HTTP Service on one
    /// CCE listener are LB106; a TKE Ingress sharing a CLB with another Ingress or a Service is
    /// LB409.
    ///
    /// ## Why it matters
    /// Each controller reconciles the listener's backend group to its own pods and removes every
    /// other member. Two Services on one listener therefore keep deleting each other's backends:
    /// traffic flaps between them and neither is reliably reachable.
    ///
    /// ## Example
    /// ```yaml
    /// # a.yaml                                   # b.yaml
    /// kubernetes.io/elb.id: 5083f225-...           kubernetes.io/elb.id: 5083f225-...
    /// ports: [{port: 80, protocol: TCP}]           ports: [{port: 80, protocol: TCP}]
    /// ```
    ///
    /// ## Fix
    /// Give one of the Services another port or another load balancer. To serve one port from
    /// several clusters on CCE, mark every Service `kubernetes.io/elb.multicluster: "true"`. On a
    /// shared TKE CLB, only TCP and UDP on the same port may meet.
    pub struct ListenerConflict {
        code: "LB101",
        name: "listener-conflict",
        severity: Error,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        let claims = planned.claims();
        let conflicts = first_conflicts(&claims, |a, b| {
            a.protocol == b.protocol && a.port == b.port && conflict(cx, a, b)
        });
        for (later, earlier) in conflicts {
            let f = cx.inv.frontend(later.frontend);
            let other = cx.inv.frontend(earlier.frontend);
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    later.origin,
                    format!(
                        "listener {}:{} of load balancer {} is also claimed by {}",
                        later.protocol,
                        later.port,
                        lb.id,
                        cx.qualified_name(other.object)
                    ),
                )
                .caption(format!("{}:{} claimed again here", later.protocol, later.port))
                .help(help(f, other))
                .related(earlier.origin, Some(cx.object_name(other.object)), "first claimed here"),
            );
        }
    }
}

/// The fix depends on who claims the listener: two Services can move one to another port; TKE
/// shares a CLB only for TCP and UDP on one port. (A TKE Ingress sharing a CLB is LB409's.)
fn help(a: &Frontend, b: &Frontend) -> &'static str {
    if a.is_tke() && b.is_tke() {
        return "give one of the Services another port or another CLB: on a shared CLB, TKE supports only TCP and UDP on the same port";
    }
    if a.is_ingress() || b.is_ingress() {
        return "give the Service another port or another load balancer: the Ingress's controller owns this listener and its forwarding rules";
    }
    "give one of the Services another port or another load balancer: each controller removes the other's backends from a shared listener"
}

fn conflict(cx: &Context, a: &ListenerClaim, b: &ListenerClaim) -> bool {
    let fa = cx.inv.frontend(a.frontend);
    let fb = cx.inv.frontend(b.frontend);
    if fa.object == fb.object {
        return false;
    }
    // A TKE Ingress sharing a CLB, with another Ingress or a Service, is LB409's concern: one
    // finding, not two.
    if (fa.is_tke() && fa.is_ingress()) || (fb.is_tke() && fb.is_ingress()) {
        return false;
    }
    if fa.is_cce() && fb.is_cce() {
        // CCE Ingresses add forwarding rules to one shared listener; an Ingress and a Service on
        // one CCE listener are LB106's concern; Services of different clusters share it
        // cross-cluster, LB201's concern. Two Services of one cluster conflict.
        return !fa.is_ingress() && !fb.is_ingress() && fa.cluster == fb.cluster;
    }
    true
}
