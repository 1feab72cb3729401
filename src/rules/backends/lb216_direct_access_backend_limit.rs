use crate::rules::{Context, Sink};
use crate::model::Mode;

declare_rule! {
    /// TKE direct access with more than 200 target pods.
    ///
    /// ## What it does
    /// Counts the target pods of each TKE Service or Ingress with direct access and reports more
    /// than 200, the default CLB backend limit.
    ///
    /// ## Why it matters
    /// In direct-access mode every pod is a CLB backend; past the limit new pods are not bound
    /// (ground truth §3.3), so a scale-out adds capacity that receives no traffic.
    ///
    /// ## Example
    /// ```yaml
    /// # Service with service.cloud.tencent.com/direct-access: "true"; Deployment replicas: 250
    /// ```
    ///
    /// ## Fix
    /// Raise the CLB backend quota with Tencent Cloud, split the workload over several Services
    /// and CLBs, or use node mode.
    pub struct DirectAccessBackendLimit {
        code: "LB216",
        name: "direct-access-backend-limit",
        severity: Warning,
        scope: Tke,
        check: check,
    }
}

const LIMIT: u64 = 200;

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.tke_frontends() {
        if f.mode != Mode::Pod {
            continue;
        }
        let pods: u64 = f
            .backends
            .iter()
            .map(|&s| cx.inv.targets_of(s).pod_count())
            .sum();
        if pods <= LIMIT {
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                f.direct_access_origin(),
                format!("direct access to {pods} pods, over the default CLB limit of {LIMIT} backends"),
            )
            .about_pods(
                f.backends
                    .iter()
                    .flat_map(|&s| cx.inv.targets_of(s).sources()),
            )
            .caption(format!("{pods} backends"))

            .help("raise the CLB backend quota, split the workload over several CLBs, or use node mode"),
        );
    }
}
