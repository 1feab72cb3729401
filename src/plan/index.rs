//! What the rules ask of the plan beyond what it prints: which frontends use each load balancer,
//! who claims each listener (and where), and which frontend and Service make each backend group.
//!
//! The index is built in the same pass as the [`Plan`] and mirrors its order: one [`LbIndex`] per
//! load balancer, one [`ListenerIndex`] per listener, one entry per group. [`PlannedLb`] walks the
//! two together, so no rule pairs them by hand.

use super::forwarding::ForwardingRule;
use super::types::{BackendGroup, Listener, LoadBalancer, Plan};
use crate::k8s::Protocol;
use crate::model::{FrontendId, ObjectId, PlacementId};
use crate::source::Origin;

#[derive(Debug, Default)]
pub struct PlanIndex {
    pub load_balancers: Vec<LbIndex>,
}

#[derive(Debug, Default)]
pub struct LbIndex {
    /// Frontends using the load balancer, in input order.
    pub frontends: Vec<FrontendId>,
    pub listeners: Vec<ListenerIndex>,
}

#[derive(Debug, Default)]
pub struct ListenerIndex {
    /// The claims, in input order.
    pub claims: Vec<ListenerClaim>,
    /// What makes each group (`None` for the external members, or a rule's Service that is not
    /// in the inputs), in the order of the groups.
    pub groups: Vec<Option<GroupSource>>,
    /// Where each forwarding rule comes from, in the order of the listener's rules.
    pub rules: Vec<RuleSource>,
    /// The Ingresses with rules on the listener, first route first (CCE: the earliest created,
    /// as far as the inputs tell; TKE: input order).
    pub ingresses: Vec<FrontendId>,
}

/// The Ingress path a forwarding rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSource {
    pub frontend: FrontendId,
    /// Index into the Ingress's routes (`IngressFacts::routes`).
    pub route: usize,
    /// The path, where the rule is written.
    pub origin: Origin,
    /// Made by the cloud from another rule (TKE `auto-rewrite`), not written by the user.
    pub generated: bool,
}

/// One object claiming one listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenerClaim {
    pub frontend: FrontendId,
    pub protocol: Protocol,
    pub port: u16,
    /// The port entry or annotation that asks for the listener.
    pub origin: Origin,
    /// The claiming object's placement: claims of two placements are never compared.
    pub placement: Option<PlacementId>,
}

/// The frontend and backend Service whose pods make a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSource {
    pub frontend: FrontendId,
    pub service: ObjectId,
}

impl PlanIndex {
    /// The plan's load balancers with their index entries.
    pub fn walk<'a>(&'a self, plan: &'a Plan) -> impl Iterator<Item = PlannedLb<'a>> {
        plan.load_balancers
            .iter()
            .zip(&self.load_balancers)
            .map(|(lb, index)| PlannedLb { lb, index })
    }
}

/// A planned load balancer and what the rules know of it.
#[derive(Debug, Clone, Copy)]
pub struct PlannedLb<'a> {
    pub lb: &'a LoadBalancer,
    pub index: &'a LbIndex,
}

impl<'a> PlannedLb<'a> {
    pub fn frontends(self) -> &'a [FrontendId] {
        &self.index.frontends
    }

    pub fn listeners(self) -> impl Iterator<Item = PlannedListener<'a>> {
        self.lb
            .listeners
            .iter()
            .zip(&self.index.listeners)
            .map(|(listener, index)| PlannedListener { listener, index })
    }

    /// Every claim on the load balancer, in input order.
    pub fn claims(self) -> Vec<ListenerClaim> {
        let mut claims: Vec<ListenerClaim> = self
            .index
            .listeners
            .iter()
            .flat_map(|l| l.claims.iter().copied())
            .collect();
        claims.sort_by_key(|c| (c.frontend, c.origin));
        claims
    }
}

/// A planned listener and what the rules know of it.
#[derive(Debug, Clone, Copy)]
pub struct PlannedListener<'a> {
    pub listener: &'a Listener,
    pub index: &'a ListenerIndex,
}

impl<'a> PlannedListener<'a> {
    pub fn claims(self) -> &'a [ListenerClaim] {
        &self.index.claims
    }

    /// The forwarding rules, each with where it comes from.
    pub fn rules(self) -> impl Iterator<Item = (&'a ForwardingRule, &'a RuleSource)> {
        self.listener.rules.iter().zip(&self.index.rules)
    }

    /// The groups, each with what makes it.
    pub fn groups(self) -> impl Iterator<Item = (&'a BackendGroup, Option<GroupSource>)> {
        self.listener
            .groups
            .iter()
            .zip(self.index.groups.iter().copied())
    }
}

/// Fill in the file and line of every rule (and of the rule each duplicate repeats): the plan
/// commands print them. `locate` gives the file name and line of an origin in the files the user
/// wrote (a rule in a rendered Kustomize stream is moved to its source first).
pub fn locate_rules(
    plan: &mut Plan,
    index: &PlanIndex,
    mut locate: impl FnMut(Origin) -> (String, usize),
) {
    for (lb, lb_index) in plan.load_balancers.iter_mut().zip(&index.load_balancers) {
        for (listener, listener_index) in lb.listeners.iter_mut().zip(&lb_index.listeners) {
            locate_listener(listener, &listener_index.rules, &mut locate);
        }
    }
}

fn locate_listener(
    listener: &mut Listener,
    rule_sources: &[RuleSource],
    locate: &mut impl FnMut(Origin) -> (String, usize),
) {
    for (rule, source) in listener.rules.iter_mut().zip(rule_sources) {
        (rule.file, rule.line) = locate(source.origin);
    }
    let lines: Vec<usize> = listener.rules.iter().map(|r| r.line).collect();
    for rule in &mut listener.rules {
        if let Some(first) = &mut rule.duplicate_of {
            first.line = lines.get(first.index).copied().unwrap_or(0);
        }
    }
}
