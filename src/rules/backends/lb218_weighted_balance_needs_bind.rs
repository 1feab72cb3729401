use crate::rules::{Context, Severity, Sink};

declare_rule! {
    /// `local-svc-weighted-balance` without `local-svc-only-bind-node-with-pod`.
    ///
    /// ## What it does
    /// On TKE, reports `service.cloud.tencent.com/local-svc-weighted-balance: "true"` on a Service
    /// without `service.kubernetes.io/local-svc-only-bind-node-with-pod: "true"`: an error, or a
    /// warning when `externalTrafficPolicy` is not `Local`, where neither annotation acts. With
    /// both annotations but no `externalTrafficPolicy: Local`, it warns on the bind annotation
    /// (ground truth §6, TK-B01).
    ///
    /// ## Why it matters
    /// Weighted balance sets node weights by the workload's pods on each node and must be used
    /// together with binding only the nodes that have pods (TKE "Service后端选择"). Alone, nodes
    /// without pods stay bound and the weighting is not applied.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     service.cloud.tencent.com/local-svc-weighted-balance: "true"
    /// spec:
    ///   externalTrafficPolicy: Local
    /// ```
    ///
    /// ## Fix
    /// Add `service.kubernetes.io/local-svc-only-bind-node-with-pod: "true"`, with
    /// `externalTrafficPolicy: Local`.
    pub struct WeightedBalanceNeedsBind {
        code: "LB218",
        name: "weighted-balance-needs-bind",
        severity: Error,
        scope: Tke,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.tke_frontends() {
        let Some(service) = cx.object(f.object).as_service() else {
            continue;
        };
        let Some(a) = f.weighted_balance.as_ref().filter(|w| w.value) else {
            continue;
        };
        let local = service.local_traffic_policy().is_some();
        if let Some(bind) = f.bind_node_with_pod.as_ref().filter(|b| b.value) {
            if !local {
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        bind.origin,
                        "local-svc-only-bind-node-with-pod and local-svc-weighted-balance act only with externalTrafficPolicy: Local",
                    )
                    .severity(Severity::Warning)
                    .caption("no effect without externalTrafficPolicy: Local")
                    .help("set spec.externalTrafficPolicy: Local, or remove both annotations"),
                );
            }
            continue;
        }

        let (severity, tail) = if local {
            (Severity::Error, "")
        } else {
            (
                Severity::Warning,
                "; both need externalTrafficPolicy: Local as well",
            )
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                a.origin,
                format!("local-svc-weighted-balance needs local-svc-only-bind-node-with-pod: \"true\"{tail}"),
            )
            .severity(severity)
            .caption("must be used with local-svc-only-bind-node-with-pod")
            .help("add service.kubernetes.io/local-svc-only-bind-node-with-pod: \"true\" (with externalTrafficPolicy: Local)"),
        );
    }
}
