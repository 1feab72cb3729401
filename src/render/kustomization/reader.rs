//! The fields of a kustomization file, one by one: a field of the wrong type is a problem, and the
//! rest is still read.

use std::sync::Arc;

use super::{
    Generator, Kustomization, LabelSet, Pair, Patch, PatchField, PatchSource, Reference, Role,
    Selector, Site, Target, is_remote,
};
use crate::render::inline::{Inline, block_lines};
use crate::source::Span;
use crate::source::node::{Entry, Node, Value};

pub(super) struct Reader<'k> {
    pub(super) k: &'k mut Kustomization,
    /// The kustomization file's text, where inline patches' lines are found.
    pub(super) text: &'k str,
}

impl Reader<'_> {
    pub(super) fn field(&mut self, entry: &Entry) {
        let value = &entry.value;
        match entry.key.as_ref() {
            "kind" => self.k.component = value.as_str() == Some("Component"),
            "resources" | "bases" => self.paths(entry, Role::Resource),
            "components" => self.paths(entry, Role::Component),
            "crds" | "configurations" | "validators" => {
                self.paths(entry, Role::Input);
            }
            "patches" => self.patches(entry, PatchField::Patches),
            "patchesJson6902" => self.patches(entry, PatchField::Json6902),
            "patchesStrategicMerge" => {
                for item in self.seq(entry) {
                    if let Some(text) = item.as_str() {
                        let source = self.patch_text(text, item.span, None, entry.key_span);
                        self.add_patch(PatchField::StrategicMerge, source, None);
                    }
                }
            }
            "configMapGenerator" | "secretGenerator" => self.generators(entry),
            "openapi" => self.path_field(value, "path", Role::Input),
            "helmGlobals" => self.path_field(value, "chartHome", Role::Input),
            "namespace" => {
                self.k.namespace = Some(Site::of(entry));
                self.k.names.namespace = value.as_str().filter(|n| !n.is_empty()).map(Into::into);
            }
            "namePrefix" => self.k.names.prefix = value.scalar_text().unwrap_or_default().into(),
            "nameSuffix" => self.k.names.suffix = value.scalar_text().unwrap_or_default().into(),
            "generatorOptions" => self.k.names.no_hash = no_hash(value),
            "generators"
            | "transformers"
            | "replacements"
            | "vars"
            | "helmCharts"
            | "helmChartInflationGenerator" => {
                self.k.unmodelled.push(entry.key.to_string());
                if entry.key == "generators" || entry.key == "transformers" {
                    self.paths(entry, Role::Input);
                }
                if entry.key == "replacements" {
                    for item in self.seq(entry) {
                        self.path_field(item, "path", Role::Input);
                    }
                }
            }
            "commonLabels" => {
                let pairs = self.pairs(value);
                self.k.labels.push(LabelSet {
                    pairs,
                    selectors: true,
                    templates: true,
                });
            }
            "labels" => {
                for item in self.seq(entry) {
                    let flag = |key| {
                        item.get(key)
                            .is_some_and(|v| matches!(v.value, Value::Bool(true)))
                    };
                    let pairs = item.get("pairs").map(|p| self.pairs(p)).unwrap_or_default();
                    let selectors = flag("includeSelectors");
                    self.k.labels.push(LabelSet {
                        pairs,
                        selectors,
                        templates: selectors || flag("includeTemplates"),
                    });
                }
            }
            "commonAnnotations" => self.k.annotations = self.pairs(value),
            "replicas" => {
                for item in self.seq(entry) {
                    if let (Some(name), Some(count)) =
                        (item.get("name").and_then(Node::as_str), item.entry("count"))
                    {
                        self.k.replicas.push(Pair {
                            key: name.to_string(),
                            site: Site::of(count),
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// The items of a list field; anything else is a problem.
    fn seq<'e, 'a>(&mut self, entry: &'e Entry<'a>) -> &'e [Node<'a>] {
        match entry.value.as_seq() {
            Some(items) => items,
            None if entry.value.is_null() => &[],
            None => {
                self.k.problems.push(format!(
                    "`{}` should be a list, found {}",
                    entry.key,
                    entry.value.type_name()
                ));
                &[]
            }
        }
    }

    fn paths(&mut self, entry: &Entry, role: Role) {
        for item in self.seq(entry) {
            match item.as_str() {
                // An inline transformer or generator config, not a path.
                Some(text) if text.contains('\n') => {}
                Some(text) => self.reference(role, text, item.span),
                None => self.k.problems.push(format!(
                    "`{}` entries should be strings, found {}",
                    entry.key,
                    item.type_name()
                )),
            }
        }
    }

    fn path_field(&mut self, node: &Node, key: &str, role: Role) {
        if let Some(value) = node.get(key) {
            if let Some(text) = value.as_str() {
                self.reference(role, text, value.span);
            }
        }
    }

    fn reference(&mut self, role: Role, text: &str, span: Option<Span>) {
        let target = if is_remote(text) && !self.k.dir.join(text).exists() {
            Target::Remote(text.to_string())
        } else {
            Target::Local(self.k.dir.join(text))
        };
        self.k.references.push(Reference {
            role,
            text: text.to_string(),
            span,
            target,
        });
    }

    fn patches(&mut self, entry: &Entry, field: PatchField) {
        for item in self.seq(entry) {
            let target = item.get("target").map(|t| Selector {
                kind: t.get("kind").and_then(Node::as_str).map(str::to_string),
                name: t.get("name").and_then(Node::as_str).map(str::to_string),
            });
            let source = if let Some(path) = item.get("path").and_then(Node::as_str) {
                self.reference(Role::Patch, path, item.get("path").and_then(|p| p.span));
                Some(PatchSource::File(self.k.dir.join(path)))
            } else if let Some(patch) = item.entry("patch") {
                patch.value.as_str().map(|text| {
                    self.patch_text(text, patch.value.span, patch.key_span, patch.key_span)
                })
            } else {
                None
            };
            if let Some(source) = source {
                self.add_patch(field, source, target);
            }
        }
    }

    /// A `patchesStrategicMerge` entry or a `patch:` value: a file name, or the patch itself.
    /// `key` is the `patch:` key of an inline patch (`None` in `patchesStrategicMerge`, whose
    /// entries are file names unless they span several lines); `anchor` where to point when the
    /// patch's own lines cannot be told.
    fn patch_text(
        &mut self,
        text: &str,
        span: Option<Span>,
        key: Option<Span>,
        anchor: Option<Span>,
    ) -> PatchSource {
        if !text.contains('\n') && key.is_none() {
            self.reference(Role::Patch, text, span);
            return PatchSource::File(self.k.dir.join(text));
        }
        let line_offsets = match span {
            // A plain or quoted scalar borrowed from the file: its offsets are the file's.
            Some(span) => Some(
                std::iter::once(span.start)
                    .chain(text.match_indices('\n').map(|(i, _)| span.start + i + 1))
                    .collect(),
            ),
            None => key.and_then(|key| block_lines(self.text, key, text)),
        };
        PatchSource::Inline(Inline {
            text: Arc::from(text),
            line_offsets,
            anchor: span.or(anchor),
        })
    }

    fn add_patch(&mut self, field: PatchField, source: PatchSource, target: Option<Selector>) {
        self.k.patches.push(Patch {
            field,
            source,
            target,
        });
    }

    fn generators(&mut self, entry: &Entry) {
        let field = if entry.key == "secretGenerator" {
            "secretGenerator"
        } else {
            "configMapGenerator"
        };
        for item in self.seq(entry) {
            if let Some(name) = item.entry("name") {
                self.k.generators.push(Generator {
                    field,
                    name: name.value.as_str().unwrap_or("").to_string(),
                    site: Site::of(name),
                    namespace: item
                        .get("namespace")
                        .and_then(Node::as_str)
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                    behavior: item.get("behavior").and_then(Node::as_str).map(Into::into),
                    no_hash: item.get("options").is_some_and(no_hash),
                });
            }
            for key in ["files", "envs"] {
                for source in item.get(key).and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(text) = source.as_str() {
                        // `files` entries may be `key=path`.
                        let path = text.split_once('=').map_or(text, |(_, p)| p);
                        let span = source.span.and_then(|s| s.sub(text, path));
                        self.reference(Role::Input, path, span.or(source.span));
                    }
                }
            }
            self.path_field(item, "env", Role::Input);
        }
    }

    fn pairs(&mut self, node: &Node) -> Vec<Pair> {
        node.as_map()
            .unwrap_or(&[])
            .iter()
            .map(|e| Pair {
                key: e.key.to_string(),
                site: Site::of(e),
            })
            .collect()
    }
}

/// Whether generator options (`options:`, `generatorOptions:`) turn the name's hash off.
fn no_hash(options: &Node) -> bool {
    options
        .get("disableNameSuffixHash")
        .is_some_and(|v| matches!(v.value, Value::Bool(true)))
}
