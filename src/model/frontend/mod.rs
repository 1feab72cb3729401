//! The load-balancer view of one Service or Ingress: which load balancer it uses, which listeners it
//! claims, whether the load balancer reaches pods directly, and the load-balancer annotations it
//! carries, parsed once (with [`crate::k8s::annotations`]) and located where they are written.

mod build;

pub use build::{build, id_keys, provider_of};

use strum::{EnumString, IntoStaticStr};

use super::ingress_rules::IngressFacts;
use super::{ClusterId, Mode, ObjectId};
use crate::facts::Provider;
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

    /// An Ingress's forwarding rules and rule annotations (`None` for a Service).
    pub ingress: Option<Box<IngressFacts>>,
}

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

    /// Whether pass-through (`kubernetes.io/elb.pass-through`) is on.
    pub fn pass_through_on(&self) -> bool {
        on(self.pass_through.as_ref())
    }

    /// Where TKE direct access is turned on, or the load balancer when it is not written.
    pub fn direct_access_origin(&self) -> Origin {
        self.direct_access
            .as_ref()
            .map_or(self.lb.origin(), |d| d.origin)
    }
}
