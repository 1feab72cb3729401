//! Backend weights by the formulas of Huawei Cloud CCE's "为负载均衡类型的Service配置跨集群的后端", in exact integer arithmetic.
//!
//! Pass-through to pods: every target pod weighs `ceil(W / N)`. Node mode: a node hosting `k` of
//! the `N` target pods weighs `ceil(W * k / N)`, rounded once after multiplying. Floating point
//! gets this wrong (w=36, N=28, k=21 gives 27.000000000000004 and rounds up to 28; the exact value
//! is 27), so no float appears anywhere here. Shares are exact ratios until they are printed.

use super::ratio::Ratio;
use super::types::{BackendGroup, GroupKind, Member, Numbered};
use crate::model::Mode;

/// `ceil(a / b)` for `b > 0`; 0 when `b == 0`.
pub fn ceil_div(a: u64, b: u64) -> u64 {
    if b == 0 {
        return 0;
    }
    a / b + u64::from(a % b != 0)
}

/// The weight of a member hosting `k` of a group's `n` target pods under cluster weight `w`:
/// `ceil(w * k / n)`, rounded once after multiplying; 0 when `n == 0`.
pub fn member_weight(w: u32, k: u32, n: u64) -> u32 {
    // k <= n, so the result is at most w and fits.
    u32::try_from(ceil_div(u64::from(w) * u64::from(k), n)).unwrap_or(u32::MAX)
}

/// Member weights for a group with cluster weight `w` whose members host `placement[i]` target
/// pods each (pod mode is every `k = 1`). With no target pods there are no members.
pub fn member_weights(w: u32, placement: &[u32]) -> Vec<u32> {
    let n: u64 = placement.iter().map(|&k| u64::from(k)).sum();
    if n == 0 {
        return Vec::new();
    }
    placement.iter().map(|&k| member_weight(w, k, n)).collect()
}

/// How a group's members are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weighting {
    /// CCE cross-cluster weight W: `ceil(W * k / N)`.
    CrossCluster(u32),
    /// Node weight = target pods on the node (CCE adaptive weight, TKE weighted balance).
    PodsOnNode,
    /// The provider's default member weight, unless a pod sets its own.
    Fixed(u32),
    /// Provider unknown.
    Unknown,
}

/// A group before weights.
#[derive(Debug, Clone)]
pub struct GroupSpec {
    pub name: String,
    pub mode: Mode,
    /// Target pods no member is known to host: a workload's assumed replicas where the members
    /// are the cluster's known nodes (TKE binds every node), whose placement lbplan cannot know.
    pub extra_pods: u64,
    pub weighting: Weighting,
    pub members: Vec<MemberSpec>,
}

/// A member entry before weights: a pod, a node and the target pods it hosts, or numbered
/// identical members counted in one entry.
#[derive(Debug, Clone)]
pub struct MemberSpec {
    /// The entry, its weight not yet set.
    pub member: Member,
    /// A weight set on the pod itself (TKE `custom-weight`): it replaces a provider default, never
    /// a cross-cluster weight.
    pub custom_weight: Option<u32>,
}

impl MemberSpec {
    /// One member.
    pub fn new(name: String, pods: u32) -> Self {
        MemberSpec {
            member: Member::one(name, pods, None),
            custom_weight: None,
        }
    }

    /// `count` members hosting `pods` target pods each, named `prefix` followed by `first`,
    /// `first + 1`, ...; the entry is named `prefix<i>`.
    pub fn numbered(prefix: String, first: u32, pods: u32, count: u32) -> Self {
        MemberSpec {
            member: Member {
                name: format!("{prefix}<i>"),
                pods,
                weight: None,
                count,
                assumed: false,
                numbered: Some(Numbered { prefix, first }),
            },
            custom_weight: None,
        }
    }

    /// The same, marked as assumed by lbplan rather than found in the inputs.
    pub fn assumed(mut self) -> Self {
        self.member.assumed = true;
        self
    }
}

