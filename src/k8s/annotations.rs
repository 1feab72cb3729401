//! The annotation values lbplan understands, in one table, and the parsers for them. The model
//! reads what is valid (see `model::frontend`) and the validation rules (LB010-LB024) report what is
//! not, with the same parsers, so the two can never disagree on what a value means.

use super::{Protocol, keys};

/// The cloud whose controller reads an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Huawei CCE and CT Cloud CCE.
    Cce,
    /// Tencent TKE.
    Tke,
}

/// What an annotation's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `"true"` or `"false"`, compared exactly as the controllers do; `also` lists other words
    /// that turn the feature on (`onlyLocal` for pass-through).
    Bool { also: &'static [&'static str] },
    /// An integer from 0 to 100, digits only.
    Weight,
    /// One of these words, exactly.
    Word(&'static [&'static str]),
    /// Free text (IDs, JSON, lists) that the rules about it parse, if any.
    Text,
}

/// The objects whose annotations a controller reads a key on (shared/research/ground_truth.md
/// §1, §3.1; ingress-l7.md §1.2, §2). `Any` also stands for "not documented as one-sided": only a
/// key the sources tie to one kind is judged on the other (LB024).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objects {
    Service,
    Ingress,
    Any,
}

/// One annotation, or a family of them: its key (or key prefix), who reads it, on which objects,
/// and what its value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub key: &'static str,
    /// `key` is a prefix: the row stands for every key that starts with it.
    pub prefix: bool,
    pub family: Family,
    pub kind: ValueKind,
    pub objects: Objects,
    /// The key that does the same on the other kind of object, where the sources name one.
    pub counterpart: Option<&'static str>,
}

const fn row(key: &'static str, family: Family, kind: ValueKind, objects: Objects) -> Row {
    Row {
        key,
        prefix: false,
        family,
        kind,
        objects,
        counterpart: None,
    }
}

/// A key read on one kind of object, whose twin on the other kind is `counterpart`.
const fn twin(key: &'static str, objects: Objects, counterpart: &'static str) -> Row {
    Row {
        key,
        prefix: false,
        family: Family::Tke,
        kind: ValueKind::Bool { also: &[] },
        objects,
        counterpart: Some(counterpart),
    }
}

/// Every key that starts with `key`.
const fn family(key: &'static str, family: Family, objects: Objects) -> Row {
    Row {
        key,
        prefix: true,
        family,
        kind: ValueKind::Text,
        objects,
        counterpart: None,
    }
}

const BOOL: ValueKind = ValueKind::Bool { also: &[] };

use Family::{Cce, Tke};
use Objects::{Any, Ingress, Service};

