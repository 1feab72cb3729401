//! `lbplan diff` as a CI job uses it, on copies of `fixtures/diff-repos/` in temporary folders:
//! `--summary` appends the Markdown report, `--max-bytes` drops load balancers' details before
//! findings, the output is identical whatever the thread count, transition rules obey
//! `--select`/`--ignore`, the config's levels and `lbplan.io/ignore`, `--fail-on` and
//! `--exit-code` decide the exit code, and `--output` may not name an input.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;

fn repo(name: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp");
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/diff-repos")
            .join(name),
        temp.path(),
    );
    let head = temp.path().join("head");
    (temp, head)
}

fn lbplan(dir: &Path, args: &[&str]) -> Output {
    common::binary()
        .args(["diff", "--base-root", "../base"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run lbplan")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

fn codes(report: &Value, diff: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["diff"] == diff)
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn sorted(mut codes: Vec<String>) -> Vec<String> {
    codes.sort();
    codes
}

#[test]
fn summary_appends_the_markdown_report_in_the_same_run() {
    let (temp, head) = repo("shop");
    let summary = temp.path().join("summary.md");
    std::fs::write(&summary, "## an earlier step\n").expect("write");
    for _ in 0..2 {
        let out = lbplan(
            &head,
            &[
                "--format",
                "github",
                "--summary",
                summary.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("::warning file=shop/web.yaml"));
    }
    let text = std::fs::read_to_string(&summary).expect("summary");
    assert!(text.starts_with("## an earlier step\n<!-- lbplan-diff -->\n"));
    assert_eq!(
        text.matches("<!-- lbplan-diff -->").count(),
        2,
        "appended, twice"
    );
    let alone = lbplan(&head, &["--format", "markdown"]);
    assert!(text.ends_with(String::from_utf8_lossy(&alone.stdout).as_ref()));
}

#[test]
fn the_byte_budget_drops_details_before_findings() {
    let (_temp, head) = repo("shop");
    let full = String::from_utf8(lbplan(&head, &["--format", "markdown"]).stdout).expect("utf-8");
    assert_eq!(full.matches("<details>").count(), 2);
    let budget = full.find("<details>").expect("details") + 300;
    let cut = lbplan(
        &head,
        &["--format", "markdown", "--max-bytes", &budget.to_string()],
    );
    let cut = String::from_utf8(cut.stdout).expect("utf-8");
    assert!(cut.len() <= budget, "{} > {budget}", cut.len());
    assert!(cut.contains("| warning | LB506 `listener-removed`"));
    assert!(cut.contains("| error (new) | LB101 `listener-conflict`"));
    assert!(cut.contains("**Fails**: 1 finding at or above `--fail-on error`"));
    assert!(cut.contains("2 more load balancers changed: not shown within"));
    assert_eq!(cut.matches("<details>").count(), 0);
}

#[test]
fn the_output_is_the_same_whatever_the_thread_count() {
    let (_temp, head) = repo("cross-cluster");
    let run = |threads: &str| {
        common::binary()
            .args(["diff", "--base-root", "../base", "--format", "json"])
            .current_dir(&head)
            .env("LBPLAN_THREADS", threads)
            .output()
            .expect("run")
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("4"));
}

#[test]
fn transition_rules_obey_select_ignore_levels_and_suppressions() {
    let (_temp, head) = repo("shop");
    let report = json(&lbplan(&head, &["--format", "json"]));
    assert_eq!(codes(&report, "transition"), ["LB506"]);
    assert_eq!(codes(&report, "new"), ["LB101"]);

    let ignored = lbplan(
        &head,
        &["--format", "json", "--ignore", "listener-removed,LB101"],
    );
    assert_eq!(ignored.status.code(), Some(0));
    assert!(codes(&json(&ignored), "transition").is_empty());

    let selected = json(&lbplan(&head, &["--format", "json", "--select", "LB5"]));
    assert_eq!(codes(&selected, "transition"), ["LB506"]);
    assert!(codes(&selected, "new").is_empty());

    // The base's config grades both sides: the same levels in the base and the head apply.
    let config = head.join(".lbplan.yaml");
    let base_config = head.join("../base/.lbplan.yaml");
    let text = std::fs::read_to_string(&config).expect("config");
    let base_text = std::fs::read_to_string(&base_config).expect("base config");
    let levels = "rules: {listener-removed: error, LB101: off}\n";
    std::fs::write(&config, format!("{text}{levels}")).expect("write");
    std::fs::write(&base_config, format!("{base_text}{levels}")).expect("write");
    let graded = lbplan(&head, &["--format", "json"]);
    assert_eq!(graded.status.code(), Some(1));
    let graded = json(&graded);
    assert_eq!(graded["findings"][0]["severity"], "error");
    assert!(codes(&graded, "new").is_empty());
    assert!(!codes(&graded, "transition").contains(&"LB516".to_string()));
    std::fs::write(&base_config, &base_text).expect("restore");

    // The head's own config judges nothing: it would turn LB101 off, LB516 says so, and LB101
    // is still new.
    let relaxed = json(&lbplan(&head, &["--format", "json"]));
    assert_eq!(sorted(codes(&relaxed, "transition")), ["LB506", "LB516"]);
    assert_eq!(codes(&relaxed, "new"), ["LB101"]);
    std::fs::write(&config, &text).expect("restore");

    // lbplan.io/ignore silences a finding of the head only where the base had it too; a new one
    // silences nothing yet, is LB516, and never an unused suppression.
    let web = head.join("shop/web.yaml");
    let base_web = head.join("../base/shop/web.yaml");
    let suppress = |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).expect("web");
        std::fs::write(
            path,
            text.replacen(
                "    kubernetes.io/elb.class: union\n",
                "    kubernetes.io/elb.class: union\n    lbplan.io/ignore: \"LB506; port 8080 moved to the admin Service\"\n",
                1,
            ),
        )
        .expect("write");
    };
    suppress(&web);
    let new_ignore = json(&lbplan(&head, &["--format", "json"]));
    assert_eq!(sorted(codes(&new_ignore, "transition")), ["LB506", "LB516"]);
    assert!(!codes(&new_ignore, "new").contains(&"LB002".to_string()));
    suppress(&base_web);
    let quiet = json(&lbplan(&head, &["--format", "json"]));
    assert!(codes(&quiet, "transition").is_empty());
    assert!(!codes(&quiet, "new").contains(&"LB002".to_string()));
}

#[test]
fn fail_on_and_exit_code_decide_the_exit_code() {
    let (_temp, head) = repo("cross-cluster");
    // LB501 (warning) and LB508 (info): nothing at or above error.
    assert_eq!(lbplan(&head, &[]).status.code(), Some(0));
    assert_eq!(lbplan(&head, &["--exit-code"]).status.code(), Some(3));
    assert_eq!(
        lbplan(&head, &["--fail-on", "warning"]).status.code(),
        Some(1)
    );
    assert_eq!(
        lbplan(&head, &["--fail-on", "warning", "--exit-code"])
            .status
            .code(),
        Some(1),
        "1 wins over 3"
    );
    assert_eq!(
        lbplan(&head, &["--fail-on", "never", "--exit-code"])
            .status
            .code(),
        Some(3)
    );
    // A side with a document that does not parse is incomplete: exit 1 whatever --fail-on says.
    std::fs::write(head.join("cluster-a/broken.yaml"), "kind: [\n").expect("write");
    assert_eq!(
        lbplan(&head, &["--fail-on", "never"]).status.code(),
        Some(1)
    );
    // A file met in a walk that cannot be read is not checked: counted and named in a note, no
    // error of the run.
    let missing = head.join("cluster-a/gone.yaml");
    std::os::unix::fs::symlink(head.join("no-such-file.yaml"), &missing).expect("link");
    let out = lbplan(&head, &["--fail-on", "never", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["head"]["not_checked"], 1);
    assert!(report["notes"].to_string().contains("cluster-a/gone.yaml"));
    assert_eq!(report["complete"], false);
    assert_eq!(
        report["not_checked"]["unread"],
        serde_json::json!(["cluster-a/gone.yaml"])
    );
    let human = lbplan(&head, &["--fail-on", "never"]);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("): Incomplete: 1 file not checked, "),
        "{human}"
    );
    assert!(!human.contains("no change"), "{human}");
    // Named on the command line, it is an I/O error: exit 2, and the report is still written.
    let out = lbplan(
        &head,
        &[
            "--fail-on",
            "never",
            "--format",
            "json",
            "cluster-a/gone.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!json(&out)["errors"].as_array().expect("errors").is_empty());
}

#[test]
fn output_may_not_name_an_input_and_the_base_must_be_a_folder() {
    let (_temp, head) = repo("shop");
    let out = lbplan(&head, &["--output", "shop/web.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one of the inputs"));
    let out = common::binary()
        .args(["diff", "--base-root", "no-such-folder"])
        .current_dir(&head)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--base-root no-such-folder: not a folder")
    );
}

#[test]
fn a_base_checked_out_inside_the_working_folder_is_not_part_of_the_head() {
    let (temp, head) = repo("shop");
    // actions/checkout with `path: baseline` puts the base inside the workspace.
    std::fs::rename(temp.path().join("base"), head.join("baseline")).expect("move");
    let inside = common::binary()
        .args(["diff", "--base-root", "baseline", "--format", "json"])
        .current_dir(&head)
        .output()
        .expect("run");
    let inside = json(&inside);
    let (_other, beside) = repo("shop");
    let beside = json(&lbplan(&beside, &["--format", "json"]));
    // The same changes, by entity, action and key (the base's files are named from its root).
    let keys = |report: &Value| -> Vec<String> {
        report["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| format!("{} {} {}", c["entity"], c["action"], c["key"]))
            .collect()
    };
    assert_eq!(keys(&inside), keys(&beside));
    assert!(!keys(&inside).is_empty());
    assert_eq!(codes(&inside, "new"), ["LB101"]);
    assert!(
        inside["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n == "the base's folder baseline/ is not read as part of the head")
    );
}

/// One Service per folder, all with one name and no config: copies of one object in one cluster.
fn ingress_service(elb_id: &str, port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: ingress-nginx\n  namespace: ingress-nginx\n  annotations:\n    kubernetes.io/elb.class: union\n    kubernetes.io/elb.id: {elb_id}\nspec:\n  type: LoadBalancer\n  selector:\n    app: ingress-nginx\n  ports:\n    - port: {port}\n"
    )
}

#[test]
fn transition_rules_compare_the_copies_the_plans_use_not_every_copy() {
    // As in a repository with one folder per cluster and no config: the same Service in three
    // folders, each with its own ELB. The head changes only the port of the copy the plan uses
    // (the last); the other copies are shadowed on both sides and move nothing.
    let temp = tempfile::tempdir().expect("temp");
    let ids = [
        "11111111-1111-1111-1111-111111111111",
        "22222222-2222-2222-2222-222222222222",
        "33333333-3333-3333-3333-333333333333",
    ];
    for (side, last_port) in [("base", 80), ("head", 8080)] {
        for (i, (folder, id)) in ["a", "b", "c"].iter().zip(ids).enumerate() {
            let dir = temp.path().join(side).join(folder);
            std::fs::create_dir_all(&dir).expect("mkdir");
            let port = if i == 2 { last_port } else { 80 };
            std::fs::write(dir.join("service.yaml"), ingress_service(id, port)).expect("write");
        }
    }
    let out = lbplan(&temp.path().join("head"), &["--format", "json"]);
    let report = json(&out);
    let transitions = codes(&report, "transition");
    assert!(
        !transitions.iter().any(|c| c == "LB505"),
        "a shadowed copy was compared with the base's planned copy: {transitions:?}"
    );
    // The planned copy's listener did change: TCP:80 removed, TCP:8080 added on the third ELB.
    let changed: Vec<String> = report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["entity"] == "listener")
        .map(|c| format!("{} {}", c["action"], c["key"]))
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed.iter().all(|c| c.contains(ids[2])), "{changed:?}");
}

#[test]
fn a_copy_added_in_its_own_folder_is_the_copy_whose_findings_are_new() {
    // Each copy of the Service has LB307's finding (externalTrafficPolicy Local on a CCE
    // Service); the head adds a copy in a new folder that sorts first. Its finding is the new
    // one, whatever order the copies are matched in.
    let temp = tempfile::tempdir().expect("temp");
    let local = |id: &str| {
        ingress_service(id, 80).replace(
            "  type: LoadBalancer\n",
            "  type: LoadBalancer\n  externalTrafficPolicy: Local\n",
        )
    };
    let id = "44444444-4444-4444-4444-444444444444";
    for (side, folders) in [
        ("base", &["a", "b", "c"][..]),
        ("head", &["0", "a", "b", "c"][..]),
    ] {
        for folder in folders {
            let dir = temp.path().join(side).join(folder);
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join("service.yaml"), local(id)).expect("write");
        }
    }
    let report = json(&lbplan(&temp.path().join("head"), &["--format", "json"]));
    let new: Vec<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["diff"] == "new")
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap_or(""),
                f["file"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(!new.is_empty(), "{report}");
    assert!(
        new.iter().all(|n| n.ends_with(" 0/service.yaml")),
        "{new:?}"
    );
}

#[test]
fn notes_fold_and_give_way_to_load_balancers_within_the_byte_budget() {
    let (_temp, head) = repo("shop");
    // A repository's worth of notes: one per Kustomize component no overlay uses (Helm charts,
    // which used to get one note each, now share one).
    for i in 0..40 {
        let component = head.join(format!("components/c-{i:02}"));
        std::fs::create_dir_all(&component).expect("mkdir");
        std::fs::write(
            component.join("kustomization.yaml"),
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
        )
        .expect("write");
    }
    let full = String::from_utf8(lbplan(&head, &["--format", "markdown"]).stdout).expect("utf-8");
    // One note per component, collapsed into one line for their kind.
    assert_eq!(
        full.matches("- 40 notes: Kustomize components no overlay uses, such as ``Kustomize component components/c-00 ")
            .count(),
        1,
        "{full}"
    );
    assert!(!full.contains("components/c-01"), "{full}");
    assert_eq!(full.matches("<summary>~ load balancer").count(), 2);
    // Room for both load balancers but not for the notes: the notes are cut, not the details.
    let budget = full.len() - 50;
    let cut = lbplan(
        &head,
        &["--format", "markdown", "--max-bytes", &budget.to_string()],
    );
    let cut = String::from_utf8(cut.stdout).expect("utf-8");
    assert!(cut.len() <= budget, "{} > {budget}", cut.len());
    assert_eq!(cut.matches("<summary>~ load balancer").count(), 2, "{cut}");
    assert!(
        cut.contains("40 notes not shown within the byte budget"),
        "{cut}"
    );
}

#[test]
fn a_copy_added_beside_another_does_not_release_its_load_balancer() {
    // The base's copy in apps/control/ingress is placed at apps/control (where it first differs
    // from apps/hk/ingress); the head adds a copy in apps/control/ingress-sg, after which
    // apps/control/ingress is where it differs. Compared by name, its load balancer (created
    // for the Service, named after the placement) would be released and created again.
    let temp = tempfile::tempdir().expect("temp");
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\n  namespace: ingress\nspec:\n  type: LoadBalancer\n  selector:\n    app: backend\n  ports:\n    - port: 80\n";
    for (side, folders) in [
        ("base", &["apps/control/ingress", "apps/hk/ingress"][..]),
        (
            "head",
            &[
                "apps/control/ingress",
                "apps/control/ingress-sg",
                "apps/hk/ingress",
            ][..],
        ),
    ] {
        for folder in folders {
            let dir = temp.path().join(side).join(folder);
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join("service.yaml"), service).expect("write");
        }
    }
    let report = json(&lbplan(&temp.path().join("head"), &["--format", "json"]));
    let lbs: Vec<String> = report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["entity"] == "load_balancer")
        .map(|c| format!("{} {}", c["action"], c["key"]["lb"]))
        .collect();
    assert_eq!(
        lbs,
        [r#""add" "auto:default@apps/control/ingress-sg/ingress/backend""#],
        "{report}"
    );
    assert!(codes(&report, "transition").is_empty(), "{report}");
    assert!(codes(&report, "fixed").is_empty(), "{report}");
}
