use crate::rules::{Context, Sink};
use crate::k8s::keys;

declare_rule! {
    /// `kubernetes.io/elb.custom-backend-weights` with the cross-cluster weight or adaptive weight.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.custom-backend-weights` on a Service that also sets
    /// `kubernetes.io/elb.multicluster-loadbalancer-weight` or `kubernetes.io/elb.adaptive-weight`.
    ///
    /// ## Why it matters
    /// Huawei documents that custom backend weights cannot be combined with either (ground truth
    /// §1.1): the Service is refused, or one weighting silently wins.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.custom-backend-weights: '{"web-0": 80, "web-1": 20}'
    ///     kubernetes.io/elb.adaptive-weight: "true"
    /// ```
    ///
    /// ## Fix
    /// Keep one way of weighting: custom backend weights, adaptive weight, or a cross-cluster weight.
    pub struct CustomWeightsConflict {
        code: "LB212",
        name: "custom-weights-conflict",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(custom) = f.custom_backend_weights else {
            continue;
        };
        let others = [
            f.weight
                .as_ref()
                .map(|w| (keys::ELB_MULTICLUSTER_WEIGHT, w.origin)),
            f.adaptive_weight
                .as_ref()
                .filter(|a| a.value)
                .map(|a| (keys::ELB_ADAPTIVE_WEIGHT, a.origin)),
        ];
        for (key, origin) in others.into_iter().flatten() {
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    custom,
                    format!("custom backend weights cannot be combined with {key}"),
                )
                .caption("conflicting weighting")
                .help("keep one way of weighting backends")
                .related(
                    origin,
                    Some(cx.object_name(f.object)),
                    "also weights the backends",
                ),
            );
        }
    }
}
