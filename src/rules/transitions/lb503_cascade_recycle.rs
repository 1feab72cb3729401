use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::model::frontend::RecyclePolicy;
use crate::plan::GroupKind;
use crate::plan::changes::member_count;

declare_rule! {
    /// A `cascade` Service is deleted (or its cluster removed) while other clusters' groups remain on the listener.
    ///
    /// ## What it does
    /// Looks at each cross-cluster CCE Service of the base whose
    /// `kubernetes.io/elb.multicluster-resource-recycle-policy` is `cascade` and that the head no
    /// longer has (deleted, renamed, or its cluster's files gone). For each listener
    /// it claimed, it lists the groups of other clusters (and the members the config adds) that
    /// the head still plans there, and reports the deletion when there are any.
    ///
    /// ## Why it matters
    /// With the cascade policy, deleting the Service or the cluster force-removes the listener and
    /// its backend groups for every cluster (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端": "配置级联删除策略时，删除Service或删除集群会
    /// 强制回收监听器及后端服务器组"). The other clusters' Services still expect the listener: their
    /// traffic stops.
    ///
    /// ## Example
    /// ```yaml
    /// # base, cluster a (cluster b also serves TCP:80 of the ELB)
    /// kubernetes.io/elb.multicluster-resource-recycle-policy: cascade
    /// # head: the Service is deleted from cluster a
    /// ```
    ///
    /// ## Fix
    /// First switch the Service to `member-only` (apply that alone), then delete it: only its own
    /// members are removed. Or move the other clusters off the listener first.
    pub struct CascadeRecycle {
        code: "LB503",
        name: "cascade-recycle",
        severity: Error,
        scope: Cce,
        transition: check,
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for b in tx.deleted_frontends() {
        let Some(policy) = b.recycle_policy.as_ref() else {
            continue;
        };
        if policy.value != RecyclePolicy::Cascade || !b.is_cross_cluster() {
            continue;
        }
        let cluster = tx.base.cluster(b.object).name().to_string();
        let cluster_gone = !tx.head.inv.clusters.iter().any(|c| c.name() == cluster);
        // Per listener the head still plans: the other clusters' groups there.
        let mut losses: Vec<String> = Vec::new();
        let mut places = Vec::new();
        for claim in &b.claims {
            let Some(listener) = tx.listener(Side::Head, b.lb.id(), claim.protocol, claim.port)
            else {
                continue;
            };
            let mut groups = Vec::new();
            for (group, source) in listener.groups() {
                let other = match (group.kind, source) {
                    (GroupKind::External, _) => true,
                    (_, Some(s)) => tx.head.cluster(s.service).name() != cluster,
                    (_, None) => false,
                };
                if !other {
                    continue;
                }
                let n = member_count(group);
                groups.push(format!(
                    "{} ({n} {})",
                    group.name,
                    if n == 1 { "member" } else { "members" }
                ));
                let Some(s) = source else { continue };
                let f = tx.head.inv.frontend(s.frontend);
                let same = |c: &&crate::model::frontend::Claim| {
                    c.protocol == claim.protocol && c.port == claim.port
                };
                if let Some(c) = f.claims.iter().find(same) {
                    places.push((c.origin, f.object, claim.protocol, claim.port));
                }
            }
            if !groups.is_empty() {
                losses.push(format!(
                    "{} on {}:{}",
                    groups.join(", "),
                    claim.protocol,
                    claim.port
                ));
            }
        }
        if losses.is_empty() {
            continue;
        }
        let how = if cluster_gone {
            format!(
                "the cluster of {}, {cluster}, is removed from the config",
                tx.base.object_name(b.object)
            )
        } else {
            format!("{} is deleted", tx.base.object_name(b.object))
        };
        let finding = out.push(
            Side::Base,
            tx.base
                .finding(
                    &META,
                    b.object,
                    policy.origin,
                    format!(
                        "{how}, and its recycle policy is cascade: the listeners it claims on ELB {} and their backend groups are force-removed for every cluster, and {} lose them",
                        b.lb.id(),
                        losses.join("; ")
                    ),
                )
                .caption("cascade: removes the listener for every cluster")
                .help("switch the Service to member-only in a change of its own, then delete it; or move the other clusters off the listener first"),
        );
        for (origin, object, protocol, port) in places {
            finding.elsewhere(
                origin,
                Some(tx.head.object_name(object)),
                format!("still served here: loses {protocol}:{port}"),
            );
        }
    }
}
