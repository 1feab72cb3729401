//! Scratch repositories and stand-in programs for the tests of hostile input
//! (`tests/untrusted.rs`, `tests/programs.rs`, `tests/diff_config.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// git, isolated from the user's and the system's config.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_with_input(dir, args, None)
}

/// git with `input` on standard input (`mktree`, `hash-object --stdin`).
pub fn git_with_input(dir: &Path, args: &[&str], input: Option<&[u8]>) -> String {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run git");
    if let Some(input) = input {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write");
    }
    let out = child.wait_with_output().expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A new repository at `dir` with `files` committed on `main`.
pub fn repository(dir: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "-q", "."]);
    for (path, text) in files {
        write(dir, path, text);
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
}

pub fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// An executable shell script at `path`.
#[cfg(unix)]
pub fn script(path: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path.to_path_buf()
}

/// lbplan in `dir`, with `TMPDIR` set to `temp` and `env` added; no colour.
pub fn lbplan(dir: &Path, temp: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = super::binary();
    command
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", temp)
        .env("NO_COLOR", "1")
        .env_remove("LBPLAN_KUSTOMIZE")
        .env_remove("CI")
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run lbplan")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether a folder is empty (or gone).
pub fn empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

/// Every entry under `dir`, sorted, as paths relative to it.
pub fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).into_iter().flatten().flatten() {
            let path = entry.path();
            out.push(path.strip_prefix(dir).expect("inside").to_path_buf());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Whether process `pid` is gone (no process, not even a zombie, under that ID).
#[cfg(target_os = "linux")]
pub fn gone(pid: &str) -> bool {
    let status = Path::new("/proc").join(pid.trim()).join("status");
    match std::fs::read_to_string(status) {
        Err(_) => true,
        // A zombie whose parent is not lbplan (init reaps it soon).
        Ok(text) => text
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z')),
    }
}

/// A Service of `ELB` on `port`, in namespace shop.
pub fn service(name: &str, elb: &str, port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: shop\n  annotations:\n    kubernetes.io/elb.id: {elb}\n    kubernetes.io/elb.class: union\nspec:\n  type: LoadBalancer\n  selector: {{app: {name}}}\n  ports: [{{port: {port}}}]\n"
    )
}

pub const ELB: &str = "5083f225-9bf8-48fa-9c8b-67bd9693c4c0";
pub const OTHER: &str = "7d1c0a4e-2b1f-4d55-9a0e-0f3c4b5a6d7e";
