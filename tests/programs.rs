//! The programs lbplan runs, through the binary (issue 19): only the person running lbplan
//! chooses them (never `.`, an empty or a relative `PATH` entry), none sees the job's secrets,
//! each runs in its own process group, which a time-out, the end of the run or a signal kills
//! whole; a renderer that exits while a process it started holds its output is named as such;
//! SIGINT, SIGTERM and SIGHUP leave no temporary folder (the budget: `budget.rs`). Stand-in
//! renderers are given through `LBPLAN_KUSTOMIZE` or a `PATH` entry of the test's own, never
//! through a config.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::scratch::{
    ELB, empty, git, gone, lbplan, listing, repository, script, service, stderr, write,
};

/// What no program lbplan runs may see.
const SECRETS: [(&str, &str); 4] = [
    ("GITHUB_TOKEN", "ghs_secret-of-the-job"),
    ("AWS_SECRET_ACCESS_KEY", "aws-secret-of-the-job"),
    ("HTTPS_PROXY", "http://user:proxy-password@proxy:3128"),
    ("ACTIONS_RUNTIME_TOKEN", "runtime-secret-of-the-job"),
];

const CONFIGMAP: &str = "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n'";

/// A repository with one overlay, and a folder for logs.
fn overlay_repo(scratch: &Path) -> PathBuf {
    let repo = scratch.join("repo");
    repository(
        &repo,
        &[
            (
                "overlays/prod/kustomization.yaml",
                "resources: [svc.yaml]\n",
            ),
            ("overlays/prod/svc.yaml", &service("web", ELB, 80)),
        ],
    );
    std::fs::create_dir_all(scratch.join("log")).expect("mkdir");
    std::fs::create_dir_all(scratch.join("tmp")).expect("mkdir");
    repo
}

/// A stand-in renderer at `scratch/bin/kustomize`: `v9.9.9` for its version, `body` to build.
fn renderer(scratch: &Path, body: &str) -> String {
    script(
        &scratch.join("bin/kustomize"),
        &format!("if [ \"$1\" = version ]; then echo v9.9.9; exit 0; fi\n{body}"),
    )
    .display()
    .to_string()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Wait (at most 20 s) until `path` exists and has a line.
fn wait_for(path: &Path) -> String {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        let text = read(path);
        if text.ends_with('\n') {
            return text.trim().to_string();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never appeared", path.display());
}

#[test]
fn a_program_in_the_working_folder_never_runs_whatever_path_says() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = overlay_repo(scratch.path());
    let marker = scratch.path().join("ran");
    // The pull request commits its own kubectl and kustomize, here and in a relative folder.
    for name in [
        "kubectl",
        "kustomize",
        "rel/kubectl",
        "rel/kustomize",
        "git",
    ] {
        script(&repo.join(name), &format!("touch {}", marker.display()));
    }
    let temp = scratch.path().join("tmp");
    for path in [".", "", "rel", ".:rel::"] {
        let out = lbplan(&repo, &temp, &["lint", "."], &[("PATH", path)]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("neither `kustomize` nor `kubectl` is on PATH"),
            "{}",
            stderr(&out)
        );
        let diff = lbplan(
            &repo,
            &temp,
            &["diff", "--base-rev", "HEAD"],
            &[("PATH", path)],
        );
        assert!(
            stderr(&diff).contains("needs the git program"),
            "{}",
            stderr(&diff)
        );
        assert!(
            !marker.exists(),
            "PATH {path:?} ran a program of the working folder"
        );
    }
    assert!(empty(&temp));
}

#[test]
fn the_renderer_sees_the_allow_list_and_no_secret() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = overlay_repo(scratch.path());
    let log = scratch.path().join("log");
    let program = renderer(
        scratch.path(),
        &format!("env > {}/env.$$\n{CONFIGMAP}", log.display()),
    );
    let temp = scratch.path().join("tmp");
    let mut env: Vec<(&str, &str)> = SECRETS.to_vec();
    let path = format!(".::rel:{}", std::env::var("PATH").unwrap_or_default());
    env.extend([
        ("LBPLAN_KUSTOMIZE", program.as_str()),
        ("PATH", path.as_str()),
        ("LANG", "C.UTF-8"),
        ("KUSTOMIZE_PLUGIN_HOME", "/nonexistent/plugins"),
        ("HOME", "/root/of/the/user"),
        ("GOGC", "1"),
    ]);
    let out = lbplan(&repo, &temp, &["lint", "."], &env);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dumps = listing(&log);
    assert!(!dumps.is_empty());
    let real_temp = std::fs::canonicalize(&temp).expect("real");
    for dump in dumps {
        let text = read(&log.join(dump));
        for (name, value) in SECRETS {
            assert!(!text.contains(value), "{name} reached the renderer");
        }
        let var = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("{name} not set: {text}"))
                .to_string()
        };
        for name in [
            "HOME",
            "TMPDIR",
            "HELM_CACHE_HOME",
            "HELM_CONFIG_HOME",
            "HELM_DATA_HOME",
        ] {
            let value = var(name);
            assert!(
                Path::new(&value).starts_with(&real_temp) && value.contains("/lbplan-exec-"),
                "{name}={value}"
            );
        }
        assert!(var("PATH").split(':').all(|e| e.starts_with('/')), "{text}");
        assert_eq!(var("LANG"), "C.UTF-8");
        assert_eq!(var("KUSTOMIZE_PLUGIN_HOME"), "/nonexistent/plugins");
        // The Go runtime's collector, lbplan's fixed values (the user's are not passed).
        assert_eq!(var("GOGC"), "400");
        assert_eq!(var("GOMEMLIMIT"), "1GiB");
        // The shell's own (PWD, SHLVL, _) and lbplan's allow-list, nothing else.
        for line in text.lines() {
            let name = line.split('=').next().unwrap_or("");
            assert!(
                [
                    "PATH",
                    "HOME",
                    "TMPDIR",
                    "LANG",
                    "KUSTOMIZE_PLUGIN_HOME",
                    "GIT_TERMINAL_PROMPT",
                    "GOGC",
                    "GOMEMLIMIT",
                    "HELM_CACHE_HOME",
                    "HELM_CONFIG_HOME",
                    "HELM_DATA_HOME",
                    "PWD",
                    "OLDPWD",
                    "SHLVL",
                    "_",
                ]
                .contains(&name),
                "unexpected variable {name}"
            );
        }
    }
    assert!(empty(&temp), "{:?}", listing(&temp));
}

