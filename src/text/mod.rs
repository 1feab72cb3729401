//! Text from the input, made safe for each place lbplan prints it: the one module every renderer
//! escapes with, so that what a manifest, a file name, a config or a renderer's error says can
//! never drive a terminal, forge a line, run a CI workflow command or turn a pull-request comment
//! into images, links and mentions.
//!
//! It depends on nothing else in the crate. Each output has its family:
//!
//! - [`terminal`]: a terminal or a CI log (human output, tables, standard error). [`visible`]
//!   escapes one value: control characters (CR and LF included) become `\u{1b}`-style escapes,
//!   and the legacy workflow-command prefix `##[` is broken; [`terminal::lines`] escapes several
//!   lines (a renderer's standard error), breaking a `::` that starts one;
//!   [`terminal::inert`] is the last guard over a finished output (no line starts with `::`);
//!   [`Paint`] adds colour, after escaping, never before, in the styles of [`palette`] (what each
//!   colour marks, named once).
//! - [`markdown`]: a pull-request comment or job summary. Input goes only into code spans and
//!   fenced blocks whose fence is longer than any backtick run inside ([`markdown::code`],
//!   [`markdown::cell`] for table cells, [`markdown::fenced`]), or into `<code>` inside HTML
//!   ([`markdown::html_code`]); [`markdown::Budget`] keeps a report within `--max-bytes`.
//! - [`workflow`]: GitHub workflow commands that lbplan itself writes, with data and properties
//!   encoded as the runner decodes them, and [`workflow::StopCommands`] around renderer text
//!   echoed in a GitHub job.
//! - [`machine`]: JSON, YAML and XML, whose own escapes neutralise `##[` and line starts losslessly.
//! - [`width`]: how wide terminal output is (`$COLUMNS`, the terminal, else 100), text wrapped
//!   and tables fitted to it without cutting a word.
//! - [`quote`]: how much of an input value a message quotes: at most 200 bytes, cut on a character
//!   boundary, marked with `…` and the full length.

pub mod machine;
pub mod markdown;
pub mod palette;
pub mod quote;
pub mod terminal;
pub mod width;
pub mod workflow;

pub use quote::{Truncated, bound, quote};
pub use terminal::{Paint, visible};

/// The word that goes with a count: `one` for 1, else `many` (`1 file`, `0 files`, `3 files`).
pub fn plural<'a, N: Copy + PartialEq + From<u8>>(n: N, one: &'a str, many: &'a str) -> &'a str {
    if n == N::from(1) { one } else { many }
}

#[cfg(test)]
mod tests;
