//! The load-balancer view of one Service or Ingress: which load balancer it uses, which listeners it
//! claims, whether the load balancer reaches pods directly, and the load-balancer annotations it
//! carries, parsed once (with [`crate::k8s::annotations`]) and located where they are written.

mod build;
mod lifecycle;
mod listener;

pub use build::{build, id_keys, provider_of};
pub use listener::{HealthCheck, LbAlgorithm, ListenerAnnotations};

use strum::{EnumString, IntoStaticStr};

use super::ingress_rules::IngressFacts;
use super::{ClusterId, Mode, ObjectId};
use crate::facts::{Gate, Provider};
use crate::k8s::{Located, Protocol};
use crate::source::Origin;

/// A listener an object asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub protocol: Protocol,
    pub port: u16,
    /// The port entry, or the annotation that sets the port.
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontendKind {
    Service,
    Ingress,
}

/// The load balancer an object uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LbRef {
    /// An existing load balancer, named by its cloud ID in an annotation.
    Existing { id: String, origin: Origin },
    /// One created for this object alone, keyed `auto:<cluster>/<namespace>/<name>` and located at
    /// the object.
    Auto { id: String, origin: Origin },
}

impl LbRef {
    /// The cloud ID, or the `auto:` key.
    pub fn id(&self) -> &str {
        match self {
            LbRef::Existing { id, .. } | LbRef::Auto { id, .. } => id,
        }
    }

    /// The ID annotation, or the object when the load balancer is auto-created.
    pub fn origin(&self) -> Origin {
        match self {
            LbRef::Existing { origin, .. } | LbRef::Auto { origin, .. } => *origin,
        }
    }

    pub fn is_auto(&self) -> bool {
        matches!(self, LbRef::Auto { .. })
    }
}

/// `kubernetes.io/elb.class`: a shared (`union`) or dedicated (`performance`) ELB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElbClass {
    Union,
    Performance,
    /// A value CCE does not know (LB011 reports it), kept as written for the plan.
    Other(String),
}

impl ElbClass {
    /// The value as written, trimmed.
    pub fn parse(text: &str) -> ElbClass {
        match text.trim() {
            "union" => ElbClass::Union,
            "performance" => ElbClass::Performance,
            other => ElbClass::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ElbClass::Union => "union",
            ElbClass::Performance => "performance",
            ElbClass::Other(text) => text,
        }
    }
}

/// `kubernetes.io/elb.multicluster-resource-recycle-policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum RecyclePolicy {
    MemberOnly,
    Cascade,
}

/// A Service or Ingress that a cloud load balancer serves.
///
/// The annotation fields are the annotations as written (`None`: not written, or not read on this
/// provider), each parsed and located at its key. A boolean is on only when the controller reads
/// it as on (exactly `"true"`); an invalid value is still located, so that findings can point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontend {
    pub object: ObjectId,
    pub cluster: ClusterId,
    pub kind: FrontendKind,
    pub provider: Option<Provider>,
    pub lb: LbRef,
    pub mode: Mode,
    pub claims: Vec<Claim>,
    /// Services whose pods back this frontend: the Service itself, or an Ingress's backends.
    pub backends: Vec<ObjectId>,

    // CCE (Huawei and CT Cloud)
    /// `kubernetes.io/elb.class`.
    pub class: Option<Located<ElbClass>>,
    /// `kubernetes.io/elb.autocreate` (its JSON is LB016's concern).
    pub autocreate: Option<Origin>,
    /// What the `elb.autocreate` JSON asks for; `None` when it is not a JSON object.
    pub autocreate_spec: Option<AutoCreate>,
    /// The load balancer this object's controller created for it, as a copy of the live object
    /// shows: CCE writes the auto-created ELB's `elb.id` back beside `elb.autocreate`; TKE writes
    /// `service.kubernetes.io/loadbalance-id` on a Service whose CLB it created (no
    /// `tke-existed-lbid`). Located at the ID (LB028).
    pub created_lb: Option<Located<String>>,
    /// A CCE Service that names no ELB (`kubernetes.io/elb.id`) and asks for none
    /// (`kubernetes.io/elb.autocreate`): the CCE documentation makes one of them mandatory and
    /// describes no ELB without either, so the plan has none for it (LB029).
    pub no_elb: bool,
    /// `kubernetes.io/elb.multicluster`.
    pub multicluster: Option<Located<bool>>,
    /// `kubernetes.io/elb.multicluster-loadbalancer-weight`, with its value when it is valid.
    pub weight: Option<Located<Option<u32>>>,
    /// `kubernetes.io/elb.multivpc`.
    pub multivpc: Option<Located<bool>>,
    /// `kubernetes.io/elb.pass-through` (`true` and `onlyLocal` are on).
    pub pass_through: Option<Located<bool>>,
    /// `kubernetes.io/elb.adaptive-weight`.
    pub adaptive_weight: Option<Located<bool>>,
    /// `kubernetes.io/elb.custom-backend-weights`.
    pub custom_backend_weights: Option<Origin>,
    /// `kubernetes.io/elb.multicluster-resource-recycle-policy`, when valid.
    pub recycle_policy: Option<Located<RecyclePolicy>>,

    // TKE
    /// `service.cloud.tencent.com/direct-access` (`ingress.cloud.tencent.com/direct-access` on an
    /// Ingress).
    pub direct_access: Option<Located<bool>>,
    /// `service.cloud.tencent.com/local-svc-weighted-balance`.
    pub weighted_balance: Option<Located<bool>>,
    /// `service.kubernetes.io/local-svc-only-bind-node-with-pod`.
    pub bind_node_with_pod: Option<Located<bool>>,

    /// `service.kubernetes.io/qcloud-loadbalancer-backends-label`: only nodes with these labels
    /// are backends (node mode).
    pub backends_label: Option<Located<String>>,

    /// The listener settings a Service's annotations write (empty for an Ingress, whose listener
    /// settings are its `ingress` facts').
    pub listener: ListenerAnnotations,

    /// An Ingress's forwarding rules and rule annotations (`None` for a Service).
    pub ingress: Option<Box<IngressFacts>>,
}

