//! `lbplan init`: the config it writes reads back, keeps the answer of a run without config, goes
//! to the repository's root, never replaces a config, and carries hostile names safely.
//! (`tests/gitops.rs` checks the answer on every GitOps repository.)

use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::Value;

mod common;

fn lbplan(dir: &Path, args: &[&str]) -> Output {
    common::binary()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .expect("run lbplan")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Findings and summary of `lint --format json .`, and its notes that are not about GitOps
/// objects (a config takes them in, and says nothing of them).
fn answer(dir: &Path) -> (Value, Vec<Value>, Value) {
    let out = lbplan(dir, &["lint", "--format", "json", "."]);
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    let notes = report["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| {
            !n.as_str()
                .is_some_and(|n| n.starts_with("GitOps sources of"))
        })
        .cloned()
        .collect();
    (report["findings"].clone(), notes, report["summary"].clone())
}

fn copy(layout: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(layout);
    common::copy_tree(&from, dir.path());
    dir
}

/// Folders per region and no GitOps object: one cluster of the rest, whose copies keep being
/// planned once per folder (the same findings, and the same notes naming the folders).
#[test]
fn copies_in_several_folders_keep_their_placements() {
    let dir = copy("fixtures/layouts/regions");
    let before = answer(dir.path());
    let init = lbplan(dir.path(), &["init"]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    assert_eq!(
        stderr(&init),
        "wrote .lbplan.yaml (1 cluster); lbplan lint reads it from now on\n"
    );
    let written = std::fs::read_to_string(dir.path().join(".lbplan.yaml")).expect("written");
    assert!(
        written.contains("    rest: true  # the files nothing else claims; copies in several folders are planned once per folder: deploy/fra/, deploy/hk/, deploy/sg/"),
        "{written}"
    );
    assert!(
        written.contains(
            "    provider: huawei-cce  # the annotations of 5 of 5 load-balanced objects"
        ),
        "{written}"
    );
    assert_eq!(answer(dir.path()), before, "{written}");
}

/// From a folder of a repository, the file goes to the repository's root; `--stdout` prints the
/// same text and writes nothing, even where a config is.
#[test]
fn the_config_goes_to_the_repository_root() {
    let dir = copy("fixtures/gitops/appset-list");
    std::fs::create_dir(dir.path().join(".git")).expect("a repository's root");
    let sub = dir.path().join("apps/shop");
    let printed = lbplan(&sub, &["init", "--stdout"]);
    assert_eq!(printed.status.code(), Some(0), "{}", stderr(&printed));
    assert!(!dir.path().join(".lbplan.yaml").exists());
    let written = lbplan(&sub, &["init"]);
    assert_eq!(
        stderr(&written),
        "wrote ../../.lbplan.yaml (3 clusters); lbplan lint reads it from now on\n"
    );
    let text = std::fs::read_to_string(dir.path().join(".lbplan.yaml")).expect("at the root");
    assert_eq!(text, stdout(&printed));
    assert!(
        text.contains("      - path: apps/shop\n        namespace: shop\n"),
        "{text}"
    );
    // A config there changes nothing of what --stdout infers.
    let again = lbplan(&sub, &["init", "--stdout"]);
    assert_eq!(stdout(&again), text);
}

/// An existing `.lbplan.yaml` or `.lbplan.yml` is named and kept (exit code 2).
#[test]
fn an_existing_config_is_never_replaced() {
    for name in [".lbplan.yaml", ".lbplan.yml"] {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(name), "rules: {}\n").expect("write");
        std::fs::write(dir.path().join("svc.yaml"), "kind: Service\n").expect("write");
        let out = lbplan(dir.path(), &["init"]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out),
            format!(
                "error: {name} is there already: lbplan init writes a new config and never replaces one (lbplan init --stdout prints what it would write)\n"
            )
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(name)).expect("kept"),
            "rules: {}\n"
        );
    }
}

/// Names and paths the repository chooses are written so that YAML reads them back as they
/// were, and no comment spans two lines: a folder with spaces and `#`, a destination whose
/// name holds a line break and a YAML key.
#[test]
fn hostile_names_read_back_as_they_were() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: \"x\\nrules: {LB101: off}\"\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://example.com/r.git\n    path: \"odd dir #1\"\n  destination:\n    name: \"prod\\nrules: {LB101: off}\"\n    namespace: \"true\"\n";
    std::fs::write(dir.path().join("app.yaml"), app).expect("write");
    std::fs::create_dir(dir.path().join("odd dir #1")).expect("mkdir");
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0\nspec:\n  type: LoadBalancer\n  selector: {app: a}\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  annotations:\n    kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0\nspec:\n  type: LoadBalancer\n  selector: {app: b}\n  ports: [{port: 80}]\n";
    std::fs::write(dir.path().join("odd dir #1/svc.yaml"), svc).expect("write");
    let before = answer(dir.path());
    let init = lbplan(dir.path(), &["init"]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let text = std::fs::read_to_string(dir.path().join(".lbplan.yaml")).expect("written");
    assert!(!text.contains("\nrules:"), "{text}");
    assert!(
        text.contains("  - name: prod-rules---LB101--off--156e0f8e  #"),
        "{text}"
    );
    assert!(
        text.contains("      - path: \"odd dir #1\"\n        namespace: \"true\"\n"),
        "{text}"
    );
    let after = answer(dir.path());
    assert_eq!(after, before, "{text}");
    assert!(
        after
            .0
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["code"] == "LB101")),
        "{after:?}"
    );
}
