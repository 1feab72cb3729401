use std::collections::BTreeMap;

use crate::rules::{Context, Severity, Sink};
use crate::facts::{Fact, ProxyMode};
use crate::model::frontend::PassThrough;
use crate::model::{ClusterId, Frontend};

declare_rule! {
    /// In an IPVS cluster, Services on one ELB differ in `kubernetes.io/elb.pass-through`.
    ///
    /// ## What it does
    /// On CCE, groups the LoadBalancer Services of each IPVS cluster by ELB and reports each whose
    /// pass-through setting (`true` or `onlyLocal` versus absent or `false`) differs from the
    /// first's. Needs the proxy mode (`--proxy-mode`).
    ///
    /// On Huawei CCE a Service with `externalTrafficPolicy: Local` and no pass-through annotation
    /// has pass-through all the same: CCE sets `onlyLocal` itself (ground truth §1.6, from the CCE
    /// annotation documentation, where the annotation is documented from v1.19). Such a Service
    /// agrees with one that writes `onlyLocal` or `"true"`. Where the cluster's version is unknown
    /// this cannot be told, and a difference that hangs on it is a warning naming
    /// `--k8s-version`. China Telecom Cloud CCE's "负载均衡(LoadBalancer)" shows a `Local` Service
    /// with `pass-through: "true"` written, and no page of its says that `Local` alone sets it:
    /// on `ctyun-cce` only the annotation counts (unconfirmed either way).
    ///
    /// ## Why it matters
    /// With pass-through off, kube-proxy binds the ELB address to `kube-ipvs0` on every node; with
    /// it on, in-cluster traffic goes out to the ELB. On one ELB the two cannot coexist: in IPVS
    /// mode all Services on one ELB must have the same pass-through setting (China Telecom Cloud CCE, "负载均衡(LoadBalancer)"), or
    /// in-cluster access to some of them breaks.
    ///
    /// ## Example
    /// ```yaml
    /// # Service a: kubernetes.io/elb.id: X, kubernetes.io/elb.pass-through: "true"
    /// # Service b: kubernetes.io/elb.id: X        (no pass-through)
    /// ```
    ///
    /// ## Fix
    /// Set the same `kubernetes.io/elb.pass-through` value on every Service of the ELB.
    pub struct IpvsPassThroughMismatch {
        code: "LB302",
        name: "ipvs-pass-through-mismatch",
        severity: Error,
        scope: Cce,
        check: check,
        facts: [ProxyMode],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        let mut by_cluster: BTreeMap<ClusterId, Vec<&Frontend>> = BTreeMap::new();
        for &fid in planned.frontends() {
            let f = cx.inv.frontend(fid);
            if f.is_cce() && !f.is_ingress() {
                by_cluster.entry(f.cluster).or_default().push(f);
            }
        }
        for services in by_cluster.values() {
            let Some((first, rest)) = services.split_first() else {
                continue;
            };
            let cluster = cx.cluster(first.object);
            let state = |f: &Frontend| {
                let local = cx
                    .object(f.object)
                    .as_service()
                    .and_then(|s| s.local_traffic_policy())
                    .map(|p| p.origin);
                f.pass_through(local, cluster.facts.version.as_ref())
            };
            let reference = state(first);
            // (Service, its state, whether the difference is certain)
            let differing: Vec<(&Frontend, PassThrough, bool)> = rest
                .iter()
                .filter_map(|f| {
                    let s = state(f);
                    match (known(reference), known(s)) {
                        (Some(a), Some(b)) if a != b => Some((*f, s, true)),
                        (Some(_), None) | (None, Some(_)) => Some((*f, s, false)),
                        _ => None,
                    }
                })
                .collect();
            if differing.is_empty() {
                continue;
            }
            match cluster.facts.proxy_mode {
                Some(ProxyMode::Ipvs) => {}
                Some(ProxyMode::Iptables) => continue,
                None => {
                    for (f, _, _) in &differing {
                        out.unknown(&META, cluster, Fact::ProxyMode, f.object);
                    }
                    continue;
                }
            }
            let origin_of = |f: &Frontend, s: PassThrough| s.origin().unwrap_or(f.lb.origin());
            for (f, s, certain) in differing {
                let message = if certain {
                    format!(
                        "pass-through is {} here but {} for {}, which shares ELB {} in IPVS cluster {}",
                        describe(s),
                        describe(reference),
                        cx.qualified_name(first.object),
                        lb.id,
                        cluster.name()
                    )
                } else {
                    let (uncertain, settled, settled_state) = if known(s).is_none() {
                        (f.object, first.object, reference)
                    } else {
                        (first.object, f.object, s)
                    };
                    format!(
                        "pass-through of {} depends on the version of IPVS cluster {}, which is unknown (Huawei CCE sets onlyLocal for externalTrafficPolicy: Local from v1.19), while {} on the same ELB {} has it {}",
                        cx.qualified_name(uncertain),
                        cluster.name(),
                        cx.qualified_name(settled),
                        lb.id,
                        short(settled_state)
                    )
                };
                let finding = cx
                    .finding(&META, f.object, origin_of(f, s), message)
                    .caption(format!("pass-through {}", short(s)))
                    .related(
                        origin_of(first, reference),
                        Some(cx.object_name(first.object)),
                        format!("pass-through {}", short(reference)),
                    );
                let finding = if certain {
                    finding.help("set the same kubernetes.io/elb.pass-through on every Service of this ELB")
                } else {
                    finding.severity(Severity::Warning).help(format!(
                        "Huawei CCE sets pass-through onlyLocal for externalTrafficPolicy: Local from v1.19, and the version of cluster {} is unknown: set {} to know, or write kubernetes.io/elb.pass-through on every Service of this ELB",
                        cluster.name(),
                        Fact::Version.how_to_set()
                    ))
                };
                out.push(finding);
            }
        }
    }
}

/// On, off, or unknown (`Local` on a cluster of unknown version).
fn known(state: PassThrough) -> Option<bool> {
    match state {
        PassThrough::MaybeImplied(_) => None,
        other => Some(other.is_on()),
    }
}

fn short(state: PassThrough) -> &'static str {
    match state {
        PassThrough::On(_) | PassThrough::Implied(_) => "on",
        PassThrough::Off(_) => "off",
        PassThrough::MaybeImplied(_) => "on from v1.19",
    }
}

fn describe(state: PassThrough) -> &'static str {
    match state {
        PassThrough::On(_) => "on",
        PassThrough::Off(_) => "off",
        PassThrough::Implied(_) => {
            "on (onlyLocal, which Huawei CCE sets for externalTrafficPolicy: Local)"
        }
        PassThrough::MaybeImplied(_) => "on from v1.19",
    }
}
