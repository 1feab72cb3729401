//! The words the diff's renderers share: an entity's name, and each value as `was → now` (or the
//! value alone when it did not change).
//!
//! Values from the input (IDs, names, hosts, paths) go through the renderer's [`Show`], which
//! escapes them for its format: lbplan's own words around them stay as they are.

use crate::plan::changes::{
    Action, GroupChange, LbChange, ListenerChange, Members, PlannedGroup, RuleChange, format_shift,
    member_count,
};
use crate::plan::forwarding::{ForwardingRule, RuleAction};
use crate::plan::kept::KeptWeight;
use crate::plan::ratio::Ratio;

/// How a renderer shows a value from the input: escaped for a terminal
/// (`text::terminal::clean`, less the cluster's `NAME:` where there is one cluster), as `<code>`
/// inside HTML (`text::markdown::html_code`), or [`raw`].
pub type Show<'s> = &'s dyn Fn(&str) -> String;

/// A value shown as it is, for a renderer that escapes the whole line it goes into.
pub fn raw(text: &str) -> String {
    text.to_string()
}

/// `a → b` when the sides differ, else the one value; `-` for a value neither side has.
pub fn was_now(before: Option<String>, after: Option<String>) -> String {
    match (before, after) {
        (Some(b), Some(a)) if a == b => a,
        (Some(b), Some(a)) => format!("{b} → {a}"),
        (None, Some(v)) | (Some(v), None) => v,
        (None, None) => "-".into(),
    }
}

/// The sign of an action, or `~` for an entity that changes only inside.
pub fn sign(action: Option<Action>) -> &'static str {
    action.map_or("~", Action::sign)
}

/// `5083f225-... (huawei-cce, performance, auto-created)`.
pub fn lb_title(lb: &LbChange, show: Show) -> String {
    let planned = lb.head.or(lb.base).map(|p| p.lb);
    let mut facts = Vec::new();
    let provider = |side: Option<crate::plan::PlannedLb>| {
        side.map(|p| {
            p.lb.provider
                .map_or("provider unknown", |p| p.as_str())
                .to_string()
        })
    };
    facts.push(was_now(provider(lb.base), provider(lb.head)));
    let class =
        |side: Option<crate::plan::PlannedLb>| side.and_then(|p| p.lb.class.as_deref().map(show));
    if lb.base.and_then(|p| p.lb.class.clone()).is_some() || class(lb.head).is_some() {
        facts.push(was_now(class(lb.base), class(lb.head)));
    }
    if planned.is_some_and(|p| p.auto) {
        facts.push("auto-created".into());
    }
    if lb.stays {
        facts.push("no longer used: it stays in the cloud, without these listeners".into());
    }
    format!("{} ({})", show(lb.id), facts.join(", "))
}

/// `TCP:80`, or `TCP:80 → HTTP:80` for a replacement.
pub fn listener_name(l: &ListenerChange) -> String {
    let name = |side: Option<crate::plan::PlannedListener>| {
        side.map(|p| format!("{}:{}", p.listener.protocol, p.listener.port))
    };
    was_now(name(l.base), name(l.head))
}

/// What a listener holds: `2 groups, 5 members`.
pub fn listener_holds(l: &ListenerChange) -> String {
    let holds = |side: Option<crate::plan::PlannedListener>| {
        side.map(|p| {
            let groups = p.listener.groups.len();
            let members: u64 = p.listener.groups.iter().map(member_count).sum();
            format!(
                "{groups} {}, {members} {}",
                if groups == 1 { "group" } else { "groups" },
                if members == 1 { "member" } else { "members" }
            )
        })
    };
    was_now(holds(l.base), holds(l.head))
}

/// The objects claiming a listener, `was → now`.
pub fn listener_objects(l: &ListenerChange, show: Show) -> String {
    let objects = |side: Option<crate::plan::PlannedListener>| {
        side.map(|p| {
            if p.listener.objects.is_empty() {
                "(config members only)".to_string()
            } else {
                let names: Vec<String> = p.listener.objects.iter().map(|o| show(o)).collect();
                names.join(", ")
            }
        })
    };
    was_now(objects(l.base), objects(l.head))
}

fn share(share: Option<Ratio>) -> String {
    share.map_or_else(|| "-".to_string(), Ratio::percent)
}

/// A group's values, each `was → now`.
pub struct GroupCells {
    pub mode: String,
    pub pods: String,
    pub weight: String,
    pub total: String,
    pub nominal: String,
    pub effective: String,
    pub shift: String,
}

