//! The load-balancer plan: what the cloud controllers would build from the manifests.
//!
//! Load balancers are keyed by cloud ID, listeners by (protocol, port), and every listener holds one
//! backend group per Service whose pods it reaches (plus the external members the config names),
//! with the member weights the controller would set and each group's nominal and effective share.

pub mod calculator;
pub mod render;
pub mod weights;

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::config::Config;
use crate::facts::Provider;
use crate::k8s::Protocol;
use crate::k8s::annotations::parse_weight;
use crate::k8s::keys;
use crate::model::frontend::on;
use crate::model::{ClusterId, FrontendId, Inventory, Mode, ObjectId};
use crate::source::Origin;
use weights::{Ratio, member_weights};

#[derive(Debug, Serialize)]
pub struct Plan {
    pub version: u32,
    /// What lbplan had to assume, in plain words; an empty list means nothing was assumed.
    pub assumptions: Vec<String>,
    pub load_balancers: Vec<LoadBalancer>,
}

#[derive(Debug, Serialize)]
pub struct LoadBalancer {
    pub id: String,
    pub provider: Option<Provider>,
    pub class: Option<String>,
    pub listeners: Vec<Listener>,
    #[serde(skip)]
    pub auto: bool,
    /// Frontends using this load balancer, in input order.
    #[serde(skip)]
    pub frontends: Vec<FrontendId>,
}

#[derive(Debug, Serialize)]
pub struct Listener {
    pub protocol: Protocol,
    pub port: u16,
    /// `cluster:Kind/namespace/name` of every object claiming the listener.
    pub objects: Vec<String>,
    pub groups: Vec<BackendGroup>,
    pub members: Vec<Member>,
    /// The claims, in input order: frontend and the port entry or annotation.
    #[serde(skip)]
    pub claims: Vec<(FrontendId, Origin)>,
}

/// What a backend group holds: a cluster's pods (or their nodes), or members added outside
/// Kubernetes. Its members are of the same kind; both print it as `pod`, `node` or `external`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    Cluster(Mode),
    External,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Cluster(mode) => mode.into(),
            GroupKind::External => "external",
        }
    }
}

impl fmt::Display for GroupKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for GroupKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BackendGroup {
    pub name: String,
    pub mode: GroupKind,
    /// The cross-cluster weight W (or the external members' total); `null` when none applies.
    pub weight: Option<u32>,
    /// Target pods N (`null` for external members).
    pub pods: Option<u64>,
    /// Sum of member weights; `null` when member weights are unknown.
    pub total_weight: Option<u64>,
    pub nominal_share: Option<Ratio>,
    pub effective_share: Option<Ratio>,
    /// The Service whose pods make the group, `cluster:Service/namespace/name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip)]
    pub cluster: Option<ClusterId>,
    #[serde(skip)]
    pub frontend: Option<FrontendId>,
    #[serde(skip)]
    pub service_id: Option<ObjectId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub group: String,
    pub kind: GroupKind,
    pub name: String,
    /// Target pods behind this member (1 for a pod, k for a node, 0 for an external member).
    pub pods: u32,
    pub weight: Option<u32>,
}

/// How a group's members are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weighting {
    /// CCE cross-cluster weight W: `ceil(W * k / N)`.
    CrossCluster(u32),
    /// Node weight = target pods on the node (CCE adaptive weight, TKE weighted balance).
    PodsOnNode,
    /// The provider's default member weight.
    Fixed(u32),
    /// Provider unknown.
    Unknown,
}

/// A group before weights: its members as (name, target pods).
#[derive(Debug, Clone)]
pub struct GroupSpec {
    pub name: String,
    pub mode: Mode,
    pub weighting: Weighting,
    pub members: Vec<(String, u32)>,
    /// Per-member weights set on the pods themselves (TKE `custom-weight`), by member index; they
    /// replace a provider default, never a cross-cluster weight.
    pub custom_weights: Vec<Option<u32>>,
}

