use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::plan::changes::format_shift;

declare_rule! {
    /// A group's effective share moves by more than the drift threshold.
    ///
    /// ## What it does
    /// Compares each backend group present on both sides of a listener, and reports it when the
    /// share of the listener's traffic its members really receive (member weights over all member
    /// weights) moves by more than `weight_drift_threshold` percentage points (default 2): a
    /// cross-cluster weight changed, pods were added or removed on either side, or another
    /// group joined or left the listener.
    ///
    /// ## Why it matters
    /// A reviewer reads a weight or a replica count; the traffic each cluster receives is what
    /// the change does. A shift nobody meant shows up as overload in one cluster.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster b, base: weight "20"    head:
    /// kubernetes.io/elb.multicluster-loadbalancer-weight: "30"   # b: 20.0% -> 27.3%
    /// ```
    ///
    /// ## Fix
    /// Nothing, if the shift is meant. Otherwise correct the weights or the replicas;
    /// `lbplan weights` computes the effect of a change before you make it.
    pub struct ShareShift {
        code: "LB508",
        name: "share-shift",
        severity: Info,
        scope: Any,
        transition: check,
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    let threshold = tx.drift_threshold_bp();
    for lb in &tx.diff.load_balancers {
        for change in &lb.listeners {
            let Some(listener) = change.head else { continue };
            for group in &change.groups {
                let (Some(b), Some(h)) = (group.base, group.head) else {
                    continue;
                };
                let (Some(before), Some(after)) = (b.group.effective_share, h.group.effective_share)
                else {
                    continue;
                };
                if !before.differs_by_more_than(after, threshold) {
                    continue;
                }
                let shift = group.shift_tenths().map(format_shift).unwrap_or_default();
                let (object, origin) = match h.source {
                    Some(source) => {
                        let f = tx.head.inv.frontend(source.frontend);
                        let at = f.cross_cluster_weight().map_or(f.lb.origin(), |w| w.origin);
                        (f.object, at)
                    }
                    None => match listener.claims().first() {
                        Some(claim) => (tx.head.inv.frontend(claim.frontend).object, claim.origin),
                        None => continue,
                    },
                };
                let l = listener.listener;
                out.push(
                    Side::Head,
                    tx.head
                        .finding(
                            &META,
                            object,
                            origin,
                            format!(
                                "group {} gets {} of listener {}:{} on load balancer {} instead of {} ({shift})",
                                h.group.name,
                                after.percent(),
                                l.protocol,
                                l.port,
                                lb.id,
                                before.percent(),
                            ),
                        )
                        .caption(format!("{} → {}", before.percent(), after.percent()))
                        .help("nothing to do if the shift is meant; otherwise correct the weights or the replicas (`lbplan weights` computes the effect)"),
                );
            }
        }
    }
}
