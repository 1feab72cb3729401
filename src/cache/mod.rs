//! The render cache: renders kept by what they depend on, so that a render whose inputs did not
//! change is never run again (as Argo CD's repo-server caches manifests).
//!
//! An entry's [`Key`] is the SHA-256 of everything the render depends on (`key.rs`): the renderer
//! (its resolved path, the file's size and modification time, its version), lbplan's render
//! flags, every file the render reads, by its path relative to the rendered folder, and the
//! environment variables the renderer reads. The payload is the engine's (`render/cached.rs` for
//! Kustomize). A renderer's version is kept too, under the renderer's identity, so that a run
//! whose renders are all cached starts no process at all.
//!
//! Where it lives, and trust: `LBPLAN_CACHE_DIR`, else `$XDG_CACHE_HOME/lbplan`, else
//! `~/.cache/lbplan`; never inside the repository being linted (a pull request could plant
//! entries there), which leaves the run with a cache in memory only, and a note. The folder is
//! trusted like `~/.cargo`: whoever can write it decides what lbplan lints. Entries are written
//! to a temporary file and renamed (another lbplan reading meanwhile sees the old entry or the
//! new one, never half of one), checked against their checksum when read (a damaged one is a
//! miss, and is replaced), and evicted, least recently used first, past [`DEFAULT_CAP`].
//! Failures to write (a read-only folder, a full disk) only cost the next run its renders.
//!
//! `--no-cache` keeps entries in memory for the run only: the two sides of `lbplan diff` still
//! share them, and nothing is read from or written to disk.

mod entry;
mod evict;
mod in_flight;
mod key;

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub use in_flight::Claim;
#[cfg(test)]
pub use key::key;
pub use key::{Identity, Key, KeyBuilder, digest};

/// The most the cache folder holds: past it, the least recently used entries go.
pub const DEFAULT_CAP: u64 = 512 << 20;

/// The kinds of entries, each a folder of its own.
pub const KUSTOMIZE: &str = "kustomize";
pub const HELM: &str = "helm";
const VERSIONS: &str = "versions";
const SPACES: [&str; 3] = [KUSTOMIZE, HELM, VERSIONS];

/// The prefix of an entry being written.
const TEMP_PREFIX: &str = ".tmp-";

/// The variable that names the cache folder.
pub const DIR_VARIABLE: &str = "LBPLAN_CACHE_DIR";

/// Where the cache lives for a run, decided once, when first needed.
#[derive(Debug)]
enum Place {
    Disk(PathBuf),
    /// In memory only: `--no-cache`, no home folder, or a folder inside the repository.
    Memory,
}

