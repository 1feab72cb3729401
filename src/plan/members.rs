//! Members as the outputs show them. A group holds member entries, each one member or several
//! identical numbered ones counted (a workload's replicas, the calculator's pods), so a group of a
//! million pods costs what a group of one does. Two things happen only at output:
//!
//! - `--members` lists the members of every entry one by one ([`list_members`]), up to
//!   [`MAX_LISTED_MEMBERS`] in a run; entries beyond stay counted, and the caller says so;
//! - a table collapses identical members (same pods, weight, and whether assumed) into one row,
//!   `10,000 nodes, assumed one pod each × weight 1` ([`rows`]), unless `--members` is given.

use std::collections::HashMap;

use super::natural::natural_cmp;
use super::types::{BackendGroup, GroupKind, Member, Plan};
use crate::model::Mode;
use crate::text::plural;

/// The most members `--members` lists one by one in a run, beyond the entries that already
/// stand for one member each.
pub const MAX_LISTED_MEMBERS: u64 = 10_000;

/// What `--members` left counted because of [`MAX_LISTED_MEMBERS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unlisted {
    /// Entries still standing for several members.
    pub entries: u64,
    /// The members they stand for.
    pub members: u64,
}

impl Unlisted {
    /// The note for standard error, when anything stayed counted.
    pub fn note(self) -> Option<String> {
        (self.entries > 0).then(|| {
            format!(
                "--members lists at most {} members one by one; {} more, in {} {}, are shown counted",
                thousands(MAX_LISTED_MEMBERS),
                thousands(self.members),
                thousands(self.entries),
                plural(self.entries, "entry", "entries"),
            )
        })
    }
}

/// List the members of every counted entry one by one, in the order of the groups, while the
/// run's [`MAX_LISTED_MEMBERS`] last; an entry that does not fit whole stays counted.
pub fn list_members<'a>(groups: impl IntoIterator<Item = &'a mut BackendGroup>) -> Unlisted {
    let mut budget = MAX_LISTED_MEMBERS;
    let mut unlisted = Unlisted::default();
    for group in groups {
        if group.members.iter().all(|m| m.numbered.is_none()) {
            continue;
        }
        let mut members = Vec::with_capacity(group.members.len());
        for entry in std::mem::take(&mut group.members) {
            let count = u64::from(entry.count);
            match &entry.numbered {
                Some(numbered) if count <= budget => {
                    budget -= count;
                    members.extend((0..entry.count).map(|i| Member {
                        name: format!(
                            "{}{}",
                            numbered.prefix,
                            u64::from(numbered.first) + u64::from(i)
                        ),
                        count: 1,
                        numbered: None,
                        ..entry.clone()
                    }));
                }
                Some(_) => {
                    unlisted.entries += 1;
                    unlisted.members += count;
                    members.push(entry);
                }
                None => members.push(entry),
            }
        }
        members.sort_by(|a, b| natural_cmp(&a.name, &b.name));
        group.members = members;
    }
    unlisted
}

/// [`list_members`] for every group of the plan.
pub fn list_plan_members(plan: &mut Plan) -> Unlisted {
    list_members(
        plan.load_balancers
            .iter_mut()
            .flat_map(|lb| lb.listeners.iter_mut())
            .flat_map(|l| l.groups.iter_mut()),
    )
}

/// One member row of a table: what it shows, and the pods and weight of all its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub pods: u64,
    pub weight: Option<u64>,
}

/// The member rows of a group. With `every`, one row per entry (an entry still counted after
/// `--members` shows as counted); otherwise identical members, and every assumed one, share a
/// row, in the order their first member comes, and a member alike to no other shows its name.
pub fn rows(group: &BackendGroup, every: bool) -> Vec<Row> {
    if every {
        return group
            .members
            .iter()
            .map(|m| row(group.kind, m, u64::from(m.count), m.name_if_one()))
            .collect();
    }
    // (assumed, pods, weight) -> index in `classes`: the first entry and the members of each.
    let mut index: HashMap<(bool, u32, Option<u32>), usize> = HashMap::new();
    let mut classes: Vec<(&Member, u64)> = Vec::new();
    for m in &group.members {
        let key = (m.assumed, m.pods, m.weight);
        if let Some(class) = index.get(&key).and_then(|&i| classes.get_mut(i)) {
            class.1 += u64::from(m.count);
        } else {
            index.insert(key, classes.len());
            classes.push((m, u64::from(m.count)));
        }
    }
    classes
        .into_iter()
        .map(|(first, count)| {
            let name = if count == 1 && !first.assumed {
                first.name_if_one()
            } else {
                None
            };
            row(group.kind, first, count, name)
        })
        .collect()
}

/// A row for `count` members like `m`: its name when it is one named member, else what they are.
fn row(kind: GroupKind, m: &Member, count: u64, name: Option<String>) -> Row {
    Row {
        label: name.unwrap_or_else(|| counted(kind, m, count)),
        pods: u64::from(m.pods) * count,
        weight: m.weight.map(|w| u64::from(w) * count),
    }
}

impl Member {
    /// The member's own name, when the entry is one member.
    fn name_if_one(&self) -> Option<String> {
        (self.count == 1).then(|| match &self.numbered {
            Some(numbered) => format!("{}{}", numbered.prefix, numbered.first),
            None => self.name.clone(),
        })
    }
}

