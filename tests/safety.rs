//! lbplan reads manifests and writes one report: it never writes anywhere but `--output` (or
//! standard output), never executes anything and has no network code.

use std::path::{Path, PathBuf};
use std::process::Command;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_source_has_no_network_process_or_stray_write_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let forbidden = [
        "std::net",
        "TcpStream",
        "UdpSocket",
        "TcpListener",
        "process::Command",
        "Command::new",
        "std::process::Stdio",
    ];
    let writes = [
        "fs::write",
        "File::create",
        "OpenOptions",
        "create_dir",
        "fs::remove",
        "fs::rename",
        "fs::copy",
        "set_permissions",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let name = file
            .strip_prefix(root)
            .expect("inside")
            .display()
            .to_string();
        // Unit tests may create temp files; the product code may not.
        let product = text.split("#[cfg(test)]").next().unwrap_or("");
        for word in forbidden {
            assert!(!product.contains(word), "{name} uses {word}");
        }
        if name != "src/cli/run.rs" {
            for word in writes {
                assert!(
                    !product.contains(word),
                    "{name} writes files ({word}); only --output may"
                );
            }
        }
    }
}

#[test]
fn no_networking_dependency() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .expect("[dependencies]");
    let allowed = [
        "clap",
        "clap_complete",
        "comfy-table",
        "glob",
        "miette",
        "owo-colors",
        "serde",
        "serde_json",
        "serde_yaml",
        "strum",
        "thiserror",
    ];
    for line in deps.lines().filter(|l| l.contains('=')) {
        let name = line.split('=').next().unwrap_or("").trim();
        assert!(
            allowed.contains(&name),
            "unexpected dependency {name}: review it for network and process use"
        );
    }
}

fn snapshot(dir: &Path, out: &mut Vec<(PathBuf, u64)>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let entry = entry.expect("entry");
        let path = entry.path();
        if path.is_dir() {
            snapshot(&path, out);
        } else {
            out.push((path, entry.metadata().map(|m| m.len()).unwrap_or(0)));
        }
    }
    out.sort();
}

#[test]
fn a_run_writes_nothing_but_its_output() {
    let work = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in [
        "demo/shop/web.yaml",
        "demo/shop/api.yaml",
        "cross-cluster/cluster-a/nginx.yaml",
    ] {
        let target = work.path().join("m").join(f.replace('/', "_"));
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(repo.join("fixtures").join(f), target).expect("copy");
    }
    let home = tempfile::tempdir().expect("home");
    let mut before = Vec::new();
    snapshot(work.path(), &mut before);
    for args in [
        vec!["lint", "m"],
        vec!["lint", "--format", "sarif", "m"],
        vec!["plan", "--format", "yaml", "m"],
        vec!["weights", "m"],
        vec!["rules"],
    ] {
        let status = Command::new(env!("CARGO_BIN_EXE_lbplan"))
            .args(&args)
            .current_dir(work.path())
            .env("HOME", home.path())
            .env("TMPDIR", home.path())
            .output()
            .expect("run")
            .status;
        assert!(status.code().is_some());
        let mut after = Vec::new();
        snapshot(work.path(), &mut after);
        assert_eq!(before, after, "{args:?} changed the working tree");
    }
    let status = Command::new(env!("CARGO_BIN_EXE_lbplan"))
        .args(["lint", "--output", "out.json", "--format", "json", "m"])
        .current_dir(work.path())
        .output()
        .expect("run")
        .status;
    assert!(status.code().is_some());
    let mut after = Vec::new();
    snapshot(work.path(), &mut after);
    let added: Vec<_> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|f| f.0.clone())
        .collect();
    assert_eq!(added, vec![work.path().join("out.json")]);
    assert!(
        std::fs::read_dir(home.path())
            .expect("home")
            .next()
            .is_none(),
        "nothing written to HOME or TMPDIR"
    );
}
