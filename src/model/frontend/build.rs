//! Building the frontends of a run: which objects a cloud load balancer serves, and what their
//! annotations say, parsed once.

use super::lifecycle::{asks_no_elb, auto_create, created_lb};
use super::{Claim, ElbClass, Frontend, FrontendKind, LbRef, ListenerAnnotations, on};
use crate::facts::{Flavor, Provider};
use crate::k8s::annotations::{is_on, parse_port, parse_weight, protocol_port_for};
use crate::k8s::{Annotations, Located, Object, Protocol, Spec, keys};
use crate::model::ingress_rules::{self, IngressFacts};
use crate::model::{Assumption, ClusterId, Inventory, Mode, ObjectId, lb_id};

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

/// The frontends of every definition, shadowed copies included (rules about one object check each
/// copy); only the definitions the plan uses add to `assumptions`.
pub fn build(inv: &Inventory, planned_assumptions: &mut Vec<Assumption>) -> Vec<Frontend> {
    let mut frontends = Vec::new();
    let mut ignored = Vec::new();
    let inferred = annotated_providers(inv);
    for (id, entry) in inv.definitions() {
        let object = &entry.object;
        let cluster = inv.cluster(entry.cluster);
        // TKE's default Ingress controller is the CLB one: an Ingress without a class is TKE's
        // where the cluster is TKE, given or shown by every other object's annotations.
        let ingress_provider = cluster.facts.provider.or_else(|| {
            inferred
                .get(entry.cluster.index())
                .copied()
                .flatten()
                .filter(|p| p.is_tke())
        });
        let assumptions = if entry.shadowed_by.is_none() {
            &mut *planned_assumptions
        } else {
            ignored.clear();
            &mut ignored
        };
        let frontend = match &object.spec {
            // A LoadBalancer Service without ports is refused (LB001) and has nothing to plan.
            Spec::Service(service) if service.is_load_balancer() && !service.ports.is_empty() => {
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
            Spec::Ingress(ingress) if is_cloud_ingress(object, ingress_provider) => {
                let provider = provider_of(object, ingress_provider);
                let mut f = base(inv, id, entry.cluster, provider, assumptions);
                let facts = ingress_rules::facts(inv, id, provider, object, ingress);
                f.claims = ingress_claims(&f, object, &facts, assumptions);
                if ingress.default_backend.is_some() {
                    assumptions.push(Assumption::DefaultBackendNotPlanned {
                        ingress: object.label().to_string(),
                    });
                }
                if f.is_tke() && ingress.tls.is_some() && !facts.rule_mix_on() {
                    assumptions.push(Assumption::TkeHttpWithTls {
                        ingress: object.label().to_string(),
                    });
                }
                f.ingress = Some(Box::new(facts));
                for backend in &ingress.backends {
                    match inv
                        .targets
                        .service(inv, id, &object.meta.namespace, &backend.service)
                    {
                        Some(service) => f.backends.push(service),
                        None => assumptions.push(Assumption::BackendMissing {
                            ingress: object.label().to_string(),
                            namespace: object.meta.namespace.clone(),
                            service: backend.service.clone(),
                            cluster: cluster.name().to_string(),
                        }),
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

/// The provider each cluster's load-balanced objects name by their annotations (or Ingress
/// class), when they all name the same one; what the plan's facts show as the cluster's provider
/// from annotations.
fn annotated_providers(inv: &Inventory) -> Vec<Option<Provider>> {
    let mut named: Vec<Option<Option<Provider>>> = vec![None; inv.clusters.len()];
    for (_, entry) in inv.definitions() {
        let object = &entry.object;
        let served = match &object.spec {
            Spec::Service(service) => service.is_load_balancer(),
            Spec::Ingress(_) => true,
            _ => false,
        };
        let Some(provider) = served.then(|| provider_of(object, None)).flatten() else {
            continue;
        };
        if let Some(slot) = named.get_mut(entry.cluster.index()) {
            *slot = match *slot {
                None => Some(Some(provider)),
                Some(Some(p)) if p == provider => Some(Some(p)),
                Some(_) => Some(None),
            };
        }
    }
    named.into_iter().map(Option::flatten).collect()
}

/// Everything but the claims and backends, which depend on the kind.
fn base(
    inv: &Inventory,
    id: ObjectId,
    cluster_id: ClusterId,
    provider: Option<Provider>,
    assumptions: &mut Vec<Assumption>,
) -> Frontend {
    let object = inv.object(id);
    let cluster = inv.cluster_of(id);
    let annotations = object.annotations();
    let kind = if object.as_ingress().is_some() {
        FrontendKind::Ingress
    } else {
        FrontendKind::Service
    };
    let is_cce = provider.is_some_and(Provider::is_cce);
    let is_tke = provider.is_some_and(Provider::is_tke);
    // Annotations of one provider family, read only where that provider's controller reads them.
    let cce = |key: &str| annotations.get(key).filter(|_| is_cce);
    let tke = |key: &str| annotations.get(key).filter(|_| is_tke);
    let flag = |a: Option<&crate::k8s::Annotation>| {
        a.map(|a| Located {
            value: is_on(&a.key, &a.value),
            origin: a.origin,
        })
    };

    let mut f = Frontend {
        object: id,
        cluster: cluster_id,
        kind,
        provider,
        lb: lb_ref(object, annotations, provider, kind, &inv.scope_name(id)),
        mode: Mode::Node,
        claims: Vec::new(),
        backends: Vec::new(),
        class: cce(keys::ELB_CLASS).map(|a| Located {
            value: ElbClass::parse(&a.value),
            origin: a.origin,
        }),
        autocreate: cce(keys::ELB_AUTOCREATE).map(|a| a.origin),
        autocreate_spec: cce(keys::ELB_AUTOCREATE).and_then(|a| auto_create(&a.value)),
        created_lb: created_lb(annotations, is_cce, is_tke),
        no_elb: is_cce && kind == FrontendKind::Service && asks_no_elb(annotations),
        multicluster: flag(cce(keys::ELB_MULTICLUSTER)),
        weight: cce(keys::ELB_MULTICLUSTER_WEIGHT).map(|a| Located {
            value: parse_weight(&a.value),
            origin: a.origin,
        }),
        multivpc: flag(cce(keys::ELB_MULTIVPC)),
        pass_through: flag(cce(keys::ELB_PASS_THROUGH)),
        adaptive_weight: flag(cce(keys::ELB_ADAPTIVE_WEIGHT)),
        custom_backend_weights: cce(keys::ELB_CUSTOM_BACKEND_WEIGHTS).map(|a| a.origin),
        recycle_policy: cce(keys::ELB_RECYCLE_POLICY).and_then(|a| {
            Some(Located {
                value: a.value.parse().ok()?,
                origin: a.origin,
            })
        }),
        direct_access: flag(tke(match kind {
            FrontendKind::Service => keys::TKE_DIRECT_ACCESS,
            FrontendKind::Ingress => keys::TKE_INGRESS_DIRECT_ACCESS,
        })),
        weighted_balance: flag(tke(keys::TKE_LOCAL_WEIGHTED_BALANCE)),
        bind_node_with_pod: flag(tke(keys::TKE_LOCAL_BIND_NODE_WITH_POD)),
        backends_label: tke(keys::TKE_BACKENDS_LABEL).map(|a| Located {
            value: a.value.trim().to_string(),
            origin: a.origin,
        }),
        listener: ListenerAnnotations::of(provider, kind == FrontendKind::Ingress, annotations),
        ingress: None,
    };
    f.mode = if is_tke {
        if on(f.direct_access.as_ref()) {
            Mode::Pod
        } else {
            Mode::Node
        }
    } else if f.is_dedicated() {
        match cluster.facts.flavor {
            Some(Flavor::Turbo) => Mode::Pod,
            Some(_) => Mode::Node,
            None => {
                assumptions.push(Assumption::FlavorUnknown {
                    object: object.label().to_string(),
                    cluster: cluster.name().to_string(),
                });
                Mode::Node
            }
        }
    } else {
        Mode::Node
    };
    if provider.is_none() {
        assumptions.push(Assumption::ProviderUnknown {
            object: object.label().to_string(),
        });
    }
    f
}

/// The annotations that name an existing load balancer on `provider`'s cloud (any of them when
/// the provider is unknown), for a Service or an Ingress.
pub fn id_keys(provider: Option<Provider>, is_ingress: bool) -> &'static [&'static str] {
    match (provider, is_ingress) {
        (Some(p), false) if p.is_tke() => &[keys::TKE_EXISTED_LBID],
        (Some(p), true) if p.is_tke() => &[keys::TKE_INGRESS_EXIST_LBID],
        (Some(_), _) => &[keys::ELB_ID],
        (None, _) => &[
            keys::ELB_ID,
            keys::TKE_EXISTED_LBID,
            keys::TKE_INGRESS_EXIST_LBID,
        ],
    }
}

/// The load balancer named by the provider's ID annotation (any of them when the provider is
/// unknown), else one auto-created for the object. A placeholder (`<your-elb-id>`, see
/// `model/lb_id.rs`) names none: the object gets a load balancer of its own, keyed
/// `placeholder:<cluster>/<namespace>/<name>`, never shared.
fn lb_ref(
    object: &Object,
    annotations: &Annotations,
    provider: Option<Provider>,
    kind: FrontendKind,
    cluster: &str,
) -> LbRef {
    let is_ingress = kind == FrontendKind::Ingress;
    let named = id_keys(provider, is_ingress)
        .iter()
        .filter_map(|k| annotations.get(k))
        .find(|a| !a.value.trim().is_empty());
    let kind = if is_ingress { "ingress/" } else { "" };
    if let Some(a) = named {
        let id = if lb_id::is_placeholder(&a.value) {
            format!(
                "placeholder:{cluster}/{}/{kind}{}",
                object.meta.namespace, object.meta.name
            )
        } else {
            a.value.trim().to_string()
        };
        return LbRef::Existing {
            id,
            origin: a.origin,
        };
    }
    LbRef::Auto {
        id: format!(
            "auto:{cluster}/{}/{kind}{}",
            object.meta.namespace, object.meta.name
        ),
        origin: object.origin,
    }
}

/// CCE: the listeners of `kubernetes.io/elb.listen-ports` when it is valid, else one on
/// `kubernetes.io/elb.port` (HTTPS with `spec.tls`, default 443, else HTTP, default 80). TKE: HTTP
/// 80, plus HTTPS 443 with `spec.tls`.
fn ingress_claims(
    f: &Frontend,
    object: &Object,
    facts: &IngressFacts,
    assumptions: &mut Vec<Assumption>,
) -> Vec<Claim> {
    let tls = object.as_ingress().and_then(|i| i.tls);
    if f.is_tke() {
        let mut claims = vec![Claim {
            protocol: Protocol::Http,
            port: 80,
            origin: f.lb.origin(),
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
    match &facts.listen_ports {
        Some(Located {
            value: Some(ports),
            origin,
        }) => {
            let mut claims: Vec<Claim> = Vec::with_capacity(ports.len());
            for &(protocol, port) in ports {
                if !claims
                    .iter()
                    .any(|c| c.protocol == protocol && c.port == port)
                {
                    claims.push(Claim {
                        protocol,
                        port,
                        origin: *origin,
                    });
                }
            }
            return claims;
        }
        Some(Located { value: None, .. }) => assumptions.push(Assumption::ListenPortsInvalid {
            ingress: object.label().to_string(),
        }),
        None => {}
    }
    let port_annotation = object.annotations().get(keys::ELB_PORT);
    let (protocol, default_port) = match tls {
        Some(_) => (Protocol::Https, 443),
        None => (Protocol::Http, 80),
    };
    let (port, origin) = match port_annotation.and_then(|a| parse_port(&a.value).map(|p| (p, a))) {
        Some((port, a)) => (port, a.origin),
        None => (default_port, tls.unwrap_or(f.lb.origin())),
    };
    vec![Claim {
        protocol,
        port,
        origin,
    }]
}
