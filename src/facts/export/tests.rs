//! Inference from exports written as kubectl prints them, with the strings the research found in
//! real clusters (`../shared/research/cluster-facts.md`).

use super::*;
use crate::facts::{Flavor, Network, Provider, ProxyMode};
use crate::source::node::MANIFEST;

/// What one export file of this text shows.
fn seen(file: &str, text: &str) -> ExportSeen {
    let read = read(FileId(0), file, text.as_bytes().to_vec());
    assert_eq!(read.problem, None, "{file}");
    ExportSeen {
        file: file.into(),
        seen: read.seen,
    }
}

fn node(name: &str, provider_id: &str, kubelet: &str, labels: &str) -> String {
    format!(
        "- apiVersion: v1\n  kind: Node\n  metadata:\n    name: {name}\n    labels: {{{labels}}}\n  spec:\n    providerID: {provider_id}\n  status:\n    addresses:\n    - {{type: InternalIP, address: {name}}}\n    - {{type: ExternalIP, address: 43.136.58.179}}\n    nodeInfo: {{kubeletVersion: {kubelet}}}\n"
    )
}

fn nodes(items: &[String]) -> String {
    format!("apiVersion: v1\nkind: List\nitems:\n{}", items.concat())
}

fn value<T: Clone>(inferred: &Inferred<T>) -> Option<T> {
    match inferred {
        Inferred::Known { value, .. } => Some(value.clone()),
        _ => None,
    }
}

fn evidence<T>(inferred: &Inferred<T>) -> String {
    match inferred {
        Inferred::Known { evidence, .. } => evidence.clone(),
        Inferred::Unknown(why) => why.clone().unwrap_or_default(),
        Inferred::Conflict(why) => why.clone(),
    }
}

#[test]
fn tke_nodes_give_provider_version_and_ips_without_the_super_node() {
    let export = seen(
        "nodes.yaml",
        &nodes(&[
            node(
                "10.0.1.12",
                "qcloud:///100003/ins-jifjbvhg",
                "v1.22.5-tke.9",
                "",
            ),
            node(
                "10.0.1.13",
                "qcloud:///300003/ins-bzwza4jk",
                "v1.22.5-tke.1",
                "",
            ),
            node(
                "eklet-subnet-lowt256k",
                "\"\"",
                "v2.5.21",
                "node.kubernetes.io/instance-type: eklet",
            ),
        ]),
    );
    let exports = [export];
    let p = provider(&exports);
    assert_eq!(value(&p), Some(Provider::TencentTke));
    assert!(evidence(&p).contains("qcloud:///100003/ins-jifjbvhg (3 of 3 nodes)"));
    let v = version(&exports);
    assert_eq!(value(&v).map(|v| v.text), Some("v1.22.5".into()));
    assert!(evidence(&v).contains("v1.22.5-tke.9"), "{}", evidence(&v));
    assert!(
        evidence(&v).contains("1 super node skipped"),
        "{}",
        evidence(&v)
    );
    // Not Serverless: not every node is a super node.
    assert_eq!(value(&flavor(&exports)), None);
    let ips: Vec<String> = infer::nodes(&exports).into_iter().map(|n| n.ip).collect();
    assert_eq!(ips, ["10.0.1.12", "10.0.1.13"]);
}

#[test]
fn only_super_nodes_is_serverless() {
    let exports = [seen(
        "nodes.yaml",
        &nodes(&[node(
            "eklet-subnet-lowt256k",
            "\"\"",
            "v2.5.21",
            "node.kubernetes.io/instance-type: eklet",
        )]),
    )];
    assert_eq!(value(&flavor(&exports)), Some(Flavor::Serverless));
    // The eklet version is no Kubernetes version.
    assert_eq!(value(&version(&exports)), None);
}

