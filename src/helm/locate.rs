//! From a place in a rendered release back to the values or template line that wrote it.
//!
//! A span of the stream is first turned into its document (and so its `# Source:` template and
//! chart) and its structural path (`metadata.annotations.kubernetes.io/elb.class`). Then, in order:
//!
//! 1. the release's values files, highest precedence first, then the charts' own `values.yaml`
//!    (a dependency's values under its name in its parents'): the same key with the same value,
//!    the longest shared path deciding, the one match of its file ([`values::by_key`]): the
//!    values line, with the template that reads it named as related;
//! 2. the template and the charts' `*.tpl` files, for the literal key, the keys above it by
//!    indentation deciding between several lines ([`lines::lines_writing`]): that line; for a value
//!    written `{{ .Values.a.b }}` there, the values line of `a.b` when it holds the same value;
//! 3. else the template's `kind:` line, with the chart, template and object named in the message.
//!
//! Only a match that is the one match counts: a wrong line is worse than the object's.

pub mod lines;
mod templates;
pub mod values;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::RenderedRelease;
use super::copy::ChartNode;
use crate::render::tree::{Parsed, Part, Step, find};
use crate::source::Span;
use crate::source::discover::display_name;
use crate::source::node::Node;
use templates::{Template, in_templates, partials, template};
use values::{ValuesFile, ValuesIndex, Wanted};

/// How closely a place matches what was asked (tests check it; reports do not show it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// The very key or value, in a values file or a template.
    Exact,
    /// The template line writing the key, whose value a template expression computes.
    Expression,
    /// Only the object: the template's `kind:` line (or its first line).
    Object,
}

/// A place in a file of the repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The file, links resolved: what is read.
    pub path: PathBuf,
    /// As reports name it.
    pub name: String,
    /// An offset range of the file's text as the reader gives it.
    pub span: Span,
}

/// Where a place of a rendered release was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmPlace {
    pub at: Place,
    pub precision: Precision,
    /// Words for the message when the place is not exact: the object, chart and template.
    pub words: Option<String>,
    /// The template that reads a value found in a values file, and what to say there.
    pub related: Option<(Place, String)>,
}

/// Caches of parsed values files, shared by every release of a run.
#[derive(Debug, Default)]
pub struct Locator {
    values: Mutex<HashMap<PathBuf, Option<Arc<ValuesIndex>>>>,
}

/// What a resolution needs of the run: a file's text, read once (`relocate.rs` registers the same
/// text as the source file findings point into).
pub type Read<'a> = &'a dyn Fn(&Path) -> Option<Arc<str>>;

impl Locator {
    /// Where `span` of `rendered`'s stream was written; `None` when the stream has no document
    /// there (nothing helm printed).
    pub fn resolve(&self, rendered: &RenderedRelease, span: Span, read: Read) -> Option<HelmPlace> {
        let document = rendered.document_at(span.start)?;
        let (node, rest) = rendered.tree.find(&document.source)?;
        let chart = &rendered.release.chart_name;
        let indexed = rendered.indexed_at(span.start);
        let object = indexed.map(|d| label(&d.root, &rendered.release.namespace));
        let Some(template) = template(node, rest, read) else {
            // A packaged dependency's template, or a name that is no file of the chart.
            let at = chart_file(&rendered.tree, read)?;
            return Some(HelmPlace {
                at,
                precision: Precision::Object,
                words: Some(format!(
                    "{} is rendered by Helm chart {chart} from {}, which is no file in this repository",
                    object.unwrap_or_default(),
                    crate::text::visible(&document.source)
                )),
                related: None,
            });
        };
        let words = || {
            format!(
                "{} is rendered by Helm chart {chart} from {}; lbplan could not tell which line wrote this",
                object.clone().unwrap_or_default(),
                template.place.name
            )
        };
        let object_place = |words: Option<String>| {
            let kind = indexed
                .and_then(|d| d.root.get("kind"))
                .and_then(Node::as_str)
                .unwrap_or_default();
            let span = lines::kind_line(&template.text, kind);
            HelmPlace {
                at: Place {
                    span: span.unwrap_or(Span::new(0, 0)),
                    ..template.place.clone()
                },
                precision: Precision::Object,
                words: words.or_else(|| {
                    span.is_none().then(|| {
                        format!(
                            "{} is rendered by Helm chart {chart} from {}",
                            object.clone().unwrap_or_default(),
                            template.place.name
                        )
                    })
                }),
                related: None,
            }
        };
        let Some(indexed) = indexed else {
            return Some(object_place(None));
        };
        let at_object = indexed.root.span.is_none_or(|s| s.start == span.start);
        let located = indexed.located_at(span).filter(|_| !at_object);
        let Some(located) = located else {
            return Some(object_place(None));
        };
        let (path, part) = key_path(&located.path, located.part);
        let Some(found) = find(&indexed.root, path) else {
            return Some(object_place(Some(words())));
        };
        let keys: Vec<&str> = path
            .iter()
            .filter_map(|s| match s {
                Step::Key(k) => Some(k.as_str()),
                Step::Item(_) => None,
            })
            .collect();
        let chain = chain_to(&rendered.tree, node);
        let files = self.values_files(rendered, &chain, read);
        let wanted = Wanted {
            keys,
            value: found.value,
            part,
        };
        if let Some(hit) = values::by_key(&files, &wanted) {
            return Some(self.values_place(&files, &hit, &template, rendered, read));
        }
        let tpls = partials(&rendered.tree, read);
        Some(
            in_templates(&template, &tpls, &wanted, &files)
                .unwrap_or_else(|| object_place(Some(words()))),
        )
    }

