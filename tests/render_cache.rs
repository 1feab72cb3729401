//! The render cache, end to end: a stand-in renderer (given through `LBPLAN_KUSTOMIZE`) counts
//! how often it runs, so that each test sees exactly which runs rendered. Nothing here is timed.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

use common::scratch::{script, write};

/// A Kustomize repository: an overlay with a base, a component, a patch and a generator.
fn repository(dir: &Path) {
    write(dir, "base/kustomization.yaml", "resources:\n- svc.yaml\n");
    write(
        dir,
        "base/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
    );
    write(
        dir,
        "components/extra/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- cm.yaml\n",
    );
    write(
        dir,
        "components/extra/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n",
    );
    write(
        dir,
        "overlays/prod/kustomization.yaml",
        "resources:\n- ../../base\ncomponents:\n- ../../components/extra\npatches:\n- path: patch.yaml\nconfigMapGenerator:\n- name: conf\n  files:\n  - conf.txt\n",
    );
    write(
        dir,
        "overlays/prod/patch.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
    );
    write(dir, "overlays/prod/conf.txt", "level=info\n");
    write(dir, "README.md", "not read by any render\n");
}

/// A stand-in Kustomize in `dir` that appends its first argument to `calls` and prints a
/// fixed stream (what it renders does not matter here: how often it runs does).
fn stand_in(dir: &Path) -> (PathBuf, PathBuf) {
    let calls = dir.join("calls");
    let program = script(
        &dir.join("bin/kustomize"),
        &format!(
            "echo \"$1\" >> '{}'\ncase \"$1\" in\n  version) echo v5.4.0-stand-in ;;\n  *) printf 'apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: web\\nspec:\\n  type: LoadBalancer\\n  ports:\\n  - port: 80\\n' ;;\nesac",
            calls.display()
        ),
    );
    (program, calls)
}

struct Setup {
    _temp: tempfile::TempDir,
    repo: PathBuf,
    cache: PathBuf,
    program: PathBuf,
    calls: PathBuf,
}

fn setup() -> Setup {
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    repository(&repo);
    let (program, calls) = stand_in(temp.path());
    Setup {
        cache: temp.path().join("cache"),
        repo,
        program,
        calls,
        _temp: temp,
    }
}

impl Setup {
    /// lbplan in the repository with `args`, its cache in the test's folder, the stand-in
    /// Kustomize given.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = common::binary();
        command
            .args(args)
            .current_dir(&self.repo)
            .env("LBPLAN_CACHE_DIR", &self.cache)
            .env("LBPLAN_KUSTOMIZE", &self.program)
            .env_remove("CI");
        command
    }

    fn lint(&self, extra: &[&str]) -> Output {
        let mut command = self.command(&["lint", "--format", "json", "."]);
        ran(command.args(extra).output().expect("run lbplan"))
    }

    /// How many renders and version queries the stand-in ran so far.
    fn counts(&self) -> (usize, usize) {
        let calls = std::fs::read_to_string(&self.calls).unwrap_or_default();
        let renders = calls.lines().filter(|l| *l == "build").count();
        let versions = calls.lines().filter(|l| *l == "version").count();
        (renders, versions)
    }

    fn entries(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for shard in read_dir(&self.cache.join("kustomize")) {
            out.extend(read_dir(&shard));
        }
        out
    }
}

