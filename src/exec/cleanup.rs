//! What lbplan leaves behind when it is stopped: nothing, short of `SIGKILL`.
//!
//! Every temporary folder or file lbplan makes, and every process group it starts, is registered
//! here while it exists. On `SIGINT`, `SIGTERM` or `SIGHUP` a dedicated thread (the
//! `signal-hook` crate: its handler only wakes that thread, which is all a signal handler may
//! safely do) kills the registered process groups, removes the registered paths, and ends
//! lbplan as the signal's default action would, so that the shell sees the signal. A group
//! started in its own process group gets no terminal `SIGINT` of its own: without this, Ctrl-C
//! would leave the renderer running.
//!
//! Registration and creation happen under one lock, which the cleanup takes too and keeps: a
//! folder or process is either cleaned up or never made. `SIGKILL` cannot be caught, and leaves
//! `lbplan-*` folders in the temporary folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

/// What is registered.
#[derive(Default)]
struct Registry {
    /// Set once a signal came: nothing new may start or be made.
    stopping: bool,
    next: u64,
    paths: BTreeMap<u64, PathBuf>,
    /// Process group IDs.
    groups: BTreeMap<u64, i32>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    stopping: false,
    next: 0,
    paths: BTreeMap::new(),
    groups: BTreeMap::new(),
});
static INSTALLED: OnceLock<bool> = OnceLock::new();

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why something could not be registered: lbplan is being stopped.
pub fn stopping_error() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::Interrupted,
        "lbplan is being stopped by a signal",
    )
}

/// Start the signal thread once (on first registration). Where it cannot start, signals keep
/// their default action.
fn install() {
    INSTALLED.get_or_init(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return false;
            };
            std::thread::Builder::new()
                .name("lbplan-signals".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        stop(signal);
                    }
                })
                .is_ok()
        }
        #[cfg(not(unix))]
        {
            false
        }
    });
}

/// Kill the groups, remove the paths, and end the process as `signal` would.
#[cfg(unix)]
fn stop(signal: i32) {
    let mut registry = registry();
    registry.stopping = true;
    for &group in registry.groups.values() {
        kill_group(group);
    }
    for path in registry.paths.values() {
        remove(path);
    }
    // The lock is kept: nothing new starts while the process ends.
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    std::process::exit(128 + signal);
}

/// Remove a file or a folder and all it holds. A writer may still be adding files while the
/// folder goes: a few tries.
fn remove(path: &Path) {
    for _ in 0..5 {
        let gone = match std::fs::symlink_metadata(path) {
            Err(_) => true,
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path).is_ok(),
            Ok(_) => std::fs::remove_file(path).is_ok(),
        };
        if gone {
            return;
        }
    }
}

/// Send `SIGKILL` to every process of group `group`.
#[cfg(unix)]
pub(super) fn kill_group(group: i32) {
    if group > 0 {
        // SAFETY: kill(2) takes plain integers; a negative pid names the process group. The
        // group's leader is not reaped before its group is unregistered, so the ID is ours.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
}

#[cfg(not(unix))]
pub(super) fn kill_group(_group: i32) {}

/// A registered path or group: unregistered when dropped.
#[derive(Debug)]
pub struct Registration {
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut registry = registry();
        registry.paths.remove(&self.id);
        registry.groups.remove(&self.id);
    }
}

/// Run `make` under the lock and register the path it returns: a signal either finds the path
/// registered or comes before it exists. Refused once a signal came.
pub fn register_path<T>(
    make: impl FnOnce() -> std::io::Result<(T, PathBuf)>,
) -> std::io::Result<(T, Registration)> {
    install();
    let mut registry = registry();
    if registry.stopping {
        return Err(stopping_error());
    }
    let (made, path) = make()?;
    registry.next += 1;
    let id = registry.next;
    registry.paths.insert(id, path);
    Ok((made, Registration { id }))
}

/// Run `start` under the lock and register the process group it returns.
pub fn register_group<T>(
    start: impl FnOnce() -> std::io::Result<(T, i32)>,
) -> std::io::Result<(T, Registration)> {
    install();
    let mut registry = registry();
    if registry.stopping {
        return Err(stopping_error());
    }
    let (started, group) = start()?;
    registry.next += 1;
    let id = registry.next;
    registry.groups.insert(id, group);
    Ok((started, Registration { id }))
}

/// A temporary folder (`PREFIX*` in `parent`, else the system's temporary folder), registered
/// while it exists and removed when dropped.
#[derive(Debug)]
pub struct TempFolder {
    // Dropped first: the folder goes before its registration, so that a signal in between finds
    // it registered, never left behind.
    dir: tempfile::TempDir,
    _registration: Registration,
}

impl TempFolder {
    pub fn new(prefix: &str, parent: Option<&Path>) -> std::io::Result<TempFolder> {
        let (dir, registration) = register_path(|| {
            let mut builder = tempfile::Builder::new();
            builder.prefix(prefix);
            // Private: a revision's files, a render's wrapper and a program's home are no other
            // user's to read (the temporary folder is shared; tempfile's default leaves it to the
            // umask, 0755 usually).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o700));
            }
            let dir = match parent {
                Some(parent) => builder.tempdir_in(parent)?,
                None => builder.tempdir()?,
            };
            let path = dir.path().to_path_buf();
            Ok((dir, path))
        })?;
        Ok(TempFolder {
            dir,
            _registration: registration,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Remove the folder now, reporting a failure (dropping it removes it silently).
    pub fn close(self) -> std::io::Result<()> {
        let TempFolder { dir, _registration } = self;
        dir.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_come_and_go_with_their_folders() {
        let parent = tempfile::tempdir().expect("parent");
        let folder = TempFolder::new("lbplan-test-", Some(parent.path())).expect("folder");
        let path = folder.path().to_path_buf();
        assert!(registry().paths.values().any(|p| *p == path));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "private");
        }
        folder.close().expect("close");
        assert!(!path.exists());
        assert!(!registry().paths.values().any(|p| *p == path));
    }

    #[test]
    fn remove_takes_files_and_folders() {
        let parent = tempfile::tempdir().expect("parent");
        let file = parent.path().join("f");
        std::fs::write(&file, "x").expect("write");
        remove(&file);
        assert!(!file.exists());
        let dir = parent.path().join("d/e");
        std::fs::create_dir_all(&dir).expect("mkdir");
        remove(&parent.path().join("d"));
        assert!(!parent.path().join("d").exists());
    }
}
