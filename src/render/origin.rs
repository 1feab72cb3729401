//! From a place in a rendered stream back to the file and line the user wrote.
//!
//! A span of the stripped stream is first turned into a structural path (`metadata.annotations.
//! kubernetes.io/elb.id`, `spec.ports[name=https].port`, see `tree.rs`). The path is then looked
//! for where Kustomize says the object came from, latest change first:
//!
//! 1. the transformers that ran on the object (`alpha.config.kubernetes.io/transformations`), last
//!    to first: the patches of that kustomization (strategic merge, JSON6902, inline or in files)
//!    that set the value, or the kustomization's own field (`namespace`, `namePrefix`,
//!    `commonLabels`/`labels`, `commonAnnotations`, `replicas`);
//! 2. the resource file the object was read from (`config.kubernetes.io/origin`);
//! 3. a patch that merely names the value (a list item's merge key, the object's name).
//!
//! A value found nowhere falls back to its closest enclosing value that is found (`Enclosing`),
//! then to the object (`Object`); an object without a local source (a remote base, a renderer
//! that gave no origins) is `Unresolved`, naming the overlay and the object.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

mod search;
pub mod trust;

use super::RenderedOverlay;
use super::kustomization::{self, Kustomization};
use super::tree::Parsed;
use crate::source::discover::is_json;
use crate::source::{Span, decode};

/// How closely a resolved location matches what was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    /// The very key or value.
    Exact,
    /// The closest enclosing value that has a source (the list item, the map, the patch).
    Enclosing,
    /// Only the object (its first line in its source).
    Object,
}

/// A place in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSpan {
    /// The file, as Kustomize read it (absolute).
    pub path: PathBuf,
    /// How reports name it: relative like the overlay's name (`shop/base/service.yaml`).
    pub name: String,
    /// An offset range of the file's text as [`Resolver::text`] gives it.
    pub span: Span,
    /// How exact the place is (docs/rendering.md's table says which lines are); tests check it,
    /// reports do not show it.
    pub precision: Precision,
}

/// Where a place in a rendered stream was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    Source(SourceSpan),
    /// No source file: name the overlay (and its kustomization file) and the object.
    Unresolved {
        overlay: String,
        kustomization: Option<PathBuf>,
        object: Option<String>,
    },
}

/// Caches of parsed sources, shared by every overlay of a run.
#[derive(Debug, Default)]
pub struct Resolver {
    files: Mutex<HashMap<PathBuf, Option<Arc<Parsed>>>>,
    kustomizations: Mutex<HashMap<PathBuf, Option<Arc<Kustomization>>>>,
}

/// A location found: a file and a span, and whether it is the very thing asked for.
struct Hit {
    path: PathBuf,
    span: Span,
    exact: bool,
}

impl Resolver {
    /// Where `span` of `rendered`'s stream was written.
    pub fn resolve(&self, rendered: &RenderedOverlay, span: Span) -> Resolved {
        let unresolved = |object: Option<String>| Resolved::Unresolved {
            overlay: rendered.overlay.name.clone(),
            kustomization: kustomization::file_in(&rendered.overlay.dir),
            object,
        };
        let Some((doc, meta)) = rendered.document_at(span.start) else {
            return unresolved(None);
        };
        if !rendered.located {
            return unresolved(Some(meta.label()));
        }
        let at_object = doc.root.span.is_none_or(|s| s.start == span.start);
        let located = doc.located_at(span);
        let found = match located.filter(|_| !at_object) {
            Some(located) => self
                .locate(meta, &doc.root, &located.path, located.part)
                .map(|(hit, precision)| {
                    // Inside a value (one entry of a list annotation): the same offset in the
                    // source, when the source value reads the same.
                    let rendered_text = rendered.text.get(located.span.start..located.span.end);
                    let same = self
                        .file(&hit.path)
                        .and_then(|p| p.slice(hit.span).map(str::to_string))
                        .is_some_and(|t| Some(t.as_str()) == rendered_text);
                    let inside = span.start >= located.span.start && span.end <= located.span.end;
                    if located.span == span {
                        let precision = if hit.exact {
                            precision
                        } else {
                            precision.max(Precision::Enclosing)
                        };
                        (hit, precision)
                    } else if same && inside && hit.exact && precision == Precision::Exact {
                        let start = hit.span.start + (span.start - located.span.start);
                        let span = Span::new(start, start + (span.end - span.start));
                        (Hit { span, ..hit }, precision)
                    } else {
                        // Not a key or value of the stream: the closest one before it.
                        (hit, precision.max(Precision::Enclosing))
                    }
                }),
            None => self.object(meta).map(|hit| (hit, Precision::Object)),
        };
        let Some((hit, precision)) = found else {
            return unresolved(Some(meta.label()));
        };
        Resolved::Source(SourceSpan {
            name: rendered.display_name(&hit.path),
            path: hit.path,
            span: hit.span,
            precision,
        })
    }

    /// The text of a source file as the resolver reads it: the spans it gives are offsets into
    /// it. Each file is read once per run, whoever asks.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        self.file(path).map(|p| p.text.clone())
    }

    /// A source file, read and parsed once.
    fn file(&self, path: &Path) -> Option<Arc<Parsed>> {
        let mut files = self.files.lock().ok()?;
        files
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                // A regular file within the size limit (trust.rs judged where it is).
                let budget = crate::source::read::Budget::default();
                let bytes = crate::source::read::read_regular(path, &budget).ok()?;
                let text: Arc<str> = Arc::from(decode(bytes).text);
                let name = path.to_string_lossy();
                Some(Arc::new(Parsed::new(text, is_json(&name))))
            })
            .clone()
    }

    /// A kustomization, by its file (as `configuredIn` names it).
    fn kustomization(&self, file: &Path) -> Option<Arc<Kustomization>> {
        let text = self.file(file)?.text.clone();
        let mut cache = self.kustomizations.lock().ok()?;
        cache
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                let dir = file.parent()?;
                Some(Arc::new(kustomization::parse(dir, file, &text)))
            })
            .clone()
    }
}

#[cfg(test)]
mod tests;