/// What `kubernetes.io/elb.autocreate` asks of a new ELB, as far as lbplan checks it (LB029).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AutoCreate {
    /// `available_zone` is a non-empty list.
    pub available_zone: bool,
    /// `l4_flavor_name` is given.
    pub l4_flavor: bool,
    /// `l7_flavor_name` is given.
    pub l7_flavor: bool,
}

/// Whether pass-through (`kubernetes.io/elb.pass-through`) is on for a CCE Service, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassThrough {
    /// Off; written as `"false"` (or another word) where the origin is given.
    Off(Option<Origin>),
    /// Written as `"true"` or `onlyLocal`.
    On(Origin),
    /// Not written, but Huawei CCE sets `onlyLocal` itself for `externalTrafficPolicy: Local` on
    /// v1.19 and later (ground truth §1.6); located at the policy.
    Implied(Origin),
    /// As `Implied`, but the cluster's version is unknown: on only from v1.19.
    MaybeImplied(Origin),
}

impl PassThrough {
    /// Known to be on.
    pub fn is_on(self) -> bool {
        matches!(self, PassThrough::On(_) | PassThrough::Implied(_))
    }

    /// Where it is set (the annotation, or the traffic policy that implies it).
    pub fn origin(self) -> Option<Origin> {
        match self {
            PassThrough::Off(o) => o,
            PassThrough::On(o) | PassThrough::Implied(o) | PassThrough::MaybeImplied(o) => Some(o),
        }
    }
}

/// The version from which Huawei CCE turns `externalTrafficPolicy: Local` into pass-through
/// `onlyLocal` (ground truth §1.6: the annotation is documented from v1.19).
pub const IMPLIED_PASS_THROUGH_SINCE: Gate = Gate::minor(1, 19);

/// Whether a boolean annotation is written and on.
pub fn on(flag: Option<&Located<bool>>) -> bool {
    flag.is_some_and(|f| f.value)
}

impl Frontend {
    pub fn is_ingress(&self) -> bool {
        self.kind == FrontendKind::Ingress
    }

    pub fn is_cce(&self) -> bool {
        self.provider.is_some_and(Provider::is_cce)
    }

    pub fn is_tke(&self) -> bool {
        self.provider.is_some_and(Provider::is_tke)
    }

    /// The ELB class of a CCE load balancer: as written, else `union`; `None` on other providers.
    pub fn elb_class(&self) -> Option<&ElbClass> {
        self.is_cce()
            .then(|| self.class.as_ref().map_or(&ElbClass::Union, |c| &c.value))
    }

    /// A dedicated ELB (`kubernetes.io/elb.class: performance`).
    pub fn is_dedicated(&self) -> bool {
        matches!(self.elb_class(), Some(ElbClass::Performance))
    }

    /// A CCE Service whose backends join a listener shared across clusters.
    pub fn is_cross_cluster(&self) -> bool {
        self.is_cce() && !self.is_ingress() && on(self.multicluster.as_ref())
    }

    /// The cross-cluster weight W of a cross-cluster Service, when it is valid.
    pub fn cross_cluster_weight(&self) -> Option<Located<u32>> {
        let weight = self.weight.as_ref().filter(|_| self.is_cross_cluster())?;
        Some(Located {
            value: weight.value?,
            origin: weight.origin,
        })
    }

    /// Whether pass-through (`kubernetes.io/elb.pass-through`) is written and on.
    pub fn pass_through_on(&self) -> bool {
        on(self.pass_through.as_ref())
    }

    /// Pass-through as the controller applies it: as written; else, on Huawei CCE, implied by
    /// `externalTrafficPolicy: Local` (`local`: where the policy is written, if it is Local) on a
    /// cluster of `version`. CT Cloud CCE is not documented to do the same: there it is as written.
    pub fn pass_through(
        &self,
        local: Option<Origin>,
        version: Option<&crate::facts::K8sVersion>,
    ) -> PassThrough {
        if let Some(p) = &self.pass_through {
            return if p.value {
                PassThrough::On(p.origin)
            } else {
                PassThrough::Off(Some(p.origin))
            };
        }
        match (self.provider, local) {
            (Some(Provider::HuaweiCce), Some(policy)) if !self.is_ingress() => {
                match version.and_then(|v| v.below(IMPLIED_PASS_THROUGH_SINCE)) {
                    Some(false) => PassThrough::Implied(policy),
                    Some(true) => PassThrough::Off(None),
                    None => PassThrough::MaybeImplied(policy),
                }
            }
            _ => PassThrough::Off(None),
        }
    }

    /// Where TKE direct access is turned on, or the load balancer when it is not written.
    pub fn direct_access_origin(&self) -> Origin {
        self.direct_access
            .as_ref()
            .map_or(self.lb.origin(), |d| d.origin)
    }
}