    /// The values files a document of `chain`'s last chart is rendered with, highest precedence
    /// first: the release's files, then each chart's own `values.yaml` from the root down.
    fn values_files(
        &self,
        rendered: &RenderedRelease,
        chain: &[&ChartNode],
        read: Read,
    ) -> Vec<ValuesFile> {
        let names: Vec<String> = chain.iter().skip(1).map(|n| n.name.clone()).collect();
        let mut files = Vec::new();
        for (path, name) in &rendered.values_files {
            if let Some(index) = self.index(path, read) {
                files.push(ValuesFile {
                    path: path.clone(),
                    name: name.clone(),
                    index,
                    scope: names.clone(),
                });
            }
        }
        for (depth, node) in chain.iter().enumerate() {
            let Some(real) = &node.real else { continue };
            let path = real.join("values.yaml");
            if let Some(index) = self.index(&path, read) {
                files.push(ValuesFile {
                    name: display_name(&node.shown.join("values.yaml")),
                    path,
                    index,
                    scope: names.get(depth..).unwrap_or_default().to_vec(),
                });
            }
        }
        files
    }

    fn index(&self, path: &Path, read: Read) -> Option<Arc<ValuesIndex>> {
        let mut cache = self.values.lock().ok()?;
        cache
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = read(path)?;
                Some(Arc::new(ValuesIndex::new(Arc::new(Parsed::new(
                    text, false,
                )))))
            })
            .clone()
    }

    /// A values line, with the template line that reads it as related.
    fn values_place(
        &self,
        files: &[ValuesFile],
        hit: &values::Hit,
        template: &Template,
        rendered: &RenderedRelease,
        read: Read,
    ) -> HelmPlace {
        let file = files.get(hit.file);
        let at = Place {
            path: file.map(|f| f.path.clone()).unwrap_or_default(),
            name: file.map(|f| f.name.clone()).unwrap_or_default(),
            span: hit.span,
        };
        let scope = file.map_or(0, |f| f.scope.len());
        let path: Vec<String> = hit.path.iter().skip(scope).cloned().collect();
        let mut reading = lines::line_reading(&template.text, &path).map(|span| (template, span));
        let tpls;
        if reading.is_none() {
            tpls = partials(&rendered.tree, read);
            reading = tpls
                .iter()
                .find_map(|t| lines::line_reading(&t.text, &path).map(|span| (t, span)));
        }
        let related = reading.map_or_else(
            || Place {
                span: Span::new(0, 0),
                ..template.place.clone()
            },
            |(t, span)| Place {
                span,
                ..t.place.clone()
            },
        );
        HelmPlace {
            at,
            precision: Precision::Exact,
            words: None,
            related: Some((related, "the value is rendered here".to_string())),
        }
    }
}

/// The root chart's `Chart.yaml`, for what has no template file.
fn chart_file(tree: &ChartNode, read: Read) -> Option<Place> {
    let real = tree.real.as_ref()?;
    let path = real.join(super::chart::CHART_FILE);
    read(&path)?;
    Some(Place {
        name: display_name(&tree.shown.join(super::chart::CHART_FILE)),
        path,
        span: Span::new(0, 0),
    })
}

/// The charts from the root down to `node`.
fn chain_to<'t>(tree: &'t ChartNode, node: &ChartNode) -> Vec<&'t ChartNode> {
    fn walk<'t>(at: &'t ChartNode, node: &ChartNode, path: &mut Vec<&'t ChartNode>) -> bool {
        path.push(at);
        if std::ptr::eq(at, node) || at.children.iter().any(|c| walk(c, node, path)) {
            return true;
        }
        path.pop();
        false
    }
    let mut path = Vec::new();
    walk(tree, node, &mut path);
    path
}

/// A located path as searched: a scalar list item is searched as its list.
fn key_path(path: &[Step], part: Part) -> (&[Step], Part) {
    match path.iter().rposition(|s| matches!(s, Step::Key(_))) {
        Some(last) if last + 1 < path.len() => (path.get(..=last).unwrap_or(path), Part::Key),
        _ => (path, part),
    }
}

/// `Kind/namespace/name` of a rendered document (its namespace, else the release's).
fn label(root: &Node, namespace: &str) -> String {
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("?");
    let meta = root.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .unwrap_or("?");
    let ns = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .unwrap_or(namespace);
    crate::text::visible(&format!("{kind}/{ns}/{name}")).into_owned()
}

#[cfg(test)]
mod tests;
