//! What one kubectl export shows about its cluster, field by field: nodes, the server version,
//! kube-system ConfigMaps, DaemonSets and Deployments, and pods. Nothing here decides a fact
//! (`infer.rs` does, across a cluster's exports); a ConfigMap's data is read only for the keys
//! facts come from, and never kept as written.

use std::collections::BTreeMap;

use crate::facts::ProxyMode;
use crate::source::node::{EVERYTHING, Node, Value};
use crate::source::yaml::{parse_json, parse_yaml};

/// Node label keys and values the provider and flavor come from (cluster-facts research, §5).
pub mod labels {
    pub const TKE_INSTANCE: &str = "cloud.tencent.com/node-instance-id";
    pub const INSTANCE_TYPE: &str = "node.kubernetes.io/instance-type";
    /// The instance type of TKE super nodes (serverless): they run no kubelet of the cluster's
    /// version and no kube-proxy.
    pub const EKLET: &str = "eklet";
    pub const CCE_NODEPOOL: &str = "cce.cloud.com/cce-nodepool";
    pub const CCE_SUBNET: &str = "node.kubernetes.io/subnetid";
    pub const CCE_OS_NAME: &str = "os.name";
}

/// Extended resources a VPC-CNI node registers (shared ENI, exclusive ENI, sub-ENI).
const ENI_RESOURCES: [&str; 3] = [
    "tke.cloud.tencent.com/eni-ip",
    "tke.cloud.tencent.com/direct-eni",
    "tke.cloud.tencent.com/sub-eni",
];

/// kube-system workloads present only when VPC-CNI is on (TKE's add-on table).
const ENI_COMPONENTS: [&str; 3] = ["tke-eni-agent", "tke-eni-ipamd", "tke-eni-ip-scheduler"];

/// Pod annotations only CCE Turbo's Yangtse CNI writes.
const TURBO_ANNOTATION: &str = "cni.yangtse.io/network-status";
const MULTUS_STATUS: &str = "k8s.v1.cni.cncf.io/network-status";

/// One node as an export shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeSeen {
    pub name: String,
    pub provider_id: Option<String>,
    pub kubelet_version: Option<String>,
    /// `status.addresses` of type InternalIP (IPv4 and IPv6 on dual-stack nodes).
    pub internal_ips: Vec<String>,
    /// TKE: `cloud.tencent.com/node-instance-id` label.
    pub tke_label: bool,
    /// TKE super node (`node.kubernetes.io/instance-type: eklet`).
    pub eklet: bool,
    /// CCE: the node-pool label, or the subnet and OS labels CCE puts on every node.
    pub cce_label: Option<&'static str>,
    /// Allocatable VPC-CNI ENI resources.
    pub eni: bool,
    pub pod_cidr: bool,
    /// No `Ready` condition says otherwise (`False` or `Unknown` is NotReady).
    pub ready: bool,
    /// Labeled `node-role.kubernetes.io/master` or `node-role.kubernetes.io/control-plane`.
    pub master: bool,
    /// `spec.unschedulable: true` (cordoned).
    pub unschedulable: bool,
    pub labels: BTreeMap<String, String>,
}

/// kube-proxy's mode as an export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyModeSeen {
    /// The mode, or what was written when lbplan does not know it (`nftables`, an empty mode in a
    /// config that is not upstream-shaped).
    pub mode: Result<ProxyMode, String>,
    /// Where: `ConfigMap kube-system/kube-proxy data.config mode`.
    pub at: String,
}

/// A value read somewhere in an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSeen {
    pub value: String,
    pub at: String,
}

