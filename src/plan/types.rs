//! The plan as users see it: exactly what `plan --format json|yaml` prints, and what the tables
//! show. What the rules need beyond it (who claims a listener, which Service makes a group) is in
//! [`super::index`].

use std::fmt;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::forwarding::{ForwardingRule, ListenerSettings};
use super::ratio::Ratio;
use super::service_settings::ServiceSettings;
use crate::facts::Provider;
use crate::k8s::Protocol;
use crate::model::{Assumption, ClusterId, Mode};

#[derive(Debug, Serialize)]
pub struct Plan {
    pub version: u32,
    /// What lbplan had to assume; an empty list means nothing was assumed.
    pub assumptions: Vec<Assumption>,
    pub load_balancers: Vec<LoadBalancer>,
    /// Each cluster's facts and where they come from.
    pub clusters: Vec<super::facts::ClusterView>,
    /// Helm charts of the inputs that were not rendered, whose objects the plan cannot hold (the
    /// table says so when it plans nothing; `assumptions` say it in JSON).
    #[serde(skip)]
    pub unrendered_charts: usize,
}

#[derive(Debug, Serialize)]
pub struct LoadBalancer {
    pub id: String,
    pub provider: Option<Provider>,
    /// The ELB class (CCE), as the first object using the load balancer gives it.
    pub class: Option<String>,
    /// Whether the load balancer is created for its object (`auto:` ids), shown in the table.
    #[serde(skip)]
    pub auto: bool,
    /// The clusters whose objects use the load balancer, in config order (none: only the config
    /// names it); the table groups load balancers by them.
    #[serde(skip)]
    pub clusters: Vec<ClusterId>,
    pub listeners: Vec<Listener>,
}

/// One listener. Its JSON lists the groups and then every group's members in one list (the
/// spec's shape); in memory each group holds its own members.
#[derive(Debug)]
pub struct Listener {
    pub protocol: Protocol,
    pub port: u16,
    /// `cluster:Kind/namespace/name` of every object claiming the listener.
    pub objects: Vec<String>,
    pub groups: Vec<BackendGroup>,
    /// HTTP/HTTPS: the forwarding rules of its Ingresses, in the order the cloud evaluates them.
    pub rules: Vec<ForwardingRule>,
    /// CCE: the listener settings its Ingresses write, and which Ingress's apply.
    pub settings: Option<ListenerSettings>,
    /// The settings its Services give it (the first Service's), with their defaults.
    pub service_settings: Option<ServiceSettings>,
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
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The members of one Service (or the external members) behind a listener, with their weights.
/// The plan and the weight calculator share this shape.
#[derive(Debug, Clone)]
pub struct BackendGroup {
    pub name: String,
    pub kind: GroupKind,
    /// The cross-cluster weight W (or the external members' total); `None` when none applies.
    pub weight: Option<u32>,
    /// Target pods N (`None` for external members).
    pub pods: Option<u64>,
    /// Sum of member weights; `None` when member weights are unknown.
    pub total_weight: Option<u64>,
    pub nominal_share: Option<Ratio>,
    pub effective_share: Option<Ratio>,
    /// The Service whose pods make the group, `cluster:Service/namespace/name`.
    pub service: Option<String>,
    /// Forwarding rules send to the group: it is the target of a rule, not a share of the
    /// listener's traffic, so it has no shares.
    pub by_rules: bool,
    pub members: Vec<Member>,
}

impl BackendGroup {
    /// How many members the group has, each counted (an entry may stand for several).
    pub fn member_count(&self) -> u64 {
        self.members.iter().map(|m| u64::from(m.count)).sum()
    }
}

/// One entry of a group's members: one member, or several identical ones that lbplan numbers
/// (a workload's replicas, the calculator's pods), counted rather than listed (`--members` lists
/// them). Within its listener an entry is keyed by its group and `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The pod, node or external member. An entry standing for numbered members has their name
    /// with `<i>` for the number: `web-node-<i>` is `web-node-0`, `web-node-1`, ... (see
    /// [`Numbered`]).
    pub name: String,
    /// Target pods behind each member (1 for a pod, k for a node, 0 for an external member).
    pub pods: u32,
    /// Each member's weight.
    pub weight: Option<u32>,
    /// How many members the entry stands for (at least 1).
    pub count: u32,
    /// lbplan assumed the members rather than found them in the inputs: pods of a workload's
    /// replicas without a pod snapshot, and the node it gives each pod that names none.
    pub assumed: bool,
    /// How each of `count` members is named, for an entry that stands for numbered members.
    pub numbered: Option<Numbered>,
}

