//! Two plans compared: what a change to the manifests does to the load balancers (`lbplan diff`).
//!
//! Entities are matched by the keys the plan already uses, never by file or line: load balancers
//! by ID, listeners by (protocol, port), backend groups by the Service that makes them
//! (`cluster:Service/namespace/name`; the name for external members and for the groups forwarding
//! rules send to), members by name, forwarding rules by (host, path, match kind). Each change is
//! an [`Action`]: `add`, `remove`, `change`, or `replace` for a listener whose port reappears with
//! another protocol. Members of groups whose pods are planned from workloads (no pod snapshot) are
//! compared as counts (`members.rs`): their names are lbplan's, and churn whenever replicas change.

mod counts;
mod members;
mod rules;

use std::collections::BTreeMap;

use serde::Serialize;
use strum::IntoStaticStr;

pub use counts::{Counts, Entity};
pub use members::{Members, count as member_count, serves, weight_sum};
use rules::rules;

use super::forwarding::ForwardingRule;
use super::index::{GroupSource, PlanIndex, PlannedLb, PlannedListener};
use super::natural::natural_cmp;
use super::types::{BackendGroup, Plan};
use super::weights::Ratio;
use crate::model::Inventory;

/// One side of a comparison: a plan, its index and the model it was built from.
#[derive(Clone, Copy)]
pub struct PlanView<'a> {
    pub plan: &'a Plan,
    pub index: &'a PlanIndex,
    pub inv: &'a Inventory,
}

/// What happens to an entity, base -> head.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Action {
    Add,
    Remove,
    Change,
    /// The same load balancer and port, another protocol.
    Replace,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// `+`, `-`, `~` or `-/+`, as the tables mark rows.
    pub fn sign(self) -> &'static str {
        match self {
            Action::Add => "+",
            Action::Remove => "-",
            Action::Change => "~",
            Action::Replace => "-/+",
        }
    }

    /// `added`, `removed`, `changed`, `replaced`.
    pub fn past(self) -> &'static str {
        match self {
            Action::Add => "added",
            Action::Remove => "removed",
            Action::Change => "changed",
            Action::Replace => "replaced",
        }
    }

    /// Add, remove, or change when `changed`; `None` when both sides hold it unchanged.
    fn of<T>(base: Option<T>, head: Option<T>, changed: bool) -> Option<Action> {
        match (base, head) {
            (None, Some(_)) => Some(Action::Add),
            (Some(_), None) => Some(Action::Remove),
            _ if changed => Some(Action::Change),
            _ => None,
        }
    }
}

/// The changed load balancers, in ID order.
pub struct PlanDiff<'a> {
    pub load_balancers: Vec<LbChange<'a>>,
}

/// A load balancer whose own facts or whose listeners change.
pub struct LbChange<'a> {
    pub id: &'a str,
    /// `None`: the load balancer itself is unchanged; some of its listeners change.
    pub action: Option<Action>,
    pub base: Option<PlannedLb<'a>>,
    pub head: Option<PlannedLb<'a>>,
    pub listeners: Vec<ListenerChange<'a>>,
}

/// A listener whose claimants or settings change, or whose groups or rules do.
pub struct ListenerChange<'a> {
    pub action: Option<Action>,
    pub base: Option<PlannedListener<'a>>,
    pub head: Option<PlannedListener<'a>>,
    pub groups: Vec<GroupChange<'a>>,
    pub rules: Vec<RuleChange<'a>>,
}

/// A backend group as one side plans it.
#[derive(Clone, Copy)]
pub struct PlannedGroup<'a> {
    pub group: &'a BackendGroup,
    pub source: Option<GroupSource>,
    /// Its members are observed (a pod snapshot, or members the config names), not planned.
    pub observed: bool,
}

pub struct GroupChange<'a> {
    /// The Service that makes the group (`cluster:Service/namespace/name`), else its name.
    pub key: String,
    pub action: Action,
    pub base: Option<PlannedGroup<'a>>,
    pub head: Option<PlannedGroup<'a>>,
    pub members: Members<'a>,
}

pub struct RuleChange<'a> {
    pub action: Action,
    pub base: Option<&'a ForwardingRule>,
    pub head: Option<&'a ForwardingRule>,
}

