//! Where a revision's files are written: in memory when the system offers a memory file system
//! and `TMPDIR` does not name a folder, else in the temporary folder.
//!
//! Writing a revision out and removing it is most of what reading it costs beside the renders:
//! on an ext4 `/tmp` the diff bench's base revision (360 files in 53 folders) took 40-70 ms to
//! write and 12-40 ms to remove (inode allocation and the journal), on a tmpfs a fraction of
//! that. So on Linux, when `TMPDIR` is not set, a revision goes to `/dev/shm` when that is a
//! tmpfs, taking at most half its free room and at most [`MAX_IN_MEMORY`]; a revision that
//! does not fit (or a folder that cannot be made there) is written again to the temporary
//! folder. A `TMPDIR` the user set is always obeyed. The folder is private (mode 0700, a random
//! name, as in `/tmp`) and removed when the run ends or a signal stops it.

use std::path::PathBuf;

/// The most one revision puts in memory.
const MAX_IN_MEMORY: u64 = 256 << 20;

/// Less room than this, and a revision is not tried in memory.
const MIN_ROOM: u64 = 16 << 20;

/// The memory file system a revision may be written to, and how many bytes it may put there;
/// `None` when `TMPDIR` is set or there is none.
pub(super) fn memory_folder() -> Option<(PathBuf, u64)> {
    if std::env::var_os("TMPDIR").is_some() {
        return None;
    }
    let folder = PathBuf::from("/dev/shm");
    let room = memory_room(&folder)?;
    (room >= MIN_ROOM).then_some((folder, room))
}

/// Half the free room of `folder` (at most [`MAX_IN_MEMORY`]) when it is a tmpfs.
#[cfg(target_os = "linux")]
fn memory_room(folder: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    const TMPFS_MAGIC: u64 = 0x0102_1994;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs(2) reads the NUL-terminated path and writes only into the zeroed struct it
    // is given.
    let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(path.as_ptr(), &raw mut stat) } != 0 {
        return None;
    }
    #[allow(
        clippy::useless_conversion,
        reason = "the fields' types differ between C libraries"
    )]
    let (kind, free, block) = (
        u64::try_from(stat.f_type).ok()?,
        u64::try_from(stat.f_bavail).ok()?,
        u64::try_from(stat.f_bsize).ok()?,
    );
    (kind == TMPFS_MAGIC).then(|| (free.saturating_mul(block) / 2).min(MAX_IN_MEMORY))
}

#[cfg(not(target_os = "linux"))]
fn memory_room(_folder: &std::path::Path) -> Option<u64> {
    None
}
