//! Facts about a cluster that manifests do not say: provider, flavor, version, kube-proxy mode,
//! network mode and known nodes. Each one is optional; rules that need a missing fact do not guess.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

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
/// CLB needs the share annotation on every Service (seed 000).
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
)]
#[serde(rename_all = "kebab-case")]
pub enum Flavor {
    Standard,
    Turbo,
    Serverless,
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
)]
#[serde(rename_all = "kebab-case")]
pub enum ProxyMode {
    Iptables,
    Ipvs,
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
)]
#[serde(rename_all = "kebab-case")]
pub enum Network {
    GlobalRouter,
    VpcCni,
    Mixed,
}

/// A Kubernetes version as clusters report it: `1.28`, `v1.28.8`, `v1.28.8-r0` (CCE revision).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct K8sVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
    pub revision: Option<u32>,
    pub text: String,
}

/// A version lbplan cannot read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid Kubernetes version \"{0}\" (expected 1.28, v1.28.8 or v1.28.8-r0)")]
pub struct VersionError(String);

impl FromStr for K8sVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<K8sVersion, VersionError> {
        let bad = || VersionError(text.to_string());
        let trimmed = text.trim();
        let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let (numbers, revision) = match body.split_once('-') {
            Some((numbers, rev)) => {
                let rev = rev.strip_prefix('r').ok_or_else(bad)?;
                (numbers, Some(rev.parse::<u32>().map_err(|_| bad())?))
            }
            None => (body, None),
        };
        let parts: Vec<&str> = numbers.split('.').collect();
        let num = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .ok_or_else(bad)
        };
        let (major, minor, patch) = match parts.as_slice() {
            [major, minor] => (num(major)?, num(minor)?, None),
            [major, minor, patch] => (num(major)?, num(minor)?, Some(num(patch)?)),
            _ => return Err(bad()),
        };
        if revision.is_some() && patch.is_none() {
            return Err(bad());
        }
        Ok(K8sVersion {
            major,
            minor,
            patch,
            revision,
            text: trimmed.to_string(),
        })
    }
}

impl K8sVersion {
    /// Compare with `gate`. `None` when the version is too coarse to tell (`1.28` against a
    /// `v1.28.8-r0` gate). A missing revision counts as `r0`.
    pub fn cmp_gate(&self, gate: Gate) -> Option<Ordering> {
        let Gate {
            major,
            minor,
            patch,
            revision,
        } = gate;
        match (self.major, self.minor).cmp(&(major, minor)) {
            Ordering::Equal => {}
            other => return Some(other),
        }
        let Some(own_patch) = self.patch else {
            return (patch == 0 && revision == 0).then_some(Ordering::Greater);
        };
        match own_patch.cmp(&patch) {
            Ordering::Equal => Some(self.revision.unwrap_or(0).cmp(&revision)),
            other => Some(other),
        }
    }

    /// `Some(true)` when certainly below the gate, `Some(false)` when certainly not.
    pub fn below(&self, gate: Gate) -> Option<bool> {
        self.cmp_gate(gate).map(|o| o == Ordering::Less)
    }
}

impl fmt::Display for K8sVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The first version with a feature: `v1.28.8-r0` (CCE revisions; `r0` where a gate has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gate {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
    pub revision: u32,
}

impl Gate {
    pub const fn new(major: u32, minor: u32, patch: u32, revision: u32) -> Gate {
        Gate {
            major,
            minor,
            patch,
            revision,
        }
    }

    /// The first release of a minor line: `1.17`.
    pub const fn minor(major: u32, minor: u32) -> Gate {
        Gate::new(major, minor, 0, 0)
    }
}

impl fmt::Display for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Gate {
            major,
            minor,
            patch,
            revision,
        } = self;
        write!(f, "v{major}.{minor}.{patch}-r{revision}")
    }
}

/// A node the config names, for rules that need node IPs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeFact {
    pub name: String,
    pub ip: String,
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
    pub nodes: Vec<NodeFact>,
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
    Nodes,
}

impl Fact {
    pub fn describe(self) -> &'static str {
        match self {
            Fact::Provider => "cloud provider",
            Fact::Flavor => "cluster flavor",
            Fact::Version => "Kubernetes version",
            Fact::VersionPatch => "Kubernetes patch version",
            Fact::ProxyMode => "kube-proxy mode",
            Fact::Network => "container network mode",
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
            Fact::Nodes => "clusters[].nodes or a pod snapshot (--pods)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_spellings() {
        let v = "v1.28.8-r0".parse::<K8sVersion>().expect("full");
        assert_eq!(
            (v.major, v.minor, v.patch, v.revision),
            (1, 28, Some(8), Some(0))
        );
        let v = "1.28".parse::<K8sVersion>().expect("minor");
        assert_eq!((v.patch, v.revision), (None, None));
        assert!("v1.28.8".parse::<K8sVersion>().is_ok());
        for bad in [
            "",
            "1",
            "v1.x",
            "1.28-r0",
            "1.28.8-x1",
            "1.2.3.4",
            "1.28.+8",
        ] {
            assert!(bad.parse::<K8sVersion>().is_err(), "{bad}");
        }
    }

    #[test]
    fn gates_compare_with_revisions() {
        let gate = Gate::new(1, 28, 8, 0);
        let v = |s: &str| s.parse::<K8sVersion>().expect("version");
        assert_eq!(v("v1.28.8-r0").below(gate), Some(false));
        assert_eq!(v("v1.28.8").below(gate), Some(false));
        assert_eq!(v("v1.28.7-r9").below(gate), Some(true));
        assert_eq!(v("1.28").below(gate), None);
        assert_eq!(v("1.27").below(gate), Some(true));
        assert_eq!(v("1.17").below(Gate::minor(1, 17)), Some(false));
        assert_eq!(v("1.16").below(Gate::minor(1, 17)), Some(true));
        assert_eq!(gate.to_string(), "v1.28.8-r0");
    }
}
