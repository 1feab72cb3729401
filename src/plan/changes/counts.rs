//! What a plan diff counts: changes per entity and action.

use std::collections::BTreeMap;

use serde::Serialize;
use strum::IntoStaticStr;

use super::Action;

/// The kinds of entity a plan diff reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Entity {
    LoadBalancer,
    Listener,
    Group,
    Member,
    Rule,
    /// A listener's setting (algorithm, health check, timeouts, ...).
    Setting,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// `load balancer(s)`, `listener(s)`, ...
    pub fn noun(self, n: u64) -> &'static str {
        match (self, n == 1) {
            (Entity::LoadBalancer, true) => "load balancer",
            (Entity::LoadBalancer, false) => "load balancers",
            (Entity::Listener, true) => "listener",
            (Entity::Listener, false) => "listeners",
            (Entity::Group, true) => "group",
            (Entity::Group, false) => "groups",
            (Entity::Member, true) => "member",
            (Entity::Member, false) => "members",
            (Entity::Rule, true) => "forwarding rule",
            (Entity::Rule, false) => "forwarding rules",
            (Entity::Setting, true) => "listener setting",
            (Entity::Setting, false) => "listener settings",
        }
    }
}

/// Changes counted per (entity, action).
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub of: BTreeMap<(Entity, Action), u64>,
}

impl Counts {
    pub(super) fn add(&mut self, entity: Entity, action: Option<Action>) {
        if let Some(action) = action {
            *self.of.entry((entity, action)).or_default() += 1;
        }
    }

    /// The total per action, whatever the entity.
    pub fn per_action(&self, action: Action) -> u64 {
        self.of
            .iter()
            .filter(|((_, a), _)| *a == action)
            .map(|(_, n)| n)
            .sum()
    }
}
