use std::collections::HashSet;

use crate::rules::{Context, Sink};
use crate::plan::forwarding::RuleStatus;

declare_rule! {
    /// Two forwarding rules on one listener with the same host, path and match kind.
    ///
    /// ## What it does
    /// Compares the forwarding rules of every HTTP/HTTPS listener, across Ingresses and within one,
    /// after normalising them as the cloud does: the host without case (no host is its own
    /// value: the load balancer's address), an empty path as `/`. On CCE two rules repeat when
    /// host, path and match kind agree (`pathType: Exact` and `url-match-mode: EQUAL_TO` are both
    /// exact; `Prefix` and `STARTS_WITH` both prefix); on TKE when host and path agree, whatever
    /// the match kind. The finding is on the later rule (the plan shows it as `duplicate`), its
    /// related location the rule that came first. Which rule a cloud created first is their
    /// creation order; lbplan uses `kubernetes.io/elb.listener-master-ingress`, then
    /// `metadata.creationTimestamp`, then the input order.
    ///
    /// ## Why it matters
    /// Huawei ELB refuses a forwarding policy that repeats another on the same listener: the later
    /// one goes to the ERROR state and never routes, and deleting the first does not repair it.
    /// TKE requires every host + path to be unique on a listener and stops syncing the whole load
    /// balancer on a conflict. Either way the second Ingress's traffic goes nowhere it meant, and
    /// `kubectl apply` said nothing.
    ///
    /// ## Example
    /// ```yaml
    /// # one.yaml (kubernetes.io/elb.id: X)        # two.yaml (kubernetes.io/elb.id: X)
    /// - host: shop.example.com                    - host: shop.example.com
    ///   http: {paths: [{path: /api, ...}]}          http: {paths: [{path: /api, ...}]}
    /// ```
    ///
    /// ## Fix
    /// Keep one rule for each host and path on a listener: merge the two Ingresses' rules, give one
    /// of them another host or path, or move one Ingress to another listener port or load balancer.
    pub struct L7DuplicateRule {
        code: "LB401",
        name: "l7-duplicate-rule",
        severity: Error,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    // A CCE Ingress on several listeners (listen-ports) repeats its rules on each: report a rule
    // once.
    let mut reported = HashSet::new();
    for (planned, listener) in cx.l7_listeners() {
        let rules: Vec<_> = listener.rules().collect();
        for &(rule, source) in &rules {
            let Some(first) = rule.duplicate_of.as_ref() else {
                continue;
            };
            if rule.status != RuleStatus::Duplicate || source.generated {
                continue;
            }
            let Some(&(first_rule, first_source)) = rules.get(first.index) else {
                continue;
            };
            if first_source.origin == source.origin || !reported.insert(source.origin) {
                continue;
            }
            let f = cx.inv.frontend(source.frontend);
            let other = cx.inv.frontend(first_source.frontend);
            let by = if other.object == f.object {
                "an earlier path of this Ingress".to_string()
            } else {
                format!("a rule of {}", cx.qualified_name(other.object))
            };
            let l = listener.listener;
            let kinds = if first_rule.match_kind == rule.match_kind {
                format!("({})", rule.match_kind)
            } else {
                format!(
                    "({} here, {} there: TKE compares host and path only)",
                    rule.match_kind, first_rule.match_kind
                )
            };
            let help = if f.is_tke() {
                "TKE requires each host and path to be unique on a listener and stops syncing the CLB on a conflict: merge the rules, change the host or path of one, or move one Ingress to another CLB".to_string()
            } else {
                format!(
                    "the ELB puts the later of two equal forwarding policies in the ERROR state and it never routes (which is later is the creation order): merge the rules, change the host or path of one, or move one Ingress to another listener port or ELB{}",
                    cx.ct_caveat(f)
                )
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    source.origin,
                    format!(
                        "rule {} {kinds} on listener {}:{} of load balancer {} repeats {by}",
                        rule.label(),
                        l.protocol,
                        l.port,
                        planned.lb.id,
                    ),
                )
                .caption("repeats an earlier rule")
                .help(help)
                .related(
                    first_source.origin,
                    Some(cx.object_name(other.object)),
                    "first routed here",
                ),
            );
        }
    }
}
