//! `.lbplan.yaml`: discovery, parsing and validation, and the clusters a run works on.
//!
//! Unknown keys and bad values are errors that name the key (and the line, from the parser), and
//! the run stops with exit code 2 before reading any manifest: a half-understood config would lint
//! the wrong thing. `config/fields.rs` checks the values as they are read; `config/clusters.rs`
//! turns the file and the command line into the clusters of a run.

mod clusters;
mod confine;
mod fields;
pub mod helm;
mod sources;
#[cfg(test)]
mod tests;
mod validate;

pub use clusters::{ClusterSetup, ConfiguredRelease, FactFlags};
pub use sources::{
    ClusterOrigin, OriginKind, ReleaseSetup, SourceConfig, SourceSetup, Substitution,
    is_variable_name,
};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::facts::{Flavor, K8sVersion, Network, NodeFact, Provider, ProxyMode};
use crate::k8s::Protocol;

pub const FILE_NAME: &str = ".lbplan.yaml";
/// The other spelling, accepted alike (`.yml`, as Kustomize and Helm accept it).
pub const FILE_NAME_YML: &str = ".lbplan.yml";

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
    #[serde(default, deserialize_with = "fields::threshold")]
    pub weight_drift_threshold: Option<u64>,
    /// Globs (gitignore syntax, relative to the config file) that folder walks skip.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Whether folder walks skip the built-in folders (`vendor/`, `node_modules/`, ...).
    #[serde(default)]
    pub default_exclude: Option<bool>,
    /// How Kustomize overlays are rendered.
    #[serde(default)]
    pub render: RenderConfig,
}

/// `render:` in the config.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderConfig {
    /// `auto` (kustomize, else kubectl), `off`, or an engine looked up on `PATH`: `kustomize`,
    /// `kubectl` or `oc`. Never a path: a program is named only by the person running lbplan
    /// (`--kustomize-bin`, `LBPLAN_KUSTOMIZE`).
    #[serde(default, deserialize_with = "fields::renderer")]
    pub kustomize: Option<Renderer>,
    /// Time limit of one render, in seconds.
    #[serde(default, deserialize_with = "fields::timeout")]
    pub timeout: Option<std::time::Duration>,
    /// `auto` (helm on `PATH`) or `off`: whether Helm charts are rendered.
    #[serde(default, deserialize_with = "helm::choice")]
    pub helm: Option<helm::HelmChoice>,
}

/// `render.kustomize`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Renderer {
    Auto,
    Off,
    /// `kustomize`, `kubectl` or `oc`.
    Engine(&'static str),
}

/// The engines `render.kustomize` may name.
pub const ENGINES: [&str; 3] = ["kustomize", "kubectl", "oc"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterConfig {
    #[serde(deserialize_with = "fields::cluster_name")]
    pub name: String,
    pub provider: Option<Provider>,
    pub flavor: Option<Flavor>,
    #[serde(default, deserialize_with = "fields::version")]
    pub version: Option<K8sVersion>,
    pub proxy_mode: Option<ProxyMode>,
    pub network: Option<Network>,
    /// TKE: direct access is allowed in a GlobalRouter cluster.
    pub global_route_direct_access: Option<bool>,
    pub paths: Option<Vec<PathBuf>>,
    /// A pod snapshot: an export that is the cluster's pods even when it lists none.
    pub pods: Option<PathBuf>,
    /// kubectl exports of the cluster (nodes, version, pods, kube-system objects).
    #[serde(default)]
    pub exports: Vec<PathBuf>,
    #[serde(default)]
    pub nodes: Vec<NodeFact>,
    /// Globs that walks of this cluster's paths skip, besides the top-level `exclude`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The Kustomize overlays to render for this cluster (folders, relative to the config
    /// file), instead of the leaf overlays found under its paths.
    pub kustomize: Option<Vec<PathBuf>>,
    /// The Helm releases to render for this cluster (charts relative to the config file).
    #[serde(default)]
    pub helm: Vec<helm::HelmEntry>,
    /// Rule levels for findings in this cluster, over the top-level `rules:`.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// What the cluster deploys, folder by folder (see `config/sources.rs`).
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    /// The cluster of the files no cluster's sources claim and no paths hold (planned once per
    /// folder where copied, as without config): what `lbplan init` writes for the files GitOps
    /// objects do not deploy.
    #[serde(default)]
    pub rest: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerConfig {
    pub id: String,
    #[serde(default, deserialize_with = "fields::quota")]
    pub listener_quota: Option<u32>,
    /// Forwarding rules per HTTP/HTTPS listener (default: Huawei ELB 100, Tencent CLB 50).
    #[serde(default, deserialize_with = "fields::rule_quota")]
    pub rule_quota: Option<u32>,
    #[serde(default)]
    pub members: Vec<ExternalMember>,
}

/// A backend added outside Kubernetes (an ECS, say) on one listener.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalMember {
    #[serde(deserialize_with = "fields::listener")]
    pub listener: (Protocol, u16),
    pub name: String,
    #[serde(deserialize_with = "fields::member_weight")]
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

/// Why the config could not be used: the run stops before reading any manifest (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{file}: {problem}")]
    Invalid {
        file: String,
        problem: ConfigProblem,
    },
    /// `.lbplan.yaml` and `.lbplan.yml` side by side: which one rules is not for lbplan to guess.
    #[error("{yaml} and {yml} are both there: keep one (or name it with --config)")]
    TwoConfigs { yaml: String, yml: String },
    #[error(
        "--pods applies to a single cluster; with several clusters set clusters[].pods in the config"
    )]
    PodsWithSeveralClusters,
    #[error(
        "--cluster-export applies to a single cluster; with several clusters set clusters[].exports in the config"
    )]
    ExportsWithSeveralClusters,
}

