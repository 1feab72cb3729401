//! The Kubernetes objects lbplan models, owned and with an [`Origin`] on everything a finding can
//! point at. Only what the plan and the rules need is kept.

pub mod annotations;
pub mod keys;
pub mod read;

use std::fmt;

use serde::Serialize;
use strum::{Display, EnumString, IntoStaticStr};

use crate::source::{Origin, Span};

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub origin: Origin,
}

/// One `metadata.annotations` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    pub key: String,
    pub value: String,
    /// The key, which is where findings about the annotation point.
    pub origin: Origin,
    /// The value, when it was written verbatim (no escapes, not a block scalar).
    pub value_origin: Option<Origin>,
    /// Otherwise (a value folded over several lines, or with escapes), the source text from the key
    /// to the next key: entries of the value can still be found in it.
    pub raw: Option<RawValue>,
}

/// The source text a value was parsed from, where it differs from the value.
#[derive(Debug, Clone, PartialEq)]
pub struct RawValue {
    pub origin: Origin,
    pub text: String,
}

impl Annotation {
    /// The origin of `part`, a slice of `self.value`, if the value was written verbatim; otherwise
    /// the annotation's key. Lets a finding point at one entry of a list-valued annotation.
    pub fn origin_of(&self, part: &str) -> Origin {
        let verbatim = self
            .value_origin
            .filter(|o| o.span.end - o.span.start == self.value.len());
        if let Some(value) = verbatim {
            return Span::new(value.span.start, value.span.end)
                .sub(&self.value, part)
                .map_or(self.origin, |span| Origin::new(value.file, span));
        }
        self.raw
            .as_ref()
            .and_then(|raw| raw.find(&self.value, part))
            .unwrap_or(self.origin)
    }

    /// The origin of the whole value when verbatim, else of the key.
    pub fn value_or_key_origin(&self) -> Origin {
        self.value_origin.unwrap_or(self.origin)
    }
}

impl RawValue {
    /// Where `part` (a slice of `value`) was written: its n-th occurrence in the source, n being
    /// its occurrence in the value. Folding never splits an entry that holds no space.
    fn find(&self, value: &str, part: &str) -> Option<Origin> {
        if part.is_empty() || part.contains(char::is_whitespace) {
            return None;
        }
        let offset = (part.as_ptr() as usize).checked_sub(value.as_ptr() as usize)?;
        let nth = value.get(..offset)?.matches(part).count();
        let (at, _) = self.text.match_indices(part).nth(nth)?;
        let start = self.origin.span.start + at;
        Some(Origin::new(
            self.origin.file,
            Span::new(start, start + part.len()),
        ))
    }
}

/// An object's annotations, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotations(pub Vec<Annotation>);

impl Annotations {
    pub fn get(&self, key: &str) -> Option<&Annotation> {
        self.0.iter().find(|a| a.key == key)
    }

    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).map(|a| a.value.as_str())
    }

    /// Exactly `"true"`, as the controllers compare it.
    pub fn is_true(&self, key: &str) -> bool {
        self.value(key) == Some("true")
    }

    pub fn iter(&self) -> impl Iterator<Item = &Annotation> {
        self.0.iter()
    }
}

/// Labels or a selector: sorted by key, one value per key (the last written, as Kubernetes keeps).
/// A sorted vector rather than a map: objects carry a handful of labels, and tens of thousands of
/// objects are held at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(Vec<(String, String)>);

impl Labels {
    pub fn new() -> Self {
        Labels(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl FromIterator<(String, String)> for Labels {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut pairs: Vec<(String, String)> = iter.into_iter().collect();
        // Stable sort, then keep the last of equal keys.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match out.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => out.push(pair),
            }
        }
        out.shrink_to_fit();
        Labels(out)
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub name: String,
    pub namespace: String,
    pub annotations: Annotations,
    pub labels: Labels,
    /// `metadata.deletionTimestamp` is set.
    pub terminating: bool,
}

/// A listener protocol: a Service port's (TCP, UDP, SCTP), or HTTP/HTTPS where an annotation
/// publishes the port as such. Parsed without regard to case (`tcp:80` in the config).
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
    Display,
    IntoStaticStr,
    EnumString,
)]
#[serde(rename_all = "UPPERCASE")]
#[strum(serialize_all = "UPPERCASE", ascii_case_insensitive)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
    Http,
    Https,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn is_l7(self) -> bool {
        matches!(self, Protocol::Http | Protocol::Https)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: u16,
    /// TCP, UDP or SCTP: the reader refuses anything else.
    pub protocol: Protocol,
    /// The `port:` key of the entry.
    pub origin: Origin,
}

