//! The clusters of a run: the config's `clusters:` (or one cluster, `default`) with the command
//! line's facts applied over them.

use std::path::PathBuf;

use super::{ClusterConfig, ClusterOrigin, Config, ConfigError, OriginKind, SourceSetup};
use crate::facts::{
    ClusterFacts, Fact, Flavor, K8sVersion, Network, Provenance, Provider, ProxyMode, Source,
};
use crate::source::discover::display_name;

/// One cluster of a run: its facts, its own inputs (if the config gives them), pod snapshot and
/// kubectl exports.
#[derive(Debug, Clone)]
pub struct ClusterSetup {
    pub facts: ClusterFacts,
    pub paths: Option<Vec<PathBuf>>,
    /// The pod snapshot (`--pods`, `clusters[].pods`): an export that declares the cluster's pods
    /// even when it lists none.
    pub pods: Option<PathBuf>,
    /// kubectl exports (`--cluster-export`, `clusters[].exports`).
    pub exports: Vec<PathBuf>,
    /// Exclude globs of this cluster (relative to the config file).
    pub exclude: Vec<String>,
    /// The Kustomize overlays the config names for this cluster (`clusters[].kustomize`),
    /// resolved against the config's folder.
    pub kustomize: Option<Vec<PathBuf>>,
    /// What the cluster deploys folder by folder (`clusters[].sources`, or GitOps objects):
    /// the files and overlays a source claims are the cluster's, whatever paths hold them.
    pub sources: Vec<SourceSetup>,
    /// Where the cluster comes from.
    pub origin: ClusterOrigin,
    /// The cluster of the files no GitOps object deploys: they keep the placements of a run
    /// without config.
    pub unclaimed: bool,
    /// The Helm releases the config names for this cluster (`clusters[].helm`), paths resolved
    /// against the config's folder.
    pub helm: Vec<ConfiguredRelease>,
}

impl ClusterSetup {
    /// A cluster of `name` with no inputs of its own yet.
    pub fn named(name: &str, origin: ClusterOrigin) -> ClusterSetup {
        ClusterSetup {
            facts: ClusterFacts {
                name: name.to_string(),
                ..ClusterFacts::default()
            },
            paths: None,
            pods: None,
            exports: Vec::new(),
            exclude: Vec::new(),
            kustomize: None,
            sources: Vec::new(),
            origin,
            unclaimed: false,
            helm: Vec::new(),
        }
    }
}

/// One `clusters[i].helm[j]` entry, its paths resolved.
#[derive(Debug, Clone)]
pub struct ConfiguredRelease {
    /// `clusters[i].helm[j]`, as messages name the entry.
    pub key: String,
    pub chart: PathBuf,
    pub release: Option<String>,
    pub namespace: Option<String>,
    pub values: Vec<PathBuf>,
    pub set: Vec<(String, String)>,
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

    /// Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it
    /// (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)
    #[arg(long, value_name = "V", help_heading = "Cluster facts")]
    pub k8s_version: Option<K8sVersion>,

    /// kube-proxy mode
    #[arg(long, value_enum, help_heading = "Cluster facts")]
    pub proxy_mode: Option<ProxyMode>,

    /// TKE container network mode
    #[arg(long, value_enum, help_heading = "Cluster facts")]
    pub network: Option<Network>,

    /// TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in
    /// kube-system/tke-service-controller-config)
    #[arg(long, value_name = "BOOL", help_heading = "Cluster facts")]
    pub global_route_direct_access: Option<bool>,

    /// Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds
    /// the cluster's pods even when it lists none)
    #[arg(long, value_name = "FILE", help_heading = "Cluster facts")]
    pub pods: Option<PathBuf>,

    /// kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`,
    /// `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps,
    /// DaemonSets and Deployments
    #[arg(long, value_name = "FILE", help_heading = "Cluster facts")]
    pub cluster_export: Vec<PathBuf>,
}

/// Set one fact and say where it comes from.
fn set<T>(
    facts: &mut ClusterFacts,
    field: impl FnOnce(&mut ClusterFacts) -> &mut Option<T>,
    value: Option<T>,
    fact: Fact,
    provenance: impl FnOnce() -> Provenance,
) {
    if let Some(value) = value {
        *field(facts) = Some(value);
        facts.provenance.insert(fact, provenance());
    }
}

impl FactFlags {
    fn apply(&self, setup: &mut ClusterSetup) {
        let facts = &mut setup.facts;
        let flag = |name: &str, value: String| {
            let name = name.to_string();
            move || Provenance::new(Source::Flag, format!("{name} {value}"), None)
        };
        let shown = |v: Option<&str>| v.unwrap_or("").to_string();
        set(
            facts,
            |f| &mut f.provider,
            self.provider,
            Fact::Provider,
            flag("--provider", shown(self.provider.map(Provider::as_str))),
        );
        set(
            facts,
            |f| &mut f.flavor,
            self.flavor,
            Fact::Flavor,
            flag("--flavor", shown(self.flavor.map(Flavor::as_str))),
        );
        let reported = self.k8s_version.as_ref().map(|v| v.reported().to_string());
        set(
            facts,
            |f| &mut f.version,
            self.k8s_version.clone(),
            Fact::Version,
            flag("--k8s-version", reported.unwrap_or_default()),
        );
        set(
            facts,
            |f| &mut f.proxy_mode,
            self.proxy_mode,
            Fact::ProxyMode,
            flag(
                "--proxy-mode",
                shown(self.proxy_mode.map(ProxyMode::as_str)),
            ),
        );
        set(
            facts,
            |f| &mut f.network,
            self.network,
            Fact::Network,
            flag("--network", shown(self.network.map(Network::as_str))),
        );
        let grda = self.global_route_direct_access.map(|b| b.to_string());
        set(
            facts,
            |f| &mut f.global_route_direct_access,
            self.global_route_direct_access,
            Fact::GlobalRouteDirectAccess,
            flag("--global-route-direct-access", grda.unwrap_or_default()),
        );
        if let Some(p) = &self.pods {
            setup.pods = Some(p.clone());
        }
        setup.exports.extend(self.cluster_export.iter().cloned());
    }
}

