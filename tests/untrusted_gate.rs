//! The gate a pull request cannot move (issue 19): a head config and a new `lbplan.io/ignore`
//! that would switch off the rule judging the change, `--output` and `--summary` through a link
//! to a manifest, a submodule in a clean checkout, and the README's empty kube-system export.

#![cfg(unix)]

mod common;

use common::scratch::{
    ELB, OTHER, empty, git, lbplan, listing, repository, service, stderr, stdout, write,
};

#[test]
fn diff_judges_by_the_base_policy_whatever_the_head_switches_off() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    repository(&repo, &[("shop/web.yaml", &service("web", ELB, 80))]);
    git(&repo, &["checkout", "-q", "-b", "pr"]);
    // The pull request moves web to another ELB, and switches off the rule that says so, in
    // its config and on the object.
    write(
        &repo,
        ".lbplan.yaml",
        "rules:\n  LB505: off\n  address-changed: off\n",
    );
    write(
        &repo,
        "shop/web.yaml",
        &service("web", OTHER, 80).replace(
            "    kubernetes.io/elb.class: union\n",
            "    kubernetes.io/elb.class: union\n    lbplan.io/ignore: LB505\n",
        ),
    );
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "pr"]);
    let temp = scratch.path().join("tmp");
    std::fs::create_dir(&temp).expect("mkdir");
    for args in [
        &["diff", "--base-rev", "main", "--format", "json"][..],
        &[
            "diff",
            "--base-rev",
            "main",
            "--head-rev",
            "pr",
            "--format",
            "json",
        ],
    ] {
        let out = lbplan(&repo, &temp, args, &[]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let findings = report["findings"].as_array().expect("findings");
        let of = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
        assert_eq!(of("LB505"), 1, "{report}");
        assert!(
            findings
                .iter()
                .any(|f| f["code"] == "LB505" && f["severity"] == "error")
        );
        // The config's entries (two names of one rule: once) and the annotation.
        assert_eq!(of("LB516"), 2, "{report}");
        assert!(empty(&temp));
    }
}

#[test]
fn outputs_never_overwrite_an_input_by_any_name() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    repository(&repo, &[("shop/web.yaml", &service("web", ELB, 80))]);
    let original = std::fs::read(repo.join("shop/web.yaml")).expect("read");
    std::fs::hard_link(repo.join("shop/web.yaml"), scratch.path().join("hard.json")).expect("link");
    std::os::unix::fs::symlink(repo.join("shop/web.yaml"), scratch.path().join("soft.json"))
        .expect("link");
    let temp = scratch.path().join("tmp");
    std::fs::create_dir(&temp).expect("mkdir");
    for name in ["hard.json", "soft.json"] {
        let target = scratch.path().join(name).display().to_string();
        for args in [
            vec!["lint", "--format", "json", "--output", &target, "shop"],
            vec!["plan", "--output", &target, "shop"],
            vec!["diff", "--base-root", ".", "--summary", &target, "shop"],
            vec!["diff", "--base-root", ".", "--output", &target, "shop"],
        ] {
            let out = lbplan(&repo, &temp, &args, &[]);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            assert!(
                stderr(&out).contains("one of the inputs"),
                "{}",
                stderr(&out)
            );
            assert_eq!(
                std::fs::read(repo.join("shop/web.yaml")).expect("read"),
                original
            );
        }
    }
    // Elsewhere, the report replaces the file whole.
    let report = scratch.path().join("report.json");
    std::fs::write(&report, "x".repeat(100_000)).expect("write");
    let out = lbplan(
        &repo,
        &temp,
        &[
            "lint",
            "--format",
            "json",
            "--output",
            &report.display().to_string(),
            "shop",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("read")).expect("whole JSON");
    assert!(written["findings"].is_array());
    assert!(
        listing(scratch.path())
            .iter()
            .all(|p| !p.to_string_lossy().contains(".lbplan-"))
    );
}

#[test]
fn a_submodule_makes_no_new_manifests_in_a_clean_checkout() {
    let scratch = tempfile::tempdir().expect("temp");
    let sub = scratch.path().join("sub");
    repository(&sub, &[("vendor.yaml", &service("vendored", OTHER, 90))]);
    let repo = scratch.path().join("repo");
    repository(&repo, &[("shop/web.yaml", &service("web", ELB, 80))]);
    git(
        &repo,
        &[
            "submodule",
            "add",
            "-q",
            &sub.display().to_string(),
            "deps/sub",
        ],
    );
    git(&repo, &["commit", "-q", "-m", "submodule"]);
    let temp = scratch.path().join("tmp");
    std::fs::create_dir(&temp).expect("mkdir");
    let out = lbplan(
        &repo,
        &temp,
        &["diff", "--base-rev", "HEAD", "--format", "json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["summary"]["changed"], false, "{report}");
    assert_eq!(report["summary"]["lint"]["new"], 0, "{report}");
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("submodules are not read (deps/sub)"),
        "{notes}"
    );
    assert!(
        notes.contains("1 submodule or nested repository not read"),
        "{notes}"
    );
    let lint = lbplan(&repo, &temp, &["lint", "."], &[]);
    assert!(stdout(&lint).contains("in 1 file"), "{}", stdout(&lint));
    assert!(empty(&temp));
}

#[test]
fn the_readme_kube_system_export_of_a_cluster_without_those_config_maps_is_fine() {
    let scratch = tempfile::tempdir().expect("temp");
    write(scratch.path(), "shop/web.yaml", &service("web", ELB, 80));
    // `kubectl get configmap ... --ignore-not-found -o yaml` prints nothing when none exists.
    write(scratch.path(), "kube-system.yaml", "");
    write(scratch.path(), "pods.yaml", "");
    let out = lbplan(
        scratch.path(),
        scratch.path(),
        &[
            "lint",
            "--cluster-export",
            "kube-system.yaml",
            "--pods",
            "pods.yaml",
            "shop",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("kube-system.yaml: empty, nothing exported here"),
        "{text}"
    );
    assert!(text.contains("pods.yaml: empty") && text.contains("not used as the pod snapshot"));
}