impl<'a> PlanDiff<'a> {
    /// Compare `base` with `head`.
    pub fn compare(base: PlanView<'a>, head: PlanView<'a>) -> PlanDiff<'a> {
        let mut lbs: BTreeMap<&str, (Option<PlannedLb>, Option<PlannedLb>)> = BTreeMap::new();
        for lb in base.index.walk(base.plan) {
            lbs.entry(lb.lb.id.as_str()).or_default().0 = Some(lb);
        }
        for lb in head.index.walk(head.plan) {
            lbs.entry(lb.lb.id.as_str()).or_default().1 = Some(lb);
        }
        let load_balancers = lbs
            .into_iter()
            .filter_map(|(id, (b, h))| load_balancer(id, b, h, base, head))
            .collect();
        PlanDiff { load_balancers }
    }

    pub fn is_empty(&self) -> bool {
        self.load_balancers.is_empty()
    }

    /// How many entities of each kind each action touches, members counted one by one.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for lb in &self.load_balancers {
            counts.add(Entity::LoadBalancer, lb.action);
            for l in &lb.listeners {
                counts.add(Entity::Listener, l.action);
                for g in &l.groups {
                    counts.add(Entity::Group, Some(g.action));
                    for (action, n) in g.members.counts() {
                        *counts.of.entry((Entity::Member, action)).or_default() += n;
                    }
                }
                for r in &l.rules {
                    counts.add(Entity::Rule, Some(r.action));
                }
            }
        }
        counts
    }
}

/// A listener on each side.
type Pair<'a> = (Option<PlannedListener<'a>>, Option<PlannedListener<'a>>);

fn load_balancer<'a>(
    id: &'a str,
    b: Option<PlannedLb<'a>>,
    h: Option<PlannedLb<'a>>,
    base: PlanView<'a>,
    head: PlanView<'a>,
) -> Option<LbChange<'a>> {
    let changed = match (b, h) {
        (Some(b), Some(h)) => b.lb.provider != h.lb.provider || b.lb.class != h.lb.class,
        _ => false,
    };
    let action = Action::of(b, h, changed);
    let mut exact: BTreeMap<(u16, &str), Pair> = BTreeMap::new();
    for l in b.into_iter().flat_map(PlannedLb::listeners) {
        exact
            .entry((l.listener.port, l.listener.protocol.as_str()))
            .or_default()
            .0 = Some(l);
    }
    for l in h.into_iter().flat_map(PlannedLb::listeners) {
        exact
            .entry((l.listener.port, l.listener.protocol.as_str()))
            .or_default()
            .1 = Some(l);
    }
    // Listeners on one port that only one side has: the same port with another protocol is a
    // replacement; the rest are added or removed.
    let mut pairs: Vec<Pair> = Vec::new();
    let mut gone: BTreeMap<u16, Vec<PlannedListener>> = BTreeMap::new();
    let mut new: BTreeMap<u16, Vec<PlannedListener>> = BTreeMap::new();
    for ((port, _), pair) in exact {
        match pair {
            (Some(b), None) => gone.entry(port).or_default().push(b),
            (None, Some(h)) => new.entry(port).or_default().push(h),
            pair => pairs.push(pair),
        }
    }
    for (port, olds) in gone {
        let mut news = new.remove(&port).unwrap_or_default().into_iter();
        for old in olds {
            pairs.push((Some(old), news.next()));
        }
        pairs.extend(news.map(|h| (None, Some(h))));
    }
    pairs.extend(new.into_values().flatten().map(|h| (None, Some(h))));
    let key = |p: &Pair| {
        let l = p.1.or(p.0).map(|l| l.listener);
        l.map(|l| (l.port, l.protocol.as_str()))
    };
    pairs.sort_by_key(|p| key(p));
    let listeners: Vec<ListenerChange> = pairs
        .into_iter()
        .filter_map(|(b, h)| listener(b, h, base, head))
        .collect();
    (action.is_some() || !listeners.is_empty()).then_some(LbChange {
        id,
        action,
        base: b,
        head: h,
        listeners,
    })
}

fn listener<'a>(
    b: Option<PlannedListener<'a>>,
    h: Option<PlannedListener<'a>>,
    base: PlanView<'a>,
    head: PlanView<'a>,
) -> Option<ListenerChange<'a>> {
    let action = match (b, h) {
        (Some(b), Some(h)) if b.listener.protocol != h.listener.protocol => Some(Action::Replace),
        (Some(b), Some(h)) => {
            let settings = |l: PlannedListener| {
                l.listener
                    .settings
                    .as_ref()
                    .and_then(|s| serde_json::to_string(s).ok())
            };
            let service_settings = super::service_settings::changes(
                b.listener.service_settings.as_ref(),
                h.listener.service_settings.as_ref(),
            );
            let changed = b.listener.objects != h.listener.objects
                || settings(b) != settings(h)
                || !service_settings.is_empty();
            Action::of(Some(b), Some(h), changed)
        }
        _ => Action::of(b, h, false),
    };
    let groups = groups(b, h, base, head);
    let rules = rules(b, h);
    (action.is_some() || !groups.is_empty() || !rules.is_empty()).then_some(ListenerChange {
        action,
        base: b,
        head: h,
        groups,
        rules,
    })
}