/// Weigh one group's members.
pub fn weigh(spec: &GroupSpec) -> (BackendGroup, Vec<Member>) {
    let kind = GroupKind::Cluster(spec.mode);
    let placement: Vec<u32> = spec.members.iter().map(|(_, k)| *k).collect();
    let pods: u64 = placement.iter().map(|&k| u64::from(k)).sum();
    let weights: Vec<Option<u32>> = match spec.weighting {
        Weighting::CrossCluster(w) => member_weights(w, &placement)
            .into_iter()
            .map(Some)
            .collect(),
        Weighting::PodsOnNode => placement.iter().map(|&k| Some(k)).collect(),
        Weighting::Fixed(d) => (0..placement.len())
            .map(|i| Some(spec.custom_weights.get(i).copied().flatten().unwrap_or(d)))
            .collect(),
        Weighting::Unknown => placement.iter().map(|_| None).collect(),
    };
    let members: Vec<Member> = spec
        .members
        .iter()
        .zip(weights)
        .map(|((name, k), weight)| Member {
            group: spec.name.clone(),
            kind,
            name: name.clone(),
            pods: *k,
            weight,
        })
        .collect();
    let total_weight = match spec.weighting {
        Weighting::Unknown if !members.is_empty() => None,
        _ => Some(
            members
                .iter()
                .map(|m| u64::from(m.weight.unwrap_or(0)))
                .sum(),
        ),
    };
    let group = BackendGroup {
        name: spec.name.clone(),
        mode: kind,
        weight: match spec.weighting {
            Weighting::CrossCluster(w) => Some(w),
            _ => None,
        },
        pods: Some(pods),
        total_weight,
        nominal_share: None,
        effective_share: None,
        service: None,
        cluster: None,
        frontend: None,
        service_id: None,
    };
    (group, members)
}

/// Nominal and effective shares, when every group on the listener has a weight.
pub fn set_shares(groups: &mut [BackendGroup]) {
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
    for g in groups {
        g.nominal_share = Ratio::new(u64::from(g.weight.unwrap_or(0)), weight_sum);
        g.effective_share = Ratio::new(g.total_weight.unwrap_or(0), member_sum);
    }
}

/// Build the plan.
pub fn build(inv: &Inventory, config: &Config, assumptions: &[String]) -> Plan {
    let mut by_lb: BTreeMap<&str, Vec<FrontendId>> = BTreeMap::new();
    for (id, f) in inv.frontends() {
        by_lb.entry(f.lb.id()).or_default().push(id);
    }
    for lb in &config.file.load_balancers {
        by_lb.entry(lb.id.as_str()).or_default();
    }
    let mut assumptions: Vec<String> = assumptions.to_vec();
    assumptions.extend(target_assumptions(inv));
    let load_balancers = by_lb
        .into_iter()
        .map(|(id, frontends)| load_balancer(inv, config, id, frontends))
        .collect();
    let mut seen = BTreeSet::new();
    assumptions.retain(|a| seen.insert(a.clone()));
    Plan {
        version: 1,
        assumptions,
        load_balancers,
    }
}

fn load_balancer(
    inv: &Inventory,
    config: &Config,
    id: &str,
    frontends: Vec<FrontendId>,
) -> LoadBalancer {
    let first = frontends.first().map(|&f| inv.frontend(f));
    let mut listeners: BTreeMap<(u16, Protocol), Vec<(FrontendId, Origin)>> = BTreeMap::new();
    for &fid in &frontends {
        for claim in &inv.frontend(fid).claims {
            let claims = listeners.entry((claim.port, claim.protocol)).or_default();
            if !claims.iter().any(|(f, _)| *f == fid) {
                claims.push((fid, claim.origin));
            }
        }
    }
    let external = config.file.load_balancers.iter().find(|lb| lb.id == id);
    for member in external.iter().flat_map(|lb| &lb.members) {
        let (protocol, port) = member.listener;
        listeners.entry((port, protocol)).or_default();
    }
    let listeners = listeners
        .into_iter()
        .map(|((port, protocol), claims)| listener(inv, config, id, protocol, port, claims))
        .collect();
    LoadBalancer {
        id: id.to_string(),
        provider: frontends.iter().find_map(|&f| inv.frontend(f).provider),
        class: first.and_then(|f| f.elb_class().map(|c| c.as_str().to_string())),
        listeners,
        auto: first.is_some_and(|f| f.lb.is_auto()),
        frontends,
    }
}

