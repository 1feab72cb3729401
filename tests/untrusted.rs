//! Hostile input, as a pull request can write it, one test per hole (issue 19): git trees with
//! names git refuses to check out (built with `git hash-object` and `commit-tree`, as a plain
//! `git fetch` accepts them), a link and a folder of one name, origin annotations naming
//! `/proc/self/environ`, a kustomization reaching out of the repository, config paths outside it.
//! Each asserts that nothing is written outside the temporary folders, and that no secret
//! reaches the output. (The gate itself: `untrusted_gate.rs`; the programs: `programs.rs`.)

#![cfg(unix)]

use std::path::{Path, PathBuf};

mod common;

use common::scratch::{
    ELB, empty, git, git_with_input, lbplan, listing, repository, script, service, stderr, stdout,
    write,
};

/// A secret in lbplan's environment, which no output may show.
const SECRET: &str = "hunter2-token-of-the-ci-job";

/// The object ID of `text`, written to the repository.
fn blob(repo: &Path, text: &str) -> String {
    git_with_input(
        repo,
        &["hash-object", "-w", "--stdin"],
        Some(text.as_bytes()),
    )
}

/// A tree object written byte by byte, as git stores one: entries in the order given, any name
/// (`--literally` skips git's own checks, as a fetch without `transfer.fsckObjects` does).
fn raw_tree(repo: &Path, entries: &[(&str, &[u8], &str)]) -> String {
    let mut bytes = Vec::new();
    for (mode, name, oid) in entries {
        bytes.extend_from_slice(mode.as_bytes());
        bytes.push(b' ');
        bytes.extend_from_slice(name);
        bytes.push(0);
        for i in (0..oid.len()).step_by(2) {
            bytes.push(u8::from_str_radix(&oid[i..i + 2], 16).expect("hex"));
        }
    }
    git_with_input(
        repo,
        &["hash-object", "-t", "tree", "--literally", "-w", "--stdin"],
        Some(&bytes),
    )
}

/// A commit of `tree` on top of HEAD.
fn commit(repo: &Path, tree: &str) -> String {
    git(repo, &["commit-tree", tree, "-p", "HEAD", "-m", "hostile"])
}

/// `lbplan diff` of the head revision `head` against HEAD, in `repo`, with its temporary folder
/// `temp`: exit 2, a refusal naming the entry, and nothing written anywhere.
fn refused(repo: &Path, temp: &Path, head: &str, needle: &str) {
    let before = listing(repo.parent().expect("parent"));
    let out = lbplan(
        repo,
        temp,
        &["diff", "--base-rev", "HEAD", "--head-rev", head],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(needle), "{needle}: {}", stderr(&out));
    assert!(empty(temp), "left in TMPDIR: {:?}", listing(temp));
    assert_eq!(
        listing(repo.parent().expect("parent")),
        before,
        "written outside"
    );
}

#[test]
fn tree_entries_git_refuses_to_check_out_are_refused_whole() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    repository(&repo, &[("shop/web.yaml", &service("web", ELB, 80))]);
    let temp = scratch.path().join("tmp");
    std::fs::create_dir(&temp).expect("mkdir");
    let manifest = blob(&repo, &service("evil", ELB, 81));
    let inner = raw_tree(&repo, &[("100644", b"escape.yaml", &manifest)]);
    let names: [(&[u8], &str, &str); 9] = [
        (b"..", "040000", "a `.` or `..` component"),
        (b".git", "040000", "`.git` to some file system"),
        (b".GIT", "040000", "`.git` to some file system"),
        (
            ".g\u{200c}it".as_bytes(),
            "040000",
            "`.git` to some file system",
        ),
        (b"GIT~1", "040000", "`.git` to some file system"),
        (b".git . ", "040000", "`.git` to some file system"),
        (b"a\\..\\..", "040000", "a backslash"),
        (b"../../escape.yaml", "100644", "a `.` or `..` component"),
        (b"/tmp/escape.yaml", "100644", "an empty name"),
    ];
    for (name, mode, why) in names {
        let oid = if mode == "040000" { &inner } else { &manifest }.as_str();
        let tree = raw_tree(&repo, &[(mode, name, oid)]);
        refused(&repo, &temp, &commit(&repo, &tree), why);
    }
    assert!(!Path::new("/tmp/escape.yaml").exists());
}

#[test]
fn nothing_is_written_through_a_link_with_a_folder_of_its_name() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    repository(&repo, &[("shop/web.yaml", &service("web", ELB, 80))]);
    let temp = scratch.path().join("tmp");
    let outside = scratch.path().join("outside");
    std::fs::create_dir_all(&temp).expect("mkdir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    let target = blob(&repo, &outside.display().to_string());
    let manifest = blob(&repo, &service("evil", ELB, 81));
    let folder = raw_tree(&repo, &[("100644", b"x.yaml", &manifest)]);
    // The link first, then the folder; and the other way round. (Named like a manifest, so
    // that both are written.)
    let (target, folder) = (target.as_str(), folder.as_str());
    for entries in [
        [
            ("120000", &b"k.yaml"[..], target),
            ("040000", b"k.yaml", folder),
        ],
        [
            ("040000", &b"k.yaml"[..], folder),
            ("120000", b"k.yaml", target),
        ],
    ] {
        let tree = raw_tree(&repo, &entries);
        let head = commit(&repo, &tree);
        let out = lbplan(
            &repo,
            &temp,
            &["diff", "--base-rev", "HEAD", "--head-rev", &head],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("never writes through a link"),
            "{}",
            stderr(&out)
        );
        assert!(
            empty(&outside),
            "written through the link: {:?}",
            listing(&outside)
        );
        assert!(empty(&temp), "left in TMPDIR: {:?}", listing(&temp));
    }
}

