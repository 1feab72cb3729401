//! Helm charts as a pull request could write them, with the real helm: a template linked to a
//! file outside the repository, a `file://` dependency outside it, releases the config names that
//! cannot render (exit code 2); the repository never written and the temporary folder left empty;
//! Kustomize's `helmCharts:` refused with a pointer to `clusters[].helm`. (`lbplan diff` on
//! charts: `tests/helm_diff.rs`.)
//!
//! The tests that need helm (or Kustomize) print a `SKIPPED:` line without it, or fail where
//! `LBPLAN_REQUIRE_HELM` is set (`.ci/run`).

mod common;

use std::path::{Path, PathBuf};

use common::helm::{helm, json, lbplan, root};
use common::scratch::{empty, stderr, stdout, write};

/// A repository (a folder with `.git`) holding a copy of `fixtures/helm/NAME` at `charts/NAME`.
fn repository(dir: &Path, name: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir");
    common::copy_tree(
        &root().join("fixtures/helm").join(name),
        &dir.join("charts").join(name),
    );
    dir.to_path_buf()
}

/// Every file under `dir` (`.git` aside) with its contents.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir") {
            let path = entry.expect("entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("meta");
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                out.push((path.clone(), std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
#[test]
fn links_and_dependencies_out_of_the_repository_never_reach_helm() {
    if helm("links_and_dependencies_out_of_the_repository_never_reach_helm").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let repo = repository(&temp.path().join("repo"), "literal");
    let secret = temp.path().join("secret.yaml");
    std::fs::write(
        &secret,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leaked-secret-value\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(&secret, repo.join("charts/literal/templates/leak.yaml"))
        .expect("link");
    // A second chart whose dependency lies outside the repository.
    write(
        &temp.path().join("outside"),
        "Chart.yaml",
        "name: outside\n",
    );
    write(
        &repo,
        "charts/reach/Chart.yaml",
        "name: reach\ndependencies:\n- name: outside\n  repository: file://../../../outside\n",
    );
    write(&repo, "charts/reach/templates/cm.yaml", "kind: ConfigMap\n");
    let before = snapshot(&repo);
    let tmp = temp.path().join("tmp");
    std::fs::create_dir(&tmp).expect("mkdir");
    let out = lbplan(&repo, &tmp, &["lint", "--format", "json", "."], &[]);
    let text = stdout(&out);
    assert!(!text.contains("leaked-secret-value"), "{text}");
    let report = json(&out);
    let notes = report["notes"].to_string();
    for words in [
        "Helm chart charts/literal: charts/literal/templates/leak.yaml is a symbolic link out of the chart, left out of its render (helm would follow it and render what lies there)",
        "charts/reach: dependency outside (file://../../../outside) is no chart folder of the repository, not copied; helm reports it missing",
        "1 of 2 Helm charts failed with their default values",
    ] {
        assert!(notes.contains(words), "{words}: {notes}");
    }
    // The chart with the link rendered (without it); nothing was written but the report.
    assert_eq!(report["charts"][0]["rendered"], true, "{report}");
    assert_eq!(snapshot(&repo), before);
    assert!(
        empty(&tmp),
        "{:?}",
        std::fs::read_dir(&tmp).map(Iterator::count)
    );
}

#[test]
fn releases_the_config_names_that_cannot_render_are_errors() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = repository(&temp.path().join("repo"), "missing-dependency");
    // A values file that does not exist: refused before anything runs, helm or not.
    write(
        &repo,
        ".lbplan.yaml",
        "clusters:\n  - name: prod\n    helm:\n      - chart: charts/missing-dependency\n        values: [envs/prod.yaml]\n",
    );
    let out = lbplan(&repo, temp.path(), &["lint", "."], &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("charts/missing-dependency: values file envs/prod.yaml not found (clusters[0].helm[0].values[0] in the config, cluster prod)"),
        "{}",
        stderr(&out)
    );
    if helm("releases_the_config_names_that_cannot_render_are_errors").is_none() {
        return;
    }
    write(
        &repo,
        ".lbplan.yaml",
        "clusters:\n  - name: prod\n    helm:\n      - chart: charts/missing-dependency\n        release: cache\n        namespace: prod\n",
    );
    let out = lbplan(&repo, temp.path(), &["lint", "."], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    for words in [
        "error: Helm chart charts/missing-dependency (release cache, namespace prod) (clusters[0].helm[0] in the config) did not render: `helm template cache charts/missing-dependency --namespace prod --skip-tests --kube-version v1.31.0`: helm failed (exit status: 1)",
        "missing in charts/ directory: redis",
        "help: lbplan never downloads dependencies",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
}

#[test]
fn kustomize_helm_charts_point_at_clusters_helm() {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let renderer = std::env::split_paths(&path)
        .flat_map(|d| [d.join("kustomize"), d.join("kubectl")])
        .any(|p| p.is_file());
    if !renderer {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: kustomize_helm_charts_point_at_clusters_helm: neither kustomize nor kubectl is on PATH"
        );
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
    write(
        &repo,
        "overlay/kustomization.yaml",
        "helmCharts:\n- name: web\n  repo: https://charts.example.com\n  version: 1.0.0\n  releaseName: web\n",
    );
    let out = lbplan(&repo, temp.path(), &["lint", "overlay"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("have lbplan render the chart with helm instead: name it in .lbplan.yaml under clusters[].helm"),
        "{}",
        stderr(&out)
    );
}
