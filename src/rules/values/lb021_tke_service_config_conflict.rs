use crate::rules::{Context, Sink};
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// `tke-service-config` and `tke-service-config-auto` are both set.
    ///
    /// ## What it does
    /// On TKE, reports a Service with both `service.cloud.tencent.com/tke-service-config` (a named
    /// TkeServiceConfig) and `service.cloud.tencent.com/tke-service-config-auto: "true"`.
    ///
    /// ## Why it matters
    /// Tencent documents that the two cannot be used together (TKE "Service负载均衡配置"): one
    /// configuration is ignored, so listener settings such as health checks and session
    /// persistence are not the ones you wrote.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     service.cloud.tencent.com/tke-service-config: web-clb-config
    ///     service.cloud.tencent.com/tke-service-config-auto: "true"
    /// ```
    ///
    /// ## Fix
    /// Keep the named `tke-service-config` and remove `tke-service-config-auto`, or the reverse.
    pub struct TkeServiceConfigConflict {
        code: "LB021",
        name: "tke-service-config-conflict",
        severity: Error,
        scope: Tke,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.tke_frontends() {
        let annotations = cx.object(f.object).annotations();
        let (Some(named), Some(auto)) = (
            annotations.get(keys::TKE_SERVICE_CONFIG),
            annotations.get(keys::TKE_SERVICE_CONFIG_AUTO),
        ) else {
            continue;
        };
        if named.value.trim().is_empty() || auto.value != "true" {
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                auto.origin,
                format!("tke-service-config-auto is on while tke-service-config names {}; the two cannot be used together", quote(named.value.trim())),
            )
            .caption("conflicts with the named TkeServiceConfig")
            .help("keep either the named tke-service-config or tke-service-config-auto")
            .related(named.origin, Some(cx.object_name(f.object)), "named TkeServiceConfig"),
        );
    }
}
