use super::*;

fn entry(path: &str, kind: &str) -> TreeEntry {
    TreeEntry {
        mode: "100644".into(),
        kind: kind.into(),
        oid: "0".into(),
        path: path.as_bytes().to_vec(),
    }
}

#[test]
fn what_lbplan_kustomize_or_helm_reads_is_written() {
    let entries = [
        entry("a.yaml", "blob"),
        entry("src/main.go", "blob"),
        entry("docs/x.JSON", "blob"),
        entry(".gitignore", "blob"),
        entry("k/base/kustomization.yaml", "blob"),
        entry("k/base/app.env", "blob"),
        entry("k/base/sub/cert.pem", "blob"),
        entry("k/other.env", "blob"),
        entry("k/based/x.env", "blob"),
        entry("charts/web/Chart.yaml", "blob"),
        entry("charts/web/templates/_helpers.tpl", "blob"),
        entry("charts/web/README.md", "blob"),
        entry("yaml", "blob"),
        entry("vendor/lib", "commit"),
    ];
    let paths: Vec<String> = selected(&entries).iter().map(|e| e.shown()).collect();
    assert_eq!(
        paths,
        [
            "a.yaml",
            "docs/x.JSON",
            "k/base/kustomization.yaml",
            "k/base/app.env",
            "k/base/sub/cert.pem",
            "charts/web/Chart.yaml",
            "charts/web/templates/_helpers.tpl",
            "charts/web/README.md",
        ]
    );
}

#[test]
fn folders_are_never_links() {
    let temp = tempfile::tempdir().expect("temp");
    let outside = temp.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    let root = temp.path().join("root");
    std::fs::create_dir(&root).expect("mkdir");
    let budget = Budget::default();
    let mut writer = Writer {
        root: &root,
        folders: HashSet::new(),
        budget: &budget,
        lfs: Vec::new(),
        refused: None,
    };
    let mut a = entry("a", "blob");
    a.mode = "120000".into();
    let target = outside.display().to_string();
    writer
        .write(&a, target.len() as u64, &mut target.as_bytes())
        .expect("the link itself");
    let through = entry("a/passwd.yaml", "blob");
    assert!(writer.write(&through, 1, &mut &b"x"[..]).is_err());
    assert!(writer.refused.take().is_some_and(|r| r.contains("clashes")));
    assert!(
        !outside.join("passwd.yaml").exists(),
        "nothing through the link"
    );
    // The same file twice: the second is refused, the first kept.
    let once = entry("b/c.yaml", "blob");
    writer.write(&once, 1, &mut &b"1"[..]).expect("first");
    assert!(writer.write(&once, 1, &mut &b"2"[..]).is_err());
    assert_eq!(std::fs::read(root.join("b/c.yaml")).expect("read"), b"1");
}

#[test]
fn what_is_written_counts_against_the_budget() {
    let temp = tempfile::tempdir().expect("temp");
    let budget = Budget::default();
    assert!(budget.take(crate::source::read::MAX_RUN_BYTES - 10));
    let mut writer = Writer {
        root: temp.path(),
        folders: HashSet::new(),
        budget: &budget,
        lfs: Vec::new(),
        refused: None,
    };
    writer
        .write(&entry("small.yaml", "blob"), 5, &mut &b"12345"[..])
        .expect("fits");
    assert!(
        writer
            .write(&entry("big.yaml", "blob"), 6, &mut &b"123456"[..])
            .is_err()
    );
    assert!(writer.refused.is_some_and(|r| r.contains("1 GiB")));
    assert!(!temp.path().join("big.yaml").exists());
}