/// Entries kept in memory for the run, by their space and key.
type Memory = HashMap<(&'static str, Key), Arc<[u8]>>;

/// The cache of one run, shared by its threads and by both sides of a diff.
pub struct Store {
    /// What the run was given: `--no-cache`, and the environment's folder.
    wanted: Option<PathBuf>,
    /// Where the run started (its working folder): the cache is never inside its repository.
    start: Option<PathBuf>,
    place: OnceLock<(Place, Option<String>)>,
    memory: Mutex<Memory>,
    in_flight: in_flight::InFlight,
    /// The digest of each file a key was made of, by its canonical path, for the run: overlays
    /// share bases and components, and `lbplan diff` keys the head's overlays twice (its
    /// prefetch, its read).
    digests: Mutex<HashMap<PathBuf, [u8; 32]>>,
    wrote: AtomicBool,
    cap: u64,
}

/// What [`Store::lookup`] found.
pub enum Lookup<'a> {
    Held(Arc<[u8]>),
    /// Not held: the caller makes the entry, and others asking meanwhile wait for it.
    Missing(Claim<'a>),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("wanted", &self.wanted)
            .field("place", &self.place.get())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// The cache as the environment places it (`LBPLAN_CACHE_DIR`, `XDG_CACHE_HOME`, `HOME`),
    /// in memory only with `no_cache`, and never inside the working folder's repository.
    /// Nothing is looked at on disk until the first render asks.
    pub fn from_env(no_cache: bool) -> Store {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let cwd = std::env::current_dir().ok();
        let wanted = if no_cache {
            None
        } else {
            folder_from(
                var(DIR_VARIABLE),
                var("XDG_CACHE_HOME"),
                var("HOME"),
                cwd.as_deref(),
            )
        };
        Store::new(wanted, cwd, DEFAULT_CAP)
    }

    /// A cache in `dir` (`None`: in memory only), never inside the repository that holds
    /// `start`, holding at most `cap` bytes.
    pub fn new(dir: Option<PathBuf>, start: Option<PathBuf>, cap: u64) -> Store {
        Store {
            wanted: dir,
            start,
            place: OnceLock::new(),
            memory: Mutex::new(HashMap::new()),
            in_flight: in_flight::InFlight::default(),
            digests: Mutex::new(HashMap::new()),
            wrote: AtomicBool::new(false),
            cap,
        }
    }

    /// A cache in memory only, for the run.
    pub fn memory() -> Store {
        Store::new(None, None, DEFAULT_CAP)
    }

    fn place(&self) -> &(Place, Option<String>) {
        self.place.get_or_init(|| {
            let Some(dir) = &self.wanted else {
                return (Place::Memory, None);
            };
            let repository = self
                .start
                .as_deref()
                .and_then(crate::source::confine::RootDir::repository_of);
            let inside = repository
                .is_some_and(|repo| real_as_far_as_it_exists(dir).starts_with(repo));
            if inside {
                let note = format!(
                    "the render cache folder {} is inside the repository, where a pull request could write entries: renders are cached for this run only (set {DIR_VARIABLE} to a folder outside it)",
                    crate::text::visible(&dir.display().to_string())
                );
                return (Place::Memory, Some(note));
            }
            (Place::Disk(dir.clone()), None)
        })
    }

    /// The folder entries are kept in, when on disk.
    pub fn folder(&self) -> Option<&Path> {
        match &self.place().0 {
            Place::Disk(dir) => Some(dir),
            Place::Memory => None,
        }
    }

    /// Why the cache is not on disk, when that is worth a note.
    pub fn note(&self) -> Option<&str> {
        self.place().1.as_deref()
    }

    /// The payload kept under `key` in `space`, if a whole entry is there.
    pub fn get(&self, space: &'static str, key: &Key) -> Option<Arc<[u8]>> {
        if let Some(kept) = self.in_memory(space, key) {
            return Some(kept);
        }
        let dir = self.folder()?;
        let path = entry_path(dir, space, key);
        let bytes = read_entry(&path)?;
        let payload = entry::decode(&bytes)?;
        // Used now: the last to be evicted. (A read-only folder keeps its times.)
        if let Ok(file) = std::fs::File::open(&path) {
            let _ = file.set_modified(std::time::SystemTime::now());
        }
        Some(Arc::from(payload))
    }

    /// The digest of the regular file at `file` (a canonical path), read once a run; `None` when
    /// it cannot be read.
    pub fn file_digest(&self, file: &Path) -> Option<[u8; 32]> {
        let lock = || {
            self.digests
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(known) = lock().get(file) {
            return Some(*known);
        }
        let budget = crate::source::read::Budget::default();
        let sum = digest(&crate::source::read::read_regular(file, &budget).ok()?);
        lock().insert(file.to_path_buf(), sum);
        Some(sum)
    }

    /// [`Store::get`], waiting first for another thread of the run making the same entry; when
    /// it is not held, the claim to make it.
    pub fn lookup(&self, space: &'static str, key: &Key) -> Lookup<'_> {
        let claim = self.in_flight.claim(space, key);
        match self.get(space, key) {
            Some(payload) => Lookup::Held(payload),
            None => Lookup::Missing(claim),
        }
    }

    /// Keep `payload` under `key` in `space`. Failing to write is no error: the next run
    /// renders again.
    pub fn put(&self, space: &'static str, key: &Key, payload: &[u8]) {
        let written = self.folder().is_some_and(|dir| {
            write_entry(dir, &entry_path(dir, space, key), &entry::encode(payload)).is_ok()
        });
        if written {
            self.wrote.store(true, Ordering::Relaxed);
        } else if let Ok(mut memory) = self.memory.lock() {
            // Not on disk: the rest of the run (the other side of a diff) still shares it.
            memory.insert((space, *key), Arc::from(payload));
        }
    }

    fn in_memory(&self, space: &'static str, key: &Key) -> Option<Arc<[u8]>> {
        self.memory.lock().ok()?.get(&(space, *key)).cloned()
    }

    /// The version of the renderer `identity`, as a run found it before.
    pub fn version(&self, identity: &Identity) -> Option<String> {
        let payload = self.get(VERSIONS, &identity.key())?;
        String::from_utf8(payload.to_vec()).ok()
    }

    pub fn put_version(&self, identity: &Identity, version: &str) {
        self.put(VERSIONS, &identity.key(), version.as_bytes());
    }

    /// After a run's renders: when entries were written, keep the folder under its cap.
    pub fn finish(&self) {
        if let (Some(dir), true) = (self.folder(), self.wrote.swap(false, Ordering::Relaxed)) {
            evict::evict(dir, &SPACES, self.cap);
        }
    }
}

/// The cache folder the environment gives: `LBPLAN_CACHE_DIR` (relative to `cwd`), else
/// `XDG_CACHE_HOME/lbplan` (absolute only, as the XDG specification says), else
/// `HOME/.cache/lbplan` (absolute only).
fn folder_from(
    explicit: Option<OsString>,
    xdg: Option<OsString>,
    home: Option<OsString>,
    cwd: Option<&Path>,
) -> Option<PathBuf> {
    if let Some(dir) = explicit {
        let dir = PathBuf::from(dir);
        return Some(match cwd {
            Some(cwd) if dir.is_relative() => cwd.join(dir),
            _ => dir,
        });
    }
    let absolute = |v: OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    if let Some(xdg) = xdg.and_then(absolute) {
        return Some(xdg.join("lbplan"));
    }
    home.and_then(absolute).map(|h| h.join(".cache/lbplan"))
}

/// `path` with links resolved in the part of it that exists.
fn real_as_far_as_it_exists(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut at = path.to_path_buf();
    loop {
        if let Ok(real) = std::fs::canonicalize(&at) {
            return missing.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (at.file_name().map(ToOwned::to_owned), at.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name);
                at = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn entry_path(dir: &Path, space: &str, key: &Key) -> PathBuf {
    let hex = key.hex();
    let shard = hex.get(..2).unwrap_or("00");
    dir.join(space).join(shard).join(&hex)
}

/// An entry's bytes: a regular file within the read limit, else nothing.
fn read_entry(path: &Path) -> Option<Vec<u8>> {
    crate::source::read::read_regular(path, &crate::source::read::Budget::default()).ok()
}

/// Write an entry to a temporary file beside it and rename it over the entry: a reader sees the
/// old entry or the new one, whole. Folders and files are private to the user (entries hold
/// rendered Secrets).
fn write_entry(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no folder"))?;
    private_folder(folder)?;
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        // The standard mark of a cache folder: backup tools skip it.
        let _ = std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# lbplan's render cache: safe to delete.\n",
        );
    }
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(folder)?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn private_folder(folder: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)
}

#[cfg(test)]
mod tests;