fn listener(
    inv: &Inventory,
    config: &Config,
    lb_id: &str,
    protocol: Protocol,
    port: u16,
    claims: Vec<(FrontendId, Origin)>,
) -> Listener {
    let mut specs: Vec<(GroupSpec, ClusterId, FrontendId, ObjectId)> = Vec::new();
    for &(fid, _) in &claims {
        let f = inv.frontend(fid);
        for &service in &f.backends {
            specs.push((group_spec(inv, fid, service), f.cluster, fid, service));
        }
    }
    // A group is named after its cluster; where one cluster has several groups on the listener
    // (a conflict, or an Ingress with several backends) the Service is added to tell them apart.
    let mut per_cluster: BTreeMap<ClusterId, usize> = BTreeMap::new();
    for (_, cluster, _, _) in &specs {
        *per_cluster.entry(*cluster).or_default() += 1;
    }
    let mut groups = Vec::new();
    let mut members = Vec::new();
    for (mut spec, cluster, fid, service) in specs {
        if per_cluster.get(&cluster).copied().unwrap_or(0) > 1 {
            spec.name = inv.qualified_label(service);
        }
        let (mut group, group_members) = weigh(&spec);
        group.service = Some(inv.qualified_label(service));
        group.cluster = Some(cluster);
        group.frontend = Some(fid);
        group.service_id = Some(service);
        groups.push(group);
        members.extend(group_members);
    }
    let external: Vec<&crate::config::ExternalMember> = config
        .file
        .load_balancers
        .iter()
        .filter(|lb| lb.id == lb_id)
        .flat_map(|lb| &lb.members)
        .filter(|m| m.listener == (protocol, port))
        .collect();
    if !external.is_empty() {
        let total: u32 = external.iter().map(|m| m.weight).sum();
        groups.push(BackendGroup {
            name: "external".into(),
            mode: GroupKind::External,
            weight: Some(total),
            pods: None,
            total_weight: Some(u64::from(total)),
            nominal_share: None,
            effective_share: None,
            service: None,
            cluster: None,
            frontend: None,
            service_id: None,
        });
        members.extend(external.iter().map(|m| Member {
            group: "external".into(),
            kind: GroupKind::External,
            name: m.name.clone(),
            pods: 0,
            weight: Some(m.weight),
        }));
    }
    groups.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    let order: BTreeMap<&str, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.as_str(), i))
        .collect();
    members.sort_by(|a, b| {
        let ga = order.get(a.group.as_str());
        let gb = order.get(b.group.as_str());
        ga.cmp(&gb).then_with(|| natural_cmp(&a.name, &b.name))
    });
    set_shares(&mut groups);
    let mut objects: Vec<String> = claims
        .iter()
        .map(|&(fid, _)| inv.qualified_label(inv.frontend(fid).object))
        .collect();
    objects.sort();
    objects.dedup();
    Listener {
        protocol,
        port,
        objects,
        groups,
        members,
        claims,
    }
}

/// The group a frontend makes from one backend Service: its members and how they are weighted.
fn group_spec(inv: &Inventory, fid: FrontendId, service: ObjectId) -> GroupSpec {
    let f = inv.frontend(fid);
    let targets = inv.targets_of(service);
    let members: Vec<(String, u32)> = match f.mode {
        Mode::Pod => targets.pods.iter().map(|p| (p.name.clone(), 1)).collect(),
        Mode::Node => {
            let mut nodes: BTreeMap<&str, u32> = BTreeMap::new();
            for pod in &targets.pods {
                *nodes.entry(pod.node.as_str()).or_default() += 1;
            }
            nodes.into_iter().map(|(n, k)| (n.to_string(), k)).collect()
        }
    };
    // TKE direct access: a pod may set its own CLB weight (custom-weight, direct mode only).
    let custom_key = if f.is_ingress() {
        keys::TKE_INGRESS_CUSTOM_WEIGHT
    } else {
        keys::TKE_CUSTOM_WEIGHT
    };
    let custom_weights: Vec<Option<u32>> = if f.is_tke() && f.mode == Mode::Pod {
        targets
            .pods
            .iter()
            .map(|p| {
                crate::model::targets::template_of(inv, p.source)
                    .and_then(|t| t.annotations.value(custom_key))
                    .and_then(parse_weight)
            })
            .collect()
    } else {
        Vec::new()
    };
    let weighting = match (f.cross_cluster_weight(), f.provider) {
        (Some(w), _) => Weighting::CrossCluster(w.value),
        (None, None) => Weighting::Unknown,
        (None, Some(p)) => {
            let pods_on_node = f.mode == Mode::Node
                && ((p.is_cce() && on(f.adaptive_weight.as_ref()))
                    || (p.is_tke() && on(f.weighted_balance.as_ref())));
            if pods_on_node {
                Weighting::PodsOnNode
            } else {
                Weighting::Fixed(p.default_member_weight())
            }
        }
    };
    GroupSpec {
        name: inv.cluster_of(f.object).name().to_string(),
        mode: f.mode,
        weighting,
        members,
        custom_weights,
    }
}

