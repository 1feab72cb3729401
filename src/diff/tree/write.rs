//! Writing a revision's entries under its root: folders one component at a time, each a real
//! folder; files created new, never through a link; every byte counted against the run's budget.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::{TreeEntry, components, file_name, lbplan_reads, parent};
use crate::source::read::Budget;

/// Writes a revision's entries under its root, never through a link.
pub(super) struct Writer<'a> {
    root: &'a Path,
    /// Folders made so far (relative to the root).
    folders: HashSet<Vec<u8>>,
    budget: &'a Budget,
    pub(super) lfs: Vec<String>,
    /// Why the revision was refused while it was written.
    pub(super) refused: Option<String>,
    /// In memory: the most its files may take there.
    room: Option<u64>,
    /// The bytes taken from the budget so far.
    pub(super) taken: u64,
    /// Set when the memory folder had no room for the next file (or a write found it full).
    pub(super) no_room: bool,
}

impl<'a> Writer<'a> {
    /// A writer under `root`; `room`, the most its files may take (in memory).
    pub(super) fn new(root: &'a Path, budget: &'a Budget, room: Option<u64>) -> Writer<'a> {
        Writer {
            root,
            folders: HashSet::new(),
            budget,
            lfs: Vec::new(),
            refused: None,
            room,
            taken: 0,
            no_room: false,
        }
    }

    /// Write one entry; in memory, a full file system is no room rather than a failure.
    pub(super) fn write(
        &mut self,
        entry: &TreeEntry,
        size: u64,
        body: &mut dyn Read,
    ) -> std::io::Result<()> {
        let written = self.write_entry(entry, size, body);
        if let Err(e) = &written {
            let full = matches!(
                e.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            );
            self.no_room |= full && self.room.is_some();
        }
        written
    }

    fn write_entry(
        &mut self,
        entry: &TreeEntry,
        size: u64,
        body: &mut dyn Read,
    ) -> std::io::Result<()> {
        let refuse = |this: &mut Self, why: String| {
            this.refused = Some(why.clone());
            Err(std::io::Error::other(why))
        };
        // Past the room: the file system's own "full", which `write` turns into no room.
        if self
            .room
            .is_some_and(|room| self.taken.saturating_add(size) > room)
        {
            return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
        }
        self.taken = self.taken.saturating_add(size);
        if !self.budget.take(size) {
            return refuse(
                self,
                format!(
                    "writing it would take the run past {} GiB, the limit for one run (at {})",
                    crate::source::read::MAX_RUN_BYTES >> 30,
                    entry.shown()
                ),
            );
        }
        let path = match self.folder_of(entry) {
            Ok(folder) => folder.join(os(file_name(&entry.path))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return refuse(self, clash(entry));
            }
            Err(e) => return Err(e),
        };
        if entry.is_link() {
            let mut target = Vec::new();
            body.read_to_end(&mut target)?;
            return match link(&target, &path) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    refuse(self, clash(entry))
                }
                other => other,
            };
        }
        // A new file: never one that exists, never through a link.
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return refuse(self, clash(entry));
            }
            other => other?,
        };
        if size < 200 && lbplan_reads(&entry.path) {
            let mut text = Vec::new();
            body.read_to_end(&mut text)?;
            if text.starts_with(b"version https://git-lfs.github.com/spec/") {
                self.lfs.push(entry.shown());
            }
            file.write_all(&text)?;
        } else {
            std::io::copy(body, &mut file)?;
        }
        // Read later by the side's walk: already counted, not again.
        if let Ok(meta) = file.metadata() {
            self.budget.mark_counted(&meta);
        }
        Ok(())
    }

    /// The entry's folder, made one component at a time: each must be a real folder, never a
    /// link or a file another entry wrote.
    fn folder_of(&mut self, entry: &TreeEntry) -> std::io::Result<PathBuf> {
        let mut folder = self.root.to_path_buf();
        let mut so_far: Vec<u8> = Vec::new();
        let parent = parent(&entry.path);
        if parent.is_empty() {
            return Ok(folder);
        }
        for part in components(parent) {
            folder.push(os(part));
            if !so_far.is_empty() {
                so_far.push(b'/');
            }
            so_far.extend_from_slice(part);
            if self.folders.contains(&so_far) {
                continue;
            }
            real_folder(&folder)?;
            self.folders.insert(so_far.clone());
        }
        Ok(folder)
    }
}

/// Make `folder` (its parent exists), or accept it when it already is a real folder; a link or
/// a file there is `AlreadyExists`.
pub(super) fn real_folder(folder: &Path) -> std::io::Result<()> {
    match std::fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if std::fs::symlink_metadata(folder).is_ok_and(|m| m.is_dir()) {
                Ok(())
            } else {
                Err(e)
            }
        }
        Err(e) => Err(e),
    }
}

fn clash(entry: &TreeEntry) -> String {
    format!(
        "tree entry {} clashes with another entry of the same name, or with a link or file where a folder of its path is; lbplan never writes through a link or over a file",
        entry.shown()
    )
}

#[cfg(unix)]
fn os(bytes: &[u8]) -> &std::ffi::OsStr {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes)
}

#[cfg(not(unix))]
fn os(bytes: &[u8]) -> std::ffi::OsString {
    std::ffi::OsString::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(unix)]
fn link(target: &[u8], at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(os(target), at)
}

#[cfg(not(unix))]
fn link(_target: &[u8], _at: &Path) -> std::io::Result<()> {
    Ok(())
}
