//! A release as helm rendered it: the stream exactly as `helm template` printed it, split into its
//! documents on helm's `---` / `# Source: CHART/templates/FILE` headers (helm writes one per
//! document, several for a template that renders several), each with its template and whether it
//! is a hook.
//!
//! Objects carrying `helm.sh/hook` are rendered by `helm template` after the others, but helm runs
//! them at install or upgrade time as one-off Jobs and Pods: they are linted, never planned
//! (`load/charts.rs` keeps them out of the plan).

use std::sync::{Arc, OnceLock};

use super::Release;
use super::copy::ChartNode;
use crate::render::tree::IndexedDoc;
use crate::source::Span;
use crate::source::node::EVERYTHING;
use crate::source::yaml::split_documents;

/// The annotation that makes an object a hook.
pub const HOOK: &str = "helm.sh/hook";

/// One document of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// From its `# Source:` line to the next document's `---`.
    pub span: Span,
    /// The template path helm names (`web/charts/cache/templates/svc.yaml`).
    pub source: String,
    pub hook: bool,
}

/// One release, rendered.
#[derive(Debug)]
pub struct RenderedRelease {
    pub release: Release,
    /// What `helm template` printed: parse it like any manifest file.
    pub text: Arc<str>,
    /// The command a user would run to see the same stream.
    pub command: String,
    /// What helm wrote on standard error of a successful render.
    pub warnings: Vec<String>,
    /// The charts rendered, by the names `# Source:` uses.
    pub tree: ChartNode,
    pub documents: Vec<Document>,
    /// The repository files the render read (links resolved).
    pub files: std::collections::BTreeSet<std::path::PathBuf>,
    /// The values of the release that are files, highest precedence first: (path, name).
    pub values_files: Vec<(std::path::PathBuf, String)>,
    /// The stream's `---` chunks that hold a document helm printed, each parsed whole when a
    /// place in it is first resolved (made on first use): a release's findings lie in a few of
    /// its documents, as a Kustomize stream's do (`render/mod.rs`).
    index: OnceLock<Chunks>,
}

/// The `---` chunks of a stream that hold a document helm printed, each with its slot.
type Chunks = Box<[(Span, OnceLock<Option<IndexedDoc>>)]>;

impl RenderedRelease {
    pub fn new(
        release: Release,
        text: String,
        command: String,
        tree: ChartNode,
        files: std::collections::BTreeSet<std::path::PathBuf>,
    ) -> RenderedRelease {
        let documents = split(&text);
        let values_files = release
            .values
            .iter()
            .rev()
            .filter_map(|v| match v {
                super::Values::File { path, name } => Some((path.clone(), name.clone())),
                super::Values::Inline { .. } => None,
            })
            .collect();
        RenderedRelease {
            release,
            text: Arc::from(text),
            command,
            warnings: Vec::new(),
            tree,
            documents,
            files,
            values_files,
            index: OnceLock::new(),
        }
    }

    /// The document holding `offset`.
    pub fn document_at(&self, offset: usize) -> Option<&Document> {
        self.documents
            .iter()
            .find(|d| d.span.start <= offset && offset < d.span.end.max(d.span.start + 1))
    }

    /// Whether the object starting at `offset` is a hook.
    pub fn is_hook(&self, offset: usize) -> bool {
        self.document_at(offset).is_some_and(|d| d.hook)
    }

    /// The parsed document holding `offset`, parsed once for every lookup.
    pub fn indexed_at(&self, offset: usize) -> Option<&IndexedDoc> {
        let chunks = self.index.get_or_init(|| self.chunks());
        let (chunk, slot) = chunks
            .iter()
            .find(|(c, _)| c.start <= offset && offset < c.end.max(c.start + 1))?;
        slot.get_or_init(|| IndexedDoc::parse(&self.text, *chunk))
            .as_ref()
    }

    /// The `---` chunks of the stream that hold a document helm printed (a chunk without one
    /// holds nothing to locate), each with an empty slot.
    fn chunks(&self) -> Chunks {
        split_documents(&self.text)
            .into_iter()
            .map(|(start, end)| Span::new(start, end))
            .filter(|chunk| {
                self.documents
                    .iter()
                    .any(|d| chunk.start <= d.span.start && d.span.start < chunk.end)
            })
            .map(|chunk| (chunk, OnceLock::new()))
            .collect()
    }

