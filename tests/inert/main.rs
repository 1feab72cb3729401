//! Every output inert, every report bounded: whatever names, values, paths and a renderer's
//! errors say, no output line of lbplan's is a CI workflow command it did not write, Markdown
//! holds input only as code, and reports stay within their bounds.
//!
//! `check.rs` states the three properties as checks over an output; `failures.rs` reproduces each
//! failure once seen; `props.rs` pushes random hostile names and values through every command and
//! format.

mod check;
#[path = "../common/mod.rs"]
mod common;
mod failures;
mod props;
