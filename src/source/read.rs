//! Reading an input's bytes, safely: only regular files (and standard input), each at most
//! [`MAX_FILE_BYTES`], a run at most [`MAX_RUN_BYTES`]: the files read, the streams the
//! Kustomize renderer printed and the files written for a git revision, all in one [`Budget`].
//!
//! A named pipe, a device such as `/dev/zero` or a socket could block the read forever or never
//! end, so it is refused before a byte is read: the file is opened without blocking and its type
//! taken from the open handle (not from the path, which could be swapped in between). Standard
//! input is the one stream lbplan reads; `/dev/stdin` and `/proc/self/fd/0` given as a PATH mean
//! it too. The reads themselves are bounded, so a file that grows while it is read cannot grow
//! lbplan's memory past the limit either.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The most lbplan reads of one file or of standard input: 256 MiB.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// The most lbplan reads in one run, all files together: 1 GiB.
pub const MAX_RUN_BYTES: u64 = 1 << 30;

/// Paths that name lbplan's own standard input.
const STDIN_ALIASES: [&str; 3] = ["/dev/stdin", "/proc/self/fd/0", "/dev/fd/0"];

/// Whether `path`, given as a PATH, means standard input.
pub fn is_stdin_alias(path: &Path) -> bool {
    STDIN_ALIASES.iter().any(|alias| path.as_os_str() == *alias)
}

/// The bytes a run has taken in so far, against [`MAX_RUN_BYTES`]: every file read, every
/// rendered stream, every file written for a git revision, each once. One per run (both sides
/// of a diff share it), shared by the reading and rendering threads.
#[derive(Debug, Default)]
pub struct Budget {
    used: AtomicU64,
    exceeded: AtomicBool,
    /// The files counted so far, by device and inode: a file the two sides of a diff both read,
    /// or one written for a revision and then read, counts once. Also what `--output` may not
    /// name.
    counted: Mutex<HashSet<(u64, u64)>>,
    /// Files read ahead of the run's own read (the GitOps scan reads every file first), by their
    /// absolute path (the two sides of a diff name their files alike, from their own working
    /// folders): the load takes each from here instead of reading it again.
    kept: Mutex<Kept>,
    /// Folder walks made ahead of the run's own discovery (the GitOps scan's), likewise.
    walks: crate::source::discover::Walks,
}

/// The bytes kept for a later read, and their total (at most [`MAX_KEPT_BYTES`]).
#[derive(Debug, Default)]
struct Kept {
    /// By the bytes of the absolute path ([`Here::key`]): hashed in one pass and compared with
    /// memcmp, where a `PathBuf` key hashes and compares component by component (a lookup per
    /// file of a run, on the one thread that schedules the reads).
    files: HashMap<OsString, Vec<u8>>,
    bytes: usize,
}

/// The most a run keeps for a later read: past it, files are read from disk again rather than
/// held (keeping all of a large repository's bytes raised its peak memory by their size).
const MAX_KEPT_BYTES: usize = 32 << 20;

/// A file's identity: its device and inode.
#[cfg(unix)]
pub fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub fn file_id(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

impl Budget {
    /// Take `bytes` from the budget; false (and the budget marked exceeded) when they do not fit.
    pub fn take(&self, bytes: u64) -> bool {
        let before = self.used.fetch_add(bytes, Ordering::Relaxed);
        let fits = before.saturating_add(bytes) <= MAX_RUN_BYTES;
        if !fits {
            self.exceeded.store(true, Ordering::Relaxed);
        }
        fits
    }

    /// Give back `bytes` taken for files that were then removed unread (a revision written again
    /// elsewhere).
    pub fn give_back(&self, bytes: u64) {
        let _ = self
            .used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                Some(used.saturating_sub(bytes))
            });
    }

    /// Take the file's size, unless the file was counted already; false when it does not fit.
    fn take_file(&self, meta: &std::fs::Metadata) -> bool {
        if !self.mark_counted(meta) {
            return true;
        }
        self.take(meta.len())
    }

    /// Record a file as counted (its bytes taken already, as a revision's file is when it is
    /// written); true when it was not counted before.
    pub fn mark_counted(&self, meta: &std::fs::Metadata) -> bool {
        let Some(id) = file_id(meta) else {
            return true;
        };
        self.counted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(id)
    }

    /// Whether the file is one the run read (or wrote for a revision): the same file, by device
    /// and inode, whatever its name or links.
    pub fn holds(&self, meta: &std::fs::Metadata) -> bool {
        file_id(meta).is_some_and(|id| {
            self.counted
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(&id)
        })
    }

    /// Keep the bytes of `path`, read (and counted) already, for the one later read of it.
    /// Past [`MAX_KEPT_BYTES`] kept, nothing more is.
    pub fn keep(&self, here: &Here, path: &Path, bytes: Vec<u8>) {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let total = kept.bytes.saturating_add(bytes.len());
        if total <= MAX_KEPT_BYTES {
            kept.bytes = total;
            kept.files.insert(here.key(path), bytes);
        }
    }

    /// The folder walks the run made ahead, for its discovery to take.
    pub fn walks(&self) -> &crate::source::discover::Walks {
        &self.walks
    }

    /// Let go of the bytes kept and not taken.
    pub fn forget_kept(&self) {
        std::mem::take(
            &mut *self
                .kept
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }

    /// How many bytes `path` has: those kept of it, else its size on disk (0 when it has none);
    /// for scheduling the largest files first, before any is read.
    pub fn size_of(&self, here: &Here, path: &Path) -> u64 {
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .files
            .get(&here.key(path))
            .map(Vec::len);
        match kept {
            Some(len) => len as u64,
            None => std::fs::metadata(path).map_or(0, |m| m.len()),
        }
    }

    fn take_kept(&self, here: &Here, path: &Path) -> Option<Vec<u8>> {
        // The total stays: bytes taken are held by the run's read until it parses them.
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .files
            .remove(&here.key(path))
    }

    /// Whether the run exceeded [`MAX_RUN_BYTES`]. That depends only on the total size of what
    /// it took in, never on the order it was read or rendered in.
    pub fn exceeded(&self) -> bool {
        self.exceeded.load(Ordering::Relaxed)
    }
}

