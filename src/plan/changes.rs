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
mod settings;
mod shift;

use std::collections::BTreeMap;

use serde::Serialize;
use strum::IntoStaticStr;

pub use counts::{Counts, Entity};
pub use members::{Members, count as member_count, serves, weight_sum};
use rules::rules;
pub use settings::{SettingRow, SettingSide, setting_rows};
pub use shift::{format_shift, shift_tenths};

use super::forwarding::ForwardingRule;
use super::index::{GroupSource, PlanIndex, PlannedLb, PlannedListener};
use super::natural::natural_cmp;
use super::types::{BackendGroup, Plan};
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
    /// The head plans nothing on this load balancer, which the user created and names by its
    /// ID: it stays in the cloud, without its listeners (not a removal, which only a load
    /// balancer the cloud created for its object undergoes).
    pub stays: bool,
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
    /// The settings whose values differ, on a listener both sides plan with one protocol.
    pub settings: Vec<SettingRow>,
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
                for _ in &l.settings {
                    counts.add(Entity::Setting, Some(Action::Change));
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
    // A load balancer of the user's that the head no longer uses stays in the cloud.
    let stays = h.is_none() && b.is_some_and(|b| !released(b, base));
    let action = if stays {
        None
    } else {
        Action::of(b, h, changed)
    };
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
        stays,
        base: b,
        head: h,
        listeners,
    })
}

/// Whether the cloud deletes this load balancer of the base once nothing uses it: one created
/// for its object (`auto:`), or one a copy of the live object shows its controller created
/// (CCE's `elb.id` beside `elb.autocreate`, which CCE deletes with the Service).
fn released(lb: PlannedLb, view: PlanView) -> bool {
    lb.lb.auto
        || (!lb.frontends().is_empty()
            && lb
                .frontends()
                .iter()
                .all(|&f| view.inv.frontend(f).created_lb.is_some()))
}

fn listener<'a>(
    b: Option<PlannedListener<'a>>,
    h: Option<PlannedListener<'a>>,
    base: PlanView<'a>,
    head: PlanView<'a>,
) -> Option<ListenerChange<'a>> {
    let mut settings = Vec::new();
    let action = match (b, h) {
        (Some(b), Some(h)) if b.listener.protocol != h.listener.protocol => Some(Action::Replace),
        (Some(b), Some(h)) => {
            let (b, h) = (b.listener, h.listener);
            settings = setting_rows(
                (b.service_settings.as_ref(), b.settings.as_ref()),
                (h.service_settings.as_ref(), h.settings.as_ref()),
            );
            // Which Ingress's settings apply can change with no value changing.
            let l7 = |l: &super::types::Listener| {
                l.settings
                    .as_ref()
                    .and_then(|s| serde_json::to_string(s).ok())
            };
            let changed = b.objects != h.objects || l7(b) != l7(h) || !settings.is_empty();
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
        settings,
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
