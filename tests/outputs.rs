//! Where reports go and how they look: --output, colour, and byte-identical repeated runs.

mod common;

fn lbplan(args: &[&str]) -> std::process::Output {
    common::binary()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("run lbplan")
}

#[test]
fn output_file_gets_the_report_and_the_exit_code_follows_fail_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.json");
    let path = path.to_str().expect("utf-8 path");
    let out = lbplan(&[
        "lint",
        "--format",
        "json",
        "--output",
        path,
        "fixtures/demo",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "the report goes to the file, not stdout"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("report written"))
            .expect("json");
    assert!(report["summary"]["errors"].as_u64().unwrap_or(0) > 0);

    let out = lbplan(&[
        "lint",
        "--fail-on",
        "never",
        "--output",
        path,
        "fixtures/demo",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let human = std::fs::read_to_string(path).expect("report written");
    assert!(!human.contains('\u{1b}'), "no colour codes in a file");
}

#[test]
fn colour_follows_the_flag_and_is_off_when_piped() {
    let always = lbplan(&["--color", "always", "lint", "fixtures/demo/shop/api.yaml"]);
    assert!(String::from_utf8_lossy(&always.stdout).contains('\u{1b}'));
    let never = lbplan(&["--color", "never", "lint", "fixtures/demo/shop/api.yaml"]);
    assert!(!String::from_utf8_lossy(&never.stdout).contains('\u{1b}'));
    // auto: stdout is a pipe here, so no colour
    let auto = lbplan(&["lint", "fixtures/demo/shop/api.yaml"]);
    assert!(!String::from_utf8_lossy(&auto.stdout).contains('\u{1b}'));
}

#[test]
fn repeated_runs_are_byte_identical_whatever_the_thread_count() {
    // Every fixture, the Kustomize overlays rendered (in parallel), but for the one whose base is
    // on GitHub: offline its render fails (exit 2, `tests/kustomize.rs`) with what git said about
    // the network, which no run of lbplan controls; and for the layout whose overlay fails on
    // purpose (exit 2, `tests/layouts.rs`).
    let run = |threads: &str| {
        let out = common::binary()
            .args([
                "lint",
                "--format",
                "json",
                "--exclude",
                "fixtures/kustomize/remote/",
                "--exclude",
                "fixtures/layouts/failing-overlay/",
                "fixtures",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("LBPLAN_THREADS", threads)
            .output()
            .expect("run lbplan");
        let kustomize = ["kustomize", "kubectl"].iter().any(|name| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .any(|dir| dir.join(name).is_file())
        });
        // Findings, and with no renderer on PATH an error for each overlay.
        let expected = if kustomize { 1 } else { 2 };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let first = run("1");
    assert!(!first.is_empty());
    for threads in ["1", "2", "8"] {
        assert!(
            run(threads) == first,
            "output differs with {threads} threads"
        );
    }
}

#[test]
fn file_order_on_the_command_line_does_not_change_the_output() {
    let files = [
        "fixtures/demo/shop/web.yaml",
        "fixtures/demo/shop/api.yaml",
        "fixtures/demo/shop/admin.yaml",
        "fixtures/demo/infra/ingress.yaml",
        "fixtures/demo/infra/dns.yaml",
    ];
    let run = |order: &[&str]| {
        let mut args = vec!["lint", "--format", "json"];
        args.extend_from_slice(order);
        lbplan(&args).stdout
    };
    let forward = run(&files);
    let mut reversed = files;
    reversed.reverse();
    assert!(!forward.is_empty());
    assert!(
        run(&reversed) == forward,
        "output depends on argument order"
    );
    let mut rotated = files;
    rotated.rotate_left(2);
    assert!(run(&rotated) == forward, "output depends on argument order");
}

#[test]
fn an_unwritable_standard_error_is_not_a_crash() {
    // An I/O error to report, on standard error: /dev/full refuses every write.
    let args = ["lint", "fixtures/demo/shop/api.yaml", "no-such-file.yaml"];
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let status = common::binary()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::null())
        .stderr(full)
        .status()
        .expect("run lbplan");
    assert_eq!(status.code(), Some(2), "/dev/full as standard error");

    // A closed pipe: the reading end is gone before lbplan writes.
    let mut child = common::binary()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run lbplan");
    drop(child.stderr.take());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(2), "a closed pipe as standard error");

    // Notes of `plan` go to standard error too.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let status = common::binary()
        .args(["plan", "fixtures/repos/helm-charts"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::null())
        .stderr(full)
        .status()
        .expect("run lbplan");
    assert_eq!(status.code(), Some(0), "plan's notes to /dev/full");
}

/// A LoadBalancer Service whose ELB class is invalid: LB011 at line 7, quoting the value.
fn service(name: &str, class: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: default\n  annotations:\n    kubernetes.io/elb.class: \"{class}\"\nspec:\n  type: LoadBalancer\n  selector: {{app: {name}}}\n  ports: [{{port: 80}}]\n"
    )
}

fn lbplan_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    common::binary()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run lbplan")
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    // An annotation value and a file name that would retitle the terminal and clear the screen.
    std::fs::write(
        dir.path().join("evil\u{1b}]0;pwned\u{7}.yaml"),
        service("evil", "\\e[2J\\e]0;pwned\\a\\x9b31m"),
    )
    .expect("write");
    for args in [
        vec!["lint", "."],
        vec!["lint", "--format", "github", "."],
        vec!["plan", "."],
        vec!["lint", ".", "missing\u{1b}[2J.yaml"],
    ] {
        let out = lbplan_in(dir.path(), &args);
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
                "{args:?}: a control character on {stream}: {text:?}"
            );
        }
        let all = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(all.contains("\\u{1b}"), "{args:?}: escaped: {all}");
    }
}

