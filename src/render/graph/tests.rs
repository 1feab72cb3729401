use super::*;

/// Write `files` (path, text) under a temporary folder.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn roots(dir: &Path, names: &[&str]) -> Vec<Root> {
    names.iter().map(|n| Root::new(dir.join(n), *n)).collect()
}

fn names(plan: &Plan) -> Vec<&str> {
    plan.overlays.iter().map(|o| o.name.as_str()).collect()
}

const SHOP: &[(&str, &str)] = &[
    (
        "base/kustomization.yaml",
        "resources: [svc.yaml]\nconfigMapGenerator:\n- name: c\n  files: [a.conf]\n",
    ),
    ("base/svc.yaml", "kind: Service\n"),
    ("base/a.conf", "x\n"),
    ("base/unused.yaml", "kind: Service\n"),
    (
        "components/c/kustomization.yaml",
        "kind: Component\npatches:\n- path: p.yaml\n",
    ),
    ("components/c/p.yaml", "kind: Service\n"),
    ("components/lonely/kustomization.yaml", "kind: Component\n"),
    (
        "overlays/prod/kustomization.yaml",
        "resources: [../../base]\ncomponents: [../../components/c]\npatchesStrategicMerge: [lb.yaml]\n",
    ),
    ("overlays/prod/lb.yaml", "kind: Service\n"),
    (
        "overlays/dev/Kustomization",
        "resources:\n- ../../base\n- github.com/org/repo//x?ref=v1\n",
    ),
];

#[test]
fn bases_and_components_are_not_leaves() {
    let dir = repo(SHOP);
    let all = [
        "base",
        "components/c",
        "components/lonely",
        "overlays/dev",
        "overlays/prod",
    ];
    let plan = leaves(&roots(dir.path(), &all), &RootDir::new(dir.path()));
    assert_eq!(names(&plan), ["overlays/dev", "overlays/prod"]);
    let lonely: Vec<_> = plan
        .unused_components
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(lonely, ["components/lonely"]);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let real = std::fs::canonicalize(dir.path()).expect("real");
    let rel = |paths: &[PathBuf]| -> Vec<String> {
        paths
            .iter()
            .map(|p| p.strip_prefix(&real).expect("inside").display().to_string())
            .collect()
    };
    let prod = &plan.overlays[1];
    assert_eq!(
        rel(&prod.files),
        [
            "base/a.conf",
            "base/kustomization.yaml",
            "base/svc.yaml",
            "components/c/kustomization.yaml",
            "components/c/p.yaml",
            "overlays/prod/kustomization.yaml",
            "overlays/prod/lb.yaml",
        ]
    );
    assert_eq!(plan.overlays[0].remote, ["github.com/org/repo//x?ref=v1"]);
    let referenced: Vec<PathBuf> = plan.referenced.iter().cloned().collect();
    assert!(!rel(&referenced).contains(&"base/unused.yaml".to_string()));
    assert!(rel(&referenced).contains(&"overlays/dev/Kustomization".to_string()));
}

#[test]
fn a_base_alone_in_the_inputs_is_a_leaf() {
    let dir = repo(SHOP);
    let plan = leaves(&roots(dir.path(), &["base"]), &RootDir::new(dir.path()));
    assert_eq!(names(&plan), ["base"]);
    // Its overlays are outside the inputs: they do not make it a base here.
}

#[test]
fn named_overlays_render_even_when_referenced() {
    let dir = repo(SHOP);
    let plan = named(
        &roots(dir.path(), &["base", "overlays/prod", "nowhere"]),
        &RootDir::new(dir.path()),
    );
    assert_eq!(names(&plan), ["base", "overlays/prod"]);
    assert_eq!(plan.problems.len(), 1);
    assert!(plan.problems[0].1.contains("not a kustomization"));
}

#[test]
fn cycles_are_rendered_so_kustomize_reports_them() {
    let dir = repo(&[
        ("a/kustomization.yaml", "resources: [../b]\n"),
        ("b/kustomization.yaml", "resources: [../a]\n"),
        ("c/kustomization.yaml", "resources: [../c]\n"),
    ]);
    let plan = leaves(&roots(dir.path(), &["a", "b", "c"]), &RootDir::anywhere());
    assert_eq!(names(&plan), ["a", "b", "c"]);
}

#[test]
fn unreadable_kustomizations_are_problems() {
    let dir = repo(&[("a/kustomization.yaml", "resources: base\n")]);
    let plan = leaves(&roots(dir.path(), &["a"]), &RootDir::anywhere());
    assert_eq!(names(&plan), ["a"]);
    assert!(plan.problems[0].1.contains("should be a list"));
}

#[test]
fn a_graph_that_leaves_the_root_is_refused_naming_the_entry() {
    let outside = repo(&[
        ("kustomization.yaml", "resources: [secret.yaml]\n"),
        ("secret.yaml", "kind: Secret\n"),
    ]);
    let dir = repo(&[
        ("base/kustomization.yaml", "resources: [svc.yaml]\n"),
        ("base/svc.yaml", "kind: Service\n"),
        (
            "overlays/up/kustomization.yaml",
            "resources: [../../base, ../../../../../../../etc]\n",
        ),
        (
            "overlays/fine/kustomization.yaml",
            "resources: [../../base]\n",
        ),
    ]);
    #[cfg(unix)]
    {
        std::fs::create_dir_all(dir.path().join("overlays/link")).expect("mkdir");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).expect("link");
        std::fs::write(
            dir.path().join("overlays/link/kustomization.yaml"),
            "resources: [../../elsewhere]\n",
        )
        .expect("write");
    }
    let root = RootDir::new(dir.path());
    let plan = leaves(
        &roots(
            dir.path(),
            &["base", "overlays/up", "overlays/fine", "overlays/link"],
        ),
        &root,
    );
    let by_name = |n: &str| {
        plan.overlays
            .iter()
            .find(|o| o.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert!(by_name("overlays/fine").escapes.is_empty());
    let up = &by_name("overlays/up").escapes;
    assert_eq!(up.len(), 1, "{up:?}");
    assert!(
        up[0].starts_with("`../../../../../../../etc` in "),
        "{up:?}"
    );
    assert!(up[0].contains("overlays/up/kustomization.yaml"), "{up:?}");
    #[cfg(unix)]
    {
        let link = &by_name("overlays/link").escapes;
        assert!(link[0].contains("through a symbolic link"), "{link:?}");
        // Nothing outside was read: its secret is no file of the plan.
        assert!(
            plan.referenced.iter().all(|p| !p.ends_with("secret.yaml")),
            "{:?}",
            plan.referenced
        );
    }
}
