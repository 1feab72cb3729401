use std::collections::BTreeSet;

use crate::rules::{Context, Sink};

declare_rule! {
    /// Rounding moves a cross-cluster group's real share of traffic away from its weight.
    ///
    /// ## What it does
    /// On every listener with two or more weighted groups (cross-cluster Services, or the external
    /// members of the config), compares each cluster's effective share, its member weights over all
    /// member weights, with its nominal share, its weight over all weights. It reports a difference
    /// of more than `weight_drift_threshold` percentage points (default 2), with both shares.
    /// Quiet on a listener whose algorithm is `SOURCE_IP` (the first Service's
    /// `kubernetes.io/elb.lb-algorithm`): the ELB ignores member weights there (ground truth §1.7),
    /// so there is no weighted share to drift (LB214 reports the weights instead).
    ///
    /// ## Why it matters
    /// CCE rounds every member weight up: `ceil(W / N)` per pod, `ceil(W * k / N)` per node. A
    /// cluster with weight 80 and 3 pods weighs 81; one with weight 20 and 40 pods weighs 40, not
    /// 20. An 80:20 split then really runs 67:33, and nothing in the console says so.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster a: weight "80", 3 pods in pod mode   -> 27 per pod, 81 in all
    /// # cluster b: weight "20", 40 pods in pod mode  -> 1 per pod, 40 in all  (66.9% : 33.1%)
    /// ```
    ///
    /// ## Fix
    /// Choose weights that are multiples of the clusters' pod counts, scale the weights up (100
    /// and 25 rather than 80 and 20), or change the replica counts; `lbplan weights` shows the
    /// effect of each choice. Raise `weight_drift_threshold` to accept the drift.
    pub struct WeightDrift {
        code: "LB208",
        name: "weight-drift",
        severity: Warning,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let threshold = cx.config.drift_threshold_bp();
    let mut reported = BTreeSet::new();
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        for planned_listener in planned.listeners() {
            let listener = planned_listener.listener;
            let weighted = listener
                .groups
                .iter()
                .filter(|g| g.weight.is_some())
                .count();
            // Under SOURCE_IP the ELB ignores member weights: there is no share to drift.
            if weighted < 2
                || crate::rules::backends::lb214_source_ip_ignores_weights::source_ip_listener(
                    cx,
                    planned_listener.claims(),
                )
                .is_some()
            {
                continue;
            }
            for (group, source) in planned_listener.groups() {
                let (Some(nominal), Some(effective), Some(source)) =
                    (group.nominal_share, group.effective_share, source)
                else {
                    continue;
                };
                if !effective.differs_by_more_than(nominal, threshold) {
                    continue;
                }
                let fid = source.frontend;
                let f = cx.inv.frontend(fid);
                if !reported.insert((fid, listener.protocol, listener.port)) {
                    continue;
                }
                let at = f.cross_cluster_weight().map_or(f.lb.origin(), |w| w.origin);
                let members = group.member_count();
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        at,
                        format!(
                            "group {} gets {} of listener {}:{} on ELB {}, not its nominal {}: weight {} over {} pods rounds up to {} in all",
                            group.name,
                            effective.percent(),
                            listener.protocol,
                            listener.port,
                            lb.id,
                            nominal.percent(),
                            group.weight.unwrap_or(0),
                            group.pods.unwrap_or(0),
                            group.total_weight.unwrap_or(0),
                        ),
                    )
                    .caption(format!("nominal {}, effective {}", nominal.percent(), effective.percent()))
                    .help(format!(
                        "choose weights that divide evenly over the pods ({members} members here), scale the weights up, or raise weight_drift_threshold; `lbplan weights` shows the effect",
                    )),
                );
            }
        }
    }
}
