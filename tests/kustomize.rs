//! The binary on Kustomize repositories (`fixtures/kustomize/`), as a user runs it: each overlay's
//! plan equals the plan of its stream rendered by hand, findings land on the lines of the files
//! the user wrote, rendering off notes each overlay, a missing renderer or an offline remote base
//! exits 2 naming the overlay, the temporary folder is left empty, and progress never reaches a
//! pipe. (`src/render/tests.rs` tests the engine beneath: exact resolutions, process handling.)
//!
//! The tests that need `kustomize` or `kubectl` on PATH are skipped where neither exists, with a
//! `SKIPPED:` line on standard error (written past the test harness's capture, so it shows in
//! `cargo test` output and CI logs), never passed silently. Those with scripts standing in for the
//! renderer run everywhere (on Unix).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `kustomize` on PATH, else `kubectl`, with the argument that renders a folder (as lbplan picks);
/// `None` after printing why `test` is skipped.
fn renderer(test: &str) -> Option<(PathBuf, &'static str)> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let find = |name: &str| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    };
    let found = find("kustomize")
        .map(|p| (p, "build"))
        .or_else(|| find("kubectl").map(|p| (p, "kustomize")));
    if found.is_none() {
        // Straight to the file descriptor: the harness captures `eprintln!`, not this.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: tests/kustomize.rs {test}: neither kustomize nor kubectl is on PATH"
        );
    }
    found
}

/// lbplan in the repository's root, with `TMPDIR` at `temp` and nothing on standard input.
fn lbplan(args: &[&str], temp: &Path) -> Output {
    common::binary()
        .args(args)
        .current_dir(root())
        .env("TMPDIR", temp)
        .env_remove("CI")
        .env_remove("LBPLAN_KUSTOMIZE")
        .stdin(Stdio::null())
        .output()
        .expect("run lbplan")
}

/// lbplan reading `stdin` on standard input.
fn lbplan_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = common::binary()
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lbplan");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("lbplan")
}

