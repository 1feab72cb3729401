//! The load-balancer view of one Service or Ingress: which load balancer it uses, which listeners it
//! claims, whether the load balancer reaches pods directly, and its cross-cluster weight.

use super::values::{parse_port, parse_weight, protocol_port_for};
use super::{ClusterId, Inventory, Mode, ObjectId};
use crate::facts::{Flavor, Provider};
use crate::k8s::Protocol;
use crate::k8s::{Object, Spec, keys};
use crate::source::Origin;

/// A listener an object asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub protocol: Protocol,
    pub port: u16,
    /// The port entry, or the annotation that sets the port.
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Frontend {
    pub object: ObjectId,
    pub cluster: ClusterId,
    pub provider: Option<Provider>,
    /// The cloud ID, or `auto:<cluster>/<namespace>/<name>` for a load balancer created per object.
    pub lb_id: String,
    pub lb_auto: bool,
    /// The ID annotation, or the object when the load balancer is auto-created.
    pub lb_origin: Origin,
    /// CCE `kubernetes.io/elb.class` (default `union`); `None` elsewhere.
    pub class: Option<String>,
    pub mode: Mode,
    pub multicluster: bool,
    /// A valid cross-cluster weight, when `multicluster` is on.
    pub weight: Option<u32>,
    pub claims: Vec<Claim>,
    /// Services whose pods back this frontend: the Service itself, or an Ingress's backends.
    pub backends: Vec<ObjectId>,
}

impl Frontend {
    pub fn is_ingress(&self, inv: &Inventory) -> bool {
        inv.object(self.object).as_ingress().is_some()
    }

    pub fn is_cce(&self) -> bool {
        self.provider.is_some_and(Provider::is_cce)
    }

    pub fn is_tke(&self) -> bool {
        self.provider.is_some_and(Provider::is_tke)
    }
}

/// The provider of an object: the cluster's, else what its annotations (or Ingress class) say.
pub fn provider_of(object: &Object, cluster: Option<Provider>) -> Option<Provider> {
    if cluster.is_some() {
        return cluster;
    }
    if let Some(class) = ingress_class(object) {
        match class {
            "cce" => return Some(Provider::HuaweiCce),
            "qcloud" => return Some(Provider::TencentTke),
            _ => {}
        }
    }
    let annotations = object.annotations();
    let cce = annotations
        .iter()
        .any(|a| a.key.starts_with(keys::ELB_PREFIX));
    let tke = annotations
        .iter()
        .any(|a| keys::TKE_PREFIXES.iter().any(|p| a.key.starts_with(p)));
    match (cce, tke) {
        (true, false) => Some(Provider::HuaweiCce),
        (false, true) => Some(Provider::TencentTke),
        _ => None,
    }
}

