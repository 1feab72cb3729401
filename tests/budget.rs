//! One 1 GiB budget per run counts files read, rendered streams and files written for git
//! revisions, each once, and crossing it fails the run the same way whatever the order (issue
//! 19). Gigabytes piped and written: `.ci/run` runs these in release mode (`--ignored`). The
//! stand-in renderer is given through `LBPLAN_KUSTOMIZE`.

#![cfg(unix)]

mod common;

use common::scratch::{
    ELB, empty, git, lbplan, listing, repository, script, service, stderr, write,
};

/// A stand-in renderer at `scratch/bin/kustomize`: `v9.9.9` for its version, `body` to build.
fn renderer(scratch: &std::path::Path, body: &str) -> String {
    script(
        &scratch.join("bin/kustomize"),
        &format!("if [ \"$1\" = version ]; then echo v9.9.9; exit 0; fi\n{body}"),
    )
    .display()
    .to_string()
}

/// Three overlays whose renders print 450 MiB each: over the run's 1 GiB together, whichever
/// finishes first, so the run fails the same way with one thread or three.
#[test]
#[ignore = "heavy: .ci/run runs it in release mode"]
fn renders_count_against_the_one_budget_whatever_the_order() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    let mut files = Vec::new();
    for name in ["a", "b", "c"] {
        files.push((
            format!("overlays/{name}/kustomization.yaml"),
            "resources: []\n",
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    repository(&repo, &files);
    std::fs::create_dir_all(scratch.path().join("tmp")).expect("mkdir");
    let program = renderer(
        scratch.path(),
        "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n'\nhead -c 471859200 /dev/zero | tr '\\0' '#'",
    );
    let temp = scratch.path().join("tmp");
    let mut errors = Vec::new();
    for threads in ["1", "3"] {
        let out = lbplan(
            &repo,
            &temp,
            &["lint", "--format", "json", "."],
            &[("LBPLAN_KUSTOMIZE", &program), ("LBPLAN_THREADS", threads)],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(report["findings"], serde_json::json!([]));
        errors.push(report["errors"].clone());
        assert!(empty(&temp));
    }
    assert!(
        errors[0].to_string().contains("exceed 1 GiB"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0], errors[1], "the same failure whatever the order");
}

/// One blob under 140 names: 232 KB of objects that would be 1.1 GB of files.
#[test]
#[ignore = "heavy: .ci/run runs it in release mode"]
fn a_revision_counts_against_the_one_budget_as_it_is_written() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    repository(&repo, &[("shop/web.yaml", &service("web", ELB, 80))]);
    let big = format!("# {}\n", "x".repeat(8 << 20));
    for i in 0..140 {
        write(&repo, &format!("copies/{i}.yaml"), &big);
    }
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "copies"]);
    let temp = scratch.path().join("tmp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let out = lbplan(
        &repo,
        &temp,
        &["diff", "--base-rev", "HEAD", "--head-rev", "HEAD"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 GiB"), "{}", stderr(&out));
    assert!(empty(&temp), "{:?}", listing(&temp));
}
