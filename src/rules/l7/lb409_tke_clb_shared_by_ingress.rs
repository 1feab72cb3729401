use std::collections::BTreeMap;

use crate::rules::{Context, Sink};
use crate::model::FrontendId;
use crate::model::frontend::on;

declare_rule! {
    /// A TKE Ingress shares its CLB with another Ingress without enable-group, or with a Service.
    ///
    /// ## What it does
    /// Groups TKE Ingresses and Services by the CLB they name (`kubernetes.io/ingress.existLbId`,
    /// `service.kubernetes.io/tke-existed-lbid`). Two or more Ingresses on one CLB are reported
    /// unless every one of them sets `ingress.cloud.tencent.com/enable-group: "true"`; an Ingress
    /// on a CLB that a Service also uses is always reported. The finding is on each later
    /// Ingress (the one sharing with a Service, whatever the order), at its CLB ID, with the first
    /// user of the CLB as the related location. These cases are reported here and not as LB101.
    ///
    /// ## Why it matters
    /// TKE gives an Ingress a CLB of its own: a second Ingress on it fails with E4020 ("used by
    /// ingress") unless all of them opt in to sharing with `enable-group` (set when each Ingress
    /// is created), and an Ingress and a Service can never share one. The Ingress that comes
    /// second is never served.
    ///
    /// ## Example
    /// ```yaml
    /// # shop.yaml                                   # admin.yaml
    /// kubernetes.io/ingress.existLbId: lb-6swtxxxx   kubernetes.io/ingress.existLbId: lb-6swtxxxx
    /// ```
    ///
    /// ## Fix
    /// Give each Ingress its own CLB, or set `ingress.cloud.tencent.com/enable-group: "true"` on
    /// every Ingress of the CLB when creating them (TKE Ingress controller v2.10.0 or later), and
    /// keep Services on other CLBs.
    pub struct TkeClbSharedByIngress {
        code: "LB409",
        name: "tke-clb-shared-by-ingress",
        severity: Error,
        scope: Tke,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut by_lb: BTreeMap<&str, Vec<FrontendId>> = BTreeMap::new();
    for (fid, f) in cx.tke_frontends() {
        // Sharing is about the objects the plan holds, not about copies of one object.
        if !f.lb.is_auto() && cx.inv.is_planned(f.object) {
            by_lb.entry(f.lb.id()).or_default().push(fid);
        }
    }
    for (lb, users) in by_lb {
        let (ingresses, services): (Vec<FrontendId>, Vec<FrontendId>) = users
            .iter()
            .partition(|&&fid| cx.inv.frontend(fid).is_ingress());
        let grouped = |fid: FrontendId| {
            let f = cx.inv.frontend(fid);
            on(f.ingress.as_deref().and_then(|x| x.enable_group.as_ref()))
        };
        let lacking: Vec<String> = ingresses
            .iter()
            .filter(|&&fid| !grouped(fid))
            .map(|&fid| cx.qualified_name(cx.inv.frontend(fid).object))
            .collect();
        for (i, &fid) in ingresses.iter().enumerate() {
            let f = cx.inv.frontend(fid);
            if let Some(&service) = services.first() {
                let s = cx.inv.frontend(service);
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        f.lb.origin(),
                        format!(
                            "CLB {lb} is also used by {}: TKE does not let an Ingress and a Service share a CLB",
                            cx.qualified_name(s.object)
                        ),
                    )
                    .caption("CLB shared with a Service")
                    .help("give the Ingress or the Service a CLB of its own")
                    .related(s.lb.origin(), Some(cx.object_name(s.object)), "also uses this CLB"),
                );
                continue;
            }
            let Some(&first) = ingresses.first().filter(|_| i > 0) else {
                continue;
            };
            if lacking.is_empty() {
                continue;
            }
            let other = cx.inv.frontend(first);
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    f.lb.origin(),
                    format!(
                        "CLB {lb} is also used by {}, and not every Ingress on it sets enable-group: \"true\" ({} {})",
                        cx.qualified_name(other.object),
                        lacking.join(", "),
                        if lacking.len() == 1 { "does not" } else { "do not" }
                    ),
                )
                .caption("a second Ingress on this CLB")
                .help("TKE shares a CLB among Ingresses only when every one sets ingress.cloud.tencent.com/enable-group: \"true\" when it is created (error E4020 otherwise); set it on all of them, or give this Ingress its own CLB")
                .related(other.lb.origin(), Some(cx.object_name(other.object)), "first uses this CLB"),
            );
        }
    }
}
