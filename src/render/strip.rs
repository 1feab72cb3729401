//! Kustomize's build annotations: read where each rendered object came from, then take the
//! annotations out of the stream, so that no rule ever sees them.
//!
//! Kustomize prints block-style YAML, so an annotation is removed as whole lines (its key line and
//! the more-indented lines of its value), and every other byte of the stream stays as Kustomize
//! wrote it: the stream lbplan lints is exactly what `kustomize build OVERLAY` prints. A document
//! whose annotations are not laid out so is printed again from its parsed value instead.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::wrapper::normalize;
use crate::source::Span;
use crate::source::node::{Node, Shape};
use crate::source::yaml::parse_yaml;

/// The file an object was read from, or the generator that made it.
pub const ORIGIN: &str = "config.kubernetes.io/origin";
/// The kustomizations whose transformers changed an object, in the order they ran.
pub const TRANSFORMATIONS: &str = "alpha.config.kubernetes.io/transformations";
/// Kustomize's own bookkeeping, normally removed by Kustomize itself.
const INTERNAL: &str = "internal.config.kubernetes.io/";

/// Whether an annotation was added by the build rather than written by the user.
pub fn is_build_annotation(key: &str) -> bool {
    key == ORIGIN || key == TRANSFORMATIONS || key.starts_with(INTERNAL)
}

/// Where a rendered object comes from, per `config.kubernetes.io/origin`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildOrigin {
    /// A resource file (absolute, normalized).
    File(PathBuf),
    /// Made by a generator (`ConfigMapGenerator`) configured in a kustomization file.
    Generated {
        kustomization: PathBuf,
        generator: String,
    },
    /// A file of a remote base.
    Remote { repo: String, path: String },
}

/// One transformer that ran on an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transformation {
    /// The kustomization file that configured it (absolute, normalized).
    pub kustomization: PathBuf,
    /// `PatchTransformer`, `NamespaceTransformer`, `LabelTransformer`...
    pub transformer: String,
}

/// What the build annotations said about one rendered document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// The document's chunk in the stripped stream.
    pub chunk: Span,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub origin: Option<BuildOrigin>,
    pub transformations: Vec<Transformation>,
}

impl DocMeta {
    /// `Kind/namespace/name`, as findings name objects.
    pub fn label(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}/{ns}/{}", self.kind, self.name),
            None => format!("{}/{}", self.kind, self.name),
        }
    }
}

/// A rendered stream without build annotations, and what they said, one entry per document.
#[derive(Debug, Default)]
pub struct Stripped {
    pub text: String,
    pub documents: Vec<DocMeta>,
    /// Whether any document carried a build annotation (in a plain render: written by the user,
    /// or by a kustomization's own `buildMetadata`).
    pub annotated: bool,
}

static ALL: Shape = Shape::ALL;
static METADATA: Shape = Shape::keep(&[("name", &ALL), ("namespace", &ALL), ("annotations", &ALL)]);
static DOCUMENT: Shape = Shape::keep(&[("kind", &ALL), ("metadata", &METADATA)]);

#[derive(Deserialize)]
struct OriginNote {
    path: Option<String>,
    repo: Option<String>,
    #[serde(rename = "configuredIn")]
    configured_in: Option<String>,
    #[serde(rename = "configuredBy")]
    configured_by: Option<ConfiguredBy>,
}

#[derive(Deserialize)]
struct ConfiguredBy {
    kind: Option<String>,
}

#[derive(Deserialize)]
struct TransformationNote {
    #[serde(rename = "configuredIn")]
    configured_in: Option<String>,
    #[serde(rename = "configuredBy")]
    configured_by: Option<ConfiguredBy>,
}

