use crate::facts::Gate;
use super::{Context, Sink};

declare_rule! {
    /// `externalTrafficPolicy: Local` on a LoadBalancer Service: its address may not work in-cluster.
    ///
    /// ## What it does
    /// Notes LoadBalancer Services with `externalTrafficPolicy: Local`, unless CCE pass-through
    /// (`kubernetes.io/elb.pass-through`) is on in a cluster that supports it (1.16 and later).
    ///
    /// ## Why it matters
    /// kube-proxy treats the load balancer's address as the Service's external IP and handles
    /// in-cluster requests to it itself. With `Local`, a node without a backend pod drops them, so
    /// pods and nodes calling the LB address fail intermittently, depending on where they run
    /// (seed 003).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Local
    /// ```
    ///
    /// ## Fix
    /// Inside the cluster use the Service's ClusterIP or DNS name; or, on CCE, set
    /// `kubernetes.io/elb.pass-through: "true"` so that in-cluster traffic goes through the ELB.
    pub struct LocalPolicyInClusterAccess {
        code: "LB307",
        name: "local-policy-in-cluster-access",
        severity: Info,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.frontends() {
        let object = cx.object(f.object);
        let Some(service) = object.as_service() else {
            continue;
        };
        let Some(policy) = service.local_traffic_policy() else {
            continue;
        };
        // Pass-through sends in-cluster traffic through the ELB, except on 1.15 and older, which
        // do not support it (LB311 reports that).
        let unsupported = cx
            .cluster(f.object)
            .facts
            .version
            .as_ref()
            .and_then(|v| v.below(Gate::minor(1, 16)))
            == Some(true);
        if f.is_cce() && f.pass_through_on() && !unsupported {
            continue;
        }
        let pass_through = if f.is_cce() {
            ", or set kubernetes.io/elb.pass-through: \"true\""
        } else {
            ""
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                policy.origin,
                "with externalTrafficPolicy: Local the load balancer address may be unreachable from inside the cluster",
            )
            .caption("in-cluster calls to the LB address depend on the node")
            .help(format!("inside the cluster call the Service by its ClusterIP or DNS name{pass_through}")),
        );
    }
}
