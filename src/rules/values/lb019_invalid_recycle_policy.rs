use crate::rules::{Context, Sink};
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// `kubernetes.io/elb.multicluster-resource-recycle-policy` is neither `member-only` nor `cascade`.
    ///
    /// ## What it does
    /// Checks the deletion policy of cross-cluster CCE Services.
    ///
    /// ## Why it matters
    /// The policy decides what deleting the Service removes from the shared ELB: only this cluster's
    /// backends (`member-only`, the default) or the listener and backend group for every cluster
    /// (`cascade`). An unknown value leaves that decision to chance.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster-resource-recycle-policy: members
    /// ```
    ///
    /// ## Fix
    /// Use `member-only` (recommended) or `cascade`.
    pub struct InvalidRecyclePolicy {
        code: "LB019",
        name: "invalid-recycle-policy",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (f, a, kind) in cx.cce_invalid_values(keys::ELB_RECYCLE_POLICY) {
        out.push(
            cx.finding(
                &META,
                f.object,
                a.origin,
                format!("invalid recycle policy {}", quote(&a.value)),
            )
            .caption(format!("must be {}", kind.allowed()))
            .help("use member-only (remove only this cluster's backends) or cascade (remove the listener for every cluster)"),
        );
    }
}
