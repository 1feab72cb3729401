//! `lbplan weights --cluster NAME=W:MODE:PLACEMENT`: the weight formulas without manifests.

use std::str::FromStr;

use serde::Serialize;

use super::BackendGroup;
use super::members::thousands;
use super::weights::{GroupSpec, MemberSpec, Weighting, set_shares, weigh};
use crate::k8s::annotations::parse_weight;
use crate::model::Mode;

/// One `--cluster` argument, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterArg {
    pub name: String,
    pub weight: u32,
    pub mode: Mode,
    /// Node mode: target pods per node (a node without any is no member). Pod mode: one entry,
    /// the number of pods, each a member.
    pub placement: Vec<u32>,
}

/// Why a `--cluster` argument cannot be read (clap shows the argument itself).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClusterArgError {
    #[error("expected {USAGE}")]
    Form,
    #[error("the cluster name is empty; expected {USAGE}")]
    EmptyName,
    #[error("weight \"{0}\" must be an integer 0-100")]
    Weight(String),
    #[error("mode \"{0}\" must be pod or node")]
    Mode(String),
    #[error("placement \"{0}\" must be pod counts such as 3,1,1")]
    Placement(String),
    #[error("pod count \"{0}\" is too large (at most {max})", max = thousands(MAX_PODS.into()))]
    PodCount(String),
    #[error("{pods} pods is too many (at most {max})", pods = thousands(*.0), max = thousands(MAX_PODS.into()))]
    TooManyPods(u64),
}

const USAGE: &str = "NAME=W:MODE:PLACEMENT, e.g. a=80:node:3,1,1 or b=20:pod:7";

/// Most pods one `--cluster`, and all of them together, may hold.
pub const MAX_PODS: u32 = 1_000_000;

/// `a=80:node:3,1,1` or `b=20:pod:7`.
impl FromStr for ClusterArg {
    type Err = ClusterArgError;

    fn from_str(text: &str) -> Result<ClusterArg, ClusterArgError> {
        let (name, rest) = text.split_once('=').ok_or(ClusterArgError::Form)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(ClusterArgError::EmptyName);
        }
        let mut parts = rest.splitn(3, ':');
        let (Some(w), Some(mode), Some(placement)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(ClusterArgError::Form);
        };
        let weight = parse_weight(w).ok_or_else(|| ClusterArgError::Weight(w.to_string()))?;
        let mode = match mode.trim() {
            "pod" => Mode::Pod,
            "node" => Mode::Node,
            other => return Err(ClusterArgError::Mode(other.to_string())),
        };
        let counts: Vec<u32> = placement
            .split(',')
            .map(|c| {
                let c = c.trim();
                if c.is_empty() || !c.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(ClusterArgError::Placement(placement.to_string()));
                }
                c.parse::<u32>()
                    .ok()
                    .filter(|&n| n <= MAX_PODS)
                    .ok_or_else(|| ClusterArgError::PodCount(c.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        if total > u64::from(MAX_PODS) {
            return Err(ClusterArgError::TooManyPods(total));
        }
        let placement = match mode {
            // In pod mode every pod is a member; `7` and `3,4` both mean 7 pods, counted in one
            // entry rather than listed.
            Mode::Pod => vec![u32::try_from(total).unwrap_or(MAX_PODS)],
            // In node mode a node without target pods is not a member.
            Mode::Node => counts.into_iter().filter(|&k| k > 0).collect(),
        };
        Ok(ClusterArg {
            name: name.to_string(),
            weight,
            mode,
            placement,
        })
    }
}

/// Why `--cluster` arguments cannot be weighed together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalculationError {
    #[error("cluster \"{0}\" is given twice")]
    DuplicateCluster(String),
    #[error(
        "the --cluster groups hold {pods} pods in all, too many (at most {max})",
        pods = thousands(*.0),
        max = thousands(MAX_PODS.into())
    )]
    TooManyPods(u64),
}

/// The groups of one listener, each with its members nested (the same [`BackendGroup`] the plan
/// holds).
#[derive(Debug, Serialize)]
pub struct Calculation {
    pub version: u32,
    pub groups: Vec<BackendGroup>,
    pub total_weight: u64,
}

