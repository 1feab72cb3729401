//! What the Helm tests share: whether helm is there (a test that needs it and does not find it
//! prints a `SKIPPED:` line, or fails where `LBPLAN_REQUIRE_HELM` says helm must be there, as
//! `.ci/run` does), lbplan run on a fixture, and the `# expect:` markers of a fixture.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

/// This repository's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `helm` on PATH's absolute entries (as lbplan finds it); `None` after printing why `test` is
/// skipped. With `LBPLAN_REQUIRE_HELM` set (CI), a missing helm fails the test instead.
pub fn helm(test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .filter(|d| d.is_absolute())
        .map(|d| d.join("helm"))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("LBPLAN_REQUIRE_HELM").is_none(),
            "{test}: helm is not on PATH, and LBPLAN_REQUIRE_HELM says it must be (scripts/install-helm installs it)"
        );
        // Straight to the file descriptor: the harness captures `eprintln!`, not this.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {test}: helm is not on PATH (scripts/install-helm installs it)"
        );
    }
    found
}

/// lbplan in `dir` with `args`, `TMPDIR` at `temp`, `env` added, nothing on standard input.
pub fn lbplan(dir: &Path, temp: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = super::binary();
    command
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", temp)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("LBPLAN_HELM")
        .env_remove("LBPLAN_KUSTOMIZE")
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run lbplan")
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// (file, line, code) places.
pub type Marks = BTreeSet<(String, u64, String)>;

/// (file, line, code) of every `MARKER CODE` comment (`# expect:`, `# related:`) in the files under
/// `dir`, files named from `from`.
pub fn markers(dir: &Path, from: &Path, marker: &str) -> Marks {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let name = path
                .strip_prefix(from)
                .expect("inside")
                .display()
                .to_string();
            for (i, line) in text.lines().enumerate() {
                if let Some(code) = line.split(marker).nth(1) {
                    out.insert((name.clone(), i as u64 + 1, code.trim().to_string()));
                }
            }
        }
    }
    out
}

/// (file, line, code) of a JSON report's findings, and of their related places.
pub fn placed(report: &serde_json::Value) -> (Marks, Marks) {
    let at = |f: &serde_json::Value, code: &str| {
        (
            f["file"].as_str().expect("file").to_string(),
            f["line"].as_u64().expect("line"),
            code.to_string(),
        )
    };
    let mut primary = BTreeSet::new();
    let mut related = BTreeSet::new();
    for f in report["findings"].as_array().expect("findings") {
        let code = f["code"].as_str().expect("code");
        primary.insert(at(f, code));
        for r in f["related"].as_array().into_iter().flatten() {
            related.insert(at(r, code));
        }
    }
    (primary, related)
}
