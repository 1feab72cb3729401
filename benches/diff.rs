//! `cargo bench --bench diff`: `lbplan diff` of the benchmark corpus against a changed copy of
//! itself, against one `lbplan lint` of the changed copy, measured side by side in one run.
//!
//! The changed copy is the corpus with a change a pull request makes: in every other file that
//! holds a LoadBalancer Service, `port: 80` becomes `port: 8080` and `port: 443` becomes
//! `port: 8443` (listeners removed and added); in every tenth that holds a Deployment,
//! `replicas: 1` becomes `replicas: 2`. Both commands read the same inputs the same
//! way (`--no-ignore`, JSON output, `--fail-on never`), process start to exit; each figure is the
//! best of `LBPLAN_BENCH_RUNS` runs (default 7), the runs interleaved. Reported: the diff over
//! the lint (the bound is 2.5x), both times, and the changes the diff found. Ratios only;
//! nothing is asserted.
//!
//! The corpus defaults to `../shared/corpus/generic`; set `LBPLAN_BENCH_CORPUS` to use another.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../tests/common/mod.rs"]
mod common;

/// Copy the corpus into `into`, changed as the module says; returns the files changed.
fn changed_copy(corpus: &Path, files: &[PathBuf], into: &Path) -> usize {
    let (mut services, mut workloads, mut changed) = (0, 0, 0);
    for f in files {
        let rel = f.strip_prefix(corpus).expect("inside corpus");
        let target = into.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        let Ok(text) = std::fs::read_to_string(f) else {
            std::fs::copy(f, &target).expect("copy");
            continue;
        };
        let mut out = text.clone();
        if text.contains("type: LoadBalancer") {
            services += 1;
            if services % 2 == 0 {
                out = out
                    .replace("port: 80\n", "port: 8080\n")
                    .replace("port: 443\n", "port: 8443\n");
            }
        }
        if text.contains("kind: Deployment") {
            workloads += 1;
            if workloads % 10 == 0 {
                out = out.replace("replicas: 1\n", "replicas: 2\n");
            }
        }
        if out != text {
            changed += 1;
        }
        std::fs::write(&target, out).expect("write");
    }
    changed
}

/// Run lbplan in `dir`; its wall time and standard output.
fn run(dir: &Path, args: &[&str]) -> (Duration, Vec<u8>) {
    let start = Instant::now();
    let out = Command::new(common::bench_binary())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run lbplan");
    let elapsed = start.elapsed();
    assert!(
        matches!(out.status.code(), Some(0..=3)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (elapsed, out.stdout)
}

fn best(xs: &[Duration]) -> Duration {
    xs.iter().copied().min().unwrap_or_default()
}

fn main() {
    let Some(corpus) = common::bench_corpus() else {
        return;
    };
    let runs = common::bench_runs();
    let corpus = std::fs::canonicalize(&corpus).expect("corpus");
    let files = common::manifest_files(&corpus);
    let tmp = tempfile::tempdir().expect("tempdir");
    let head = tmp.path().join("head");
    let changed = changed_copy(&corpus, &files, &head);
    let base = corpus.to_string_lossy().into_owned();
    let lint = [
        "lint",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--no-ignore",
        ".",
    ];
    let diff = [
        "diff",
        "--base-root",
        base.as_str(),
        "--format",
        "json",
        "--fail-on",
        "never",
        "--no-ignore",
        ".",
    ];
    // Warm the page cache and the binary.
    let _ = run(&head, &lint);
    let (_, report) = run(&head, &diff);
    let (mut lints, mut diffs) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        lints.push(run(&head, &lint).0);
        diffs.push(run(&head, &diff).0);
    }
    let (lint_best, diff_best) = (best(&lints), best(&diffs));
    let report: serde_json::Value = serde_json::from_slice(&report).expect("diff JSON");
    let summary = &report["summary"];
    println!(
        "corpus: {} ({} files; {changed} changed in the copy)",
        corpus.display(),
        files.len()
    );
    println!(
        "diff found: {} load balancers affected, {} changes ({} add, {} remove, {} change, {} replace), {} transition and new lint findings",
        summary["load_balancers"],
        report["changes"].as_array().map_or(0, Vec::len),
        summary["add"],
        summary["remove"],
        summary["change"],
        summary["replace"],
        report["findings"]
            .as_array()
            .map_or(0, |f| f.iter().filter(|f| f["diff"] != "fixed").count()),
    );
    println!("best of {runs}, process start to exit:");
    println!("  lbplan lint (the changed copy)          {lint_best:>8.0?}");
    println!("  lbplan diff (corpus -> changed copy)    {diff_best:>8.0?}");
    #[allow(
        clippy::cast_precision_loss,
        reason = "a printed ratio of two durations"
    )]
    let ratio = diff_best.as_nanos() as f64 / lint_best.as_nanos().max(1) as f64;
    println!("  diff / lint                             {ratio:>8.2}x (bound: 2.5x)");
}