/// `7 pods × weight 12`, `3 nodes, assumed one pod each × weight 1`, `2 external members ×
/// weight 10`.
fn counted(kind: GroupKind, m: &Member, count: u64) -> String {
    let n = thousands(count);
    let what = match kind {
        GroupKind::Cluster(Mode::Pod) => {
            let assumed = if m.assumed { "assumed " } else { "" };
            format!("{n} {assumed}{}", plural(count, "pod", "pods"))
        }
        GroupKind::Cluster(Mode::Node) => {
            let assumed = if m.assumed { "assumed " } else { "" };
            let each = if count == 1 { "" } else { " each" };
            let pods = match m.pods {
                1 => "one pod".to_string(),
                k => format!("{} pods", thousands(u64::from(k))),
            };
            format!(
                "{n} {}, {assumed}{pods}{each}",
                plural(count, "node", "nodes")
            )
        }
        GroupKind::External => format!("{n} external {}", plural(count, "member", "members")),
    };
    match m.weight {
        Some(w) => format!("{what} × weight {w}"),
        None => format!("{what}, weight unknown"),
    }
}

/// `1,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::weights::{GroupSpec, MemberSpec, Weighting, weigh};

    fn group(mode: Mode, weighting: Weighting, members: Vec<MemberSpec>) -> BackendGroup {
        weigh(&GroupSpec {
            name: "g".into(),
            mode,
            extra_pods: 0,
            weighting,
            members,
        })
    }

    fn labels(rows: &[Row]) -> Vec<(&str, u64, Option<u64>)> {
        rows.iter()
            .map(|r| (r.label.as_str(), r.pods, r.weight))
            .collect()
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn identical_and_assumed_members_share_a_row() {
        // Two workloads' replicas (assumed), two observed nodes alike and one unlike them.
        let g = group(
            Mode::Node,
            Weighting::CrossCluster(80),
            vec![
                MemberSpec::numbered("web-node-".into(), 0, 1, 10_000).assumed(),
                MemberSpec::numbered("api-node-".into(), 0, 1, 3).assumed(),
                MemberSpec::new("192.168.0.1".into(), 1),
                MemberSpec::new("192.168.0.2".into(), 1),
                MemberSpec::new("192.168.0.3".into(), 2),
            ],
        );
        assert_eq!(g.pods, Some(10_007));
        assert_eq!(
            labels(&rows(&g, false)),
            [
                (
                    "10,003 nodes, assumed one pod each × weight 1",
                    10_003,
                    Some(10_003)
                ),
                ("2 nodes, one pod each × weight 1", 2, Some(2)),
                ("192.168.0.3", 2, Some(1)),
            ]
        );
        // Every entry, still counted where nothing listed them.
        assert_eq!(
            labels(&rows(&g, true)),
            [
                (
                    "10,000 nodes, assumed one pod each × weight 1",
                    10_000,
                    Some(10_000)
                ),
                ("3 nodes, assumed one pod each × weight 1", 3, Some(3)),
                ("192.168.0.1", 1, Some(1)),
                ("192.168.0.2", 1, Some(1)),
                ("192.168.0.3", 2, Some(1)),
            ]
        );
    }

    #[test]
    fn pods_external_members_and_unknown_weights_read_well() {
        let pods = group(
            Mode::Pod,
            Weighting::Unknown,
            vec![MemberSpec::numbered("web-".into(), 0, 1, 1).assumed()],
        );
        assert_eq!(
            labels(&rows(&pods, false)),
            [("1 assumed pod, weight unknown", 1, None)]
        );
        let mut external = pods.clone();
        external.kind = GroupKind::External;
        external.members = vec![
            Member::one("ecs-1".into(), 0, Some(10)),
            Member::one("ecs-2".into(), 0, Some(10)),
        ];
        assert_eq!(
            labels(&rows(&external, false)),
            [("2 external members × weight 10", 0, Some(20))]
        );
        // One numbered member that is not assumed shows its own name.
        let one = group(
            Mode::Pod,
            Weighting::CrossCluster(20),
            vec![MemberSpec::numbered("b-pod-".into(), 1, 1, 1)],
        );
        assert_eq!(labels(&rows(&one, false)), [("b-pod-1", 1, Some(20))]);
    }

    #[test]
    fn listing_expands_entries_within_the_budget() {
        let mut small = group(
            Mode::Node,
            Weighting::Fixed(1),
            vec![
                MemberSpec::numbered("web-node-".into(), 0, 1, 11).assumed(),
                MemberSpec::new("web-node-5x".into(), 1),
            ],
        );
        let budget = usize::try_from(MAX_LISTED_MEMBERS).expect("fits");
        let mut big = group(
            Mode::Pod,
            Weighting::Fixed(1),
            vec![MemberSpec::numbered(
                "big-".into(),
                0,
                1,
                7 + u32::try_from(budget).expect("fits"),
            )],
        );
        let unlisted = list_members([&mut small, &mut big]);
        let names: Vec<&str> = small.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names.len(), 12);
        assert_eq!(names[..3], ["web-node-0", "web-node-1", "web-node-2"]);
        // Natural order, the named member among the listed ones.
        assert_eq!(names[5..7], ["web-node-5", "web-node-5x"]);
        assert_eq!(names[11], "web-node-10");
        assert!(small.members.iter().all(|m| m.count == 1));
        assert_eq!(small.member_count(), 12);
        // The second group's one entry would take the run past the budget: it stays counted.
        assert_eq!(big.members.len(), 1);
        assert_eq!(
            unlisted,
            Unlisted {
                entries: 1,
                members: MAX_LISTED_MEMBERS + 7
            }
        );
        assert_eq!(
            unlisted.note().as_deref(),
            Some(
                "--members lists at most 10,000 members one by one; 10,007 more, in 1 entry, are shown counted"
            )
        );
    }
}
