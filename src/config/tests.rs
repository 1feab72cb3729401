//! The config's parsing and validation.

use super::*;
use crate::k8s::Protocol;

#[test]
fn a_full_config_parses() {
    let text = r#"
paths: [manifests/]
clusters:
  - name: a
    provider: huawei-cce
    flavor: turbo
    version: v1.28.8-r0
    proxy_mode: ipvs
    paths: [clusters/a/]
    pods: snapshots/a-pods.yaml
    nodes: [{name: node-1, ip: 192.168.0.11}]
  - name: b
    provider: tencent-tke
    network: vpc-cni
    paths: [clusters/b/]
load_balancers:
  - id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0
    listener_quota: 50
    rule_quota: 200
    members:
      - {listener: "TCP:80", name: ecs-1, weight: 10}
rules:
  LB301: off
weight_drift_threshold: 2.5
"#;
    let file = parse(text).expect("valid");
    assert_eq!(file.clusters.len(), 2);
    assert_eq!(file.weight_drift_threshold, Some(250));
    assert_eq!(
        file.load_balancers[0].members[0].listener,
        (Protocol::Tcp, 80)
    );
    assert_eq!(file.rules.get("LB301"), Some(&Level::Off));
    assert_eq!(file.load_balancers[0].rule_quota, Some(200));
}

#[test]
fn errors_name_the_key() {
    let cases = [
        ("clusters:\n  - name: a\n    flavour: turbo\n", "flavour"),
        ("clusters:\n  - name: a\n    provider: aws\n", "provider"),
        (
            "clusters:\n  - name: a\n    version: one\n",
            "invalid Kubernetes version",
        ),
        (
            "load_balancers:\n  - id: x\n    members: [{listener: 'FTP:21', name: e, weight: 1}]\n",
            "FTP:21",
        ),
        (
            "load_balancers:\n  - id: x\n    members: [{listener: 'TCP:21', name: e, weight: 101}]\n",
            "0-100",
        ),
        ("rules: {LB101: loud}\n", "rules"),
        (
            "load_balancers:\n  - id: x\n    rule_quota: 0\n",
            "rule_quota",
        ),
        (
            "clusters:\n  - name: a\n    paths: [a]\n  - name: b\n",
            "clusters[1].paths",
        ),
        ("bogus: 1\n", "bogus"),
        (
            "exclude: ['a/{b']\n",
            "exclude: invalid exclude glob \"a/{b\"",
        ),
        (
            "clusters:\n  - name: a\n    exclude: ['{x']\n",
            "clusters[0].exclude",
        ),
    ];
    for (text, needle) in cases {
        let err = parse(text).expect_err(text).to_string();
        assert!(err.contains(needle), "{text:?} -> {err}");
    }
}

#[test]
fn render_keys_parse_and_are_checked() {
    let file = parse(
        "render:\n  kustomize: kubectl\n  timeout: 2.5\nclusters:\n  - name: a\n    kustomize: [overlays/a]\n",
    )
    .expect("valid");
    assert_eq!(file.render.kustomize, Some(Renderer::Engine("kubectl")));
    assert_eq!(
        file.render.timeout,
        Some(std::time::Duration::from_millis(2500))
    );
    assert_eq!(
        file.clusters[0].kustomize,
        Some(vec![PathBuf::from("overlays/a")])
    );
    for (value, expected) in [
        ("auto", Renderer::Auto),
        ("off", Renderer::Off),
        ("kustomize", Renderer::Engine("kustomize")),
        ("oc", Renderer::Engine("oc")),
    ] {
        let file = parse(&format!("render: {{kustomize: {value}}}\n")).expect("valid");
        assert_eq!(file.render.kustomize, Some(expected));
    }
    for (text, needle) in [
        ("render: {timeout: 0}\n", "render.timeout"),
        ("render: {timeout: -3}\n", "render.timeout"),
        ("render: {kustomize: ''}\n", "render.kustomize"),
        // A program is never named by the repository's config.
        (
            "render: {kustomize: sh}\n",
            "--kustomize-bin or LBPLAN_KUSTOMIZE",
        ),
        (
            "render: {kustomize: bin/kustomize}\n",
            "found \"bin/kustomize\"",
        ),
        (
            "render: {kustomize: /usr/bin/kubectl}\n",
            "render.kustomize",
        ),
        ("render: {helm: yes}\n", "render.helm: expected auto or off"),
        (
            "clusters:\n  - name: a\n    kustomize: overlays/a\n",
            "kustomize",
        ),
    ] {
        let err = parse(text).expect_err(text).to_string();
        assert!(err.contains(needle), "{text:?} -> {err}");
    }
}