/// What is wrong inside the config file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigProblem {
    /// The parser's message, at its line (an unknown key, a value of the wrong type).
    #[error("line {line}: {message}")]
    AtLine { line: usize, message: String },
    #[error("{0}")]
    Parse(String),
    /// A value a key may not have, with the key's path: `clusters[1].paths`.
    #[error("{key}: {message}")]
    Key { key: String, message: String },
    /// A path that leaves the side's root.
    #[error(
        "{key}: {escape}; a config's paths stay in the repository (only paths typed on the command line may lie elsewhere)"
    )]
    Escape {
        key: String,
        escape: crate::source::confine::Escape,
    },
}

/// A loaded config and the folder its relative paths start from.
#[derive(Debug, Default)]
pub struct Config {
    pub source: Option<PathBuf>,
    pub base: PathBuf,
    pub file: ConfigFile,
    /// The file's text, so that findings about the config (LB002) can point into it.
    pub text: Option<std::sync::Arc<str>>,
    /// The side's root: every path the config names, and every path its overlays read, stays
    /// inside it.
    pub root: crate::source::confine::RootDir,
}

/// Default drift threshold: 2 percentage points, in basis points of a share.
pub const DEFAULT_DRIFT_BP: u64 = 200;
pub const DEFAULT_LISTENER_QUOTA: u32 = 50;

impl Config {
    /// `explicit` if given, else `.lbplan.yaml` (or `.lbplan.yml`) in `cwd` or its parents, else
    /// an empty config; its paths confined to the run's root (the repository holding `cwd`, else
    /// the config's folder, else `cwd`).
    pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config, ConfigError> {
        let config = Config::read(explicit, cwd)?;
        let root = confine::run_root(config.source.as_deref(), cwd);
        config.within(root)
    }

    /// The config, read and validated but not yet confined (`lbplan diff` confines it to each
    /// side's root: [`Config::within`]).
    pub fn read(explicit: Option<&Path>, cwd: &Path) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match find_upwards(cwd, cwd)? {
                Some(p) => {
                    confine::found_inside(&p, cwd)?;
                    p
                }
                None => {
                    return Ok(Config {
                        base: PathBuf::new(),
                        ..Config::default()
                    });
                }
            },
        };
        // Only a regular file, within the size limit: a pipe or a device would block or never end.
        let text = crate::source::read::read_text(&path).map_err(|e| ConfigError::Read {
            path: crate::source::discover::display_name(&path),
            source: std::io::Error::other(e),
        })?;
        Config::from_text(path, &text, cwd)
    }

    /// The config file at `path` (as given), holding `text`.
    pub fn from_text(path: PathBuf, text: &str, cwd: &Path) -> Result<Config, ConfigError> {
        let file = parse(text).map_err(|problem| ConfigError::Invalid {
            file: crate::source::discover::display_name(&path),
            problem,
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
            text: Some(std::sync::Arc::from(text)),
            root: crate::source::confine::RootDir::anywhere(),
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

    /// The forwarding-rule quota the config records for a load balancer, if any.
    pub fn rule_quota(&self, lb_id: &str) -> Option<u32> {
        self.file
            .load_balancers
            .iter()
            .find(|lb| lb.id == lb_id)
            .and_then(|lb| lb.rule_quota)
    }

    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() || self.base.as_os_str().is_empty() {
            path.to_path_buf()
        } else {
            self.base.join(path)
        }
    }
}

/// `.lbplan.yaml` or `.lbplan.yml` in `start` or a parent, up to the repository's root (the
/// folder holding `.git`), as git and ruff stop: a config above the repository belongs to
/// something else, and must not switch this repository's rules off. Both in one folder is an
/// error naming both (as the run names paths, from `cwd`).
fn find_upwards(start: &Path, cwd: &Path) -> Result<Option<PathBuf>, ConfigError> {
    for dir in start.ancestors() {
        let (yaml, yml) = (dir.join(FILE_NAME), dir.join(FILE_NAME_YML));
        match (yaml.is_file(), yml.is_file()) {
            (true, true) => {
                let shown = |p: &Path| {
                    crate::source::discover::display_name(p.strip_prefix(cwd).unwrap_or(p))
                };
                return Err(ConfigError::TwoConfigs {
                    yaml: shown(&yaml),
                    yml: shown(&yml),
                });
            }
            (true, false) => return Ok(Some(yaml)),
            (false, true) => return Ok(Some(yml)),
            (false, false) => {}
        }
        if dir.join(".git").exists() {
            return Ok(None);
        }
    }
    Ok(None)
}

/// Parse and validate config text.
pub fn parse(text: &str) -> Result<ConfigFile, ConfigProblem> {
    if text.trim().is_empty() {
        return Ok(ConfigFile::default());
    }
    let file: ConfigFile = serde_yaml::from_str(text).map_err(|e| {
        let mut message = e.to_string();
        if let Some(hint) = crate::suggest::for_serde_message(&message) {
            // After the parser's own words, which may end in its location.
            message = match message.split_once(" at line ") {
                Some((what, at)) => format!("{what}; {hint} at line {at}"),
                None => format!("{message}; {hint}"),
            };
        }
        match e.location() {
            Some(loc) => ConfigProblem::AtLine {
                line: loc.line(),
                message: message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string(),
            },
            None => ConfigProblem::Parse(message),
        }
    })?;
    validate::validate(&file)?;
    Ok(file)
}