/// What the renderer prints for `dir` (relative to the repository's root), by hand.
fn by_hand((program, verb): &(PathBuf, &str), dir: &str) -> String {
    let out = Command::new(program)
        .args([verb, dir])
        .current_dir(root())
        .output()
        .expect("run the renderer");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

/// A plan without the assumptions that say how it was rendered, which a plan of standard input
/// does not have.
fn without_render_assumptions(mut plan: Value) -> Value {
    if let Some(list) = plan["assumptions"].as_array_mut() {
        list.retain(|a| {
            !a.as_str()
                .is_some_and(|a| a.starts_with("Kustomize overlay"))
        });
    }
    plan
}

/// The plan with the evidence of each cluster fact dropped: the two runs read two config files,
/// which the evidence names.
fn without_config_paths(mut plan: Value) -> Value {
    for cluster in plan["clusters"].as_array_mut().into_iter().flatten() {
        if cluster["origin"]["source"] == "config" {
            cluster["origin"]["evidence"] = Value::Null;
        }
        for fact in cluster["facts"]
            .as_object_mut()
            .into_iter()
            .flat_map(|f| f.values_mut())
        {
            if fact["source"] == "config" {
                fact["evidence"] = Value::Null;
            }
        }
    }
    plan
}

#[test]
fn each_overlay_plans_as_its_stream_rendered_by_hand() {
    let Some(renderer) = renderer("each_overlay_plans_as_its_stream_rendered_by_hand") else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp");
    for dir in [
        "fixtures/kustomize/shop/overlays/prod",
        "fixtures/kustomize/shop/overlays/staging",
        "fixtures/kustomize/findings/overlays/prod",
    ] {
        let rendered = lbplan(&["plan", "--format", "json", dir], temp.path());
        assert_eq!(
            rendered.status.code(),
            Some(0),
            "{dir}: {}",
            stderr(&rendered)
        );
        let plan = json(&rendered);
        let said = format!("Kustomize overlay {dir} rendered (");
        assert!(
            plan["assumptions"].as_array().is_some_and(|a| a
                .iter()
                .any(|a| a.as_str().is_some_and(|a| a.starts_with(&said)))),
            "{dir}: {plan}"
        );
        // `--cluster NAME -` places standard input in a cluster (issue 9); with one cluster, the
        // plain `-` is the same.
        let stream = by_hand(&renderer, dir);
        let piped = lbplan_stdin(&["plan", "--format", "json", "-"], &stream);
        assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
        assert_eq!(
            without_render_assumptions(plan),
            json(&piped),
            "{dir}: the plan differs from `kubectl kustomize {dir} | lbplan plan -`"
        );
        assert!(
            !json(&piped)["load_balancers"]
                .as_array()
                .is_none_or(Vec::is_empty)
        );
    }
    assert!(empty(temp.path()), "the wrapper folder is removed");
}

#[test]
fn one_overlay_per_cluster_plans_as_each_cluster_rendered_by_hand() {
    let Some(renderer) = renderer("one_overlay_per_cluster_plans_as_each_cluster_rendered_by_hand")
    else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp");
    let config = "fixtures/kustomize/clusters/.lbplan.yaml";
    // By hand: each overlay's stream in its cluster's folder, the same config without
    // `kustomize:`. (`kubectl kustomize DIR | lbplan plan --cluster C -` says the same once
    // `--cluster` places standard input, issue 9.)
    let hand = tempfile::tempdir().expect("hand");
    let mut hand_config = std::fs::read_to_string(root().join(config)).expect("config");
    for cluster in ["cce-a", "cce-b"] {
        hand_config = hand_config.replace(&format!("    kustomize: [clusters/{cluster}]\n"), "");
        let stream = by_hand(
            &renderer,
            &format!("fixtures/kustomize/clusters/clusters/{cluster}"),
        );
        let file = hand
            .path()
            .join(format!("clusters/{cluster}/rendered.yaml"));
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(file, stream).expect("write");
    }
    assert!(!hand_config.contains("kustomize:"));
    std::fs::write(hand.path().join(".lbplan.yaml"), hand_config).expect("config");
    for command in [
        &["plan", "--format", "json"][..],
        &["weights", "--format", "json"],
    ] {
        let rendered = lbplan(&[&["--config", config][..], command].concat(), temp.path());
        assert_eq!(rendered.status.code(), Some(0), "{}", stderr(&rendered));
        // Run where its config is: a config's paths stay in the run's root (the repository
        // holding the working folder, else the config's folder).
        let by_hand = common::binary()
            .args(command)
            .current_dir(hand.path())
            .env("TMPDIR", temp.path())
            .env_remove("CI")
            .env_remove("LBPLAN_KUSTOMIZE")
            .stdin(Stdio::null())
            .output()
            .expect("run lbplan");
        assert_eq!(by_hand.status.code(), Some(0), "{}", stderr(&by_hand));
        let plan = json(&rendered);
        assert_eq!(
            without_config_paths(without_render_assumptions(plan.clone())),
            without_config_paths(json(&by_hand)),
            "{command:?}"
        );
        // Both clusters' groups on the one shared listener, weighted 80 and 20.
        let groups = &plan["load_balancers"][0]["listeners"][0]["groups"];
        assert_eq!(groups[0]["name"], "cce-a");
        assert_eq!(groups[0]["weight"], 80);
        assert_eq!(groups[1]["name"], "cce-b");
        assert_eq!(groups[1]["weight"], 20);
    }
    assert!(empty(temp.path()));
}

#[test]
fn findings_land_on_the_lines_the_user_wrote() {
    let Some(renderer) = renderer("findings_land_on_the_lines_the_user_wrote") else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp");
    let dir = "fixtures/kustomize/findings";
    let out = lbplan(&["lint", "--format", "json", dir], temp.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json(&out);
    let findings = report["findings"].as_array().expect("findings");
    let at = |f: &Value| {
        (
            f["file"].as_str().expect("file").to_string(),
            f["line"].as_u64().expect("line"),
        )
    };
    let primary: BTreeSet<_> = findings
        .iter()
        .map(|f| {
            let (file, line) = at(f);
            (file, line, f["code"].as_str().expect("code").to_string())
        })
        .collect();
    assert_eq!(
        primary,
        common::helm::markers(&root().join(dir), root(), "# expect:")
    );
    let related: BTreeSet<_> = findings
        .iter()
        .flat_map(|f| {
            let code = f["code"].as_str().expect("code").to_string();
            f["related"].as_array().into_iter().flatten().map(move |r| {
                let (file, line) = at(r);
                (file, line, code.clone())
            })
        })
        .collect();
    assert_eq!(
        related,
        common::helm::markers(&root().join(dir), root(), "# related:")
    );
    // A selector on the overlay's common label matches the workload the label was added to: no
    // LB211, which reading the files raw reported.
    assert!(!primary.iter().any(|(_, _, code)| code == "LB211"));
    // The file no kustomization lists is not linted, and one note says so.
    let notes = report["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n.as_str().is_some_and(|n| n.starts_with(
            "1 file inside Kustomize folders that no kustomization lists is not linted (fixtures/kustomize/findings/overlays/prod/old-service.yaml)"
        ))),
        "{notes:?}"
    );
    // The same findings as the stream rendered by hand, only located elsewhere.
    let stream = by_hand(&renderer, &format!("{dir}/overlays/prod"));
    let piped = json(&lbplan_stdin(&["lint", "--format", "json", "-"], &stream));
    let said = |findings: &[Value]| -> BTreeSet<(String, String)> {
        findings
            .iter()
            .map(|f| (f["code"].to_string(), f["message"].to_string()))
            .collect()
    };
    assert_eq!(
        said(findings),
        said(piped["findings"].as_array().expect("findings"))
    );
    // Human output draws each finding from the source file.
    let human = lbplan(&["lint", dir], temp.path());
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains(" 7 │     kubernetes.io/elb.class: premium  # expect: LB011"),
        "{text}"
    );
    assert!(empty(temp.path()));
}

