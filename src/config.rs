//! `.lbplan.yaml`: discovery, parsing and validation, and the clusters a run works on.
//!
//! Unknown keys and bad values are errors that name the key (and the line, from the parser), and
//! the run stops with exit code 2 before reading any manifest: a half-understood config would lint
//! the wrong thing.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::facts::{ClusterFacts, Flavor, K8sVersion, Network, NodeFact, Provider, ProxyMode};
use crate::k8s::Protocol;

pub const FILE_NAME: &str = ".lbplan.yaml";

/// The parsed config file, exactly as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    #[serde(default)]
    pub clusters: Vec<ClusterConfig>,
    #[serde(default)]
    pub load_balancers: Vec<LoadBalancerConfig>,
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    #[serde(default, deserialize_with = "threshold")]
    pub weight_drift_threshold: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterConfig {
    #[serde(deserialize_with = "cluster_name")]
    pub name: String,
    pub provider: Option<Provider>,
    pub flavor: Option<Flavor>,
    #[serde(default, deserialize_with = "version")]
    pub version: Option<K8sVersion>,
    pub proxy_mode: Option<ProxyMode>,
    pub network: Option<Network>,
    pub paths: Option<Vec<PathBuf>>,
    pub pods: Option<PathBuf>,
    #[serde(default)]
    pub nodes: Vec<NodeFact>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerConfig {
    pub id: String,
    #[serde(default, deserialize_with = "quota")]
    pub listener_quota: Option<u32>,
    #[serde(default)]
    pub members: Vec<ExternalMember>,
}

/// A backend added outside Kubernetes (an ECS, say) on one listener.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalMember {
    #[serde(deserialize_with = "listener")]
    pub listener: (Protocol, u16),
    pub name: String,
    #[serde(deserialize_with = "member_weight")]
    pub weight: u32,
}

/// A rule's level in `rules:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

/// Why the config could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A loaded config and the folder its relative paths start from.
#[derive(Debug, Default)]
pub struct Config {
    pub source: Option<PathBuf>,
    pub base: PathBuf,
    pub file: ConfigFile,
    /// The file's text, so that findings about the config (LB002) can point into it.
    pub text: Option<std::sync::Arc<str>>,
}

/// Default drift threshold: 2 percentage points, in basis points of a share.
pub const DEFAULT_DRIFT_BP: u64 = 200;
pub const DEFAULT_LISTENER_QUOTA: u32 = 50;

impl Config {
    /// `explicit` if given, else `.lbplan.yaml` in `cwd` or its parents, else an empty config.
    pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match find_upwards(cwd) {
                Some(p) => p,
                None => {
                    return Ok(Config {
                        base: PathBuf::new(),
                        ..Config::default()
                    });
                }
            },
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            message: format!("cannot read config {}: {e}", path.display()),
        })?;
        let file = parse(&text).map_err(|message| ConfigError {
            message: format!(
                "{}: {message}",
                crate::source::discover::display_name(&path)
            ),
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        // Relative to the working folder where possible, so reports show short paths.
        let base = base
            .strip_prefix(cwd)
            .map(Path::to_path_buf)
            .unwrap_or(base);
        // Shown relative to the working folder, like every input.
        let path = path
            .strip_prefix(cwd)
            .map(Path::to_path_buf)
            .unwrap_or(path);
        Ok(Config {
            source: Some(path),
            base,

            file,
            text: Some(std::sync::Arc::from(text.as_str())),
        })
    }

    pub fn drift_threshold_bp(&self) -> u64 {
        self.file.weight_drift_threshold.unwrap_or(DEFAULT_DRIFT_BP)
    }

    pub fn listener_quota(&self, lb_id: &str) -> u32 {
        self.file
            .load_balancers
            .iter()
            .find(|lb| lb.id == lb_id)
            .and_then(|lb| lb.listener_quota)
            .unwrap_or(DEFAULT_LISTENER_QUOTA)
    }

    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() || self.base.as_os_str().is_empty() {
            path.to_path_buf()
        } else {
            self.base.join(path)
        }
    }
}

