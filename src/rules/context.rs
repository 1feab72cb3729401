//! What rules see (the model, the plan, the config) and where they report.

use std::collections::{BTreeMap, BTreeSet};

use super::{Finding, RuleMeta};
use crate::config::Config;
use crate::facts::{ClusterFacts, Fact, Gate, K8sVersion, Provider, RemarkKind};
use crate::k8s::Annotation;
use crate::k8s::Object;
use crate::k8s::annotations::{ValueKind, lookup};
use crate::model::ingress_rules::IngressFacts;
use crate::model::{Cluster, Frontend, FrontendId, Inventory, ObjectId};
use crate::plan::{ListenerClaim, Plan, PlanIndex, PlannedLb, PlannedListener};
use crate::source::Origin;
use crate::text::Truncated;

/// For each claim, the first earlier claim it conflicts with: the later one is reported, the
/// earlier one is its related location. Claims of two placements (copies planned once per
/// folder) are never compared: which folders are one cluster, only `clusters[].paths` says.
pub fn first_conflicts(
    claims: &[ListenerClaim],
    conflict: impl Fn(&ListenerClaim, &ListenerClaim) -> bool,
) -> Vec<(ListenerClaim, ListenerClaim)> {
    let apart = |a: &ListenerClaim, b: &ListenerClaim| {
        a.placement.is_some() && b.placement.is_some() && a.placement != b.placement
    };
    let mut out = Vec::new();
    for (i, later) in claims.iter().enumerate() {
        let earlier = claims.get(..i).unwrap_or_default();
        if let Some(first) = earlier
            .iter()
            .find(|e| !apart(e, later) && conflict(e, later))
        {
            out.push((*later, *first));
        }
    }
    out
}

/// A document that could not be read, for LB001.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadProblem {
    pub origin: Origin,
    pub message: String,
    pub related: Option<(Origin, String)>,
    /// The file holds Helm template syntax (`{{`).
    pub templated: bool,
    pub cluster: Option<String>,
    /// The object read from the document despite the problem (the refused field dropped), if any.
    pub object: Option<ObjectId>,
}

pub struct Context<'a> {
    pub inv: &'a Inventory,
    pub plan: &'a Plan,
    pub index: &'a PlanIndex,
    pub config: &'a Config,
    pub problems: &'a [LoadProblem],
}

impl<'a> Context<'a> {
    /// Frontends of every definition, shadowed copies of one object included, with their ids, in
    /// input order: what rules about one object alone check. Rules about several objects ask
    /// [`Context::load_balancers`], which holds only the copies the plan uses.
    pub fn frontends(&self) -> impl Iterator<Item = (FrontendId, &'a Frontend)> {
        self.inv.frontends()
    }

    /// Frontends of the definitions the plan uses (no shadowed copy), in input order: what rules
    /// comparing two sides match by object.
    pub fn planned_frontends(&self) -> impl Iterator<Item = (FrontendId, &'a Frontend)> {
        self.inv.planned_frontends()
    }

    /// CCE frontends (Huawei or CT Cloud).
    pub fn cce_frontends(&self) -> impl Iterator<Item = (FrontendId, &'a Frontend)> {
        self.frontends().filter(|(_, f)| f.is_cce())
    }

    /// CCE frontends whose annotation `key` holds a value its kind (`k8s/annotations.rs`) does
    /// not accept, with the annotation and its kind: the value rules (LB011, LB019, LB022).
    pub fn cce_invalid_values(
        &self,
        key: &'static str,
    ) -> impl Iterator<Item = (&'a Frontend, &'a Annotation, ValueKind)> {
        let inv = self.inv;
        self.cce_frontends().filter_map(move |(_, f)| {
            let a = inv.object(f.object).annotations().get(key)?;
            let kind = lookup(&a.key)?.kind;
            (!kind.accepts(&a.value)).then_some((f, a, kind))
        })
    }

    /// TKE frontends.
    pub fn tke_frontends(&self) -> impl Iterator<Item = (FrontendId, &'a Frontend)> {
        self.frontends().filter(|(_, f)| f.is_tke())
    }

