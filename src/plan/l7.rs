//! The forwarding rules of an HTTP/HTTPS listener and the backend groups they forward to
//! (shared/research/ingress-l7.md).
//!
//! - Which Ingress comes first: CCE applies the listener settings of the earliest-created Ingress
//!   ("first route"), and a repeated rule fails on the later Ingress. The manifests rarely say
//!   which was created first: `kubernetes.io/elb.listener-master-ingress` (written by CCE), else
//!   `metadata.creationTimestamp`, else the input order stands in, and the plan says which.
//! - Duplicates: CCE refuses a second forwarding policy with the same host, path and match kind
//!   on one listener; TKE requires each host + path to be unique on a listener. Found with one
//!   hash map, in time linear in the rules.
//! - Order: as CCE evaluates them by default (host rules first; exact, then prefix, then regex;
//!   longer paths first). TKE's order is not documented; the same order is shown.
//! - Groups: CCE makes one backend group per (listener, Service, Service port), shared by every
//!   rule forwarding there; on TKE each rule has its own targets. Members and weights come from
//!   the same calculation as a Service's.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::forwarding::{FirstRouteBy, ForwardingRule, RuleAction, RuleRef, RuleStatus};
use super::group_spec::group_spec;
use super::index::{GroupSource, ListenerClaim, RuleSource};
use super::settings::listener_settings;
use super::types::{BackendGroup, GroupKind};
use super::weights::weigh;
use crate::k8s::Protocol;
use crate::model::ingress_rules::{MatchKind, Route};
use crate::model::{Frontend, FrontendId, Inventory, PlacementId};

/// The L7 part of one listener, with its index entries.
pub(super) struct L7Listener {
    pub rules: Vec<ForwardingRule>,
    pub sources: Vec<RuleSource>,
    pub groups: Vec<(BackendGroup, Option<GroupSource>)>,
    pub settings: Option<super::forwarding::ListenerSettings>,
    pub ingresses: Vec<FrontendId>,
}

/// A rule before ordering.
struct Candidate {
    rule: ForwardingRule,
    source: RuleSource,
    /// Index among the candidates of the rule it repeats.
    first: Option<usize>,
}

/// What makes a group: CCE (cluster, placement, namespace, Service, port); TKE the rule itself.
#[derive(Clone, PartialEq, Eq, Hash)]
enum GroupKey {
    Service(usize, Option<PlacementId>, String, String, String),
    Rule(usize),
}

/// The Ingresses of a listener, first route first, and how that was decided.
fn first_route_order(inv: &Inventory, ingresses: &[FrontendId]) -> (Vec<FrontendId>, FirstRouteBy) {
    let mut order = ingresses.to_vec();
    let facts = |fid: FrontendId| inv.frontend(fid).ingress.as_deref();
    let mut by_name: HashMap<(&str, &str), FrontendId> = HashMap::new();
    for &fid in ingresses {
        let meta = &inv.object(inv.frontend(fid).object).meta;
        by_name
            .entry((meta.namespace.as_str(), meta.name.as_str()))
            .or_insert(fid);
    }
    let named = ingresses.iter().find_map(|&fid| {
        let master = facts(fid)?.master_ingress.as_ref()?;
        let (namespace, name) = master.value.split_once('/')?;
        by_name.get(&(namespace, name)).copied()
    });
    if let Some(master) = named {
        order.retain(|&f| f != master);
        order.insert(0, master);
        return (order, FirstRouteBy::ListenerMasterIngress);
    }
    if ingresses
        .iter()
        .any(|&f| facts(f).is_some_and(|x| x.created.is_some()))
    {
        // Objects created earlier than the ones still to be applied come first.
        order.sort_by_cached_key(|&f| {
            let created = facts(f).and_then(|x| x.created.clone());
            (created.is_none(), created)
        });
        return (order, FirstRouteBy::CreationTimestamp);
    }
    (order, FirstRouteBy::InputOrder)
}