fn find_upwards(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Parse and validate config text.
pub fn parse(text: &str) -> Result<ConfigFile, String> {
    if text.trim().is_empty() {
        return Ok(ConfigFile::default());
    }
    let file: ConfigFile = serde_yaml::from_str(text).map_err(|e| {
        let message = e.to_string();
        match e.location() {
            Some(loc) => format!(
                "line {}: {}",
                loc.line(),
                message.split(" at line ").next().unwrap_or(&message)
            ),
            None => message,
        }
    })?;
    validate(&file)?;
    Ok(file)
}

fn validate(file: &ConfigFile) -> Result<(), String> {
    for (i, cluster) in file.clusters.iter().enumerate() {
        if file.clusters.iter().take(i).any(|c| c.name == cluster.name) {
            return Err(format!(
                "clusters[{i}].name: duplicate cluster name \"{}\"",
                cluster.name
            ));
        }
        if file.clusters.len() > 1 && cluster.paths.is_none() {
            return Err(format!(
                "clusters[{i}].paths: required when several clusters are configured, so that each manifest belongs to one cluster"
            ));
        }
    }
    for (i, lb) in file.load_balancers.iter().enumerate() {
        if lb.id.trim().is_empty() {
            return Err(format!("load_balancers[{i}].id: must not be empty"));
        }
        if file.load_balancers.iter().take(i).any(|o| o.id == lb.id) {
            return Err(format!(
                "load_balancers[{i}].id: duplicate load balancer \"{}\"",
                lb.id
            ));
        }
    }
    Ok(())
}

fn cluster_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let name = String::deserialize(d)?;
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(name)
    } else {
        Err(serde::de::Error::custom(format!(
            "name: invalid cluster name \"{name}\": use letters, digits, '-', '_' and '.'"
        )))
    }
}

fn version<'de, D: Deserializer<'de>>(d: D) -> Result<Option<K8sVersion>, D::Error> {
    let text = String::deserialize(d)?;
    K8sVersion::parse(&text)
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("version: {e}")))
}

fn quota<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let quota = u32::deserialize(d)?;
    if quota == 0 {
        return Err(serde::de::Error::custom(
            "listener_quota: must be 1 or more",
        ));
    }
    Ok(Some(quota))
}

fn member_weight<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let weight = u32::deserialize(d)?;
    if weight > 100 {
        return Err(serde::de::Error::custom(format!(
            "weight: a member weight must be 0-100, found {weight}"
        )));
    }
    Ok(weight)
}

fn listener<'de, D: Deserializer<'de>>(d: D) -> Result<(Protocol, u16), D::Error> {
    let text = String::deserialize(d)?;
    parse_listener(&text).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "listener: invalid listener \"{text}\": expected PROTOCOL:PORT such as TCP:80 (TCP, UDP, HTTP, HTTPS)"
        ))
    })
}

/// `TCP:80` and the like.
pub fn parse_listener(text: &str) -> Option<(Protocol, u16)> {
    let (protocol, port) = text.split_once(':')?;
    let protocol = protocol.trim().parse::<Protocol>().ok()?;
    let port = port.trim().parse::<u16>().ok().filter(|&p| p > 0)?;
    Some((protocol, port))
}

fn threshold<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let points = f64::deserialize(d)?;
    if !(0.0..=100.0).contains(&points) {
        return Err(serde::de::Error::custom(format!(
            "weight_drift_threshold must be 0-100 percentage points, found {points}"
        )));
    }
    // Percentage points to basis points of a share, rounded to the nearest basis point.
    Ok(Some((points * 100.0).round() as u64))
}

impl Config {
    /// The clusters of this run with their facts, the CLI flags applied over the config.
    pub fn cluster_facts(&self, flags: &FactFlags) -> Result<Vec<ClusterSetup>, ConfigError> {
        let err = |message: String| ConfigError { message };
        if self.file.clusters.len() > 1 && flags.pods.is_some() {
            return Err(err(
                "--pods applies to a single cluster; with several clusters set clusters[].pods in the config".into(),
            ));
        }
        let mut setups = Vec::new();
        if self.file.clusters.is_empty() {
            setups.push(ClusterSetup {
                facts: ClusterFacts {
                    name: "default".into(),
                    ..ClusterFacts::default()
                },
                paths: None,
                pods: None,
            });
        }
        for cluster in &self.file.clusters {
            setups.push(ClusterSetup {
                facts: ClusterFacts {
                    name: cluster.name.clone(),
                    provider: cluster.provider,
                    flavor: cluster.flavor,
                    version: cluster.version.clone(),
                    proxy_mode: cluster.proxy_mode,
                    network: cluster.network,
                    nodes: cluster.nodes.clone(),
                },
                paths: cluster
                    .paths
                    .as_ref()
                    .map(|ps| ps.iter().map(|p| self.resolve(p)).collect()),
                pods: cluster.pods.as_ref().map(|p| self.resolve(p)),
            });
        }
        for setup in &mut setups {
            flags.apply(setup)?;
        }
        Ok(setups)
    }

