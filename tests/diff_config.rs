//! Each side of `lbplan diff` is read from its own root, whatever form `--config` takes (issue
//! 21): every diff mode (`--base-root`, `--base-rev`, `--base-rev` with `--head-rev`) with a
//! relative and an absolute `--config`, and with the config in both sides, only in the base or
//! only in the head. A change of the manifests under the config's cluster paths is seen in every
//! case: an absolute `--config` no longer makes both sides read the working tree ("no change").

#![cfg(unix)]

use std::path::Path;

mod common;

use common::scratch::{ELB, OTHER, empty, git, lbplan, service, stderr, write};

const CONFIG: &str =
    "clusters:\n  - name: prod\n    provider: huawei-cce\n    paths: [clusters/prod/]\n";

/// Where the config is.
#[derive(Clone, Copy, Debug)]
enum Holder {
    Both,
    BaseOnly,
    HeadOnly,
}

/// A repository whose `main` has web on ELB, and whose branch `pr` moves it to OTHER; the
/// working tree is `pr` checked out. A copy of `main`'s files is at `base/` beside it.
fn setup(scratch: &Path, holder: Holder) {
    let repo = scratch.join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "."]);
    let with_config = |side_has: bool, dir: &Path| {
        if side_has {
            write(dir, ".lbplan.yaml", CONFIG);
        } else {
            let _ = std::fs::remove_file(dir.join(".lbplan.yaml"));
        }
    };
    write(&repo, "clusters/prod/web.yaml", &service("web", ELB, 80));
    with_config(!matches!(holder, Holder::HeadOnly), &repo);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "main"]);
    let base = scratch.join("base");
    write(&base, "clusters/prod/web.yaml", &service("web", ELB, 80));
    with_config(!matches!(holder, Holder::HeadOnly), &base);
    git(&repo, &["checkout", "-q", "-b", "pr"]);
    write(&repo, "clusters/prod/web.yaml", &service("web", OTHER, 80));
    with_config(!matches!(holder, Holder::BaseOnly), &repo);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "pr"]);
}

#[test]
fn every_mode_reads_each_side_from_its_own_root() {
    let modes: [&[&str]; 3] = [
        &["--base-root", "../base"],
        &["--base-rev", "main"],
        &["--base-rev", "main", "--head-rev", "pr"],
    ];
    for holder in [Holder::Both, Holder::BaseOnly, Holder::HeadOnly] {
        let scratch = tempfile::tempdir().expect("temp");
        setup(scratch.path(), holder);
        let repo = scratch.path().join("repo");
        let temp = scratch.path().join("tmp");
        std::fs::create_dir_all(&temp).expect("mkdir");
        let absolute = repo.join(".lbplan.yaml").display().to_string();
        for mode in modes {
            for config in [".lbplan.yaml", absolute.as_str()] {
                let mut args = vec!["--config", config, "diff", "--format", "json"];
                args.extend(mode);
                let out = lbplan(&repo, &temp, &args, &[]);
                let case = format!("{holder:?} {mode:?} --config {config}");
                assert_eq!(out.status.code(), Some(1), "{case}: {}", stderr(&out));
                let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
                assert_eq!(report["summary"]["changed"], true, "{case}: {report}");
                let moved = report["findings"]
                    .as_array()
                    .expect("findings")
                    .iter()
                    .any(|f| f["code"] == "LB505");
                assert!(moved, "{case}: {report}");
                // Both sides read with the base's config: its cluster where it has one.
                let cluster = if matches!(holder, Holder::HeadOnly) {
                    "default"
                } else {
                    "prod"
                };
                assert!(
                    report["changes"]
                        .to_string()
                        .contains(&format!("{cluster}:Service/shop/web")),
                    "{case}: {report}"
                );
                assert!(empty(&temp), "{case}");
            }
        }
    }
}

#[test]
fn a_config_outside_every_root_serves_both_sides_from_their_own_roots() {
    let scratch = tempfile::tempdir().expect("temp");
    setup(scratch.path(), Holder::Both);
    let outside = scratch.path().join("trusted/lbplan.yaml");
    write(
        outside.parent().expect("parent"),
        "lbplan.yaml",
        "clusters:\n  - name: trusted\n    provider: huawei-cce\n    paths: [clusters/prod/]\n",
    );
    let repo = scratch.path().join("repo");
    let temp = scratch.path().join("tmp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let outside = outside.display().to_string();
    let modes = [
        &["--base-root", "../base"][..],
        &["--base-rev", "main"],
        &["--base-rev", "main", "--head-rev", "pr"],
    ];
    // Given absolute or relative, a config outside the repository is one file for both sides.
    for (mode, config) in modes
        .iter()
        .flat_map(|m| [(m, outside.as_str()), (m, "../trusted/lbplan.yaml")])
    {
        let mut args = vec!["--config", config, "diff", "--format", "json"];
        args.extend(mode.iter());
        let out = lbplan(&repo, &temp, &args, &[]);
        assert_eq!(out.status.code(), Some(1), "{mode:?}: {}", stderr(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let changes = report["changes"].to_string();
        assert!(
            changes.contains("trusted:Service/shop/web"),
            "{mode:?}: {report}"
        );
        assert!(
            changes.contains(OTHER) && changes.contains(ELB),
            "{mode:?}: {report}"
        );
    }
}