/// `spec.type` of a Service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString)]
pub enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

/// `spec.externalTrafficPolicy` of a Service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString)]
pub enum TrafficPolicy {
    Cluster,
    Local,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// `None` when absent or not a type Kubernetes knows.
    pub service_type: Option<Located<ServiceType>>,
    pub ports: Vec<ServicePort>,
    /// `spec.selector`; `None` when absent or empty (endpoints managed by hand).
    pub selector: Option<Labels>,
    /// The `selector:` key.
    pub selector_origin: Option<Origin>,

    pub external_traffic_policy: Option<Located<TrafficPolicy>>,
    pub external_ips: Vec<Located<String>>,
}

impl Service {
    pub fn is_load_balancer(&self) -> bool {
        self.service_type
            .as_ref()
            .is_some_and(|t| t.value == ServiceType::LoadBalancer)
    }

    /// `externalTrafficPolicy: Local`, where it is written.
    pub fn local_traffic_policy(&self) -> Option<&Located<TrafficPolicy>> {
        self.external_traffic_policy
            .as_ref()
            .filter(|p| p.value == TrafficPolicy::Local)
    }
}

/// A Service an Ingress sends traffic to.
#[derive(Debug, Clone, PartialEq)]
pub struct IngressBackend {
    pub service: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ingress {
    pub class_name: Option<String>,
    /// The `tls:` key, when the Ingress has at least one TLS entry.
    pub tls: Option<Origin>,
    pub backends: Vec<IngressBackend>,
}

/// What lbplan needs of a pod, whether it comes from a workload's template or a Pod object.
#[derive(Debug, Clone, PartialEq)]
pub struct PodTemplate {
    pub labels: Labels,
    pub annotations: Annotations,
    /// The `hostNetwork: true` key.
    pub host_network: Option<Origin>,
    /// A container requests and limits `tke.cloud.tencent.com/eni-ip`.
    pub eni_ip: bool,
    pub node_name: Option<String>,
    /// The template (or the Pod object) itself.
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    ReplicaSet,
    DaemonSet,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub kind: WorkloadKind,
    /// `spec.replicas`, default 1; `None` for DaemonSets, whose pod count follows the nodes.
    pub replicas: Option<u32>,
    pub template: PodTemplate,
}

/// `status.phase` of a Pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodStatus {
    /// `None` when absent or not a phase Kubernetes knows.
    pub phase: Option<PodPhase>,
    pub ready: bool,
    pub host_ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pod {
    pub template: PodTemplate,
    /// Present for pods observed in a cluster (a snapshot); absent for Pod manifests.
    pub status: Option<PodStatus>,
}

impl Pod {
    /// Counts as a target: scheduled, not terminating, not finished, Ready. Pod manifests without
    /// status are planned pods and count as ready.
    pub fn is_serving(&self, terminating: bool) -> bool {
        match &self.status {
            None => true,
            Some(status) => {
                self.template.node_name.is_some()
                    && !terminating
                    && !matches!(status.phase, Some(PodPhase::Succeeded | PodPhase::Failed))
                    && status.ready
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    Service(Service),
    Ingress(Ingress),
    Workload(Workload),
    Pod(Pod),
}

/// A Kubernetes object lbplan models.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub kind: String,
    pub meta: Meta,
    pub spec: Spec,
    /// Where the object starts: its first key.
    pub origin: Origin,
}

impl Object {
    /// `Kind/namespace/name`, as reports name objects.
    pub fn label(&self) -> ObjectLabel<'_> {
        ObjectLabel(self)
    }

    pub fn annotations(&self) -> &Annotations {
        &self.meta.annotations
    }

    pub fn as_service(&self) -> Option<&Service> {
        match &self.spec {
            Spec::Service(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_ingress(&self) -> Option<&Ingress> {
        match &self.spec {
            Spec::Ingress(i) => Some(i),
            _ => None,
        }
    }
}

pub struct ObjectLabel<'a>(&'a Object);

impl fmt::Display for ObjectLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = self.0;
        write!(f, "{}/{}/{}", o.kind, o.meta.namespace, o.meta.name)
    }
}

/// Whether every `selector` label is among `labels`.
pub fn selector_matches(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}