#[test]
fn cce_nodes_give_the_cce_family_and_the_lowest_version() {
    let labels = "os.name: EulerOS_2.0_SP9x86_64, node.kubernetes.io/subnetid: 3f4a2c1e";
    let exports = [seen(
        "nodes.yaml",
        &nodes(&[
            node(
                "192.168.10.240",
                "06a5ea3a-0482-11ec-8e1a-0255ac101dc2",
                "v1.19.16-r2-CCE22.5.1",
                labels,
            ),
            node(
                "192.168.10.241",
                "1b7c3e55-6d2a-11ec-9f3b-0255ac100b45",
                "v1.19.8-r1-CCE21.4.1.B003",
                labels,
            ),
        ]),
    )];
    let p = provider(&exports);
    assert_eq!(value(&p), Some(Provider::HuaweiCce));
    assert!(matches!(&p, Inferred::Known { remark: Some(r), .. } if r.contains("ctyun-cce")));
    let v = version(&exports);
    assert_eq!(value(&v).map(|v| v.text), Some("v1.19.8-r1".into()));
    assert!(evidence(&v).contains("192.168.10.241, the lowest of 2 nodes"));
}

#[test]
fn cce_labels_alone_are_enough_and_a_scheme_never_is() {
    let labels = "cce.cloud.com/cce-nodepool: pool-1";
    let cce = [seen(
        "nodes.yaml",
        &nodes(&[node(
            "192.168.0.2",
            "06a5ea3a-0482-11ec-8e1a-0255ac101dc2",
            "v1.28.3",
            labels,
        )]),
    )];
    assert_eq!(value(&provider(&cce)), Some(Provider::HuaweiCce));
    for foreign in ["cce://i-lLmH7GfW", "huaweicloud://4a1c2e"] {
        // Baidu's CCE, and the open-source Huawei controller of self-built clusters: never CCE,
        // whatever else the node says.
        let exports = [seen(
            "nodes.yaml",
            &nodes(&[node("10.0.0.4", foreign, "v1.24.4", labels)]),
        )];
        let p = provider(&exports);
        assert_eq!(value(&p), None, "{foreign}");
        assert!(evidence(&p).contains(foreign), "{}", evidence(&p));
    }
}

#[test]
fn a_server_version_beats_the_nodes_and_two_servers_must_agree() {
    let server = |v: &str| format!("serverVersion:\n  gitVersion: {v}\n  major: \"1\"\n");
    let nodes = seen(
        "nodes.yaml",
        &nodes(&[node(
            "10.0.0.1",
            "qcloud:///100003/ins-a",
            "v1.18.4-tke.6",
            "",
        )]),
    );
    let exports = [
        nodes.clone(),
        seen("version.yaml", &server("v1.20.6-tke.27")),
    ];
    let v = version(&exports);
    assert_eq!(value(&v).map(|v| v.text), Some("v1.20.6".into()));
    assert_eq!(
        evidence(&v),
        "version.yaml: serverVersion.gitVersion v1.20.6-tke.27"
    );
    let exports = [
        seen("a.yaml", &server("v1.20.6-tke.27")),
        seen("b.yaml", &server("v1.17.9-r0-CCE20.7.1.B003-17.36.3")),
    ];
    assert!(matches!(version(&exports), Inferred::Conflict(_)));
    // TKE and CCE in one cluster's exports: no provider.
    assert!(matches!(provider(&exports), Inferred::Conflict(_)));
    let exports = [seen("v.yaml", &server("v1.28.8-eks-4f4795d"))];
    assert!(evidence(&version(&exports)).contains("not a version lbplan reads"));
}

#[test]
fn a_turbo_pod_proves_turbo() {
    let pods = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: api\n    namespace: shop\n    annotations:\n      cni.yangtse.io/network-status: '[{\"name\":\"default-network\",\"portID\":\"441c5ceb-4d01-4ea5-8dc7-7593fdc46276\",\"ips\":[\"192.168.137.22/19\"]}]'\n  status: {phase: Running}\n";
    let exports = [seen("pods.yaml", pods)];
    let f = flavor(&exports);
    assert_eq!(value(&f), Some(Flavor::Turbo));
    assert_eq!(
        evidence(&f),
        "pods.yaml: Pod shop/api annotation cni.yangtse.io/network-status"
    );
    let read = read(FileId(0), "pods.yaml", pods.as_bytes().to_vec());
    assert_eq!(read.pods.len(), 1);
}