/// `path` against the working folder now: what names one file whichever side of a diff's
/// folder is entered later.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The working folder, taken once for a batch of files (a diff enters each side's folder between
/// batches, never during one): [`absolute`] for each of thousands of files asked the kernel for
/// it each time.
#[derive(Debug)]
pub struct Here(Option<PathBuf>);

impl Here {
    pub fn now() -> Here {
        Here(std::env::current_dir().ok())
    }

    /// [`absolute`] against this folder, as the key of a kept file. The same file is named by the
    /// same path when kept and when taken (both come from one walk); a path spelled otherwise
    /// only misses, and the file is read from disk.
    fn key(&self, path: &Path) -> OsString {
        match &self.0 {
            Some(cwd) if !path.is_absolute() => cwd.join(path).into_os_string(),
            _ => path.as_os_str().to_os_string(),
        }
    }
}

/// Why an input was not read; the message names no path (the caller does).
pub type ReadError = String;

/// Why a file was not read: it could not be (`unreadable`: a broken symbolic link, no read
/// permission, an I/O error), or lbplan refused it (not a regular file, over a limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRead {
    pub message: ReadError,
    pub unreadable: bool,
}

impl From<ReadError> for NotRead {
    /// A refusal.
    fn from(message: ReadError) -> NotRead {
        NotRead {
            message,
            unreadable: false,
        }
    }
}

/// [`read_file`], taking the bytes [`Budget::keep`] kept of `path` when there are any: a file
/// is read from disk once a run. A file kept was read and counted already, so the answer is the
/// one reading it again would give (the run's limit included).
pub fn read_kept(path: &Path, here: &Here, budget: &Budget) -> Result<Vec<u8>, NotRead> {
    if budget.exceeded() {
        return Err(run_limit().into());
    }
    match budget.take_kept(here, path) {
        Some(bytes) => Ok(bytes),
        None => read_file(path, budget),
    }
}

/// The bytes of the regular file at `path`.
pub fn read_regular(path: &Path, budget: &Budget) -> Result<Vec<u8>, ReadError> {
    read_file(path, budget).map_err(|e| e.message)
}

/// [`read_regular`], saying whether a failure is the file's (it cannot be read) or lbplan's
/// refusal.
pub fn read_file(path: &Path, budget: &Budget) -> Result<Vec<u8>, NotRead> {
    let unreadable = |message: String| NotRead {
        message,
        unreadable: true,
    };
    if budget.exceeded() {
        return Err(run_limit().into());
    }
    let file = open_without_blocking(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::IsADirectory => NotRead::from("is a folder".to_string()),
        _ => unreadable(e.to_string()),
    })?;
    let meta = file.metadata().map_err(|e| unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(not_regular(&meta).into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()).into());
    }
    if !budget.take_file(&meta) {
        return Err(run_limit().into());
    }
    let bytes = read_bounded(file, meta.len())?;
    // A file that grew since its size was taken counts what was really read.
    let grown = (bytes.len() as u64).saturating_sub(meta.len());
    if grown > 0 && !budget.take(grown) {
        return Err(run_limit().into());
    }
    Ok(bytes)
}

/// Standard input, to its end or to the limit.
pub fn read_stdin(budget: &Budget) -> Result<Vec<u8>, ReadError> {
    let bytes = read_bounded(std::io::stdin().lock(), 0)
        .map_err(|e| format!("cannot read standard input: {}", e.message))?;
    if !budget.take(bytes.len() as u64) {
        return Err(run_limit());
    }
    Ok(bytes)
}

/// A whole config file as text, under the same rules as manifests.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    read_text_counted(path, &Budget::default())
}

/// A whole file as text, counted against `budget`.
pub fn read_text_counted(path: &Path, budget: &Budget) -> Result<String, ReadError> {
    let bytes = read_regular(path, budget)?;
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_string())
}

