//! Facts about a cluster that manifests do not say: provider, flavor, version, kube-proxy mode,
//! network mode, GlobalRouter direct access and known nodes. Each one is optional; rules that need
//! a missing fact do not guess. Each known fact carries its [`Provenance`]: a flag, the config, a
//! kubectl export (`export/`), or the manifests.

pub mod export;
mod provenance;
mod resolve;
mod version;

pub use provenance::{Provenance, Remark, RemarkKind, Source};
pub use version::{ACCEPTED as VERSION_FORMS, Gate, K8sVersion};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use strum::{Display, IntoStaticStr};

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    Display,
    IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Provider {
    HuaweiCce,
    CtyunCce,
    TencentTke,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Huawei CCE and China Telecom Cloud CCE share one annotation family and ELB behaviour.
    pub fn is_cce(self) -> bool {
        matches!(self, Provider::HuaweiCce | Provider::CtyunCce)
    }

    pub fn is_tke(self) -> bool {
        self == Provider::TencentTke
    }

    /// Member weight when nothing sets one: Huawei ELB 1, Tencent CLB 10 (ground truth §1.7, §3.4).
    pub fn default_member_weight(self) -> u32 {
        if self.is_tke() { 10 } else { 1 }
    }
}

/// Cluster flavor: CCE Standard or Turbo; `serverless` is TKE Serverless (EKS), where sharing a
/// CLB needs the share annotation on every Service (Tencent Cloud TKE, "Multiple Services Sharing a CLB").
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    Display,
    IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Flavor {
    Standard,
    Turbo,
    Serverless,
}

impl Flavor {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    Display,
    IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ProxyMode {
    Iptables,
    Ipvs,
}

impl ProxyMode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// TKE container network mode.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    Display,
    IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Network {
    GlobalRouter,
    VpcCni,
    Mixed,
}

impl Network {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A node the config names or an export shows, for rules that need node IPs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeFact {
    pub name: String,
    pub ip: String,
    /// The export that shows the node (`None`: the config names it).
    #[serde(skip)]
    pub export: Option<String>,
    /// Its `Ready` condition is `True` (a node the config names is taken as Ready).
    #[serde(skip, default = "ready_by_default")]
    pub ready: bool,
    /// A control-plane node (`node-role.kubernetes.io/master` or `control-plane`).
    #[serde(skip)]
    pub master: bool,
    /// Cordoned (`spec.unschedulable: true`).
    #[serde(skip)]
    pub unschedulable: bool,
    /// The node's labels, for TKE's `qcloud-loadbalancer-backends-label`.
    #[serde(skip)]
    pub labels: BTreeMap<String, String>,
}

fn ready_by_default() -> bool {
    true
}

/// Everything known about one cluster.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClusterFacts {
    pub name: String,
    pub provider: Option<Provider>,
    pub flavor: Option<Flavor>,
    pub version: Option<K8sVersion>,
    pub proxy_mode: Option<ProxyMode>,
    pub network: Option<Network>,
    /// TKE allows direct access in a GlobalRouter cluster (`GlobalRouteDirectAccess: "true"` in
    /// ConfigMap `kube-system/tke-service-controller-config`).
    pub global_route_direct_access: Option<bool>,
    pub nodes: Vec<NodeFact>,
    /// Where each known fact comes from.
    pub provenance: BTreeMap<Fact, Provenance>,
    /// What the user should know about a fact: why it stays unknown, or that sources disagree.
    pub remarks: BTreeMap<Fact, Remark>,
    /// The kubectl exports read for the cluster, as reports name them.
    pub exports: Vec<String>,
    /// Where the cluster itself comes from: (`config`, `argocd`, `flux`, `unclaimed` or
    /// `default`, what shows it).
    pub origin: Option<(&'static str, String)>,
}

/// The facts rules ask about, as `Some(answer)` or `None` when the fact is unknown (see
/// `Context::cluster_is`, where rules decline to guess).
impl ClusterFacts {
    pub fn is_ipvs(&self) -> Option<bool> {
        self.proxy_mode.map(|m| m == ProxyMode::Ipvs)
    }

