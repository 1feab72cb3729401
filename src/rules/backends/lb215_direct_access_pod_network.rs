use std::collections::BTreeSet;

use crate::rules::{Context, Sink};
use crate::facts::{Fact, Network};
use crate::k8s::keys;
use crate::model::targets::template_of;
use crate::model::{Mode, ObjectId};

declare_rule! {
    /// TKE direct access to pods that cannot be reached directly.
    ///
    /// ## What it does
    /// For a TKE Service or Ingress with direct access (`service.cloud.tencent.com/direct-access` or
    /// `ingress.cloud.tencent.com/direct-access: "true"`), looks at the workloads and pods it
    /// targets. It reports targets that use `hostNetwork`, and, in a `mixed` GlobalRouter + VPC-CNI
    /// cluster, targets whose pod template lacks the annotation
    /// `tke.cloud.tencent.com/networks: tke-route-eni` or a container requesting and limiting
    /// `tke.cloud.tencent.com/eni-ip: "1"`. The second check needs the network mode (`--network`).
    ///
    /// ## Why it matters
    /// Direct access binds pod IPs to the CLB, which needs pods with their own ENI IP. In a mixed
    /// cluster pods do not get one by default (Tencent Cloud TKE, "Use CLB-Pod Direct Connection on TKE"), and hostNetwork pods never do: the CLB
    /// has no backends and the Service is down while Kubernetes shows healthy pods.
    ///
    /// ## Example
    /// ```yaml
    /// # Service: service.cloud.tencent.com/direct-access: "true", selector app: web
    /// # Deployment web, pod template without tke.cloud.tencent.com/networks: tke-route-eni
    /// ```
    ///
    /// ## Fix
    /// In the pod template add `tke.cloud.tencent.com/networks: tke-route-eni` and, on one
    /// container, `tke.cloud.tencent.com/eni-ip: "1"` under both `requests` and `limits`; do not use
    /// direct access for hostNetwork pods.
    pub struct DirectAccessPodNetwork {
        code: "LB215",
        name: "direct-access-pod-network",
        severity: Error,
        scope: Tke,
        check: check,
        facts: [Network],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.tke_frontends() {
        if f.mode != Mode::Pod {
            continue;
        }
        let cluster = cx.cluster(f.object);
        let at = f.direct_access_origin();
        let sources: BTreeSet<ObjectId> = f
            .backends
            .iter()
            .flat_map(|&s| cx.inv.targets_of(s).sources())
            .collect();
        let mut network_unknown = false;
        for source in sources {
            let Some(template) = template_of(cx.inv, source) else {
                continue;
            };
            let source_label = cx.object_name(source);
            if let Some(host_network) = template.host_network {
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        at,
                        format!("direct access targets {source_label}, whose pods use hostNetwork"),
                    )
                    .about_pods([source])
                    .caption("direct access to hostNetwork pods")
                    .help("direct access needs pods with their own ENI IP; drop direct access for hostNetwork workloads")
                    .related(host_network, Some(source_label), "hostNetwork: true"),
                );
                continue;
            }
            let on_eni = template.annotations.value(keys::TKE_POD_NETWORKS)
                == Some(keys::TKE_ROUTE_ENI)
                && template.eni_ip;
            if on_eni {
                continue;
            }
            match cluster.facts.network {
                Some(Network::Mixed) => {}
                Some(_) => continue,
                None => {
                    network_unknown = true;
                    continue;
                }
            }
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    at,
                    format!(
                        "direct access in mixed-network cluster {} targets {source_label}, whose pods are not on an ENI",
                        cluster.name()
                    ),
                )
                .about_pods([source])
                .caption("target pods get no ENI IP")

                .help("in the pod template set tke.cloud.tencent.com/networks: tke-route-eni and tke.cloud.tencent.com/eni-ip: \"1\" in one container's requests and limits")
                .related(template.origin, Some(source_label), "pod template without an ENI"),
            );
        }
        if network_unknown {
            out.unknown(
                &META,
                cluster,
                Fact::Network,
                f.object,
            );
        }
    }
}
