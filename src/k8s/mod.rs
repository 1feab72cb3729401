//! The Kubernetes objects lbplan models, owned and with an [`Origin`] on everything a finding can
//! point at. Only what the plan and the rules need is kept.

pub mod annotations;
pub mod docs;
mod fields;
mod ingress;
pub mod keys;
mod metadata;
pub mod read;

pub use ingress::{
    Ingress, IngressBackend, IngressPath, IngressTls, PathType, PortRef, ServiceRef,
};
pub use metadata::{Annotation, Annotations, Labels, RawValue, selector_matches};

use std::fmt;

use serde::Serialize;
use strum::{Display, EnumString, IntoStaticStr};

use crate::source::Origin;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub name: String,
    pub namespace: String,
    /// `metadata.namespace` is written (else `namespace` is `default`, and a GitOps destination
    /// or Helm release may give another).
    pub namespace_set: bool,
    pub annotations: Annotations,
    pub labels: Labels,
    /// `metadata.deletionTimestamp` is set.
    pub terminating: bool,
    /// State that the API server and the controllers write on a live object (`metadata.uid`,
    /// `resourceVersion`, a `creationTimestamp` that is not null, `managedFields`,
    /// `status.loadBalancer.ingress`), in document order: the object is a `kubectl get -o yaml`
    /// dump. Empty for manifests.
    pub live: Vec<Located<LiveField>>,
}

/// A field that only a live object has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr)]
pub enum LiveField {
    #[strum(serialize = "metadata.uid")]
    Uid,
    #[strum(serialize = "metadata.resourceVersion")]
    ResourceVersion,
    #[strum(serialize = "metadata.creationTimestamp")]
    CreationTimestamp,
    #[strum(serialize = "metadata.managedFields")]
    ManagedFields,
    #[strum(serialize = "metadata.selfLink")]
    SelfLink,
    #[strum(serialize = "metadata.generation")]
    Generation,
    #[strum(serialize = "status.loadBalancer.ingress")]
    LoadBalancerIngress,
}

impl LiveField {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether the field alone shows a dump: `selfLink` and `generation` only come with the
    /// others.
    pub fn marks_a_dump(self) -> bool {
        !matches!(self, LiveField::SelfLink | LiveField::Generation)
    }
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, IntoStaticStr)]
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
    /// An object a cloud controller writes and keeps for itself (LB025): read for its metadata
    /// only, never planned.
    ControllerState(ControllerKind),
}

/// The controller-state kinds lbplan recognises in manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr)]
pub enum ControllerKind {
    /// TKE's `LoadBalancerResource`, named after a CLB ID: the state of a shared CLB, which
    /// Tencent Cloud TKE's "Multiple Services Sharing a CLB" says not to touch.
    LoadBalancerResource,
}

/// A Kubernetes object lbplan models.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub meta: Meta,
    pub spec: Spec,
    /// Where the object starts: its first key.
    pub origin: Origin,
    /// Kubernetes would refuse the object as written (a field of the wrong type, a duplicate key:
    /// LB001). The rest of it is still read, linted and, when no good copy exists, planned; it
    /// never replaces a good copy of the same object.
    pub refused: bool,
    /// Fields Kubernetes does not define where they are written (LB030), in document order.
    pub unknown_fields: Vec<UnknownField>,
}

/// A field of a Service or Ingress that Kubernetes does not define at its place: strict field
/// validation (`kubectl apply`'s default) refuses the object, and without it the API server drops
/// the field.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownField {
    /// Where it is written: `spec.ports[0]`.
    pub path: String,
    pub key: String,
    /// The key.
    pub origin: Origin,
    /// Where Kubernetes defines a field of this name nearby, when it does: `it belongs in spec`.
    pub belongs: Option<String>,
}

impl Object {
    /// The kind, as the manifest names it.
    pub fn kind(&self) -> &'static str {
        match &self.spec {
            Spec::Service(_) => "Service",
            Spec::Ingress(_) => "Ingress",
            Spec::Workload(w) => w.kind.into(),
            Spec::Pod(_) => "Pod",
            Spec::ControllerState(kind) => kind.into(),
        }
    }

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
        write!(f, "{}/{}/{}", o.kind(), o.meta.namespace, o.meta.name)
    }
}
