//! `cargo bench --bench render`: `lbplan lint` on a repository of 50 small Kustomize overlays and on
//! one of 100 small Helm charts, as a user runs it (process start to exit, renders included), and
//! lbplan's own share of that time. The repositories are generated (`render/kustomize.rs`,
//! `render/helm.rs`), each render publishing a Service on an ELB with mistakes, so that every run
//! resolves its findings back to the files the user wrote. Reported per repository, each the best
//! of `LBPLAN_BENCH_RUNS` runs (default 5), the sides alternated so that each sees the same
//! machine:
//!
//! - **`lbplan lint`**: the binary on the repository, wall time, with an empty render cache
//!   (cold); then with the cache it filled (warm), and `lbplan plan` after a cold `lint`;
//! - **`lbplan diff --base-rev HEAD~1`** (Kustomize) after a commit changing one overlay's patch,
//!   with the cache a `lint` filled before that commit; and `lint` of that commit with a copy of
//!   the same cache (the one changed render included), what a user's own check of it costs;
//! - **renders alone**: the renderer run directly on every overlay or chart, as many at a time as
//!   lbplan runs them (`LBPLAN_THREADS`, else the machine's parallelism), no lbplan code around it,
//!   at Go's defaults (the floor: rendering by hand), and again with the Go collector's settings
//!   lbplan gives the programs it runs (`GOGC=400`, `GOMEMLIMIT=1GiB`), so that the gain they
//!   make is shown apart from the rest of lbplan's;
//! - **lbplan on the rendered streams**: the streams, rendered beforehand into files, linted by
//!   lbplan (everything lbplan does but rendering and relocating);
//! - **CPU time**, summed over the `lbplan lint` runs and split between lbplan's own process and
//!   the renderer processes it ran (read from `/proc/PID/stat` of the exited, not yet reaped
//!   process: its own time and its waited-for children's), and the renderers' CPU time when run
//!   directly (`getrusage` of this process's waited-for children): what lbplan's way of rendering
//!   costs the renderer (for Kustomize, a plain render per overlay, and one asking for origin
//!   annotations where lbplan cannot place the objects itself; for helm, a private copy).
//!
//! lbplan's share of the time is everything but the renderer processes: by CPU time,
//! lbplan / (lbplan + renderers), which a busy machine does not skew; by wall time,
//! (lint − renders alone) / lint. The issues' bound is 20%. Nothing is asserted: a benchmark
//! reports. Without a renderer on PATH, its repository says so and is skipped.
//! `LBPLAN_BENCH_BASELINE=PATH` names another lbplan binary whose diff runs are interleaved with
//! this one's.

#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "printed measurements and libc's types"
)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "render/helm.rs"]
mod helm;
#[path = "render/kustomize.rs"]
mod kustomize;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Renders at a time, as lbplan counts them.
fn threads() -> usize {
    std::env::var("LBPLAN_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// CPU time of the waited-for children of this process (user + system).
fn children_cpu() -> Duration {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// One `lbplan` run: wall time, its own CPU time and its children's (the renderers), and the
/// JSON report.
struct LbplanRun {
    wall: Duration,
    own: Duration,
    children: Duration,
    stdout: String,
}

/// Run lbplan in `dir`; its CPU times are read from `/proc/PID/stat` once it has exited, before
/// it is reaped (`waitid` with `WNOWAIT`).
fn lbplan(dir: &Path, args: &[&str], cache: &Path) -> LbplanRun {
    run_program(common::bench_binary(), dir, args, cache)
}

/// `LBPLAN_BENCH_BASELINE`: another lbplan binary (a release build of `main`, say), whose diff
/// runs interleaved with this one's: on a shared machine, the comparison that holds.
fn baseline() -> Option<PathBuf> {
    std::env::var_os("LBPLAN_BENCH_BASELINE").map(PathBuf::from)
}

/// [`lbplan`], of the lbplan binary `program`.
fn run_program(program: &Path, dir: &Path, args: &[&str], cache: &Path) -> LbplanRun {
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("LBPLAN_CACHE_DIR", cache)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lbplan");
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        std::io::Read::read_to_string(&mut out, &mut stdout).expect("read report");
    }
    // SAFETY: waitid writes into the zeroed siginfo it is given; WNOWAIT leaves the process to
    // be reaped by `wait` below.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let waited = unsafe {
        libc::waitid(
            libc::P_PID,
            child.id() as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOWAIT,
        )
    };
    let wall = start.elapsed();
    assert_eq!(waited, 0, "waitid");
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", child.id())).expect("stat");
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .expect("comm")
        .1
        .split_whitespace()
        .skip(11)
        .take(4)
        .map(|f| f.parse().expect("number"))
        .collect();
    let status = child.wait().expect("reap");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "lbplan {args:?} exited with {status}"
    );
    // SAFETY: sysconf has no preconditions.
    let tick = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    let ticks = |n: u64| Duration::from_secs_f64(n as f64 / tick as f64);
    LbplanRun {
        wall,
        own: ticks(fields[0] + fields[1]),
        children: ticks(fields[2] + fields[3]),
        stdout,
    }
}