fn config_maps(items: &str) -> String {
    format!("apiVersion: v1\nkind: List\nitems:\n{items}")
}

fn multus(delegate: &str) -> String {
    format!(
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: tke-cni-agent-conf, namespace: kube-system}}\n  data:\n    00-multus.conf: |\n      {{\n        \"cniVersion\": \"0.3.1\",\n        \"name\": \"multus-cni\",\n        \"defaultDelegates\": \"{delegate}\"\n      }}\n"
    )
}

fn kube_proxy(key: &str, mode: &str) -> String {
    format!(
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: kube-proxy, namespace: kube-system}}\n  data:\n    {key}: |\n      apiVersion: kubeproxy.config.k8s.io/v1alpha1\n      kind: KubeProxyConfiguration\n      mode: \"{mode}\"\n"
    )
}

const WORKLOADS: &str = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {name: tke-bridge-agent, namespace: kube-system}\n";

#[test]
fn each_default_delegate_gives_its_network() {
    let network_of = |exports: &[ExportSeen]| value(&network(exports));
    let one = |d: &str| [seen("cm.yaml", &config_maps(&multus(d)))];
    assert_eq!(network_of(&one("tke-route-eni")), Some(Network::VpcCni));
    assert_eq!(network_of(&one("tke-direct-eni")), Some(Network::VpcCni));
    // tke-bridge alone: GlobalRouter or mixed.
    let bridge = one("tke-bridge");
    assert_eq!(network_of(&bridge), None);
    assert!(evidence(&network(&bridge)).contains("daemonsets,deployments"));
    let with_workloads = [bridge[0].clone(), seen("ds.yaml", WORKLOADS)];
    assert_eq!(network_of(&with_workloads), Some(Network::GlobalRouter));
    let eni = WORKLOADS.replace("tke-bridge-agent", "tke-eni-agent");
    let mixed = [bridge[0].clone(), seen("ds.yaml", &eni)];
    assert_eq!(network_of(&mixed), Some(Network::Mixed));
    let two = [
        one("tke-bridge")[0].clone(),
        seen("b.yaml", &config_maps(&multus("tke-route-eni"))),
    ];
    assert!(matches!(network(&two), Inferred::Conflict(_)));
    assert_eq!(network_of(&one("cilium")), None);
}

#[test]
fn kube_proxy_modes_from_either_key_and_conflicts() {
    let mode = |text: String| value(&proxy_mode(&[seen("cm.yaml", &config_maps(&text))]));
    assert_eq!(mode(kube_proxy("config", "ipvs")), Some(ProxyMode::Ipvs));
    assert_eq!(
        mode(kube_proxy("config.conf", "")),
        Some(ProxyMode::Iptables)
    );
    assert_eq!(
        mode(kube_proxy("config.conf", "iptables")),
        Some(ProxyMode::Iptables)
    );
    let nftables = [seen(
        "cm.yaml",
        &config_maps(&kube_proxy("config", "nftables")),
    )];
    assert_eq!(value(&proxy_mode(&nftables)), None);
    assert!(
        evidence(&proxy_mode(&nftables)).contains("is nftables: lbplan knows iptables and ipvs")
    );
    // A value lbplan does not recognise is described, never quoted: a ConfigMap holds anything.
    for (what, evidence) in [
        (
            "proxy mode",
            evidence(&proxy_mode(&[seen(
                "cm.yaml",
                &config_maps(&kube_proxy("config", "hunter2-secret")),
            )])),
        ),
        (
            "network",
            evidence(&network(&[seen(
                "cm.yaml",
                &config_maps(&multus("hunter2-secret")),
            )])),
        ),
    ] {
        assert!(!evidence.contains("hunter2"), "{what}: {evidence}");
        assert!(
            evidence.contains("a value lbplan does not recognise (14 characters)"),
            "{what}: {evidence}"
        );
    }
    let both = [
        seen("a.yaml", &config_maps(&kube_proxy("config", "ipvs"))),
        seen(
            "b.yaml",
            &config_maps(&kube_proxy("config.conf", "iptables")),
        ),
    ];
    assert!(matches!(proxy_mode(&both), Inferred::Conflict(_)));
    // Cilium and no kube-proxy: the cluster may run without one.
    let cilium = WORKLOADS.replace("tke-bridge-agent", "cilium");
    let unknown = proxy_mode(&[seen("ds.yaml", &cilium)]);
    assert!(evidence(&unknown).contains("without kube-proxy"));
}

