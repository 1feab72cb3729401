//! One folder walk serves the GitOps scan and the load, and rendered streams are parsed while
//! the next renders run: end to end, what a run finds and the order it reports it in stay those
//! of two walks and of renders parsed one after the other. Nothing here is timed.
#![cfg(unix)]

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;

use common::scratch::{script, write};

/// A Service of CCE that LB029 fires on (no ELB named or asked for), named `name`.
fn service(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  annotations:\n    kubernetes.io/elb.class: union\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n"
    )
}

fn lint(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = common::binary();
    command
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("LBPLAN_THREADS");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().expect("run lbplan");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

/// The files findings point at, in report order.
fn finding_files(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["file"].as_str().unwrap_or("").to_string())
        .collect()
}

/// A repository whose walk skips files for each reason a walk has (an ignore file, the
/// config's excludes, a built-in exclude, a hidden folder), reads a link to a file it skipped
/// under the link's name, and holds an Argo CD Application deploying `apps`.
fn walked_repository(dir: &Path) {
    common::scratch::git(dir, &["init", "-q", "."]);
    write(dir, ".gitignore", "ignored/\n");
    write(dir, ".lbplan.yaml", "exclude:\n- skipped/\n");
    for folder in ["apps", "ignored", "skipped", "vendor", ".hidden", "rest"] {
        write(dir, &format!("{folder}/svc.yaml"), &service(folder));
    }
    write(dir, "ignored/linked.yaml", &service("linked"));
    std::os::unix::fs::symlink("../ignored/linked.yaml", dir.join("apps/linked.yaml"))
        .expect("symlink");
    write(
        dir,
        "gitops/app.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://example.com/repo.git\n    path: apps\n  destination:\n    server: https://10.0.0.1:6443\n    namespace: web\n",
    );
}