    /// The inputs used when no PATH is given: `paths:` from the config, else the current folder.
    pub fn default_paths(&self) -> Vec<PathBuf> {
        if self.file.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.file.paths.iter().map(|p| self.resolve(p)).collect()
        }
    }
}

/// One cluster of a run: its facts, its own inputs (if the config gives them) and pod snapshot.
#[derive(Debug, Clone)]
pub struct ClusterSetup {
    pub facts: ClusterFacts,
    pub paths: Option<Vec<PathBuf>>,
    pub pods: Option<PathBuf>,
}

/// Cluster facts given on the command line; they override the config.
#[derive(Debug, Clone, Default)]
pub struct FactFlags {
    pub provider: Option<Provider>,
    pub flavor: Option<Flavor>,
    pub version: Option<String>,
    pub proxy_mode: Option<ProxyMode>,
    pub network: Option<Network>,
    pub pods: Option<PathBuf>,
}

impl FactFlags {
    fn apply(&self, setup: &mut ClusterSetup) -> Result<(), ConfigError> {
        let facts = &mut setup.facts;
        if let Some(p) = self.provider {
            facts.provider = Some(p);
        }
        if let Some(f) = self.flavor {
            facts.flavor = Some(f);
        }
        if let Some(v) = &self.version {
            facts.version = Some(K8sVersion::parse(v).map_err(|m| ConfigError {
                message: format!("--k8s-version: {m}"),
            })?);
        }
        if let Some(m) = self.proxy_mode {
            facts.proxy_mode = Some(m);
        }
        if let Some(n) = self.network {
            facts.network = Some(n);
        }
        if let Some(p) = &self.pods {
            setup.pods = Some(p.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config_parses() {
        let text = r#"
paths: [manifests/]
clusters:
  - name: a
    provider: huawei-cce
    flavor: turbo
    version: v1.28.8-r0
    proxy_mode: ipvs
    paths: [clusters/a/]
    pods: snapshots/a-pods.yaml
    nodes: [{name: node-1, ip: 192.168.0.11}]
  - name: b
    provider: tencent-tke
    network: vpc-cni
    paths: [clusters/b/]
load_balancers:
  - id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0
    listener_quota: 50
    members:
      - {listener: "TCP:80", name: ecs-1, weight: 10}
rules:
  LB301: off
weight_drift_threshold: 2.5
"#;
        let file = parse(text).expect("valid");
        assert_eq!(file.clusters.len(), 2);
        assert_eq!(file.weight_drift_threshold, Some(250));
        assert_eq!(
            file.load_balancers[0].members[0].listener,
            (Protocol::Tcp, 80)
        );
        assert_eq!(file.rules.get("LB301"), Some(&Level::Off));
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            ("clusters:\n  - name: a\n    flavour: turbo\n", "flavour"),
            ("clusters:\n  - name: a\n    provider: aws\n", "provider"),
            (
                "clusters:\n  - name: a\n    version: one\n",
                "invalid Kubernetes version",
            ),
            (
                "load_balancers:\n  - id: x\n    members: [{listener: 'FTP:21', name: e, weight: 1}]\n",
                "FTP:21",
            ),
            (
                "load_balancers:\n  - id: x\n    members: [{listener: 'TCP:21', name: e, weight: 101}]\n",
                "0-100",
            ),
            ("rules: {LB101: loud}\n", "rules"),
            (
                "clusters:\n  - name: a\n    paths: [a]\n  - name: b\n",
                "clusters[1].paths",
            ),
            ("bogus: 1\n", "bogus"),
        ];
        for (text, needle) in cases {
            let err = parse(text).expect_err(text);
            assert!(err.contains(needle), "{text:?} -> {err}");
        }
    }
}
