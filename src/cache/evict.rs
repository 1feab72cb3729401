//! Keeping the cache folder under its size cap: after a run that wrote entries, the entries are
//! listed, and while their sizes add up to more than the cap, the least recently used go (an
//! entry's modification time is set when it is used). Temporary files that a killed run left
//! behind go too, once they are an hour old.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How old a temporary file must be to be taken for one a killed run left.
const STALE: Duration = Duration::from_secs(3600);

/// Bring the entries of `spaces` under `dir` to at most `cap` bytes: down to three quarters of
/// it, so that the next runs do not evict again at once.
pub fn evict(dir: &Path, spaces: &[&str], cap: u64) {
    let mut entries: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
    let now = SystemTime::now();
    for space in spaces {
        for shard in list(&dir.join(space)) {
            for file in list(&shard) {
                let Ok(meta) = std::fs::symlink_metadata(&file) else {
                    continue;
                };
                if !meta.is_file() {
                    continue;
                }
                let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                let temporary = file
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(super::TEMP_PREFIX));
                if temporary {
                    if now.duration_since(modified).is_ok_and(|age| age > STALE) {
                        let _ = std::fs::remove_file(&file);
                    }
                    continue;
                }
                entries.push((modified, meta.len(), file));
            }
        }
    }
    let mut total: u64 = entries.iter().map(|(_, size, _)| size).sum();
    if total <= cap {
        return;
    }
    let target = cap / 4 * 3;
    entries.sort();
    for (_, size, file) in entries {
        if total <= target {
            break;
        }
        if std::fs::remove_file(&file).is_ok() {
            total = total.saturating_sub(size);
        }
    }
}

/// The entries of a folder, as paths; none when it cannot be read.
fn list(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(dir: &Path, name: &str, size: usize, age: u64) -> PathBuf {
        let path = dir.join("kustomize/ab").join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, vec![b'x'; size]).expect("write");
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_modified(SystemTime::now() - Duration::from_secs(age))
            .expect("time");
        path
    }

    #[test]
    fn the_least_recently_used_go_first_down_to_three_quarters_of_the_cap() {
        let dir = tempfile::tempdir().expect("temp");
        let oldest = entry(dir.path(), "a", 400, 300);
        let older = entry(dir.path(), "b", 400, 200);
        let newest = entry(dir.path(), "c", 400, 100);
        evict(dir.path(), &["kustomize"], 2000);
        assert!(
            oldest.exists() && older.exists() && newest.exists(),
            "under the cap"
        );
        evict(dir.path(), &["kustomize"], 1000);
        assert!(!oldest.exists() && !older.exists(), "down to 750 bytes");
        assert!(newest.exists());
    }

    #[test]
    fn temporary_files_of_killed_runs_go_once_stale() {
        let dir = tempfile::tempdir().expect("temp");
        let stale = entry(dir.path(), ".tmp-stale", 10, 7200);
        let fresh = entry(dir.path(), ".tmp-fresh", 10, 10);
        evict(dir.path(), &["kustomize"], 1 << 20);
        assert!(!stale.exists());
        assert!(fresh.exists(), "another run may be writing it");
    }
}
