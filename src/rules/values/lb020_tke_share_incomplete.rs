use std::collections::BTreeMap;

use crate::rules::{Context, Severity, Sink};
use crate::facts::{Fact, Flavor};
use crate::k8s::keys;
use crate::model::FrontendId;

declare_rule! {
    /// A TKE Service shares a CLB without both sharing annotations.
    ///
    /// ## What it does
    /// Reports `service.kubernetes.io/qcloud-share-existed-lb: "true"` without
    /// `service.kubernetes.io/tke-existed-lbid`, and, when several Services name the same CLB ID,
    /// each of them that lacks the share flag. The second case is an error on TKE Serverless
    /// clusters and a warning elsewhere, since standard clusters may allow reuse by a cluster-wide
    /// switch.
    ///
    /// ## Why it matters
    /// TKE shares a CLB among Services only when every Service carries both annotations (Tencent Cloud TKE, "Multiple Services Sharing a CLB");
    /// otherwise the second Service fails to sync, or the controllers fight over the CLB's
    /// listeners. The share flag alone names no CLB to share.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     service.kubernetes.io/tke-existed-lbid: lb-6swtxxxx
    ///     # second Service on lb-6swtxxxx, without qcloud-share-existed-lb
    /// ```
    ///
    /// ## Fix
    /// On every Service that shares the CLB set both
    /// `service.kubernetes.io/qcloud-share-existed-lb: "true"` and
    /// `service.kubernetes.io/tke-existed-lbid: lb-xxx` (a CLB you bought, not one TKE created).
    pub struct TkeShareIncomplete {
        code: "LB020",
        name: "tke-share-incomplete",
        severity: Error,
        scope: Tke,
        check: check,
        facts: [Flavor],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut by_lb: BTreeMap<&str, Vec<FrontendId>> = BTreeMap::new();
    for (fid, f) in cx.tke_frontends() {
        let object = cx.object(f.object);
        if object.as_service().is_none() {
            continue;
        }
        let annotations = object.annotations();
        if let Some(share) = annotations.get(keys::TKE_SHARE_EXISTED_LB) {
            if share.value == "true" && annotations.get(keys::TKE_EXISTED_LBID).is_none() {
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        share.origin,
                        "qcloud-share-existed-lb is set, but no CLB is named with service.kubernetes.io/tke-existed-lbid",
                    )
                    .caption("shares which CLB?")
                    .help("add service.kubernetes.io/tke-existed-lbid: lb-xxx naming the CLB to share"),
                );
            }
        }
        // Sharing is about the objects the plan holds, not about copies of one object.
        if !f.lb.is_auto() && cx.inv.is_planned(f.object) {
            by_lb.entry(f.lb.id()).or_default().push(fid);
        }
    }
    for (lb, frontends) in by_lb {
        if frontends.len() < 2 {
            continue;
        }
        for &fid in &frontends {
            let f = cx.inv.frontend(fid);
            if cx
                .object(f.object)
                .annotations()
                .is_true(keys::TKE_SHARE_EXISTED_LB)
            {
                continue;
            }
            let Some(&other) = frontends.iter().find(|&&o| o != fid) else {
                continue;
            };
            let other = cx.inv.frontend(other);
            let cluster = cx.cluster(f.object);
            let (severity, help) = match cluster.facts.flavor {
                Some(Flavor::Serverless) => (
                    Severity::Error,
                    "add service.kubernetes.io/qcloud-share-existed-lb: \"true\"; TKE Serverless shares a CLB only with it".to_string(),
                ),
                Some(_) => (
                    Severity::Warning,
                    "add service.kubernetes.io/qcloud-share-existed-lb: \"true\" to every Service on this CLB, unless the cluster enables CLB reuse cluster-wide".to_string(),
                ),
                None => (
                    Severity::Warning,
                    format!(
                        "add service.kubernetes.io/qcloud-share-existed-lb: \"true\" to every Service on this CLB; this is an error on TKE Serverless (set {})",
                        Fact::Flavor.how_to_set()
                    ),
                ),
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    f.lb.origin(),
                    format!("CLB {lb} is shared with {} but this Service lacks qcloud-share-existed-lb: \"true\"", cx.qualified_name(other.object)),
                )
                .severity(severity)
                .caption("shared CLB without the share flag")
                .help(help)
                .related(other.lb.origin(), Some(cx.object_name(other.object)), "also uses this CLB"),
            );
        }
    }
}