#[test]
fn one_walk_finds_what_the_scan_and_the_load_each_found() {
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path();
    walked_repository(dir);
    let report = json(&lint(dir, &["--format", "json", "."], &[]));
    // The Application's folder goes to its cluster, the rest to `default`: the scan found the
    // object, and the load read every file the walk keeps, the link under its own name.
    let clusters: Vec<&str> = report["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(clusters, ["10.0.0.1", "default"], "{report:#}");
    assert_eq!(
        finding_files(&report),
        ["apps/linked.yaml", "apps/svc.yaml", "rest/svc.yaml"],
        "{report:#}"
    );
    assert_eq!(report["summary"]["files"], 4, "{report:#}");
    // `--no-ignore` walks the ignored and vendored folders too (not the hidden one, nor the
    // config's excludes), for the scan and the load alike; the link's file is read where it is.
    let everything = json(&lint(dir, &["--format", "json", "--no-ignore", "."], &[]));
    assert_eq!(
        finding_files(&everything),
        [
            "apps/svc.yaml",
            "ignored/linked.yaml",
            "ignored/svc.yaml",
            "rest/svc.yaml",
            "vendor/svc.yaml",
        ],
        "{everything:#}"
    );
    // An `--exclude` of the run's applies to both: the Application excluded, no cluster of its.
    let excluded = json(&lint(
        dir,
        &["--format", "json", "--exclude", "gitops/", "."],
        &[],
    ));
    assert_eq!(excluded["clusters"][0]["name"], "default", "{excluded:#}");
    assert_eq!(excluded["clusters"].as_array().map(Vec::len), Some(1));
    assert_eq!(excluded["summary"]["files"], 3, "{excluded:#}");
}

#[test]
fn gitops_objects_in_folders_the_load_does_not_read_are_still_found() {
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path();
    walked_repository(dir);
    // The config's clusters read `apps` and `rest`: the scan still walks the whole folder and
    // counts the Application for the note, and the load names what no cluster holds.
    write(
        dir,
        ".lbplan.yaml",
        "exclude:\n- skipped/\nclusters:\n- name: a\n  paths: [apps]\n- name: b\n  paths: [rest]\n",
    );
    let out = lint(dir, &["--format", "json"], &[]);
    let report = json(&out);
    assert_eq!(
        finding_files(&report),
        ["apps/svc.yaml", "rest/svc.yaml"],
        "{report:#}"
    );
    let notes = report["notes"].to_string();
    assert!(notes.contains("(1 Application)"), "{notes}");
    // The link's file is under `ignored/`, no cluster's; and the Application's own file.
    assert!(
        notes.contains("2 files under the run's folders belong to no cluster"),
        "{notes}"
    );
}

/// Overlays `a`, `b` and `c`, each a Service LB029 fires on, and a stand-in Kustomize that
/// prints the overlay's `svc.yaml` (found through lbplan's wrapper, when there is one) and
/// takes a second longer on overlay `a`, so that with two renders at a time `a` finishes last;
/// an overlay holding a file `FAIL` fails to render.
fn overlays(dir: &Path) -> std::path::PathBuf {
    for name in ["a", "b", "c"] {
        write(
            dir,
            &format!("repo/{name}/kustomization.yaml"),
            "resources:\n- svc.yaml\n",
        );
        write(dir, &format!("repo/{name}/svc.yaml"), &service(name));
    }
    script(
        &dir.join("bin/kustomize"),
        "case \"$1\" in version) echo v5.4.0-stand-in; exit 0 ;; esac\n\
         for last; do :; done\n\
         dir=\"$last\"\n\
         rel=$(sed -n 's/^- \"\\(.*\\)\"$/\\1/p' \"$dir/kustomization.yaml\")\n\
         [ -n \"$rel\" ] && dir=\"$dir/$rel\"\n\
         case \"$dir\" in */a) sleep 1 ;; esac\n\
         if [ -e \"$dir/FAIL\" ]; then echo 'overlay refused' >&2; exit 1; fi\n\
         cat \"$dir/svc.yaml\"",
    )
}

/// The report of `lint` over the overlays with `threads` renders at a time.
fn rendered(dir: &Path, program: &Path, format: &str, threads: &str) -> Output {
    lint(
        &dir.join("repo"),
        &["--format", format, "--no-cache", "."],
        &[
            ("LBPLAN_KUSTOMIZE", program.to_str().expect("path")),
            ("LBPLAN_THREADS", threads),
        ],
    )
}

#[test]
fn streams_parsed_while_renders_run_keep_the_overlays_order() {
    let temp = tempfile::tempdir().expect("temp");
    let program = overlays(temp.path());
    for format in ["json", "text"] {
        let alone = rendered(temp.path(), &program, format, "1");
        let side_by_side = rendered(temp.path(), &program, format, "2");
        assert_eq!(
            String::from_utf8_lossy(&side_by_side.stdout),
            String::from_utf8_lossy(&alone.stdout),
            "{format}"
        );
        assert_eq!(side_by_side.status.code(), alone.status.code());
    }
    let report = json(&rendered(temp.path(), &program, "json", "2"));
    let objects: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["object"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        objects,
        [
            "Service/default/a",
            "Service/default/b",
            "Service/default/c"
        ],
        "{report:#}"
    );
}

#[test]
fn an_overlay_that_fails_before_others_leaves_their_findings_as_they_were() {
    let temp = tempfile::tempdir().expect("temp");
    let program = overlays(temp.path());
    let before = json(&rendered(temp.path(), &program, "json", "2"));
    write(temp.path(), "repo/a/FAIL", "");
    for threads in ["1", "2"] {
        let out = rendered(temp.path(), &program, "json", threads);
        assert_eq!(out.status.code(), Some(2), "{threads}");
        let report = json(&out);
        // `b` and `c` get other sources than when `a` rendered: their findings are the same.
        let findings = report["findings"].as_array().expect("findings");
        let expected: Vec<&Value> = before["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .skip(1)
            .collect();
        assert_eq!(findings.iter().collect::<Vec<_>>(), expected, "{threads}");
        assert_eq!(
            report["errors"].as_array().map(Vec::len),
            Some(1),
            "{report:#}"
        );
    }
}