/// Weigh the clusters as groups of one listener. Members are entries: a pod-mode cluster's pods
/// are one entry, `<name>-pod-<i>` (from 1) counted, so the cost follows the arguments' length,
/// not the pods; a node-mode cluster's nodes are one entry each, `<name>-node-1`, ...
pub fn calculate(clusters: &[ClusterArg]) -> Result<Calculation, CalculationError> {
    for (i, c) in clusters.iter().enumerate() {
        if clusters.iter().take(i).any(|o| o.name == c.name) {
            return Err(CalculationError::DuplicateCluster(c.name.clone()));
        }
    }
    let total: u64 = clusters
        .iter()
        .flat_map(|c| &c.placement)
        .map(|&k| u64::from(k))
        .sum();
    if total > u64::from(MAX_PODS) {
        return Err(CalculationError::TooManyPods(total));
    }
    let mut groups: Vec<BackendGroup> = Vec::new();
    for c in clusters {
        let members = match c.mode {
            Mode::Pod => c
                .placement
                .iter()
                .filter(|&&n| n > 0)
                .map(|&n| MemberSpec::numbered(format!("{}-pod-", c.name), 1, 1, n))
                .collect(),
            Mode::Node => c
                .placement
                .iter()
                .enumerate()
                .map(|(i, &k)| MemberSpec::new(format!("{}-node-{}", c.name, i + 1), k))
                .collect(),
        };
        let spec = GroupSpec {
            name: c.name.clone(),
            mode: c.mode,
            extra_pods: 0,
            weighting: Weighting::CrossCluster(c.weight),
            members,
        };
        groups.push(weigh(&spec));
    }
    set_shares(&mut groups);
    let total_weight = groups.iter().filter_map(|g| g.total_weight).sum();
    Ok(Calculation {
        version: 1,
        groups,
        total_weight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example() {
        let a: ClusterArg = "a=80:node:3,1,1".parse().expect("a");
        let b: ClusterArg = "b=20:pod:7".parse().expect("b");
        let calc = calculate(&[a, b]).expect("calc");
        assert_eq!(calc.total_weight, 101);
        let weights: Vec<Option<u32>> = calc.groups[0].members.iter().map(|m| m.weight).collect();
        assert_eq!(weights, [Some(48), Some(16), Some(16)]);
        assert_eq!(calc.groups[1].member_count(), 7);
        assert_eq!(calc.groups[1].members.len(), 1, "7 pods, one entry");
        assert_eq!(calc.groups[1].members[0].name, "b-pod-<i>");
        assert_eq!(calc.groups[1].members[0].weight, Some(3));
        assert_eq!(calc.groups[1].total_weight, Some(21));
        assert_eq!(
            calc.groups[0]
                .effective_share
                .map(crate::plan::ratio::Ratio::to_f64),
            Some(0.792)
        );
    }

    #[test]
    fn a_million_pods_in_all_and_no_more() {
        let four = |pods: u32| -> Vec<ClusterArg> {
            ["a", "b", "c", "d"]
                .iter()
                .map(|n| format!("{n}=25:pod:{pods}").parse().expect("arg"))
                .collect()
        };
        let calc = calculate(&four(250_000)).expect("a million in all");
        assert_eq!(calc.total_weight, 1_000_000);
        assert!(calc.groups.iter().all(|g| g.members.len() == 1));
        let err = calculate(&four(1_000_000)).expect_err("four million");
        assert_eq!(err, CalculationError::TooManyPods(4_000_000));
        assert_eq!(
            err.to_string(),
            "the --cluster groups hold 4,000,000 pods in all, too many (at most 1,000,000)"
        );
    }

    #[test]
    fn bad_arguments_say_why() {
        for (arg, needle) in [
            ("a80:node:1", "NAME=W:MODE:PLACEMENT"),
            ("a=180:node:1", "0-100"),
            ("a=80:nodes:1", "pod or node"),
            ("a=80:node:1,x", "pod counts"),
            ("=80:node:1", "empty"),
            ("a=80:node:99999999999", "too large"),
        ] {
            let err = arg.parse::<ClusterArg>().expect_err(arg).to_string();
            assert!(err.contains(needle), "{arg}: {err}");
        }
    }
}
