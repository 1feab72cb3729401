use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::*;

fn some_key(n: u8) -> Key {
    let id = Identity {
        path: PathBuf::from("/bin/k"),
        real: PathBuf::from("/bin/k"),
        size: 1,
        modified: 1,
    };
    key(KUSTOMIZE, (&id, "v1"), &[], &[("k".into(), vec![n])], &[])
}

#[test]
fn entries_come_back_whole_and_damaged_ones_are_misses_then_replaced() {
    let dir = tempfile::tempdir().expect("temp");
    let cache = dir.path().join("lbplan");
    let store = Store::new(Some(cache.clone()), None, DEFAULT_CAP);
    let key = some_key(1);
    assert!(store.get(KUSTOMIZE, &key).is_none());
    store.put(KUSTOMIZE, &key, b"stream");
    assert_eq!(store.get(KUSTOMIZE, &key).as_deref(), Some(&b"stream"[..]));
    assert!(cache.join("CACHEDIR.TAG").is_file());
    // Another process (another store) on the same folder sees it.
    let other = Store::new(Some(cache.clone()), None, DEFAULT_CAP);
    assert_eq!(other.get(KUSTOMIZE, &key).as_deref(), Some(&b"stream"[..]));
    // Truncated: a miss, and the next write replaces it.
    let path = entry_path(&cache, KUSTOMIZE, &key);
    let bytes = std::fs::read(&path).expect("entry");
    std::fs::write(&path, &bytes[..bytes.len() - 2]).expect("truncate");
    assert!(store.get(KUSTOMIZE, &key).is_none());
    store.put(KUSTOMIZE, &key, b"stream");
    assert_eq!(store.get(KUSTOMIZE, &key).as_deref(), Some(&b"stream"[..]));
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(path.parent().expect("shard"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, [OsString::from(key.hex())]);
}

#[cfg(unix)]
#[test]
fn entries_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp");
    let store = Store::new(Some(dir.path().join("c")), None, DEFAULT_CAP);
    let key = some_key(2);
    store.put(KUSTOMIZE, &key, b"kind: Secret\n");
    let path = entry_path(&dir.path().join("c"), KUSTOMIZE, &key);
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().expect("shard")), 0o700);
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_serves_what_it_holds_and_writes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp");
    let cache = dir.path().join("c");
    let writer = Store::new(Some(cache.clone()), None, DEFAULT_CAP);
    writer.put(KUSTOMIZE, &some_key(1), b"one");
    let set = |p: &Path, mode| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    let folders = [
        cache.clone(),
        cache.join(KUSTOMIZE),
        entry_path(&cache, KUSTOMIZE, &some_key(1))
            .parent()
            .expect("shard")
            .to_path_buf(),
    ];
    for folder in &folders {
        set(folder, 0o500);
    }
    let reader = Store::new(Some(cache.clone()), None, DEFAULT_CAP);
    assert_eq!(
        reader.get(KUSTOMIZE, &some_key(1)).as_deref(),
        Some(&b"one"[..])
    );
    reader.put(KUSTOMIZE, &some_key(3), b"three");
    reader.finish();
    for folder in folders.iter().rev() {
        set(folder, 0o700);
    }
    // The run still has it, in memory.
    assert_eq!(
        reader.get(KUSTOMIZE, &some_key(3)).as_deref(),
        Some(&b"three"[..])
    );
    // Running as root, permissions do not stop the write; otherwise nothing was written.
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        let fresh = Store::new(Some(cache), None, DEFAULT_CAP);
        assert!(fresh.get(KUSTOMIZE, &some_key(3)).is_none());
    }
}

#[test]
fn a_folder_inside_the_repository_is_never_used() {
    let dir = tempfile::tempdir().expect("temp");
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
    // Started in a folder of the repository.
    std::fs::create_dir(repo.join("apps")).expect("mkdir");
    let store = Store::new(
        Some(repo.join(".cache/lbplan")),
        Some(repo.join("apps")),
        DEFAULT_CAP,
    );
    assert!(store.folder().is_none());
    assert!(
        store
            .note()
            .is_some_and(|n| n.contains("inside the repository")),
        "{:?}",
        store.note()
    );
    // Still shared within the run.
    store.put(KUSTOMIZE, &some_key(1), b"one");
    assert_eq!(
        store.get(KUSTOMIZE, &some_key(1)).as_deref(),
        Some(&b"one"[..])
    );
    assert!(!repo.join(".cache").exists());
    // Beside the repository is fine.
    let beside = Store::new(Some(dir.path().join("cache")), Some(repo), DEFAULT_CAP);
    assert!(beside.folder().is_some() && beside.note().is_none());
}

#[test]
fn the_folder_comes_from_the_variable_then_xdg_then_home() {
    let os = |s: &str| Some(OsString::from(s));
    let cwd = Path::new("/work");
    assert_eq!(
        folder_from(os("rel/c"), os("/x"), os("/h"), Some(cwd)),
        Some(PathBuf::from("/work/rel/c"))
    );
    assert_eq!(
        folder_from(None, os("/x"), os("/h"), Some(cwd)),
        Some(PathBuf::from("/x/lbplan"))
    );
    // A relative XDG_CACHE_HOME is invalid, as the XDG specification says.
    assert_eq!(
        folder_from(None, os("x"), os("/h"), Some(cwd)),
        Some(PathBuf::from("/h/.cache/lbplan"))
    );
    assert_eq!(folder_from(None, None, os("h"), Some(cwd)), None);
    assert_eq!(folder_from(None, None, None, Some(cwd)), None);
}

#[test]
fn versions_are_kept_by_the_renderer_identity() {
    let dir = tempfile::tempdir().expect("temp");
    let program = dir.path().join("kubectl");
    std::fs::write(&program, "#!/bin/sh\n").expect("write");
    let id = Identity::of(&program).expect("identity");
    let store = Store::new(Some(dir.path().join("c")), None, DEFAULT_CAP);
    assert_eq!(store.version(&id), None);
    store.put_version(&id, "kubectl v1.32.4 (Kustomize v5.5.0)");
    assert_eq!(
        store.version(&id).as_deref(),
        Some("kubectl v1.32.4 (Kustomize v5.5.0)")
    );
    std::fs::write(&program, "#!/bin/sh\n# rebuilt\n").expect("write");
    assert_eq!(store.version(&Identity::of(&program).expect("id")), None);
}

#[test]
fn no_cache_keeps_entries_in_memory_for_the_run() {
    let store = Store::memory();
    assert!(store.folder().is_none() && store.note().is_none());
    store.put(KUSTOMIZE, &some_key(1), b"one");
    assert_eq!(
        store.get(KUSTOMIZE, &some_key(1)).as_deref(),
        Some(&b"one"[..])
    );
    assert!(store.get(HELM, &some_key(1)).is_none(), "spaces are apart");
}