    pub fn object(&self, id: ObjectId) -> &'a Object {
        self.inv.object(id)
    }

    pub fn cluster(&self, id: ObjectId) -> &'a Cluster {
        self.inv.cluster_of(id)
    }

    /// A finding about object `id`, with its label and cluster filled in.
    pub fn finding(
        &self,
        meta: &'static RuleMeta,
        id: ObjectId,
        origin: Origin,
        message: impl Into<String>,
    ) -> Finding {
        let mut finding = Finding::new(meta, origin, message);
        finding.object = Some(self.object_name(id));
        finding.object_id = Some(id);
        finding.cluster = Some(self.cluster(id).name().to_string());
        finding.placement = self.inv.placement_of(id).map(|p| p.folder.clone());
        finding
    }

    /// The planned load balancers, with who uses them and claims their listeners.
    pub fn load_balancers(&self) -> impl Iterator<Item = PlannedLb<'a>> {
        self.index.walk(self.plan)
    }

    /// The version of object `id`'s cluster when it is certainly below `gate`. Records a note for
    /// `meta` when the version is unknown, or too coarse (`1.28`) for a gate that needs the patch.
    pub fn version_below(
        &self,
        out: &mut Sink,
        meta: &'static RuleMeta,
        id: ObjectId,
        gate: Gate,
    ) -> Option<&'a K8sVersion> {
        let cluster = self.cluster(id);
        let Some(version) = &cluster.facts.version else {
            out.unknown(meta, cluster, Fact::Version, id);
            return None;
        };
        match version.below(gate) {
            Some(true) => Some(version),
            Some(false) => None,
            None => {
                out.unknown(meta, cluster, Fact::VersionPatch, id);
                None
            }
        }
    }

    /// The finding of a version rule (LB304, LB305, LB308, LB311): `meta`'s finding on object
    /// `id` at `origin` when its cluster's version is certainly below `gate`, its message
    /// `message(version, cluster name)`; `None` otherwise (an unknown version is noted, as
    /// [`Context::version_below`] does).
    pub fn version_finding(
        &self,
        out: &mut Sink,
        (meta, id, origin): (&'static RuleMeta, ObjectId, Origin),
        gate: Gate,
        message: impl FnOnce(&K8sVersion, &str) -> String,
    ) -> Option<Finding> {
        let version = self.version_below(out, meta, id, gate)?;
        let text = message(version, self.cluster(id).name());
        Some(self.finding(meta, id, origin, text))
    }

    /// Whether the cluster of object `id` is known to be as `is` says (`is` answers `None` when
    /// the fact is unknown). An unknown fact records a note for `meta` and answers false: this is
    /// where rules decline to guess.
    pub fn cluster_is(
        &self,
        out: &mut Sink,
        meta: &'static RuleMeta,
        id: ObjectId,
        fact: Fact,
        is: impl Fn(&ClusterFacts) -> Option<bool>,
    ) -> bool {
        self.cluster_of_is(out, meta, id, id, fact, is)
    }

    /// [`Context::cluster_is`] for the cluster of `of`, noting `noted` (the object the finding
    /// would be about, so that suppressions on it are not judged) when the fact is unknown.
    pub fn cluster_of_is(
        &self,
        out: &mut Sink,
        meta: &'static RuleMeta,
        of: ObjectId,
        noted: ObjectId,
        fact: Fact,
        is: impl Fn(&ClusterFacts) -> Option<bool>,
    ) -> bool {
        let cluster = self.cluster(of);
        if let Some(answer) = is(&cluster.facts) {
            return answer;
        }
        out.unknown(meta, cluster, fact, noted);
        false
    }

    /// Every HTTP/HTTPS listener that has forwarding rules, with its load balancer.
    pub fn l7_listeners(&self) -> impl Iterator<Item = (PlannedLb<'a>, PlannedListener<'a>)> {
        self.load_balancers().flat_map(|lb| {
            lb.listeners()
                .filter(|l| !l.listener.rules.is_empty())
                .map(move |l| (lb, l))
        })
    }

    /// Ingress frontends that have forwarding rules, with their rules.
    pub fn ingress_frontends(
        &self,
    ) -> impl Iterator<Item = (FrontendId, &'a Frontend, &'a IngressFacts)> {
        self.frontends()
            .filter_map(|(id, f)| f.ingress.as_deref().map(|facts| (id, f, facts)))
    }

    /// What a help text adds for CT Cloud CCE, whose L7 behaviour is taken to be Huawei CCE's.
    pub fn ct_caveat(&self, f: &Frontend) -> &'static str {
        if f.provider == Some(Provider::CtyunCce) {
            " (CT Cloud CCE is taken to behave as Huawei CCE here; not verified)"
        } else {
            ""
        }
    }

    /// `Kind/namespace/name` of an object, for related locations.
    pub fn object_name(&self, id: ObjectId) -> String {
        // Messages quote at most 200 bytes of a name, as of any input value.
        Truncated(&self.object(id).label().to_string()).to_string()
    }

    /// The name of an object, prefixed with its cluster when the run has several.
    pub fn qualified_name(&self, id: ObjectId) -> String {
        if self.inv.multi_cluster() {
            Truncated(&self.inv.qualified_label(id)).to_string()
        } else {
            self.object_name(id)
        }
    }
}