/// A repository to measure: the renderer and its argument lists, one per render (run in the
/// repository's folder), and where the findings' files lie.
pub struct Case {
    pub title: String,
    pub program: PathBuf,
    pub renders: Vec<Vec<String>>,
    /// Prefixes of the files the findings should name (the repository's, never a stream).
    pub sources: &'static [&'static str],
    /// For the diff measure: a file of the repository, and a change to it (from, to).
    pub change: Option<(&'static str, &'static str, &'static str)>,
}

/// What makes a case in a folder, or says why it cannot run.
type MakeCase = fn(&Path) -> Result<Case, String>;

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The Go runtime's settings lbplan gives every program it runs (`src/exec/env.rs`): the renders
/// alone are measured at Go's defaults (the floor: what rendering by hand costs) and with these.
const LBPLAN_GO_RUNTIME: [(&str, &str); 2] = [("GOGC", "400"), ("GOMEMLIMIT", "1GiB")];

/// The renderer run directly on each render of `case`, `threads` at a time, with `env` added to
/// this process's environment (`GOGC` and `GOMEMLIMIT` removed first): the wall time, the
/// renderers' CPU time and the streams, in order.
fn renders_alone(
    case: &Case,
    dir: &Path,
    threads: usize,
    env: &[(&str, &str)],
) -> (Duration, Duration, Vec<String>) {
    let cpu_before = children_cpu();
    let next = AtomicUsize::new(0);
    let mut streams = vec![String::new(); case.renders.len()];
    let start = Instant::now();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(args) = case.renders.get(i) else {
                            break;
                        };
                        let out = Command::new(&case.program)
                            .args(args)
                            .current_dir(dir)
                            .env_remove("GOGC")
                            .env_remove("GOMEMLIMIT")
                            .envs(env.iter().copied())
                            .output()
                            .expect("renderer");
                        assert!(out.status.success(), "{args:?}");
                        done.push((i, String::from_utf8(out.stdout).expect("utf-8")));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            for (i, text) in handle.join().expect("render thread") {
                streams[i] = text;
            }
        }
    });
    (start.elapsed(), children_cpu() - cpu_before, streams)
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

/// What [`diff_after_one_change`] measured, each the best of its runs.
struct DiffMeasure {
    diff: Duration,
    /// The renders the diff ran: the cache's new entries.
    renders: usize,
    /// `lint` of the same commit with the same cache (filled before the commit): what a user's
    /// own check of that commit costs, the changed render included.
    lint_after: Duration,
    /// The baseline binary's diff, its runs alternated with these.
    baseline: Option<Duration>,
}

