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
    let mut writer = Writer::new(&root, &budget, None);
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
    let mut writer = Writer::new(temp.path(), &budget, None);
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

/// In memory, a revision takes at most its room: the file past it is not written nor counted,
/// and the writer says so (the revision is then written to the temporary folder, the bytes
/// taken given back).
#[test]
fn a_revision_in_memory_stops_at_its_room() {
    let temp = tempfile::tempdir().expect("temp");
    let budget = Budget::default();
    let mut writer = Writer::new(temp.path(), &budget, Some(8));
    writer
        .write(&entry("a.yaml", "blob"), 5, &mut &b"12345"[..])
        .expect("fits");
    let past = writer
        .write(&entry("b.yaml", "blob"), 4, &mut &b"1234"[..])
        .expect_err("past the room");
    assert_eq!(past.kind(), std::io::ErrorKind::StorageFull);
    assert!(writer.no_room && writer.refused.is_none());
    assert_eq!(writer.taken, 5);
    assert!(!temp.path().join("b.yaml").exists());
    budget.give_back(writer.taken);
    assert!(
        budget.take(crate::source::read::MAX_RUN_BYTES),
        "all given back"
    );
    // On disk there is no room to run out of.
    let mut disk = Writer::new(temp.path(), &budget, None);
    assert!(
        disk.write(&entry("c.yaml", "blob"), 4, &mut &b"1234"[..])
            .is_err()
    );
    assert!(!disk.no_room, "the budget refused it, not the room");
}