#[test]
fn a_remote_base_fails_cleanly_offline_and_the_rest_is_linted() {
    if renderer("a_remote_base_fails_cleanly_offline_and_the_rest_is_linted").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let started = Instant::now();
    let out = lbplan(
        &[
            "lint",
            "--format",
            "json",
            "fixtures/kustomize/remote",
            "fixtures/kustomize/findings",
        ],
        temp.path(),
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "bounded by the time limit"
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "error: Kustomize overlay fixtures/kustomize/remote/overlays/edge did not render: `"
        ),
        "{err}"
    );
    assert!(
        err.contains("github.com/example-org/shop-manifests"),
        "{err}"
    );
    let report = json(&out);
    // Everything else is still linted and reported.
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(4));
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0]["file"],
        "fixtures/kustomize/remote/overlays/edge/kustomization.yaml"
    );
    // No silent fallback: the overlay's files are not read raw.
    assert!(
        !report["findings"]
            .to_string()
            .contains("fixtures/kustomize/remote")
    );
    assert!(empty(temp.path()));
}

#[test]
fn the_output_may_not_overwrite_a_file_a_render_reads() {
    let temp = tempfile::tempdir().expect("temp");
    let shop = root().join("fixtures/kustomize/shop");
    let mut stack = vec![shop.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            let target = temp
                .path()
                .join("shop")
                .join(path.strip_prefix(&shop).expect("inside"));
            if path.is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
                stack.push(path);
            } else {
                std::fs::copy(&path, &target).expect("copy");
            }
        }
    }
    let before = std::fs::read(temp.path().join("shop/base/service.yaml")).expect("read");
    // Not read raw, and not rendered either (--no-render): still an input of the run.
    let out = common::binary()
        .args([
            "lint",
            "--no-render",
            "--output",
            "shop/base/service.yaml",
            "shop",
        ])
        .current_dir(temp.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("shop/base/service.yaml"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(temp.path().join("shop/base/service.yaml")).expect("read"),
        before
    );
}

/// The process handling through the binary, with scripts standing in for the renderer.
#[cfg(unix)]
mod fake_renderer {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    /// A folder holding an executable `kustomize` that answers `version` with `v9.9.9` and runs
    /// `body` otherwise, and a config with `extra_config` under `render:`. The program is given
    /// as the person running lbplan gives one: `LBPLAN_KUSTOMIZE` ([`fake`]).
    fn setup(body: &str, extra_config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let program = dir.path().join("bin/kustomize");
        std::fs::create_dir_all(program.parent().expect("bin")).expect("mkdir");
        std::fs::write(
            &program,
            format!("#!/bin/sh\nif [ \"$1\" = version ]; then echo v9.9.9; exit 0; fi\n{body}\n"),
        )
        .expect("write");
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let render = if extra_config.is_empty() {
            String::new()
        } else {
            format!("render:\n{extra_config}")
        };
        std::fs::write(dir.path().join("lbplan.yaml"), render).expect("config");
        std::fs::create_dir(dir.path().join("tmp")).expect("tmp");
        dir
    }

