//! The colours of lbplan's terminal output, by what they mark. Every report, table and message
//! takes its style from here and applies it with [`super::Paint`] (only where colour is on, after
//! escaping), so that an error is the same red in `lint`, `diff` and on standard error.

use owo_colors::Style;

/// An error: its severity, `error:` on standard error, counts that hold errors.
pub fn error() -> Style {
    Style::new().red().bold()
}

/// A warning, counts that hold warnings (and no error), an incomplete report.
pub fn warning() -> Style {
    Style::new().yellow().bold()
}

/// An info finding, and `note:`.
pub fn info() -> Style {
    Style::new().cyan().bold()
}

/// Counts with nothing to fix.
pub fn clean() -> Style {
    Style::new().green().bold()
}

/// A heading: `lbplan diff` at the head of its report.
pub fn heading() -> Style {
    Style::new().bold()
}

/// A change's sign, as terraform and helm-diff colour it: added, removed, changed.
pub fn added() -> Style {
    Style::new().green()
}

pub fn removed() -> Style {
    Style::new().red()
}

pub fn changed() -> Style {
    Style::new().yellow()
}
