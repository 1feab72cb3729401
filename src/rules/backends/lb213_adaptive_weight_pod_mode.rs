use crate::rules::{Context, Sink};
use crate::facts::{ClusterFacts, Fact};

declare_rule! {
    /// `kubernetes.io/elb.adaptive-weight` where the ELB passes traffic straight to pods.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.adaptive-weight: "true"` on a Service in pod mode (CCE
    /// Turbo with a dedicated ELB, `elb.class: performance`). Needs the flavor (`--flavor`).
    ///
    /// ## Why it matters
    /// Adaptive weight sets a node's weight from the number of pods on it; with pass-through to
    /// pods there are no node members, so it has no effect (ground truth §1.1) and the weighting
    /// you expected does not happen.
    ///
    /// ## Example
    /// ```yaml
    /// # CCE Turbo cluster
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.class: performance
    ///     kubernetes.io/elb.adaptive-weight: "true"
    /// ```
    ///
    /// ## Fix
    /// Remove `kubernetes.io/elb.adaptive-weight`; in pod mode each pod is already a member of equal
    /// weight.
    pub struct AdaptiveWeightPodMode {
        code: "LB213",
        name: "adaptive-weight-pod-mode",
        severity: Warning,
        scope: Cce,
        check: check,
        facts: [Flavor],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(a) = f.adaptive_weight.as_ref().filter(|a| a.value) else {
            continue;
        };
        if !f.is_dedicated() {
            continue;
        }
                if !cx.cluster_is(
            out,
            &META,
            f.object,
            Fact::Flavor,
            ClusterFacts::is_turbo,
        ) {
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                a.origin,
                "adaptive weight has no effect when a dedicated ELB passes traffic straight to pods (CCE Turbo)",
            )
            .caption("no effect in pod mode")
            .help("remove kubernetes.io/elb.adaptive-weight; each pod is already a member"),
        );
    }
}