    fn config(dir: &tempfile::TempDir) -> String {
        dir.path().join("lbplan.yaml").display().to_string()
    }

    fn program(dir: &tempfile::TempDir) -> PathBuf {
        dir.path().join("bin/kustomize")
    }

    /// lbplan with the stand-in renderer of `dir` named by `LBPLAN_KUSTOMIZE`.
    fn fake(dir: &tempfile::TempDir, args: &[&str]) -> Output {
        common::binary()
            .args(args)
            .current_dir(root())
            .env("TMPDIR", dir.path().join("tmp"))
            .env("LBPLAN_KUSTOMIZE", program(dir))
            .env_remove("CI")
            .stdin(Stdio::null())
            .output()
            .expect("run lbplan")
    }

    #[test]
    fn a_render_past_its_time_limit_is_stopped_and_named() {
        let dir = setup("exec sleep 30", "  timeout: 1\n");
        let started = Instant::now();
        let out = fake(
            &dir,
            &[
                "--config",
                &config(&dir),
                "lint",
                "fixtures/kustomize/shop",
                "fixtures/demo/shop/api.yaml",
            ],
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        for overlay in ["prod", "staging"] {
            assert!(
                err.contains(&format!(
                    "error: Kustomize overlay fixtures/kustomize/shop/overlays/{overlay} did not render: `kustomize build fixtures/kustomize/shop/overlays/{overlay}` did not finish within 1 s and was stopped (render.timeout)"
                )),
                "{err}"
            );
        }
        // The other input is still linted.
        assert!(String::from_utf8_lossy(&out.stdout).contains("fixtures/demo/shop/api.yaml"));
        assert!(
            empty(&dir.path().join("tmp")),
            "the wrapper folder is removed"
        );
    }

    #[test]
    fn progress_is_drawn_on_a_terminal_only() {
        // Three renders of 0.4 s each, one at a time: past the grace period of the bar.
        let dir = setup(
            "sleep 0.4\nprintf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n'",
            "",
        );
        // Without the render cache: each run renders (a warm run would render nothing to show).
        let args = [
            "--config",
            &config(&dir),
            "lint",
            "--no-cache",
            "fixtures/kustomize/shop",
            "fixtures/kustomize/findings",
        ];
        let piped = common::binary()
            .args(args)
            .current_dir(root())
            .env("LBPLAN_THREADS", "1")
            .env("LBPLAN_KUSTOMIZE", program(&dir))
            .env("TMPDIR", dir.path().join("tmp"))
            .env_remove("CI")
            .output()
            .expect("run");
        assert!(!stderr(&piped).contains("rendering Kustomize overlays"));
        assert!(piped.status.code().is_some());
        // On a terminal (`script` gives lbplan one), the bar shows, and goes away; not in CI.
        let has_script = Command::new("script")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !has_script {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: tests/kustomize.rs progress_is_drawn_on_a_terminal_only: the terminal half needs `script` (util-linux)"
            );
            return;
        }
        let on_terminal = |ci: bool| {
            let line = std::iter::once(env!("CARGO_BIN_EXE_lbplan"))
                .chain(args)
                .map(|a| format!("'{a}'"))
                .collect::<Vec<_>>()
                .join(" ");
            let mut command = Command::new("script");
            command
                .args(["-qec", &format!("{line} >/dev/null"), "/dev/null"])
                .current_dir(root())
                .env("LBPLAN_THREADS", "1")
                .env("LBPLAN_KUSTOMIZE", program(&dir))
                .env("TMPDIR", dir.path().join("tmp"))
                .env("TERM", "xterm")
                .env_remove("CI");
            if ci {
                command.env("CI", "true");
            }
            String::from_utf8_lossy(&command.output().expect("script").stdout).into_owned()
        };
        assert!(on_terminal(false).contains("rendering Kustomize overlays"));
        assert!(!on_terminal(true).contains("rendering Kustomize overlays"));
        assert!(empty(&dir.path().join("tmp")));
    }

