//! What `lbplan diff` reports beyond its findings (issue 21): a change lbplan could not check
//! makes every format say "Incomplete" (never "no change"); the Markdown report names each
//! finding the change fixes, and keeps it before the load balancers within `--max-bytes`; a
//! listener setting that changes is a `setting` row in every format.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod common;

use common::scratch::write;

fn lbplan(head: &Path, args: &[&str]) -> Output {
    diff_command(head, args).output().expect("run lbplan")
}

/// `lbplan` with no helm to find (nothing on `PATH`): charts are not rendered.
fn lbplan_without_helm(head: &Path, args: &[&str]) -> Output {
    diff_command(head, args)
        .env("PATH", "")
        .env_remove("LBPLAN_HELM")
        .output()
        .expect("run lbplan")
}

fn diff_command(head: &Path, args: &[&str]) -> Command {
    let mut command = common::binary();
    command
        .args(["diff", "--base-root", "../base"])
        .args(args)
        .current_dir(head)
        .env("NO_COLOR", "1")
        .env_remove("CI");
    command
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `base/` and `head/` in a temporary folder, each with `files`; `head_only` added to the head.
fn sides(files: &[(&str, &str)], head_only: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp");
    for side in ["base", "head"] {
        for (file, body) in files {
            write(&temp.path().join(side), file, body);
        }
    }
    for (file, body) in head_only {
        write(&temp.path().join("head"), file, body);
    }
    temp
}

const SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
";

const CONFIG: &str = "clusters:\n  - {name: prod, provider: huawei-cce, version: v1.28.8-r0, proxy_mode: iptables}\n";

#[test]
fn a_change_only_a_chart_makes_without_helm_is_incomplete_in_every_format() {
    let temp = sides(
        &[
            (".lbplan.yaml", CONFIG),
            ("web.yaml", SERVICE),
            (
                "charts/api/Chart.yaml",
                "apiVersion: v2\nname: api\nversion: 0.1.0\n",
            ),
            ("charts/api/values.yaml", "port: 80\n"),
        ],
        &[],
    );
    let head = temp.path().join("head");
    write(&head, "charts/api/values.yaml", "port: 8080\n");
    write(&head, "charts/api/templates/svc.yaml", "kind: Service\n");
    let human = lbplan_without_helm(&head, &[]);
    assert_eq!(
        human.status.code(),
        Some(0),
        "a chart not rendered leaves the exit code"
    );
    let first = text(&human).lines().next().unwrap_or("").to_string();
    assert_eq!(
        first,
        "lbplan diff (../base/ → working folder): Incomplete: 2 files not checked; nothing changed in what was checked; 0 errors, 0 warnings, 0 infos (lint findings: 0 new, 0 fixed, 0 unchanged)"
    );
    assert!(
        text(&human).contains("  Helm chart charts/api (not rendered: helm not found (install helm, or name it with --helm-bin); exit code unchanged): 2 changed files: charts/api/templates/svc.yaml, charts/api/values.yaml\n"),
        "{}",
        text(&human)
    );
    let markdown = text(&lbplan_without_helm(&head, &["--format", "markdown"]));
    assert!(
        markdown.contains("**Incomplete**: 2 files not checked. Of what was checked: **Passes**"),
        "{markdown}"
    );
    assert!(!markdown.contains("no change"), "{markdown}");
    let report: Value =
        serde_json::from_slice(&lbplan_without_helm(&head, &["--format", "json"]).stdout)
            .expect("json");
    assert_eq!(report["complete"], false);
    assert_eq!(report["not_checked"]["files"], 2);
    assert_eq!(report["not_checked"]["sources"][0]["kind"], "helm-chart");
    assert_eq!(report["not_checked"]["sources"][0]["exit_code"], 0);
    let github = text(&lbplan_without_helm(&head, &["--format", "github"]));
    assert!(
        github.starts_with("::notice title=lbplan diff%3A incomplete::Incomplete: 2 files not checked; not checked:%0AHelm chart charts/api"),
        "{github}"
    );
    // A chart the change does not touch checks nothing either way: the report is complete.
    let untouched = sides(
        &[
            (".lbplan.yaml", CONFIG),
            (
                "charts/api/Chart.yaml",
                "apiVersion: v2\nname: api\nversion: 0.1.0\n",
            ),
            ("web.yaml", SERVICE),
        ],
        &[],
    );
    let head = untouched.path().join("head");
    write(&head, "web.yaml", &SERVICE.replace("port: 80", "port: 81"));
    let first = text(&lbplan(&head, &[]))
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    assert!(
        first.ends_with("): 1 load balancer affected: 1 listener added, 1 listener removed, 1 group added, 1 group removed; 0 errors, 0 warnings, 0 infos (lint findings: 0 new, 0 fixed, 0 unchanged)"),
        "{first}"
    );
}

#[test]
fn markdown_names_each_fixed_finding_and_keeps_it_before_the_load_balancers() {
    // The base has two Services on one listener (LB101); the head moves promo to its own port.
    let promo = SERVICE.replace("name: web", "name: promo");
    let temp = sides(&[(".lbplan.yaml", CONFIG), ("web.yaml", SERVICE)], &[]);
    write(&temp.path().join("base"), "promo.yaml", &promo);
    write(
        &temp.path().join("head"),
        "promo.yaml",
        &promo.replace("port: 80", "port: 8080"),
    );
    let head = temp.path().join("head");
    let full = text(&lbplan(
        &head,
        &["--format", "markdown", "--fail-on", "never"],
    ));
    let fixed = "#### Fixed: 1 lint finding of the base the head no longer has\n\n| | Rule | Object | Where (base) | What it was |\n|---|---|---|---|---|\n| error | LB101 `listener-conflict` | `prod:Service/shop/web` | `../base/web.yaml:11` | `listener TCP:80 of load balancer 5083f225-9bf8-48fa-9c8b-67bd9693c4c0 is also claimed by Service/shop/promo` |";
    assert!(full.contains(fixed), "{full}");
    let details = full.find("<details><summary>").expect("details");
    assert!(full.find("#### Fixed").expect("fixed") < details, "{full}");
    // Room for the fixed finding, not for the load balancer: the details go first.
    let budget = full.len() - 40;
    let cut = text(&lbplan(
        &head,
        &[
            "--format",
            "markdown",
            "--fail-on",
            "never",
            "--max-bytes",
            &budget.to_string(),
        ],
    ));
    assert!(cut.len() <= budget);
    assert!(cut.contains(fixed), "{cut}");
    assert!(!cut.contains("<details><summary>"), "{cut}");
    assert!(
        cut.contains("1 more load balancer changed: not shown within"),
        "{cut}"
    );
}

#[test]
fn a_changed_setting_is_a_setting_row_in_every_format() {
    let temp = sides(&[(".lbplan.yaml", CONFIG), ("web.yaml", SERVICE)], &[]);
    let head = temp.path().join("head");
    write(
        &head,
        "web.yaml",
        &SERVICE.replace(
            "    kubernetes.io/elb.id:",
            "    kubernetes.io/elb.lb-algorithm: SOURCE_IP\n    kubernetes.io/elb.id:",
        ),
    );
    let report: Value =
        serde_json::from_slice(&lbplan(&head, &["--format", "json", "--fail-on", "never"]).stdout)
            .expect("json");
    let settings: Vec<&Value> = report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["entity"] == "setting")
        .collect();
    assert_eq!(settings.len(), 1, "{report}");
    assert_eq!(settings[0]["action"], "change");
    assert_eq!(settings[0]["key"]["setting"], "algorithm");
    assert_eq!(settings[0]["before"]["value"], "ROUND_ROBIN");
    assert_eq!(settings[0]["before"]["source"], "default");
    assert_eq!(settings[0]["after"]["value"], "SOURCE_IP");
    assert_eq!(
        settings[0]["after"]["annotation"],
        "kubernetes.io/elb.lb-algorithm"
    );
    assert_eq!(report["summary"]["entities"]["setting"]["change"], 1);
    let human = text(&lbplan(&head, &["--fail-on", "never"]));
    assert!(
        human.contains("    ~ setting algorithm: ROUND_ROBIN (default) → SOURCE_IP\n"),
        "{human}"
    );
    let markdown = text(&lbplan(
        &head,
        &["--format", "markdown", "--fail-on", "never"],
    ));
    assert!(
        markdown.contains("| ~ | TCP:80 | `algorithm` | `ROUND_ROBIN (default)` | `SOURCE_IP` |"),
        "{markdown}"
    );
}
