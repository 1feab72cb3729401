//! `lbplan lint --write-baseline` / `--baseline` and `lbplan diff --baseline` (issue 27 item 6):
//! a round trip across moved lines, a second copy of a baselined finding, a baseline that is not
//! one, the file written again in place, and a pull request that writes its own findings into the
//! baseline (LB516 at the added entry, judged by the base's).

#![cfg(unix)]

use std::path::Path;

mod common;

use common::scratch::{ELB, git, lbplan, service, stderr, stdout, write};

/// Two Services claiming one listener: one LB101 error.
fn conflict(dir: &Path) {
    write(dir, "k8s/web.yaml", &service("web", ELB, 80));
    write(dir, "k8s/api.yaml", &service("api", ELB, 80));
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    lbplan(dir, &dir.join("../tmp"), args, &[])
}

fn scratch() -> tempfile::TempDir {
    let scratch = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(scratch.path().join("tmp")).expect("tmp");
    std::fs::create_dir_all(scratch.path().join("repo")).expect("repo");
    scratch
}

#[test]
fn a_baseline_accepts_todays_findings_across_moved_lines_and_no_more() {
    let scratch = scratch();
    let repo = scratch.path().join("repo");
    conflict(&repo);
    let before = run(&repo, &["lint", "k8s"]);
    assert_eq!(before.status.code(), Some(1), "{}", stdout(&before));

    let wrote = run(
        &repo,
        &["lint", "k8s", "--write-baseline", "lbplan-baseline.json"],
    );
    assert_eq!(wrote.status.code(), Some(0), "{}", stderr(&wrote));
    assert!(
        stderr(&wrote).contains("recorded in lbplan-baseline.json"),
        "{}",
        stderr(&wrote)
    );
    let text = std::fs::read_to_string(repo.join("lbplan-baseline.json")).expect("baseline");
    assert!(
        text.contains("\"code\": \"LB101\"") && !text.contains("\"line\""),
        "{text}"
    );
    // Written twice from the same findings: byte-identical, and in place (the file was read).
    let again = run(
        &repo,
        &["lint", ".", "--write-baseline", "lbplan-baseline.json"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(
        std::fs::read_to_string(repo.join("lbplan-baseline.json")).unwrap(),
        text
    );

    // Lines move: still accepted, counted in the summary.
    let moved = format!("# moved\n# down\n\n{}", service("api", ELB, 80));
    write(&repo, "k8s/api.yaml", &moved);
    let out = run(
        &repo,
        &["lint", "k8s", "--baseline", "lbplan-baseline.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("0 errors, 0 warnings, 0 infos, 1 in the baseline"),
        "{}",
        stdout(&out)
    );
    let json = run(
        &repo,
        &[
            "lint",
            "k8s",
            "--baseline",
            "lbplan-baseline.json",
            "-f",
            "json",
        ],
    );
    assert!(
        stdout(&json).contains("\"baselined\": 1"),
        "{}",
        stdout(&json)
    );

    // Another conflict, on another listener: a new finding, reported.
    write(&repo, "k8s/zeta.yaml", &service("zeta", ELB, 81));
    write(&repo, "k8s/zulu.yaml", &service("zulu", ELB, 81));
    let out = run(
        &repo,
        &["lint", "k8s", "--baseline", "lbplan-baseline.json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("listener TCP:81"), "{}", stdout(&out));
    assert!(
        !stdout(&out).contains("listener TCP:80"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("1 in the baseline"),
        "{}",
        stdout(&out)
    );

    // Fixed: the entry is stale, and a note says how to drop it.
    std::fs::remove_file(repo.join("k8s/api.yaml")).unwrap();
    std::fs::remove_file(repo.join("k8s/zulu.yaml")).unwrap();
    let out = run(
        &repo,
        &["lint", "k8s", "--baseline", "lbplan-baseline.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("no longer found"), "{}", stdout(&out));
}

#[test]
fn a_file_that_is_not_a_baseline_is_an_error_naming_its_line() {
    let scratch = scratch();
    let repo = scratch.path().join("repo");
    conflict(&repo);
    write(
        &repo,
        "bad.json",
        "{\n  \"lbplan_baseline\": 1,\n  \"findings\": [ 7 ]\n}\n",
    );
    let out = run(&repo, &["lint", "k8s", "--baseline", "bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--baseline bad.json: line 3, column"),
        "{}",
        stderr(&out)
    );
    // Nor is a manifest replaced by --write-baseline.
    let out = run(&repo, &["lint", "k8s", "--write-baseline", "k8s/web.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(repo.join("k8s/web.yaml"))
            .unwrap()
            .contains("kind: Service")
    );
}

#[test]
fn a_pull_request_that_adds_to_the_baseline_is_judged_by_the_bases() {
    let scratch = scratch();
    let repo = scratch.path().join("repo");
    git(&repo, &["init", "-q", "."]);
    write(&repo, "k8s/web.yaml", &service("web", ELB, 80));
    let empty = run(
        &repo,
        &["lint", "k8s", "--write-baseline", "lbplan-baseline.json"],
    );
    assert_eq!(empty.status.code(), Some(0), "{}", stderr(&empty));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    // The pull request brings a conflict and accepts it in the baseline.
    conflict(&repo);
    let wrote = run(
        &repo,
        &["lint", "k8s", "--write-baseline", "lbplan-baseline.json"],
    );
    assert_eq!(wrote.status.code(), Some(0), "{}", stderr(&wrote));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "pr"]);
    let out = run(
        &repo,
        &[
            "diff",
            "--base-rev",
            "HEAD~1",
            "--baseline",
            "lbplan-baseline.json",
            "k8s",
        ],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    // The new conflict is reported: the base's baseline does not accept it.
    assert!(text.contains("error[LB101]"), "{text}");
    // The added entry is LB516, at its line in the head's baseline.
    let line = std::fs::read_to_string(repo.join("lbplan-baseline.json"))
        .unwrap()
        .lines()
        .position(|l| l.contains("\"code\": \"LB101\""))
        .map(|i| i + 1)
        .unwrap();
    assert!(
        text.contains(&format!(
            "warning[LB516] policy-relaxed: lbplan-baseline.json:{line}:"
        )),
        "{text}"
    );
    assert!(
        text.contains("accepts 1 LB101 finding on Service/shop/"),
        "{text}"
    );

    // An entry is the pull request's text: a 5,000-byte object name is cut in the message.
    let long = "x".repeat(5000);
    let forged = format!(
        "{{\"lbplan_baseline\": 1, \"findings\": [{{\"code\": \"LB101\", \"object\": \"{long}\", \"message\": \"m\"}}]}}\n"
    );
    write(&repo, "lbplan-baseline.json", &forged);
    let out = run(
        &repo,
        &[
            "diff",
            "--base-rev",
            "HEAD",
            "--baseline",
            "lbplan-baseline.json",
            "k8s",
        ],
    );
    let text = stdout(&out);
    assert!(text.contains("(5000 bytes)"), "{text}");
    assert!(!text.contains(&long), "the whole name is printed");
}
