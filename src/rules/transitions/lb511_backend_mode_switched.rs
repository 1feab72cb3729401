use std::collections::BTreeMap;

use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::model::{Frontend, ObjectId};
use crate::plan::GroupKind;
use crate::plan::changes::member_count;
use crate::source::Origin;

declare_rule! {
    /// A group switches between pod and node mode: every member is replaced.
    ///
    /// ## What it does
    /// Compares each backend group present on both sides of a listener, and reports the Service
    /// whose group reaches pods directly on one side and the nodes hosting them on the other: the
    /// ELB class changed (`kubernetes.io/elb.class`), the cluster's flavor (CCE Turbo), or TKE
    /// direct access (`service.cloud.tencent.com/direct-access`).
    ///
    /// ## Why it matters
    /// The members are other machines altogether (pod IPs instead of node IPs, or the reverse):
    /// the controller removes every member and adds the new ones, health checks start over, and
    /// source-IP and session-affinity behaviour change.
    ///
    /// ## Example
    /// ```yaml
    /// # base: union (node mode)    head, on a CCE Turbo cluster:
    /// kubernetes.io/elb.class: performance   # pod mode
    /// ```
    ///
    /// ## Fix
    /// Nothing, if the switch is meant: roll it out when traffic is low, and watch the health
    /// checks of the new members. Otherwise restore the annotation.
    pub struct BackendModeSwitched {
        code: "LB511",
        name: "backend-mode-switched",
        severity: Info,
        scope: Any,
        transition: check,
    }
}

/// The annotation that decides the mode, else the load balancer's.
fn mode_origin(f: &Frontend) -> Origin {
    if let Some(direct) = &f.direct_access {
        return direct.origin;
    }
    f.class.as_ref().map_or(f.lb.origin(), |c| c.origin)
}

/// What one Service's groups switch: from, to, the listeners per load balancer, and the members
/// of its first group on each side.
struct Switch<'a> {
    from: &'static str,
    to: &'static str,
    listeners: BTreeMap<&'a str, Vec<String>>,
    members: (u64, u64),
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    let mut switched: BTreeMap<ObjectId, Switch> = BTreeMap::new();
    for lb in &tx.diff.load_balancers {
        for change in &lb.listeners {
            let Some(listener) = change.head.map(|l| l.listener) else {
                continue;
            };
            for group in &change.groups {
                let (Some(b), Some(h)) = (group.base, group.head) else {
                    continue;
                };
                let (GroupKind::Cluster(from), GroupKind::Cluster(to)) = (b.group.kind, h.group.kind)
                else {
                    continue;
                };
                let Some(source) = h.source.filter(|_| from != to) else {
                    continue;
                };
                let object = tx.head.inv.frontend(source.frontend).object;
                let entry = switched.entry(object).or_insert_with(|| Switch {
                    from: from.into(),
                    to: to.into(),
                    listeners: BTreeMap::new(),
                    members: (member_count(b.group), member_count(h.group)),
                });
                entry
                    .listeners
                    .entry(lb.id)
                    .or_default()
                    .push(format!("{}:{}", listener.protocol, listener.port));
            }
        }
    }
    for (object, s) in switched {
        let Some((_, h)) = tx.frontend_of(Side::Head, object) else {
            continue;
        };
        let on: Vec<String> = s
            .listeners
            .iter()
            .map(|(lb, listeners)| format!("{} of load balancer {lb}", listeners.join(", ")))
            .collect();
        let (from, to) = (s.from, s.to);
        let plural = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let finding = out.push(
            Side::Head,
            tx.head
                .finding(
                    &META,
                    object,
                    mode_origin(h),
                    format!(
                        "the backends of {} switch from {from} mode to {to} mode on {}: every member is replaced ({} become {})",
                        tx.head.object_name(object),
                        on.join("; "),
                        plural(s.members.0, if from == "pod" { "pod" } else { "node" }),
                        plural(s.members.1, if to == "pod" { "pod" } else { "node" }),
                    ),
                )
                .caption(format!("{to} mode"))
                .help("roll the switch out when traffic is low and watch the new members' health checks; if it is not meant, restore the annotation"),
        );
        let base = tx
            .counterpart(Side::Base, object)
            .and_then(|b| tx.frontend_of(Side::Base, b));
        if let Some((_, b)) = base {
            finding.elsewhere(
                mode_origin(b),
                Some(tx.base.object_name(b.object)),
                format!("base: {from} mode"),
            );
        }
    }
}
