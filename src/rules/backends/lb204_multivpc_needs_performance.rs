use crate::rules::{Context, Sink};
use crate::model::frontend::ElbClass;

declare_rule! {
    /// A cross-VPC Service on an ELB class other than `performance`.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.multivpc: "true"` with `kubernetes.io/elb.class` other
    /// than `performance` (the default, `union`, included).
    ///
    /// ## Why it matters
    /// Backends in another VPC are attached as IP-type backends, which only dedicated ELBs have
    /// (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端"). On a shared ELB the other VPC's members cannot be added.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.class: union
    ///     kubernetes.io/elb.multicluster: "true"
    ///     kubernetes.io/elb.multivpc: "true"
    /// ```
    ///
    /// ## Fix
    /// Use a dedicated ELB with IP-type backends enabled: `kubernetes.io/elb.class: performance`.
    pub struct MultivpcNeedsPerformance {
        code: "LB204",
        name: "multivpc-needs-performance",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(multivpc) = f.multivpc.as_ref().filter(|m| m.value) else {
            continue;
        };
        if f.is_dedicated() {
            continue;
        }
        let at = f.class.as_ref().map_or(multivpc.origin, |c| c.origin);
        let shown = f.elb_class().map_or("union", ElbClass::as_str);
        out.push(
            cx.finding(
                &META,
                f.object,
                at,
                format!("cross-VPC backends need a dedicated ELB, but the ELB class is {shown}"),
            )
            .caption("must be performance for cross-VPC")
            .help("set kubernetes.io/elb.class: performance and enable IP-type backends on the ELB")
            .related(
                multivpc.origin,
                Some(cx.object_name(f.object)),
                "cross-VPC enabled here",
            ),
        );
    }
}
