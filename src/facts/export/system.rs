//! Facts from the kube-system objects of a cluster's exports: kube-proxy's mode, TKE's network
//! mode and GlobalRouter direct access.

use super::infer::{ExportSeen, Inferred};
use super::observe::ValueSeen;
use crate::facts::{Network, ProxyMode};

/// kube-proxy modes lbplan does not model but names when it meets them.
const OTHER_PROXY_MODES: [&str; 3] = ["nftables", "kernelspace", "userspace"];
/// The default networks of `tke-cni-agent-conf` lbplan knows.
const DELEGATES: [&str; 3] = ["tke-bridge", "tke-route-eni", "tke-direct-eni"];

/// A value read from a cluster's objects, for a message: named when it is one of `known` (or a
/// description lbplan wrote itself), else described, never quoted: a ConfigMap's data is the
/// cluster's, and may hold anything.
fn described(value: &str, known: &[&str]) -> String {
    if known.contains(&value) || value.starts_with("an empty mode") {
        return value.to_string();
    }
    match value.chars().count() {
        0 => "empty".into(),
        n => format!("a value lbplan does not recognise ({n} characters)"),
    }
}

/// kube-proxy's mode, from its ConfigMap (`config` or `config.conf`) or its arguments. Not on CCE,
/// where kube-proxy runs on the nodes outside Kubernetes (the caller says so).
pub fn proxy_mode(exports: &[ExportSeen]) -> Inferred<ProxyMode> {
    let mut modes: Vec<(ProxyMode, String, &str)> = Vec::new();
    let mut unknown = None;
    let (mut cilium, mut kube_proxy) = (None, false);
    for export in exports {
        let file = export.file.as_str();
        kube_proxy |= export.seen.kube_proxy;
        if cilium.is_none() {
            cilium = export.seen.cilium.as_ref().map(|c| format!("{file}: {c}"));
        }
        for seen in &export.seen.proxy_modes {
            match &seen.mode {
                Ok(mode) => modes.push((*mode, format!("{file}: {}", seen.at), file)),
                Err(written) => {
                    unknown.get_or_insert_with(|| {
                        format!(
                            "{file}: {} is {}: lbplan knows iptables and ipvs",
                            seen.at,
                            described(written, &OTHER_PROXY_MODES)
                        )
                    });
                }
            }
        }
    }
    if let Some((mode, at, file)) = modes.first() {
        if let Some((other, other_at, _)) = modes.iter().find(|(m, _, _)| m != mode) {
            return Inferred::Conflict(format!(
                "exports disagree on kube-proxy's mode: {at} {}, {other_at} {}; proxy mode not inferred",
                mode.as_str(),
                other.as_str()
            ));
        }
        return Inferred::known(*mode, file, format!("{at} {}", mode.as_str()));
    }
    if let (Some(cilium), false) = (&cilium, kube_proxy) {
        return Inferred::Unknown(Some(format!(
            "{cilium} runs and no kube-proxy was found: the cluster may run without kube-proxy"
        )));
    }
    Inferred::Unknown(unknown)
}

