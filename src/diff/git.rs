//! Reading a git repository for `lbplan diff --base-rev`: the `git` program, with fixed
//! arguments (the process itself is started by `exec`, in its own process group, with a cleared
//! environment plus an allow-list).
//!
//! Why the program rather than a library: it costs nothing to build (`gix` with the features this
//! needs adds about 74 crates and 100 CPU-seconds to a clean build; `git2` compiles libgit2 from
//! C), and git is present wherever a repository is. What runs, `git` (found on `PATH`'s absolute
//! entries) with one of these lists, the revision values last, after `--end-of-options`:
//!
//! - `rev-parse --show-toplevel --show-prefix` (where the repository is),
//!   `rev-parse --is-shallow-repository`;
//! - `rev-parse --verify --quiet --end-of-options REV^{commit}` (a revision);
//! - `merge-base --end-of-options A B` (what a pull request is compared with);
//! - `ls-tree -r -z --full-tree --end-of-options COMMIT` (the files of a revision);
//! - `cat-file --batch` (their contents, object IDs on standard input);
//! - `ls-files -z --cached -i --exclude-standard`, in a folder a walk reads (the tracked files
//!   there that an ignore file matches, which a walk would skip: `source/tracked.rs`).
//!
//! The environment sets `protocol.allow=never` (`GIT_CONFIG_COUNT`), which forbids every
//! transport, so that git never reaches the network, not even for the missing objects of a
//! partial clone (`GIT_NO_LAZY_FETCH=1` says so too), and `core.fsmonitor=false`, so that no
//! file-system monitor a repository's config names is started (`ls-files` would ask one); no
//! terminal prompt, no optional locks. None of these commands runs hooks, filters or a pager. `HOME` is a private folder, so no user or CI
//! git config is read; `safe.directory` names the repository lbplan was started in (the folder
//! holding `.git`, found from the working folder up), which a CI checkout owned by another user
//! would otherwise need from that config.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::exec::{self, Limits, Piped, Program, Request, Scratch};

const TOPLEVEL: &[&str] = &["rev-parse", "--show-toplevel", "--show-prefix"];
const IS_SHALLOW: &[&str] = &["rev-parse", "--is-shallow-repository"];
const VERIFY: &[&str] = &["rev-parse", "--verify", "--quiet", "--end-of-options"];
const MERGE_BASE: &[&str] = &["merge-base", "--end-of-options"];
const LS_TREE: &[&str] = &["ls-tree", "-r", "-z", "--full-tree", "--end-of-options"];
const CAT_FILE: &[&str] = &["cat-file", "--batch"];
const IGNORED: &[&str] = &["ls-files", "-z", "--cached", "-i", "--exclude-standard"];

/// Every git command's fixed variables, besides `safe.directory` (`GIT_CONFIG_KEY_2`).
const GIT_ENV: &[(&str, &str)] = &[
    ("GIT_CONFIG_KEY_0", "protocol.allow"),
    ("GIT_CONFIG_VALUE_0", "never"),
    ("GIT_CONFIG_KEY_1", "core.fsmonitor"),
    ("GIT_CONFIG_VALUE_1", "false"),
    ("GIT_TERMINAL_PROMPT", "0"),
    ("GIT_NO_LAZY_FETCH", "1"),
    ("GIT_OPTIONAL_LOCKS", "0"),
];

/// The longest one git command may take; past it, its process group is killed.
const GIT_TIMEOUT: Duration = Duration::from_secs(300);
/// The most output of one git command held (a tree's listing).
const MAX_GIT_OUTPUT: u64 = 256 << 20;

/// Why git could not give a side: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("lbplan diff --base-rev needs the git program: {0}")]
    NoGit(String),
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
    /// A revision's tree that lbplan refuses to write (a hostile name, the run's byte budget).
    #[error("{0}")]
    Refused(String),
}

/// One file of a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    pub mode: String,
    /// `blob`, or `commit` for a submodule.
    pub kind: String,
    pub oid: String,
    /// From the repository's root, as git stores it (components separated by `/`).
    pub path: Vec<u8>,
}

impl TreeEntry {
    pub fn is_link(&self) -> bool {
        self.mode == "120000"
    }

    /// The path for messages, control characters escaped.
    pub fn shown(&self) -> String {
        crate::text::visible(&String::from_utf8_lossy(&self.path)).into_owned()
    }
}

/// What a git command said: its standard output when it succeeded, else its exit code and the
/// first line of its standard error.
type Said = Result<Vec<u8>, (Option<i32>, String)>;

fn failed(command: &str, message: String) -> GitError {
    GitError::Failed {
        command: command.to_string(),
        message,
    }
}

/// The repository the working folder is in, and how git is run there.
#[derive(Debug)]
pub struct Repo {
    /// The working folder, relative to the root (empty at the root).
    pub prefix: PathBuf,
    /// The repository's top level, absolute.
    pub toplevel: PathBuf,
    pub shallow: bool,
    git: Git,
}

/// The git program, its private folder and its fixed variables.
#[derive(Debug)]
struct Git {
    program: Program,
    scratch: Scratch,
    /// The folder git runs in (`None`: the working folder).
    cwd: Option<PathBuf>,
    /// `safe.directory`: the folder holding `.git` above the folder git runs in.
    safe: Option<OsString>,
}

impl Git {
    fn new() -> Result<Git, GitError> {
        Git::in_folder(None)
    }