#[test]
fn global_route_direct_access_is_true_or_false_as_written() {
    let cm = |v: &str| {
        config_maps(&format!(
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: tke-service-controller-config, namespace: kube-system}}\n  data:\n    GlobalRouteDirectAccess: \"{v}\"\n"
        ))
    };
    assert_eq!(
        value(&global_route(&[seen("a.yaml", &cm("true"))])),
        Some(true)
    );
    assert_eq!(
        value(&global_route(&[seen("a.yaml", &cm("false"))])),
        Some(false)
    );
    assert_eq!(value(&global_route(&[seen("a.yaml", &cm("yes"))])), None);
    let both = [seen("a.yaml", &cm("true")), seen("b.yaml", &cm("false"))];
    assert!(matches!(global_route(&both), Inferred::Conflict(_)));
}

#[test]
fn other_objects_are_counted_and_their_data_is_not_kept() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: token, namespace: kube-system}\n  data: {token: c2VjcmV0}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: coredns, namespace: kube-system}\n  data: {Corefile: secret-ish}\n";
    let export = seen("ks.yaml", text);
    assert_eq!(export.seen.unused.get("Secret"), Some(&1));
    assert_eq!(export.seen.unused.get("ConfigMap"), Some(&1));
    assert!(!format!("{:?}", export.seen).contains("c2VjcmV0"));
    assert!(!format!("{:?}", export.seen).contains("secret-ish"));
}

fn dump(text: &str) -> bool {
    let docs = parse_yaml(text, &MANIFEST);
    docs.iter()
        .any(|d| d.result.as_ref().is_ok_and(is_pod_dump))
}

#[test]
fn pod_dumps_are_lists_of_pods_with_status() {
    let pod = "- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  status: {phase: Running}\n";
    assert!(dump(&format!("apiVersion: v1\nkind: List\nitems:\n{pod}")));
    assert!(dump(
        "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n  status: {phase: Running}\n"
    ));
    // A lone Pod with status, a list with a Pod without status, a list of Services: no.
    assert!(!dump(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Running}\n"
    ));
    assert!(!dump(&format!(
        "apiVersion: v1\nkind: List\nitems:\n{pod}- apiVersion: v1\n  kind: Pod\n  metadata: {{name: b}}\n"
    )));
    assert!(!dump(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n"
    ));
}

#[test]
fn what_is_not_a_kubectl_export_is_refused_naming_the_line() {
    let problem = |text: &str| read(FileId(0), "x.yaml", text.as_bytes().to_vec()).problem;
    assert_eq!(
        problem("apiVersion: v1\nkind: List\nitems: []\n---\nfoo: bar\n").as_deref(),
        Some(format!("line 5: not a kubectl export ({EXPECTED})").as_str())
    );
    assert_eq!(problem(""), None, "empty: nothing exported, no problem");
    assert!(read(FileId(0), "x.yaml", b"# nothing\n".to_vec()).empty);
    assert!(problem("key: [unclosed\n").is_some_and(|p| p.starts_with("line 1:")));
    assert_eq!(problem("clientVersion: {gitVersion: v1.28.2}\n"), None);
}
