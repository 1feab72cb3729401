use crate::rules::{Context, Sink};
use crate::facts::{Fact, Gate};

declare_rule! {
    /// A cross-cluster Service on a cluster version that does not support it.
    ///
    /// ## What it does
    /// On CCE, checks the cluster version of every Service with `kubernetes.io/elb.multicluster:
    /// "true"` against the gates of Huawei Cloud CCE's "为负载均衡类型的Service配置跨集群的后端": v1.23.18-r0, v1.25.13-r0, v1.27.10-r0, v1.28.8-r0,
    /// v1.29.4-r0 and v1.30.1-r0, per minor line. A minor line without a gate below 1.30 (1.24,
    /// 1.26, and 1.22 or older) is not supported; 1.31 and later are. Needs the version
    /// (`--k8s-version`), with the patch level on a gated line.
    ///
    /// ## Why it matters
    /// An older controller ignores the cross-cluster annotations and attaches the Service as an
    /// ordinary one, which then clears the other clusters' backends from the shared listener.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster version v1.28.5-r0
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster: "true"
    /// ```
    ///
    /// ## Fix
    /// Upgrade the cluster to at least the gate of its minor line (v1.28.8-r0 for 1.28), or keep
    /// the Service off the shared listener until then.
    pub struct MulticlusterVersion {
        code: "LB207",
        name: "multicluster-version",
        severity: Error,
        scope: Cce,
        check: check,
        facts: [Version],
    }
}

/// Per minor line, the first version with cross-cluster support. Minor lines not listed below
/// [`EVERY_RELEASE_FROM`] have no release that supports it.
const GATES: [Gate; 6] = [
    Gate::new(1, 23, 18, 0),
    Gate::new(1, 25, 13, 0),
    Gate::new(1, 27, 10, 0),
    Gate::new(1, 28, 8, 0),
    Gate::new(1, 29, 4, 0),
    Gate::new(1, 30, 1, 0),
];

/// From this minor line on, every release supports it.
const EVERY_RELEASE_FROM: Gate = Gate::minor(1, 31);

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        if !f.is_cross_cluster() {
            continue;
        }
        let Some(a) = &f.multicluster else {
            continue;
        };
        let cluster = cx.cluster(f.object);
        let (version, gate) = match &cluster.facts.version {
            None => {
                out.unknown(&META, cluster, Fact::Version, f.object);
                continue;
            }
            Some(v) if v.below(EVERY_RELEASE_FROM) == Some(false) => continue,
            Some(v) => (
                v,
                GATES
                    .iter()
                    .find(|g| (g.major, g.minor) == (v.major, v.minor))
                    .copied(),
            ),
        };
        let supported_from = match gate {
            Some(gate) => {
                if cx
                    .version_below(out, &META, f.object, gate)
                    .is_none()
                {
                    continue;
                }
                gate.to_string()
            }
            // 1.24, 1.26 and 1.22 or older have no gate: no release of theirs supports it.
            None => "no release of this minor line".to_string(),
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                a.origin,
                format!(
                    "cluster {} runs {version}, which does not support cross-cluster ELB backends (supported from: {supported_from})",
                    cluster.name()
                ),
            )
            .caption("cross-cluster needs a newer cluster")
            .help(upgrade_help()),
        );
    }
}

/// `upgrade to v1.23.18-r0, ... (per minor line) or 1.31+`, from the gates.
fn upgrade_help() -> String {
    let gates: Vec<String> = GATES.iter().map(Gate::to_string).collect();
    format!(
        "upgrade to {} (per minor line) or {}.{}+",
        gates.join(", "),
        EVERY_RELEASE_FROM.major,
        EVERY_RELEASE_FROM.minor
    )
}
