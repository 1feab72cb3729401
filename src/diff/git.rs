//! Reading a git repository for `lbplan diff --base-rev`: the `git` program, with fixed
//! arguments, and the only code besides the Kustomize renderer that starts a process.
//!
//! Why the program rather than a library: it costs nothing to build (`gix` with the features this
//! needs adds about 74 crates and 100 CPU-seconds to a clean build; `git2` compiles libgit2 from
//! C), and git is present wherever a repository is. What runs, `git` with one of these lists, the
//! revision values last, after `--end-of-options`:
//!
//! - `rev-parse --show-toplevel --show-prefix` (where the repository is),
//!   `rev-parse --is-shallow-repository`;
//! - `rev-parse --verify --quiet --end-of-options REV^{commit}` (a revision);
//! - `merge-base --end-of-options A B` (what a pull request is compared with);
//! - `ls-tree -r -z --full-tree --end-of-options COMMIT` (the files of a revision);
//! - `cat-file --batch` (their contents, object IDs on standard input);
//! - `ls-files -z --cached -i --exclude-standard`, in a folder a walk reads (the tracked files there
//!   that an ignore file matches, which a walk would skip: `source/tracked.rs`).
//!
//! The environment sets `protocol.allow=never` (`GIT_CONFIG_COUNT`), which forbids every
//! transport, so that git never reaches the network, not even for the missing objects of a
//! partial clone (`GIT_NO_LAZY_FETCH=1` says so too), and `core.fsmonitor=false`, so that no
//! file-system monitor a repository's config names is started; no terminal prompt, no optional
//! locks. None of these commands runs hooks, filters or a pager.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const TOPLEVEL: &[&str] = &["rev-parse", "--show-toplevel", "--show-prefix"];
const IS_SHALLOW: &[&str] = &["rev-parse", "--is-shallow-repository"];
const VERIFY: &[&str] = &["rev-parse", "--verify", "--quiet", "--end-of-options"];
const MERGE_BASE: &[&str] = &["merge-base", "--end-of-options"];
const LS_TREE: &[&str] = &["ls-tree", "-r", "-z", "--full-tree", "--end-of-options"];
const CAT_FILE: &[&str] = &["cat-file", "--batch"];
const IGNORED: &[&str] = &["ls-files", "-z", "--cached", "-i", "--exclude-standard"];

/// Why git could not give a side: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("lbplan diff --base-rev needs the git program: {0}")]
    NoGit(std::io::Error),
    #[error("lbplan diff --base-rev needs a git repository: {0}")]
    NotARepository(String),
    #[error("{0}: a revision cannot start with '-'")]
    Dash(String),
    #[error("git: revision {rev} not found in this repository{hint}")]
    UnknownRevision { rev: String, hint: String },
    #[error("git: {a} and {b} have no merge base in this repository{hint}")]
    NoMergeBase { a: String, b: String, hint: String },
    #[error("`git {command}` failed: {message}")]
    Failed { command: String, message: String },
}

/// One file of a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    pub mode: String,
    /// `blob`, or `commit` for a submodule.
    pub kind: String,
    pub oid: String,
    /// From the repository's root.
    pub path: PathBuf,
}

impl TreeEntry {
    pub fn is_link(&self) -> bool {
        self.mode == "120000"
    }
}

