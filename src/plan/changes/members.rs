//! The members of a group, base -> head: by name where they are real (observed pods and the
//! nodes hosting them, members the config names), as counts where lbplan planned them from
//! workloads (`web-0`, `web-node-0`: names that churn whenever replicas change, and that say
//! nothing about the pods the cloud will really see). This is the one place the diff reads a
//! group's members.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use super::{Action, PlannedGroup};
use crate::plan::types::{BackendGroup, Member};

/// How a group's members change.
pub enum Members<'a> {
    /// Member by member; empty when nothing changes (or the group is added or removed: its
    /// record carries the counts).
    Named(Vec<MemberChange<'a>>),
    /// Planned members, counted on each side.
    Counted {
        base: MemberCount,
        head: MemberCount,
    },
}

/// One member, base -> head.
pub struct MemberChange<'a> {
    pub name: &'a str,
    pub action: Action,
    pub base: Option<&'a Member>,
    pub head: Option<&'a Member>,
}

/// A group's members as counts: how many, the target pods behind them, and how many carry each
/// weight.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MemberCount {
    pub members: u64,
    pub pods: u64,
    pub weights: Weights,
}

/// Members per weight (`null`: unknown), lightest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Weights(pub BTreeMap<Option<u32>, u64>);

impl Serialize for Weights {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry {
            weight: Option<u32>,
            count: u64,
        }
        let mut out = s.serialize_seq(Some(self.0.len()))?;
        for (&weight, &count) in &self.0 {
            out.serialize_element(&Entry { weight, count })?;
        }
        out.end()
    }
}

/// How many members a group has (an entry may stand for several). With [`serves`] and
/// [`weight_sum`], the only readers of a group's members outside this file, so that how the plan
/// holds them can change in one place.
pub fn count(group: &BackendGroup) -> u64 {
    group.member_count()
}

/// Whether the group gives traffic to a member: a weight above 0, or one lbplan cannot compute.
pub fn serves(group: &BackendGroup) -> bool {
    group.members.iter().any(|m| m.weight != Some(0))
}

/// The sum of the group's member weights (unknown weights count 0).
pub fn weight_sum(group: &BackendGroup) -> u64 {
    group
        .members
        .iter()
        .map(|m| m.total_weight().unwrap_or(0))
        .sum()
}

impl MemberCount {
    pub fn of(group: &BackendGroup) -> MemberCount {
        let mut count = MemberCount::default();
        for m in &group.members {
            count.members += u64::from(m.count);
            count.pods += m.total_pods();
            *count.weights.0.entry(m.weight).or_default() += u64::from(m.count);
        }
        count
    }

    /// `3 members of weight 27`, `4 members (2 of weight 12, 2 of weight 13)`.
    pub fn describe(&self) -> String {
        let noun = if self.members == 1 {
            "member"
        } else {
            "members"
        };
        let weight =
            |w: Option<u32>| w.map_or_else(|| "unknown weight".into(), |w| format!("weight {w}"));
        match self.weights.0.len() {
            0 => format!("{} {noun}", self.members),
            1 => {
                let w = self.weights.0.keys().next().copied().flatten();
                format!("{} {noun} of {}", self.members, weight(w))
            }
            _ => {
                let parts: Vec<String> = self
                    .weights
                    .0
                    .iter()
                    .map(|(&w, n)| format!("{n} of {}", weight(w)))
                    .collect();
                format!("{} {noun} ({})", self.members, parts.join(", "))
            }
        }
    }
}

impl<'a> Members<'a> {
    pub fn compare(base: Option<PlannedGroup<'a>>, head: Option<PlannedGroup<'a>>) -> Members<'a> {
        let (Some(b), Some(h)) = (base, head) else {
            return Members::Named(Vec::new());
        };
        let by_name = |g: PlannedGroup| g.observed && !g.group.members.iter().any(|m| m.assumed);
        if by_name(b) && by_name(h) {
            return Members::Named(named(b.group, h.group));
        }
        let (before, after) = (MemberCount::of(b.group), MemberCount::of(h.group));
        if before == after {
            Members::Named(Vec::new())
        } else {
            Members::Counted {
                base: before,
                head: after,
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Members::Named(changes) if changes.is_empty())
    }

    /// Members per action: counted members as the difference of the counts (or, when the counts
    /// are equal, every member re-weighted).
    pub fn counts(&self) -> Vec<(Action, u64)> {
        match self {
            Members::Named(changes) => {
                let mut per: BTreeMap<Action, u64> = BTreeMap::new();
                for c in changes {
                    let count = c.head.or(c.base).map_or(1, |m| u64::from(m.count));
                    *per.entry(c.action).or_default() += count;
                }
                per.into_iter().collect()
            }
            Members::Counted { base, head } => match head.members.cmp(&base.members) {
                std::cmp::Ordering::Greater => vec![(Action::Add, head.members - base.members)],
                std::cmp::Ordering::Less => vec![(Action::Remove, base.members - head.members)],
                std::cmp::Ordering::Equal => vec![(Action::Change, head.members)],
            },
        }
    }
}

/// Member entries matched by name; one changes when its pods, weight or count do.
fn named<'a>(base: &'a BackendGroup, head: &'a BackendGroup) -> Vec<MemberChange<'a>> {
    let mut by_name: BTreeMap<&str, (Option<&Member>, Option<&Member>)> = BTreeMap::new();
    for m in &base.members {
        by_name.entry(m.name.as_str()).or_default().0 = Some(m);
    }
    for m in &head.members {
        by_name.entry(m.name.as_str()).or_default().1 = Some(m);
    }
    by_name
        .into_iter()
        .filter_map(|(name, (b, h))| {
            let action = match (b, h) {
                (None, Some(_)) => Action::Add,
                (Some(_), None) => Action::Remove,
                (Some(b), Some(h))
                    if b.pods != h.pods || b.weight != h.weight || b.count != h.count =>
                {
                    Action::Change
                }
                _ => return None,
            };
            Some(MemberChange {
                name,
                action,
                base: b,
                head: h,
            })
        })
        .collect()
}