/// Weigh one group's members. The arithmetic is per entry: identical members counted in one
/// entry weigh the same, so a group of a million pods costs what a group of one does.
pub fn weigh(spec: &GroupSpec) -> BackendGroup {
    let pods: u64 = spec
        .members
        .iter()
        .map(|m| m.member.total_pods())
        .sum::<u64>()
        + spec.extra_pods;
    let members: Vec<Member> = if pods == 0 && matches!(spec.weighting, Weighting::CrossCluster(_))
    {
        // With no target pods there are no members.
        Vec::new()
    } else {
        spec.members
            .iter()
            .map(|m| Member {
                weight: match spec.weighting {
                    Weighting::CrossCluster(w) => Some(member_weight(w, m.member.pods, pods)),
                    Weighting::PodsOnNode => Some(m.member.pods),
                    Weighting::Fixed(d) => Some(m.custom_weight.unwrap_or(d)),
                    Weighting::Unknown => None,
                },
                ..m.member.clone()
            })
            .collect()
    };
    let total_weight = match spec.weighting {
        Weighting::Unknown if !members.is_empty() => None,
        _ => Some(members.iter().filter_map(Member::total_weight).sum()),
    };
    BackendGroup {
        name: spec.name.clone(),
        kind: GroupKind::Cluster(spec.mode),
        weight: match spec.weighting {
            Weighting::CrossCluster(w) => Some(w),
            _ => None,
        },
        pods: Some(pods),
        total_weight,
        nominal_share: None,
        effective_share: None,
        service: None,
        by_rules: false,
        members,
    }
}

