//! An Ingress as lbplan reads it: its class and TLS entries, and every HTTP path of its rules with
//! the host, path, `pathType`, CCE's per-path match mode and the Service it forwards to, each
//! located where it is written. Read once here (`read/ingress.rs`); the model and the rules never
//! go back to the text.

use std::fmt;

use strum::{EnumString, IntoStaticStr};

use super::Located;
use crate::source::Origin;

#[derive(Debug, Clone, PartialEq)]
pub struct Ingress {
    pub class_name: Option<String>,
    /// The `tls:` key, when the Ingress has at least one TLS entry.
    pub tls: Option<Origin>,
    pub tls_entries: Vec<IngressTls>,
    /// Every Service the Ingress sends traffic to (rules and default backend), each once.
    pub backends: Vec<IngressBackend>,
    /// Every `spec.rules[].http.paths[]` entry, in document order.
    pub paths: Vec<IngressPath>,
    /// The `defaultBackend:` (or v1beta1 `backend:`) key.
    pub default_backend: Option<Origin>,
    /// `apiVersion: networking.k8s.io/v1`, where every path must have a `pathType`.
    pub v1: bool,
    /// `metadata.creationTimestamp`, as written (RFC 3339, so text order is time order).
    pub created: Option<String>,
}

/// A Service an Ingress sends traffic to.
#[derive(Debug, Clone, PartialEq)]
pub struct IngressBackend {
    pub service: String,
    pub origin: Origin,
}

/// One `spec.tls[]` entry: the hosts its certificate serves and the Secret holding it.
#[derive(Debug, Clone, PartialEq)]
pub struct IngressTls {
    /// Each host, located at its list item.
    pub hosts: Vec<Located<String>>,
    pub secret: Option<Located<String>>,
    /// The entry itself.
    pub origin: Origin,
}

/// `pathType` of an Ingress path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr)]
pub enum PathType {
    Exact,
    Prefix,
    ImplementationSpecific,
}

/// A Service port as a backend names it: by number or by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PortRef {
    Number(u16),
    Name(String),
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(name) => f.write_str(name),
        }
    }
}

/// `backend.service` (v1) or `backend.serviceName`/`servicePort` (v1beta1).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRef {
    /// The name, located at its value.
    pub name: Located<String>,
    /// The port, located at its key (`number:`, `name:` or `servicePort:`).
    pub port: Option<Located<PortRef>>,
}

/// One path of one rule: what a cloud turns into a forwarding rule.
#[derive(Debug, Clone, PartialEq)]
pub struct IngressPath {
    /// `spec.rules[i].host`; `None` when absent or empty.
    pub host: Option<Located<String>>,
    /// `path`; `None` when absent (the root).
    pub path: Option<Located<String>>,
    /// `pathType`: `None` when absent, `Some(None)` when it is not a type Kubernetes knows (the
    /// reader reports that).
    pub path_type: Option<Located<Option<PathType>>>,
    /// CCE: `property."ingress.beta.kubernetes.io/url-match-mode"`, as written.
    pub match_mode: Option<Located<String>>,
    /// The Service it forwards to; `None` for a resource backend or none at all.
    pub backend: Option<ServiceRef>,
    /// Where the path is written: its `path:` key, else the list item.
    pub origin: Origin,
}

impl IngressPath {
    /// The `pathType` when it is one Kubernetes knows.
    pub fn path_type(&self) -> Option<PathType> {
        self.path_type.as_ref().and_then(|t| t.value)
    }
}
