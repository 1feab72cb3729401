//! `lbplan diff --base-rev` on scratch git repositories made by each test in a temporary folder:
//! the merge base (commits that landed on the target branch after branching are not reversed in
//! the diff), `--head-rev`, uncommitted edits in the working folder, a working folder below the
//! repository's root, the base's files named `COMMIT:path`, missing revisions and shallow clones
//! (exit 2 naming fetch-depth), and nothing written to the repository or left in `TMPDIR`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;

/// git, isolated from the user's and the system's config.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
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
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn lbplan(dir: &Path, temp: &Path, args: &[&str]) -> Output {
    common::binary()
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", temp)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run lbplan")
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

fn service(name: &str, elb: &str, ports: &[u16]) -> String {
    let ports: Vec<String> = ports.iter().map(|p| format!("{{port: {p}}}")).collect();
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: shop\n  annotations:\n    kubernetes.io/elb.id: {elb}\nspec:\n  type: LoadBalancer\n  selector: {{app: {name}}}\n  ports: [{}]\n",
        ports.join(", ")
    )
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

const ELB: &str = "5083f225-9bf8-48fa-9c8b-67bd9693c4c0";
const OTHER: &str = "7d1c0a4e-2b1f-4d55-9a0e-0f3c4b5a6d7e";

/// main: web on ELB (port 80); branch feature: web moves to OTHER (LB505); then main adds a
/// Service `late` the feature branch never saw.
fn repository(root: &Path) -> PathBuf {
    let repo = root.join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]);
    write(&repo, "deploy/web.yaml", &service("web", ELB, &[80]));
    write(&repo, "README.md", "not a manifest\n");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "web"]);
    git(&repo, &["checkout", "-qb", "feature"]);
    write(&repo, "deploy/web.yaml", &service("web", OTHER, &[80]));
    git(&repo, &["commit", "-qam", "move web"]);
    git(&repo, &["checkout", "-q", "main"]);
    write(&repo, "deploy/late.yaml", &service("late", ELB, &[9000]));
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "late"]);
    git(&repo, &["checkout", "-q", "feature"]);
    repo
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn listener_keys(report: &Value) -> Vec<String> {
    report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["entity"] == "listener")
        .map(|c| format!("{} {}:{}", c["action"], c["key"]["lb"], c["key"]["port"]))
        .collect()
}

fn empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).expect("dir").next().is_none()
}

#[test]
fn the_base_is_the_merge_base_read_without_a_checkout() {
    let temp = tempfile::tempdir().expect("temp");
    let scratch = tempfile::tempdir().expect("scratch");
    let repo = repository(temp.path());
    let merge_base = git(&repo, &["merge-base", "main", "feature"]);
    let status_before = git(&repo, &["status", "--porcelain", "--ignored"]);
    let out = lbplan(
        &repo,
        scratch.path(),
        &["diff", "--base-rev", "main", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "LB505 is an error");
    let report = json(&out);
    assert_eq!(report["base"]["rev"], "main");
    assert_eq!(report["base"]["commit"], merge_base.as_str());
    assert_eq!(codes(&report), ["LB505"]);
    // The merge base has no `late`: main's later commit is not reversed.
    let changes = serde_json::to_string(&report["changes"]).expect("json");
    assert!(!changes.contains("late"), "{changes}");
    // The base's files are named COMMIT:path.
    let related = &report["findings"][0]["related"][0];
    let short = merge_base.get(..7).expect("sha");
    assert_eq!(related["file"], format!("{short}:deploy/web.yaml").as_str());
    assert_eq!(related["line"], 7);
    // Nothing written to the repository; the revision's folder is gone.
    assert_eq!(
        git(&repo, &["status", "--porcelain", "--ignored"]),
        status_before
    );
    assert!(empty(scratch.path()), "TMPDIR left non-empty");
}

/// Without `TMPDIR`, a revision is written to memory where Linux has a tmpfs at `/dev/shm`
/// (`src/diff/tree/memory.rs`): the report is the one a revision written to `TMPDIR` gives,
/// and nothing of the run's is left there.
#[test]
fn a_revision_written_to_memory_reads_as_one_written_to_the_temporary_folder() {
    let temp = tempfile::tempdir().expect("temp");
    let scratch = tempfile::tempdir().expect("scratch");
    let repo = repository(temp.path());
    let args = ["diff", "--base-rev", "main", "--format", "json"];
    let on_disk = lbplan(&repo, scratch.path(), &args);
    let shm = Path::new("/dev/shm");
    let ours = |dir: &Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("lbplan-git-"))
            })
            .collect()
    };
    let before = ours(shm);
    let in_memory = common::binary()
        .args(args)
        .current_dir(&repo)
        .env_remove("TMPDIR")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run lbplan");
    assert_eq!(in_memory.status.code(), on_disk.status.code());
    assert_eq!(
        String::from_utf8_lossy(&in_memory.stdout),
        String::from_utf8_lossy(&on_disk.stdout)
    );
    let left: Vec<_> = ours(shm)
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    // Another test's run may be writing one now: only a folder still there later is left over.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let still: Vec<_> = left.into_iter().filter(|p| p.exists()).collect();
    assert!(still.is_empty(), "left in /dev/shm: {still:?}");
}