/// A stand-in renderer that prints `stream` whatever it is asked (and `v9.9.9` for its version).
fn stand_in(dir: &Path, stream: &str) -> PathBuf {
    script(
        &dir.join("bin/kustomize"),
        &format!("if [ \"$1\" = version ]; then echo v9.9.9; exit 0; fi\ncat <<'EOF'\n{stream}EOF"),
    )
}

#[test]
fn origin_annotations_outside_the_overlay_are_not_believed() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
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
    // What a kustomization writing `commonAnnotations` itself can make a renderer print.
    let renderer = stand_in(
        scratch.path(),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    kubernetes.io/elb.class: premium\n    config.kubernetes.io/origin: |\n      path: /proc/self/environ\n    alpha.config.kubernetes.io/transformations: |\n      - configuredIn: /proc/self/environ\n        configuredBy: {kind: LabelTransformer}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n",
    );
    let temp = scratch.path().join("tmp");
    std::fs::create_dir(&temp).expect("mkdir");
    for format in ["json", "sarif", "human"] {
        let out = lbplan(
            &repo,
            &temp,
            &["lint", "--format", format, "."],
            &[
                ("LBPLAN_KUSTOMIZE", &renderer.display().to_string()),
                ("SECRET_TOKEN", SECRET),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(!text.contains(SECRET), "{format} shows the environment");
        assert!(text.contains("LB011"), "{text}");
        assert!(
            text.contains("overlays/prod/kustomization.yaml"),
            "placed at the overlay: {text}"
        );
        if format != "sarif" {
            // Human notes wrap at the terminal's width: compare the words.
            let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                words.contains("origin annotations of its rendered objects name files outside"),
                "{text}"
            );
        }
    }
    assert!(empty(&temp));
}

#[test]
fn an_overlay_whose_graph_leaves_the_repository_is_refused_before_anything_runs() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    write(
        scratch.path(),
        "outside/kustomization.yaml",
        "resources: [secret.yaml]\n",
    );
    write(scratch.path(), "outside/secret.yaml", "kind: Secret\n");
    repository(
        &repo,
        &[
            (
                "overlays/prod/kustomization.yaml",
                "resources:\n- ../../../outside\n",
            ),
            ("shop/web.yaml", &service("web", ELB, 80)),
        ],
    );
    std::os::unix::fs::symlink(scratch.path().join("outside"), repo.join("linked")).expect("link");
    write(
        &repo,
        "overlays/linked/kustomization.yaml",
        "resources:\n- ../../linked\n",
    );
    let ran = scratch.path().join("ran");
    let renderer = script(
        &scratch.path().join("bin/kustomize"),
        &format!(
            "if [ \"$1\" = build ]; then touch {}; fi\necho v9.9.9",
            ran.display()
        ),
    );
    let temp = scratch.path().join("tmp");
    std::fs::create_dir(&temp).expect("mkdir");
    let out = lbplan(
        &repo,
        &temp,
        &["lint", "."],
        &[("LBPLAN_KUSTOMIZE", &renderer.display().to_string())],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for (overlay, entry, how) in [
        ("overlays/prod", "`../../../outside`", ""),
        (
            "overlays/linked",
            "`../../linked`",
            "through a symbolic link",
        ),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(&format!("Kustomize overlay {overlay} not rendered")))
            .unwrap_or_else(|| panic!("{overlay}: {err}"));
        assert!(line.contains("leaves the repository"), "{line}");
        assert!(line.contains(entry) && line.contains(how), "{line}");
    }
    // The rest is still linted; the renderer never built either overlay.
    assert!(stdout(&out).contains("in 1 file"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("Secret"));
    assert!(!ran.exists(), "the renderer ran");
    assert!(empty(&temp));
}

#[test]
fn config_paths_outside_the_repository_are_refused_by_key() {
    let scratch = tempfile::tempdir().expect("temp");
    let repo = scratch.path().join("repo");
    let temp = scratch.path().join("tmp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    for (config, key) in [
        (
            "clusters:\n  - name: a\n    pods: /proc/self/environ\n",
            "clusters[0].pods",
        ),
        (
            "clusters:\n  - name: a\n    exports: [../../etc/passwd]\n",
            "clusters[0].exports[0]",
        ),
        ("paths: [../]\n", "paths[0]"),
        (
            "clusters:\n  - name: a\n    kustomize: [/etc]\n",
            "clusters[0].kustomize[0]",
        ),
        ("exclude: [../../x]\n", "exclude[0]"),
    ] {
        let _ = std::fs::remove_dir_all(&repo);
        repository(
            &repo,
            &[
                (".lbplan.yaml", config),
                ("shop/web.yaml", &service("web", ELB, 80)),
            ],
        );
        let out = lbplan(&repo, &temp, &["lint", "."], &[("SECRET_TOKEN", SECRET)]);
        assert_eq!(out.status.code(), Some(2), "{config}");
        assert!(stderr(&out).contains(key), "{config}: {}", stderr(&out));
        assert!(!stderr(&out).contains(SECRET) && !stdout(&out).contains(SECRET));
    }
    // A discovered config that is a link out of the repository is not read.
    let _ = std::fs::remove_dir_all(&repo);
    repository(&repo, &[("shop/web.yaml", &service("web", ELB, 80))]);
    std::os::unix::fs::symlink("/proc/self/environ", repo.join(".lbplan.yaml")).expect("link");
    let out = lbplan(&repo, &temp, &["lint", "."], &[("SECRET_TOKEN", SECRET)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("through a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(SECRET));
}