#[test]
fn config_discovery_stops_at_the_repository_root_and_says_what_it_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A config above the repository would switch LB011 off.
    std::fs::write(dir.path().join(".lbplan.yaml"), "rules: {LB011: off}\n").expect("write");
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
    std::fs::write(repo.join("svc.yaml"), service("web", "classic")).expect("write");
    let out = lbplan_in(&repo, &["--verbose", "lint", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1), "LB011 still checked");
    assert!(String::from_utf8_lossy(&out.stderr).contains("config: none"));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["config"], serde_json::Value::Null);

    std::fs::write(repo.join(".lbplan.yaml"), "rules: {LB011: warning}\n").expect("write");
    let out = lbplan_in(&repo, &["-v", "lint", "--format", "sarif", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("config: .lbplan.yaml"));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["properties"]["config"],
        ".lbplan.yaml"
    );
}

#[test]
fn reports_never_overwrite_or_become_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = service("web", "classic");
    std::fs::write(dir.path().join("svc.yaml"), &manifest).expect("write");
    // --output naming an input (here through another spelling of its path) is refused.
    for args in [
        vec!["lint", "--output", "svc.yaml", "."],
        vec!["plan", "--output", "./sub/../svc.yaml", "svc.yaml"],
    ] {
        std::fs::create_dir_all(dir.path().join("sub")).expect("mkdir");
        let out = lbplan_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("one of the inputs"));
        let kept = std::fs::read_to_string(dir.path().join("svc.yaml")).expect("read");
        assert_eq!(kept, manifest, "{args:?} overwrote the manifest");
    }
    // A report written into the linted folder, whatever its name, is not linted next time.
    for (format, name) in [("json", "lbplan.json"), ("sarif", "results.yaml")] {
        let out = lbplan_in(
            dir.path(),
            &["lint", "--format", format, "--output", name, "."],
        );
        assert_eq!(out.status.code(), Some(1));
    }
    let out = lbplan_in(dir.path(), &["lint", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["summary"]["files"], 1, "{report}");
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(1));
    let notes = report["notes"].to_string();
    assert!(notes.contains("lbplan.json: an lbplan report"), "{notes}");
    assert!(notes.contains("results.yaml: an lbplan report"), "{notes}");
}
