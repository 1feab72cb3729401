use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::plan::changes::{member_count, serves, weight_sum};
use crate::plan::{BackendGroup, Listener};

declare_rule! {
    /// A listener that had serving members (total weight above 0) has none, or only weight 0, in head.
    ///
    /// ## What it does
    /// Compares each listener present on both sides (or replaced by another protocol on its
    /// port). It is reported when the base gives traffic to at least one member (a weight above
    /// 0, or a weight lbplan cannot compute) and the head gives it to none: every group has no
    /// target pods or weighs 0. This is the transition form of LB209 and LB210: it fires only
    /// when the change drains the listener, not when it already was.
    ///
    /// ## Why it matters
    /// The load balancer keeps accepting connections on the port and has nowhere to send them:
    /// clients get resets or time-outs as soon as the change is applied.
    ///
    /// ## Example
    /// ```yaml
    /// # base: replicas: 3    head:
    /// replicas: 0
    /// ```
    ///
    /// ## Fix
    /// Keep at least one group serving (a weight above 0 and running pods), or remove the
    /// listener once its clients have moved.
    pub struct BackendsDrained {
        code: "LB507",
        name: "backends-drained",
        severity: Error,
        scope: Any,
        transition: check,
    }
}

/// Why a group serves nothing.
fn why(group: &BackendGroup) -> String {
    if member_count(group) == 0 {
        format!("group {} has no target pods", group.name)
    } else {
        format!("group {} weighs 0", group.name)
    }
}

fn total(listener: &Listener) -> String {
    let total: u64 = listener.groups.iter().map(weight_sum).sum();
    let members: u64 = listener.groups.iter().map(member_count).sum();
    format!(
        "{members} {} of total weight {total}",
        if members == 1 { "member" } else { "members" }
    )
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for lb in &tx.diff.load_balancers {
        for change in &lb.listeners {
            let (Some(base), Some(head)) = (change.base, change.head) else {
                continue;
            };
            let (b, h) = (base.listener, head.listener);
            if !b.groups.iter().any(serves) || h.groups.iter().any(serves) {
                continue;
            }
            let Some(claim) = head.claims().first() else {
                continue;
            };
            let object = tx.head.inv.frontend(claim.frontend).object;
            let reasons: Vec<String> = h.groups.iter().map(why).collect();
            let reasons = if reasons.is_empty() {
                "no backend group".to_string()
            } else {
                reasons.join(", ")
            };
            out.push(
                Side::Head,
                tx.head
                    .finding(
                        &META,
                        object,
                        claim.origin,
                        format!(
                            "listener {}:{} of load balancer {} served {} in base and serves nothing in head: {reasons}",
                            h.protocol,
                            h.port,
                            lb.id,
                            total(b)
                        ),
                    )
                    .caption("no backend receives traffic after this change")
                    .help("keep at least one group serving (a weight above 0 and running pods), or remove the listener once its clients have moved"),
            );
        }
    }
}