/// The rules, groups and settings of a listener from its Ingress claims.
pub(super) fn listener(
    inv: &Inventory,
    protocol: Protocol,
    claims: &[ListenerClaim],
) -> L7Listener {
    let ingresses: Vec<FrontendId> = claims
        .iter()
        .map(|c| c.frontend)
        .filter(|&f| inv.frontend(f).ingress.is_some())
        .collect();
    let (order, chosen_by) = first_route_order(inv, &ingresses);
    let mut candidates: Vec<Candidate> = Vec::new();
    for &fid in &order {
        let f = inv.frontend(fid);
        let Some(facts) = f.ingress.as_deref() else {
            continue;
        };
        let object = inv.qualified_label(f.object);
        for (i, route) in facts.routes.iter().enumerate() {
            let on_listener = f.is_cce()
                || match protocol {
                    Protocol::Http => route.on_http,
                    Protocol::Https => route.on_https,
                    _ => false,
                };
            let source = RuleSource {
                frontend: fid,
                route: i,
                origin: route.origin,
                generated: false,
            };
            if on_listener {
                let action = user_action(inv, f, protocol, route);
                candidates.push(candidate(f, route, &object, action, source));
            }
            // TKE auto-rewrite: every HTTPS rule gets a redirect on HTTP 80.
            if f.is_tke() && facts.auto_rewrite && protocol == Protocol::Http && route.on_https {
                let action = RuleAction::Redirect {
                    to: "HTTPS:443".into(),
                };
                let generated = RuleSource {
                    generated: true,
                    ..source
                };
                candidates.push(candidate(f, route, &object, action, generated));
            }
        }
    }
    mark_duplicates(inv, &mut candidates);
    let groups = make_groups(inv, &mut candidates);
    let (rules, sources) = in_evaluation_order(candidates);
    let settings = (!order.is_empty() && order.iter().all(|&f| inv.frontend(f).is_cce()))
        .then(|| listener_settings(inv, protocol, &order, chosen_by));
    L7Listener {
        rules,
        sources,
        groups,
        settings,
        ingresses: order,
    }
}

fn candidate(
    f: &Frontend,
    route: &Route,
    object: &str,
    action: RuleAction,
    source: RuleSource,
) -> Candidate {
    Candidate {
        rule: ForwardingRule {
            host: route.host.clone(),
            path: route.path.clone(),
            match_kind: route.match_kind,
            object: object.to_string(),
            file: String::new(),
            line: 0,
            action,
            status: RuleStatus::Active,
            duplicate_of: None,
            vip_host: f.is_tke() && route.host.is_none(),
        },
        source,
        first: None,
    }
}

/// What a rule the user wrote does: forward, or redirect (CCE `redirect-url`, and `ssl-redirect`
/// on the HTTP listener of an Ingress that also listens on HTTPS).
fn user_action(inv: &Inventory, f: &Frontend, protocol: Protocol, route: &Route) -> RuleAction {
    let facts = f.ingress.as_deref();
    if f.is_cce() {
        if let Some(url) = facts.and_then(|x| x.redirect_url.as_ref()) {
            return RuleAction::Redirect {
                to: url.value.clone(),
            };
        }
        let https_port = facts
            .filter(|x| x.ssl_redirect.as_ref().is_some_and(|s| s.value))
            .and_then(|x| x.listen_ports.as_ref()?.value.as_ref())
            .and_then(|ports| ports.iter().find(|(p, _)| *p == Protocol::Https))
            .map(|(_, port)| *port);
        if let (Protocol::Http, Some(port)) = (protocol, https_port) {
            return RuleAction::Redirect {
                to: format!("HTTPS:{port}"),
            };
        }
    }
    let namespace = &inv.object(f.object).meta.namespace;
    let backend = route.backend.as_ref().map_or_else(
        || "(no Service)".to_string(),
        |b| {
            let port = match (b.port_number, &b.port) {
                (Some(n), _) => n.to_string(),
                (None, Some(p)) => p.to_string(),
                (None, None) => "?".into(),
            };
            format!("{namespace}/{}:{port}", b.name)
        },
    );
    RuleAction::Forward {
        group: None,
        backend,
    }
}

/// Mark each rule that repeats an earlier one: CCE compares host, path and match kind, TKE host
/// and path (one hash lookup per rule). Rules of two placements (copies planned once per folder)
/// never repeat each other.
fn mark_duplicates(inv: &Inventory, candidates: &mut [Candidate]) {
    type Key = (Option<String>, String, Option<MatchKind>);
    let mut first: HashMap<Key, Vec<(Option<PlacementId>, usize)>> =
        HashMap::with_capacity(candidates.len());
    for (i, c) in candidates.iter_mut().enumerate() {
        let f = inv.frontend(c.source.frontend);
        let placement = inv.placed(f.object).placement;
        let kind = (!f.is_tke()).then_some(c.rule.match_kind);
        let key = (c.rule.host.clone(), c.rule.path.clone(), kind);
        let earlier = first.entry(key).or_default();
        let meets = |p: Option<PlacementId>| p.is_none() || placement.is_none() || p == placement;
        match earlier.iter().find(|(p, _)| meets(*p)) {
            Some(&(_, at)) => {
                c.first = Some(at);
                c.rule.status = RuleStatus::Duplicate;
            }
            None => earlier.push((placement, i)),
        }
    }
}

