//! `lbplan diff --base-rev HEAD~1` at every commit of a history built here, as a pull-request
//! check runs it (issue 21): one folder per cluster with a config, then an ELB move, a new
//! cluster folder, a type change, an algorithm change, a health-check change, a direct-access
//! rollout, a render failure, its repair, and a cleanup that fixes a lint finding. Each commit's
//! exit code, headline and findings are asserted exactly: the report never says "no change"
//! where traffic changes, and says "Incomplete" where it could not check.
//!
//! The render failure needs `kustomize` or `kubectl` on PATH (as `tests/kustomize.rs`); without
//! either the test says so and stops.

#![cfg(unix)]

use std::path::Path;

use serde_json::Value;

mod common;

use common::scratch::{git, lbplan, stdout, write};

const CONFIG: &str = "clusters:
  - name: a
    provider: huawei-cce
    version: v1.28.8-r0
    proxy_mode: iptables
    paths: [clusters/a]
    nodes: [{name: a-1, ip: 10.0.1.1}, {name: a-2, ip: 10.0.1.2}]
  - name: b
    provider: huawei-cce
    version: v1.28.8-r0
    proxy_mode: iptables
    paths: [clusters/b]
    nodes: [{name: b-1, ip: 10.0.2.1}]
  - name: c
    provider: tencent-tke
    version: v1.26.1
    proxy_mode: iptables
    network: vpc-cni
    paths: [clusters/c]
";

const CLUSTER_D: &str = "  - name: d
    provider: huawei-cce
    version: v1.28.8-r0
    proxy_mode: iptables
    paths: [clusters/d]
";

/// web: an ELB created for it; shop: an ELB of the user's.
const WEB: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    kubernetes.io/elb.class: union
    kubernetes.io/elb.autocreate: '{"type":"public","bandwidth_name":"web","bandwidth_size":5}'
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: shop
  annotations:
    kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 443}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
"#;

/// Rendered by Kustomize (`clusters/b/kustomization.yaml`).
const API: &str = r"apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  annotations:
    kubernetes.io/elb.id: 7d1c0a4e-2b1f-4d55-9a0e-0f3c4b5a6d7e
spec:
  type: LoadBalancer
  selector: {app: api}
  ports: [{port: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api:1.0}]
";

/// A TKE Service whose CLB binds the pods directly.
const GAME: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: game
  namespace: play
  annotations:
    service.cloud.tencent.com/direct-access: "true"
spec:
  type: LoadBalancer
  selector: {app: game}
  ports: [{port: 7000}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: game
  namespace: play
spec:
  replicas: 3
  selector: {matchLabels: {app: game}}
  template:
    metadata:
      labels: {app: game}
      annotations: {tke.cloud.tencent.com/networks: tke-route-eni}
    spec:
      containers:
        - name: game
          image: game:1.0
          resources:
            requests: {tke.cloud.tencent.com/eni-ip: "1"}
            limits: {tke.cloud.tencent.com/eni-ip: "1"}
"#;

const CART: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
  annotations:
    kubernetes.io/elb.class: union
    kubernetes.io/elb.autocreate: '{"type":"public","bandwidth_name":"cart","bandwidth_size":5}'
spec:
  type: LoadBalancer
  selector: {app: cart}
  ports: [{port: 80}]
"#;

/// What `lbplan diff --base-rev HEAD~1` says at one commit.
struct Expect {
    exit: i32,
    /// The human headline after `lbplan diff (SIDES): `.
    headline: &'static str,
    /// Every finding: `CODE severity file:line (transition|new|fixed)`.
    findings: &'static [&'static str],
}

/// `kustomize` or `kubectl` on PATH.
fn renderer_on_path() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| {
        ["kustomize", "kubectl"]
            .iter()
            .any(|p| dir.join(p).is_file())
    })
}

