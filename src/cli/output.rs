//! Where reports go: standard output, `--output FILE` and `--summary FILE`, never over an input.
//!
//! - A target that is the same file as one the run read (by device and inode, whatever its name:
//!   a hard link or a symbolic link to a manifest is that manifest) is refused before anything is
//!   written; so is one inside what a Kustomize render read.
//! - A regular file (or a new one) is written to a temporary file beside it, flushed to disk and
//!   renamed over it: a full disk or a signal never leaves a truncated report, and a hard link to
//!   the old file keeps the old contents. A symbolic link is followed, and the file it names is
//!   replaced. `--summary` appends: the old contents are copied into the new file first.
//! - A device or a pipe (`/dev/stdout`, a FIFO) is written in place; a FIFO is opened without
//!   blocking, so that one nobody reads is an error rather than a hang.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::Error;
use crate::exec::cleanup;
use crate::load::Loaded;
use crate::source::discover::display_name;
use crate::source::read::{Budget, file_id};

/// What a run read: the files lbplan read (its budget keeps them by device and inode), the
/// files its renders read, and its config files.
pub(in crate::cli) struct RunInputs<'a> {
    pub budget: &'a Budget,
    pub loaded: Vec<&'a Loaded>,
    pub configs: Vec<PathBuf>,
}

/// A target that is one of the run's inputs is refused: the report would overwrite it.
pub(in crate::cli) fn check_output(path: Option<&Path>, inputs: &RunInputs) -> Result<(), Error> {
    let Some(path) = path else { return Ok(()) };
    // A file that does not exist yet is no input.
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let id = file_id(&meta);
    let same =
        |other: &Path| std::fs::metadata(other).is_ok_and(|m| id.is_some() && file_id(&m) == id);
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let clash = inputs.budget.holds(&meta)
        || inputs.configs.iter().any(|c| same(c))
        || inputs.loaded.iter().any(|loaded| {
            real.ancestors().any(|a| loaded.render_inputs.contains(a))
                || loaded
                    .render_inputs
                    .iter()
                    .filter(|p| !p.is_dir())
                    .any(|p| same(p))
        });
    if clash {
        return Err(Error::OutputIsAnInput(display_name(path)));
    }
    Ok(())
}

fn failed(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Output {
        path: display_name(path),
        source,
    }
}

/// Write `text` to `path` (replacing it), or standard output.
pub(in crate::cli) fn write_output(path: Option<&Path>, text: &str) -> Result<(), Error> {
    match path {
        None => super::console::write_stdout(text),
        Some(path) => write_file(path, text, false).map_err(failed(path)),
    }
}

/// Append `text` to the file at `path` (created if missing): `$GITHUB_STEP_SUMMARY` is written
/// so, one step after the other.
pub(in crate::cli) fn append_output(path: &Path, text: &str) -> Result<(), Error> {
    write_file(path, text, true).map_err(failed(path))
}

fn write_file(path: &Path, text: &str, append: bool) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => write_in_place(path, text, append),
        Ok(meta) => replace(path, text, append, Some(&meta)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => replace(path, text, append, None),
        Err(e) => Err(e),
    }
}

/// A device or a pipe: opened for writing as it is; a FIFO without blocking.
fn write_in_place(path: &Path, text: &str, append: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).append(append);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.raw_os_error() == Some(libc::ENXIO) {
            std::io::Error::other("a pipe that no process reads")
        } else {
            e
        }
    })?;
    blocking(&file)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}

/// Writes to a pipe wait for its reader again, once the open did not.
#[cfg(unix)]
fn blocking(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl(2) on a descriptor this function's caller owns, with integer arguments.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn blocking(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

/// A regular file (or none yet): a temporary file beside it, renamed over it once complete.
fn replace(
    path: &Path,
    text: &str,
    append: bool,
    meta: Option<&std::fs::Metadata>,
) -> std::io::Result<()> {
    // Through a symbolic link: the file it names is replaced, the link kept.
    let target = match meta {
        Some(_) => std::fs::canonicalize(path)?,
        None => path.to_path_buf(),
    };
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (mut temp, registration) = cleanup::register_path(|| {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".lbplan-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // The old file's mode; a new one gets what the umask lets through, as any file.
            let mode = meta.map_or(0o666, |m| m.permissions().mode() & 0o7777);
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let temp = builder.tempfile_in(&folder)?;
        let path = temp.path().to_path_buf();
        Ok((temp, path))
    })?;
    if append && meta.is_some() {
        let mut old = std::fs::File::open(&target)?;
        std::io::copy(&mut old, temp.as_file_mut())?;
    }
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    drop(registration);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_a_hard_link_keeps_the_old_text() {
        let temp = tempfile::tempdir().expect("temp");
        let report = temp.path().join("report.json");
        std::fs::write(&report, "old").expect("write");
        let link = temp.path().join("link.json");
        std::fs::hard_link(&report, &link).expect("link");
        write_file(&report, "new", false).expect("write");
        assert_eq!(std::fs::read_to_string(&report).expect("read"), "new");
        assert_eq!(std::fs::read_to_string(&link).expect("read"), "old");
        append_output(&report, "+more").expect("append");
        assert_eq!(std::fs::read_to_string(&report).expect("read"), "new+more");
        let names: Vec<_> = std::fs::read_dir(temp.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_without_a_reader_is_an_error_not_a_hang() {
        let temp = tempfile::tempdir().expect("temp");
        let fifo = temp.path().join("fifo");
        let c = std::ffi::CString::new(fifo.display().to_string()).expect("path");
        // SAFETY: mkfifo(2) with a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let error = write_file(&fifo, "x", false).expect_err("no reader");
        assert!(error.to_string().contains("no process reads"), "{error}");
        // With a reader, it is written in place.
        let reader = std::thread::spawn({
            let fifo = fifo.clone();
            move || std::fs::read_to_string(fifo).expect("read")
        });
        let mut tries = 0;
        while write_file(&fifo, "hello", false).is_err() && tries < 500 {
            std::thread::sleep(std::time::Duration::from_millis(10));
            tries += 1;
        }
        assert_eq!(reader.join().expect("reader"), "hello");
        assert!(std::fs::symlink_metadata(&fifo).is_ok_and(|m| !m.is_file()));
    }
}