/// `out`, once it is known to be a run that linted (exit 0 or 1).
fn ran(out: Output) -> Output {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|e| e.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn a_warm_run_starts_no_process_and_prints_the_same_bytes() {
    let s = setup();
    let cold = s.lint(&[]);
    assert_eq!(s.counts(), (1, 1));
    let warm = s.lint(&[]);
    assert_eq!(s.counts(), (1, 1), "the warm run ran the renderer");
    assert_eq!(cold.stdout, warm.stdout);
    assert_eq!(cold.stderr, warm.stderr);
    assert_eq!(s.entries().len(), 1);
    // --no-cache neither reads nor writes it.
    s.lint(&["--no-cache"]);
    assert_eq!(s.counts().0, 2);
    assert_eq!(s.entries().len(), 1);
}

#[test]
fn a_change_to_any_file_the_render_reads_invalidates_and_others_do_not() {
    let s = setup();
    s.lint(&[]);
    assert_eq!(s.counts().0, 1);
    write(&s.repo, "README.md", "changed\n");
    write(
        &s.repo,
        "overlays/prod/notes.txt",
        "new, and read by no render\n",
    );
    s.lint(&[]);
    assert_eq!(s.counts().0, 1, "an unrelated file changed the key");
    let mut renders = 1;
    for (file, text) in [
        (
            "overlays/prod/patch.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {a: b}\n",
        ),
        ("overlays/prod/conf.txt", "level=debug\n"),
        (
            "components/extra/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra2\n",
        ),
        (
            "base/svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
        ),
        (
            "overlays/prod/kustomization.yaml",
            "resources:\n- ../../base\ncomponents:\n- ../../components/extra\npatches:\n- path: patch.yaml\nconfigMapGenerator:\n- name: conf\n  files:\n  - conf.txt\nnamespace: shop\n",
        ),
        // A second kustomization file name beside the first changes what Kustomize does.
        ("base/kustomization.yml", "resources:\n- svc.yaml\n"),
    ] {
        write(&s.repo, file, text);
        s.lint(&[]);
        renders += 1;
        assert_eq!(s.counts().0, renders, "{file} changed and nothing rendered");
        s.lint(&[]);
        assert_eq!(s.counts().0, renders, "{file}: the new render was not kept");
    }
    // A render's time limit is part of its key: one that finished within a longer limit is not
    // what a shorter one would give.
    write(&s.repo, ".lbplan.yaml", "render:\n  timeout: 30\n");
    s.lint(&[]);
    assert_eq!(
        s.counts().0,
        renders + 1,
        "another time limit took the same render"
    );
}

#[test]
fn remote_references_and_unresolved_graphs_are_not_cached() {
    let s = setup();
    write(
        &s.repo,
        "overlays/prod/kustomization.yaml",
        "resources:\n- ../../base\n- github.com/example/repo//base?ref=v1\n",
    );
    s.lint(&[]);
    s.lint(&[]);
    assert_eq!(s.counts().0, 2);
    write(
        &s.repo,
        "overlays/prod/kustomization.yaml",
        "resources:\n- ../../base\n- missing.yaml\n",
    );
    s.lint(&[]);
    s.lint(&[]);
    assert_eq!(s.counts().0, 4, "a reference to a missing file was cached");
    assert!(s.entries().is_empty());
}

#[test]
fn two_processes_share_a_cache() {
    let s = setup();
    let spawn = || {
        s.command(&["lint", "--format", "json", "."])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.status.code(), b.status.code());
    let renders = s.counts().0;
    assert!((1..=2).contains(&renders));
    let third = s.lint(&[]);
    assert_eq!(s.counts().0, renders, "neither kept its render");
    assert_eq!(third.stdout, a.stdout);
    // Whole entries only, and no temporary file left.
    let entries = s.entries();
    assert_eq!(entries.len(), 1, "{entries:?}");
}

#[test]
fn a_truncated_entry_is_rendered_again_and_replaced() {
    let s = setup();
    let cold = s.lint(&[]);
    let entry = s.entries().into_iter().next().expect("an entry");
    let bytes = std::fs::read(&entry).expect("entry");
    std::fs::write(&entry, &bytes[..bytes.len() / 2]).expect("truncate");
    let again = s.lint(&[]);
    assert_eq!(s.counts().0, 2);
    assert_eq!(cold.stdout, again.stdout);
    assert_eq!(std::fs::read(&entry).expect("entry"), bytes, "not replaced");
    s.lint(&[]);
    assert_eq!(s.counts().0, 2);
}

#[test]
fn a_read_only_cache_folder_serves_its_entries_and_costs_only_renders() {
    use std::os::unix::fs::PermissionsExt;
    let s = setup();
    let cold = s.lint(&[]);
    let set = |mode| {
        for dir in [s.cache.clone(), s.cache.join("kustomize")]
            .into_iter()
            .chain(read_dir(&s.cache.join("kustomize")))
        {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
    };
    set(0o500);
    let warm = s.lint(&[]);
    assert_eq!(s.counts().0, 1, "a read-only folder's entry was not used");
    assert_eq!(cold.stdout, warm.stdout);
    write(&s.repo, "overlays/prod/conf.txt", "level=debug\n");
    s.lint(&[]);
    s.lint(&[]);
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    set(0o700);
    if !root {
        // Nothing could be kept: each run rendered.
        assert_eq!(s.counts().0, 3);
    }
}

/// Both sides of a diff share the cache: an overlay whose inputs are the same on both sides
/// renders once, and a warm cache renders only the overlay a commit changed.
#[test]
fn a_diff_renders_only_what_changed() {
    let s = setup();
    common::scratch::git(&s.repo, &["init", "-q", "."]);
    common::scratch::git(&s.repo, &["add", "-A"]);
    common::scratch::git(&s.repo, &["commit", "-q", "-m", "base"]);
    let diff = || {
        ran(s
            .command(&["diff", "--base-rev", "HEAD", "--format", "json", "."])
            .output()
            .expect("run lbplan diff"));
    };
    // The revision is the working tree: its temporary copy shares the working tree's entry.
    diff();
    assert_eq!(s.counts().0, 1, "the same overlay rendered on both sides");
    diff();
    assert_eq!(s.counts().0, 1, "a warm diff rendered");
    write(&s.repo, "overlays/prod/conf.txt", "level=debug\n");
    diff();
    assert_eq!(s.counts().0, 2, "only the changed head side renders");
}

#[test]
fn a_cache_folder_inside_the_repository_is_not_used() {
    let s = setup();
    std::fs::create_dir_all(s.repo.join(".git")).expect("a repository");
    let out = ran(s
        .command(&["lint", "--format", "json", "."])
        .env("LBPLAN_CACHE_DIR", s.repo.join(".lbplan-cache"))
        .output()
        .expect("run"));
    assert!(!s.repo.join(".lbplan-cache").exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("inside the repository"));
}

/// A diff's scratch: the repository `repo` (to commit and change), and `other`, alike, whose
/// lint teaches the cache the stand-in renderer's version without rendering any of `repo`'s.
struct DiffScratch {
    temp: tempfile::TempDir,
    repo: PathBuf,
    other: PathBuf,
}

impl DiffScratch {
    fn new() -> DiffScratch {
        let temp = tempfile::tempdir().expect("temp");
        let (repo, other) = (temp.path().join("repo"), temp.path().join("other"));
        repository(&repo);
        repository(&other);
        DiffScratch { temp, repo, other }
    }

    /// lbplan in `dir` with the stand-in `program`, the cache in the scratch.
    fn run(&self, program: &Path, dir: &Path, args: &[&str]) -> Output {
        common::binary()
            .args(args)
            .current_dir(dir)
            .env("LBPLAN_CACHE_DIR", self.temp.path().join("cache"))
            .env("LBPLAN_KUSTOMIZE", program)
            .env_remove("CI")
            .output()
            .expect("run lbplan")
    }

    /// `repo` committed as it is (with `files` written first), the base of the diff.
    fn commit(&self, files: &[(&str, &str)]) {
        for (file, text) in files {
            write(&self.repo, file, text);
        }
        common::scratch::git(&self.repo, &["init", "-q", "."]);
        common::scratch::git(&self.repo, &["add", "-A"]);
        common::scratch::git(&self.repo, &["commit", "-q", "-m", "base"]);
    }
}

/// `lbplan diff` renders the head's overlays while it reads the base. Proven without a clock: the
/// stand-in's renders of the head's overlay and of the base's each leave a mark and then wait
/// for the other's (up to 10 s, then fail), so the diff succeeds only when the two run at once;
/// and each side's overlay is still rendered exactly once.
#[test]
fn a_diff_renders_the_head_while_it_reads_the_base() {
    let scratch = DiffScratch::new();
    let temp = scratch.temp.path();
    let calls = temp.join("calls");
    let marks = temp.join("marks");
    std::fs::create_dir_all(&marks).expect("marks");
    // A render of `level=debug` (the head's) or `level=info` (the base's) meets the other.
    let program = script(
        &temp.join("bin/kustomize"),
        &format!(
            "echo \"$1\" >> '{calls}'\n\
             case \"$1\" in\n  version) echo v5.4.0-stand-in; exit 0 ;;\nesac\n\
             overlay=$(sed -n 's/^- \"\\(.*\\)\"$/\\1/p' \"$2/kustomization.yaml\")\n\
             level=$(sed -n 's/^level=//p' \"$2/$overlay/conf.txt\")\n\
             case \"$level\" in debug) other=info ;; info) other=debug ;; *) other= ;; esac\n\
             if [ -n \"$other\" ]; then\n\
               touch '{marks}'/\"$level\"\n\
               i=0; while [ ! -e '{marks}'/\"$other\" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done\n\
               [ -e '{marks}'/\"$other\" ] || {{ echo \"the $other render did not run meanwhile\" >&2; exit 3; }}\n\
             fi\n\
             printf 'apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: web\\nspec:\\n  ports:\\n  - port: 80\\n'",
            calls = calls.display(),
            marks = marks.display(),
        ),
    );
    // Another repository's lint: the cache knows the renderer's version, and none of the renders
    // below.
    write(&scratch.other, "overlays/prod/conf.txt", "level=warn\n");
    ran(scratch.run(&program, &scratch.other, &["lint", "--format", "json", "."]));
    scratch.commit(&[]);
    write(&scratch.repo, "overlays/prod/conf.txt", "level=debug\n");
    let out = ran(scratch.run(
        &program,
        &scratch.repo,
        &["diff", "--base-rev", "HEAD", "--format", "json", "."],
    ));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!report.contains("render-failed"), "{report}");
    let renders = std::fs::read_to_string(&calls).unwrap_or_default();
    let renders = renders.lines().filter(|l| *l == "build").count();
    assert_eq!(renders, 3, "the other repository's, then one per side");
}

/// A render the diff's early guess started and the diff then did not need is stopped when the
/// diff has what it needs, not waited for: here the base's config sets a 2 s limit, so the head's
/// read renders the hanging overlay itself (the guess renders with lbplan's default 60 s) and
/// fails it after 2 s; the guess's render of it, hanging, is killed then. Without the stop, the
/// diff lasted the default's 60 s.
#[test]
fn a_guess_render_the_diff_no_longer_needs_is_stopped() {
    let scratch = DiffScratch::new();
    let program = script(
        &scratch.temp.path().join("bin/kustomize"),
        "case \"$1\" in\n  version) echo v5.4.0-stand-in; exit 0 ;;\nesac\n\
         overlay=$(sed -n 's/^- \"\\(.*\\)\"$/\\1/p' \"$2/kustomization.yaml\")\n\
         if grep -q hang \"$2/$overlay/conf.txt\"; then exec sleep 120; fi\n\
         printf 'apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: web\\nspec:\\n  ports:\\n  - port: 80\\n'",
    );
    // The cache learns the renderer's version, so that the diff's guess starts at once.
    ran(scratch.run(&program, &scratch.other, &["lint", "--format", "json", "."]));
    scratch.commit(&[(".lbplan.yaml", "render:\n  timeout: 2\n")]);
    write(&scratch.repo, "overlays/prod/conf.txt", "hang\n");
    let started = std::time::Instant::now();
    let out = scratch.run(
        &program,
        &scratch.repo,
        &["diff", "--base-rev", "HEAD", "--format", "json", "."],
    );
    let took = started.elapsed();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("did not finish within 2 s"),
        "the head's render timed out: {report}"
    );
    assert!(
        took < std::time::Duration::from_secs(30),
        "the diff waited {took:?} for a render it did not need"
    );
}
