use std::collections::BTreeMap;

use crate::rules::{Context, Sink};
use crate::model::FrontendId;
use crate::model::frontend::LbRef;

declare_rule! {
    /// A Service reuses, by ID, a load balancer that the cloud created for another object.
    ///
    /// ## What it does
    /// Finds the load balancers that a copy of a live object shows were created for it: on CCE the
    /// `kubernetes.io/elb.id` that CCE writes back beside `kubernetes.io/elb.autocreate`, on TKE
    /// the `service.kubernetes.io/loadbalance-id` that TKE writes on a Service whose CLB it
    /// created (one without `service.kubernetes.io/tke-existed-lbid`; ground truth §3.1). It then
    /// reports every other Service or Ingress that names one of them as an existing load balancer
    /// (`kubernetes.io/elb.id`, `tke-existed-lbid`, `kubernetes.io/ingress.existLbId`), with the
    /// creator as the related location.
    ///
    /// ## Why it matters
    /// An auto-created load balancer belongs to the object it was created for, and is deleted
    /// with it. China Telecom Cloud CCE's "负载均衡(LoadBalancer)" says "自动创建的ELB实例建议不要被
    /// 其他资源使用，否则会在删除时被占用，导致资源残留" (an auto-created ELB should not be used by other
    /// resources: when it is deleted it is still in use, and resources are left behind). Tencent
    /// Cloud TKE's "Multiple Services Sharing a CLB" says that only user-created CLBs may be
    /// reused: "when the CLB created in the TKE cluster is reused, CLB resources may not be
    /// released, leading to a resource leak". Either way the borrower's listeners end up on a
    /// load balancer nobody manages.
    ///
    /// ## Example
    /// ```yaml
    /// # dump of Service a:  kubernetes.io/elb.autocreate: '{"type":"public"}'
    /// #                     kubernetes.io/elb.id: 5083f225-...     (written back by CCE)
    /// # Service b:          kubernetes.io/elb.id: 5083f225-...     (borrows a's ELB)
    /// ```
    ///
    /// ## Fix
    /// Give the borrowing Service a load balancer of its own, or create one by hand and let both
    /// objects name it by ID.
    pub struct AutoLbBorrowed {
        code: "LB028",
        name: "auto-lb-borrowed",
        severity: Warning,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut created: BTreeMap<&str, FrontendId> = BTreeMap::new();
    for (fid, f) in cx.planned_frontends() {
        if let Some(id) = &f.created_lb {
            created.entry(id.value.as_str()).or_insert(fid);
        }
    }
    if created.is_empty() {
        return;
    }
    for (_, f) in cx.frontends() {
        let LbRef::Existing { id, origin } = &f.lb else {
            continue;
        };
        let Some(&creator_id) = created.get(id.as_str()) else {
            continue;
        };
        let creator = cx.inv.frontend(creator_id);
        if creator.object == f.object || f.created_lb.is_some() {
            continue;
        }
        let Some(created_at) = &creator.created_lb else {
            continue;
        };
        let cloud = if f.is_tke() { "TKE" } else { "CCE" };
        out.push(
            cx.finding(
                &META,
                f.object,
                *origin,
                format!(
                    "load balancer {id} was created by {cloud} for {}: it is deleted with that object, or left behind unmanaged, while this one still uses it",
                    cx.qualified_name(creator.object)
                ),
            )
            .caption("auto-created for another object")
            .help("give this object a load balancer of its own, or create one by hand and name it by ID in both objects")
            .related(created_at.origin, Some(cx.object_name(creator.object)), "created for this object"),
        );
    }
}
