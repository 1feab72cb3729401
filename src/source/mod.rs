//! Where things are: input files, byte spans inside them, and the one `Origin` type that every
//! finding, object and listener claim carries.
//!
//! Spans are byte offsets into the file text. They are computed once, by pointer difference, when
//! the YAML layer hands out strings borrowed from that text (see `yaml.rs`), so no second parser is
//! needed to find lines. Lines and columns are derived only when a finding is rendered.

pub mod discover;
pub mod node;
pub mod yaml;

use std::path::PathBuf;
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
/// The text of a file on disk is not kept after parsing: memory follows the objects the plan needs,
/// not the size of the repository. When a finding in the file is rendered, the file is read and
/// decoded again, exactly as it was for parsing, so that spans still point at the same bytes.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `<stdin>`), used in every report.
    pub name: String,
    /// Where to read the text again, for files on disk.
    path: Option<PathBuf>,
    /// Length of the decoded text when it was parsed, to notice a file changed since.
    len: usize,
    text: OnceLock<Option<Arc<str>>>,
    line_starts: OnceLock<Vec<usize>>,
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
        return Decoded {
            text: String::from_utf8_lossy(&bytes).replace('\0', " "),
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
    /// A source whose text is held in memory (standard input, the config).
    pub fn in_memory(name: String, text: Arc<str>) -> Self {
        SourceFile {
            name,
            path: None,
            len: text.len(),
            text: OnceLock::from(Some(text)),
            line_starts: OnceLock::new(),
        }
    }

    /// A file on disk whose decoded text was `len` bytes long, read again when needed.
    pub fn on_disk(name: String, path: PathBuf, len: usize) -> Self {
        SourceFile {
            name,
            path: Some(path),
            len,
            text: OnceLock::new(),
            line_starts: OnceLock::new(),
        }
    }

    /// A source that could not be read.
    pub fn unreadable(name: String) -> Self {
        SourceFile {
            name,
            path: None,
            len: 0,
            text: OnceLock::from(None),
            line_starts: OnceLock::new(),
        }
    }

    /// The text, read again from disk on first use. `None` if it cannot be read, or no longer has
    /// the length it had when parsed.
    pub fn text(&self) -> Option<&Arc<str>> {
        self.text
            .get_or_init(|| {
                let bytes = std::fs::read(self.path.as_ref()?).ok()?;
                let text = decode(bytes).text;
                (text.len() == self.len).then(|| Arc::from(text.as_str()))
            })
            .as_ref()
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let text = self.text().map_or("", |t| t);
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
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

    pub fn line_col(&self, origin: Origin) -> LineCol {
        self.get(origin.file)
            .map_or(LineCol { line: 1, column: 1 }, |f| {
                f.line_col(origin.span.start)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::in_memory("t.yaml".into(), Arc::from(text))
    }

    #[test]
    fn line_col_counts_lines_and_characters() {
        let f = file("a: 1\nbé: 2\r\nc: 3");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
        // "bé: " is 5 bytes, 4 characters
        assert_eq!(f.line_col(10), LineCol { line: 2, column: 5 });
        assert_eq!(f.line_col(13), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_col(999), LineCol { line: 3, column: 5 });
        assert_eq!(f.line_text(2), "bé: 2");
    }

    #[test]
    fn files_on_disk_are_read_again_and_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "a: 1\nb: 2\n").expect("write");
        let f = SourceFile::on_disk("a.yaml".into(), path.clone(), 10);
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
        let changed = SourceFile::on_disk("a.yaml".into(), path, 99);
        assert!(
            changed.text().is_none(),
            "a file changed since parsing is not trusted"
        );
    }

    #[test]
    fn decoding_keeps_lines_in_place() {
        let d = decode(b"a: 1\nb: \xff\nc: 3\n".to_vec());
        assert_eq!(d.problem.map(|p| p.0), Some(8));
        assert_eq!(d.text.lines().count(), 3);
        assert!(decode(b"PNG\0\x01".to_vec()).binary);
        let png = decode(b"\x89PNG\r\n\x1a\n\0".to_vec());
        assert_eq!(
            png.problem.map(|p| p.0),
            Some(10),
            "after the 3-byte replacement of 0x89"
        );
    }

    #[test]
    fn bom_does_not_count_as_a_column() {
        let f = file("\u{feff}kind: Service");
        assert_eq!(f.line_col(3), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn sub_span_by_pointer_difference() {
        let outer = "kubernetes.io/elb.id";
        let inner = &outer[14..];
        assert_eq!(Span::new(10, 30).sub(outer, inner), Some(Span::new(24, 30)));
        assert_eq!(Span::new(10, 30).sub(outer, "elb.id"), None);
    }
}
