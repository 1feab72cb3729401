use crate::rules::{Context, Sink};
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// `kubernetes.io/elb.autocreate` is not a JSON object with `type` `public` or `inner`.
    ///
    /// ## What it does
    /// Parses the annotation as JSON and checks that it is an object whose `type` is `public`
    /// (with an EIP) or `inner` (private network only).
    ///
    /// ## Why it matters
    /// CCE reads this JSON to create the ELB with the Service. Invalid JSON, or a missing or
    /// unknown `type`, means no ELB is created and the Service stays pending.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.autocreate: '{"bandwidth_size": 5}'
    /// ```
    ///
    /// ## Fix
    /// Give a JSON object with a `type`:
    /// `kubernetes.io/elb.autocreate: '{"type":"public","bandwidth_name":"cce-bandwidth","bandwidth_chargemode":"bandwidth","bandwidth_size":5,"bandwidth_sharetype":"PER","eip_type":"5_bgp"}'`.
    pub struct InvalidAutocreate {
        code: "LB016",
        name: "invalid-autocreate",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(a) = cx.object(f.object).annotations().get(keys::ELB_AUTOCREATE) else {
            continue;
        };
        let problem = match serde_json::from_str::<serde_json::Value>(&a.value) {
            Err(e) => Some(format!(
                "kubernetes.io/elb.autocreate is not valid JSON: {e}"
            )),
            Ok(serde_json::Value::Object(map)) => match map.get("type").and_then(|t| t.as_str()) {
                Some("public" | "inner") => None,
                Some(other) => Some(format!(
                    "kubernetes.io/elb.autocreate has type {}; it must be public or inner",
                    quote(other)
                )),
                None => Some(
                    "kubernetes.io/elb.autocreate has no \"type\" (public or inner)".to_string(),
                ),
            },
            Ok(_) => Some("kubernetes.io/elb.autocreate must be a JSON object".to_string()),
        };
        if let Some(message) = problem {
            out.push(
                cx.finding(&META, f.object, a.origin, message)
                    .caption("the ELB cannot be created from this")
                    .help("give a JSON object with \"type\": \"public\" (with an EIP) or \"inner\" (private only), such as '{\"type\":\"inner\"}'"),
            );
        }
    }
}