/// TKE's network mode: `defaultDelegates` of `tke-cni-agent-conf` (`tke-route-eni` and
/// `tke-direct-eni` are VPC-CNI; `tke-bridge` is GlobalRouter, or mixed when VPC-CNI components
/// run), else nodes registering ENI resources (mixed when some nodes have a pod CIDR).
pub fn network(exports: &[ExportSeen]) -> Inferred<Network> {
    let delegates: Vec<(&str, &ValueSeen)> = exports
        .iter()
        .flat_map(|e| {
            e.seen
                .cni_delegates
                .iter()
                .map(move |d| (e.file.as_str(), d))
        })
        .collect();
    let component = exports.iter().find_map(|e| {
        e.seen
            .eni_components
            .first()
            .map(|c| format!("{}: {c}", e.file))
    });
    let eni_node = exports.iter().find_map(|e| {
        e.seen.nodes.iter().find(|n| n.eni).map(|n| {
            let shown = format!(
                "{}: node {} registers ENI resources (tke.cloud.tencent.com/eni-ip)",
                e.file, n.name
            );
            (e.file.as_str(), shown)
        })
    });
    let pod_cidr = exports
        .iter()
        .any(|e| e.seen.nodes.iter().any(|n| n.pod_cidr && !n.eklet));
    let workloads: usize = exports.iter().map(|e| e.seen.kube_system_workloads).sum();
    let Some((file, first)) = delegates.first() else {
        return match (eni_node, pod_cidr) {
            (Some((file, node)), true) => Inferred::known(
                Network::Mixed,
                file,
                format!("{node}, and nodes have spec.podCIDR (GlobalRouter)"),
            ),
            (Some((file, node)), false) => Inferred::known(
                Network::VpcCni,
                file,
                format!("{node}, and no node has spec.podCIDR"),
            ),
            (None, _) => Inferred::Unknown(component.map(|c| {
                format!("{c} shows VPC-CNI is on (vpc-cni or mixed); add ConfigMap kube-system/tke-cni-agent-conf to the exports to tell")
            })),
        };
    };
    if let Some((other_file, other)) = delegates.iter().find(|(_, d)| d.value != first.value) {
        return Inferred::Conflict(format!(
            "exports disagree on the default network: {file}: {} {}, {other_file}: {} {}; network not inferred",
            first.at,
            described(&first.value, &DELEGATES),
            other.at,
            described(&other.value, &DELEGATES)
        ));
    }
    let shown = format!("{file}: {} {}", first.at, first.value);
    match first.value.as_str() {
        "tke-route-eni" | "tke-direct-eni" => Inferred::known(Network::VpcCni, file, shown),
        "tke-bridge" => match component.or(eni_node.map(|(_, shown)| shown)) {
            Some(vpc_cni) => {
                Inferred::known(Network::Mixed, file, format!("{shown}, and {vpc_cni}"))
            }
            None if workloads > 0 => Inferred::known(
                Network::GlobalRouter,
                file,
                format!(
                    "{shown}, and no VPC-CNI component among {workloads} kube-system workloads"
                ),
            ),
            None => Inferred::Unknown(Some(format!(
                "{shown}: GlobalRouter, or mixed when VPC-CNI is on; add `kubectl -n kube-system get daemonsets,deployments -o yaml` to the exports to tell"
            ))),
        },
        other => Inferred::Unknown(Some(format!(
            "{file}: {} is {}: not a network lbplan knows (tke-bridge, tke-route-eni, tke-direct-eni)",
            first.at,
            described(other, &DELEGATES)
        ))),
    }
}

/// `GlobalRouteDirectAccess` of `tke-service-controller-config`: `"true"` or `"false"`.
pub fn global_route(exports: &[ExportSeen]) -> Inferred<bool> {
    let values: Vec<(&str, &ValueSeen)> = exports
        .iter()
        .flat_map(|e| {
            e.seen
                .global_route
                .iter()
                .map(move |v| (e.file.as_str(), v))
        })
        .collect();
    global_route_setting(&values)
}

/// The setting from its ConfigMaps, wherever they were read (exports or manifests).
pub fn global_route_setting(values: &[(&str, &ValueSeen)]) -> Inferred<bool> {
    let mut read: Vec<(bool, &str, &ValueSeen)> = Vec::new();
    for (file, seen) in values {
        match seen.value.as_str() {
            "true" => read.push((true, file, seen)),
            "false" => read.push((false, file, seen)),
            other => {
                return Inferred::Unknown(Some(format!(
                    "{file}: {} is {}, neither \"true\" nor \"false\"",
                    seen.at,
                    described(other, &[])
                )));
            }
        }
    }
    let Some((value, file, seen)) = read.first() else {
        return Inferred::Unknown(None);
    };
    if let Some((_, other_file, other)) = read.iter().find(|(v, _, _)| v != value) {
        return Inferred::Conflict(format!(
            "{file}: {} says {}, {other_file}: {} says {}; not inferred",
            seen.at, seen.value, other.at, other.value
        ));
    }
    Inferred::known(
        *value,
        file,
        format!("{file}: {} \"{}\"", seen.at, seen.value),
    )
}