/// Start git with these arguments, in `dir` (else the working folder); standard input piped
/// when `input`.
fn spawn(args: &[&str], input: bool, dir: Option<&Path>) -> std::io::Result<Child> {
    let mut command = Command::new("git");
    command
        .args(args)
        .env("GIT_CONFIG_COUNT", "2")
        .env("GIT_CONFIG_KEY_0", "protocol.allow")
        .env("GIT_CONFIG_VALUE_0", "never")
        .env("GIT_CONFIG_KEY_1", "core.fsmonitor")
        .env("GIT_CONFIG_VALUE_1", "false")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(if input { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    command.spawn()
}

/// What a git command said: its standard output when it succeeded, else its exit code and the
/// first line of its standard error.
type Said = Result<Vec<u8>, (Option<i32>, String)>;

/// Run git to the end.
fn run(args: &[&str]) -> Result<Said, GitError> {
    run_in(args, None)
}

/// Run git to the end, in `dir` (else the working folder).
fn run_in(args: &[&str], dir: Option<&Path>) -> Result<Said, GitError> {
    let child = spawn(args, false, dir).map_err(GitError::NoGit)?;
    let output = child.wait_with_output().map_err(GitError::NoGit)?;
    if output.status.success() {
        return Ok(Ok(output.stdout));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Ok(Err((output.status.code(), first.trim().to_string())))
}

fn failed(args: &[&str], message: String) -> GitError {
    GitError::Failed {
        command: args.join(" "),
        message,
    }
}

/// The repository the working folder is in.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The working folder, relative to the root (empty at the root).
    pub prefix: PathBuf,
    pub shallow: bool,
}

impl Repo {
    pub fn discover() -> Result<Repo, GitError> {
        let out = run(TOPLEVEL)?.map_err(|(_, m)| GitError::NotARepository(m))?;
        let text = String::from_utf8_lossy(&out);
        let mut lines = text.lines();
        let _toplevel = lines.next();
        let prefix = PathBuf::from(lines.next().unwrap_or("").trim_end());
        let shallow = run(IS_SHALLOW)?.is_ok_and(|o| o.starts_with(b"true"));
        Ok(Repo { prefix, shallow })
    }

    /// What to do when history is missing.
    fn hint(&self) -> String {
        if self.shallow {
            "; this clone is shallow and lacks that history: fetch it (actions/checkout with fetch-depth: 0, or fetch-depth: 2 for --base-rev HEAD^1 in a pull_request workflow; git fetch --deepen=N elsewhere)".into()
        } else {
            "; fetch it first (git fetch origin BRANCH; in CI, actions/checkout with fetch-depth: 0)".into()
        }
    }

    /// The commit a revision names.
    pub fn commit(&self, rev: &str) -> Result<String, GitError> {
        if rev.starts_with('-') {
            return Err(GitError::Dash(rev.to_string()));
        }
        let wanted = format!("{rev}^{{commit}}");
        let args: Vec<&str> = VERIFY.iter().copied().chain([wanted.as_str()]).collect();
        match run(&args)? {
            Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
            Err(_) => Err(GitError::UnknownRevision {
                rev: rev.to_string(),
                hint: self.hint(),
            }),
        }
    }

    /// The best common ancestor of two commits.
    pub fn merge_base(&self, a: &str, b: &str, names: (&str, &str)) -> Result<String, GitError> {
        let args: Vec<&str> = MERGE_BASE.iter().copied().chain([a, b]).collect();
        match run(&args)? {
            Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
            Err((Some(1), message)) if message.is_empty() => Err(GitError::NoMergeBase {
                a: names.0.to_string(),
                b: names.1.to_string(),
                hint: self.hint(),
            }),
            Err((_, message)) => Err(failed(&args, message)),
        }
    }

    /// Every file of a commit.
    pub fn tree(&self, commit: &str) -> Result<Vec<TreeEntry>, GitError> {
        let args: Vec<&str> = LS_TREE.iter().copied().chain([commit]).collect();
        let out = run(&args)?.map_err(|(_, m)| failed(&args, m))?;
        Ok(out
            .split(|&b| b == 0)
            .filter(|record| !record.is_empty())
            .filter_map(parse_entry)
            .collect())
    }

    /// Stream the contents of `oids`, in order, to `sink` (index, size, the bytes).
    pub fn cat(
        &self,
        oids: &[&str],
        mut sink: impl FnMut(usize, u64, &mut dyn Read) -> std::io::Result<()>,
    ) -> Result<(), GitError> {
        let fail = |e: std::io::Error| failed(CAT_FILE, e.to_string());
        let mut child = spawn(CAT_FILE, true, None).map_err(GitError::NoGit)?;
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(failed(CAT_FILE, "no pipe".into()));
        };
        let result = std::thread::scope(|scope| {
            // Written while the answers are read, so that neither pipe fills up.
            let writer = scope.spawn(move || -> std::io::Result<()> {
                let mut input = std::io::BufWriter::new(&mut stdin);
                for oid in oids {
                    writeln!(input, "{oid}")?;
                }
                input.flush()
            });
            let mut reader = BufReader::new(stdout);
            let read = read_batch(&mut reader, oids.len(), &mut sink);
            // An early end (a missing object) leaves the writer blocked: closing the pipe ends it.
            drop(reader);
            let written = writer.join();
            read.and(written.unwrap_or(Ok(())))
        });
        let _ = child.kill();
        let _ = child.wait();
        result.map_err(fail)
    }
}

/// The files under `dir` that git tracks and an ignore file (`.gitignore`, `info/exclude`) matches,
/// relative to `dir`: a folder walk skips them, though they are the repository's. An error when
/// git is missing or `dir` is in no work tree.
pub fn tracked_ignored(dir: &Path) -> Result<Vec<PathBuf>, GitError> {
    let out = run_in(IGNORED, Some(dir))?.map_err(|(_, m)| failed(IGNORED, m))?;
    Ok(out
        .split(|&b| b == 0)
        .filter(|record| !record.is_empty())
        .map(path_from_bytes)
        .collect())
}

fn read_batch(
    reader: &mut impl BufRead,
    count: usize,
    sink: &mut impl FnMut(usize, u64, &mut dyn Read) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let bad = |what: &str| std::io::Error::other(what.to_string());
    for index in 0..count {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let mut parts = header.split_whitespace();
        let (Some(oid), Some(kind), Some(size)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad(&format!("object {} missing", header.trim())));
        };
        let size: u64 = size.parse().map_err(|_| bad("bad object size"))?;
        if kind != "blob" {
            return Err(bad(&format!("{oid} is a {kind}, not a file")));
        }
        let mut body = (&mut *reader).take(size);
        sink(index, size, &mut body)?;
        // What the sink left unread, then the LF after the contents.
        std::io::copy(&mut body, &mut std::io::sink())?;
        let mut lf = [0u8; 1];
        reader.read_exact(&mut lf)?;
    }
    Ok(())
}