/// The groups of the active forwarding rules; each rule learns its group's name.
fn make_groups(
    inv: &Inventory,
    candidates: &mut [Candidate],
) -> Vec<(BackendGroup, Option<GroupSource>)> {
    let mut groups: Vec<(BackendGroup, Option<GroupSource>)> = Vec::new();
    let mut by_key: HashMap<GroupKey, usize> = HashMap::new();
    for pass_duplicates in [false, true] {
        for (i, c) in candidates.iter_mut().enumerate() {
            let duplicate = c.rule.status == RuleStatus::Duplicate;
            if duplicate != pass_duplicates {
                continue;
            }
            let RuleAction::Forward { group, .. } = &mut c.rule.action else {
                continue;
            };
            let f = inv.frontend(c.source.frontend);
            let Some(route) = f
                .ingress
                .as_deref()
                .and_then(|x| x.routes.get(c.source.route))
            else {
                continue;
            };
            let Some(backend) = &route.backend else {
                continue;
            };
            let key = if f.is_tke() {
                GroupKey::Rule(i)
            } else {
                let port = backend
                    .port_number
                    .map(|n| n.to_string())
                    .or_else(|| backend.port.as_ref().map(ToString::to_string))
                    .unwrap_or_default();
                let namespace = inv.object(f.object).meta.namespace.clone();
                let placement = inv.placed(f.object).placement;
                GroupKey::Service(
                    f.cluster.index(),
                    placement,
                    namespace,
                    backend.name.clone(),
                    port,
                )
            };
            if let Some(&at) = by_key.get(&key) {
                *group = groups.get(at).map(|(g, _)| g.name.clone());
                continue;
            }
            // A repeated rule is refused: it adds a group only on CCE, where the group is
            // made for the Service before the rule fails, and then only if another rule uses it.
            if duplicate {
                continue;
            }
            let name = match &key {
                GroupKey::Service(..) => {
                    let RuleAction::Forward { backend, .. } = &c.rule.action else {
                        continue;
                    };
                    if inv.multi_cluster() || inv.placed(f.object).placement.is_some() {
                        format!("{}:{backend}", inv.scope_name(f.object))
                    } else {
                        backend.clone()
                    }
                }
                GroupKey::Rule(_) => c.rule.label(),
            };
            let RuleAction::Forward { group, .. } = &mut c.rule.action else {
                continue;
            };
            *group = Some(name.clone());
            let made = match backend.service {
                Some(service) => {
                    let source = GroupSource {
                        frontend: c.source.frontend,
                        service,
                    };
                    let mut spec = group_spec(inv, source);
                    spec.name = name;
                    let mut g = weigh(&spec);
                    g.service = Some(inv.qualified_label(service));
                    g.by_rules = true;
                    (g, Some(source))
                }
                None => (
                    BackendGroup {
                        name,
                        kind: GroupKind::Cluster(f.mode),
                        weight: None,
                        pods: None,
                        total_weight: None,
                        nominal_share: None,
                        effective_share: None,
                        service: None,
                        by_rules: true,
                        members: Vec::new(),
                    },
                    None,
                ),
            };
            by_key.insert(key, groups.len());
            groups.push(made);
        }
    }
    groups
}

/// Sort the rules as the cloud evaluates them, and point each duplicate at its first rule.
fn in_evaluation_order(candidates: Vec<Candidate>) -> (Vec<ForwardingRule>, Vec<RuleSource>) {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_cached_key(|&i| {
        let rule = candidates.get(i).map(|c| &c.rule);
        let host = rule.and_then(|r| r.host.clone());
        let host_rank = match &host {
            Some(h) if h.starts_with('*') => 1,
            Some(_) => 0,
            None => 2,
        };
        let path = rule.map(|r| r.path.clone()).unwrap_or_default();
        let kind = rule.map_or(MatchKind::Prefix, |r| r.match_kind);
        (host_rank, host, kind, Reverse(path.len()), path, i)
    });
    let mut position = vec![0; candidates.len()];
    for (at, &i) in order.iter().enumerate() {
        if let Some(p) = position.get_mut(i) {
            *p = at;
        }
    }
    let firsts: Vec<Option<(usize, String)>> = candidates
        .iter()
        .map(|c| {
            c.first.and_then(|f| {
                let object = candidates.get(f)?.rule.object.clone();
                Some((position.get(f).copied()?, object))
            })
        })
        .collect();
    let mut slots: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    let mut rules = Vec::with_capacity(slots.len());
    let mut sources = Vec::with_capacity(slots.len());
    for i in order {
        let Some(mut c) = slots.get_mut(i).and_then(Option::take) else {
            continue;
        };
        c.rule.duplicate_of = firsts
            .get(i)
            .cloned()
            .flatten()
            .map(|(index, object)| RuleRef {
                index,
                object,
                line: 0,
            });
        rules.push(c.rule);
        sources.push(c.source);
    }
    (rules, sources)
}
