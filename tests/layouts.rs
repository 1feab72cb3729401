//! A first `lbplan lint .`, with no config, on repositories laid out as real ones are
//! (`fixtures/layouts/`, each copied to a temporary folder, where the test adds what a fixture
//! cannot hold: a git work tree, a dangling symbolic link): the exact findings and notes of the
//! lint, and the load balancers of `lbplan plan`.
//!
//! The layouts whose overlays must be rendered need `kustomize` or `kubectl` on PATH; without
//! either they are skipped with a `SKIPPED:` line on standard error, never passed silently.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;

/// The layout `name` copied into a fresh temporary folder (outside any git work tree).
fn layout(name: &str) -> tempfile::TempDir {
    common::fixture_copy("layouts", name)
}

fn lbplan(dir: &Path, args: &[&str]) -> Output {
    common::binary()
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", std::env::temp_dir())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .expect("run lbplan")
}

use common::json_output as json;

/// What a first run says: the exit code of `lint .`, its findings (`CODE file:line object`), its
/// notes and errors, and the load balancers `plan .` plans.
#[derive(Debug, PartialEq)]
struct FirstRun {
    exit: i32,
    findings: Vec<String>,
    notes: Vec<String>,
    errors: Vec<String>,
    load_balancers: Vec<String>,
}

fn first_run(dir: &Path) -> FirstRun {
    let lint = lbplan(dir, &["lint", "--format", "json", "."]);
    let report = json(&lint);
    let strings = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect()
    };
    let findings = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let placement = f["placement"]
                .as_str()
                .map_or_else(String::new, |p| format!(" @{p}"));
            format!(
                "{} {}:{} {}{placement}",
                f["code"].as_str().unwrap_or(""),
                f["file"].as_str().unwrap_or(""),
                f["line"],
                f["object"].as_str().unwrap_or("-")
            )
        })
        .collect();
    let errors = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{}: {}",
                e["file"].as_str().unwrap_or(""),
                e["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    let plan = json(&lbplan(dir, &["plan", "--format", "json", "."]));
    let load_balancers = plan["load_balancers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|lb| {
            let objects: Vec<String> = lb["listeners"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|l| {
                    let objects: Vec<&str> = l["objects"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    format!(
                        "{}:{} {}",
                        l["protocol"].as_str().unwrap_or(""),
                        l["port"],
                        objects.join(",")
                    )
                })
                .collect();
            format!(
                "{} [{}]",
                lb["id"].as_str().unwrap_or(""),
                objects.join("; ")
            )
        })
        .collect();
    FirstRun {
        exit: lint.status.code().unwrap_or(-1),
        findings,
        notes: strings("notes"),
        errors,
        load_balancers,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// `kustomize` or `kubectl` on PATH; `false` after saying why `test` is skipped.
fn can_render(test: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .any(|d| d.join("kustomize").is_file() || d.join("kubectl").is_file());
    if !found {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: tests/layouts.rs {test}: neither kustomize nor kubectl is on PATH"
        );
    }
    found
}

/// One folder per region, the same Services in each, no config: every region's copy is planned,
/// once per folder, and no copy is compared with another region's; a finding about one copy
/// names its placement.
#[test]
fn folders_per_region_are_planned_once_each() {
    let dir = layout("regions");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            findings: strings(&[
                "LB307 deploy/hk/ingress.yaml:13 Service/ingress-nginx/ingress-nginx @deploy/hk"
            ]),
            notes: strings(&[
                "Service/ingress-nginx/ingress-nginx and 1 other object are defined in 3 folders: deploy/fra/, deploy/hk/, deploy/sg/; planned once per folder; to say which folders are one cluster, add clusters[].paths",
                "Service/web/web and 1 other object are defined in 2 folders: deploy/hk/, deploy/sg/; planned once per folder; to say which folders are one cluster, add clusters[].paths",
                "not checked: cluster flavor unknown for LB303 (1 object; set --flavor or clusters[].flavor)",
            ]),
            errors: Vec::new(),
            load_balancers: strings(&[
                "3c5f0a5e-7a41-4c1e-9d55-8f1c2f0e2b11 [TCP:80 default@deploy/sg:Service/ingress-nginx/ingress-nginx; TCP:443 default@deploy/sg:Service/ingress-nginx/ingress-nginx]",
                "9a0c2e8d-5b6f-4f7e-a1d2-3e4f5a6b7c8d [TCP:80 default@deploy/fra:Service/ingress-nginx/ingress-nginx; TCP:443 default@deploy/fra:Service/ingress-nginx/ingress-nginx]",
                "auto:default@deploy/hk/web/web [TCP:80 default@deploy/hk:Service/web/web]",
                "auto:default@deploy/sg/web/web [TCP:80 default@deploy/sg:Service/web/web]",
                "b08cdf56-c841-4866-b276-40b4bc8ab025 [TCP:80 default@deploy/hk:Service/ingress-nginx/ingress-nginx; TCP:443 default@deploy/hk:Service/ingress-nginx/ingress-nginx]",
            ]),
        }
    );
}

