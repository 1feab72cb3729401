//! Annotations and labels: what `metadata` says about an object, and what selectors match.

use crate::source::{Origin, Span};

/// One `metadata.annotations` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    pub key: String,
    pub value: String,
    /// The key, which is where findings about the annotation point.
    pub origin: Origin,
    /// The value, when it was written verbatim (no escapes, not a block scalar).
    pub value_origin: Option<Origin>,
    /// Otherwise (a value folded over several lines, or with escapes), the source text from the key
    /// to the next key: entries of the value can still be found in it.
    pub raw: Option<RawValue>,
}

/// The source text a value was parsed from, where it differs from the value.
#[derive(Debug, Clone, PartialEq)]
pub struct RawValue {
    pub origin: Origin,
    pub text: String,
}

impl Annotation {
    /// The origin of `part`, a slice of `self.value`, if the value was written verbatim; otherwise
    /// the annotation's key. Lets a finding point at one entry of a list-valued annotation.
    pub fn origin_of(&self, part: &str) -> Origin {
        let verbatim = self
            .value_origin
            .filter(|o| o.span.end - o.span.start == self.value.len());
        if let Some(value) = verbatim {
            return Span::new(value.span.start, value.span.end)
                .sub(&self.value, part)
                .map_or(self.origin, |span| Origin::new(value.file, span));
        }
        self.raw
            .as_ref()
            .and_then(|raw| raw.find(&self.value, part))
            .unwrap_or(self.origin)
    }
}

impl RawValue {
    /// Where `part` (a slice of `value`) was written: its n-th occurrence in the source, n being
    /// its occurrence in the value. Folding never splits an entry that holds no space.
    fn find(&self, value: &str, part: &str) -> Option<Origin> {
        if part.is_empty() || part.contains(char::is_whitespace) {
            return None;
        }
        let offset = (part.as_ptr() as usize).checked_sub(value.as_ptr() as usize)?;
        let nth = value.get(..offset)?.matches(part).count();
        let (at, _) = self.text.match_indices(part).nth(nth)?;
        let start = self.origin.span.start + at;
        Some(Origin::new(
            self.origin.file,
            Span::new(start, start + part.len()),
        ))
    }
}

/// An object's annotations, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotations(pub Vec<Annotation>);

impl Annotations {
    pub fn get(&self, key: &str) -> Option<&Annotation> {
        self.0.iter().find(|a| a.key == key)
    }

    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).map(|a| a.value.as_str())
    }

    /// Exactly `"true"`, as the controllers compare it.
    pub fn is_true(&self, key: &str) -> bool {
        self.value(key) == Some("true")
    }

    pub fn iter(&self) -> impl Iterator<Item = &Annotation> {
        self.0.iter()
    }
}

/// Labels or a selector: sorted by key, one value per key (the last written, as Kubernetes keeps).
/// A sorted vector rather than a map: objects carry a handful of labels, and tens of thousands of
/// objects are held at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(Vec<(String, String)>);

impl Labels {
    pub fn new() -> Self {
        Labels(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl FromIterator<(String, String)> for Labels {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut pairs: Vec<(String, String)> = iter.into_iter().collect();
        // Stable sort, then keep the last of equal keys.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match out.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => out.push(pair),
            }
        }
        out.shrink_to_fit();
        Labels(out)
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// Whether every `selector` label is among `labels`.
pub fn selector_matches(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}