/// Collects findings, and the checks rules skipped because a cluster fact was unknown.
#[derive(Debug, Default)]
pub struct Sink {
    pub findings: Vec<Finding>,
    /// (rule code, cluster, fact) -> objects not checked.
    pub unchecked: BTreeMap<(&'static str, String, Fact), BTreeSet<ObjectId>>,
    /// Other notes of the rules, in the order said.
    pub said: Vec<String>,
}

impl Sink {
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Record that `meta` could not check `object` of `cluster` without `fact`.
    pub fn unknown(
        &mut self,
        meta: &'static RuleMeta,
        cluster: &Cluster,
        fact: Fact,
        object: ObjectId,
    ) {
        self.unchecked
            .entry((meta.code, cluster.name().to_string(), fact))
            .or_default()
            .insert(object);
    }

    /// A note of a rule, for the report.
    pub fn note(&mut self, text: String) {
        self.said.push(text);
    }

    /// The skipped checks as sentences, for the report (then the rules' other notes): one per
    /// unknown fact (and cluster, when
    /// there are several), naming every rule it stopped, so that three rules waiting for the
    /// kube-proxy mode make one note: `not checked: kube-proxy mode unknown for LB301, LB302 (2
    /// objects; set --proxy-mode or clusters[].proxy_mode)`. Where the cluster's exports were
    /// read, the note says why they did not tell the fact.
    pub fn notes(&self, inv: &Inventory) -> Vec<String> {
        /// The rules one unknown fact stopped, and the objects they could not check.
        type Stopped<'s> = (Vec<&'s str>, BTreeSet<ObjectId>);
        let mut by_fact: BTreeMap<(&str, Fact), Stopped> = BTreeMap::new();
        for ((code, cluster, fact), objects) in &self.unchecked {
            let entry = by_fact.entry((cluster.as_str(), *fact)).or_default();
            entry.0.push(code);
            entry.1.extend(objects.iter().copied());
        }
        let mut groups: Vec<_> = by_fact.into_iter().collect();
        // In each cluster, in the order of their first rule.
        groups.sort_by_key(|((cluster, _), (codes, _))| (*cluster, codes.first().copied()));
        let unchecked = groups
            .into_iter()
            .map(|((cluster, fact), (codes, objects))| {
                let count = objects.len();
                let objects = if count == 1 { "object" } else { "objects" };
                let facts = inv
                    .clusters
                    .iter()
                    .find(|c| c.name() == cluster)
                    .map(|c| &c.facts);
                let why = facts.map_or_else(String::new, |facts| unknown_because(facts, fact));
                let place = if inv.multi_cluster() {
                    format!(" in cluster {cluster}")
                } else {
                    String::new()
                };
                format!(
                    "not checked{place}: {} unknown for {} ({count} {objects}; {why}set {})",
                    fact.describe(),
                    codes.join(", "),
                    fact.how_to_set()
                )
            });
        unchecked.chain(self.said.iter().cloned()).collect()
    }
}

/// Why the exports did not tell `fact`, ending in `; `; empty when the cluster has no exports.
fn unknown_because(facts: &ClusterFacts, fact: Fact) -> String {
    let key = if fact == Fact::VersionPatch {
        Fact::Version
    } else {
        fact
    };
    match facts.remarks.get(&key) {
        Some(r) if r.kind == RemarkKind::Unknown => format!("{}; ", r.text),
        Some(r) if r.kind == RemarkKind::Conflict => "the exports disagree; ".into(),
        _ if !facts.exports.is_empty() && fact != Fact::VersionPatch => {
            "not found in the exports; ".into()
        }
        _ => String::new(),
    }
}
