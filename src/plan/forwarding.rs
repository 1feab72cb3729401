//! The L7 part of the plan as users see it: a listener's forwarding rules, in the order the cloud
//! evaluates them, and the listener settings its Ingresses share (JSON `rules` and `settings` of a
//! listener). Built by `l7.rs`; `index::locate_rules` adds the lines. Types only: the plan's
//! types (`types.rs`) hold them, so they import nothing of the plan.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use strum::IntoStaticStr;

use crate::model::ingress_rules::MatchKind;

/// One forwarding rule (a CCE forwarding policy, a TKE CLB rule).
#[derive(Debug, Clone)]
pub struct ForwardingRule {
    /// `None`: no host condition (CCE), or the CLB address (TKE, `vip_host`).
    pub host: Option<String>,
    pub path: String,
    pub match_kind: MatchKind,
    /// `cluster:Ingress/namespace/name`.
    pub object: String,
    /// The file and line of the path, filled in by [`super::index::locate_rules`] (empty and 0 before).
    pub file: String,
    pub line: usize,
    pub action: RuleAction,
    pub status: RuleStatus,
    /// The earlier rule this one repeats.
    pub duplicate_of: Option<RuleRef>,
    /// TKE: a rule without a host has the CLB address as its host.
    pub vip_host: bool,
}

/// Where a rule sends a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAction {
    /// To a backend group; `group` is `None` when none is created for it (a TKE duplicate), and
    /// `backend` names the Service and port, `namespace/name:port`.
    Forward {
        group: Option<String>,
        backend: String,
    },
    /// A redirect: to another listener (`HTTPS:443`) or a URL.
    Redirect { to: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum RuleStatus {
    Active,
    /// Repeats an earlier rule of the listener (LB401): the cloud refuses it.
    Duplicate,
}

/// Another rule of the same listener.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRef {
    /// Its index in the listener's rules.
    #[serde(skip)]
    pub index: usize,
    pub object: String,
    pub line: usize,
}

impl ForwardingRule {
    /// `host/path` as the table shows it: no host is just the path (CCE), or `(VIP)` (TKE).
    pub fn label(&self) -> String {
        match (&self.host, self.vip_host) {
            (Some(host), _) => format!("{host}{}", self.path),
            (None, true) => format!("(VIP){}", self.path),
            (None, false) => self.path.clone(),
        }
    }
}

impl Serialize for ForwardingRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("ForwardingRule", 11)?;
        out.serialize_field("host", &self.host)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("match", &self.match_kind)?;
        out.serialize_field("object", &self.object)?;
        out.serialize_field("file", &self.file)?;
        out.serialize_field("line", &self.line)?;
        match &self.action {
            RuleAction::Forward { group, backend } => {
                out.serialize_field("action", "forward")?;
                out.serialize_field("group", group)?;
                out.serialize_field("backend", backend)?;
                out.skip_field("redirect")?;
            }
            RuleAction::Redirect { to } => {
                out.serialize_field("action", "redirect")?;
                out.serialize_field("group", &None::<String>)?;
                out.skip_field("backend")?;
                out.serialize_field("redirect", to)?;
            }
        }
        out.serialize_field("status", &self.status)?;
        match &self.duplicate_of {
            Some(first) => out.serialize_field("duplicate_of", first)?,
            None => out.skip_field("duplicate_of")?,
        }
        out.end()
    }
}

/// How the first route of a CCE listener was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum FirstRouteBy {
    /// `kubernetes.io/elb.listener-master-ingress`, which CCE writes.
    ListenerMasterIngress,
    /// `metadata.creationTimestamp` (objects dumped from a cluster).
    CreationTimestamp,
    /// Neither is written: the order of the inputs stands in for the creation order.
    InputOrder,
}

impl FirstRouteBy {
    /// In words, for the table and messages.
    pub fn describe(self) -> &'static str {
        match self {
            FirstRouteBy::ListenerMasterIngress => "named by listener-master-ingress",
            FirstRouteBy::CreationTimestamp => "earliest creationTimestamp",
            FirstRouteBy::InputOrder => "first in the inputs; creation order unknown",
        }
    }
}

/// CCE: the listener settings the Ingresses on one listener write, and which one applies.
#[derive(Debug, Clone, Serialize)]
pub struct ListenerSettings {
    /// The Ingress whose listener settings apply: the earliest created ("first route").
    pub first_route: String,
    pub chosen_by: FirstRouteBy,
    pub values: Vec<SettingValue>,
}

/// One listener setting: its effective value and the values that do not take effect.
#[derive(Debug, Clone, Serialize)]
pub struct SettingValue {
    /// The annotation, or `certificate` for the server certificate.
    pub key: String,
    /// The value that takes effect; `None`: not set, and no default is documented.
    pub value: Option<String>,
    /// The Ingress it comes from; `None`: the documented default.
    pub from: Option<String>,
    /// Other values written for it, which do not take effect.
    pub ignored: Vec<IgnoredValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IgnoredValue {
    pub object: String,
    pub value: String,
}
