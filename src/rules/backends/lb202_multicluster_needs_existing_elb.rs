use crate::rules::{Context, Sink};

declare_rule! {
    /// A cross-cluster Service without an existing ELB.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.multicluster: "true"` on a Service that has no
    /// `kubernetes.io/elb.id`, or that asks for a new ELB with `kubernetes.io/elb.autocreate`.
    ///
    /// ## Why it matters
    /// Cross-cluster backends attach several clusters to one existing ELB; CCE does not support
    /// creating that ELB with the Service (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端"). The Service fails to sync, or each cluster
    /// gets its own ELB and the cross-cluster split never happens.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster: "true"
    ///     kubernetes.io/elb.autocreate: '{"type":"public"}'
    /// ```
    ///
    /// ## Fix
    /// Create the ELB first and name it in every cluster's Service with `kubernetes.io/elb.id`;
    /// remove `kubernetes.io/elb.autocreate`.
    pub struct MulticlusterNeedsExistingElb {
        code: "LB202",
        name: "multicluster-needs-existing-elb",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        if !f.is_cross_cluster() {
            continue;
        }
        if !f.lb.is_auto() && f.autocreate.is_none() {
            continue;
        }
        let Some(multicluster) = &f.multicluster else {
            continue;
        };
        let message = match f.autocreate {
            Some(_) => {
                "cross-cluster Service asks for a new ELB with kubernetes.io/elb.autocreate; cross-cluster needs an existing ELB"
            }
            None => "cross-cluster Service names no ELB: kubernetes.io/elb.id is required",
        };
        let mut finding = cx
            .finding(&META, f.object, multicluster.origin, message)
            .caption("cross-cluster needs an existing ELB")
            .help("create the ELB first and set kubernetes.io/elb.id on every cluster's Service; remove kubernetes.io/elb.autocreate");
        if let Some(autocreate) = f.autocreate {
            finding = finding.related(autocreate, Some(cx.object_name(f.object)), "asks for a new ELB");
        }
        out.push(finding);
    }
}
