use std::collections::BTreeSet;

use crate::rules::{Context, Sink};
use crate::model::{ClusterId, FrontendId};
use crate::plan::service_settings::{SettingKey, SettingSource, settings_of};

declare_rule! {
    /// Services of several clusters on one cross-cluster listener set different listener settings.
    ///
    /// ## What it does
    /// On CCE, for each listener that cross-cluster Services of two or more clusters share,
    /// compares the listener and backend-group settings each Service writes (algorithm, session
    /// affinity, health check, timeouts: the settings `lbplan plan` shows, with their defaults;
    /// not pass-through, which acts in each cluster's own nodes) with those of the first Service, and reports every other Service whose
    /// settings differ, naming each setting, the value that takes effect and the first Service.
    /// Which Service created the listener is not in the manifests: lbplan takes the first in
    /// input order (config cluster order, then files), and says so.
    ///
    /// ## Why it matters
    /// Huawei Cloud CCE's "为负载均衡类型的Service配置跨集群的后端" says the Services of the clusters
    /// share one listener and backend group, whose configuration follows the Service that first
    /// created the ELB resources ("不同集群部署的监听器，后端服务器组配置跟随第一次创建ELB资源的
    /// Service，如健康检查等"). The other clusters' settings are silently ignored: a health check or
    /// algorithm changed in one cluster's manifests never reaches the ELB.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster a: kubernetes.io/elb.lb-algorithm: ROUND_ROBIN   (created the listener)
    /// # cluster b: kubernetes.io/elb.lb-algorithm: SOURCE_IP     (ignored)
    /// ```
    ///
    /// ## Fix
    /// Write the same settings on every cluster's Service of the listener, so that whichever
    /// created it, the listener is as the manifests say.
    pub struct MulticlusterSettingsMismatch {
        code: "LB219",
        name: "multicluster-settings-mismatch",
        severity: Warning,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut reported: BTreeSet<(FrontendId, u16)> = BTreeSet::new();
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        for planned_listener in planned.listeners() {
            let listener = planned_listener.listener;
            let services: Vec<FrontendId> = planned_listener
                .claims()
                .iter()
                .map(|c| c.frontend)
                .filter(|&fid| cx.inv.frontend(fid).is_cross_cluster())
                .collect();
            let clusters: BTreeSet<ClusterId> = services
                .iter()
                .map(|&fid| cx.inv.frontend(fid).cluster)
                .collect();
            let Some((&first, rest)) = services.split_first() else {
                continue;
            };
            if clusters.len() < 2 {
                continue;
            }
            let (protocol, port) = (listener.protocol, listener.port);
            let effective = settings_of(cx.inv, first, protocol, port);
            let first_f = cx.inv.frontend(first);
            for &fid in rest {
                let f = cx.inv.frontend(fid);
                if f.cluster == first_f.cluster || !reported.insert((fid, port)) {
                    continue;
                }
                let mine = settings_of(cx.inv, fid, protocol, port);
                let differing: Vec<(String, Option<&'static str>)> = mine
                    .iter()
                    // Pass-through is each cluster's own (kube-proxy's), not the listener's.
                    .filter(|s| s.key != SettingKey::PASS_THROUGH)
                    .filter_map(|s| {
                        let applied = effective.iter().find(|e| e.key == s.key)?;
                        (applied.value != s.value).then(|| {
                            let written = |x: &crate::plan::service_settings::Setting| match x
                                .source
                            {
                                SettingSource::Default => format!("{} (default)", x.value),
                                SettingSource::Implied => format!("{} (implied)", x.value),
                                SettingSource::Annotation => x.value.to_string(),
                            };
                            (
                                format!("{} {} here, {} applies", s.key, written(s), written(applied)),
                                s.annotation.or(applied.annotation),
                            )
                        })
                    })
                    .collect();
                let Some(&(_, annotation)) = differing.first() else {
                    continue;
                };
                let annotations = cx.object(f.object).annotations();
                let at = annotation
                    .and_then(|k| annotations.get(k))
                    .map_or(f.lb.origin(), |a| a.origin);
                let first_at = annotation
                    .and_then(|k| cx.object(first_f.object).annotations().get(k))
                    .map_or(first_f.lb.origin(), |a| a.origin);
                let listed: Vec<&str> = differing.iter().map(|(d, _)| d.as_str()).collect();
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        at,
                        format!(
                            "cross-cluster listener {protocol}:{port} of ELB {} takes its settings from {} (the first Service in input order; CCE applies the one that created the listener), so this Service's differ in vain: {}",
                            lb.id,
                            cx.qualified_name(first_f.object),
                            listed.join("; ")
                        ),
                    )
                    .caption("ignored on the shared listener")
                    .help("write the same listener settings on every cluster's Service of this listener")
                    .related(first_at, Some(cx.object_name(first_f.object)), "the settings that apply"),
                );
            }
        }
    }
}
