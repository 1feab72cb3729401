use std::collections::BTreeMap;

use crate::k8s::docs::{TKE_SHARED_CLB};
use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::k8s::{Object, Service, keys};
use crate::model::frontend::LbRef;
use crate::model::{Frontend, ObjectId};

declare_rule! {
    /// Two or more Services on one TKE CLB change their backends in the same diff.
    ///
    /// ## What it does
    /// Groups the TKE LoadBalancer Services of the head by the existing CLB they share
    /// (`service.kubernetes.io/tke-existed-lbid`), and reports a CLB on which two or more
    /// Services present on both sides change their backends: the Service itself changes (ports,
    /// selector, type, traffic policy, or its annotations), or the pod template of a workload it
    /// selects does (a rolling update). Comments, blank lines and moves within a file do not
    /// count.
    ///
    /// ## Why it matters
    /// TKE synchronises the Services sharing a CLB concurrently, and its documentation warns
    /// against releasing their backends at the same time: "If multiple Services are being updated
    /// at back end simultaneously, some backend traffic may not be removed timely, leading to
    /// traffic anomalies. Meanwhile, graceful shutdown may not truly take effect." (Tencent Cloud TKE, "Multiple Services Sharing a CLB")
    ///
    /// ## Example
    /// ```yaml
    /// # api and web share lb-6adtbr7l; this change edits both Deployments' pod templates
    /// image: api:2.1    # was api:2.0
    /// image: web:1.8    # was web:1.7
    /// ```
    ///
    /// ## Fix
    /// Roll the Services out one at a time: split the change, and apply the next part once the
    /// first has settled.
    pub struct SharedClbJointRollout {
        code: "LB504",
        name: "shared-clb-joint-rollout",
        severity: Warning,
        scope: Tke,
        transition: check,
    }
}

/// A Service as its backends depend on it, without locations.
fn service_key(object: &Object, service: &Service) -> String {
    let ports: Vec<String> = service
        .ports
        .iter()
        .map(|p| format!("{:?}/{}/{}", p.name, p.port, p.protocol.as_str()))
        .collect();
    let annotations: Vec<String> = object
        .annotations()
        .iter()
        .filter(|a| a.key != keys::LBPLAN_IGNORE)
        .map(|a| format!("{}={}", a.key, a.value))
        .collect();
    format!(
        "{:?}|{ports:?}|{:?}|{:?}|{:?}|{annotations:?}",
        service.service_type.as_ref().map(|t| t.value),
        service.selector,
        service.external_traffic_policy.as_ref().map(|p| p.value),
        service
            .external_ips
            .iter()
            .map(|ip| ip.value.as_str())
            .collect::<Vec<_>>(),
    )
}

/// How the backends of a Service on both sides change, in words; `None` when they do not.
fn change(tx: &Transition, b: &Frontend, h: &Frontend) -> Option<String> {
    let (bo, ho) = (tx.base.object(b.object), tx.head.object(h.object));
    let (Some(bs), Some(hs)) = (bo.as_service(), ho.as_service()) else {
        return None;
    };
    if service_key(bo, bs) != service_key(ho, hs) {
        return Some("its spec or annotations change".into());
    }
    if let Some(&workload) = tx.rolled_workloads(h.object).first() {
        return Some(format!(
            "the pod template of {} changes",
            tx.head.object_name(workload)
        ));
    }
    None
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    let mut by_clb: BTreeMap<&str, Vec<(ObjectId, &Frontend, String)>> = BTreeMap::new();
    for (b, h) in tx.frontend_pairs() {
        let LbRef::Existing { id, .. } = &h.lb else {
            continue;
        };
        if !h.is_tke() || h.is_ingress() {
            continue;
        }
        if let Some(why) = change(tx, b, h) {
            by_clb.entry(id).or_default().push((h.object, h, why));
        }
    }
    for (clb, changed) in by_clb {
        let [(first, f, why), rest @ ..] = changed.as_slice() else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let names: Vec<String> = changed
            .iter()
            .map(|(id, _, why)| format!("{} ({why})", tx.head.object_name(*id)))
            .collect();
        let mut finding = tx
            .head
            .finding(
                &META,
                *first,
                f.lb.origin(),
                format!(
                    "{} Services on CLB {clb} change their backends in this change: {}; TKE synchronises a shared CLB's Services concurrently, and backends updated at the same time may not be removed from traffic in time ({TKE_SHARED_CLB})",
                    changed.len(),
                    names.join(", ")
                ),
            )
            .caption(format!("{why}, with {} more on this CLB", rest.len()))
            .help("roll the Services out one at a time: split the change, and apply the next part once the first has settled");
        for (id, other, why) in rest {
            finding = finding.related(
                other.lb.origin(),
                Some(tx.head.object_name(*id)),
                format!("also changes: {why}"),
            );
        }
        out.push(Side::Head, finding);
    }
}