/// `lbplan diff --base-rev HEAD~1` after a commit making `change` (file, from, to), each run with
/// a cache filled by a `lint` before that commit (as CI restores the target branch's cache), and
/// `lint` of that commit with a copy of the same cache.
fn diff_after_one_change(
    dir: &Path,
    (file, from, to): (&str, &str, &str),
    runs: usize,
) -> DiffMeasure {
    let path = dir.join(file);
    let before = std::fs::read_to_string(&path).expect("the file to change");
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    write(&path, &before.replace(from, to));
    git(dir, &["commit", "-q", "-a", "-m", "one change"]);
    let (mut best, mut renders, mut lint_after) = (Duration::MAX, 0, Duration::MAX);
    let mut best_baseline = baseline().map(|_| Duration::MAX);
    let this = common::bench_binary().to_path_buf();
    for _ in 0..runs {
        for program in std::iter::once(&this).chain(baseline().as_ref()) {
            let cache = tempfile::tempdir().expect("cache");
            write(&path, &before);
            run_program(
                program,
                dir,
                &["lint", "--format", "json", "."],
                cache.path(),
            );
            let entries = || entry_count(&cache.path().join("kustomize"));
            let filled = entries();
            let before_commit = tempfile::tempdir().expect("cache copy");
            if *program == this {
                common::copy_tree(cache.path(), before_commit.path());
            }
            git(dir, &["checkout", "-q", "--", "."]);
            let run = run_program(
                program,
                dir,
                &["diff", "--base-rev", "HEAD~1", "--format", "json", "."],
                cache.path(),
            );
            if *program == this {
                best = best.min(run.wall);
                renders = entries() - filled;
                let lint = run_program(
                    program,
                    dir,
                    &["lint", "--format", "json", "."],
                    before_commit.path(),
                );
                lint_after = lint_after.min(lint.wall);
            } else if let Some(b) = best_baseline.as_mut() {
                *b = (*b).min(run.wall);
            }
        }
    }
    DiffMeasure {
        diff: best,
        renders,
        lint_after,
        baseline: best_baseline,
    }
}

/// The diff measure's lines: its best time against the warm lint (the ratio) and against
/// `lint` of the same commit with the same cache, the renders it ran, the baseline binary's time.
fn print_diff(measure: &DiffMeasure, warm: Duration) {
    let DiffMeasure {
        diff,
        renders,
        lint_after,
        baseline,
    } = measure;
    println!(
        "  diff --base-rev HEAD~1 after a commit changing one render's input, cache filled before it: {} ({:.2}x the warm lint; {renders} render)",
        ms(*diff),
        diff.as_secs_f64() / warm.as_secs_f64()
    );
    println!(
        "    lint of that commit with the same cache (the changed render included): {} (the diff is {:.2}x that)",
        ms(*lint_after),
        diff.as_secs_f64() / lint_after.as_secs_f64()
    );
    if let Some(b) = baseline {
        println!(
            "    the baseline binary's, interleaved: {} ({:.2}x this warm lint)",
            ms(*b),
            b.as_secs_f64() / warm.as_secs_f64()
        );
    }
}

/// The entries in the shard folders of `dir`.
fn entry_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|shard| std::fs::read_dir(shard.path()).map_or(0, Iterator::count))
        .sum()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let runs: usize = std::env::var("LBPLAN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let cases: [(&str, MakeCase); 2] = [("Kustomize", kustomize::case), ("Helm", helm::case)];
    for (name, make) in cases {
        let repo = tempfile::tempdir().expect("tempdir");
        match make(repo.path()) {
            Ok(case) => measure(&case, repo.path(), runs),
            Err(why) => println!("SKIPPED: render benchmark, {name}: {why}"),
        }
    }
}

/// A JSON report, its number of findings and of those in a file under one of `sources`.
fn findings_of(report: &str, sources: &[&str]) -> (serde_json::Value, usize, usize) {
    let summary: serde_json::Value = serde_json::from_str(report).expect("json report");
    let findings = summary["findings"].as_array().map_or(0, Vec::len);
    let in_sources = summary["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["file"]
                .as_str()
                .is_some_and(|n| sources.iter().any(|s| n.starts_with(s)))
        })
        .count();
    (summary, findings, in_sources)
}