    pub fn is_turbo(&self) -> Option<bool> {
        self.flavor.map(|f| f == Flavor::Turbo)
    }

    pub fn is_global_router(&self) -> Option<bool> {
        self.network.map(|n| n == Network::GlobalRouter)
    }

    /// Where `fact` comes from, when it is known.
    pub fn provenance(&self, fact: Fact) -> Option<&Provenance> {
        self.provenance.get(&fact)
    }

    /// The value of `fact` as messages show it (`v1.19.16-r2`, `ipvs`); `None` when unknown.
    pub fn shown(&self, fact: Fact) -> Option<String> {
        match fact {
            Fact::Provider => self.provider.map(|p| p.as_str().to_string()),
            Fact::Flavor => self.flavor.map(|f| f.as_str().to_string()),
            Fact::Version | Fact::VersionPatch => self.version.as_ref().map(|v| v.text.clone()),
            Fact::ProxyMode => self.proxy_mode.map(|m| m.as_str().to_string()),
            Fact::Network => self.network.map(|n| n.as_str().to_string()),
            Fact::GlobalRouteDirectAccess => self.global_route_direct_access.map(|b| b.to_string()),
            Fact::Nodes => (!self.nodes.is_empty()).then(|| self.nodes.len().to_string()),
        }
    }

    /// `(version v1.19.16-r2 from nodes.yaml)`: where an inferred fact comes from, for the
    /// message of a finding that rests on it; `None` when the fact is unknown or was given.
    pub fn inferred_from(&self, fact: Fact) -> Option<String> {
        let provenance = self.provenance(fact).filter(|p| p.is_inferred())?;
        let value = self.shown(fact)?;
        let from = provenance
            .file
            .as_deref()
            .unwrap_or(provenance.source.as_str());
        Some(format!("{} {value} from {from}", fact.name()))
    }
}

/// A cluster fact a rule may need, with the flag and config key that supply it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    Provider,
    Flavor,
    Version,
    /// The version is known only to the minor (`1.28`) but a gate needs the patch.
    VersionPatch,
    ProxyMode,
    Network,
    GlobalRouteDirectAccess,
    Nodes,
}

impl Fact {
    /// The fact's short name: `version`, `kube-proxy mode`.
    pub fn name(self) -> &'static str {
        match self {
            Fact::Provider => "provider",
            Fact::Flavor => "flavor",
            Fact::Version | Fact::VersionPatch => "version",
            Fact::ProxyMode => "kube-proxy mode",
            Fact::Network => "network",
            Fact::GlobalRouteDirectAccess => "GlobalRouter direct access",
            Fact::Nodes => "node IPs",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Fact::Provider => "cloud provider",
            Fact::Flavor => "cluster flavor",
            Fact::Version => "Kubernetes version",
            Fact::VersionPatch => "Kubernetes patch version",
            Fact::ProxyMode => "kube-proxy mode",
            Fact::Network => "container network mode",
            Fact::GlobalRouteDirectAccess => "GlobalRouter direct access",
            Fact::Nodes => "node IPs",
        }
    }

    /// How a user makes the fact certain.
    pub fn how_to_set(self) -> &'static str {
        match self {
            Fact::Provider => "--provider or clusters[].provider",
            Fact::Flavor => "--flavor or clusters[].flavor",
            Fact::Version | Fact::VersionPatch => {
                "--k8s-version or clusters[].version, such as v1.28.8-r0"
            }
            Fact::ProxyMode => "--proxy-mode or clusters[].proxy_mode",
            Fact::Network => "--network or clusters[].network",
            Fact::GlobalRouteDirectAccess => {
                "--global-route-direct-access or clusters[].global_route_direct_access"
            }
            Fact::Nodes => {
                "clusters[].nodes, a pod snapshot (--pods) or `kubectl get nodes -o yaml` (--cluster-export)"
            }
        }
    }
}