/// lbplan turns transparent huge pages off for itself before its first allocation
/// (`src/main.rs`: mimalloc's arena would otherwise take 2 MiB pages, slowing the one-file
/// case); the flag is inherited, so the stand-in renderer's own status shows it, and only lbplan
/// can have set it.
#[cfg(target_os = "linux")]
#[test]
fn lbplan_runs_without_transparent_huge_pages_and_its_renderer_inherits_that() {
    let own = read(Path::new("/proc/self/status"));
    if !own.contains("THP_enabled:") {
        eprintln!("SKIPPED: this kernel's status files do not show THP_enabled");
        return;
    }
    assert!(own.contains("THP_enabled:\t1"), "the test itself: {own}");
    let scratch = tempfile::tempdir().expect("temp");
    let repo = overlay_repo(scratch.path());
    let log = scratch.path().join("log/status");
    let program = renderer(
        scratch.path(),
        &format!("cat /proc/self/status > {}\n{CONFIGMAP}", log.display()),
    );
    let temp = scratch.path().join("tmp");
    let out = lbplan(
        &repo,
        &temp,
        &["lint", "--no-cache", "."],
        &[("LBPLAN_KUSTOMIZE", program.as_str())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let status = read(&log);
    assert!(status.contains("THP_enabled:\t0"), "{status}");
}

#[test]
fn git_runs_fixed_commands_and_sees_no_secret() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    repository(&repo, &[("shop/web.yaml", &service("web", ELB, 80))]);
    let real_git = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .expect("sh")
            .stdout,
    )
    .expect("utf-8");
    let log = scratch.path().join("log");
    std::fs::create_dir_all(&log).expect("mkdir");
    script(
        &scratch.path().join("bin/git"),
        &format!(
            "env > {log}/env.$$\nprintf '%s\\n' \"$@\" > {log}/args.$$\nexec {} \"$@\"",
            real_git.trim(),
            log = log.display()
        ),
    );
    let path = format!(
        "{}:{}",
        scratch.path().join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut env: Vec<(&str, &str)> = SECRETS.to_vec();
    env.push(("PATH", &path));
    let temp = scratch.path().join("tmp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let out = lbplan(&repo, &temp, &["diff", "--base-rev", "HEAD"], &env);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut commands = Vec::new();
    for file in listing(&log) {
        let text = read(&log.join(&file));
        let name = file.to_string_lossy().to_string();
        if name.starts_with("args.") {
            commands.push(text.lines().next().unwrap_or("").to_string());
        } else {
            for (secret, value) in SECRETS {
                assert!(!text.contains(value), "{secret} reached git");
            }
            assert!(text.contains("GIT_CONFIG_VALUE_0=never"), "{text}");
            assert!(text.contains("GIT_NO_LAZY_FETCH=1"), "{text}");
        }
    }
    commands.sort();
    commands.dedup();
    assert_eq!(commands, ["cat-file", "ls-tree", "merge-base", "rev-parse"]);
    assert!(empty(&temp));
}

#[test]
fn a_time_out_kills_the_whole_group() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = overlay_repo(scratch.path());
    let log = scratch.path().join("log");
    write(&repo, ".lbplan.yaml", "render:\n  timeout: 1\n");
    let program = renderer(
        scratch.path(),
        &format!(
            "sleep 60 &\necho $! > {log}/child\necho $$ > {log}/leader\nexec sleep 60",
            log = log.display()
        ),
    );
    let started = Instant::now();
    let temp = scratch.path().join("tmp");
    let out = lbplan(
        &repo,
        &temp,
        &["lint", "."],
        &[("LBPLAN_KUSTOMIZE", &program)],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did not finish within 1 s"),
        "{}",
        stderr(&out)
    );
    for who in ["child", "leader"] {
        let pid = wait_for(&log.join(who));
        assert!(gone(&pid), "the renderer's {who} {pid} is still running");
    }
    assert!(empty(&temp));
}

#[test]
fn a_renderer_that_exits_while_its_child_holds_the_output_is_named_so() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = overlay_repo(scratch.path());
    let log = scratch.path().join("log");
    write(&repo, ".lbplan.yaml", "render:\n  timeout: 1\n");
    let program = renderer(
        scratch.path(),
        &format!("sleep 60 &\necho $! > {}/child\nexit 0", log.display()),
    );
    let temp = scratch.path().join("tmp");
    let out = lbplan(
        &repo,
        &temp,
        &["lint", "."],
        &[("LBPLAN_KUSTOMIZE", &program)],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("exited (exit status: 0), but a process it started kept its output open"),
        "{err}"
    );
    assert!(!err.contains("did not finish"), "{err}");
    assert!(gone(&wait_for(&log.join("child"))));
    // A renderer that leaves a process behind without its output: the render is fine, and the
    // process goes with its group when the render ends.
    let program = renderer(
        scratch.path(),
        &format!(
            "sleep 60 >/dev/null 2>&1 &\necho $! > {}/daemon\n{CONFIGMAP}",
            log.display()
        ),
    );
    let out = lbplan(
        &repo,
        &temp,
        &["lint", "."],
        &[("LBPLAN_KUSTOMIZE", &program)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(gone(&wait_for(&log.join("daemon"))));
    assert!(empty(&temp));
}

#[test]
fn signals_kill_the_renderer_and_git_and_leave_no_temporary_folder() {
    use std::os::unix::process::ExitStatusExt;
    let scratch = tempfile::tempdir().expect("temp");
    let repo = overlay_repo(scratch.path());
    let log = scratch.path().join("log");
    let program = renderer(
        scratch.path(),
        &format!("echo $$ >> {}/pid\nexec sleep 60", log.display()),
    );
    let temp = scratch.path().join("tmp");
    for (signal, number) in [("INT", 2), ("TERM", 15), ("HUP", 1)] {
        for args in [&["lint", "."][..], &["diff", "--base-rev", "HEAD"]] {
            let _ = std::fs::remove_file(log.join("pid"));
            let mut child = common::binary()
                .args(args)
                .current_dir(&repo)
                .env("TMPDIR", &temp)
                .env("LBPLAN_KUSTOMIZE", &program)
                .env("LBPLAN_THREADS", "1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start");
            let pid = wait_for(&log.join("pid"));
            assert!(
                !empty(&temp),
                "the temporary folders exist while it renders"
            );
            let sent = Command::new("kill")
                .args([&format!("-{signal}"), &child.id().to_string()])
                .status()
                .expect("kill");
            assert!(sent.success());
            let status = child.wait().expect("wait");
            assert_eq!(
                status.signal(),
                Some(number),
                "{signal} {args:?}: {status:?}"
            );
            assert!(
                gone(&pid),
                "{signal} {args:?}: the renderer {pid} still runs"
            );
            assert!(empty(&temp), "{signal} {args:?}: left {:?}", listing(&temp));
        }
    }
    git(&repo, &["status", "--short"]);
}
