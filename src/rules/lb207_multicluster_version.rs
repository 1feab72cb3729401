use super::{Context, Sink};
use crate::facts::Fact;

declare_rule! {
    /// A cross-cluster Service on a cluster version that does not support it.
    ///
    /// ## What it does
    /// On CCE, checks the cluster version of every Service with `kubernetes.io/elb.multicluster:
    /// "true"` against the gates of seed 002: v1.23.18-r0, v1.25.13-r0, v1.27.10-r0, v1.28.8-r0,
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
    }
}

impl_rule!(MulticlusterVersion, check);

/// Per minor line, the first version with cross-cluster support.
const GATES: [(u32, u32, u32, u32); 6] = [
    (1, 23, 18, 0),
    (1, 25, 13, 0),
    (1, 27, 10, 0),
    (1, 28, 8, 0),
    (1, 29, 4, 0),
    (1, 30, 1, 0),
];

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
                out.unknown(&MulticlusterVersion::META, cluster, Fact::Version, f.object);
                continue;
            }
            Some(v) if v.major > 1 || v.minor >= 31 => continue,
            Some(v) => (
                v,
                GATES
                    .iter()
                    .find(|g| (g.0, g.1) == (v.major, v.minor))
                    .copied(),
            ),
        };
        let supported_from = match gate {
            Some(gate) => {
                if cx
                    .version_below(out, &MulticlusterVersion::META, f.object, gate)
                    .is_none()
                {
                    continue;
                }
                format!("v{}.{}.{}-r{}", gate.0, gate.1, gate.2, gate.3)
            }
            // 1.24, 1.26 and 1.22 or older have no gate: no release of theirs supports it.
            None => "no release of this minor line".to_string(),
        };
        out.push(
            cx.finding(
                &MulticlusterVersion::META,
                f.object,
                a.origin,
                format!(
                    "cluster {} runs {version}, which does not support cross-cluster ELB backends (supported from: {supported_from})",
                    cluster.name()
                ),
            )
            .label("cross-cluster needs a newer cluster")
            .help("upgrade to v1.23.18-r0, v1.25.13-r0, v1.27.10-r0, v1.28.8-r0, v1.29.4-r0, v1.30.1-r0 (per minor line) or 1.31+"),
        );
    }
}