impl Config {
    /// The clusters of this run with their facts, the CLI flags applied over the config.
    pub fn cluster_facts(&self, flags: &FactFlags) -> Result<Vec<ClusterSetup>, ConfigError> {
        if self.file.clusters.len() > 1 && flags.pods.is_some() {
            return Err(ConfigError::PodsWithSeveralClusters);
        }
        if self.file.clusters.len() > 1 && !flags.cluster_export.is_empty() {
            return Err(ConfigError::ExportsWithSeveralClusters);
        }
        let mut setups = Vec::new();
        if self.file.clusters.is_empty() {
            setups.push(ClusterSetup::named(
                "default",
                ClusterOrigin {
                    source: OriginKind::Default,
                    evidence: "no clusters in a config, and no GitOps object".into(),
                },
            ));
        }
        let file = self.source.as_deref().map(display_name);
        for (i, cluster) in self.file.clusters.iter().enumerate() {
            setups.push(ClusterSetup {
                facts: self.configured_facts(i, cluster),
                paths: cluster
                    .paths
                    .as_ref()
                    .map(|ps| ps.iter().map(|p| self.resolve(p)).collect()),
                pods: cluster.pods.as_ref().map(|p| self.resolve(p)),
                exports: cluster.exports.iter().map(|p| self.resolve(p)).collect(),
                exclude: cluster.exclude.clone(),
                kustomize: cluster
                    .kustomize
                    .as_ref()
                    .map(|ps| ps.iter().map(|p| self.resolve(p)).collect()),
                sources: self.sources_of(&cluster.sources),
                origin: ClusterOrigin {
                    source: OriginKind::Config,
                    evidence: match &file {
                        Some(file) => format!("{file}: clusters[{i}]"),
                        None => format!("clusters[{i}]"),
                    },
                },
                unclaimed: cluster.rest,
                helm: cluster
                    .helm
                    .iter()
                    .enumerate()
                    .map(|(j, e)| ConfiguredRelease {
                        key: format!("clusters[{i}].helm[{j}]"),
                        chart: self.resolve(&e.chart),
                        release: e.release.clone(),
                        namespace: e.namespace.clone(),
                        values: e.values.iter().map(|p| self.resolve(p)).collect(),
                        set: e.set.clone(),
                    })
                    .collect(),
            });
        }
        Ok(self.with_flags(setups, flags))
    }

    /// The command line's facts applied over `setups` (the config's, or the GitOps objects').
    pub fn with_flags(
        &self,
        mut setups: Vec<ClusterSetup>,
        flags: &FactFlags,
    ) -> Vec<ClusterSetup> {
        for setup in &mut setups {
            flags.apply(setup);
        }
        setups
    }

    /// The facts `clusters[i]` states, each with its key as provenance.
    fn configured_facts(&self, i: usize, cluster: &ClusterConfig) -> ClusterFacts {
        let mut facts = ClusterFacts {
            name: cluster.name.clone(),
            nodes: cluster.nodes.clone(),
            ..ClusterFacts::default()
        };
        let file = self.source.as_deref().map(display_name);
        let key = |key: &str| {
            let file = file.clone();
            let at = format!("clusters[{i}].{key}");
            move || {
                let evidence = match &file {
                    Some(file) => format!("{file}: {at}"),
                    None => at,
                };
                Provenance::new(Source::Config, evidence, file)
            }
        };
        set(
            &mut facts,
            |f| &mut f.provider,
            cluster.provider,
            Fact::Provider,
            key("provider"),
        );
        set(
            &mut facts,
            |f| &mut f.flavor,
            cluster.flavor,
            Fact::Flavor,
            key("flavor"),
        );
        set(
            &mut facts,
            |f| &mut f.version,
            cluster.version.clone(),
            Fact::Version,
            key("version"),
        );
        set(
            &mut facts,
            |f| &mut f.proxy_mode,
            cluster.proxy_mode,
            Fact::ProxyMode,
            key("proxy_mode"),
        );
        set(
            &mut facts,
            |f| &mut f.network,
            cluster.network,
            Fact::Network,
            key("network"),
        );
        set(
            &mut facts,
            |f| &mut f.global_route_direct_access,
            cluster.global_route_direct_access,
            Fact::GlobalRouteDirectAccess,
            key("global_route_direct_access"),
        );
        facts
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