fn edit(repo: &Path, file: &str, from: &str, to: &str) {
    let path = repo.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn commit(repo: &Path, message: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
}

fn findings(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            // The base's files are `COMMIT:path`.
            let file = f["file"].as_str().unwrap_or("");
            let file = match file.split_once(':') {
                Some((commit, path)) if commit.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    format!("BASE:{path}")
                }
                _ => file.to_string(),
            };
            format!(
                "{} {} {file}:{} ({})",
                f["code"].as_str().unwrap_or(""),
                f["severity"].as_str().unwrap_or(""),
                f["line"],
                f["diff"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Run the diff at the current commit and compare with `expect`.
fn check(repo: &Path, temp: &Path, step: &str, expect: &Expect) {
    let human = lbplan(repo, temp, &["diff", "--base-rev", "HEAD~1"], &[]);
    let text = stdout(&human);
    let first = text.lines().next().unwrap_or("");
    let headline = first.split_once("): ").map_or(first, |(_, rest)| rest);
    assert_eq!(headline, expect.headline, "{step}: headline\n{text}");
    assert_eq!(
        human.status.code(),
        Some(expect.exit),
        "{step}: exit\n{text}"
    );
    let json = lbplan(
        repo,
        temp,
        &["diff", "--base-rev", "HEAD~1", "--format", "json"],
        &[],
    );
    let report: Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(findings(&report), expect.findings, "{step}: findings");
    assert_eq!(
        report["complete"],
        !expect.headline.starts_with("Incomplete"),
        "{step}: complete"
    );
}

/// One commit of the history: what it changes, and what the diff says of it.
struct Step {
    name: &'static str,
    change: fn(&Path),
    expect: Expect,
}

fn move_api(r: &Path) {
    edit(
        r,
        "clusters/b/api.yaml",
        "7d1c0a4e-2b1f-4d55-9a0e-0f3c4b5a6d7e",
        "9e0f3c4b-5a6d-4e7d-8c0a-4e2b1f4d55aa",
    );
}

fn add_cluster_d(r: &Path) {
    write(r, "clusters/d/cart.yaml", CART);
    let config = std::fs::read_to_string(r.join(".lbplan.yaml")).expect("config");
    write(r, ".lbplan.yaml", &format!("{config}{CLUSTER_D}"));
}

fn web_to_node_port(r: &Path) {
    edit(
        r,
        "clusters/a/web.yaml",
        "type: LoadBalancer",
        "type: NodePort",
    );
}

fn shop_algorithm(r: &Path) {
    edit(
        r,
        "clusters/a/web.yaml",
        "    kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0\n",
        "    kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0\n    kubernetes.io/elb.lb-algorithm: LEAST_CONNECTIONS\n",
    );
}

fn api_health_check(r: &Path) {
    edit(
        r,
        "clusters/b/api.yaml",
        "    kubernetes.io/elb.id: 9e0f3c4b-5a6d-4e7d-8c0a-4e2b1f4d55aa\n",
        "    kubernetes.io/elb.id: 9e0f3c4b-5a6d-4e7d-8c0a-4e2b1f4d55aa\n    kubernetes.io/elb.health-check-option: '{\"protocol\":\"HTTP\",\"path\":\"/healthz\"}'\n",
    );
}

fn game_rollout(r: &Path) {
    edit(
        r,
        "clusters/c/game.yaml",
        "image: game:1.0",
        "image: game:1.1",
    );
}

fn break_kustomization(r: &Path) {
    write(
        r,
        "clusters/b/kustomization.yaml",
        "resources: [api.yaml, missing.yaml]\n",
    );
}

fn repair_kustomization(r: &Path) {
    write(
        r,
        "clusters/b/kustomization.yaml",
        "resources: [api.yaml]\n",
    );
}

fn drop_web_annotations(r: &Path) {
    edit(
        r,
        "clusters/a/web.yaml",
        "  annotations:\n    kubernetes.io/elb.class: union\n    kubernetes.io/elb.autocreate: '{\"type\":\"public\",\"bandwidth_name\":\"web\",\"bandwidth_size\":5}'\n",
        "",
    );
}

/// The commits after the first, in order.
const STEPS: [Step; 9] = [
    Step {
        name: "an ELB move",
        change: move_api,
        expect: Expect {
            exit: 1,
            headline: "2 load balancers affected: 1 load balancer added, 1 listener added, 1 listener removed, 1 group added, 1 group removed; 1 error, 0 warnings, 0 infos (lint findings: 0 new, 0 fixed, 0 unchanged)",
            findings: &["LB505 error clusters/b/api.yaml:7 (transition)"],
        },
    },
    Step {
        name: "a new cluster folder",
        change: add_cluster_d,
        expect: Expect {
            exit: 0,
            headline: "Incomplete: 1 file not checked; nothing changed in what was checked; 0 errors, 1 warning, 0 infos (lint findings: 0 new, 0 fixed, 0 unchanged)",
            findings: &["LB516 warning .lbplan.yaml:20 (transition)"],
        },
    },
    Step {
        name: "a type change",
        change: web_to_node_port,
        expect: Expect {
            exit: 1,
            headline: "1 load balancer affected: 1 load balancer removed, 1 listener removed, 1 group removed; 1 error, 0 warnings, 0 infos (lint findings: 0 new, 0 fixed, 0 unchanged)",
            findings: &["LB513 error clusters/a/web.yaml:10 (transition)"],
        },
    },
    Step {
        name: "an algorithm change",
        change: shop_algorithm,
        expect: Expect {
            exit: 0,
            headline: "1 load balancer affected: 1 listener changed, 1 listener setting changed; 0 errors, 1 warning, 0 infos (lint findings: 0 new, 0 fixed, 1 unchanged)",
            findings: &["LB514 warning clusters/a/web.yaml:21 (transition)"],
        },
    },
    Step {
        name: "a health-check change",
        change: api_health_check,
        expect: Expect {
            exit: 0,
            headline: "1 load balancer affected: 1 listener changed, 1 listener setting changed; 0 errors, 1 warning, 0 infos (lint findings: 0 new, 0 fixed, 1 unchanged)",
            findings: &["LB514 warning clusters/b/api.yaml:8 (transition)"],
        },
    },
    Step {
        name: "a direct-access rollout",
        change: game_rollout,
        expect: Expect {
            exit: 0,
            headline: "no change to the load balancers; 0 errors, 0 warnings, 1 info (lint findings: 0 new, 0 fixed, 1 unchanged)",
            findings: &["LB515 info clusters/c/game.yaml:7 (transition)"],
        },
    },
    Step {
        name: "a render failure",
        change: break_kustomization,
        expect: Expect {
            exit: 2,
            headline: "Incomplete: 1 file not checked, 1 error reading a side (exit code 2); nothing changed in what was checked; 0 errors, 0 warnings, 0 infos (lint findings: 0 new, 0 fixed, 1 unchanged)",
            findings: &[],
        },
    },
    Step {
        name: "the render repaired",
        change: repair_kustomization,
        expect: Expect {
            exit: 2,
            headline: "Incomplete: 1 file not checked, 1 error reading a side (exit code 2); nothing changed in what was checked; 0 errors, 0 warnings, 0 infos (lint findings: 0 new, 0 fixed, 1 unchanged)",
            findings: &[],
        },
    },
    Step {
        name: "a NodePort Service's annotations removed",
        change: drop_web_annotations,
        expect: Expect {
            exit: 0,
            headline: "no change to the load balancers; 0 errors, 0 warnings, 0 infos (lint findings: 0 new, 1 fixed, 0 unchanged)",
            findings: &["LB024 warning BASE:clusters/a/web.yaml:7 (fixed)"],
        },
    },
];

#[test]
fn every_commit_of_a_history_is_judged_as_a_pull_request_would_be() {
    if !renderer_on_path() {
        eprintln!("SKIPPED: tests/diff_history.rs: neither kustomize nor kubectl is on PATH");
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    let scratch = temp.path().join("tmp");
    std::fs::create_dir_all(&scratch).expect("mkdir");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "."]);
    write(&repo, ".lbplan.yaml", CONFIG);
    write(&repo, "clusters/a/web.yaml", WEB);
    write(&repo, "clusters/b/api.yaml", API);
    write(
        &repo,
        "clusters/b/kustomization.yaml",
        "resources: [api.yaml]\n",
    );
    write(&repo, "clusters/c/game.yaml", GAME);
    commit(&repo, "three clusters, one folder each");
    // The first commit has no HEAD~1: a usage error, which names the missing revision.
    let first = lbplan(&repo, &scratch, &["diff", "--base-rev", "HEAD~1"], &[]);
    assert_eq!(first.status.code(), Some(2));
    assert!(common::scratch::stderr(&first).contains("revision HEAD~1 not found"));

    for step in &STEPS {
        (step.change)(&repo);
        commit(&repo, step.name);
        check(&repo, &scratch, step.name, &step.expect);
    }
    let commits = git(&repo, &["rev-list", "--count", "HEAD"]);
    assert_eq!(commits, "10");
}
