//! Rendered streams parsed once for both sides of `lbplan diff`.
//!
//! An overlay whose inputs are the same on both sides renders to the same stream (from the one
//! render cache entry), and parsing it again would give the same objects. The memo keeps each
//! stream parsed by one side, keyed by everything the parse depends on: the stream's text, its
//! name (JSON or YAML) and the source id its origins carry. The other side takes a copy instead
//! of parsing. Sharing is by content only, never by path: a stream of another text, or one that
//! would get another source id, is parsed anew.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::files::Parsed;
use crate::source::FileId;

/// What a stream's parse depends on.
type Key = (FileId, String, Arc<str>);

/// Streams parsed during a run, shared by the two sides of a diff.
#[derive(Default)]
pub struct ParseMemo {
    parsed: Mutex<HashMap<Key, Parsed>>,
    /// How many streams were parsed (not taken from the memo): what tests count.
    parses: AtomicUsize,
}

impl std::fmt::Debug for ParseMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseMemo")
            .field("parses", &self.parses())
            .finish_non_exhaustive()
    }
}

impl ParseMemo {
    /// The stream `text`, named `name`, as source `file`: the parse the other side kept for the
    /// same key, else `parse()`'s, a copy of which is kept for the other side.
    pub(super) fn parsed(
        &self,
        file: FileId,
        name: &str,
        text: &Arc<str>,
        parse: impl FnOnce() -> Parsed,
    ) -> Parsed {
        let key = (file, name.to_string(), Arc::clone(text));
        // Taken: one side's parse serves the other side once, and is not held after.
        if let Some(kept) = self.lock().remove(&key) {
            return kept;
        }
        self.parses.fetch_add(1, Ordering::Relaxed);
        let parsed = parse();
        self.lock().insert(key, parsed.clone());
        parsed
    }

    /// Forget what is kept.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// How many streams were parsed rather than taken from the other side.
    pub fn parses(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Parsed>> {
        // A parse that panicked holds no lock (the lock is never held across a parse).
        self.parsed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::files::parse_text;

    const STREAM: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n";

    /// The memo's answer for `text` as source `file`, and whether it parsed.
    fn parse(memo: &ParseMemo, file: u32, text: &str) -> (Parsed, bool) {
        let before = memo.parses();
        let text: Arc<str> = Arc::from(text);
        let parsed = memo.parsed(FileId(file), "kustomize build o", &text, || {
            parse_text(
                FileId(file),
                "kustomize build o",
                text.to_string(),
                None,
                false,
                "default",
            )
        });
        (parsed, memo.parses() > before)
    }

    #[test]
    fn a_stream_the_other_side_parsed_is_taken_not_parsed_again() {
        let memo = ParseMemo::default();
        let (head, parsed) = parse(&memo, 3, STREAM);
        assert!(parsed);
        let (base, parsed) = parse(&memo, 3, STREAM);
        assert!(!parsed, "the same stream, parsed twice");
        assert_eq!(base.outcome.objects, head.outcome.objects);
        assert_eq!(base.outcome.objects.len(), 1);
        assert_eq!(memo.parses(), 1);
        // Taken once: a third reader parses anew.
        assert!(parse(&memo, 3, STREAM).1);
    }

    #[test]
    fn other_bytes_or_another_source_id_are_parsed_anew() {
        let memo = ParseMemo::default();
        parse(&memo, 3, STREAM);
        let (changed, parsed) = parse(&memo, 3, &STREAM.replace("80", "8080"));
        assert!(parsed, "a stream of other bytes was not parsed");
        let port = changed.outcome.objects[0]
            .as_service()
            .expect("a Service")
            .ports[0]
            .port;
        assert_eq!(port, 8080);
        // The origins carry the source id: another id is another parse.
        let (moved, parsed) = parse(&memo, 4, STREAM);
        assert!(parsed);
        assert_eq!(moved.outcome.objects[0].origin.file, FileId(4));
    }
}