/// What the targets of the planned Services rest on.
fn target_assumptions(inv: &Inventory) -> Vec<String> {
    let mut out = Vec::new();
    let mut planned_clusters = BTreeSet::new();
    let services: BTreeSet<ObjectId> = inv
        .frontends
        .iter()
        .flat_map(|f| f.backends.iter().copied())
        .collect();
    for service in services {
        let object = inv.object(service);
        let targets = inv.targets_of(service);
        let cluster = inv.cluster_of(service);
        if object
            .as_service()
            .and_then(|s| s.selector.as_ref())
            .is_none()
        {
            out.push(format!(
                "{}: no selector, so its endpoints are managed outside Kubernetes; it has no members",
                object.label()
            ));
            continue;
        }
        if !targets.observed && !targets.pods.is_empty() {
            planned_clusters.insert(cluster.name().to_string());
        }
        if targets.capped {
            out.push(format!(
                "{}: a workload has more than {} replicas; planned with {} pods",
                object.label(),
                crate::model::targets::MAX_PLANNED_REPLICAS,
                crate::model::targets::MAX_PLANNED_REPLICAS
            ));
        }
        for &w in &targets.uncounted {
            out.push(format!(
                "{}: {} matches, but a DaemonSet's pod count follows the nodes; its pods are not counted (give a pod snapshot)",
                object.label(),
                inv.object(w).label()
            ));
        }
    }
    for cluster in planned_clusters {
        out.push(format!(
            "cluster {cluster}: no pod snapshot; target pods are the workloads' replicas, each assumed Ready on its own node (<workload>-node-<i>)"
        ));
    }
    out
}

/// Order names with embedded numbers naturally: `node-2` before `node-10`. Ties (`node-2`,
/// `node-02`) fall back to byte order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    natural_only(a, b).then_with(|| a.cmp(b))
}

fn natural_only(a: &str, b: &str) -> Ordering {
    let mut a = a.as_bytes();
    let mut b = b.as_bytes();
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, ra) = a.split_at(da);
                let (nb, rb) = b.split_at(db);
                let na = trim_zeros(na);
                let nb = trim_zeros(nb);
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = ra;
                b = rb;
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = a.get(1..).unwrap_or_default();
                b = b.get(1..).unwrap_or_default();
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    digits.get(zeros..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec!["node-10", "node-2", "node-1", "a", "node-02"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a", "node-1", "node-02", "node-2", "node-10"]);
    }

    #[test]
    fn seed_002_example_4d_shares() {
        let a = GroupSpec {
            name: "a".into(),
            mode: Mode::Node,
            weighting: Weighting::CrossCluster(80),
            members: vec![("n1".into(), 3), ("n2".into(), 1), ("n3".into(), 1)],
            custom_weights: Vec::new(),
        };
        let b = GroupSpec {
            name: "b".into(),
            mode: Mode::Pod,
            weighting: Weighting::CrossCluster(20),
            members: (0..7).map(|i| (format!("p{i}"), 1)).collect(),
            custom_weights: Vec::new(),
        };
        let mut groups = vec![weigh(&a).0, weigh(&b).0];
        set_shares(&mut groups);
        assert_eq!(groups[0].total_weight, Some(80));
        assert_eq!(groups[1].total_weight, Some(21));
        assert_eq!(groups[0].effective_share.map(Ratio::to_f64), Some(0.792));
        assert_eq!(groups[1].nominal_share.map(Ratio::to_f64), Some(0.2));
    }
}
