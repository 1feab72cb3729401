//! Running other programs, hardened: the only module that starts a process, used by git
//! (`diff/git.rs`) and the Kustomize renderer (`render/process.rs`), each of which keeps its own
//! fixed argument lists. The CI job lbplan runs in holds tokens and a checkout the pull request
//! wrote, so a program runs only when the person running lbplan chose it, with nothing of the
//! job's environment it does not need, and never outlives lbplan.
//!
//! The API, for code that needs another program (a Helm renderer, `git ls-files`):
//!
//! 1. [`Program::resolve`]`(engines, flag, env_var)`: the program the person running lbplan named
//!    (a flag's value, else a non-empty environment variable, made absolute), else the first of
//!    the engine names on `PATH`'s absolute entries. Never a program a file names.
//! 2. [`Scratch::new`]`(parent)`: a private temporary folder whose `home/` and `tmp/` become the
//!    program's `HOME` and `TMPDIR`; keep it while programs run.
//! 3. [`run`]`(&Request { program, args, cwd, env, scratch }, &Limits { timeout, max_output,
//!    budget })`: runs it to its end in its own process group with a cleared environment plus the
//!    allow-list and `env`, standard input closed, both outputs read at once, standard output
//!    counted against the run's byte budget; the whole group is killed on time-out. Or
//!    [`Piped::start`] for a program whose standard input and output the caller streams.
//! 4. [`TempFolder::new`]`(prefix, parent)` for any other temporary folder: removed when dropped,
//!    and on `SIGINT`, `SIGTERM` or `SIGHUP` (`cleanup.rs`), as every running group is killed.

mod child;
pub mod cleanup;
mod env;
mod piped;
mod program;

pub use child::{Captured, Limits, Request, RunError, budget_exceeded, run};
pub use cleanup::TempFolder;
pub use env::{PASSED, Scratch};
pub use piped::Piped;
pub use program::{Named, Program, ResolveError, named};
