use super::*;

#[test]
fn kube_proxy_configs_upstream_and_tke() {
    let upstream =
        "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: \"\"\n";
    assert_eq!(
        kube_proxy_config_mode(upstream),
        Some(Ok(ProxyMode::Iptables))
    );
    assert_eq!(
        kube_proxy_config_mode(&upstream.replace("\"\"", "\"ipvs\"")),
        Some(Ok(ProxyMode::Ipvs))
    );
    assert_eq!(
        kube_proxy_config_mode("mode: \"\"\n"),
        Some(Err("an empty mode outside a KubeProxyConfiguration".into()))
    );
    assert_eq!(
        kube_proxy_config_mode("mode: nftables\n"),
        Some(Err("nftables".into()))
    );
    assert_eq!(kube_proxy_config_mode("just text"), None);
}

#[test]
fn multus_default_delegates() {
    let conf = |d: &str| {
        format!(
            "{{\"cniVersion\":\"0.3.1\",\"name\":\"multus-cni\",\"type\":\"multus\",\"defaultDelegates\":\"{d}\"}}"
        )
    };
    assert_eq!(
        default_delegates(&conf("tke-bridge")),
        Some("tke-bridge".into())
    );
    assert_eq!(
        default_delegates(&conf("tke-route-eni")),
        Some("tke-route-eni".into())
    );
    assert_eq!(
        default_delegates(&conf("tke-direct-eni,tke-bridge")),
        Some("tke-direct-eni".into())
    );
    assert_eq!(default_delegates("not json"), None);
}

#[test]
fn proxy_mode_arguments() {
    let text = "kind: DaemonSet\nmetadata: {name: kube-proxy, namespace: kube-system}\nspec:\n  template:\n    spec:\n      containers:\n      - name: kube-proxy\n        command: [/bin/sh, -c, \"kube-proxy --proxy-mode=ipvs --v=2\"]\n";
    let docs = parse_yaml(text, &super::super::shape::EXPORT);
    let mut seen = Seen::default();
    seen.document(docs[0].result.as_ref().expect("parses"), None);
    assert!(seen.kube_proxy);
    assert_eq!(seen.proxy_modes.len(), 1);
    assert_eq!(seen.proxy_modes[0].mode, Ok(ProxyMode::Ipvs));
}

#[test]
fn proxy_mode_in_container_args() {
    // The upstream DaemonSet form: the command names the binary, the mode is among `args`.
    let text = "kind: DaemonSet\nmetadata: {name: kube-proxy, namespace: kube-system}\nspec:\n  template:\n    spec:\n      containers:\n      - name: kube-proxy\n        command: [/usr/local/bin/kube-proxy]\n        args: [--proxy-mode, ipvs]\n";
    let docs = parse_yaml(text, &super::super::shape::EXPORT);
    let mut seen = Seen::default();
    seen.document(docs[0].result.as_ref().expect("parses"), None);
    assert_eq!(seen.proxy_modes.len(), 1);
    assert_eq!(seen.proxy_modes[0].mode, Ok(ProxyMode::Ipvs));
}