/// `MODE SP TYPE SP OID TAB PATH`.
fn parse_entry(record: &[u8]) -> Option<TreeEntry> {
    let tab = record.iter().position(|&b| b == b'\t')?;
    let (meta, path) = (record.get(..tab)?, record.get(tab + 1..)?);
    let meta = std::str::from_utf8(meta).ok()?;
    let mut parts = meta.split(' ');
    Some(TreeEntry {
        mode: parts.next()?.to_string(),
        kind: parts.next()?.to_string(),
        oid: parts.next()?.to_string(),
        path: path_from_bytes(path),
    })
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    Path::new(std::ffi::OsStr::from_bytes(bytes)).to_path_buf()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_records_parse() {
        let entry =
            parse_entry(b"100644 blob 78981922613b2afb6025042ff6bd878ac1994e85\tdir/a b.yaml")
                .expect("entry");
        assert_eq!(entry.mode, "100644");
        assert_eq!(entry.kind, "blob");
        assert_eq!(entry.path, PathBuf::from("dir/a b.yaml"));
        assert!(parse_entry(b"no tab here").is_none());
    }

    #[test]
    fn batches_are_read_object_by_object() {
        let stream = b"aaa blob 3\nabc\nbbb blob 0\n\n";
        let mut got = Vec::new();
        read_batch(&mut &stream[..], 2, &mut |i, size, body: &mut dyn Read| {
            let mut text = String::new();
            body.read_to_string(&mut text)?;
            got.push((i, size, text));
            Ok(())
        })
        .expect("read");
        assert_eq!(got, [(0, 3, "abc".to_string()), (1, 0, String::new())]);
        let missing = b"ccc missing\n";
        assert!(read_batch(&mut &missing[..], 1, &mut |_, _, _| Ok(())).is_err());
    }
}
