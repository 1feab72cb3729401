//! What transition rules (LB5xx) see: both sides of a change, each as the lint rules see one set
//! of manifests ([`Context`]), the plan diff, and the objects of one side matched with the other's
//! by `cluster:Kind/namespace/name`, never by file or line.
//!
//! A transition finding is located on one side: the head, where the object still exists (so that
//! the pull request's own lines carry it), else the base (an object the change deletes). Its
//! related locations may be on either side: those on the other side are kept apart
//! ([`TransitionFinding::elsewhere`]), for the report to locate in that side's files.

use std::collections::HashMap;

use serde::Serialize;

use super::finding::Related;
use super::{Context, Finding};
use crate::model::{Frontend, FrontendId, ObjectId};
use crate::plan::changes::PlanDiff;
use crate::source::Origin;

/// Which side of the change a location is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Base,
    Head,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Base => "base",
            Side::Head => "head",
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::Base => Side::Head,
            Side::Head => Side::Base,
        }
    }
}

/// Both sides of a change.
pub struct Transition<'a> {
    pub base: Context<'a>,
    pub head: Context<'a>,
    pub diff: &'a PlanDiff<'a>,
    base_objects: HashMap<String, ObjectId>,
    head_objects: HashMap<String, ObjectId>,
    base_frontends: HashMap<ObjectId, FrontendId>,
    head_frontends: HashMap<ObjectId, FrontendId>,
}

/// The objects of one side by `cluster:Kind/namespace/name`, and the frontend of each object.
fn index(cx: &Context) -> (HashMap<String, ObjectId>, HashMap<ObjectId, FrontendId>) {
    let objects = cx
        .inv
        .manifest_objects()
        .map(|(id, _)| (cx.inv.qualified_label(id), id))
        .collect();
    let frontends = cx.inv.frontends().map(|(id, f)| (f.object, id)).collect();
    (objects, frontends)
}

impl<'a> Transition<'a> {
    pub fn new(base: Context<'a>, head: Context<'a>, diff: &'a PlanDiff<'a>) -> Transition<'a> {
        let (base_objects, base_frontends) = index(&base);
        let (head_objects, head_frontends) = index(&head);
        Transition {
            base,
            head,
            diff,
            base_objects,
            head_objects,
            base_frontends,
            head_frontends,
        }
    }

    /// The side's context.
    pub fn side(&self, side: Side) -> &Context<'a> {
        match side {
            Side::Base => &self.base,
            Side::Head => &self.head,
        }
    }

    /// The object of `side` that object `id` of the other side is.
    pub fn counterpart(&self, side: Side, id: ObjectId) -> Option<ObjectId> {
        let label = self.side(side.other()).inv.qualified_label(id);
        match side {
            Side::Base => self.base_objects.get(&label).copied(),
            Side::Head => self.head_objects.get(&label).copied(),
        }
    }

    /// The frontend of object `id` of `side`, if a cloud load balancer serves it.
    pub fn frontend_of(&self, side: Side, id: ObjectId) -> Option<(FrontendId, &'a Frontend)> {
        let (map, inv) = match side {
            Side::Base => (&self.base_frontends, self.base.inv),
            Side::Head => (&self.head_frontends, self.head.inv),
        };
        map.get(&id).map(|&fid| (fid, inv.frontend(fid)))
    }

    /// Frontends on both sides (base, head), in head input order.
    pub fn frontend_pairs(&self) -> impl Iterator<Item = (&'a Frontend, &'a Frontend)> + '_ {
        self.head.frontends().filter_map(|(_, h)| {
            let b = self.counterpart(Side::Base, h.object)?;
            let (_, b) = self.frontend_of(Side::Base, b)?;
            Some((b, h))
        })
    }

    /// The drift threshold of the head's config, in basis points.
    pub fn drift_threshold_bp(&self) -> u64 {
        self.head.config.drift_threshold_bp()
    }
}

/// A transition finding: its side, and its related locations on the other side.
#[derive(Debug)]
pub struct TransitionFinding {
    pub side: Side,
    pub finding: Finding,
    pub elsewhere: Vec<Related>,
}

impl TransitionFinding {
    /// A related location on the other side.
    pub fn elsewhere(
        &mut self,
        origin: Origin,
        object: Option<String>,
        message: impl Into<String>,
    ) -> &mut Self {
        self.elsewhere.push(Related {
            origin,
            object,
            message: message.into(),
        });
        self
    }
}

/// Collects transition findings.
#[derive(Debug, Default)]
pub struct TransitionSink {
    pub findings: Vec<TransitionFinding>,
}

impl TransitionSink {
    /// Report `finding`, located on `side`.
    pub fn push(&mut self, side: Side, finding: Finding) -> &mut TransitionFinding {
        self.findings.push(TransitionFinding {
            side,
            finding,
            elsewhere: Vec::new(),
        });
        let last = self.findings.len() - 1;
        // Just pushed: the index is in range.
        #[allow(clippy::indexing_slicing)]
        &mut self.findings[last]
    }
}

/// Run every transition rule.
pub fn check_all(tx: &Transition) -> TransitionSink {
    let mut sink = TransitionSink::default();
    for rule in super::RULES.iter().filter(|r| r.meta().transition) {
        rule.check_transition(tx, &mut sink);
    }
    sink
}

/// The weight annotation a Service loses, base -> head: the base's cross-cluster weight, valid,
/// on a CCE Service the head still runs as a LoadBalancer Service without the annotation.
pub fn weight_removed(base: &Frontend, head: &Frontend) -> Option<crate::k8s::Located<u32>> {
    let weight = base.cross_cluster_weight()?;
    let service = |f: &Frontend| f.is_cce() && !f.is_ingress();
    (service(head) && head.weight.is_none()).then_some(weight)
}

/// The cross-cluster weights the ELB keeps (seed 002): for each Service whose head, still
/// cross-cluster, no longer sets the weight its base set, `cluster:Service/namespace/name` -> W.
pub fn kept_weights(
    base: &crate::model::Inventory,
    head: &crate::model::Inventory,
) -> std::collections::BTreeMap<String, u32> {
    let by_label: HashMap<String, &Frontend> = base
        .frontends()
        .map(|(_, f)| (base.qualified_label(f.object), f))
        .collect();
    head.frontends()
        .filter(|(_, h)| h.is_cross_cluster())
        .filter_map(|(_, h)| {
            let label = head.qualified_label(h.object);
            let w = weight_removed(by_label.get(&label)?, h)?;
            Some((label, w.value))
        })
        .collect()
}
