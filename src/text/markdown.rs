//! Markdown for a pull-request comment or a job summary.
//!
//! GitHub renders images (fetched through its proxy, which tells their host the comment was
//! read), links, autolinked URLs and @mentions (which notify people) from any text outside code.
//! So input is only ever written as code: a code span or a fenced block whose fence is longer
//! than any backtick run inside, or `<code>` with HTML entities inside HTML such as `<summary>`.
//! Inside a table cell a `|` is escaped even in a code span, since GitHub splits cells first.
//! The text is escaped as for a terminal first ([`visible`]): no line break can end a table row,
//! and no workflow command can start a line when the report is printed in a CI log.

use super::terminal::{lines, visible};

/// The longest run of backticks in `text`.
fn longest_backticks(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Input text as an inline code span, whatever it holds: fenced with one backtick more than its
/// longest backtick run, padded with a space where it starts or ends with a backtick or a space
/// (which Markdown would otherwise read as part of the fence or strip). Empty text is empty.
pub fn code(text: &str) -> String {
    let text = visible(text);
    if text.is_empty() {
        return String::new();
    }
    let fence = "`".repeat(longest_backticks(&text) + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Input text as a code span in a table cell: [`code`], with `|` escaped.
pub fn cell(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// lbplan's own words in a table cell (no input in them): `|` escaped, line breaks as spaces.
pub fn words(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Input text inside HTML (a `<summary>`, where Markdown is not read): `<code>`, with `&`, `<`,
/// `>` and quotes as entities.
pub fn html_code(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 13);
    out.push_str("<code>");
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out.push_str("</code>");
    out
}

/// Lines from outside lbplan (a renderer's standard error) as a fenced code block: each line as
/// [`lines`] makes it, the fence longer than any backtick run inside, and at least three long.
pub fn fenced(text: &str) -> String {
    let body = lines(text);
    let fence = "`".repeat((longest_backticks(&body) + 1).max(3));
    format!("{fence}text\n{body}\n{fence}\n")
}

/// A Markdown report within a byte budget (`--max-bytes`): pieces are added whole or not at all,
/// keeping `reserve` bytes for the closing line that counts what was left out, and the finished
/// report is never longer than the budget.
#[derive(Debug)]
pub struct Budget {
    max: usize,
    reserve: usize,
    text: String,
}

impl Budget {
    pub fn new(max: usize, reserve: usize) -> Self {
        Budget {
            max,
            reserve,
            text: String::new(),
        }
    }

    /// Keep `bytes` free from now on (for the lines still to come that count what was left out).
    pub fn reserve(&mut self, bytes: usize) {
        self.reserve = bytes;
    }

    /// Whether `bytes` more fit, the reserve kept.
    pub fn fits(&self, bytes: usize) -> bool {
        self.text.len() + bytes + self.reserve <= self.max
    }

    /// Add `piece` if it fits; whether it did.
    pub fn push(&mut self, piece: &str) -> bool {
        if !self.fits(piece.len()) {
            return false;
        }
        self.text.push_str(piece);
        true
    }

    /// Add `piece` whatever its size (what the report cannot go without: the verdict); the
    /// finished report is still cut to the budget.
    pub fn force(&mut self, piece: &str) {
        self.text.push_str(piece);
    }

    /// The report, `tail` at its end, at most the budget long: text past it is cut at the last
    /// line break that leaves room for a line saying so (or, with no such break, at a character
    /// boundary).
    pub fn finish(mut self, tail: &str) -> String {
        self.text.push_str(tail);
        if self.text.len() <= self.max {
            return self.text;
        }
        let said = format!(
            "\n(cut at {} of {} bytes: --max-bytes)\n",
            self.max,
            self.text.len()
        );
        if said.len() > self.max {
            let end = floor_boundary(&self.text, self.max);
            self.text.truncate(end);
            return self.text;
        }
        let end = floor_boundary(&self.text, self.max - said.len());
        let line_end = self
            .text
            .get(..end)
            .and_then(|kept| kept.rfind('\n'))
            .map_or(end, |i| i + 1);
        self.text.truncate(line_end);
        self.text.push_str(&said);
        self.text
    }
}

/// The largest character boundary of `text` at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut end = at.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}
