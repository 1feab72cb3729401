use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::k8s::Spec;
use crate::k8s::docs::TKE_DIRECT_ACCESS;
use crate::model::Mode;

declare_rule! {
    /// A rolling update behind a TKE direct-access Service advances at the pace of the CLB's health checks.
    ///
    /// ## What it does
    /// For each TKE LoadBalancer Service in direct-access mode
    /// (`service.cloud.tencent.com/direct-access: "true"`) that both sides have, reports once
    /// when the pod template of a workload it selects changes: a rolling update. A change of
    /// `replicas` alone is not one, nor are comments, blank lines or moves within a file; a
    /// Service new in the head has no rollout to gate.
    ///
    /// ## Why it matters
    /// In direct-access mode the CLB binds the pods themselves, and TKE holds each new pod out of
    /// the rollout until the CLB's health check passes for it: "When workloads in direct pod
    /// connection mode are updated, a rolling update is performed based on the health check
    /// status of the CLB, affecting the update speed." (Tencent Cloud TKE, "Using Services with
    /// LoadBalancer Directly Connected to Pods"). A rollout that takes seconds elsewhere can
    /// take minutes, and one whose pods never pass the CLB's check stalls.
    ///
    /// ## Example
    /// ```yaml
    /// # the Service has service.cloud.tencent.com/direct-access: "true"; its Deployment:
    /// image: web:1.8    # base: web:1.7
    /// ```
    ///
    /// ## Fix
    /// Nothing to fix: expect the rollout to take as long as the CLB's health checks need (their
    /// interval times the healthy threshold, per pod batch), and watch it.
    pub struct DirectRolloutGated {
        code: "LB515",
        name: "direct-rollout-gated",
        severity: Info,
        scope: Tke,
        transition: check,
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for (_, h) in tx.frontend_pairs() {
        if !h.is_tke() || h.is_ingress() || h.mode != Mode::Pod {
            continue;
        }
        let rolled = tx.rolled_workloads(h.object);
        let Some(&first) = rolled.first() else {
            continue;
        };
        let names: Vec<String> = rolled.iter().map(|&w| tx.head.object_name(w)).collect();
        let at = h
            .direct_access
            .as_ref()
            .map_or(tx.head.object(h.object).origin, |d| d.origin);
        let mut finding = tx
            .head
            .finding(
                &META,
                h.object,
                at,
                format!(
                    "the pod template of {} changes behind direct-access {}: the rolling update advances only as the CLB's health checks pass for each new pod ({TKE_DIRECT_ACCESS})",
                    names.join(", "),
                    tx.head.object_name(h.object)
                ),
            )
            .caption("the CLB binds the pods directly")
            .help("expect the rollout to take as long as the CLB's health checks need, and watch it");
        for &workload in &rolled {
            let Spec::Workload(w) = &tx.head.object(workload).spec else {
                continue;
            };
            let caption = if workload == first {
                "its pod template changes"
            } else {
                "its pod template changes too"
            };
            finding = finding.related(
                w.template.origin,
                Some(tx.head.object_name(workload)),
                caption,
            );
        }
        out.push(Side::Head, finding);
    }
}
