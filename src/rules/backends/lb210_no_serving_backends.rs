use crate::rules::{Context, Sink};
use crate::plan::GroupKind;

declare_rule! {
    /// A listener whose every backend group has weight 0 or no target pods.
    ///
    /// ## What it does
    /// Looks at each listener of the plan and reports it when every backend group either weighs 0
    /// or has no target pods although its selector matches workloads or pods: replicas scaled to
    /// 0, or no Ready pod in the snapshot. (A selector that matches nothing at all is LB211.) On
    /// a listener whose algorithm is `SOURCE_IP` a weight of 0 does not count: the ELB ignores
    /// member weights there (ground truth §1.7), and the finding says that weights do not apply.
    ///
    /// ## Why it matters
    /// The load balancer has nowhere to send traffic: clients get connection resets or timeouts
    /// although the manifests apply cleanly (ground truth §5, example 3).
    ///
    /// ## Example
    /// ```yaml
    /// # cluster a: weight "0";  cluster b: weight "0"   (both drained)
    /// ```
    ///
    /// ## Fix
    /// Give at least one group a weight above 0 and running pods: check the selector against the
    /// pods' labels and the replica counts.
    pub struct NoServingBackends {
        code: "LB210",
        name: "no-serving-backends",
        severity: Error,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        for planned_listener in planned.listeners() {
            let listener = planned_listener.listener;
            if listener.groups.is_empty() {
                continue;
            }
            // Under SOURCE_IP member weights do not apply: a weight of 0 drains nothing.
            let source_ip = crate::rules::backends::lb214_source_ip_ignores_weights::source_ip_listener(
                cx,
                planned_listener.claims(),
            );
            let dead = planned_listener.groups().all(|(g, source)| {
                if g.weight == Some(0) && source_ip.is_none() {
                    return true;
                }
                if g.kind == GroupKind::External {
                    return false;
                }
                let Some(service) = source.map(|s| s.service) else {
                    return false;
                };
                let targets = cx.inv.targets_of(service);
                let matches_something =
                    !targets.workloads.is_empty() || !targets.pod_objects.is_empty();
                // A DaemonSet's pods follow the nodes: without a snapshot their count is unknown.
                g.pods == Some(0) && matches_something && targets.uncounted.is_empty()
            });
            if !dead {
                continue;
            }
            let Some(claim) = planned_listener.claims().first() else {
                continue;
            };
            let (f, origin) = (cx.inv.frontend(claim.frontend), claim.origin);
            let why: Vec<String> = planned_listener
                .groups()
                .map(|(g, source)| {
                    if g.weight == Some(0) && source_ip.is_none() {
                        format!("group {} weighs 0", g.name)
                    } else if let Some(files) = source
                        .filter(|s| cx.inv.targets_of(s.service).observed)
                        .and_then(|s| cx.cluster(s.service).observed_in())
                    {
                        format!("group {} has no Ready pod in {files}", g.name)
                    } else {
                        format!("group {} runs 0 replicas", g.name)
                    }
                })
                .collect();
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    origin,
                    format!(
                        "listener {}:{} of load balancer {} has no serving backend: {}{}",
                        listener.protocol,
                        listener.port,
                        lb.id,
                        why.join(", "),
                        if source_ip.is_some() {
                            " (weights do not apply: the listener uses SOURCE_IP)"
                        } else {
                            ""
                        }
                    ),
                )
                .caption("no backend receives traffic")
                .help("give at least one group a weight above 0 and running pods (check selectors, labels and replicas)"),
            );
        }
    }
}
