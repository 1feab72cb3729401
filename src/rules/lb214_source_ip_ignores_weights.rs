use super::{Context, Sink};
use crate::k8s::keys;

declare_rule! {
    /// `kubernetes.io/elb.lb-algorithm: SOURCE_IP` together with backend weights.
    ///
    /// ## What it does
    /// On CCE, reports the `SOURCE_IP` algorithm on a Service that weights its backends: a
    /// cross-cluster weight, adaptive weight or custom backend weights.
    ///
    /// ## Why it matters
    /// With source-IP hashing the ELB ignores member weights (ground truth §1.6): an 80:20
    /// cross-cluster split, or any custom weighting, is not applied at all.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.lb-algorithm: SOURCE_IP
    ///     kubernetes.io/elb.multicluster-loadbalancer-weight: "80"
    /// ```
    ///
    /// ## Fix
    /// Use `ROUND_ROBIN` or `LEAST_CONNECTIONS` where weights must hold, or drop the weights.
    pub struct SourceIpIgnoresWeights {
        code: "LB214",
        name: "source-ip-ignores-weights",
        severity: Warning,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let annotations = cx.object(f.object).annotations();
        let Some(algorithm) = annotations.get(keys::ELB_LB_ALGORITHM) else {
            continue;
        };
        if algorithm.value.trim() != "SOURCE_IP" {
            continue;
        }
        let weight = f
            .weight
            .as_ref()
            .filter(|_| f.is_cross_cluster())
            .map(|w| (keys::ELB_MULTICLUSTER_WEIGHT, w.origin))
            .or_else(|| {
                f.adaptive_weight
                    .as_ref()
                    .filter(|a| a.value)
                    .map(|a| (keys::ELB_ADAPTIVE_WEIGHT, a.origin))
            })
            .or_else(|| {
                f.custom_backend_weights
                    .map(|origin| (keys::ELB_CUSTOM_BACKEND_WEIGHTS, origin))
            });
        let Some((key, origin)) = weight else {
            continue;
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                algorithm.origin,
                format!("SOURCE_IP ignores member weights, so {key} has no effect"),
            )
            .caption("weights are ignored with SOURCE_IP")
            .help("use ROUND_ROBIN or LEAST_CONNECTIONS where the weights must hold")
            .related(origin, Some(cx.object_name(f.object)), "weights set here"),
        );
    }
}
