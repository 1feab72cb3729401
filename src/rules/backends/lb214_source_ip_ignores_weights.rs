use crate::rules::{Context, Sink};
use crate::k8s::keys;
use crate::model::frontend::LbAlgorithm;
use crate::plan::ListenerClaim;
use crate::source::Origin;

declare_rule! {
    /// `kubernetes.io/elb.lb-algorithm: SOURCE_IP` together with backend weights or sticky sessions.
    ///
    /// ## What it does
    /// On CCE, reports the `SOURCE_IP` algorithm on a Service that weights its backends: a
    /// cross-cluster weight, adaptive weight or custom backend weights. And, as a second case,
    /// `SOURCE_IP` together with source-IP session affinity
    /// (`kubernetes.io/elb.session-affinity-mode: SOURCE_IP`).
    ///
    /// ## Why it matters
    /// With source-IP hashing the ELB ignores member weights (ground truth §1.6 and §1.7): an 80:20
    /// cross-cluster split, or any custom weighting, is not applied at all (LB208 then stays
    /// quiet about rounding, and LB209 and LB210 say that weights do not apply). And with
    /// `SOURCE_IP`, session affinity cannot be enabled (ground truth §1.6): the Service asks for
    /// something the ELB refuses.
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
    /// With `SOURCE_IP`, drop `session-affinity-mode`: source-IP hashing already keeps a client on
    /// one backend.
    pub struct SourceIpIgnoresWeights {
        code: "LB214",
        name: "source-ip-ignores-weights",
        severity: Warning,
        scope: Cce,
        check: check,
    }
}

/// Where the listener of these claims uses `SOURCE_IP`: the algorithm of its first CCE Service,
/// whose listener settings CCE applies (LB219 reports the others). Member weights do not apply there.
pub(super) fn source_ip_listener(cx: &Context, claims: &[ListenerClaim]) -> Option<Origin> {
    let first = claims
        .iter()
        .map(|c| cx.inv.frontend(c.frontend))
        .find(|f| f.is_cce() && !f.is_ingress())?;
    first
        .listener
        .lb_algorithm()
        .filter(|a| a.value == LbAlgorithm::SourceIp)
        .map(|a| a.origin)
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(algorithm) = f
            .listener
            .lb_algorithm()
            .filter(|a| a.value == LbAlgorithm::SourceIp)
        else {
            continue;
        };
        if let Some(sticky) = f.listener.sticky() {
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    sticky,
                    "session affinity cannot be enabled with the SOURCE_IP algorithm",
                )
                .caption("refused with SOURCE_IP")
                .help("drop kubernetes.io/elb.session-affinity-mode: SOURCE_IP hashing already keeps each client on one backend; or use ROUND_ROBIN with session affinity")
                .related(algorithm.origin, Some(cx.object_name(f.object)), "SOURCE_IP set here"),
            );
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