/// Strip the build annotations of `text`, a rendered stream whose paths are relative to `base`
/// (the wrapper's folder).
pub fn strip(text: &str, base: &Path) -> Stripped {
    let mut out = Stripped::default();
    let mut copied = 0;
    for doc in parse_yaml(text, &DOCUMENT) {
        let Ok(root) = doc.result else {
            continue;
        };
        let annotations = root
            .get("metadata")
            .and_then(|m| m.entry("annotations"))
            .filter(|a| a.value.as_map().is_some());
        let mut meta = DocMeta {
            kind: string(root.get("kind")),
            name: string(root.get("metadata").and_then(|m| m.get("name"))),
            namespace: root
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .and_then(Node::as_str)
                .map(str::to_string),
            ..DocMeta::default()
        };
        let mut removals = Vec::new();
        let mut clean = true;
        if let Some(annotations) = annotations {
            let entries = annotations.value.as_map().unwrap_or(&[]);
            let build: Vec<_> = entries
                .iter()
                .filter(|e| is_build_annotation(&e.key))
                .collect();
            out.annotated |= !build.is_empty();
            for entry in &build {
                let value = entry.value.as_str().unwrap_or("");
                match entry.key.as_ref() {
                    ORIGIN => meta.origin = origin(value, base),
                    TRANSFORMATIONS => meta.transformations = transformations(value, base),
                    _ => {}
                }
            }
            // All of them: the `annotations:` key goes too, as Kustomize prints no empty map.
            let keys: Vec<Option<Span>> = if !build.is_empty() && build.len() == entries.len() {
                vec![annotations.key_span]
            } else {
                build.iter().map(|e| e.key_span).collect()
            };
            for key in keys {
                match key.and_then(|k| entry_lines(text, k, doc.span.end)) {
                    Some(range) => removals.push(range),
                    None => clean = false,
                }
            }
        }
        let chunk = text.get(doc.span.start..doc.span.end).unwrap_or("");
        out.text
            .push_str(text.get(copied..doc.span.start).unwrap_or(""));
        let start = out.text.len();
        if clean {
            let mut at = doc.span.start;
            for (start, end) in removals {
                out.text.push_str(text.get(at..start).unwrap_or(""));
                at = end;
            }
            out.text.push_str(text.get(at..doc.span.end).unwrap_or(""));
        } else {
            out.text.push_str(&reprint(chunk));
        }
        copied = doc.span.end;
        meta.chunk = Span::new(start, out.text.len());
        out.documents.push(meta);
    }
    out.text.push_str(text.get(copied..).unwrap_or(""));
    out
}

fn string(node: Option<&Node>) -> String {
    node.and_then(Node::scalar_text)
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_default()
}

fn origin(value: &str, base: &Path) -> Option<BuildOrigin> {
    let note: OriginNote = serde_yaml::from_str(value).ok()?;
    match note {
        OriginNote {
            repo: Some(repo),
            path,
            ..
        } => Some(BuildOrigin::Remote {
            repo,
            path: path.unwrap_or_default(),
        }),
        OriginNote {
            path: Some(path), ..
        } => Some(BuildOrigin::File(normalize(&base.join(path)))),
        OriginNote {
            configured_in: Some(kustomization),
            configured_by,
            ..
        } => Some(BuildOrigin::Generated {
            kustomization: normalize(&base.join(kustomization)),
            generator: configured_by.and_then(|b| b.kind).unwrap_or_default(),
        }),
        _ => None,
    }
}

fn transformations(value: &str, base: &Path) -> Vec<Transformation> {
    let notes: Vec<TransformationNote> = serde_yaml::from_str(value).unwrap_or_default();
    notes
        .into_iter()
        .filter_map(|n| {
            Some(Transformation {
                kustomization: normalize(&base.join(n.configured_in?)),
                transformer: n.configured_by.and_then(|b| b.kind).unwrap_or_default(),
            })
        })
        .collect()
}

/// The lines of the block-style mapping entry whose key is at `key`: its key line and every
/// following line that is blank or indented deeper, up to `limit`. `None` unless the key starts
/// its line (after spaces, and a quote for a quoted key).
fn entry_lines(text: &str, key: Span, limit: usize) -> Option<(usize, usize)> {
    let line_start = text.get(..key.start)?.rfind('\n').map_or(0, |i| i + 1);
    let prefix = text.get(line_start..key.start)?;
    let indent = prefix.trim_end_matches(['"', '\'']);
    if prefix.len() - indent.len() > 1 || !indent.bytes().all(|b| b == b' ') {
        return None;
    }
    let indent = indent.len();
    let mut end = line_start;
    let mut first = true;
    while end < limit {
        let line = text.get(end..limit)?.split_inclusive('\n').next()?;
        let body = line.trim_end_matches(['\n', '\r']);
        let depth = body.len() - body.trim_start_matches(' ').len();
        if !first && !body.trim().is_empty() && depth <= indent {
            break;
        }
        first = false;
        end += line.len();
    }
    Some((line_start, end))
}

