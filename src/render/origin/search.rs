//! Where a key or value of a rendered object was written: the transformers that ran on it (last
//! first), the resource file it was read from, a patch that merely names it; then the closest
//! enclosing value, then the object.

use std::path::Path;
use std::sync::Arc;

use super::{Hit, Precision, Resolver};
use crate::render::fields;
use crate::render::inline::Inline;
use crate::render::kustomization::{Kustomization, PatchField, PatchSource, Site};
use crate::render::patches::{self, Match, PatchQuery};
use crate::render::strip::{BuildOrigin, DocMeta};
use crate::render::tree::{Parsed, Part, Step, find};
use crate::render::wrapper;
use crate::source::Span;
use crate::source::node::Node;

impl Resolver {
    /// `path` (or its closest enclosing value with a source), then the object.
    pub(super) fn locate(
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
                    if let Some(site) = fields::set_by(&k, other, meta, path) {
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
                    let path = wrapper::normalize(path);
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
    pub(super) fn object(&self, meta: &DocMeta) -> Option<Hit> {
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
