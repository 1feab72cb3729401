//! Findings that rest on an inferred cluster fact say where it comes from, so that a wrong export
//! is easy to spot and to override with a flag: `... (version v1.19.16-r2 from nodes.yaml)`.

use super::{Finding, Scope};
use crate::facts::Fact;
use crate::model::Inventory;
use crate::model::frontend::provider_of;

/// Add to each finding's message the inferred facts its rule rests on (its `facts`, and the
/// provider for a CCE or TKE rule when the object's own annotations do not name one).
pub fn say_inferred_facts(findings: &mut [Finding], inv: &Inventory) {
    for finding in findings {
        let (Some(id), Some(rule)) = (finding.object_id, super::find(finding.code)) else {
            continue;
        };
        let meta = rule.meta();
        let facts = &inv.cluster_of(id).facts;
        let provider = matches!(meta.scope, Scope::Cce | Scope::Tke)
            && provider_of(inv.object(id), None).is_none();
        let said: Vec<String> = provider
            .then_some(Fact::Provider)
            .iter()
            .chain(meta.facts)
            .filter_map(|&fact| facts.inferred_from(fact))
            .collect();
        if !said.is_empty() {
            finding.message = format!("{} ({})", finding.message, said.join("; "));
        }
    }
}