/// The key a group is matched by.
fn group_key(group: &BackendGroup) -> &str {
    match &group.service {
        Some(service) if !group.by_rules => service,
        _ => &group.name,
    }
}

fn planned_groups<'a>(
    listener: Option<PlannedListener<'a>>,
    view: PlanView<'a>,
) -> impl Iterator<Item = PlannedGroup<'a>> {
    listener.into_iter().flat_map(move |l| {
        l.groups().map(move |(group, source)| PlannedGroup {
            group,
            source,
            observed: source.is_none_or(|s| view.inv.targets_of(s.service).observed),
        })
    })
}

fn groups<'a>(
    b: Option<PlannedListener<'a>>,
    h: Option<PlannedListener<'a>>,
    base: PlanView<'a>,
    head: PlanView<'a>,
) -> Vec<GroupChange<'a>> {
    let mut by_key: BTreeMap<&str, (Option<PlannedGroup>, Option<PlannedGroup>)> = BTreeMap::new();
    for g in planned_groups(b, base) {
        by_key.entry(group_key(g.group)).or_default().0 = Some(g);
    }
    for g in planned_groups(h, head) {
        by_key.entry(group_key(g.group)).or_default().1 = Some(g);
    }
    let mut changes: Vec<GroupChange> = by_key
        .into_iter()
        .filter_map(|(key, (b, h))| {
            let members = Members::compare(b, h);
            let changed = match (b, h) {
                (Some(b), Some(h)) => group_differs(b.group, h.group) || !members.is_empty(),
                _ => false,
            };
            Action::of(b, h, changed).map(|action| GroupChange {
                key: key.to_string(),
                action,
                base: b,
                head: h,
                members,
            })
        })
        .collect();
    changes.sort_by(|x, y| natural_cmp(x.name(), y.name()));
    changes
}

/// Whether what a group plans (mode, weight, pods, total weight, shares) differs.
fn group_differs(b: &BackendGroup, h: &BackendGroup) -> bool {
    b.kind != h.kind
        || b.weight != h.weight
        || b.pods != h.pods
        || b.total_weight != h.total_weight
        || b.nominal_share != h.nominal_share
        || b.effective_share != h.effective_share
}

impl GroupChange<'_> {
    /// The group's name, as the head plan names it (else the base's).
    pub fn name(&self) -> &str {
        self.head
            .or(self.base)
            .map_or(self.key.as_str(), |g| g.group.name.as_str())
    }

    /// How far the group's effective share moves, in tenths of a percentage point (`None` when
    /// a side has no share).
    pub fn shift_tenths(&self) -> Option<i64> {
        let before = self.base?.group.effective_share?;
        let after = self.head?.group.effective_share?;
        Some(shift_tenths(before, after))
    }
}

/// `after - before` in tenths of a percentage point, rounded half away from zero.
pub fn shift_tenths(before: Ratio, after: Ratio) -> i64 {
    let num = i128::from(after.num) * i128::from(before.den)
        - i128::from(before.num) * i128::from(after.den);
    let den = i128::from(after.den) * i128::from(before.den);
    // One percentage point is 1/100; a tenth of it, 1/1000.
    let scaled = num * 1000 * 2;
    let rounded = (scaled.abs() + den) / (den * 2) * scaled.signum();
    i64::try_from(rounded).unwrap_or(0)
}

/// `+6.7 pp`, `-0.4 pp`, `0.0 pp`.
pub fn format_shift(tenths: i64) -> String {
    let sign = match tenths.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    let abs = tenths.unsigned_abs();
    format!("{sign}{}.{} pp", abs / 10, abs % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_round_to_tenths_of_a_point() {
        let r = |n, d| Ratio::new(n, d).expect("ratio");
        assert_eq!(shift_tenths(r(20, 100), r(30, 110)), 73);
        assert_eq!(format_shift(73), "+7.3 pp");
        assert_eq!(shift_tenths(r(30, 110), r(20, 100)), -73);
        assert_eq!(format_shift(-73), "-7.3 pp");
        assert_eq!(shift_tenths(r(1, 3), r(1, 3)), 0);
        assert_eq!(format_shift(0), "0.0 pp");
        // 0.05 points is half a tenth: away from zero
        assert_eq!(shift_tenths(r(0, 1), r(5, 10_000)), 1);
        assert_eq!(shift_tenths(r(5, 10_000), r(0, 1)), -1);
    }
}