/// An overlay that is also another overlay's base, beside it: rendered on its own too.
#[test]
fn an_overlay_that_is_a_base_is_rendered_on_its_own() {
    if !can_render("an_overlay_that_is_a_base_is_rendered_on_its_own") {
        return;
    }
    let dir = layout("overlay-base");
    let run = first_run(dir.path());
    assert_eq!(run.exit, 0, "{run:?}");
    assert_eq!(run.findings, Vec::<String>::new());
    assert_eq!(
        run.load_balancers,
        strings(&[
            "5083f225-9bf8-48fa-9c8b-67bd9693c4c0 [TCP:80 default@overlays/prod:Service/shop/shop]",
            "7d1e6b0a-2c3f-4e5d-8a9b-0c1d2e3f4a5b [TCP:80 default@overlays/prod-eu:Service/shop/shop]",
        ])
    );
    assert_eq!(
        run.notes,
        strings(&[
            "Service/shop/shop and 1 other object are defined in 2 folders: overlays/prod/, overlays/prod-eu/; planned once per folder; to say which folders are one cluster, add clusters[].paths",
        ])
    );
}

/// A committed folder that `.gitignore` matches is read: git tracks it.
#[test]
fn tracked_files_are_read_whatever_gitignore_says() {
    let dir = layout("ignored-tracked");
    let root = dir.path();
    std::fs::rename(root.join("gitignore"), root.join(".gitignore")).expect("rename");
    std::fs::write(root.join("local/notes.yaml"), "not: tracked\n").expect("write");
    git(root, &["init", "-q", "."]);
    git(
        root,
        &["add", "-f", ".gitignore", "local/gateway.yaml", "deploy"],
    );
    git(root, &["commit", "-q", "-m", "layout"]);
    let run = first_run(root);
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            findings: Vec::new(),
            notes: Vec::new(),
            errors: Vec::new(),
            load_balancers: strings(&[
                "0f6e2d8c-1b4a-4c3d-9e8f-7a6b5c4d3e2f [TCP:443 default:Service/default/gateway]"
            ]),
        }
    );
    // A run that names only files never asks git.
    let named = lbplan(root, &["lint", "deploy/gateway-deployment.yaml"]);
    assert_eq!(named.status.code(), Some(0));
}

/// A symbolic link to nothing met in a walk is a note; named on the command line, exit 2.
#[cfg(unix)]
#[test]
fn a_dangling_link_in_a_walk_is_a_note() {
    let dir = layout("dangling-link");
    let root = dir.path();
    // git keeps no empty folder: the link's folder is made here, as the link itself is.
    std::fs::create_dir_all(root.join("roles/web/files")).expect("mkdir");
    std::os::unix::fs::symlink(
        "../../../missing/web.yaml",
        root.join("roles/web/files/web.yaml"),
    )
    .expect("symlink");
    let run = first_run(root);
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            findings: Vec::new(),
            notes: strings(&[
                "1 file met in folder walks could not be read and was not checked: roles/web/files/web.yaml (a broken symbolic link: No such file or directory (os error 2))",
            ]),
            errors: Vec::new(),
            load_balancers: strings(&["lb-6swtq2zk [TCP:80 default:Service/default/web]"]),
        }
    );
    let named = lbplan(root, &["lint", "roles/web/files/web.yaml"]);
    assert_eq!(named.status.code(), Some(2));
}

/// JSON that is no Kubernetes object is skipped quietly, comments or not; JSON that says it is
/// one and does not parse is LB001.
#[test]
fn json_that_is_no_manifest_is_skipped() {
    let dir = layout("tsconfig");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 1,
            findings: strings(&["LB001 deploy/broken.json:1 -"]),
            notes: Vec::new(),
            errors: Vec::new(),
            load_balancers: strings(&["lb-6swtq2zk [TCP:80 default:Service/default/web]"]),
        }
    );
}

/// Placeholder IDs in examples: each example gets a load balancer of its own, no conflict.
#[test]
fn placeholders_are_never_shared() {
    let dir = layout("placeholders");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            findings: strings(&[
                "LB026 examples/public-elb/service.yaml:8 Service/default/app",
                "LB026 examples/tke/service.yaml:7 Service/default/app-tke",
                "LB026 examples/tke/service.yaml:21 Service/default/admin",
                "LB026 examples/udp/service.yaml:8 Service/default/app-udp",
            ]),
            notes: Vec::new(),
            errors: Vec::new(),
            load_balancers: strings(&[
                "lb-12345 [TCP:9000 default:Service/default/admin]",
                "placeholder:default/default/app [TCP:80 default:Service/default/app]",
                "placeholder:default/default/app-tke [TCP:80 default:Service/default/app-tke]",
                "placeholder:default/default/app-udp [UDP:80 default:Service/default/app-udp]",
            ]),
        }
    );
}

