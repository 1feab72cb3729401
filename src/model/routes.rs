//! The types of an Ingress's forwarding rules as the model holds them: each path as a route, the
//! rule annotations parsed once (`IngressFacts`), and TKE's rule-mix lists. Computed by
//! `ingress_rules.rs` and `rule_mix.rs`, which both stand on these and not on each other.

use serde::Serialize;
use strum::{Display, IntoStaticStr};

use super::ObjectId;
use crate::k8s::{Located, PortRef, Protocol};
use crate::source::Origin;

/// How a rule's path matches a request path.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Display, IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum MatchKind {
    Exact,
    Prefix,
    Regex,
}

/// CCE's `url-match-mode` values and what they mean.
pub const URL_MATCH_MODES: [(&str, MatchKind); 3] = [
    ("EQUAL_TO", MatchKind::Exact),
    ("STARTS_WITH", MatchKind::Prefix),
    ("REGEX", MatchKind::Regex),
];

/// The listeners of `kubernetes.io/elb.listen-ports`.
pub type ListenPorts = Vec<(Protocol, u16)>;

/// One path of an Ingress, as a forwarding rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Index into the Ingress's `paths`.
    pub index: usize,
    /// Lower-cased; `None` when the rule has no host (CCE: no domain condition; TKE: the CLB
    /// address).
    pub host: Option<String>,
    /// The path, `/` when none is written.
    pub path: String,
    pub match_kind: MatchKind,
    pub backend: Option<RouteBackend>,
    /// The path's `path:` key, or its list item.
    pub origin: Origin,
    /// TKE: the rule goes on the HTTP listener, the HTTPS listener (both with `rule-mix` listing
    /// it twice). CCE: both, since a CCE rule goes on every listener of its Ingress.
    pub on_http: bool,
    pub on_https: bool,
    /// TKE `rule-mix`: listed in neither `http-rules` nor `https-rules` (so it went to HTTPS).
    pub unlisted: bool,
}

/// The Service a rule forwards to.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteBackend {
    pub name: String,
    pub port: Option<PortRef>,
    /// The Service, when it is among the inputs of the Ingress's cluster and namespace.
    pub service: Option<ObjectId>,
    /// The Service port the backend names, when the Service has it.
    pub port_number: Option<u16>,
}

/// A CCE listener-level annotation an Ingress writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub key: &'static str,
    pub value: String,
    pub origin: Origin,
}

/// What an Ingress says about its forwarding rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IngressFacts {
    pub routes: Vec<Route>,
    /// `metadata.creationTimestamp`.
    pub created: Option<String>,

    // CCE
    /// `kubernetes.io/elb.listen-ports`, with its listeners when it is valid JSON.
    pub listen_ports: Option<Located<Option<ListenPorts>>>,
    /// `kubernetes.io/elb.ssl-redirect`.
    pub ssl_redirect: Option<Located<bool>>,
    /// `kubernetes.io/elb.redirect-url` and its code.
    pub redirect_url: Option<Located<String>>,
    pub redirect_code: Option<String>,
    /// `kubernetes.io/elb.listener-master-ingress` (written by CCE): `<namespace>/<name>`.
    pub master_ingress: Option<Located<String>>,
    /// The listener-level annotations written ([`crate::k8s::keys::ELB_LISTENER_SETTINGS`]).
    pub settings: Vec<Setting>,
    /// `kubernetes.io/elb.tls-certificate-ids`: the first is the server certificate, the others SNI.
    pub elb_certificates: Option<Located<Vec<String>>>,

    // TKE
    /// `ingress.cloud.tencent.com/enable-group`.
    pub enable_group: Option<Located<bool>>,
    /// `kubernetes.io/ingress.rule-mix`.
    pub rule_mix: Option<Located<bool>>,
    pub http_rules: Option<MixList>,
    pub https_rules: Option<MixList>,
    /// `auto-rewrite` and `rewrite-support` both `"true"`.
    pub auto_rewrite: bool,
}

impl IngressFacts {
    /// `rule-mix` is on.
    pub fn rule_mix_on(&self) -> bool {
        self.rule_mix.as_ref().is_some_and(|r| r.value)
    }
}

/// One entry of TKE's `http-rules` / `https-rules`.
#[derive(Debug, Clone, PartialEq)]
pub struct MixEntry {
    pub host: Option<String>,
    pub path: String,
    pub service: Option<String>,
    pub port: Option<String>,
    /// Some rule of the Ingress is this entry.
    pub matched: bool,
}

/// TKE's `http-rules` or `https-rules`: the entries, or why the JSON is not read.
#[derive(Debug, Clone, PartialEq)]
pub struct MixList {
    pub origin: Origin,
    pub entries: Result<Vec<MixEntry>, String>,
}
