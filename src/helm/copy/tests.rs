//! The private copy: regular files only, links that leave the chart left out with a note, local
//! dependencies copied in, schemas left out, the chart tree named as helm names it.

use std::path::Path;

use super::*;
use crate::helm::{ReleaseSource, Set};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn release(repo: &Path, values: Vec<Values>) -> Release {
    Release {
        chart: repo.join("charts/web"),
        chart_name: "charts/web".into(),
        name: "web".into(),
        namespace: "default".into(),
        values,
        set: vec![Set {
            key: "a".into(),
            value: "b".into(),
            string: false,
        }],
        cluster: 0,
        kube_version: "v1.31.0".into(),
        source: ReleaseSource::Detected,
    }
}

fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("ls") {
            let e = e.expect("entry");
            let kind = e.file_type().expect("type");
            assert!(
                !kind.is_symlink(),
                "no link in a copy: {}",
                e.path().display()
            );
            if kind.is_dir() {
                stack.push(e.path());
            } else {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .expect("under")
                    .display()
                    .to_string();
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one repository, every rule of the copy checked on it"
)]
fn links_out_of_the_chart_are_left_out_and_named() {
    use std::os::unix::fs::symlink;
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    write(
        &repo.join("charts/web/Chart.yaml"),
        "name: web\ndependencies:\n- name: common\n  repository: file://../common\n- name: redis\n  alias: cache\n- name: outside\n  repository: file://../../../elsewhere\n",
    );
    write(
        &repo.join("charts/web/templates/svc.yaml"),
        "kind: Service\n",
    );
    write(&repo.join("charts/web/values.schema.json"), "{}");
    write(
        &repo.join("charts/web/charts/redis/Chart.yaml"),
        "name: redis\n",
    );
    write(
        &repo.join("charts/common/Chart.yaml"),
        "name: common\ntype: library\n",
    );
    write(
        &repo.join("charts/common/templates/_x.tpl"),
        "{{ define \"x\" }}{{ end }}\n",
    );
    write(&repo.join("values/prod.yaml"), "a: 1\n");
    write(&temp.path().join("elsewhere/Chart.yaml"), "name: outside\n");
    write(&temp.path().join("secret.txt"), "token\n");
    symlink(
        temp.path().join("secret.txt"),
        repo.join("charts/web/templates/secret.yaml"),
    )
    .expect("link");
    symlink("svc.yaml", repo.join("charts/web/templates/alias.yaml")).expect("link");
    let into = temp.path().join("copy");
    let budget = Budget::default();
    let mut copied = copy_release(
        &release(
            &repo,
            vec![
                Values::File {
                    path: repo.join("values/prod.yaml"),
                    name: "values/prod.yaml".into(),
                },
                Values::Inline {
                    text: "b: 2\n".into(),
                    written_in: "Application/argocd/web".into(),
                },
            ],
        ),
        &into,
        &RootDir::new(&repo),
        &budget,
    )
    .expect("copied");
    assert!(
        !into.exists(),
        "nothing is written before the copy is needed"
    );
    copied.write().expect("written");
    assert_eq!(
        files(&copied.chart),
        [
            "Chart.yaml",
            "charts/common/Chart.yaml",
            "charts/common/templates/_x.tpl",
            "charts/redis/Chart.yaml",
            "templates/alias.yaml",
            "templates/svc.yaml",
        ]
    );
    assert_eq!(
        std::fs::read_to_string(copied.chart.join("templates/alias.yaml")).expect("read"),
        "kind: Service\n",
        "a link inside the chart is copied as its target"
    );
    assert_eq!(copied.notes.len(), 2, "{:?}", copied.notes);
    assert!(
        copied.notes[0]
            .contains("charts/web/templates/secret.yaml is a symbolic link out of the chart")
    );
    assert!(copied.notes[1].contains("dependency outside"));
    let names: Vec<(&str, String)> = copied
        .tree
        .children
        .iter()
        .map(|c| (c.name.as_str(), c.shown.display().to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("common", "charts/common".to_string()),
            ("cache", "charts/web/charts/redis".to_string())
        ]
    );
    assert_eq!(
        copied
            .values
            .iter()
            .map(|v| std::fs::read_to_string(&v.path).expect("v"))
            .collect::<Vec<_>>(),
        ["a: 1\n", "b: 2\n"]
    );
    let found = copied
        .tree
        .find("web/charts/cache/templates/x.yaml")
        .expect("found");
    assert_eq!(
        (found.0.name.as_str(), found.1),
        ("cache", "templates/x.yaml")
    );
    assert!(
        copied
            .renames
            .iter()
            .any(|(_, to)| to == "values/prod.yaml")
    );
}

