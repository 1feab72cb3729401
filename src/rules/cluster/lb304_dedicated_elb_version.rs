use crate::facts::Gate;
use crate::rules::{Context, Sink};
use crate::model::frontend::ElbClass;

declare_rule! {
    /// A dedicated ELB (`elb.class: performance`) on a cluster older than 1.17.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.class: performance` when the cluster version is below
    /// 1.17. Needs the version (`--k8s-version`).
    ///
    /// ## Why it matters
    /// Dedicated ELBs are supported only on clusters of 1.17 and later (China Telecom Cloud CCE, "负载均衡(LoadBalancer)"); on an older
    /// cluster the Service never gets its load balancer.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster version v1.15.11
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.class: performance
    /// ```
    ///
    /// ## Fix
    /// Upgrade the cluster to 1.17 or later, or use a shared ELB (`union`).
    pub struct DedicatedElbVersion {
        code: "LB304",
        name: "dedicated-elb-version",
        severity: Error,
        scope: Cce,
        check: check,
        facts: [Version],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(a) = f
            .class
            .as_ref()
            .filter(|c| c.value == ElbClass::Performance)
        else {
            continue;
        };
        let at = (&META, f.object, a.origin);
        let Some(finding) = cx.version_finding(out, at, Gate::minor(1, 17), |v, c| {
            format!("dedicated ELB on cluster {c} ({v}); dedicated ELBs need 1.17 or later")
        }) else {
            continue;
        };
        out.push(
            finding
                .caption("needs a 1.17+ cluster")
                .help("upgrade the cluster to 1.17 or later, or use kubernetes.io/elb.class: union"),
        );
    }
}