/// Measure `case` in `repo` over `runs` runs, and report.
fn measure(case: &Case, repo: &Path, runs: usize) {
    let threads = threads();
    let rendered = tempfile::tempdir().expect("tempdir");
    let (mut lint, mut alone, mut streams_only) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let (mut warm, mut plan_after, mut alone_tuned) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let (mut own, mut children, mut alone_cpu) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut alone_tuned_cpu = Duration::ZERO;
    let mut report = String::new();
    let lint_args = ["lint", "--format", "json", "."];
    for run in 0..runs {
        // Cold: an empty render cache; then warm, and `plan` after a cold `lint`.
        let cache = tempfile::tempdir().expect("cache");
        let run_lint = lbplan(repo, &lint_args, cache.path());
        lint = lint.min(run_lint.wall);
        warm = warm.min(lbplan(repo, &lint_args, cache.path()).wall);
        let cache = tempfile::tempdir().expect("cache");
        lbplan(repo, &lint_args, cache.path());
        plan_after = plan_after.min(lbplan(repo, &["plan", "."], cache.path()).wall);
        own += run_lint.own;
        children += run_lint.children;
        report = run_lint.stdout;
        let (wall, cpu, streams) = renders_alone(case, repo, threads, &[]);
        alone = alone.min(wall);
        alone_cpu += cpu;
        let (wall, cpu, _) = renders_alone(case, repo, threads, &LBPLAN_GO_RUNTIME);
        alone_tuned = alone_tuned.min(wall);
        alone_tuned_cpu += cpu;
        if run == 0 {
            for (i, text) in streams.iter().enumerate() {
                write(&rendered.path().join(format!("r{i:03}.yaml")), text);
            }
        }
        streams_only = streams_only.min(lbplan(rendered.path(), &lint_args, cache.path()).wall);
    }
    let diff = case
        .change
        .map(|change| diff_after_one_change(repo, change, runs));
    let (summary, findings, in_sources) = findings_of(&report, case.sources);
    println!(
        "{}, {threads} renders at a time, {} (best of {runs})",
        case.title,
        case.program.display()
    );
    println!(
        "  lbplan lint (renders included)          {:>9}  ({} objects, {findings} findings, {in_sources} of them located in the sources)",
        ms(lint),
        summary["summary"]["objects"]
    );
    println!("  renders alone (the renderer, directly)  {:>9}", ms(alone));
    println!(
        "  cold lint / renders alone (the floor)   {:>8.2}x",
        lint.as_secs_f64() / alone.as_secs_f64()
    );
    println!(
        "  renders alone with lbplan's GOGC=400 GOMEMLIMIT=1GiB {:>9}  (cold lint / these: {:.2}x)",
        ms(alone_tuned),
        lint.as_secs_f64() / alone_tuned.as_secs_f64()
    );
    println!(
        "  warm lint (render cache filled)         {:>9}  ({:.1}% of cold)",
        ms(warm),
        100.0 * warm.as_secs_f64() / lint.as_secs_f64()
    );
    println!(
        "  plan after lint                         {:>9}  ({:.1}% of the cold lint)",
        ms(plan_after),
        100.0 * plan_after.as_secs_f64() / lint.as_secs_f64()
    );
    if let Some(diff) = diff {
        print_diff(&diff, warm);
    }
    println!(
        "  lbplan on the rendered streams          {:>9}",
        ms(streams_only)
    );
    println!(
        "  lbplan's share by wall time: {:.1}%  ((lint - renders alone) / lint)",
        100.0 * lint.saturating_sub(alone).as_secs_f64() / lint.as_secs_f64()
    );
    println!(
        "  CPU over the lint runs: lbplan {}, renderer processes {}: lbplan's share {:.1}%",
        ms(own),
        ms(children),
        100.0 * own.as_secs_f64() / (own + children).as_secs_f64()
    );
    println!(
        "  CPU of the renders alone: {} at Go's defaults, {} with lbplan's Go settings (lbplan's way of rendering costs the renderer {:+.1}% against the first, {:+.1}% against the second)",
        ms(alone_cpu),
        ms(alone_tuned_cpu),
        100.0 * (children.as_secs_f64() / alone_cpu.as_secs_f64() - 1.0),
        100.0 * (children.as_secs_f64() / alone_tuned_cpu.as_secs_f64() - 1.0)
    );
}
