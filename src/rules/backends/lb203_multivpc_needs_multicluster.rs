use crate::rules::{Context, Sink};
use crate::model::frontend::on;

declare_rule! {
    /// `kubernetes.io/elb.multivpc: "true"` without `kubernetes.io/elb.multicluster: "true"`.
    ///
    /// ## What it does
    /// On CCE, reports a Service that enables cross-VPC backends without enabling cross-cluster
    /// backends.
    ///
    /// ## Why it matters
    /// Cross-VPC is an extension of cross-cluster: CCE only honours `multivpc` when `multicluster`
    /// is on (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端"), so the Service is attached as an ordinary one and takes over the listener.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multivpc: "true"
    /// ```
    ///
    /// ## Fix
    /// Add `kubernetes.io/elb.multicluster: "true"`.
    pub struct MultivpcNeedsMulticluster {
        code: "LB203",
        name: "multivpc-needs-multicluster",
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
        if on(f.multicluster.as_ref()) {
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                multivpc.origin,
                "kubernetes.io/elb.multivpc is on but kubernetes.io/elb.multicluster is not",
            )
            .caption("cross-VPC needs cross-cluster")
            .help("add kubernetes.io/elb.multicluster: \"true\""),
        );
    }
}
