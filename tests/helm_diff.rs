//! `lbplan diff` on Helm charts, with the real helm: each side's charts rendered with that side's
//! values files, a change that touches only chart files judged (never "no change", never "not
//! checked"), and a chart that renders on one side only left out of both plans rather than shown
//! as removed. (Without helm, a chart's changed files are not checked: `tests/diff_report.rs`.)
//!
//! Each test needs helm on PATH; without it, it prints a `SKIPPED:` line, or fails where
//! `LBPLAN_REQUIRE_HELM` is set (`.ci/run`).

mod common;

use std::path::{Path, PathBuf};

use common::helm::{helm, json, lbplan, root};
use serde_json::Value;

/// A repository (a folder with `.git`) holding a copy of `fixtures/helm/NAME` at `at`.
fn repository(dir: &Path, name: &str, at: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir");
    common::copy_tree(&root().join("fixtures/helm").join(name), &dir.join(at));
    dir.to_path_buf()
}

/// Replace `from` by `to` in `file` (which must hold it).
fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert!(text.contains(from), "{}: {from}", file.display());
    std::fs::write(file, text.replace(from, to)).expect("write");
}

/// `lbplan diff --base-root BASE --format json` in `head`: exit code and report.
fn diff(temp: &Path, head: &Path, base: &Path) -> (Option<i32>, Value) {
    let out = lbplan(
        head,
        temp,
        &[
            "diff",
            "--base-root",
            &base.display().to_string(),
            "--format",
            "json",
        ],
        &[],
    );
    (out.status.code(), json(&out))
}

/// The codes of the findings whose `diff` is `which`.
fn findings<'a>(report: &'a Value, which: &str) -> Vec<&'a str> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["diff"] == which)
        .filter_map(|f| f["code"].as_str())
        .collect()
}

/// The transition findings: (code, file, line).
fn transitions(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["diff"] == "transition")
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// The load balancers the change adds or removes: (action, ELB ID).
fn load_balancers(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["entity"] == "load_balancer")
        .map(|c| {
            (
                c["action"].as_str().unwrap_or_default().to_string(),
                c["key"]["lb"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_change_only_a_chart_makes_is_judged() {
    if helm("a_change_only_a_chart_makes_is_judged").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let base = repository(&temp.path().join("base"), "values-driven", "charts/app");
    let head = repository(&temp.path().join("head"), "values-driven", "charts/app");
    // Only the chart's values file changes: the class is fixed, and the ELB moves.
    let values = head.join("charts/app/values.yaml");
    edit(
        &values,
        "elb.class: bogus  # expect: LB011",
        "elb.class: union",
    );
    edit(
        &values,
        "7f1c2f0e-3a64-4c5e-9d55-1f0c8f7a0b21",
        "9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a",
    );
    let (code, report) = diff(temp.path(), &head, &base);
    assert_eq!(code, Some(1), "the move is an error: {report}");
    assert_eq!(report["complete"], true, "{report}");
    assert_eq!(report["not_checked"]["files"], 0, "{report}");
    assert_eq!(findings(&report, "fixed"), ["LB011"], "{report}");
    // The move, at the values line that makes it.
    assert_eq!(
        transitions(&report),
        [("LB505".into(), "charts/app/values.yaml".into(), 6)],
        "{report}"
    );
    assert_eq!(
        load_balancers(&report),
        [("add".into(), "9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a".into())],
        "{report}"
    );
    // A template edit alone is judged too: the listener moves to the port the template writes.
    let head2 = repository(&temp.path().join("head2"), "values-driven", "charts/app");
    edit(
        &head2.join("charts/app/templates/service.yaml"),
        "port: {{ .Values.service.port }}",
        "port: 8443",
    );
    let (_, report) = diff(temp.path(), &head2, &base);
    assert_eq!(report["complete"], true, "{report}");
    let listeners: Vec<(&str, u64)> = report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["entity"] == "listener")
        .filter_map(|c| Some((c["action"].as_str()?, c["key"]["port"].as_u64()?)))
        .collect();
    assert_eq!(listeners, [("remove", 443), ("add", 8443)], "{report}");
}

#[test]
fn each_side_renders_with_its_own_values_files() {
    if helm("each_side_renders_with_its_own_values_files").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let base = repository(&temp.path().join("base"), "per-cluster", ".");
    let head = repository(&temp.path().join("head"), "per-cluster", ".");
    // The values file the config names for cluster hk, outside the chart, moves hk's ELB; sg's
    // files are untouched.
    edit(
        &head.join("envs/hk.yaml"),
        "11111111-1111-4111-8111-111111111111",
        "33333333-3333-4333-8333-333333333333",
    );
    let (_, report) = diff(temp.path(), &head, &base);
    assert_eq!(report["complete"], true, "{report}");
    assert_eq!(
        load_balancers(&report),
        [("add".into(), "33333333-3333-4333-8333-333333333333".into())],
        "{report}"
    );
    assert_eq!(
        transitions(&report),
        [("LB505".into(), "envs/hk.yaml".into(), 1)],
        "{report}"
    );
    assert!(findings(&report, "new").is_empty(), "{report}");
    assert!(findings(&report, "fixed").is_empty(), "{report}");
}

#[test]
fn a_chart_that_renders_on_one_side_only_is_in_neither_plan() {
    if helm("a_chart_that_renders_on_one_side_only_is_in_neither_plan").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let base = repository(&temp.path().join("base"), "values-driven", "charts/app");
    let head = repository(&temp.path().join("head"), "values-driven", "charts/app");
    // The head's chart now needs a value its defaults lack: it fails with them.
    edit(
        &head.join("charts/app/templates/service.yaml"),
        "  name: {{ .Release.Name }}\n",
        "  name: {{ .Release.Name }}\n  labels:\n    owner: {{ required \"service.owner is required\" .Values.service.owner }}\n",
    );
    let (code, report) = diff(temp.path(), &head, &base);
    assert_eq!(
        code,
        Some(0),
        "a detected chart's failure leaves the exit code: {report}"
    );
    assert_eq!(report["complete"], false, "{report}");
    let source = &report["not_checked"]["sources"][0];
    assert_eq!(source["kind"], "helm-chart", "{report}");
    assert_eq!(source["name"], "charts/app", "{report}");
    assert_eq!(source["why"], "render-failed", "{report}");
    assert_eq!(source["exit_code"], 0, "{report}");
    // Not "the load balancer is removed", and not "LB011 is fixed".
    assert!(load_balancers(&report).is_empty(), "{report}");
    assert!(findings(&report, "fixed").is_empty(), "{report}");
    let notes = report["notes"].to_string();
    assert!(
        notes.contains(
            "Helm chart charts/app did not render on the head: the base is read without it, so that neither plan has its objects"
        ),
        "{notes}"
    );
}