/// The values of a group change; `kept` marks a weight the ELB keeps.
pub fn group_cells(g: &GroupChange, kept: Option<&KeptWeight>) -> GroupCells {
    fn cell(g: &GroupChange, f: impl Fn(&PlannedGroup) -> Option<String>) -> String {
        was_now(g.base.as_ref().and_then(&f), g.head.as_ref().and_then(&f))
    }
    let mut weight = cell(g, |p| p.group.weight.map(|w| w.to_string()));
    if kept.is_some() {
        weight.push_str(" (kept)");
    }
    GroupCells {
        mode: cell(g, |p| Some(p.group.kind.as_str().to_string())),
        pods: cell(g, |p| p.group.pods.map(|n| n.to_string())),
        weight,
        total: cell(g, |p| p.group.total_weight.map(|t| t.to_string())),
        nominal: cell(g, |p| Some(share(p.group.nominal_share))),
        effective: cell(g, |p| Some(share(p.group.effective_share))),
        shift: g
            .shift_tenths()
            .filter(|&t| t != 0)
            .map(format_shift)
            .unwrap_or_default(),
    }
}

/// Up to this many member changes are named one by one; more are counted by kind.
const NAMED_MEMBERS: usize = 4;

/// How the members change, in words; `None` when they do not (or the group itself comes or goes).
pub fn members_line(m: &Members, show: Show) -> Option<String> {
    let weight = |m: Option<&crate::plan::Member>| {
        m.map(|m| m.weight.map_or_else(|| "?".into(), |w| w.to_string()))
    };
    match m {
        Members::Named(changes) if changes.is_empty() => None,
        Members::Named(changes) if changes.len() <= NAMED_MEMBERS => {
            let parts: Vec<String> = changes
                .iter()
                .map(|c| match c.action {
                    Action::Add => {
                        format!("+{} ({})", show(c.name), weight(c.head).unwrap_or_default())
                    }
                    Action::Remove => format!("-{}", show(c.name)),
                    _ => format!(
                        "~{} ({})",
                        show(c.name),
                        was_now(weight(c.base), weight(c.head))
                    ),
                })
                .collect();
            Some(format!("members: {}", parts.join(", ")))
        }
        Members::Named(changes) => {
            // Counted by what happens to them: `7 re-weighted 12 → 10, 1 added (10)`.
            let mut kinds: std::collections::BTreeMap<(Action, String), usize> =
                std::collections::BTreeMap::new();
            for c in changes {
                let what = match c.action {
                    Action::Add => format!("added ({})", weight(c.head).unwrap_or_default()),
                    Action::Remove => "removed".to_string(),
                    _ => format!("re-weighted {}", was_now(weight(c.base), weight(c.head))),
                };
                *kinds.entry((c.action, what)).or_default() += 1;
            }
            let parts: Vec<String> = kinds
                .into_iter()
                .map(|((_, what), n)| format!("{n} {what}"))
                .collect();
            Some(format!("members: {}", parts.join(", ")))
        }
        Members::Counted { base, head } => Some(format!(
            "planned members: {} → {}",
            base.describe(),
            head.describe()
        )),
    }
}

/// Where a rule sends a request: `shop/api:8080`, `redirect HTTPS:443`.
fn rule_target(rule: &ForwardingRule, show: Show) -> String {
    match &rule.action {
        RuleAction::Forward { backend, .. } => show(backend),
        RuleAction::Redirect { to } => format!("redirect {}", show(to)),
    }
}

/// The rule's Ingress, and whether the cloud refuses it as a duplicate.
fn rule_from(rule: &ForwardingRule, show: Show) -> String {
    let status = if rule.duplicate_of.is_some() {
        ", duplicate"
    } else {
        ""
    };
    format!("{}{status}", show(&rule.object))
}

/// A rule change in words: `shop.example.com/api (prefix) to shop/api:8080 → shop/api-v2:8080
/// [prod:Ingress/shop/shop]`.
pub fn rule_line(r: &RuleChange, show: Show) -> String {
    let Some(now) = r.head.or(r.base) else {
        return String::new();
    };
    let target = was_now(
        r.base.map(|b| rule_target(b, show)),
        r.head.map(|h| rule_target(h, show)),
    );
    let from = was_now(
        r.base.map(|b| rule_from(b, show)),
        r.head.map(|h| rule_from(h, show)),
    );
    format!(
        "{} ({}) to {target} [{from}]",
        show(&now.label()),
        now.match_kind
    )
}

/// The kept weight of a group, if the head plan weighs it so.
pub fn kept_of<'k>(
    kept: &'k [KeptWeight],
    lb: &str,
    l: &ListenerChange,
    g: &GroupChange,
) -> Option<&'k KeptWeight> {
    let listener = l.head?.listener;
    let group = g.head?.group;
    kept.iter().find(|k| {
        k.lb == lb
            && k.protocol == listener.protocol
            && k.port == listener.port
            && group.service.as_deref() == Some(k.service.as_str())
    })
}
