use crate::rules::{Context, Sink};
use crate::k8s::annotations::parse_weight;
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// `kubernetes.io/elb.multicluster-loadbalancer-weight` is not an integer from 0 to 100.
    ///
    /// ## What it does
    /// Checks the cross-cluster traffic weight of CCE Services: digits only, 0 to 100. A space
    /// (`" 80"`) or a sign (`"+80"`) is refused too: CCE's parser is not public, Go's
    /// `strconv.Atoi` (what Kubernetes controllers commonly parse integers with) refuses spaces,
    /// and the documentation writes plain digits ("权重可填0-100", Huawei Cloud CCE,
    /// "为负载均衡类型的Service配置跨集群的后端").
    ///
    /// ## Why it matters
    /// The weight is divided among the cluster's backends (`ceil(W / N)` per pod, `ceil(W * k / N)`
    /// per node) and ELB member weights must be 0-100. A value such as `80%`, `0.8` or `120` is
    /// refused or, worse, leaves the cluster's share at whatever it was before.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster: "true"
    ///     kubernetes.io/elb.multicluster-loadbalancer-weight: "80%"
    /// ```
    ///
    /// ## Fix
    /// Write the weight as a plain integer: `kubernetes.io/elb.multicluster-loadbalancer-weight: "80"`.
    pub struct InvalidMulticlusterWeight {
        code: "LB012",
        name: "invalid-multicluster-weight",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let annotations = cx.object(f.object).annotations();
        let Some(a) = annotations.get(keys::ELB_MULTICLUSTER_WEIGHT) else {
            continue;
        };
        if parse_weight(&a.value).is_some() {
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                a.origin,
                format!(
                    "cross-cluster weight {} is not an integer from 0 to 100",
                    quote(&a.value)
                ),
            )
            .caption("must be 0-100")
            .help("write the weight as a plain integer from 0 to 100, such as \"80\""),
        );
    }
}