    #[test]
    fn without_origins_a_finding_names_the_overlay_and_the_object() {
        // A renderer older than Kustomize 4.5 refuses the wrapper's `buildMetadata`. Its plain
        // render prints an object that no file of the overlay holds (so lbplan cannot place it
        // and asks for origins, which is refused); rendered plainly, the stream says nothing of
        // the sources.
        let dir = setup(
            "if grep -q buildMetadata \"$2/kustomization.yaml\" 2>/dev/null; then echo 'Error: json: unknown field \"buildMetadata\"' >&2; exit 1; fi\nprintf 'apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: legacy\\n  namespace: shop\\n  annotations:\\n    kubernetes.io/elb.class: premium\\nspec:\\n  type: LoadBalancer\\n  ports:\\n  - port: 80\\n'",
            "",
        );
        let out = fake(
            &dir,
            &[
                "--config",
                &config(&dir),
                "lint",
                "--format",
                "json",
                "fixtures/kustomize/shop/overlays/prod",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let report = json(&out);
        let finding = &report["findings"][0];
        assert_eq!(finding["code"], "LB011");
        assert_eq!(
            finding["file"],
            "fixtures/kustomize/shop/overlays/prod/kustomization.yaml"
        );
        assert_eq!(finding["line"], 1);
        assert!(
            finding["message"].as_str().is_some_and(|m| m.ends_with(
                "(Service/shop/legacy is rendered by Kustomize overlay fixtures/kustomize/shop/overlays/prod from no file in this repository)"
            )),
            "{finding}"
        );
        assert!(!report.to_string().contains("lbplan-kustomize-"));
    }
}

/// The plan's forwarding rules name the lines the user wrote: a path in the base, and a path a
/// JSON6902 patch of the overlay added, never a line of the rendered stream.
#[test]
fn forwarding_rules_of_a_rendered_ingress_name_their_source_lines() {
    if renderer("forwarding_rules_of_a_rendered_ingress_name_their_source_lines").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let out = lbplan(
        &[
            "plan",
            "--provider",
            "huawei-cce",
            "--format",
            "json",
            "fixtures/kustomize/ingress",
        ],
        temp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = json(&out);
    let rules = &plan["load_balancers"][0]["listeners"][0]["rules"];
    let located: Vec<(&str, &str, u64)> = rules
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().expect("path"),
                r["file"].as_str().expect("file"),
                r["line"].as_u64().expect("line"),
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            (
                "/api",
                "fixtures/kustomize/ingress/overlays/prod/ingress-patch.yaml",
                7
            ),
            ("/", "fixtures/kustomize/ingress/base/ingress.yaml", 14),
        ]
    );
}

/// Overlays of one app for two clusters, rendered into the one default cluster: each overlay's
/// copies of the base's objects are a placement of their own, in the overlay's folder, planned
/// once each; one note names the folders.
#[test]
fn overlays_rendered_into_one_cluster_are_placements_in_their_overlays_folders() {
    if renderer("overlays_rendered_into_one_cluster_are_placements_in_their_overlays_folders")
        .is_none()
    {
        return;
    }
    let temp = tempfile::tempdir().expect("tempdir");
    let out = lbplan(
        &["lint", "--format", "json", "fixtures/kustomize/clusters"],
        temp.path(),
    );
    let report = json(&out);
    assert_eq!(report["duplicates"], serde_json::json!([]), "{report}");
    assert_eq!(
        report["notes"][0],
        "Service/web/nginx and 1 other object are defined in 2 folders: fixtures/kustomize/clusters/clusters/cce-a/, fixtures/kustomize/clusters/clusters/cce-b/; planned once per folder; to say which folders are one cluster, add clusters[].paths"
    );
    let plan = json(&lbplan(
        &["plan", "--format", "json", "fixtures/kustomize/clusters"],
        temp.path(),
    ));
    let mut objects: Vec<&str> = plan["load_balancers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|lb| lb["listeners"].as_array().into_iter().flatten())
        .flat_map(|l| l["objects"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    objects.dedup();
    assert_eq!(
        objects,
        [
            "default@fixtures/kustomize/clusters/clusters/cce-a:Service/web/nginx",
            "default@fixtures/kustomize/clusters/clusters/cce-b:Service/web/nginx"
        ]
    );
}
