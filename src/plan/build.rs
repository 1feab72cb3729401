//! Building the plan (and its index) from the model: load balancers by cloud ID, listeners by
//! (protocol, port), one backend group per Service behind a listener plus the external members.

use std::collections::{BTreeMap, BTreeSet};

use super::assumptions::target_assumptions;
use super::group_spec::group_spec;
use super::index::{GroupSource, LbIndex, ListenerClaim, ListenerIndex, PlanIndex};
use super::l7;
use super::natural::natural_cmp;
use super::service_settings;
use super::types::{BackendGroup, GroupKind, Listener, LoadBalancer, Member, Plan};
use super::weights::{GroupSpec, set_shares, weigh};
use crate::config::LoadBalancerConfig;
use crate::k8s::Protocol;
use crate::model::{Assumption, FrontendId, Inventory};

/// Build the plan and the index the rules query beside it. `external` are the config's load
/// balancers (quotas and members added outside Kubernetes); `assumptions` what the model assumed.
pub fn build(
    inv: &Inventory,
    external: &[LoadBalancerConfig],
    assumptions: &[Assumption],
) -> (Plan, PlanIndex) {
    let mut by_lb: BTreeMap<&str, Vec<FrontendId>> = BTreeMap::new();
    // A CCE Service that asks for no ELB gets none (LB029).
    for (id, f) in inv.planned_frontends().filter(|(_, f)| !f.no_elb) {
        by_lb.entry(f.lb.id()).or_default().push(id);
    }
    for lb in external {
        by_lb.entry(lb.id.as_str()).or_default();
    }
    let mut plan = Plan {
        version: 1,
        assumptions: Vec::new(),
        load_balancers: Vec::with_capacity(by_lb.len()),
        clusters: super::facts::clusters(inv),
        unrendered_charts: 0,
    };
    let mut index = PlanIndex::default();
    for (id, frontends) in by_lb {
        let config = external.iter().find(|lb| lb.id == id);
        let (lb, lb_index) = load_balancer(inv, config, id, frontends);
        plan.load_balancers.push(lb);
        index.load_balancers.push(lb_index);
    }
    // Each said once, in the order first met.
    let mut seen = BTreeSet::new();
    plan.assumptions = assumptions
        .iter()
        .cloned()
        .chain(target_assumptions(inv))
        .filter(|a| seen.insert(a.clone()))
        .collect();
    (plan, index)
}

fn load_balancer(
    inv: &Inventory,
    config: Option<&LoadBalancerConfig>,
    id: &str,
    frontends: Vec<FrontendId>,
) -> (LoadBalancer, LbIndex) {
    let first = frontends.first().map(|&f| inv.frontend(f));
    let mut claims: BTreeMap<(u16, Protocol), Vec<ListenerClaim>> = BTreeMap::new();
    for &fid in &frontends {
        for claim in &inv.frontend(fid).claims {
            let listener = claims.entry((claim.port, claim.protocol)).or_default();
            // Frontends come one after the other: a repeat of this one's claim is the last one.
            if listener.last().is_none_or(|c| c.frontend != fid) {
                listener.push(ListenerClaim {
                    frontend: fid,
                    protocol: claim.protocol,
                    port: claim.port,
                    origin: claim.origin,
                    placement: inv.placed(inv.frontend(fid).object).placement,
                });
            }
        }
    }
    let external = config.map_or(&[][..], |lb| &lb.members[..]);
    for member in external {
        let (protocol, port) = member.listener;
        claims.entry((port, protocol)).or_default();
    }
    let mut lb = LoadBalancer {
        id: id.to_string(),
        provider: frontends.iter().find_map(|&f| inv.frontend(f).provider),
        class: first.and_then(|f| f.elb_class().map(|c| c.as_str().to_string())),
        auto: first.is_some_and(|f| f.lb.is_auto()),
        clusters: frontends
            .iter()
            .map(|&f| inv.frontend(f).cluster)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        listeners: Vec::with_capacity(claims.len()),
    };
    let mut index = LbIndex {
        frontends,
        listeners: Vec::with_capacity(claims.len()),
    };
    for ((port, protocol), claims) in claims {
        let members: Vec<Member> = external
            .iter()
            .filter(|m| m.listener == (protocol, port))
            .map(|m| Member::one(m.name.clone(), 0, Some(m.weight)))
            .collect();
        let (listener, listener_index) = listener(inv, protocol, port, claims, members);
        lb.listeners.push(listener);
        index.listeners.push(listener_index);
    }
    (lb, index)
}

fn listener(
    inv: &Inventory,
    protocol: Protocol,
    port: u16,
    claims: Vec<ListenerClaim>,
    external: Vec<Member>,
) -> (Listener, ListenerIndex) {
    let mut specs: Vec<(GroupSpec, GroupSource)> = Vec::new();
    for claim in &claims {
        let f = inv.frontend(claim.frontend);
        if f.ingress.is_some() {
            continue; // an Ingress's groups are its rules' (l7.rs)
        }
        for &service in &f.backends {
            let source = GroupSource {
                frontend: claim.frontend,
                service,
            };
            specs.push((group_spec(inv, source), source));
        }
    }
    // A group is named after its cluster (and placement); where one cluster has several groups
    // on the listener (a conflict, or an Ingress with several backends) the Service is added to
    // tell them apart.
    let mut per_cluster: BTreeMap<String, usize> = BTreeMap::new();
    for (spec, _) in &specs {
        *per_cluster.entry(spec.name.clone()).or_default() += 1;
    }
    let mut groups: Vec<(BackendGroup, Option<GroupSource>)> = Vec::with_capacity(specs.len() + 1);
    for (mut spec, source) in specs {
        if per_cluster.get(&spec.name).copied().unwrap_or(0) > 1 {
            spec.name = inv.qualified_label(source.service);
        }
        let mut group = weigh(&spec);
        group.service = Some(inv.qualified_label(source.service));
        groups.push((group, Some(source)));
    }
    let l7 = protocol
        .is_l7()
        .then(|| l7::listener(inv, protocol, &claims));
    let (rules, rule_sources, settings, ingresses) = match l7 {
        Some(l7) => {
            groups.extend(l7.groups);
            (l7.rules, l7.sources, l7.settings, l7.ingresses)
        }
        None => Default::default(),
    };
    if !external.is_empty() {
        let total: u32 = external.iter().filter_map(|m| m.weight).sum();
        let group = BackendGroup {
            name: "external".into(),
            kind: GroupKind::External,
            weight: Some(total),
            pods: None,
            total_weight: Some(u64::from(total)),
            nominal_share: None,
            effective_share: None,
            service: None,
            by_rules: false,
            members: external,
        };
        groups.push((group, None));
    }
    groups.sort_by(|a, b| natural_cmp(&a.0.name, &b.0.name));
    let (mut groups, sources): (Vec<BackendGroup>, Vec<Option<GroupSource>>) =
        groups.into_iter().unzip();
    for group in &mut groups {
        group.members.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    }
    set_shares(&mut groups);
    let mut objects: Vec<String> = claims
        .iter()
        .map(|c| inv.qualified_label(inv.frontend(c.frontend).object))
        .collect();
    objects.sort();
    objects.dedup();
    let claimants: Vec<FrontendId> = claims.iter().map(|c| c.frontend).collect();
    let service_settings = service_settings::listener_settings(inv, &claimants, protocol, port);
    let listener = Listener {
        protocol,
        port,
        objects,
        groups,
        rules,
        settings,
        service_settings,
    };
    let index = ListenerIndex {
        claims,
        groups: sources,
        rules: rule_sources,
        ingresses,
    };
    (listener, index)
}
