//! The files of a release's private copy, by their path in it. While the copy is small they stay
//! in memory, so that a render the cache holds writes none of them ([`CopyFiles::write`] runs on a
//! miss only); past [`MEMORY_BOUND`] bytes, what is held is written to the copy's folder and every
//! later file straight through, so that a chart as large as the run's byte budget (a hostile
//! repository can make one) never sits in memory whole.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Bytes of one copy held in memory before it is written out. The 100 charts of
/// `cargo bench --bench render` hold 1.5 KB each; the largest chart of `../shared/corpus`
/// (Istio's `base`, its CRDs in one 0.95 MB file) about 1 MB: all are held, with four times
/// the largest to spare. Renders run as many at a time as there are cores, so one run holds
/// at most that many times this.
pub const MEMORY_BOUND: usize = 4 << 20;

/// The files of one copy, all under its folder.
#[derive(Debug)]
pub struct CopyFiles {
    /// lbplan's fresh folder the copy is made in: no file is written anywhere else.
    folder: PathBuf,
    /// Every file of the copy: its bytes while held, `None` once written.
    files: BTreeMap<PathBuf, Option<Vec<u8>>>,
    /// The bytes held.
    held: usize,
    /// Past it, what is held is written, and every later file as it comes.
    bound: usize,
    /// Whether the bound was passed.
    through: bool,
}

impl CopyFiles {
    /// The files of a copy in `folder`, holding at most `bound` bytes in memory.
    pub fn new(folder: &Path, bound: usize) -> CopyFiles {
        CopyFiles {
            folder: folder.to_path_buf(),
            files: BTreeMap::new(),
            held: 0,
            bound,
            through: false,
        }
    }

    /// File `path` of the copy holds `bytes`. A path out of the copy's folder (a name with `..`
    /// or a root in it, which the copier never makes) is refused, never written.
    pub fn add(&mut self, path: &Path, bytes: Vec<u8>) -> Result<(), String> {
        let inside = path
            .strip_prefix(&self.folder)
            .is_ok_and(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))));
        if !inside {
            return Err("a file of its copy would leave lbplan's folder; not copied".to_string());
        }
        if let Some(Some(before)) = self.files.get(path) {
            self.held = self.held.saturating_sub(before.len());
        }
        let held = self.held.saturating_add(bytes.len());
        if !self.through && held <= self.bound {
            self.held = held;
            self.files.insert(path.to_path_buf(), Some(bytes));
            return Ok(());
        }
        self.through = true;
        self.write()?;
        write_file(path, &bytes)?;
        self.files.insert(path.to_path_buf(), None);
        Ok(())
    }

    /// Write every file held.
    pub fn write(&mut self) -> Result<(), String> {
        for (path, held) in &mut self.files {
            if let Some(bytes) = held.take() {
                write_file(path, &bytes)?;
            }
        }
        self.held = 0;
        Ok(())
    }

    /// Whether the copy has file `path`.
    pub fn contains(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    /// The names in folder `dir` of the copy, sorted.
    pub fn entries(&self, dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for path in self.files.keys() {
            let first = path
                .strip_prefix(dir)
                .ok()
                .and_then(|rest| rest.components().next());
            let Some(first) = first else { continue };
            let name = first.as_os_str().to_string_lossy().into_owned();
            if names.last() != Some(&name) {
                names.push(name);
            }
        }
        names
    }

    /// The bytes held in memory.
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.held
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(path, bytes).map_err(|e| e.to_string())
}
