//! How much of an input value lbplan's messages quote: at most [`QUOTE_BYTES`] of it, cut on a
//! character boundary and marked with `…` and the value's full length, so that a 100 MB
//! annotation makes a message of a few hundred bytes, not a 100 MB report.

use std::borrow::Cow;
use std::fmt;

/// The most bytes of one input value a message quotes.
pub const QUOTE_BYTES: usize = 200;

/// The most bytes of one message (lbplan's words and the values it quotes) a report prints.
pub const MESSAGE_BYTES: usize = 4096;

/// The first `max` bytes of `text` cut on a character boundary, or `None` when it is no longer.
fn head(text: &str, max: usize) -> Option<&str> {
    if text.len() <= max {
        return None;
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end)
}

/// `value` in quotes, as messages quote annotation values: `"value"`, or, over 200 bytes, its
/// first 200 bytes, `…` and its length: `"aaaa…" (104857600 bytes)`.
pub fn quote(value: &str) -> String {
    match head(value, QUOTE_BYTES) {
        None => format!("\"{value}\""),
        Some(head) => format!("\"{head}…\" ({} bytes)", value.len()),
    }
}

/// `value` cut as [`quote`] cuts it, without quotes (names, keys, IDs): `aaaa… (300 bytes)`.
#[derive(Debug, Clone, Copy)]
pub struct Truncated<'a>(pub &'a str);

impl fmt::Display for Truncated<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match head(self.0, QUOTE_BYTES) {
            None => f.write_str(self.0),
            Some(head) => write!(f, "{head}… ({} bytes)", self.0.len()),
        }
    }
}

/// A message holding input that was not quoted with [`quote`] (a name, a parser's error that
/// repeats a value, a renderer's error), bounded as reports print it: each word (a run without
/// whitespace or quotes) over 200 bytes is cut as [`Truncated`] cuts it, and the whole message
/// at [`MESSAGE_BYTES`]. Words [`quote`] or [`Truncated`] already cut are left as they are.
pub fn bound(text: &str) -> Cow<'_, str> {
    let long_word = text
        .split(separates)
        .any(|w| w.len() > QUOTE_BYTES && !already_cut(w));
    if !long_word && text.len() <= MESSAGE_BYTES {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(MESSAGE_BYTES + 64));
    let mut word_start = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if !separates(c) {
            continue;
        }
        let word = text.get(word_start..i).unwrap_or("");
        if already_cut(word) {
            out.push_str(word);
        } else {
            out.push_str(&Truncated(word).to_string());
        }
        if i < text.len() {
            out.push(c);
        }
        word_start = i + c.len_utf8();
        if out.len() > MESSAGE_BYTES {
            break;
        }
    }
    if out.len() > MESSAGE_BYTES || word_start < text.len() {
        let cut = head(&out, MESSAGE_BYTES).unwrap_or(&out).to_string();
        return Cow::Owned(format!("{cut}… ({} bytes)", text.len()));
    }
    Cow::Owned(out)
}

fn separates(c: char) -> bool {
    c.is_whitespace() || c == '"'
}

/// A word [`quote`] or [`Truncated`] cut: 200 bytes at most, then `…`.
fn already_cut(word: &str) -> bool {
    word.strip_suffix('…')
        .is_some_and(|head| head.len() <= QUOTE_BYTES)
}

/// `text` with every occurrence of one of `values` (input values over 200 bytes, longest first)
/// cut as [`Truncated`] cuts it: for messages that put such a value in without [`quote`], which
/// [`bound`] cannot find when it holds spaces.
pub fn cut_values<'a>(text: &'a str, values: &[&str]) -> Cow<'a, str> {
    let mut out = Cow::Borrowed(text);
    for value in values.iter().filter(|v| v.len() > QUOTE_BYTES) {
        if out.contains(value) {
            out = Cow::Owned(out.replace(value, &Truncated(value).to_string()));
        }
    }
    out
}