/// What one export shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    pub nodes: Vec<NodeSeen>,
    /// `serverVersion.gitVersion` of `kubectl version -o yaml`.
    pub server_versions: Vec<String>,
    pub pods: usize,
    /// The first pod whose annotations prove CCE Turbo.
    pub turbo_pod: Option<String>,
    pub proxy_modes: Vec<ProxyModeSeen>,
    /// `defaultDelegates` of `kube-system/tke-cni-agent-conf`.
    pub cni_delegates: Vec<ValueSeen>,
    /// VPC-CNI components: `DaemonSet kube-system/tke-eni-agent`.
    pub eni_components: Vec<String>,
    /// DaemonSets, Deployments and Pods of kube-system: whether the export lists the system
    /// workloads at all (so that a missing component means something).
    pub kube_system_workloads: usize,
    /// A Cilium DaemonSet, which may replace kube-proxy.
    pub cilium: Option<String>,
    /// A kube-proxy DaemonSet or pod.
    pub kube_proxy: bool,
    /// `GlobalRouteDirectAccess` of `kube-system/tke-service-controller-config`.
    pub global_route: Vec<ValueSeen>,
    /// Objects of kinds (or ConfigMaps of names) lbplan does not read from exports, per kind.
    pub unused: BTreeMap<String, usize>,
}

fn str_of<'n>(node: Option<&'n Node>) -> Option<&'n str> {
    node.and_then(Node::as_str)
}

fn path<'n, 'a>(node: &'n Node<'a>, keys: &[&str]) -> Option<&'n Node<'a>> {
    keys.iter().try_fold(node, |n, k| n.get(k))
}

fn map_entries<'n, 'a>(
    node: Option<&'n Node<'a>>,
) -> impl Iterator<Item = (&'n str, &'n Node<'a>)> {
    node.and_then(Node::as_map)
        .into_iter()
        .flatten()
        .map(|e| (e.key.as_ref(), &e.value))
}

impl Seen {
    /// Record one document of an export (a `List` is walked item by item; `inherited` is the
    /// kind a typed list such as `NodeList` lends its items).
    pub fn document(&mut self, node: &Node, inherited: Option<&str>) {
        let kind = str_of(node.get("kind")).or(inherited);
        if let Some(list_kind) = kind.and_then(|k| k.strip_suffix("List")) {
            if let Some(items) = node.get("items").and_then(Node::as_seq) {
                let inherit = (!list_kind.is_empty()).then_some(list_kind);
                for item in items {
                    self.document(item, inherit);
                }
                return;
            }
        }
        if let Some(version) = str_of(path(node, &["serverVersion", "gitVersion"])) {
            self.server_versions.push(version.trim().to_string());
        }
        let Some(kind) = kind else { return };
        let meta = node.get("metadata");
        let name = str_of(meta.and_then(|m| m.get("name"))).unwrap_or("");
        let namespace = str_of(meta.and_then(|m| m.get("namespace"))).unwrap_or("default");
        let system = namespace == "kube-system";
        match kind {
            "Node" => self.node(node, name),
            "Pod" => self.pod(node, namespace, name),
            "ConfigMap" if system => self.config_map(node, name),
            "DaemonSet" | "Deployment" => self.workload(node, kind, namespace, name),
            other => *self.unused.entry(other.to_string()).or_default() += 1,
        }
    }