/// A document printed again without its build annotations.
fn reprint(chunk: &str) -> String {
    let (marker, body) = match chunk.strip_prefix("---") {
        Some(rest) => ("---\n", rest.split_once('\n').map_or("", |(_, b)| b)),
        None => ("", chunk),
    };
    let Ok(mut value) = serde_yaml::from_str::<serde_yaml::Value>(body) else {
        return chunk.to_string();
    };
    if let Some(metadata) = value.get_mut("metadata").and_then(|m| m.as_mapping_mut()) {
        if let Some(annotations) = metadata
            .get_mut("annotations")
            .and_then(|a| a.as_mapping_mut())
        {
            annotations.retain(|k, _| !k.as_str().is_some_and(is_build_annotation));
            if annotations.is_empty() {
                metadata.remove("annotations");
            }
        }
    }
    match serde_yaml::to_string(&value) {
        Ok(text) => format!("{marker}{text}"),
        Err(_) => chunk.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RENDERED: &str = "apiVersion: v1
kind: Service
metadata:
  annotations:
    alpha.config.kubernetes.io/transformations: |
      - configuredIn: ../repo/overlays/prod/kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: PatchTransformer
    config.kubernetes.io/origin: |
      path: ../repo/base/svc.yaml
    kubernetes.io/elb.id: abc
  name: prod-web
  namespace: shop
spec:
  type: LoadBalancer
---
apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    config.kubernetes.io/origin: |
      configuredIn: ../repo/base/kustomization.yaml
      configuredBy:
        apiVersion: builtin
        kind: ConfigMapGenerator
  name: cfg-6kdhcb2mhd
---
apiVersion: v1
kind: Service
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: base/svc.yaml
      repo: https://github.com/org/repo
      ref: v1
  name: remote
";

    #[test]
    fn build_annotations_are_read_and_removed_as_lines() {
        let stripped = strip(RENDERED, Path::new("/tmp/w"));
        assert_eq!(
            stripped.text,
            "apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    kubernetes.io/elb.id: abc\n  name: prod-web\n  namespace: shop\nspec:\n  type: LoadBalancer\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-6kdhcb2mhd\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: remote\n"
        );
        let [svc, cm, remote] = &stripped.documents[..] else {
            panic!("three documents: {:?}", stripped.documents)
        };
        assert_eq!(svc.label(), "Service/shop/prod-web");
        assert_eq!(
            svc.origin,
            Some(BuildOrigin::File(PathBuf::from("/tmp/repo/base/svc.yaml")))
        );
        assert_eq!(
            svc.transformations,
            [Transformation {
                kustomization: PathBuf::from("/tmp/repo/overlays/prod/kustomization.yaml"),
                transformer: "PatchTransformer".into()
            }]
        );
        assert_eq!(
            cm.origin,
            Some(BuildOrigin::Generated {
                kustomization: PathBuf::from("/tmp/repo/base/kustomization.yaml"),
                generator: "ConfigMapGenerator".into()
            })
        );
        assert!(
            matches!(&remote.origin, Some(BuildOrigin::Remote { repo, .. }) if repo == "https://github.com/org/repo")
        );
    }

    #[test]
    fn flow_style_annotations_are_printed_again() {
        let text = "kind: Service\nmetadata: {name: a, annotations: {config.kubernetes.io/origin: 'path: a.yaml', x: y}}\n---\nkind: Service\nmetadata:\n  annotations:\n    \"internal.config.kubernetes.io/id\": \"1\"\n  name: b\n";
        let stripped = strip(text, Path::new("/r"));
        assert_eq!(
            stripped.text,
            "kind: Service\nmetadata:\n  name: a\n  annotations:\n    x: y\n---\nkind: Service\nmetadata:\n  name: b\n"
        );
        assert_eq!(
            stripped.documents[0].origin,
            Some(BuildOrigin::File(PathBuf::from("/r/a.yaml")))
        );
    }

    #[test]
    fn a_stream_without_build_annotations_is_unchanged() {
        let text = "# c\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    origin: x\n---\nnot: [closed\n";
        let stripped = strip(text, Path::new("/r"));
        assert_eq!(stripped.text, text);
        assert_eq!(stripped.documents.len(), 1);
        assert!(!stripped.annotated);
        assert!(strip(RENDERED, Path::new("/r")).annotated);
    }
}