    /// Objects rendered (documents, hooks included).
    pub fn objects(&self) -> usize {
        self.documents.len()
    }

    /// Hooks among them.
    pub fn hooks(&self) -> usize {
        self.documents.iter().filter(|d| d.hook).count()
    }
}

/// The documents of helm's output: each starts at a `# Source:` line that follows a `---` line.
pub fn split(text: &str) -> Vec<Document> {
    let mut starts: Vec<(usize, String)> = Vec::new();
    let mut offset = 0;
    let mut previous_dashes = true;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if previous_dashes {
            if let Some(source) = bare.strip_prefix("# Source: ") {
                starts.push((offset, source.trim().to_string()));
            }
        }
        previous_dashes = bare.trim_end() == "---";
        offset += line.len();
    }
    let mut documents = Vec::new();
    for (i, (start, source)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |(next, _)| {
            // The next document's `---` line belongs to it.
            text.get(..*next)
                .and_then(|before| before.trim_end_matches('\n').rfind('\n'))
                .map_or(*next, |i| i + 1)
        });
        let span = Span::new(*start, end.max(*start));
        let hook = text
            .get(span.start..span.end)
            .is_some_and(|body| body.contains(HOOK) && has_hook(body));
        documents.push(Document {
            span,
            source: source.clone(),
            hook,
        });
    }
    documents
}

/// Whether a document's `metadata.annotations` holds [`HOOK`].
fn has_hook(body: &str) -> bool {
    crate::source::yaml::parse_yaml(body, &EVERYTHING)
        .into_iter()
        .filter_map(|d| d.result.ok())
        .any(|root| {
            root.get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get(HOOK))
                .is_some()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::node::Node;

    const STREAM: &str = "---\n# Source: web/charts/cache/templates/svc.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# Source: web/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    note: \"# Source: not a header\"\n---\n# Source: web/templates/hook.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: hook\n  annotations:\n    helm.sh/hook: pre-install\n";

    #[test]
    fn documents_split_on_helms_headers() {
        let docs = split(STREAM);
        let sources: Vec<&str> = docs.iter().map(|d| d.source.as_str()).collect();
        assert_eq!(
            sources,
            [
                "web/charts/cache/templates/svc.yaml",
                "web/templates/svc.yaml",
                "web/templates/hook.yaml"
            ]
        );
        let hooks: Vec<bool> = docs.iter().map(|d| d.hook).collect();
        assert_eq!(hooks, [false, false, true]);
        let second = &STREAM[docs[1].span.start..docs[1].span.end];
        assert!(second.starts_with("# Source: web/templates/svc.yaml\n"));
        assert!(second.ends_with("not a header\"\n"), "{second:?}");
        assert_eq!(docs[2].span.end, STREAM.len());
        assert!(split("kind: Service\n").is_empty());
    }

    #[test]
    fn only_the_document_holding_the_place_is_parsed() {
        let release = Release {
            chart: "charts/web".into(),
            chart_name: "web".into(),
            name: "web".into(),
            namespace: "default".into(),
            values: Vec::new(),
            set: Vec::new(),
            cluster: 0,
            kube_version: "v1.31.0".into(),
            source: super::super::ReleaseSource::Detected,
        };
        let tree = ChartNode {
            name: "web".into(),
            real: None,
            shown: "charts/web".into(),
            children: Vec::new(),
        };
        let rendered = RenderedRelease::new(
            release,
            STREAM.to_string(),
            "helm template web charts/web".to_string(),
            tree,
            std::collections::BTreeSet::new(),
        );
        let at = STREAM.find("name: web").expect("the Service");
        let indexed = rendered.indexed_at(at).expect("parsed");
        assert_eq!(
            indexed.root.get("kind").and_then(Node::as_str),
            Some("Service")
        );
        let chunks = rendered.index.get().expect("chunks");
        assert_eq!(chunks.len(), 3);
        let parsed: Vec<bool> = chunks
            .iter()
            .map(|(_, slot)| slot.get().is_some())
            .collect();
        assert_eq!(parsed, [false, true, false]);
        // A place in no document helm printed finds nothing, and parses nothing more.
        assert!(rendered.indexed_at(STREAM.len() + 10).is_none());
        assert_eq!(
            chunks
                .iter()
                .filter(|(_, slot)| slot.get().is_some())
                .count(),
            1
        );
    }
}