    fn node(&mut self, node: &Node, name: &str) {
        let labels: BTreeMap<&str, &str> = map_entries(path(node, &["metadata", "labels"]))
            .filter_map(|(k, v)| v.as_str().map(|v| (k, v)))
            .collect();
        let has = |key: &str| labels.contains_key(key);
        let cce_label = if has(labels::CCE_NODEPOOL) {
            Some(labels::CCE_NODEPOOL)
        } else if has(labels::CCE_SUBNET) && has(labels::CCE_OS_NAME) {
            Some(labels::CCE_SUBNET)
        } else {
            None
        };
        let internal_ips = path(node, &["status", "addresses"])
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .filter(|a| str_of(a.get("type")) == Some("InternalIP"))
            .filter_map(|a| str_of(a.get("address")))
            .map(|ip| ip.trim().to_string())
            .filter(|ip| !ip.is_empty())
            .collect();
        let eni = map_entries(path(node, &["status", "allocatable"]))
            .any(|(k, v)| ENI_RESOURCES.contains(&k) && v.scalar_text().is_some_and(|n| n != "0"));
        let pod_cidr = str_of(path(node, &["spec", "podCIDR"])).is_some_and(|c| !c.is_empty())
            || path(node, &["spec", "podCIDRs"])
                .and_then(Node::as_seq)
                .is_some_and(|s| !s.is_empty());
        self.nodes.push(NodeSeen {
            name: name.to_string(),
            provider_id: str_of(path(node, &["spec", "providerID"]))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
            kubelet_version: str_of(path(node, &["status", "nodeInfo", "kubeletVersion"]))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
            internal_ips,
            tke_label: has(labels::TKE_INSTANCE),
            eklet: labels.get(labels::INSTANCE_TYPE) == Some(&labels::EKLET),
            cce_label,
            eni,
            pod_cidr,
            // NotReady: a Ready condition that is not True (an export trimmed of its
            // conditions says nothing against the node).
            ready: !path(node, &["status", "conditions"])
                .and_then(Node::as_seq)
                .into_iter()
                .flatten()
                .any(|c| {
                    str_of(c.get("type")) == Some("Ready")
                        && str_of(c.get("status")) != Some("True")
                }),
            master: has("node-role.kubernetes.io/master")
                || has("node-role.kubernetes.io/control-plane"),
            unschedulable: matches!(
                path(node, &["spec", "unschedulable"]).map(|n| &n.value),
                Some(Value::Bool(true))
            ),
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        });
    }

    fn pod(&mut self, node: &Node, namespace: &str, name: &str) {
        self.pods += 1;
        let annotations = path(node, &["metadata", "annotations"]);
        if self.turbo_pod.is_none() {
            let turbo = map_entries(annotations).find(|(k, v)| {
                *k == TURBO_ANNOTATION
                    || (*k == MULTUS_STATUS
                        && v.as_str().is_some_and(|s| s.contains("cni.yangtse.io/")))
            });
            if let Some((key, _)) = turbo {
                self.turbo_pod = Some(format!("Pod {namespace}/{name} annotation {key}"));
            }
        }
        if namespace != "kube-system" {
            return;
        }
        self.kube_system_workloads += 1;
        let labels = path(node, &["metadata", "labels"]);
        let app = map_entries(labels)
            .find(|(k, _)| *k == "k8s-app")
            .and_then(|(_, v)| v.as_str());
        let component = |prefix: &str| {
            app == Some(prefix)
                || name
                    .strip_prefix(prefix)
                    .is_some_and(|r| r.starts_with('-'))
        };
        if component("kube-proxy") {
            self.kube_proxy = true;
            let at = format!("Pod kube-system/{name} args");
            self.proxy_args(node.get("spec"), &at);
        }
        if let Some(c) = ENI_COMPONENTS.iter().find(|c| component(c)) {
            self.eni_components
                .push(format!("Pod kube-system/{name} ({c})"));
        }
    }

    fn workload(&mut self, node: &Node, kind: &str, namespace: &str, name: &str) {
        if namespace != "kube-system" {
            *self.unused.entry(kind.to_string()).or_default() += 1;
            return;
        }
        self.kube_system_workloads += 1;
        let label = format!("{kind} kube-system/{name}");
        if ENI_COMPONENTS.contains(&name) {
            self.eni_components.push(label.clone());
        }
        if name == "cilium" || name.ends_with("-cilium") {
            self.cilium.get_or_insert(label.clone());
        }
        if name == "kube-proxy" {
            self.kube_proxy = true;
            let spec = path(node, &["spec", "template", "spec"]);
            self.proxy_args(spec, &format!("{label} args"));
        }
    }