#[test]
fn head_rev_reads_the_head_from_git_and_the_working_folder_is_otherwise_the_head() {
    let temp = tempfile::tempdir().expect("temp");
    let scratch = tempfile::tempdir().expect("scratch");
    let repo = repository(temp.path());
    git(&repo, &["checkout", "-q", "main"]);
    // On main, with an uncommitted edit: --head-rev feature ignores the working folder.
    write(&repo, "deploy/web.yaml", &service("web", ELB, &[80, 8080]));
    let out = lbplan(
        &repo,
        scratch.path(),
        &[
            "diff",
            "--base-rev",
            "main",
            "--head-rev",
            "feature",
            "--format",
            "json",
        ],
    );
    let report = json(&out);
    assert_eq!(report["head"]["rev"], "feature");
    assert_eq!(codes(&report), ["LB505"]);
    assert!(
        !serde_json::to_string(&report)
            .expect("json")
            .contains("8080")
    );
    // Without --head-rev the working folder is the head, its uncommitted edit included: the
    // base is main itself (its own merge base), and the edit adds a listener.
    let out = lbplan(
        &repo,
        scratch.path(),
        &["diff", "--base-rev", "main", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(
        report["base"]["commit"],
        git(&repo, &["rev-parse", "main"]).as_str()
    );
    assert_eq!(listener_keys(&report), [format!("\"add\" \"{ELB}\":8080")]);
    assert!(empty(scratch.path()));
}

#[test]
fn a_working_folder_below_the_root_reads_the_same_folder_of_the_revision() {
    let temp = tempfile::tempdir().expect("temp");
    let scratch = tempfile::tempdir().expect("scratch");
    let repo = repository(temp.path());
    let out = lbplan(
        &repo.join("deploy"),
        scratch.path(),
        &["diff", "--base-rev", "main", "--format", "json", "."],
    );
    let report = json(&out);
    assert_eq!(codes(&report), ["LB505"]);
    let short = git(&repo, &["merge-base", "main", "feature"]);
    let short = short.get(..7).expect("sha");
    assert_eq!(
        report["findings"][0]["related"][0]["file"],
        format!("{short}:deploy/web.yaml").as_str()
    );
    assert_eq!(report["findings"][0]["file"], "web.yaml");
}

/// GitHub annotations name the head's files from the repository root (where the pull request
/// has them), whatever folder the job runs in; the base's `COMMIT:path` stays as it is.
#[test]
fn github_annotations_from_a_folder_below_the_root_name_files_from_the_root() {
    let temp = tempfile::tempdir().expect("temp");
    let scratch = tempfile::tempdir().expect("scratch");
    let repo = repository(temp.path());
    let out = lbplan(
        &repo.join("deploy"),
        scratch.path(),
        &["diff", "--base-rev", "main", "--format", "github", "."],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let annotation = text
        .lines()
        .find(|l| l.contains("title=LB505"))
        .unwrap_or_else(|| panic!("an LB505 annotation: {text}"));
    assert!(
        annotation.starts_with("::warning file=deploy/web.yaml,")
            || annotation.starts_with("::error file=deploy/web.yaml,"),
        "{annotation}"
    );
    let short = git(&repo, &["merge-base", "main", "feature"]);
    let short = short.get(..7).expect("sha");
    assert!(
        annotation.contains(&format!("related: {short}%3Adeploy/web.yaml"))
            || annotation.contains(&format!("related: {short}:deploy/web.yaml")),
        "{annotation}"
    );
}

#[test]
fn a_missing_revision_is_exit_2_naming_fetch_depth() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = repository(temp.path());
    let out = lbplan(
        &repo,
        temp.path(),
        &["diff", "--base-rev", "no-such-branch"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("revision no-such-branch not found"),
        "{stderr}"
    );
    assert!(stderr.contains("fetch-depth"), "{stderr}");
    // A revision that would read as an option is refused before git sees it.
    let out = lbplan(&repo, temp.path(), &["diff", "--base-rev=--output=x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!repo.join("x").exists());
}

#[test]
fn a_shallow_clone_without_the_merge_base_is_exit_2_naming_fetch_depth() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = repository(temp.path());
    let url = format!("file://{}", repo.display());
    // The tip of feature only: its parent, and main, are not there.
    git(
        temp.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "shallow",
        ],
    );
    let shallow = temp.path().join("shallow");
    let out = lbplan(&shallow, temp.path(), &["diff", "--base-rev", "HEAD~1"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("shallow"), "{stderr}");
    assert!(stderr.contains("fetch-depth"), "{stderr}");
    // Both tips, one commit deep each: the revisions exist, their merge base does not.
    git(
        temp.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            &url,
            "tips",
        ],
    );
    let tips = temp.path().join("tips");
    git(&tips, &["checkout", "-q", "feature"]);
    let out = lbplan(&tips, temp.path(), &["diff", "--base-rev", "origin/main"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no merge base"), "{stderr}");
    assert!(stderr.contains("fetch-depth"), "{stderr}");
}

#[test]
fn outside_a_repository_base_rev_is_exit_2() {
    let temp = tempfile::tempdir().expect("temp");
    write(temp.path(), "web.yaml", &service("web", ELB, &[80]));
    let out = lbplan(temp.path(), temp.path(), &["diff", "--base-rev", "main"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs a git repository"), "{stderr}");
}

/// `kustomize` or `kubectl` on PATH; `false` after saying why the test is skipped.
fn has_renderer(test: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = ["kustomize", "kubectl"]
        .iter()
        .any(|name| std::env::split_paths(&path).any(|d| d.join(name).is_file()));
    if !found {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: tests/diff_git.rs {test}: neither kustomize nor kubectl is on PATH"
        );
    }
    found
}

#[test]
fn kustomize_overlays_of_a_revision_are_rendered_and_located_in_its_files() {
    if !has_renderer("kustomize_overlays_of_a_revision_are_rendered_and_located_in_its_files") {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let scratch = tempfile::tempdir().expect("scratch");
    let repo = temp.path().join("repo");
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kustomize/shop"),
        &repo,
    );
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "shop"]);
    let patch = repo.join("overlays/prod/service-lb.yaml");
    let text = std::fs::read_to_string(&patch).expect("patch");
    std::fs::write(&patch, text.replace(&ELB[..8], "9e0f3c4b")).expect("edit");
    let out = lbplan(
        &repo,
        scratch.path(),
        &[
            "diff",
            "--base-rev",
            "HEAD",
            "--format",
            "json",
            "overlays/prod",
        ],
    );
    let report = json(&out);
    assert_eq!(codes(&report), ["LB505"], "{report}");
    let finding = &report["findings"][0];
    assert_eq!(finding["file"], "overlays/prod/service-lb.yaml");
    let short = git(&repo, &["rev-parse", "--short=7", "HEAD"]);
    assert_eq!(
        finding["related"][0]["file"],
        format!("{short}:overlays/prod/service-lb.yaml").as_str()
    );
    assert_eq!(finding["related"][0]["line"], finding["line"]);
    assert!(empty(scratch.path()), "TMPDIR left non-empty");
}

/// A render of the base revision that fails names the files it could not read as the side's
/// files, never by the revision's temporary folder (a random name: the report would differ
/// from run to run).
#[test]
fn a_failed_render_of_the_revision_names_no_temporary_folder() {
    if !has_renderer("a_failed_render_of_the_revision_names_no_temporary_folder") {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let scratch = tempfile::tempdir().expect("scratch");
    let repo = temp.path().join("repo");
    write(
        &repo,
        "overlays/prod/kustomization.yaml",
        "resources:\n- missing-folder\n",
    );
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "broken"]);
    let run = || {
        let out = lbplan(
            &repo,
            scratch.path(),
            &["diff", "--base-rev", "HEAD", "--format", "json", "."],
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let (first, second) = (run(), run());
    assert!(first.contains("missing-folder"), "{first}");
    assert!(!first.contains("lbplan-git-"), "{first}");
    assert_eq!(first, second, "the same diff twice");
}