    /// Git run in `cwd` (else the working folder).
    fn in_folder(cwd: Option<&Path>) -> Result<Git, GitError> {
        let program =
            Program::resolve(&["git"], None, None).map_err(|e| GitError::NoGit(e.to_string()))?;
        let scratch = Scratch::new(None).map_err(|e| GitError::NoGit(e.to_string()))?;
        let start = match cwd {
            Some(dir) => std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
            None => std::env::current_dir().map_err(|e| GitError::NotARepository(e.to_string()))?,
        };
        let safe = start
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .map(|dir| std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
            .map(PathBuf::into_os_string);
        Ok(Git {
            program,
            scratch,
            cwd: cwd.map(Path::to_path_buf),
            safe,
        })
    }

    fn env(&self) -> Vec<(&str, &OsStr)> {
        let mut env: Vec<(&str, &OsStr)> =
            GIT_ENV.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
        match &self.safe {
            Some(dir) => env.extend([
                ("GIT_CONFIG_COUNT", OsStr::new("3")),
                ("GIT_CONFIG_KEY_2", OsStr::new("safe.directory")),
                ("GIT_CONFIG_VALUE_2", dir.as_os_str()),
            ]),
            None => env.push(("GIT_CONFIG_COUNT", OsStr::new("2"))),
        }
        env
    }

    /// Run git to the end.
    fn run(&self, args: &[&str]) -> Result<Said, GitError> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let env = self.env();
        let request = Request {
            program: &self.program,
            args: &args,
            cwd: self.cwd.as_deref(),
            env: &env,
            scratch: &self.scratch,
        };
        let limits = Limits {
            timeout: GIT_TIMEOUT,
            max_output: MAX_GIT_OUTPUT,
            budget: None,
            cancel: None,
        };
        let output = exec::run(&request, &limits).map_err(|e| match e {
            exec::RunError::Start(e) => GitError::NoGit(e.to_string()),
            other => failed(
                &args
                    .iter()
                    .map(|a| a.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" "),
                other.describe(),
            ),
        })?;
        if output.status.success() {
            return Ok(Ok(output.stdout));
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Ok(Err((output.status.code(), first.trim().to_string())))
    }

    /// Start git with its standard input and output piped.
    fn piped(&self, args: &[&str]) -> Result<Piped, GitError> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let env = self.env();
        let request = Request {
            program: &self.program,
            args: &args,
            cwd: self.cwd.as_deref(),
            env: &env,
            scratch: &self.scratch,
        };
        Piped::start(&request, GIT_TIMEOUT).map_err(|e| GitError::NoGit(e.describe()))
    }
}

/// The files under `dir` that git tracks and an ignore file (`.gitignore`, `info/exclude`)
/// matches, relative to `dir`: a folder walk skips them, though they are the repository's. An
/// error when git is missing or `dir` is in no work tree.
pub fn tracked_ignored(dir: &Path) -> Result<Vec<PathBuf>, GitError> {
    let out = Git::in_folder(Some(dir))?
        .run(IGNORED)?
        .map_err(|(_, m)| failed(&IGNORED.join(" "), m))?;
    Ok(out
        .split(|&b| b == 0)
        .filter(|record| !record.is_empty())
        .map(path_of)
        .collect())
}

/// A path git printed, as bytes.
#[cfg(unix)]
fn path_of(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

impl Repo {
    pub fn discover() -> Result<Repo, GitError> {
        let git = Git::new()?;
        let out = git
            .run(TOPLEVEL)?
            .map_err(|(_, m)| GitError::NotARepository(m))?;
        let text = String::from_utf8_lossy(&out);
        let mut lines = text.lines();
        let toplevel = PathBuf::from(lines.next().unwrap_or("").trim_end());
        let prefix = PathBuf::from(lines.next().unwrap_or("").trim_end());
        let shallow = git.run(IS_SHALLOW)?.is_ok_and(|o| o.starts_with(b"true"));
        Ok(Repo {
            prefix,
            toplevel,
            shallow,
            git,
        })
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
        match self.git.run(&args)? {
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
        match self.git.run(&args)? {
            Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
            Err((Some(1), message)) if message.is_empty() => Err(GitError::NoMergeBase {
                a: names.0.to_string(),
                b: names.1.to_string(),
                hint: self.hint(),
            }),
            Err((_, message)) => Err(failed(&args.join(" "), message)),
        }
    }

    /// Every file of a commit.
    pub fn tree(&self, commit: &str) -> Result<Vec<TreeEntry>, GitError> {
        let args: Vec<&str> = LS_TREE.iter().copied().chain([commit]).collect();
        let out = self
            .git
            .run(&args)?
            .map_err(|(_, m)| failed(&args.join(" "), m))?;
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
        let command = CAT_FILE.join(" ");
        let fail = |e: std::io::Error| failed(&command, e.to_string());
        let mut child = self.git.piped(CAT_FILE)?;
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            child.finish();
            return Err(failed(&command, "no pipe".into()));
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
        let finished = child.finish();
        if finished.timed_out {
            return Err(failed(
                &command,
                format!(
                    "did not finish within {} s and was stopped",
                    GIT_TIMEOUT.as_secs()
                ),
            ));
        }
        result.map_err(|e| {
            // What git said, when it said why.
            let said = String::from_utf8_lossy(&finished.stderr);
            match said.lines().map(str::trim).find(|l| !l.is_empty()) {
                Some(line) => failed(&command, format!("{e}: {line}")),
                None => fail(e),
            }
        })
    }
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
        path: path.to_vec(),
    })
}

#[cfg(test)]
mod tests;
