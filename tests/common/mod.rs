//! Helpers shared by the integration tests and the benchmark.
//!
//! Each test crate and benchmark includes this module and uses some of it.
#![allow(dead_code, reason = "each test crate uses only some of the helpers")]

pub mod helm;
pub mod scratch;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The render cache folder of the tests' lbplan runs: never the user's `~/.cache`, and outside
/// every repository the tests lint (a folder inside one is not used). Shared by the test
/// processes, so that runs meet both cold and warm entries, as they would in use.
pub fn cache_dir() -> PathBuf {
    std::env::temp_dir().join("lbplan-tests-render-cache")
}

/// The lbplan binary, its render cache in [`cache_dir`].
pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lbplan"));
    command.env("LBPLAN_CACHE_DIR", cache_dir());
    command
}

/// Every `*.yaml`, `*.yml` and `*.json` below `dir`, hidden folders included, in sorted order;
/// unreadable folders are skipped.
pub fn manifest_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

/// Copy the folder `from` to `to`, files and subfolders.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Compare a case's `rendered` output with its `expected.txt`, or write it when `LBPLAN_BLESS`
/// is set; `test` names the test target that blesses it. A difference names the first line.
pub fn check_snapshot(
    case: &Path,
    rendered: Result<String, String>,
    test: &str,
    failures: &mut Vec<String>,
) {
    let rendered = match rendered {
        Ok(text) => text,
        Err(e) => {
            failures.push(e);
            return;
        }
    };
    let path = case.join("expected.txt");
    if blessing() {
        if let Err(e) = std::fs::write(&path, &rendered) {
            failures.push(format!("{}: {e}", path.display()));
        }
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != rendered {
        let first = first_difference(&expected, &rendered);
        failures.push(format!(
            "{}: human output differs from expected.txt at line {} (LBPLAN_BLESS=1 cargo test --test {test} writes it; review the diff)\n  expected: {:?}\n  rendered: {:?}",
            case.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            rendered.lines().nth(first).unwrap_or("<end>"),
        ));
    }
}

/// The index of the first line where two texts differ (the shorter one's length when one is the
/// other's beginning).
pub fn first_difference(a: &str, b: &str) -> usize {
    a.lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()))
}

/// Whether `LBPLAN_BLESS` asks the tests to write what they generate instead of comparing it.
pub fn blessing() -> bool {
    std::env::var_os("LBPLAN_BLESS").is_some_and(|v| !v.is_empty())
}

/// The benchmark corpus: `LBPLAN_BENCH_CORPUS`, else `../shared/corpus/generic`; `None`, said on
/// standard error, when it is no folder.
pub fn bench_corpus() -> Option<PathBuf> {
    let corpus = std::env::var_os("LBPLAN_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/generic"));
    if !corpus.is_dir() {
        eprintln!(
            "corpus not found at {}; set LBPLAN_BENCH_CORPUS to a folder of manifests",
            corpus.display()
        );
        return None;
    }
    Some(corpus)
}

/// The lbplan binary a benchmark measures: `LBPLAN_BENCH_BINARY` when set, else the binary users
/// install, built here by `cargo build --release --bin lbplan` into `target/bench-shipped` (or
/// `$CARGO_TARGET_DIR/bench-shipped`). Not `CARGO_BIN_EXE_lbplan`: `cargo bench` links that one
/// with the features its dev-dependencies turn on (jsonschema's Unicode regex tables, among
/// others: 9.5 MB against 8.7 MB), which one small file's lint paid for in page faults at start
/// (about 270 against 220) and time. Its own target folder, so that the two builds never replace
/// each other's binary and the build does not wait for the lock `cargo bench` holds. The first
/// run builds it whole (a few minutes); later runs only what changed. Built once per process, and
/// measured as installed (a copy).
pub fn bench_binary() -> &'static Path {
    static BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BINARY.get_or_init(build_bench_binary)
}

fn build_bench_binary() -> PathBuf {
    if let Some(binary) = std::env::var_os("LBPLAN_BENCH_BINARY") {
        return PathBuf::from(binary);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| manifest.join("target"), PathBuf::from)
        .join("bench-shipped");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!(
        "building the lbplan users install (cargo build --release) into {}",
        target.display()
    );
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "--bin",
            "lbplan",
            "--target-dir",
        ])
        .arg(&target)
        .current_dir(manifest)
        .status()
        .expect("cargo");
    assert!(status.success(), "cargo build --release failed");
    // Installed as `cargo install`, the wheel and the action install it: a copy of the linked
    // file. The copy, not the linker's output, is measured: the same bytes written by the linker
    // sit in the page cache in smaller pieces, and mapping them at start cost about 45 more page
    // faults and 0.3 ms for one small file's lint.
    let installed = target.join("installed");
    std::fs::create_dir_all(&installed).expect("mkdir");
    let binary = installed.join("lbplan");
    let _ = std::fs::remove_file(&binary);
    std::fs::copy(target.join("release").join("lbplan"), &binary).expect("copy lbplan");
    binary
}

/// How many runs a benchmark takes the best of: `LBPLAN_BENCH_RUNS`, else 7.
pub fn bench_runs() -> usize {
    std::env::var("LBPLAN_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7)
        .max(1)
}

/// A rule's fixtures: `fixtures/rules/<family>/<CODE>-<name>/`, the family being the folder its
/// source and page live in too.
pub fn rule_fixture(meta: &lbplan::RuleMeta) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(lbplan::rule_family(meta))
        .join(format!("{}-{}", meta.code, meta.name))
}

/// The `fire` case of every lint rule (transition rules' cases are pairs of projects).
pub fn lint_fire_cases() -> Vec<PathBuf> {
    lbplan::rule_metas()
        .filter(|m| !m.transition)
        .map(|m| rule_fixture(m).join("fire"))
        .collect()
}

/// Every folder under `fixtures/rules/` is a family, and every folder in it is named `CODE-name`
/// after one of that family's rules.
pub fn assert_rule_fixture_folders_belong() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let known: std::collections::BTreeSet<PathBuf> = lbplan::rule_metas()
        .map(|m| {
            rule_fixture(m)
                .strip_prefix(&root)
                .expect("under root")
                .to_path_buf()
        })
        .collect();
    for family in std::fs::read_dir(&root).expect("fixtures/rules") {
        let family = family.expect("entry").path();
        for entry in std::fs::read_dir(&family).expect("family folder") {
            let path = entry.expect("entry").path();
            let relative = path.strip_prefix(&root).expect("under root");
            assert!(
                known.contains(relative),
                "fixtures/rules/{} matches no rule of its family",
                relative.display()
            );
        }
    }
}

/// The JSON a run printed; a panic shows both outputs when it is not JSON.
pub fn json_output(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The fixture `fixtures/<under>/<name>` copied into a fresh temporary folder (outside any git
/// work tree, so that the copy is its own repository root).
pub fn fixture_copy(under: &str, name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(under)
        .join(name);
    copy_tree(&from, dir.path());
    dir
}
