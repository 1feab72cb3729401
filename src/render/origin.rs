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

use super::RenderedOverlay;
use super::inline::Inline;
use super::kustomization::{self, Kustomization, PatchField, PatchSource, Site};
use super::patches::{self, Match, PatchQuery};
use super::strip::{BuildOrigin, DocMeta};
use super::tree::{Parsed, Part, Step, find};
use crate::source::discover::is_json;
use crate::source::node::Node;
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
    /// Length of the file's decoded text, to build a `SourceFile::on_disk` for it.
    pub len: usize,
    pub span: Span,
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
    pub fn new() -> Resolver {
        Resolver::default()
    }

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
        let len = self.file(&hit.path).map_or(0, |p| p.text.len());
        Resolved::Source(SourceSpan {
            name: rendered.display_name(&hit.path),
            path: hit.path,
            len,
            span: hit.span,
            precision,
        })
    }

    /// The text of a source file as the resolver reads it: the spans it gives are offsets into
    /// it. Each file is read once per run, whoever asks.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        self.file(path).map(|p| p.text.clone())
    }

    /// `path` (or its closest enclosing value with a source), then the object.
    fn locate(
        &self,
        meta: &DocMeta,
        root: &Node,
        path: &[Step],
        part: Part,
    ) -> Option<(Hit, Precision)> {
        for depth in (1..=path.len()).rev() {
            let (p, part, precision) = match depth == path.len() {
                true => (path, part, Precision::Exact),
                false => (path.get(..depth)?, Part::Key, Precision::Enclosing),
            };
            if let Some(hit) = self.locate_path(meta, root, p, part) {
                return Some((hit, precision));
            }
        }
        self.object(meta).map(|hit| (hit, Precision::Object))
    }

    fn locate_path(&self, meta: &DocMeta, root: &Node, path: &[Step], part: Part) -> Option<Hit> {
        let mut weak = None;
        let mut previous = None;
        for t in meta.transformations.iter().rev() {
            let key = (&t.kustomization, &t.transformer);
            if previous == Some(key) {
                continue;
            }
            previous = Some(key);
            let Some(k) = self.kustomization(&t.kustomization) else {
                continue;
            };
            let field = match t.transformer.as_str() {
                "PatchTransformer" => PatchField::Patches,
                "PatchStrategicMergeTransformer" => PatchField::StrategicMerge,
                "PatchJson6902Transformer" => PatchField::Json6902,
                other => {
                    if let Some(site) = super::fields::set_by(&k, other, meta, path) {
                        return site_hit(&k, site, part);
                    }
                    continue;
                }
            };
            let query = PatchQuery {
                meta,
                root,
                path,
                part,
            };
            if let Some(hit) = self.in_patches(&k, field, &query, &mut weak) {
                return Some(hit);
            }
        }
        let in_origin = match &meta.origin {
            Some(BuildOrigin::File(file)) => self.in_resource(file, meta, path, part),
            _ => None,
        };
        in_origin.or(weak)
    }

    /// `path` in the object's document of the resource file it was read from.
    fn in_resource(&self, file: &Path, meta: &DocMeta, path: &[Step], part: Part) -> Option<Hit> {
        let parsed = self.file(file)?;
        let span = find(pick_document(&parsed, meta)?, path)?.span(part)?;
        Some(Hit {
            path: file.to_path_buf(),
            span,
            exact: true,
        })
    }

    fn in_patches(
        &self,
        k: &Kustomization,
        field: PatchField,
        query: &PatchQuery,
        weak: &mut Option<Hit>,
    ) -> Option<Hit> {
        for patch in k.patches.iter().rev().filter(|p| p.field == field) {
            let (file, parsed, inline) = match &patch.source {
                PatchSource::File(path) => {
                    let path = super::wrapper::normalize(path);
                    let Some(parsed) = self.file(&path) else {
                        continue;
                    };
                    (path, parsed, None)
                }
                PatchSource::Inline(inline) => (
                    k.file.clone(),
                    Arc::new(Parsed::new(inline.text.clone(), false)),
                    Some(inline),
                ),
            };
            match patches::search(&parsed, patch.target.as_ref(), query) {
                Some(Match { span, sets: true }) => return Some(map_inline(&file, inline, span)),
                Some(Match { span, sets: false }) => {
                    weak.get_or_insert_with(|| map_inline(&file, inline, span));
                }
                None => {}
            }
        }
        None
    }

    /// The object's first line in its source, or the generator that made it.
    fn object(&self, meta: &DocMeta) -> Option<Hit> {
        match meta.origin.as_ref()? {
            BuildOrigin::File(file) => {
                let parsed = self.file(file)?;
                let span = pick_document(&parsed, meta)?.span?;
                Some(Hit {
                    path: file.clone(),
                    span,
                    exact: true,
                })
            }
            BuildOrigin::Generated { kustomization, .. } => {
                let k = self.kustomization(kustomization)?;
                let generator = k
                    .generators
                    .iter()
                    .filter(|g| !g.name.is_empty() && meta.name.contains(&g.name))
                    .max_by_key(|g| g.name.len());
                match generator {
                    Some(g) => site_hit(&k, g.site, Part::Value),
                    None => Some(Hit {
                        path: k.file.clone(),
                        span: Span::new(0, 0),
                        exact: false,
                    }),
                }
            }
            BuildOrigin::Remote { .. } => None,
        }
    }

    /// A source file, read and parsed once.
    fn file(&self, path: &Path) -> Option<Arc<Parsed>> {
        let mut files = self.files.lock().ok()?;
        files
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let bytes = std::fs::read(path).ok()?;
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

/// The object in a resource file: the document (or item of a `kind: List` document, which
/// Kustomize reads item by item) of the same kind, with the name it has before prefixes, suffixes
/// and hashes were added; else the only object of that kind, or the only object of the file.
fn pick_document<'p>(parsed: &'p Parsed, meta: &DocMeta) -> Option<&'p Node<'static>> {
    let objects: Vec<&Node> = parsed
        .documents
        .iter()
        .flat_map(|(_, doc)| {
            let list = doc
                .get("kind")
                .and_then(Node::as_str)
                .is_some_and(|k| k.ends_with("List"));
            match doc.get("items").and_then(Node::as_seq) {
                Some(items) if list => items.iter().collect(),
                _ => vec![doc],
            }
        })
        .collect();
    let same_kind: Vec<&Node> = objects
        .iter()
        .copied()
        .filter(|d| d.get("kind").and_then(Node::as_str) == Some(meta.kind.as_str()))
        .collect();
    let named = |d: &Node| {
        d.get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    if let Some(exact) = same_kind
        .iter()
        .find(|d| named(d).as_deref() == Some(&meta.name))
    {
        return Some(exact);
    }
    let contained = same_kind
        .iter()
        .filter_map(|d| {
            named(d)
                .filter(|n| !n.is_empty() && meta.name.contains(n.as_str()))
                .map(|n| (n.len(), *d))
        })
        .max_by_key(|(len, _)| *len);
    match (contained, same_kind.as_slice(), objects.as_slice()) {
        (Some((_, d)), _, _) => Some(d),
        (None, [only], _) | (None, _, [only]) => Some(only),
        _ => None,
    }
}

fn site_hit(k: &Kustomization, site: Site, part: Part) -> Option<Hit> {
    let span = match part {
        Part::Key => site.key.or(site.value),
        Part::Value => site.value.or(site.key),
    }?;
    Some(Hit {
        path: k.file.clone(),
        span,
        exact: true,
    })
}

/// A span of a patch, in the file it is written in: an inline patch's spans are moved to the
/// kustomization's lines, or to where the patch is written when its lines cannot be told.
fn map_inline(file: &Path, inline: Option<&Inline>, span: Span) -> Hit {
    let mapped = match inline {
        None => Some((span, true)),
        Some(inline) => match (inline.map(span.start), inline.map(span.end)) {
            (Some(start), Some(end)) => Some((Span::new(start, end), true)),
            _ => inline.anchor.map(|a| (a, false)),
        },
    };
    let (span, exact) = mapped.unwrap_or((Span::new(0, 0), false));
    Hit {
        path: file.to_path_buf(),
        span,
        exact,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::render::{Overlay, strip};

    /// A rendered overlay of `stream` (with build annotations, paths relative to `repo`).
    fn rendered(repo: &Path, stream: &str) -> RenderedOverlay {
        let stripped = strip::strip(stream, repo);
        RenderedOverlay {
            overlay: Overlay {
                dir: repo.join("o"),
                name: "repo/o".into(),
                files: Vec::new(),
                remote: Vec::new(),
            },
            text: Arc::from(stripped.text),
            command: "kustomize build repo/o".into(),
            warnings: Vec::new(),
            located: true,
            documents: stripped.documents,
            real_dir: repo.join("o"),
            index: OnceLock::new(),
        }
    }

    /// The span of `needle` at the start of `context` in the stream.
    fn at(r: &RenderedOverlay, context: &str) -> Span {
        let start = r.text.find(context).expect("context");
        let needle = context.split([':', '\n']).next().unwrap_or(context);
        Span::new(start, start + needle.len())
    }

    #[test]
    fn what_has_no_source_falls_back_and_says_so() {
        let repo = tempfile::tempdir().expect("repo");
        std::fs::create_dir(repo.path().join("o")).expect("mkdir");
        std::fs::write(
            repo.path().join("o/svc.yaml"),
            "kind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
        )
        .expect("write");
        let stream = "kind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: o/svc.yaml\n  name: web\nspec:\n  ports:\n  - port: 80\n    nodePort: 30080\n  type: LoadBalancer\n---\nkind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: base/svc.yaml\n      repo: https://github.com/org/repo\n  name: remote\n";
        let r = rendered(repo.path(), stream);
        let resolver = Resolver::new();
        let source = |needle: &str| match resolver.resolve(&r, at(&r, needle)) {
            Resolved::Source(s) => {
                let text = std::fs::read_to_string(&s.path).expect("read");
                (
                    s.name.clone(),
                    text[s.span.start..s.span.end].to_string(),
                    s.precision,
                )
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(
            source("port: 80\n    node"),
            ("repo/o/svc.yaml".into(), "port".into(), Precision::Exact)
        );
        // Written by no one the annotations name (a controller default, say): its list item.
        assert_eq!(
            source("nodePort"),
            (
                "repo/o/svc.yaml".into(),
                "port".into(),
                Precision::Enclosing
            )
        );
        assert_eq!(
            source("type"),
            (
                "repo/o/svc.yaml".into(),
                "spec".into(),
                Precision::Enclosing
            )
        );
        assert_eq!(
            source("kind: Service\nmetadata:\n  name: web"),
            ("repo/o/svc.yaml".into(), "kind".into(), Precision::Object)
        );
        // A remote base has no file here: the overlay and the object are named.
        match resolver.resolve(&r, at(&r, "remote\n")) {
            Resolved::Unresolved {
                overlay, object, ..
            } => {
                assert_eq!(
                    (overlay.as_str(), object.as_deref()),
                    ("repo/o", Some("Service/remote"))
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            resolver.resolve(&r, Span::new(r.text.len() + 5, r.text.len() + 6)),
            Resolved::Unresolved { object: None, .. }
        ));
    }

    #[test]
    fn objects_are_found_in_list_files_and_multi_document_files() {
        let repo = tempfile::tempdir().expect("repo");
        std::fs::create_dir(repo.path().join("o")).expect("mkdir");
        std::fs::write(
            repo.path().join("o/all.yaml"),
            "kind: Deployment\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: List\nitems:\n- kind: Service\n  metadata:\n    name: api\n  spec:\n    type: ClusterIP\n- kind: Service\n  metadata:\n    name: web\n  spec:\n    type: LoadBalancer\n",
        )
        .expect("write");
        let origin = "    config.kubernetes.io/origin: |\n      path: o/all.yaml\n";
        let stream = format!(
            "kind: Service\nmetadata:\n  annotations:\n{origin}  name: p-web\nspec:\n  type: LoadBalancer\n---\nkind: Service\nmetadata:\n  annotations:\n{origin}  name: p-api\nspec:\n  type: ClusterIP\n"
        );
        let r = rendered(repo.path(), &stream);
        let resolver = Resolver::new();
        let text = std::fs::read_to_string(repo.path().join("o/all.yaml")).expect("read");
        let line = |context: &str| match resolver.resolve(&r, at(&r, context)) {
            Resolved::Source(s) => (text[..s.span.start].matches('\n').count() + 1, s.precision),
            other => panic!("{other:?}"),
        };
        assert_eq!(line("type: LoadBalancer"), (17, Precision::Exact));
        assert_eq!(line("type: ClusterIP"), (12, Precision::Exact));
    }
}
