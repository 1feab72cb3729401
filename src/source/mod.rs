//! Where things are: input files, byte spans inside them, and the one `Origin` type that every
//! finding, object and listener claim carries.
//!
//! Spans are byte offsets into the file text. They are computed once, by pointer difference, when
//! the YAML layer hands out strings borrowed from that text (see `yaml.rs`), so no second parser is
//! needed to find lines. Lines and columns are derived only when a finding is rendered.

pub mod confine;
pub mod discover;
pub mod glob;
pub mod helm;
pub mod names;
pub mod node;
pub mod read;
mod tracked;
pub mod walk;
pub mod yaml;

use std::sync::{Arc, OnceLock};

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The span of `inner`, a slice of `outer` whose own span is `self`; `None` if `inner` is not
    /// inside `outer` (an owned copy, say).
    pub fn sub(self, outer: &str, inner: &str) -> Option<Span> {
        let offset = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
        if offset + inner.len() > outer.len() {
            return None;
        }
        Some(Span::new(
            self.start + offset,
            self.start + offset + inner.len(),
        ))
    }
}

/// A place in the input: a file and a span in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: FileId,
    pub span: Span,
}

impl Origin {
    pub fn new(file: FileId, span: Span) -> Self {
        Origin { file, span }
    }
}

/// One input: a manifest file, standard input, or a pod snapshot.
///
/// A file is read once. Its text is kept when a finding can point into it (see `load.rs`), so
/// that drawing the finding never reads the file again: a second read could block (a pipe), see
/// other bytes (a file changed since) or fail.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `<stdin>`), used in every report.
    pub name: String,
    text: Option<Arc<str>>,
    line_starts: OnceLock<Vec<usize>>,
    /// Where [`SourceFile::line_of`] last counted to without the index: the start of a line and
    /// its number, so that places looked up in order cost one pass over the file in all.
    counted: std::sync::Mutex<(usize, usize)>,
    /// The text with each lone CR made an LF (same length), for drawers that know only LF and CRLF;
    /// `None` when the text has no lone CR.
    drawable: OnceLock<Option<String>>,
}

/// 1-based line and column (in characters) of a byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A file's bytes as text: invalid UTF-8 is replaced (so every line stays where it was) and a
/// binary file (a NUL byte early on, as git decides) is reported instead of parsed.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// Byte offset and description of what is wrong with the file as text.
    pub problem: Option<(usize, &'static str)>,
    pub binary: bool,
}

pub fn decode(bytes: Vec<u8>) -> Decoded {
    if let Some(nul) = bytes.iter().take(8000).position(|&b| b == 0) {
        // The offset is in the repaired text, where each invalid byte became three.
        let offset = bytes
            .get(..nul)
            .map_or(0, |before| String::from_utf8_lossy(before).len());
        // Only the first NUL's line is ever drawn: the rest of a large binary file is not kept.
        let end = bytes
            .iter()
            .skip(nul)
            .take(4096)
            .position(|&b| b == b'\n')
            .map_or((nul + 4096).min(bytes.len()), |i| nul + i);
        let head = bytes.get(..end).unwrap_or(&bytes);
        return Decoded {
            text: String::from_utf8_lossy(head).replace('\0', " "),
            problem: Some((offset, "binary file (NUL byte): not a manifest")),
            binary: true,
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            problem: None,
            binary: false,
        },
        Err(err) => {
            let bad = err.utf8_error().valid_up_to();
            Decoded {
                text: String::from_utf8_lossy(err.as_bytes()).into_owned(),
                problem: Some((bad, "not valid UTF-8: the file must be UTF-8 text")),
                binary: false,
            }
        }
    }
}

impl SourceFile {
    /// A source and its text, if kept.
    pub fn new(name: String, text: Option<Arc<str>>) -> Self {
        SourceFile {
            name,
            text,
            line_starts: OnceLock::new(),
            counted: std::sync::Mutex::new((0, 1)),
            drawable: OnceLock::new(),
        }
    }

    /// A source whose text is held in memory (standard input, the config).
    pub fn in_memory(name: String, text: Arc<str>) -> Self {
        SourceFile::new(name, Some(text))
    }

    /// A source that could not be read.
    pub fn unreadable(name: String) -> Self {
        SourceFile::new(name, None)
    }

    /// The text, when it was kept.
    pub fn text(&self) -> Option<&Arc<str>> {
        self.text.as_ref()
    }