fn ingress_class(object: &Object) -> Option<&str> {
    let ingress = object.as_ingress()?;
    ingress
        .class_name
        .as_deref()
        .or_else(|| object.annotations().value(keys::INGRESS_CLASS))
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

/// Whether a cloud load balancer serves this Ingress: class `cce` or `qcloud`; or no class and the
/// provider's annotations; or no class on TKE, whose default Ingress controller is the CLB one.
fn is_cloud_ingress(object: &Object, cluster: Option<Provider>) -> bool {
    match ingress_class(object) {
        Some(class) => matches!(class, "cce" | "qcloud"),
        None => provider_of(object, None).is_some() || cluster.is_some_and(Provider::is_tke),
    }
}

pub fn build(inv: &Inventory, assumptions: &mut Vec<String>) -> Vec<Frontend> {
    let mut frontends = Vec::new();
    for (id, entry) in inv.manifest_objects() {
        let object = &entry.object;
        let cluster = inv.cluster(entry.cluster);
        let frontend = match &object.spec {
            Spec::Service(service) if service.is_load_balancer() => {
                let provider = provider_of(object, cluster.facts.provider);
                let mut f = base(inv, id, entry.cluster, provider, assumptions);
                let protocol_port = f
                    .is_cce()
                    .then(|| object.annotations().value(keys::ELB_PROTOCOL_PORT))
                    .flatten();
                f.claims = service
                    .ports
                    .iter()
                    .map(|p| Claim {
                        protocol: protocol_port
                            .and_then(|v| protocol_port_for(v, p.port))
                            .unwrap_or(p.protocol),
                        port: p.port,
                        origin: p.origin,
                    })
                    .collect();
                f.backends = vec![id];
                f
            }
            Spec::Ingress(ingress) if is_cloud_ingress(object, cluster.facts.provider) => {
                let provider = provider_of(object, cluster.facts.provider);
                let mut f = base(inv, id, entry.cluster, provider, assumptions);
                f.claims = ingress_claims(&f, object);
                for backend in &ingress.backends {
                    match inv
                        .targets
                        .service(entry.cluster, &object.meta.namespace, &backend.service)
                    {
                        Some(service) => f.backends.push(service),
                        None => assumptions.push(format!(
                            "{}: backend Service {}/{} is not in the inputs of cluster {}; it has no members",
                            object.label(),
                            object.meta.namespace,
                            backend.service,
                            cluster.name()
                        )),
                    }
                }
                f
            }
            _ => continue,
        };
        frontends.push(frontend);
    }
    frontends
}

/// Everything but the claims and backends, which depend on the kind.
fn base(
    inv: &Inventory,
    id: ObjectId,
    cluster_id: ClusterId,
    provider: Option<Provider>,
    assumptions: &mut Vec<String>,
) -> Frontend {
    let object = inv.object(id);
    let cluster = inv.cluster_of(id);
    let annotations = object.annotations();
    let is_ingress = object.as_ingress().is_some();
    let is_cce = provider.is_some_and(Provider::is_cce);
    let is_tke = provider.is_some_and(Provider::is_tke);

    let id_keys: &[&str] = match (provider, is_ingress) {
        (Some(p), false) if p.is_tke() => &[keys::TKE_EXISTED_LBID],
        (Some(p), true) if p.is_tke() => &[keys::TKE_INGRESS_EXIST_LBID],
        (Some(_), _) => &[keys::ELB_ID],
        (None, _) => &[
            keys::ELB_ID,
            keys::TKE_EXISTED_LBID,
            keys::TKE_INGRESS_EXIST_LBID,
        ],
    };
    let lb_annotation = id_keys
        .iter()
        .filter_map(|k| annotations.get(k))
        .find(|a| !a.value.trim().is_empty());
    let (lb_id, lb_auto, lb_origin) = match lb_annotation {
        Some(a) => (a.value.trim().to_string(), false, a.origin),
        None => {
            let kind = if is_ingress { "ingress/" } else { "" };
            let id = format!(
                "auto:{}/{}/{kind}{}",
                cluster.name(),
                object.meta.namespace,
                object.meta.name
            );
            (id, true, object.origin)
        }
    };

    let class = is_cce.then(|| {
        annotations
            .value(keys::ELB_CLASS)
            .map_or_else(|| "union".to_string(), |c| c.trim().to_string())
    });
    let mode = if is_tke {
        let key = if is_ingress {
            keys::TKE_INGRESS_DIRECT_ACCESS
        } else {
            keys::TKE_DIRECT_ACCESS
        };
        if annotations.is_true(key) {
            Mode::Pod
        } else {
            Mode::Node
        }
    } else if class.as_deref() == Some("performance") {
        match cluster.facts.flavor {
            Some(Flavor::Turbo) => Mode::Pod,
            Some(_) => Mode::Node,
            None => {
                assumptions.push(format!(
                    "{}: cluster {} flavor unknown; planned in node mode (a dedicated ELB passes through to pods only on CCE Turbo: set {})",
                    object.label(),
                    cluster.name(),
                    crate::facts::Fact::Flavor.how_to_set()
                ));
                Mode::Node
            }
        }
    } else {
        Mode::Node
    };
    let multicluster = is_cce && !is_ingress && annotations.is_true(keys::ELB_MULTICLUSTER);
    let weight = multicluster
        .then(|| annotations.value(keys::ELB_MULTICLUSTER_WEIGHT))
        .flatten()
        .and_then(parse_weight);
    if provider.is_none() {
        assumptions.push(format!(
            "{}: provider unknown (no CCE or TKE annotations); member weights unknown: set {}",
            object.label(),
            crate::facts::Fact::Provider.how_to_set()
        ));
    }
    Frontend {
        object: id,
        cluster: cluster_id,
        provider,
        lb_id,
        lb_auto,
        lb_origin,
        class,
        mode,
        multicluster,
        weight,
        claims: Vec::new(),
        backends: Vec::new(),
    }
}

/// CCE: one listener on `kubernetes.io/elb.port` (HTTPS with `spec.tls`, default 443, else HTTP,
/// default 80). TKE: HTTP 80, plus HTTPS 443 with `spec.tls`.
fn ingress_claims(f: &Frontend, object: &Object) -> Vec<Claim> {
    let tls = object.as_ingress().and_then(|i| i.tls);
    if f.is_tke() {
        let mut claims = vec![Claim {
            protocol: Protocol::Http,
            port: 80,
            origin: f.lb_origin,
        }];
        if let Some(tls) = tls {
            claims.push(Claim {
                protocol: Protocol::Https,
                port: 443,
                origin: tls,
            });
        }
        return claims;
    }
    let port_annotation = object.annotations().get(keys::ELB_PORT);
    let (protocol, default_port) = match tls {
        Some(_) => (Protocol::Https, 443),
        None => (Protocol::Http, 80),
    };
    let (port, origin) = match port_annotation.and_then(|a| parse_port(&a.value).map(|p| (p, a))) {
        Some((port, a)) => (port, a.origin),
        None => (default_port, tls.unwrap_or(f.lb_origin)),
    };
    vec![Claim {
        protocol,
        port,
        origin,
    }]
}