/// The names of the numbered members of an entry: `prefix` followed by `first`, `first + 1`, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    pub prefix: String,
    pub first: u32,
}

impl Member {
    /// One member named `name`.
    pub fn one(name: String, pods: u32, weight: Option<u32>) -> Member {
        Member {
            name,
            pods,
            weight,
            count: 1,
            assumed: false,
            numbered: None,
        }
    }

    /// The pods behind all the members of the entry.
    pub fn total_pods(&self) -> u64 {
        u64::from(self.pods) * u64::from(self.count)
    }

    /// The weight of all the members of the entry.
    pub fn total_weight(&self) -> Option<u64> {
        self.weight.map(|w| u64::from(w) * u64::from(self.count))
    }
}

/// `name`, `pods`, `weight` (the spec's fields), then `count` and `assumed`.
impl Serialize for Member {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Member", 5)?;
        out.serialize_field("name", &self.name)?;
        out.serialize_field("pods", &self.pods)?;
        out.serialize_field("weight", &self.weight)?;
        out.serialize_field("count", &self.count)?;
        out.serialize_field("assumed", &self.assumed)?;
        out.end()
    }
}

impl Serialize for Listener {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Listener", 8)?;
        out.serialize_field("protocol", &self.protocol)?;
        out.serialize_field("port", &self.port)?;
        out.serialize_field("objects", &self.objects)?;
        let groups: Vec<GroupJson> = self
            .groups
            .iter()
            .map(|group| GroupJson {
                group,
                nested: false,
            })
            .collect();
        out.serialize_field("groups", &groups)?;
        out.serialize_field("members", &FlatMembers(&self.groups))?;
        if self.protocol.is_l7() {
            out.serialize_field("rules", &self.rules)?;
        } else {
            out.skip_field("rules")?;
        }
        match &self.settings {
            Some(settings) => out.serialize_field("settings", settings)?,
            None => out.skip_field("settings")?,
        }
        match &self.service_settings {
            Some(settings) => out.serialize_field("service_settings", settings)?,
            None => out.skip_field("service_settings")?,
        }
        out.end()
    }
}

/// The calculator's shape: each group with its members nested.
impl Serialize for BackendGroup {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        GroupJson {
            group: self,
            nested: true,
        }
        .serialize(s)
    }
}

/// A group's fields in JSON, with or without its members.
struct GroupJson<'a> {
    group: &'a BackendGroup,
    nested: bool,
}

impl Serialize for GroupJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.group;
        let mut out = s.serialize_struct("BackendGroup", 9)?;
        out.serialize_field("name", &g.name)?;
        out.serialize_field("mode", &g.kind)?;
        out.serialize_field("weight", &g.weight)?;
        out.serialize_field("pods", &g.pods)?;
        out.serialize_field("total_weight", &g.total_weight)?;
        out.serialize_field("nominal_share", &g.nominal_share)?;
        out.serialize_field("effective_share", &g.effective_share)?;
        match &g.service {
            Some(service) => out.serialize_field("service", service)?,
            None => out.skip_field("service")?,
        }
        if self.nested {
            out.serialize_field("members", &g.members)?;
        }
        out.end()
    }
}

/// Every member of a listener's groups, each naming its group and kind.
struct FlatMembers<'a>(&'a [BackendGroup]);

impl Serialize for FlatMembers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let count = self.0.iter().map(|g| g.members.len()).sum();
        let mut out = s.serialize_seq(Some(count))?;
        for group in self.0 {
            for member in &group.members {
                out.serialize_element(&FlatMember { group, member })?;
            }
        }
        out.end()
    }
}

struct FlatMember<'a> {
    group: &'a BackendGroup,
    member: &'a Member,
}

impl Serialize for FlatMember<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.member;
        let mut out = s.serialize_struct("Member", 7)?;
        out.serialize_field("group", &self.group.name)?;
        out.serialize_field("kind", &self.group.kind)?;
        out.serialize_field("name", &m.name)?;
        out.serialize_field("pods", &m.pods)?;
        out.serialize_field("weight", &m.weight)?;
        out.serialize_field("count", &m.count)?;
        out.serialize_field("assumed", &m.assumed)?;
        out.end()
    }
}