/// Read to the end, or to one byte past the limit; `expected` (the file's size) sizes the buffer
/// once, as `std::fs::read` does.
fn read_bounded(source: impl Read, expected: u64) -> Result<Vec<u8>, NotRead> {
    let capacity = usize::try_from(expected.min(MAX_FILE_BYTES)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity.saturating_add(1));
    source
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| NotRead {
            message: e.to_string(),
            unreadable: true,
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64).into());
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Opening a FIFO for reading blocks until a writer comes; O_NONBLOCK returns at once, and has
    // no effect on reading a regular file.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

fn not_regular(meta: &std::fs::Metadata) -> ReadError {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "not a regular file but a pipe; lbplan reads a stream only on standard input: pipe it in and name it `-` (`... | lbplan lint -`)".into();
        }
        if t.is_char_device() || t.is_block_device() {
            return "not a regular file but a device; skipped".into();
        }
        if t.is_socket() {
            return "not a regular file but a socket; skipped".into();
        }
    }
    if meta.is_dir() {
        return "is a folder".into();
    }
    "not a regular file; skipped".into()
}

fn too_big(bytes: u64) -> ReadError {
    format!(
        "larger than {} MiB, the limit for one file ({} MiB or more); not read",
        MAX_FILE_BYTES >> 20,
        bytes >> 20
    )
}

fn run_limit() -> ReadError {
    format!(
        "not read: the inputs of this run exceed {} GiB, the limit for one run; lint them in parts",
        MAX_RUN_BYTES >> 30
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_aliases() {
        assert!(is_stdin_alias(Path::new("/dev/stdin")));
        assert!(is_stdin_alias(Path::new("/proc/self/fd/0")));
        assert!(!is_stdin_alias(Path::new("/dev/stdin2")));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let err = read_regular(Path::new("/dev/zero"), &Budget::default()).expect_err("device");
        assert!(err.contains("device"), "{err}");
    }

    #[test]
    fn a_file_counts_once() {
        let temp = tempfile::tempdir().expect("temp");
        let file = temp.path().join("a.yaml");
        std::fs::write(&file, "x: 1\n").expect("write");
        let budget = Budget::default();
        read_regular(&file, &budget).expect("read");
        read_regular(&file, &budget).expect("again");
        assert_eq!(budget.used.load(Ordering::Relaxed), 5);
        let meta = std::fs::metadata(&file).expect("meta");
        assert!(budget.holds(&meta));
        #[cfg(unix)]
        {
            // A hard link is the same file.
            let link = temp.path().join("b.yaml");
            std::fs::hard_link(&file, &link).expect("link");
            assert!(budget.holds(&std::fs::metadata(&link).expect("meta")));
        }
    }

    #[test]
    fn a_relative_path_is_kept_against_the_working_folder_taken_once() {
        // The test runs in the crate's folder: `Cargo.toml` is a relative path to a real file.
        let budget = Budget::default();
        let here = Here::now();
        let path = Path::new("Cargo.toml");
        let disk = std::fs::read(path).expect("Cargo.toml");
        budget.keep(&here, path, b"kept".to_vec());
        // Another spelling is another key: it misses, and the file is read from disk.
        assert_eq!(
            read_kept(Path::new("./Cargo.toml"), &here, &budget).expect("disk"),
            disk
        );
        let absolute = std::env::current_dir().expect("cwd").join(path);
        assert_eq!(read_kept(&absolute, &here, &budget).expect("kept"), b"kept");
        assert_eq!(read_kept(path, &here, &budget).expect("disk"), disk);
    }

    #[test]
    fn a_kept_file_is_taken_once_and_not_counted_again() {
        let temp = tempfile::tempdir().expect("temp");
        let file = temp.path().join("a.yaml");
        std::fs::write(&file, "x: 1\n").expect("write");
        let budget = Budget::default();
        let here = Here::now();
        let bytes = read_file(&file, &budget).expect("read");
        // Kept bytes that differ from the disk's show which one the read took.
        budget.keep(&here, &file, b"x: 2\n".to_vec());
        assert_eq!(read_kept(&file, &here, &budget).expect("kept"), b"x: 2\n");
        assert_eq!(read_kept(&file, &here, &budget).expect("disk"), bytes);
        assert_eq!(budget.used.load(Ordering::Relaxed), 5);
        budget.keep(&here, &file, bytes.clone());
        budget.forget_kept();
        assert_eq!(read_kept(&file, &here, &budget).expect("disk"), bytes);
        // Past the most kept, a file is left to be read again.
        budget.keep(&here, &file, vec![b'x'; MAX_KEPT_BYTES + 1]);
        assert_eq!(read_kept(&file, &here, &budget).expect("disk"), bytes);
        // Over the run's limit, a kept file is refused as a read would be.
        budget.keep(&here, &file, bytes);
        assert!(!budget.take(MAX_RUN_BYTES));
        let err = read_kept(&file, &here, &budget).expect_err("over the limit");
        assert!(err.message.contains("limit for one run"), "{}", err.message);
    }

    #[test]
    fn the_run_budget_is_a_total() {
        let budget = Budget::default();
        assert!(budget.take(MAX_RUN_BYTES - 1));
        assert!(!budget.exceeded());
        assert!(!budget.take(2));
        assert!(budget.exceeded());
    }
}
