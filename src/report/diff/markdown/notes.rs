//! The notes of a report, collapsed by kind: a repository with a chart per folder, or clusters
//! whose paths nest, says the same thing dozens of times, and the notes must scale with the
//! problem, not with the config. Each kind is one line, with its count and its first note; a
//! note of no known kind stands alone.

use crate::text::bound;
use crate::text::markdown::{Budget, code};
use crate::text::plural;

/// At most this many lines are shown openly; more go into one `<details>`.
const OPEN_LINES: usize = 3;

/// What the closing `</details>` of folded notes takes.
const CLOSE: &str = "\n</details>\n";

/// `N more notes not shown ...`, in or instead of the notes.
pub(super) fn left_line(n: usize, all: bool) -> String {
    format!(
        "{}{n} {}{} not shown within the byte budget: `lbplan diff` lists them\n",
        if all { "\n" } else { "- " },
        if all { "" } else { "more " },
        plural(n, "note", "notes")
    )
}

/// The kind of a note that comes in numbers, by how lbplan words it; `None` for a note of its
/// own kind.
fn kind(note: &str) -> Option<&'static str> {
    let has = |part: &str| note.contains(part);
    if note.starts_with("Helm chart ") && has(" not linted") {
        Some("Helm charts not rendered")
    } else if note.starts_with("Kustomize overlay ") && has(" not rendered") {
        Some("Kustomize overlays not rendered")
    } else if note.starts_with("Kustomize overlay ") && has(" is used only as a base") {
        Some("Kustomize overlays used only as bases")
    } else if note.starts_with("Kustomize component ") {
        Some("Kustomize components no overlay uses")
    } else if (note.starts_with("the paths of cluster ") && has(" hold those of cluster "))
        || (note.starts_with("clusters ") && has(" both list "))
    {
        Some("clusters' paths overlap")
    } else if has(": an lbplan report, not a manifest") {
        Some("lbplan reports skipped")
    } else if has(": empty, nothing exported here") {
        Some("empty exports")
    } else {
        None
    }
}

/// One line per kind, in the order each kind first appears: `- 8 notes: clusters' paths
/// overlap, such as `...``, or `- note: `...`` for a note alone; and how many notes each holds.
fn lines(notes: &[String]) -> Vec<(String, usize)> {
    let mut kinds: Vec<(Option<&'static str>, Vec<&String>)> = Vec::new();
    for note in notes {
        match kind(note) {
            Some(k) => match kinds.iter_mut().find(|(have, _)| *have == Some(k)) {
                Some((_, list)) => list.push(note),
                None => kinds.push((Some(k), vec![note])),
            },
            None => kinds.push((None, vec![note])),
        }
    }
    kinds
        .into_iter()
        .map(|(k, list)| {
            let first = code(&bound(list.first().map_or("", |n| n.as_str())));
            let line = match (k, list.len()) {
                (Some(k), n) if n > 1 => format!("- {n} notes: {k}, such as {first}\n"),
                _ => format!("- note: {first}\n"),
            };
            (line, list.len())
        })
        .collect()
}

/// The notes in the room left, last in the report: more than [`OPEN_LINES`] lines fold into
/// one `<details>`, and what does not fit is counted.
pub(super) fn notes(out: &mut Budget, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    let lines = lines(notes);
    let folded = lines.len() > OPEN_LINES;
    let (open, close) = if folded {
        let kinds = lines.len();
        (
            format!(
                "\n<details><summary>{} {} of {kinds} kinds</summary>\n\n",
                notes.len(),
                plural(notes.len(), "note", "notes")
            ),
            CLOSE,
        )
    } else {
        ("\n".to_string(), "")
    };
    // The notes' own count line is written in the room kept for it.
    out.reserve(0);
    let room_left = |out: &Budget, bytes: usize, left: usize| {
        let count = if left > 0 {
            left_line(left, false).len()
        } else {
            0
        };
        out.fits(bytes + close.len() + count)
    };
    let (first, first_n) = lines.first().map_or((0, 0), |(l, n)| (l.len(), *n));
    if !room_left(out, open.len() + first, notes.len() - first_n) {
        out.force(&left_line(notes.len(), true));
        return;
    }
    out.force(&open);
    let mut shown = 0;
    for (line, n) in &lines {
        let left = notes.len() - shown - n;
        if !room_left(out, line.len(), left) {
            break;
        }
        out.force(line);
        shown += n;
    }
    let left = notes.len() - shown;
    if left > 0 {
        out.force(&left_line(left, false));
    }
    out.force(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_of_one_kind_are_one_line() {
        let overlap = |inner: &str| {
            format!(
                "the paths of cluster a (deploy/) hold those of cluster {inner} (deploy/{inner}): files under deploy/{inner} go to {inner}, the most specific path"
            )
        };
        let notes = vec![
            overlap("b"),
            "the head has no config: both sides are read with the base's .lbplan.yaml".into(),
            overlap("c"),
            overlap("d"),
        ];
        let shown = lines(&notes);
        assert_eq!(shown.len(), 2);
        assert!(
            shown[0]
                .0
                .starts_with("- 3 notes: clusters' paths overlap, such as `the paths of cluster a")
        );
        assert_eq!(shown[0].1, 3);
        assert!(shown[1].0.starts_with("- note: `the head has no config"));
    }
}
