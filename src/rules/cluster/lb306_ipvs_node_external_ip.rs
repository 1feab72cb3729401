use crate::rules::{Context, Sink};
use crate::facts::{ClusterFacts, Fact};

declare_rule! {
    /// In an IPVS cluster, a Service lists a node's IP in `externalIPs`.
    ///
    /// ## What it does
    /// Reports each `spec.externalIPs` entry that is the IP of a node of the cluster, as named in
    /// `clusters[].nodes`, shown as an InternalIP in an export of the nodes (`kubectl get nodes
    /// -o yaml`), or seen as `status.hostIP` of an observed pod, when kube-proxy runs in IPVS
    /// mode. Needs the proxy mode (`--proxy-mode`) and node IPs.
    ///
    /// ## Why it matters
    /// kube-proxy binds every external IP to `kube-ipvs0` on every node. A node's own IP bound
    /// there captures the node's traffic, and the node becomes unavailable (China Telecom Cloud CCE, "负载均衡(LoadBalancer)").
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   externalIPs:
    ///   - 192.168.0.11   # node-1
    /// ```
    ///
    /// ## Fix
    /// Remove node IPs from `externalIPs`; expose the Service through a LoadBalancer or NodePort.
    pub struct IpvsNodeExternalIp {
        code: "LB306",
        name: "ipvs-node-external-ip",
        severity: Error,
        scope: Any,
        check: check,
        facts: [ProxyMode],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (id, entry) in cx.inv.definitions() {
        let Some(service) = entry.object.as_service() else {
            continue;
        };
        if service.external_ips.is_empty() {
            continue;
        }
        let cluster = cx.cluster(id);
        if !cx.cluster_is(out, &META, id, Fact::ProxyMode, ClusterFacts::is_ipvs) {
            continue;
        }
        if cluster.node_ips.is_empty() {
            out.unknown(&META, cluster, Fact::Nodes, id);
            continue;
        }
        for ip in &service.external_ips {
            if !cluster.node_ips.contains(ip.value.trim()) {
                continue;
            }
            let node = cluster
                .facts
                .nodes
                .iter()
                .find(|n| n.ip == ip.value.trim())
                .map_or_else(
                    || "a node".to_string(),
                    |n| match &n.export {
                        Some(file) => format!("node {} (InternalIP in {file})", n.name),
                        None => format!("node {}", n.name),
                    },
                );
            out.push(
                cx.finding(
                    &META,
                    id,
                    ip.origin,
                    format!(
                        "externalIPs entry {} is the IP of {node} in IPVS cluster {}: the node becomes unavailable",
                        ip.value,
                        cluster.name()
                    ),
                )
                .caption("a node IP")
                .help("remove node IPs from spec.externalIPs; kube-proxy in IPVS mode binds them on every node"),
            );
        }
    }
}
