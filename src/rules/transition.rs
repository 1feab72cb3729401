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

mod text;

use super::finding::Related;
use super::{Context, Finding};
use crate::k8s::Protocol;
use crate::model::placement::without_placement;
use crate::model::{Frontend, FrontendId, ObjectId};
use crate::plan::PlannedListener;
use crate::plan::changes::PlanDiff;
use crate::source::{Origin, Sources};

/// A relaxation of the config, found by comparing the base's with the head's own
/// (`diff/policy.rs`): where it is written (the head's config, or the base's for a deletion).
#[derive(Debug, Clone)]
pub struct Relaxation {
    pub side: Side,
    pub origin: Origin,
    pub message: String,
    pub caption: &'static str,
}

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
    /// Each side's files (base, head), for rules that compare text the model does not keep.
    pub sources: (&'a Sources, &'a Sources),
    base_objects: HashMap<String, ObjectId>,
    head_objects: HashMap<String, ObjectId>,
    /// The same, by labels without placement (see [`Transition::counterpart`]).
    base_loose: HashMap<String, Vec<ObjectId>>,
    head_loose: HashMap<String, Vec<ObjectId>>,
    base_frontends: HashMap<ObjectId, FrontendId>,
    head_frontends: HashMap<ObjectId, FrontendId>,
    /// What the head's own config relaxes against the base's (LB516).
    relaxations: Vec<Relaxation>,
}

/// The objects of one side by `cluster:Kind/namespace/name`, and the frontend of each object.
fn index(cx: &Context) -> (HashMap<String, ObjectId>, HashMap<ObjectId, FrontendId>) {
    let objects = cx
        .inv
        .definitions()
        .filter(|&(id, _)| cx.inv.is_planned(id))
        .map(|(id, _)| (cx.inv.qualified_label(id), id))
        .collect();
    let frontends = cx
        .inv
        .planned_frontends()
        .map(|(id, f)| (f.object, id))
        .collect();
    (objects, frontends)
}

impl<'a> Transition<'a> {
    pub fn new(
        base: Context<'a>,
        head: Context<'a>,
        diff: &'a PlanDiff<'a>,
        sources: (&'a Sources, &'a Sources),
    ) -> Transition<'a> {
        let (base_objects, base_frontends) = index(&base);
        let (head_objects, head_frontends) = index(&head);
        let loose = |objects: &HashMap<String, ObjectId>| {
            let mut by: HashMap<String, Vec<ObjectId>> = HashMap::new();
            for (label, &id) in objects {
                by.entry(without_placement(label)).or_default().push(id);
            }
            by
        };
        Transition {
            base_loose: loose(&base_objects),
            head_loose: loose(&head_objects),
            base,
            head,
            diff,
            sources,
            base_objects,
            head_objects,
            base_frontends,
            head_frontends,
            relaxations: Vec::new(),
        }
    }

    /// What the head's own config relaxes against the base's, which judges the change.
    #[must_use]
    pub fn with_relaxations(mut self, relaxations: Vec<Relaxation>) -> Self {
        self.relaxations = relaxations;
        self
    }

    pub fn relaxations(&self) -> &[Relaxation] {
        &self.relaxations
    }

    /// The side's context.
    pub fn side(&self, side: Side) -> &Context<'a> {
        match side {
            Side::Base => &self.base,
            Side::Head => &self.head,
        }
    }

    /// The object of `side` that object `id` of the other side is: the one of the same
    /// `cluster:Kind/namespace/name` (with its placement, `cluster@folder:...`). A copy that gains
    /// or loses its placement between the sides (a copy of it added or removed in another folder)
    /// is matched with the copy in the same file.
    pub fn counterpart(&self, side: Side, id: ObjectId) -> Option<ObjectId> {
        let from = self.side(side.other()).inv;
        let label = from.qualified_label(id);
        let (exact, loose, sources, from_sources) = match side {
            Side::Base => (
                &self.base_objects,
                &self.base_loose,
                self.sources.0,
                self.sources.1,
            ),
            Side::Head => (
                &self.head_objects,
                &self.head_loose,
                self.sources.1,
                self.sources.0,
            ),
        };
        if let Some(&found) = exact.get(&label) {
            return Some(found);
        }
        let inv = self.side(side).inv;
        let placed = from.placement_of(id).is_some();
        let file = from_sources.name(from.object(id).origin.file);
        loose
            .get(&without_placement(&label))?
            .iter()
            .copied()
            .find(|&c| {
                inv.placement_of(c).is_some() != placed
                    && sources.name(inv.object(c).origin.file) == file
            })
    }

    /// The object of `side` labelled `cluster:Kind/namespace/name` (as the plan names objects).
    pub fn object_labelled(&self, side: Side, label: &str) -> Option<ObjectId> {
        match side {
            Side::Base => self.base_objects.get(label).copied(),
            Side::Head => self.head_objects.get(label).copied(),
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
        self.head.planned_frontends().filter_map(|(_, h)| {
            let b = self.counterpart(Side::Base, h.object)?;
            let (_, b) = self.frontend_of(Side::Base, b)?;
            Some((b, h))
        })
    }

    /// Frontends of the base whose object the head no longer has (deleted, renamed, or its
    /// cluster gone), in base input order.
    pub fn deleted_frontends(&self) -> impl Iterator<Item = &'a Frontend> + '_ {
        self.base
            .planned_frontends()
            .filter(|(_, b)| self.counterpart(Side::Head, b.object).is_none())
            .map(|(_, b)| b)
    }

    /// The listener `protocol:port` of load balancer `lb` as `side` plans it.
    pub fn listener(
        &self,
        side: Side,
        lb: &str,
        protocol: Protocol,
        port: u16,
    ) -> Option<PlannedListener<'a>> {
        self.side(side)
            .load_balancers()
            .find(|p| p.lb.id == lb)?
            .listeners()
            .find(|l| l.listener.protocol == protocol && l.listener.port == port)
    }

    /// The drift threshold of the config that judges the change (the base's, which both sides
    /// are read with), in basis points.
    pub fn drift_threshold_bp(&self) -> u64 {
        self.head.config.drift_threshold_bp()
    }
}

/// A transition finding: its side, its related locations on the other side, and the lint
/// rules whose findings on the same object of its side it speaks for.
#[derive(Debug)]
pub struct TransitionFinding {
    pub side: Side,
    pub finding: Finding,
    pub elsewhere: Vec<Related>,
    /// Codes of lint rules whose finding on this finding's object, new on its side, the diff
    /// leaves out: this finding's message says it (LB513 says what LB024 would).
    pub folds: Vec<&'static str>,
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

    /// Speak for the lint finding of rule `code` on the same object (see [`Self::folds`]).
    pub fn fold(&mut self, code: &'static str) -> &mut Self {
        self.folds.push(code);
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
            folds: Vec::new(),
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

/// The cross-cluster weights the ELB keeps (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端"): for each Service whose head, still
/// cross-cluster, no longer sets the weight its base set, `cluster:Service/namespace/name` -> W.
pub fn kept_weights(
    base: &crate::model::Inventory,
    head: &crate::model::Inventory,
) -> std::collections::BTreeMap<String, u32> {
    let by_label: HashMap<String, &Frontend> = base
        .planned_frontends()
        .map(|(_, f)| (base.qualified_label(f.object), f))
        .collect();
    head.planned_frontends()
        .filter(|(_, h)| h.is_cross_cluster())
        .filter_map(|(_, h)| {
            let label = head.qualified_label(h.object);
            let w = weight_removed(by_label.get(&label)?, h)?;
            Some((label, w.value))
        })
        .collect()
}