/// Nominal and effective shares, when every group on the listener has a weight. Groups that
/// forwarding rules send to are targets of those rules, not shares of the listener: they get none.
pub fn set_shares(groups: &mut [BackendGroup]) {
    let mut groups: Vec<&mut BackendGroup> = groups.iter_mut().filter(|g| !g.by_rules).collect();
    let all_weighted = groups
        .iter()
        .all(|g| g.weight.is_some() && g.total_weight.is_some());
    if groups.is_empty() || !all_weighted {
        return;
    }
    let weight_sum: u64 = groups
        .iter()
        .map(|g| u64::from(g.weight.unwrap_or(0)))
        .sum();
    let member_sum: u64 = groups.iter().map(|g| g.total_weight.unwrap_or(0)).sum();
    for g in &mut groups {
        g.nominal_share = Ratio::new(u64::from(g.weight.unwrap_or(0)), weight_sum);
        g.effective_share = Ratio::new(g.total_weight.unwrap_or(0), member_sum);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_002_worked_examples() {
        // ground truth §5, example 2 and its variants (node mode)
        assert_eq!(member_weights(80, &[3, 1, 1]), [48, 16, 16]);
        assert_eq!(member_weights(80, &[3, 2, 2]), [35, 23, 23]);
        assert_eq!(member_weights(80, &[4, 2, 1]), [46, 23, 12]);
        assert_eq!(member_weights(100, &[3, 2, 2]), [43, 29, 29]);
        // example 1 (pass-through): 7 pods at ceil(100/7) = 15
        assert_eq!(member_weights(100, &[1; 7]), [15; 7]);
        // example 3: w = 0, N = 0, w < N
        assert_eq!(member_weights(0, &[2, 1]), [0, 0]);
        assert!(member_weights(50, &[]).is_empty());
        assert!(member_weights(50, &[0, 0]).is_empty());
        assert_eq!(member_weights(5, &[1; 12]), [1; 12]);
    }

    #[test]
    fn seed_002_example_4d_shares() {
        let a = GroupSpec {
            name: "a".into(),
            mode: Mode::Node,
            extra_pods: 0,
            weighting: Weighting::CrossCluster(80),
            members: [("n1", 3), ("n2", 1), ("n3", 1)]
                .into_iter()
                .map(|(n, k)| MemberSpec::new(n.into(), k))
                .collect(),
        };
        let b = GroupSpec {
            name: "b".into(),
            mode: Mode::Pod,
            extra_pods: 0,
            weighting: Weighting::CrossCluster(20),
            members: (0..7)
                .map(|i| MemberSpec::new(format!("p{i}"), 1))
                .collect(),
        };
        let mut groups = vec![weigh(&a), weigh(&b)];
        set_shares(&mut groups);
        assert_eq!(groups[0].total_weight, Some(80));
        assert_eq!(groups[1].total_weight, Some(21));
        assert_eq!(groups[0].effective_share.map(Ratio::to_f64), Some(0.792));
        assert_eq!(groups[1].nominal_share.map(Ratio::to_f64), Some(0.2));
    }

    #[test]
    fn a_pod_weight_replaces_only_the_default() {
        let mut members = vec![
            MemberSpec::new("p0".into(), 1),
            MemberSpec::new("p1".into(), 1),
        ];
        members[1].custom_weight = Some(50);
        let spec = |weighting| GroupSpec {
            name: "g".into(),
            mode: Mode::Pod,
            extra_pods: 0,
            weighting,
            members: members.clone(),
        };
        let weights = |g: BackendGroup| g.members.iter().map(|m| m.weight).collect::<Vec<_>>();
        assert_eq!(
            weights(weigh(&spec(Weighting::Fixed(10)))),
            [Some(10), Some(50)]
        );
        assert_eq!(
            weights(weigh(&spec(Weighting::CrossCluster(20)))),
            [Some(10), Some(10)]
        );
    }

    /// An entry counting `c` identical members weighs exactly as the `c` members listed one by
    /// one: same member weight, same group total, whatever the weighting.
    #[test]
    fn counted_members_weigh_as_listed_ones() {
        let entries = [(1, 10_000), (3, 1), (1, 7), (2, 250)];
        for weighting in [
            Weighting::CrossCluster(0),
            Weighting::CrossCluster(37),
            Weighting::CrossCluster(100),
            Weighting::PodsOnNode,
            Weighting::Fixed(10),
            Weighting::Unknown,
        ] {
            let spec = |members| GroupSpec {
                name: "g".into(),
                mode: Mode::Node,
                extra_pods: 0,
                weighting,
                members,
            };
            let counted = weigh(&spec(
                entries
                    .iter()
                    .map(|&(k, c)| MemberSpec::numbered("n-".into(), 0, k, c))
                    .collect(),
            ));
            let listed = weigh(&spec(
                entries
                    .iter()
                    .flat_map(|&(k, c)| (0..c).map(move |i| MemberSpec::new(format!("n-{i}"), k)))
                    .collect(),
            ));
            assert_eq!(counted.pods, listed.pods, "{weighting:?}");
            assert_eq!(counted.total_weight, listed.total_weight, "{weighting:?}");
            assert_eq!(counted.member_count(), listed.member_count());
            let mut at = 0;
            for (entry, &(_, c)) in counted.members.iter().zip(&entries) {
                let c = usize::try_from(c).expect("fits");
                assert!(
                    listed.members[at..at + c]
                        .iter()
                        .all(|m| m.weight == entry.weight && m.pods == entry.pods),
                    "{weighting:?}"
                );
                at += c;
            }
        }
        // W = 80 over 10,000 + 3 + 7 + 500 pods: ceil(80 k / 10,510).
        let g = weigh(&GroupSpec {
            name: "g".into(),
            mode: Mode::Node,
            extra_pods: 0,
            weighting: Weighting::CrossCluster(80),
            members: entries
                .iter()
                .map(|&(k, c)| MemberSpec::numbered("n-".into(), 0, k, c))
                .collect(),
        });
        assert_eq!(g.pods, Some(10_510));
        assert_eq!(g.total_weight, Some(10_000 + 1 + 7 + 250));
    }

    #[test]
    fn float_traps_are_exact_here() {
        // ceil((36/28)*21) in f64 is 28; the exact value is 27.
        assert_eq!(member_weights(36, &[21, 7]), [27, 9]);
        // ceil((7/25)*25) in f64 is 8; the exact value is 7.
        assert_eq!(member_weights(7, &[25]), [7]);
    }

    #[test]
    fn shares_round_half_up_and_compare_exactly() {
        let a = Ratio::new(80, 101).expect("share");
        assert_eq!(a.to_f64(), 0.792);
        assert_eq!(a.percent(), "79.2%");
        assert_eq!(Ratio::new(81, 121).expect("share").percent(), "66.9%");
        assert_eq!(Ratio::new(1, 2000).expect("share").scaled(3), 1);
        assert!(Ratio::new(0, 0).is_none());
        let nominal = Ratio::new(80, 100).expect("share");
        assert!(!a.differs_by_more_than(nominal, 200));
        assert!(
            Ratio::new(81, 121)
                .expect("share")
                .differs_by_more_than(nominal, 200)
        );
        // exactly 2 points apart is not more than 2 points
        assert!(
            !Ratio::new(78, 100)
                .expect("share")
                .differs_by_more_than(nominal, 200)
        );
    }
}
