use crate::rules::{Context, Severity, Sink};
use crate::k8s::keys;

declare_rule! {
    /// An auto-created dedicated ELB whose `elb.autocreate` lacks what CCE needs, or a CCE Service with no ELB at all.
    ///
    /// ## What it does
    /// On CCE, for a Service or Ingress with `kubernetes.io/elb.class: performance` and a valid
    /// `kubernetes.io/elb.autocreate` JSON object (LB016 reports a malformed one, or one without
    /// `type`), reports a missing `available_zone` or `l4_flavor_name`, and a missing
    /// `l7_flavor_name` where the ELB serves HTTP or HTTPS (`kubernetes.io/elb.protocol-port`, or
    /// an Ingress).
    ///
    /// As a second case (a warning), it reports a LoadBalancer Service of a CCE cluster that
    /// neither names an ELB (`kubernetes.io/elb.id`) nor asks for one (`elb.autocreate`). No
    /// vendor document describes what CCE does then: every example of China Telecom Cloud CCE's
    /// "负载均衡(LoadBalancer)" and of Huawei Cloud CCE's "为负载均衡类型的Service配置跨集群的后端"
    /// carries one of the two, and Huawei CCE's "Creating a LoadBalancer Service" marks
    /// `elb.id` as mandatory to use an existing ELB and `elb.autocreate` to create one, with no
    /// default. So lbplan plans no load balancer for such a Service (it used to plan an
    /// auto-created shared ELB, which no document promises). A Service with one of the
    /// open-source controller's classes (`shared`, `dedicated`, ...; see LB011) is planned as
    /// before: that controller creates an ELB when `elb.id` is absent (ground truth §1.3). A
    /// cross-cluster Service without an ELB is LB202's alone.
    ///
    /// ## Why it matters
    /// China Telecom Cloud CCE's "负载均衡(LoadBalancer)" says that a dedicated ELB needs an
    /// availability zone, subnet and flavor ("独享型ELB实例还需选择可用区、子网和规格"), and that using its
    /// layer-4 and layer-7 abilities needs both flavors in `elb.autocreate`
    /// ("需要在kubernetes.io/elb.autocreate的annotation中指定4层和7层flavor"). Without them the ELB is
    /// not created, or is created without HTTP/HTTPS support, and the Service keeps no address.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.class: performance
    ///     kubernetes.io/elb.autocreate: '{"type":"public","bandwidth_size":5}'   # no zone, no flavor
    /// ```
    ///
    /// ## Fix
    /// Add `"available_zone": ["cn-north-4b"]` and `"l4_flavor_name": "L4_flavor.elb.s1.small"`,
    /// and `"l7_flavor_name"` for HTTP/HTTPS; or use an existing ELB with `kubernetes.io/elb.id`.
    /// For the second case, add `kubernetes.io/elb.id` or `kubernetes.io/elb.autocreate`.
    pub struct AutocreateIncomplete {
        code: "LB029",
        name: "autocreate-incomplete",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let object = cx.object(f.object);
        // A cross-cluster Service without an existing ELB is LB202's.
        if f.no_elb && !f.is_cross_cluster() {
            let at = object
                .as_service()
                .and_then(|s| s.service_type.as_ref())
                .map_or(object.origin, |t| t.origin);
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    at,
                    format!(
                        "{} names no ELB ({}) and asks for none ({}): CCE documents no load balancer for it, and the plan has none",
                        object.label(),
                        keys::ELB_ID,
                        keys::ELB_AUTOCREATE
                    ),
                )
                .severity(Severity::Warning)
                .caption("no ELB named or requested")
                .help("add kubernetes.io/elb.id to use an existing ELB, or kubernetes.io/elb.autocreate to have CCE create one"),
            );
            continue;
        }
        let (Some(spec), Some(origin)) = (f.autocreate_spec, f.autocreate) else {
            continue;
        };
        if !f.is_dedicated() {
            continue;
        }
        let serves_l7 = f.is_ingress() || f.claims.iter().any(|c| c.protocol.is_l7());
        let mut missing = Vec::new();
        if !spec.available_zone {
            missing.push("available_zone");
        }
        if !spec.l4_flavor && !f.is_ingress() {
            missing.push("l4_flavor_name");
        }
        if serves_l7 && !spec.l7_flavor {
            missing.push("l7_flavor_name");
        }
        if missing.is_empty() {
            continue;
        }
        let why = if serves_l7 && !spec.l7_flavor {
            "a dedicated ELB needs an availability zone and flavors, and one serving HTTP/HTTPS a layer-7 flavor"
        } else {
            "a dedicated ELB needs an availability zone and a layer-4 flavor"
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                origin,
                format!(
                    "kubernetes.io/elb.autocreate lacks {} for a dedicated ELB: {why}",
                    missing.join(" and ")
                ),
            )
            .caption(format!("no {}", missing.join(", no ")))
            .help("add \"available_zone\": [\"ZONE\"], \"l4_flavor_name\" and, for HTTP/HTTPS, \"l7_flavor_name\" to the JSON; or name an existing ELB with kubernetes.io/elb.id"),
        );
    }
}
