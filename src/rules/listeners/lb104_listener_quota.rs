use std::collections::BTreeSet;

use crate::rules::{Context, Sink};

declare_rule! {
    /// More listeners are planned on one load balancer than its quota allows.
    ///
    /// ## What it does
    /// Counts the distinct listeners (protocol, port) planned on each load balancer across all
    /// objects and compares them with the listener quota: 50 by default on both Huawei ELB and
    /// Tencent CLB, or `load_balancers[].listener_quota` in `.lbplan.yaml` for a raised quota.
    /// The finding points at the claim that goes over the quota.
    ///
    /// ## Why it matters
    /// The cloud refuses to create the listener over quota; the Service that asked for it stays
    /// half-synchronised, often long after the change was merged.
    ///
    /// ## Example
    /// ```yaml
    /// # 51 ports across the Services sharing kubernetes.io/elb.id: 5083f225-...
    /// ```
    ///
    /// ## Fix
    /// Spread the Services over several load balancers, or raise the quota with the cloud and
    /// record it as `listener_quota` for that load balancer in `.lbplan.yaml`.
    pub struct ListenerQuota {
        code: "LB104",
        name: "listener-quota",
        severity: Error,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        let quota = cx.config.listener_quota(&lb.id);
        let total = lb.listeners.len();
        if total <= quota as usize {
            continue;
        }
        let mut seen = BTreeSet::new();
        let claims = planned.claims();
        let Some(over) = claims.iter().find(|c| {
            seen.insert((c.protocol, c.port));
            seen.len() > quota as usize
        }) else {
            continue;
        };
        let f = cx.inv.frontend(over.frontend);
        let mut finding = cx
            .finding(
                &META,
                f.object,
                over.origin,
                format!(
                    "{total} listeners are planned on load balancer {}, over its quota of {quota}",
                    lb.id
                ),
            )
            .caption(format!("listener {}, over the quota", quota + 1))
            .help(format!(
                "spread the ports over several load balancers, or record a raised quota: load_balancers: [{{id: {}, listener_quota: N}}] in .lbplan.yaml",
                lb.id
            ));
        if let Some(first) = claims.first().filter(|c| c.frontend != over.frontend) {
            let first_f = cx.inv.frontend(first.frontend);
            finding = finding.related(
                first_f.lb.origin(),
                Some(cx.object_name(first_f.object)),
                "also on this load balancer",
            );
        }
        out.push(finding);
    }
}