    /// `--proxy-mode=ipvs` (or `--proxy-mode ipvs`) among a pod spec's containers' command and
    /// args, also inside a shell command line.
    fn proxy_args(&mut self, spec: Option<&Node>, at: &str) {
        let containers = spec
            .and_then(|s| s.get("containers"))
            .and_then(Node::as_seq)
            .into_iter()
            .flatten();
        let mut words = Vec::new();
        for container in containers {
            for key in ["command", "args"] {
                let strings = container
                    .get(key)
                    .and_then(Node::as_seq)
                    .into_iter()
                    .flatten();
                for s in strings.filter_map(Node::as_str) {
                    words.extend(s.split_whitespace().map(str::to_string));
                }
            }
        }
        let mut iter = words.iter();
        while let Some(word) = iter.next() {
            let value = match word.strip_prefix("--proxy-mode") {
                Some(rest) if rest.starts_with('=') => rest.get(1..).map(str::to_string),
                Some("") => iter.next().cloned(),
                _ => continue,
            };
            if let Some(value) = value {
                let value = value.trim_matches(|c| c == '"' || c == '\'');
                self.proxy_modes.push(ProxyModeSeen {
                    mode: mode_named(value),
                    at: format!("{at} --proxy-mode"),
                });
            }
        }
    }

    fn config_map(&mut self, node: &Node, name: &str) {
        let data = node.get("data");
        let value = |key: &str| str_of(data.and_then(|d| d.get(key)));
        match name {
            "kube-proxy" => {
                for key in ["config.conf", "config"] {
                    if let Some(text) = value(key) {
                        let at = format!("ConfigMap kube-system/kube-proxy data.{key} mode");
                        if let Some(mode) = kube_proxy_config_mode(text) {
                            self.proxy_modes.push(ProxyModeSeen { mode, at });
                        }
                    }
                }
            }
            "tke-cni-agent-conf" => {
                if let Some(delegate) = value("00-multus.conf").and_then(default_delegates) {
                    self.cni_delegates.push(ValueSeen {
                        value: delegate,
                        at: "ConfigMap kube-system/tke-cni-agent-conf 00-multus.conf defaultDelegates"
                            .into(),
                    });
                }
            }
            "tke-service-controller-config" => {
                let setting = data
                    .and_then(|d| d.get("GlobalRouteDirectAccess"))
                    .and_then(Node::scalar_text);
                if let Some(setting) = setting {
                    self.global_route.push(ValueSeen {
                        value: setting.trim().to_string(),
                        at: "ConfigMap kube-system/tke-service-controller-config GlobalRouteDirectAccess"
                            .into(),
                    });
                }
            }
            _ => *self.unused.entry("ConfigMap".into()).or_default() += 1,
        }
    }
}

fn mode_named(value: &str) -> Result<ProxyMode, String> {
    match value.trim() {
        "ipvs" => Ok(ProxyMode::Ipvs),
        "iptables" => Ok(ProxyMode::Iptables),
        other => Err(other.to_string()),
    }
}

/// The mode of a `KubeProxyConfiguration` held as text in a ConfigMap. An empty or missing mode
/// means iptables only in an upstream-shaped config (`kind: KubeProxyConfiguration`); elsewhere
/// it says nothing. `None` when the text is no such config.
fn kube_proxy_config_mode(text: &str) -> Option<Result<ProxyMode, String>> {
    let documents = parse_yaml(text, &EVERYTHING);
    let root = documents.iter().find_map(|d| d.result.as_ref().ok())?;
    root.as_map()?;
    let upstream = str_of(root.get("kind")) == Some("KubeProxyConfiguration");
    let mode = root.get("mode").and_then(Node::scalar_text);
    match mode.as_deref().map(str::trim) {
        Some(m) if !m.is_empty() => Some(mode_named(m)),
        _ if upstream => Some(Ok(ProxyMode::Iptables)),
        _ => Some(Err("an empty mode outside a KubeProxyConfiguration".into())),
    }
}

/// `defaultDelegates` of the multus configuration (JSON): the network a pod gets by default.
fn default_delegates(text: &str) -> Option<String> {
    let documents = parse_json(text, &EVERYTHING);
    let root = documents.iter().find_map(|d| d.result.as_ref().ok())?;
    let value = match &root.get("defaultDelegates")?.value {
        Value::Str(s) => s.to_string(),
        Value::Seq(items) => items.first()?.as_str()?.to_string(),
        _ => return None,
    };
    // A list written as one string: the first is the default network.
    let first = value.split(',').next().unwrap_or("").trim();
    (!first.is_empty()).then(|| first.to_string())
}

#[cfg(test)]
mod tests;
