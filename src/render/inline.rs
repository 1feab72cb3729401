//! Patches written inline in a kustomization (`patch: |-`), and how their lines map back to the
//! kustomization file's.

use std::sync::Arc;

use crate::source::Span;

/// A patch written inline in the kustomization: its text and, for a block scalar whose lines can
/// be told, the offset in the kustomization file of each of its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inline {
    pub text: Arc<str>,
    pub line_offsets: Option<Vec<usize>>,
    /// Where the patch is written (its key, or its list entry), for when its lines cannot be told.
    pub anchor: Option<Span>,
}

impl Inline {
    /// The offset in the kustomization file of `offset` in the patch text.
    pub fn map(&self, offset: usize) -> Option<usize> {
        let lines = self.line_offsets.as_ref()?;
        let before = self.text.get(..offset)?;
        let line = before.matches('\n').count();
        let column = offset - before.rfind('\n').map_or(0, |i| i + 1);
        lines.get(line).map(|start| start + column)
    }
}

/// The file offset of each line of a block scalar (`patch: |-`) written after the key at `key`,
/// if the lines, unindented, are exactly `value`; `None` for folded or otherwise rewritten text.
pub fn block_lines(text: &str, key: Span, value: &str) -> Option<Vec<usize>> {
    let line_start = text.get(..key.start)?.rfind('\n').map_or(0, |i| i + 1);
    let key_indent = key.start - line_start;
    let mut offset = line_start + text.get(line_start..)?.find('\n')? + 1;
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut indent = None;
    while offset < text.len() {
        let rest = text.get(offset..)?;
        let line = rest.split('\n').next().unwrap_or("");
        let blank = line.trim().is_empty();
        let this = line.len() - line.trim_start_matches(' ').len();
        if !blank && this <= key_indent {
            break;
        }
        if !blank && indent.is_none() {
            indent = Some(this);
        }
        lines.push((offset, line));
        offset += line.len() + 1;
    }
    let indent = indent?;
    let unindented: Vec<&str> = lines
        .iter()
        .map(|(_, l)| l.get(indent..).unwrap_or(""))
        .collect();
    let joined = unindented.join("\n");
    let trimmed = |s: &str| s.trim_end_matches(['\n', ' ']).to_string();
    (trimmed(&joined) == trimmed(value)).then(|| lines.iter().map(|(o, _)| o + indent).collect())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::render::kustomization::{PatchSource, parse};

    fn parse_text(text: &str) -> crate::render::kustomization::Kustomization {
        parse(Path::new("/k"), Path::new("/k/kustomization.yaml"), text)
    }

    #[test]
    fn inline_block_patches_map_back_to_their_lines() {
        let text = "patches:\n- target:\n    kind: Service\n  patch: |-\n    - op: add\n      path: /metadata/annotations/x\n      value: \"on\"\n";
        let k = parse_text(text);
        let PatchSource::Inline(inline) = &k.patches[0].source else {
            panic!("inline expected")
        };
        let in_patch = inline.text.find("value").expect("value");
        let in_file = inline.map(in_patch).expect("mapped");
        assert_eq!(text.get(in_file..in_file + 5), Some("value"));
        // Folded text cannot be mapped line by line.
        let folded = parse_text("patches:\n- patch: >\n    a: b\n    c: d\n");
        let PatchSource::Inline(inline) = &folded.patches[0].source else {
            panic!("inline expected")
        };
        assert!(inline.line_offsets.is_none());
    }
}