#[test]
fn a_folder_without_a_chart_is_refused() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    std::fs::create_dir_all(repo.join("charts/web")).expect("mkdir");
    let error = copy_release(
        &release(&repo, Vec::new()),
        &temp.path().join("copy"),
        &RootDir::new(&repo),
        &Budget::default(),
    )
    .expect_err("no chart");
    assert!(error.contains("no Chart.yaml"), "{error}");
}

/// Past its memory bound a copy is written as it is read: at most the bound held, and the copy
/// written in the end the same as one held whole.
#[test]
fn a_copy_past_its_memory_bound_is_written_through() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    write(&repo.join("charts/web/Chart.yaml"), "name: web\n");
    write(&repo.join("charts/web/files/big.txt"), &"x".repeat(100));
    write(
        &repo.join("charts/web/templates/svc.yaml"),
        "kind: Service\n",
    );
    write(&repo.join("values/prod.yaml"), "a: 1\n");
    let values = vec![Values::File {
        path: repo.join("values/prod.yaml"),
        name: "values/prod.yaml".into(),
    }];
    let release = release(&repo, values);
    let root = RootDir::new(&repo);
    let (held, through) = (temp.path().join("held"), temp.path().join("through"));
    let mut whole =
        copy_within(&release, &held, &root, &Budget::default(), MEMORY_BOUND).expect("held");
    let mut bounded =
        copy_within(&release, &through, &root, &Budget::default(), 64).expect("bound");
    assert!(!held.exists(), "a small copy is held until written");
    assert_eq!(
        files(&through),
        [
            "chart/Chart.yaml",
            "chart/files/big.txt",
            "chart/templates/svc.yaml",
            "values/0.yaml"
        ],
        "past the bound, what was held and what came after are written"
    );
    assert_eq!(bounded.copy.held(), 0);
    assert_eq!(bounded.files, whole.files, "the same digests");
    whole.write().expect("written");
    bounded.write().expect("written");
    assert_eq!(files(&held), files(&through));
    for name in files(&held) {
        assert_eq!(
            std::fs::read(held.join(&name)).expect("held"),
            std::fs::read(through.join(&name)).expect("through"),
            "{name}"
        );
    }
}

/// A dependency's copy is `charts/NAME`: a name that would put it elsewhere is not copied.
#[test]
fn a_dependency_named_out_of_the_copy_is_not_copied() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    write(
        &repo.join("charts/web/Chart.yaml"),
        "name: web\ndependencies:\n- name: ../../../../escaped\n  repository: file://../common\n- name: /tmp/escaped\n  repository: file://../common\n",
    );
    write(&repo.join("charts/common/Chart.yaml"), "name: common\n");
    write(
        &repo.join("charts/common/templates/cm.yaml"),
        "kind: ConfigMap\n",
    );
    let into = temp.path().join("work/copy");
    let mut copied = copy_release(
        &release(&repo, Vec::new()),
        &into,
        &RootDir::new(&repo),
        &Budget::default(),
    )
    .expect("copy");
    copied.write().expect("written");
    assert_eq!(copied.notes.len(), 2, "{:?}", copied.notes);
    assert!(
        copied.notes[0].contains("no folder name"),
        "{}",
        copied.notes[0]
    );
    assert_eq!(
        files(temp.path().join("work").as_path()),
        ["copy/chart/Chart.yaml"]
    );
    assert!(!temp.path().join("escaped").exists());
    assert!(!Path::new("/tmp/escaped").exists());
}