    /// Byte offsets where the text's lines start (computed once).
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| line_starts(self.text().map_or("", |t| t)))
    }

    /// The 1-based line of `offset`, without building the line index when it is not built yet:
    /// places looked up in order (the copies of duplicate objects, in input order) are counted
    /// from the last one, one pass over the file in all and no index held for it. A place before
    /// the last one builds the index, so that no lookup pattern costs more than one pass each.
    pub fn line_of(&self, offset: usize) -> usize {
        let text = self.text().map_or("", |t| t);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        if self.line_starts.get().is_none() {
            let mut counted = self
                .counted
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let (start, line) = *counted;
            if start <= offset {
                let bytes = text.as_bytes();
                let (mut at, mut line) = (start, line);
                while let Some(next) = bytes.get(at..offset).and_then(next_line_start) {
                    at += next;
                    line += 1;
                }
                // Between the CR and the LF of a CRLF the line has not ended yet.
                let split_crlf = at == offset
                    && offset > start
                    && bytes.get(offset - 1) == Some(&b'\r')
                    && bytes.get(offset) == Some(&b'\n');
                if split_crlf {
                    return line - 1;
                }
                *counted = (at, line);
                return line;
            }
        }
        self.line_index(offset) + 1
    }

    /// The 0-based index of the line holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The text as a snippet drawer must see it: line breaks where lbplan counts them (see
    /// [`next_line_start`]), offsets unchanged.
    pub fn drawable_text(&self) -> Option<&str> {
        let text = self.text()?;
        let fixed = self.drawable.get_or_init(|| {
            if !needs_drawing_fix(text) {
                return None;
            }
            // Each replacement has the length of what it replaces, so spans stay valid: a lone CR
            // becomes LF, another C0 control or DEL `?`, a C1 control (two bytes) `¿`.
            let mut out = String::with_capacity(text.len());
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\r' if chars.peek() == Some(&'\n') => out.push(c),
                    '\r' => out.push('\n'),
                    '\n' | '\t' => out.push(c),
                    c if (c as u32) < 0x20 || c == '\u{7f}' => out.push('?'),
                    c if ('\u{80}'..='\u{9f}').contains(&c) => out.push('¿'),
                    c => out.push(c),
                }
            }
            (out != **text).then_some(out)
        });
        Some(fixed.as_deref().unwrap_or(text))
    }

    /// Line and column of `offset`. Offsets past the end clamp to the end.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let text = self.text().map_or("", |t| t);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let starts = self.line_starts();
        let line_index = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = starts.get(line_index).copied().unwrap_or(0);
        let column = text
            .get(line_start..offset)
            .map(|s| s.trim_start_matches('\u{feff}').chars().count())
            .unwrap_or(0);
        LineCol {
            line: line_index + 1,
            column: column + 1,
        }
    }

    /// `span` moved onto character boundaries and inside the text, for renderers that slice by it.
    pub fn clamp(&self, span: Span) -> Span {
        let text = self.text().map_or("", |t| t);
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let mut end = span.end.clamp(start, text.len());
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        Span::new(start, end)
    }

    /// The text of the 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let text = self.text().map_or("", |t| t);
        let starts = self.line_starts();
        let start = starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        let end = starts.get(line).copied().unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// Whether `text` holds a character [`drawable`](SourceFile::drawable_text) must replace.
fn needs_drawing_fix(text: &str) -> bool {
    text.bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2)
}

/// Where the line after the first line of `bytes` starts: after `\n`, `\r\n` or a lone `\r`
/// (old Mac line ends, which YAML counts as line breaks too). `None` on the last line.
pub fn next_line_start(bytes: &[u8]) -> Option<usize> {
    let i = bytes.iter().position(|&b| b == b'\n' || b == b'\r')?;
    match (bytes.get(i), bytes.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => Some(i + 2),
        _ => Some(i + 1),
    }
}

/// Byte offsets where the lines of `text` start, by [`next_line_start`]'s rule.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'\r') {
        // The common case, in one pass.
        return std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
    }
    let mut starts = vec![0];
    let mut at = 0;
    while let Some(next) = bytes.get(at..).and_then(next_line_start) {
        at += next;
        starts.push(at);
    }
    starts
}

/// The number of line breaks in `text`, by [`next_line_start`]'s rule.
pub fn count_line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut at = 0;
    while let Some(next) = bytes.get(at..).and_then(next_line_start) {
        at += next;
        count += 1;
    }
    count
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every file read in one run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.name.as_str())
    }

    /// The names of every source, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|f| f.name.as_str())
    }

    pub fn line_col(&self, origin: Origin) -> LineCol {
        self.get(origin.file)
            .map_or(LineCol { line: 1, column: 1 }, |f| {
                f.line_col(origin.span.start)
            })
    }

    /// The line of an origin, as [`SourceFile::line_of`] counts it.
    pub fn line_of(&self, origin: Origin) -> usize {
        self.get(origin.file)
            .map_or(1, |f| f.line_of(origin.span.start))
    }
}

#[cfg(test)]
mod tests;
