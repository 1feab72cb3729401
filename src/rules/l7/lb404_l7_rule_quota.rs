use crate::rules::{Context, Sink};
use crate::facts::Provider;

declare_rule! {
    /// More forwarding rules on one listener than the cloud allows.
    ///
    /// ## What it does
    /// Counts the forwarding rules planned on each HTTP/HTTPS listener, across its Ingresses
    /// (redirect rules included), and compares the count with the quota: 100 forwarding policies
    /// per listener on Huawei ELB, 50 rules per listener on Tencent CLB, or
    /// `load_balancers[].rule_quota` in `.lbplan.yaml` for a raised quota. The finding points at
    /// the first rule over the quota, in input order.
    ///
    /// ## Why it matters
    /// The cloud refuses the rules over its quota (TKE error E4005 "CreateRule LimitExceeded"): the
    /// paths of the last Ingress applied are not routed, and on TKE the whole load balancer stops
    /// syncing.
    ///
    /// ## Example
    /// ```yaml
    /// # 60 paths across the Ingresses sharing kubernetes.io/ingress.existLbId: lb-1 on HTTP 80
    /// ```
    ///
    /// ## Fix
    /// Spread the Ingresses over several listener ports or load balancers, merge paths under a
    /// common prefix, or raise the quota with the cloud and record it as `rule_quota` for that
    /// load balancer in `.lbplan.yaml`.
    pub struct L7RuleQuota {
        code: "LB404",
        name: "l7-rule-quota",
        severity: Error,
        scope: Any,
        check: check,
    }
}

/// Forwarding policies per Huawei ELB listener (ELB quotas, ingress-l7.md §1.3).
const ELB_RULES_PER_LISTENER: u32 = 100;
/// Rules per Tencent CLB HTTP/HTTPS listener (ground truth §3.4).
const CLB_RULES_PER_LISTENER: u32 = 50;

fn check(cx: &Context, out: &mut Sink) {
    for (planned, listener) in cx.l7_listeners() {
        let lb = planned.lb;
        let (quota, whose) = match (cx.config.rule_quota(&lb.id), lb.provider) {
            (Some(q), _) => (q, format!("the quota of {q} recorded in .lbplan.yaml")),
            (None, Some(p)) if p.is_tke() => (
                CLB_RULES_PER_LISTENER,
                format!("Tencent CLB's limit of {CLB_RULES_PER_LISTENER} per listener"),
            ),
            (None, Some(Provider::CtyunCce)) => (
                ELB_RULES_PER_LISTENER,
                format!(
                    "Huawei ELB's limit of {ELB_RULES_PER_LISTENER} per listener (CT Cloud CCE taken as the same; not verified)"
                ),
            ),
            (None, Some(_)) => (
                ELB_RULES_PER_LISTENER,
                format!("Huawei ELB's limit of {ELB_RULES_PER_LISTENER} per listener"),
            ),
            (None, None) => continue,
        };
        let total = listener.listener.rules.len();
        if total <= quota as usize {
            continue;
        }
        // The rules in the order they were written: the one over the quota is the last applied.
        let mut written: Vec<_> = listener.rules().map(|(_, source)| source).collect();
        written.sort_by_key(|s| (s.frontend, s.route, s.generated));
        let (Some(over), Some(first)) = (written.get(quota as usize), written.first()) else {
            continue;
        };
        let l = listener.listener;
        let f = cx.inv.frontend(over.frontend);
        let mut finding = cx
            .finding(
                &META,
                f.object,
                over.origin,
                format!(
                    "{total} forwarding rules are planned on listener {}:{} of load balancer {}, over {whose}",
                    l.protocol, l.port, lb.id
                ),
            )
            .caption(format!("rule {}, over the quota", quota + 1))
            .help(format!(
                "spread the Ingresses over several listener ports or load balancers, or record a raised quota: load_balancers: [{{id: {}, rule_quota: N}}] in .lbplan.yaml",
                lb.id
            ));
        if first.origin != over.origin {
            let first_f = cx.inv.frontend(first.frontend);
            finding = finding.related(
                first.origin,
                Some(cx.object_name(first_f.object)),
                "the first rule of this listener",
            );
        }
        out.push(finding);
    }
}
