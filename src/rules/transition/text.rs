//! What transition rules compare as text: a block of YAML without its comments (a pod template
//! on each side), and the workloads whose pod templates a change rolls.

use super::{Side, Transition};
use crate::model::ObjectId;
use crate::source::Origin;

impl Transition<'_> {
    /// The text of the block that starts at the key at `origin` on `side` (the key's line and
    /// the lines indented below it), without comment lines, blank lines and trailing spaces: what
    /// a change of that block changes, whatever its line.
    pub fn block_text(&self, side: Side, origin: Origin) -> Option<String> {
        let sources = match side {
            Side::Base => self.sources.0,
            Side::Head => self.sources.1,
        };
        let file = sources.get(origin.file)?;
        let text = file.text()?;
        let first = file.line_index(origin.span.start);
        let starts = file.line_starts();
        let line = |i: usize| -> Option<&str> {
            let start = *starts.get(i)?;
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            text.get(start..end)
        };
        let head = line(first)?;
        let indent = head.len() - head.trim_start().len();
        let mut block = String::from(without_comment(head).trim());
        for i in first + 1..starts.len() {
            let Some(l) = line(i) else { break };
            let l = without_comment(l);
            let trimmed = l.trim();
            if trimmed.is_empty() {
                continue;
            }
            if l.len() - l.trim_start().len() <= indent || trimmed == "---" {
                break;
            }
            block.push('\n');
            block.push_str(l.trim_end());
        }
        Some(block)
    }

    /// The workloads of the head that Service `service` (of the head) selects and whose pod
    /// template changes: each present on both sides, its template's text compared without
    /// comments, blank lines and trailing spaces (a rolling update; replicas are not in it).
    pub fn rolled_workloads(&self, service: ObjectId) -> Vec<ObjectId> {
        let mut rolled = Vec::new();
        for &workload in &self.head.inv.targets_of(service).workloads {
            let crate::k8s::Spec::Workload(w) = &self.head.object(workload).spec else {
                continue;
            };
            let Some(before) = self.counterpart(Side::Base, workload) else {
                continue;
            };
            let crate::k8s::Spec::Workload(was) = &self.base.object(before).spec else {
                continue;
            };
            let now = self.block_text(Side::Head, w.template.origin);
            if now.is_some() && now != self.block_text(Side::Base, was.template.origin) {
                rolled.push(workload);
            }
        }
        rolled
    }
}

/// A YAML line without its comment: from a `#` at the start or after a blank, outside quotes.
fn without_comment(line: &str) -> &str {
    let (mut single, mut double, mut blank) = (false, false, true);
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if blank && !single && !double => return line.get(..i).unwrap_or(line),
            _ => {}
        }
        blank = c.is_whitespace();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::without_comment;

    #[test]
    fn comments_are_cut_outside_quotes() {
        assert_eq!(without_comment("  template:   # rolled"), "  template:   ");
        assert_eq!(without_comment("# whole line"), "");
        assert_eq!(without_comment("a: \"x # y\" # z"), "a: \"x # y\" ");
        assert_eq!(
            without_comment("url: http://h/#frag"),
            "url: http://h/#frag"
        );
        assert_eq!(without_comment("b: 'it''s # here'"), "b: 'it''s # here'");
    }
}
