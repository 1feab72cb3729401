use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::k8s::docs::{CTYUN_LOAD_BALANCER};
use crate::k8s::TrafficPolicy;

declare_rule! {
    /// A Service's `externalTrafficPolicy` changes.
    ///
    /// ## What it does
    /// Compares each LoadBalancer Service present on both sides, and reports the one whose
    /// `spec.externalTrafficPolicy` differs (not written counts as `Cluster`, the Kubernetes
    /// default).
    ///
    /// ## Why it matters
    /// Switching the policy of an existing Service leaves the nodes' connection tracking table
    /// uncleaned, and CCE's documentation says not to edit it but to re-create the Service (China
    /// Telecom Cloud CCE, "负载均衡(LoadBalancer)": "创建service后，如果服务亲和从集群级别切换为节点级别，连接跟踪表将不会被清理，建议用户创建
    /// service后不要修改服务亲和属性，如需修改请重新创建service"). Existing connections keep
    /// following the old path until their entries expire.
    ///
    /// ## Example
    /// ```yaml
    /// # base: externalTrafficPolicy: Cluster    head:
    /// spec:
    ///   externalTrafficPolicy: Local
    /// ```
    ///
    /// ## Fix
    /// Re-create the Service with the new policy (delete it, then apply it), at a quiet time, or
    /// keep the policy.
    pub struct TrafficPolicySwitched {
        code: "LB502",
        name: "traffic-policy-switched",
        severity: Warning,
        scope: Any,
        transition: check,
    }
}

fn name(policy: TrafficPolicy) -> &'static str {
    match policy {
        TrafficPolicy::Cluster => "Cluster",
        TrafficPolicy::Local => "Local",
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for (b, h) in tx.frontend_pairs() {
        let (Some(bs), Some(hs)) = (
            tx.base.object(b.object).as_service(),
            tx.head.object(h.object).as_service(),
        ) else {
            continue;
        };
        let policy = |p: &Option<crate::k8s::Located<TrafficPolicy>>| {
            p.as_ref().map_or(TrafficPolicy::Cluster, |p| p.value)
        };
        let (from, to) = (
            policy(&bs.external_traffic_policy),
            policy(&hs.external_traffic_policy),
        );
        if from == to {
            continue;
        }
        let at = hs
            .external_traffic_policy
            .as_ref()
            .map_or(tx.head.object(h.object).origin, |p| p.origin);
        let finding = out.push(
            Side::Head,
            tx.head
                .finding(
                    &META,
                    h.object,
                    at,
                    format!(
                        "externalTrafficPolicy of {} changes from {} to {} on a running Service: the connection tracking table is not cleaned, and CCE says to re-create the Service instead ({CTYUN_LOAD_BALANCER})",
                        tx.head.object_name(h.object),
                        name(from),
                        name(to)
                    ),
                )
                .caption(format!("{} → {}", name(from), name(to)))
                .help("re-create the Service with the new policy (delete it, then apply it) at a quiet time, or keep the policy"),
        );
        if let Some(p) = &bs.external_traffic_policy {
            finding.elsewhere(
                p.origin,
                Some(tx.base.object_name(b.object)),
                format!("base: {}", name(from)),
            );
        }
    }
}
