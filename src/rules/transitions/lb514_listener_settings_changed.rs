use std::collections::BTreeMap;

use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::model::ObjectId;
use crate::plan::changes::{ListenerChange, SettingRow, SettingSide};
use crate::plan::service_settings::{SettingKey, SettingSource};
use crate::source::Origin;
use crate::text::{Truncated, quote};

declare_rule! {
    /// A listener that stays changes a setting: algorithm, stickiness, health check, pass-through, timeouts.
    ///
    /// ## What it does
    /// Compares the settings of each listener that both sides plan with the same protocol (the
    /// plan's Service listener settings, written or default, and the layer-7 settings the
    /// Ingresses of a CCE listener write: see "Listener settings" in docs/plan.md), and reports
    /// each setting whose value changes, `before → after`: once per object and setting, naming
    /// the listeners it changes. A value that is now the documented default because its
    /// annotation was removed is a change too; writing the default's value is not. A
    /// pass-through that only follows `externalTrafficPolicy` (CCE sets `onlyLocal` itself) is
    /// LB502's.
    ///
    /// ## Why it matters
    /// These settings apply to a listener that is serving: the balancing algorithm, session
    /// stickiness, the health check that decides which members get traffic, timeouts that end
    /// idle connections. No vendor document lbplan knows says whether a change of them touches
    /// connections already open (the finding says "not documented"), so a reviewer should know
    /// that the change reaches live traffic, and when: as soon as the controller syncs the
    /// object. A health check that gets stricter can take members out of service; a shorter
    /// timeout cuts long connections.
    ///
    /// ## Example
    /// ```yaml
    /// # base: no algorithm (ROUND_ROBIN by default)    head:
    /// kubernetes.io/elb.lb-algorithm: SOURCE_IP
    /// ```
    ///
    /// ## Fix
    /// Nothing to fix when the change is intended: apply it when traffic is low, and watch the
    /// listener's members afterwards. Otherwise restore the setting.
    pub struct ListenerSettingsChanged {
        code: "LB514",
        name: "listener-settings-changed",
        severity: Warning,
        scope: Any,
        transition: check,
    }
}

/// What a finding is about: the object whose setting changes, and the change.
type Key = (ObjectId, String, String);

/// A side's value as messages quote it: `"SOURCE_IP"`, `"ROUND_ROBIN" (default)`, `not set`.
fn quoted(side: Option<&SettingSide>) -> String {
    match side {
        None => "not set".to_string(),
        Some(s) => match s.source {
            SettingSource::Annotation => quote(&s.value),
            SettingSource::Default => format!("{} (default)", quote(&s.value)),
            SettingSource::Implied => format!("{} (implied)", quote(&s.value)),
        },
    }
}

/// Where the setting is written on `side`: its annotation on the object, if the side writes it.
fn written_at(tx: &Transition, side: Side, s: Option<&SettingSide>) -> Option<(ObjectId, Origin)> {
    let s = s?;
    let object = tx.object_labelled(side, s.object.as_deref()?)?;
    let origin = match &s.annotation {
        Some(key) => tx.side(side).object(object).annotations().get(key)?.origin,
        None => return None,
    };
    Some((object, origin))
}

/// The head object a row is about: the one that writes the new value, else the one whose
/// settings the listener takes.
fn head_object(tx: &Transition, l: &ListenerChange, row: &SettingRow) -> Option<ObjectId> {
    if let Some(label) = row.after.as_ref().and_then(|s| s.object.as_deref()) {
        return tx.object_labelled(Side::Head, label);
    }
    let head = l.head?.listener;
    let label = head
        .service_settings
        .as_ref()
        .map(|s| s.from.as_str())
        .or_else(|| head.settings.as_ref().map(|s| s.first_route.as_str()))?;
    tx.object_labelled(Side::Head, label)
}

/// A pass-through that neither side writes follows `externalTrafficPolicy`: LB502 reports it.
fn follows_traffic_policy(row: &SettingRow) -> bool {
    let unwritten =
        |s: Option<&SettingSide>| s.is_none_or(|s| s.source != SettingSource::Annotation);
    row.key == SettingKey::PASS_THROUGH.as_str()
        && unwritten(row.before.as_ref())
        && unwritten(row.after.as_ref())
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    // (object, setting, change) -> (load balancer, listeners, the row). One object uses one
    // load balancer.
    let mut found: BTreeMap<Key, (&str, Vec<String>, &SettingRow)> = BTreeMap::new();
    for lb in &tx.diff.load_balancers {
        for l in &lb.listeners {
            let Some(head) = l.head else { continue };
            for row in l.settings.iter().filter(|r| !follows_traffic_policy(r)) {
                let Some(object) = head_object(tx, l, row) else {
                    continue;
                };
                let name = format!("{}:{}", head.listener.protocol, head.listener.port);
                found
                    .entry((object, row.key.clone(), row.was_now()))
                    .or_insert((lb.id, Vec::new(), row))
                    .1
                    .push(name);
            }
        }
    }
    for ((object, key, _), (lb, listeners, row)) in found {
        let lb = Truncated(lb);
        let (before, after) = (row.before.as_ref(), row.after.as_ref());
        let listeners_named = match listeners.as_slice() {
            [one] => format!("listener {one}"),
            many => format!("listeners {}", many.join(", ")),
        };
        let message = format!(
            "{} changes {key} of {listeners_named} of load balancer {lb}: {} → {}, on a listener that stays in service; whether connections already open are affected is not documented",
            tx.head.object_name(object),
            quoted(before),
            quoted(after)
        );
        let at = written_at(tx, Side::Head, after).map_or(tx.head.object(object).origin, |w| w.1);
        let finding = out.push(
            Side::Head,
            tx.head
                .finding(&META, object, at, message)
                .caption(format!("{key}: {} → {}", quoted(before), quoted(after)))
                .help("apply the change when traffic is low and watch the listener's members afterwards; otherwise restore the setting"),
        );
        if let Some((was, origin)) = written_at(tx, Side::Base, before) {
            finding.elsewhere(
                origin,
                Some(tx.base.object_name(was)),
                format!("base: {}", quoted(before)),
            );
        }
    }
}
