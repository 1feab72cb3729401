//! The clusters of a run: the config's `clusters:` (or one cluster, `default`) with the command
//! line's facts applied over them.

use std::path::PathBuf;

use super::{Config, ConfigError};
use crate::facts::{ClusterFacts, Flavor, K8sVersion, Network, Provider, ProxyMode};

/// One cluster of a run: its facts, its own inputs (if the config gives them) and pod snapshot.
#[derive(Debug, Clone)]
pub struct ClusterSetup {
    pub facts: ClusterFacts,
    pub paths: Option<Vec<PathBuf>>,
    pub pods: Option<PathBuf>,
    /// Exclude globs of this cluster (relative to the config file).
    pub exclude: Vec<String>,
    /// The Kustomize overlays the config names for this cluster (`clusters[].kustomize`),
    /// resolved against the config's folder.
    pub kustomize: Option<Vec<PathBuf>>,
}

/// Facts about the cluster that the manifests do not say, from the command line; they override
/// the config for every cluster.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FactFlags {
    /// Cloud provider
    #[arg(long, value_enum, help_heading = "Cluster facts")]
    pub provider: Option<Provider>,

    /// Cluster flavor (CCE standard or turbo; TKE serverless)
    #[arg(long, value_enum, help_heading = "Cluster facts")]
    pub flavor: Option<Flavor>,

    /// Kubernetes version: 1.28, v1.28.8 or v1.28.8-r0
    #[arg(long, value_name = "V", help_heading = "Cluster facts")]
    pub k8s_version: Option<K8sVersion>,

    /// kube-proxy mode
    #[arg(long, value_enum, help_heading = "Cluster facts")]
    pub proxy_mode: Option<ProxyMode>,

    /// TKE container network mode
    #[arg(long, value_enum, help_heading = "Cluster facts")]
    pub network: Option<Network>,

    /// Pod snapshot, such as the output of `kubectl get pods -A -o yaml`
    #[arg(long, value_name = "FILE", help_heading = "Cluster facts")]
    pub pods: Option<PathBuf>,
}

impl FactFlags {
    fn apply(&self, setup: &mut ClusterSetup) {
        let facts = &mut setup.facts;
        if let Some(p) = self.provider {
            facts.provider = Some(p);
        }
        if let Some(f) = self.flavor {
            facts.flavor = Some(f);
        }
        if let Some(v) = &self.k8s_version {
            facts.version = Some(v.clone());
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
    }
}

impl Config {
    /// The clusters of this run with their facts, the CLI flags applied over the config.
    pub fn cluster_facts(&self, flags: &FactFlags) -> Result<Vec<ClusterSetup>, ConfigError> {
        if self.file.clusters.len() > 1 && flags.pods.is_some() {
            return Err(ConfigError::PodsWithSeveralClusters);
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
                exclude: Vec::new(),
                kustomize: None,
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
                exclude: cluster.exclude.clone(),
                kustomize: cluster
                    .kustomize
                    .as_ref()
                    .map(|ps| ps.iter().map(|p| self.resolve(p)).collect()),
            });
        }
        for setup in &mut setups {
            flags.apply(setup);
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
