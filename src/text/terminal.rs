//! Text for a terminal or a CI log: human output, plan and weight tables, standard error.
//!
//! A CI runner reads every line of a step's output for workflow commands: a line that starts with
//! `::` once its leading whitespace is trimmed, or (the legacy form) that holds `##[` anywhere.
//! Input printed here must start neither, and must not move the cursor, clear the screen or end
//! a line: control characters are written as escapes, `##[` (in a value) and a `::` that starts
//! a line (in a finished output) have one character escaped the same way (`#\u{23}[`,
//! `\u{3a}:`), so what they said stays readable.

use std::borrow::Cow;

use owo_colors::{OwoColorize, Style};

use super::palette;

/// The runner's legacy command prefix, which it looks for anywhere in a line.
const LEGACY: &str = "##[";
/// [`LEGACY`] with its second `#` escaped.
const LEGACY_BROKEN: &str = "#\\u{23}[";
/// The first `:` of a line-starting `::`, escaped.
const COLON_BROKEN: &str = "\\u{3a}";

/// Control characters are escaped, all but tab (which moves nothing but the column).
fn escaped(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// One value from the input (a name, a path, an annotation value, a note, a message quoting
/// them) as it may appear inside one line of output: every control character, CR and LF
/// included, as an escape (`\u{1b}`, `\u{a}`), so it can neither end the line nor drive the
/// terminal; `##[` broken with one escaped character. Tab is kept, and so is a leading `::` (an
/// IPv6 address): a value inside a line starts no line, and [`inert`] guards what does. Escaping
/// twice changes nothing.
pub fn visible(text: &str) -> Cow<'_, str> {
    // Printable ASCII (every path and name of most runs, thousands per run) is checked byte by
    // byte, without decoding characters.
    let printable = text.bytes().all(|b| matches!(b, b' '..=b'~' | b'\t'));
    if (printable || !text.chars().any(escaped)) && !text.contains(LEGACY) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    if out.contains(LEGACY) {
        out = out.replace(LEGACY, LEGACY_BROKEN);
    }
    Cow::Owned(out)
}

/// Several lines from outside lbplan (a renderer's standard error) as lines of output: each
/// escaped as [`visible`] escapes a value, with a leading `::` broken too since it starts a line;
/// the line breaks kept (CRLF and a lone CR, which a runner also splits lines on, become LF).
pub fn lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        for (j, part) in line.split('\r').enumerate() {
            if i + j > 0 {
                out.push('\n');
            }
            break_commands(&visible(part), &mut out);
        }
    }
    out
}

/// A finished output (a report, a table, a message), colour included: every line that would
/// start with `::` once trimmed, and every `##[`, broken as [`visible`] breaks them; nothing else
/// changes, colour codes included. The last guard before text leaves lbplan, for what no value
/// escaping covers: a file's own line drawn in a snippet, a value lbplan put first on a line.
pub fn inert(text: &str) -> Cow<'_, str> {
    if !text.contains(LEGACY) && !text.contains("::") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive(['\n', '\r']) {
        break_commands(line, &mut out);
    }
    Cow::Owned(out)
}

/// `line` onto `out` with a leading `::` and every `##[` broken.
fn break_commands(line: &str, out: &mut String) {
    let trimmed = line.trim_start();
    let rest = match trimmed.strip_prefix(':').filter(|r| r.starts_with(':')) {
        Some(rest) => {
            out.push_str(line.get(..line.len() - trimmed.len()).unwrap_or(""));
            out.push_str(COLON_BROKEN);
            rest
        }
        None => line,
    };
    let mut parts = rest.split(LEGACY);
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str(LEGACY_BROKEN);
        out.push_str(part);
    }
}

/// Colour, where the output is a colour terminal: added to text already escaped (or lbplan's
/// own), never escaped after, so that its codes reach the terminal as codes.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    pub fn paint(self, text: &str, style: Style) -> String {
        if self.on {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }

    /// A change's sign as terraform and helm-diff colour it: `+` green, `-` red, `~` yellow
    /// (`-/+`, a replacement, in both colours).
    pub fn sign(self, sign: &str) -> String {
        match sign {
            "+" => self.paint(sign, palette::added()),
            "-" => self.paint(sign, palette::removed()),
            "~" => self.paint(sign, palette::changed()),
            "-/+" => format!(
                "{}/{}",
                self.paint("-", palette::removed()),
                self.paint("+", palette::added())
            ),
            other => other.to_string(),
        }
    }
}

/// Text holding input for one line of a terminal (a message, a name, a table cell): bounded as
/// messages are ([`super::bound`]: no value over 200 bytes) and escaped ([`visible`]).
pub fn clean(text: &str) -> String {
    visible(&super::bound(text)).into_owned()
}