/// A Service selecting the pods of a kind lbplan does not model is not "matches nothing".
#[test]
fn pods_of_unmodelled_kinds_quiet_lb211() {
    let dir = layout("leaderworkerset");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            findings: strings(&["LB211 inference.yaml:72 Service/default/metrics"]),
            notes: strings(&[
                "not checked: pods of a kind lbplan does not model, for LB211 (1 Service; Service/default/vllm-leader selects LeaderWorkerSet/default/vllm, whose pods lbplan cannot plan)",
            ]),
            errors: Vec::new(),
            load_balancers: strings(&[
                "2b7c1f0e-6d5a-4e3b-9c8d-1a2b3c4d5e6f [TCP:8000 default:Service/default/vllm-leader]",
                "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8 [TCP:9090 default:Service/default/metrics]",
            ]),
        }
    );
}

/// An overlay that does not render: exit 2, its first meaningful line and the way forward; the
/// rest of the repository is still linted and planned.
#[test]
fn a_failing_overlay_says_what_to_do() {
    if !can_render("a_failing_overlay_says_what_to_do") {
        return;
    }
    let dir = layout("failing-overlay");
    let run = first_run(dir.path());
    assert_eq!(run.exit, 2, "{run:?}");
    assert_eq!(run.findings, Vec::<String>::new());
    assert_eq!(
        run.load_balancers,
        strings(&["8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d [TCP:80 default:Service/default/api]"])
    );
    let [error] = run.errors.as_slice() else {
        panic!("one error: {:?}", run.errors);
    };
    let lines: Vec<&str> = error.lines().map(str::trim).collect();
    assert_eq!(lines.len(), 3, "{error}");
    assert_eq!(
        lines[1],
        "ConfigMap ingress-nginx/tcp-services: json: unsupported type: map[interface {}]interface {}"
    );
    assert!(
        lines[2].starts_with("likely cause: a YAML key that is not a string"),
        "{error}"
    );
    assert!(
        !error.contains("lbplan-kustomize-"),
        "no temporary path: {error}"
    );
}

/// git, isolated from the user's and the system's config.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A copy added in a new folder makes the existing one a placement (its keys gain the folder):
/// `lbplan diff` matches the two by file, so neither LB505 (address changed) nor LB512 (an
/// auto-created load balancer released) fires for a Service that did not change.
#[test]
fn a_copy_added_in_a_new_folder_renames_no_load_balancer_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let web = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/layouts/regions/deploy/hk/web.yaml"),
    )
    .expect("read");
    for (side, regions) in [("base", &["hk"][..]), ("head", &["hk", "sg"][..])] {
        for region in regions {
            let folder = root.join(side).join("deploy").join(region);
            std::fs::create_dir_all(&folder).expect("mkdir");
            std::fs::write(folder.join("web.yaml"), &web).expect("write");
        }
    }
    let out = common::binary()
        .args([
            "diff",
            "--base-root",
            "../base",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .current_dir(root.join("head"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run lbplan");
    let report = json(&out);
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(
        !codes.iter().any(|c| *c == "LB505" || *c == "LB512"),
        "{codes:?}"
    );
    let added: Vec<&str> = report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["entity"] == "load_balancer" && c["action"] == "add")
        .filter_map(|c| c["key"]["lb"].as_str())
        .collect();
    assert!(
        added.contains(&"auto:default@deploy/sg/web/web"),
        "{added:?}"
    );
}

/// `lbplan diff --format markdown` with an overlay that does not render: the error's first line
/// with the verdict, and its whole message (the likely cause, the way forward) in a `<details>`
/// after the load balancers.
#[test]
fn a_render_failure_in_markdown_comes_whole_after_the_load_balancers() {
    if !can_render("a_render_failure_in_markdown_comes_whole_after_the_load_balancers") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/layouts/failing-overlay");
    let (base, head) = (dir.path().join("base"), dir.path().join("head"));
    common::copy_tree(&from.join("plain"), &base.join("plain"));
    common::copy_tree(&from, &head);
    let api = head.join("plain/api.yaml");
    let text = std::fs::read_to_string(&api).expect("read");
    std::fs::write(&api, text.replace("- port: 80", "- port: 8080")).expect("write");
    let out = common::binary()
        .args(["diff", "--base-root", "../base", "--format", "markdown"])
        .current_dir(&head)
        .env("TMPDIR", std::env::temp_dir())
        .stdin(Stdio::null())
        .output()
        .expect("run lbplan");
    assert_eq!(out.status.code(), Some(2));
    let report = String::from_utf8_lossy(&out.stdout);
    let headline = report
        .find("- error (head): `overlays/edge/kustomization.yaml`: ``Kustomize overlay overlays/edge did not render")
        .unwrap_or_else(|| panic!("{report}"));
    let lb = report
        .find("<details><summary>~ load balancer <code>8a9b0c1d")
        .unwrap_or_else(|| panic!("{report}"));
    let whole = report
        .find("<details><summary>1 error in full</summary>")
        .unwrap_or_else(|| panic!("{report}"));
    assert!(headline < lb && lb < whole, "{report}");
    let details = report.get(whole..).unwrap_or_default();
    assert!(
        details.contains("likely cause: a YAML key that is not a string"),
        "{report}"
    );
    assert!(!report.contains("lbplan-kustomize-"), "{report}");
}