/// The annotations lbplan knows: those whose values have a fixed form (checked by LB010-LB023),
/// and those the sources tie to Services or to Ingresses (LB024). Keys not listed are free text
/// read on either kind, or not the clouds' at all.
pub const TABLE: [Row; 45] = [
    // Values with a fixed form.
    row(
        keys::ELB_CLASS,
        Cce,
        ValueKind::Word(&["union", "performance"]),
        Any,
    ),
    // Cross-cluster backends and pass-through: LoadBalancer Services (CCE-0682, CCE-0355).
    row(keys::ELB_MULTICLUSTER, Cce, BOOL, Service),
    row(
        keys::ELB_MULTICLUSTER_WEIGHT,
        Cce,
        ValueKind::Weight,
        Service,
    ),
    row(
        keys::ELB_RECYCLE_POLICY,
        Cce,
        ValueKind::Word(&["member-only", "cascade"]),
        Service,
    ),
    row(keys::ELB_MULTIVPC, Cce, BOOL, Service),
    row(
        keys::ELB_PASS_THROUGH,
        Cce,
        ValueKind::Bool {
            also: &["onlyLocal"],
        },
        Service,
    ),
    row(keys::ELB_ADAPTIVE_WEIGHT, Cce, BOOL, Any),
    row(
        keys::ELB_LB_ALGORITHM,
        Cce,
        ValueKind::Word(&keys::ELB_LB_ALGORITHMS),
        Any,
    ),
    row(keys::TKE_SHARE_EXISTED_LB, Tke, BOOL, Service),
    twin(
        keys::TKE_DIRECT_ACCESS,
        Service,
        keys::TKE_INGRESS_DIRECT_ACCESS,
    ),
    twin(
        keys::TKE_INGRESS_DIRECT_ACCESS,
        Ingress,
        keys::TKE_DIRECT_ACCESS,
    ),
    row(keys::TKE_SERVICE_CONFIG_AUTO, Tke, BOOL, Service),
    row(keys::TKE_LOCAL_BIND_NODE_WITH_POD, Tke, BOOL, Service),
    row(keys::TKE_LOCAL_WEIGHTED_BALANCE, Tke, BOOL, Service),
    // Per-pod weights: pod annotations, which LB217 and LB023 follow; not judged here.
    row(keys::TKE_CUSTOM_WEIGHT, Tke, ValueKind::Weight, Any),
    row(keys::TKE_INGRESS_CUSTOM_WEIGHT, Tke, ValueKind::Weight, Any),
    // CCE: HTTP/HTTPS on a Service's own ports (CCE-0683); an Ingress listens on elb.port or
    // elb.listen-ports.
    row(keys::ELB_PROTOCOL_PORT, Cce, ValueKind::Text, Service),
    // CCE Ingresses only (ingress-l7.md §1.1, §1.2): listeners, priorities, redirects, rewrites,
    // per-Service conditions, actions and headers, and the first route CCE writes.
    row(keys::ELB_PORT, Cce, ValueKind::Text, Ingress),
    row(
        "kubernetes.io/elb.listen-ports",
        Cce,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/elb.ingress-order",
        Cce,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/elb.rule-priority-enabled",
        Cce,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/elb.rewrite-target",
        Cce,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/elb.redirect-url",
        Cce,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/elb.redirect-url-code",
        Cce,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/elb.ssl-redirect",
        Cce,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/elb.listener-master-ingress",
        Cce,
        ValueKind::Text,
        Ingress,
    ),
    family("kubernetes.io/elb.conditions.", Cce, Ingress),
    family("kubernetes.io/elb.actions.", Cce, Ingress),
    family("kubernetes.io/elb.headers.", Cce, Ingress),
    // Every other CCE key, on either kind.
    family(keys::ELB_PREFIX, Cce, Any),
    // TKE: the Service annotations (ServiceAnnotation page, §3.1) and the Ingress ones
    // (IngressAnnotation page, ingress-l7.md §2).
    Row {
        counterpart: Some(keys::TKE_INGRESS_EXIST_LBID),
        ..row(keys::TKE_EXISTED_LBID, Tke, ValueKind::Text, Service)
    },
    Row {
        counterpart: Some(keys::TKE_EXISTED_LBID),
        ..row(keys::TKE_INGRESS_EXIST_LBID, Tke, ValueKind::Text, Ingress)
    },
    family("service.cloud.tencent.com/", Tke, Service),
    family("service.kubernetes.io/tke-", Tke, Service),
    family("service.kubernetes.io/qcloud-", Tke, Service),
    family("service.kubernetes.io/local-svc-", Tke, Service),
    family("service.kubernetes.io/loadbalance-", Tke, Service),
    row(
        "service.kubernetes.io/service.extensiveParameters",
        Tke,
        ValueKind::Text,
        Service,
    ),
    family("ingress.cloud.tencent.com/", Tke, Ingress),
    row(
        "kubernetes.io/ingress.subnetId",
        Tke,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/ingress.http-rules",
        Tke,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/ingress.https-rules",
        Tke,
        ValueKind::Text,
        Ingress,
    ),
    row(
        "kubernetes.io/ingress.rule-mix",
        Tke,
        ValueKind::Text,
        Ingress,
    ),
    family("kubernetes.io/ingress.qcloud-", Tke, Ingress),
    family("kubernetes.io/ingress.internet", Tke, Ingress),
];

/// The row of `key` itself, if the table lists it (not a family's).
pub fn lookup(key: &str) -> Option<&'static Row> {
    TABLE.iter().find(|r| !r.prefix && r.key == key)
}

/// The row that describes `key`: its own, else the family with the longest matching prefix.
/// `None` for keys that are not the clouds' load-balancer annotations.
pub fn row_of(key: &str) -> Option<&'static Row> {
    lookup(key).or_else(|| {
        TABLE
            .iter()
            .filter(|r| r.prefix && key.starts_with(r.key))
            .max_by_key(|r| r.key.len())
    })
}

impl ValueKind {
    /// Whether `value` is one the controller accepts.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            ValueKind::Bool { also } => matches!(value, "true" | "false") || also.contains(&value),
            ValueKind::Weight => parse_weight(value).is_some(),
            ValueKind::Word(words) => words.contains(&value),
            ValueKind::Text => true,
        }
    }

    /// The accepted values in words, for messages: `"true", "false" or "onlyLocal"`.
    pub fn allowed(self) -> String {
        let quoted: Vec<String> = match self {
            ValueKind::Bool { also } => ["true", "false"]
                .iter()
                .chain(also)
                .map(|w| format!("\"{w}\""))
                .collect(),
            ValueKind::Word(words) => words.iter().map(|w| (*w).to_string()).collect(),
            ValueKind::Weight => return "an integer from 0 to 100".to_string(),
            ValueKind::Text => return "any text".to_string(),
        };
        match quoted.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Whether a boolean annotation turns its feature on: exactly `"true"` (or one of the row's other
/// words), as the controllers compare it; anything else means off.
pub fn is_on(key: &str, value: &str) -> bool {
    match lookup(key).map(|r| r.kind) {
        Some(ValueKind::Bool { also }) => value == "true" || also.contains(&value),
        _ => value == "true",
    }
}

/// A cross-cluster or CLB weight: an integer 0-100, digits only. Neither cloud's parser is public;
/// Go's `strconv.Atoi`, which Kubernetes controllers commonly use, refuses spaces (`" 80"`), and
/// lbplan takes no sign either (`"+80"`): only the plain digits the documentation writes.
pub fn parse_weight(value: &str) -> Option<u32> {
    let v = value;
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u32>().ok().filter(|&w| w <= 100)
}

/// A listener port 1-65535, digits only.
pub fn parse_port(value: &str) -> Option<u16> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u16>().ok().filter(|&p| p > 0)
}

/// One `proto:port` entry of `kubernetes.io/elb.protocol-port`, as slices of the value so that
/// findings can point at the entry itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolPortEntry<'a> {
    pub text: &'a str,
    /// `http` or `https` (the documented spelling, lower case).
    pub protocol: Option<Protocol>,
    pub port: Option<u16>,
    /// The entry has the `proto:port` form at all.
    pub well_formed: bool,
}

/// Split `https:443,http:80` into entries. Empty entries (a trailing comma) are kept, as malformed.
pub fn protocol_port_entries(value: &str) -> Vec<ProtocolPortEntry<'_>> {
    value
        .split(',')
        .map(|raw| {
            let text = raw.trim();
            match text.split_once(':') {
                Some((proto, port)) => ProtocolPortEntry {
                    text,
                    protocol: match proto.trim() {
                        "http" => Some(Protocol::Http),
                        "https" => Some(Protocol::Https),
                        _ => None,
                    },
                    port: parse_port(port),
                    well_formed: !proto.trim().is_empty() && !port.trim().is_empty(),
                },
                None => ProtocolPortEntry {
                    text,
                    protocol: None,
                    port: None,
                    well_formed: false,
                },
            }
        })
        .collect()
}

/// The L7 protocol `elb.protocol-port` gives `port`, if a valid entry names it.
pub fn protocol_port_for(value: &str, port: u16) -> Option<Protocol> {
    protocol_port_entries(value)
        .into_iter()
        .find(|e| e.port == Some(port) && e.protocol.is_some())
        .and_then(|e| e.protocol)
}

#[cfg(test)]
mod tests;
