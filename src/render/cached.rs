//! Kustomize renders kept in the render cache (`crate::cache`): what an overlay's key is made of,
//! and what an entry holds.
//!
//! The key: the renderer (identity and version, from [`crate::cache::KeyBuilder`]), how lbplan
//! asks for the render and finds origins (`REQUEST`), the render's time limit, the environment variables
//! the renderer is given from lbplan's, every file the overlay's graph reads ([`Overlay::files`],
//! what `graph.rs` resolved) by its path relative to the overlay, and which kustomization file
//! names exist in each kustomization folder it reaches (adding a `kustomization.yml` beside a
//! `kustomization.yaml` changes what Kustomize does). An overlay whose graph lbplan did not
//! fully resolve (a kustomization it could not read, a local reference not found, an entry
//! leaving the root), that needs a remote base, or that reads a whole folder, has no key: it is
//! rendered every time.
//!
//! An entry holds the stripped stream, what the annotations said of each document, with every
//! path relative to the overlay (so that a base revision's temporary copy and the working tree
//! share entries), the renderer's warnings, and whether the render located its objects.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::graph::Overlay;
use super::kustomization::FILE_NAMES;
use super::strip::{BuildOrigin, DocMeta, Transformation};
use super::wrapper::{normalize, relative};
use crate::cache::{Identity, Key, KeyBuilder, Store};
use crate::source::Span;

/// How lbplan asks for a render and finds origins; part of every key, so that a change to it is
/// a new key. An entry holds the origins either way (placed from the graph, or read from the
/// annotated render it fell back to), so one key serves both; the entries of a lbplan that always
/// asked for annotations are not read.
const REQUEST: &str = "plain wrapper, origins placed from the graph (v1), else wrapper with buildMetadata [originAnnotations, transformerAnnotations]";

/// What an overlay's render reads, hashed, before the renderer is known: the key is finished
/// with the renderer's identity and version ([`Inputs::key`]).
#[derive(Debug)]
pub struct Inputs {
    files: Vec<(String, [u8; 32])>,
    names: Vec<(String, String)>,
}

impl Inputs {
    /// What `overlay` (its folder with links resolved: `real_dir`) reads, when its render can be
    /// cached.
    pub fn of(overlay: &Overlay, real_dir: &Path, store: &Store) -> Option<Inputs> {
        if !overlay.cacheable() {
            return None;
        }
        let mut files = Vec::with_capacity(overlay.files.len());
        for file in &overlay.files {
            // A folder (a Helm chart home) is read whole by the render: not keyed file by file.
            files.push((relative_name(real_dir, file)?, store.file_digest(file)?));
        }
        let mut names = Vec::with_capacity(overlay.roots.len());
        for root in &overlay.roots {
            let present: Vec<&str> = FILE_NAMES
                .iter()
                .copied()
                .filter(|name| root.join(name).is_file())
                .collect();
            names.push((relative_name(real_dir, root)?, present.join(",")));
        }
        Some(Inputs { files, names })
    }

    /// The key of the render by `renderer`, whose version is `version`, within `timeout`.
    pub fn key(&self, renderer: &Identity, version: &str, timeout: Duration) -> Key {
        let mut key = KeyBuilder::new(crate::cache::KUSTOMIZE, renderer, version);
        key.flag("request", REQUEST);
        // A render that finished within a longer limit is not one a shorter limit would give.
        key.flag("timeout", &format!("{}ms", timeout.as_millis()));
        for name in crate::exec::PASSED {
            key.env(name, std::env::var_os(name).as_deref());
        }
        for (folder, present) in &self.names {
            key.flag(&format!("kustomization files in {folder}"), present);
        }
        for (path, sum) in &self.files {
            key.file_digest(path, *sum);
        }
        key.finish()
    }
}

/// `path` relative to `base` (both canonical), `/`-separated.
fn relative_name(base: &Path, path: &Path) -> Option<String> {
    let rel = relative(base, path)?;
    let name = rel.to_string_lossy().replace('\\', "/");
    Some(if name.is_empty() { ".".into() } else { name })
}

/// One render, as kept.
#[derive(Debug, PartialEq)]
pub struct Entry {
    pub text: String,
    pub warnings: Vec<String>,
    pub located: bool,
    pub documents: Vec<DocMeta>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    text: String,
    warnings: Vec<String>,
    located: bool,
    documents: Vec<StoredDoc>,
}

#[derive(Serialize, Deserialize)]
struct StoredDoc {
    chunk: (usize, usize),
    kind: String,
    name: String,
    namespace: Option<String>,
    origin: Option<StoredOrigin>,
    /// (kustomization, transformer)
    transformations: Vec<(String, String)>,
}

#[derive(Serialize, Deserialize)]
enum StoredOrigin {
    File(String),
    Generated {
        kustomization: String,
        generator: String,
    },
    Remote {
        repo: String,
        path: String,
    },
}

impl Entry {
    /// The entry's bytes, its paths relative to `real_dir`; `None` when a path has no relative
    /// form (another drive), and the render is not kept.
    pub fn encode(&self, real_dir: &Path) -> Option<Vec<u8>> {
        let rel = |path: &PathBuf| relative_name(real_dir, path);
        let mut documents = Vec::with_capacity(self.documents.len());
        for doc in &self.documents {
            let origin = match &doc.origin {
                None => None,
                Some(BuildOrigin::File(path)) => Some(StoredOrigin::File(rel(path)?)),
                Some(BuildOrigin::Generated {
                    kustomization,
                    generator,
                }) => Some(StoredOrigin::Generated {
                    kustomization: rel(kustomization)?,
                    generator: generator.clone(),
                }),
                Some(BuildOrigin::Remote { repo, path }) => Some(StoredOrigin::Remote {
                    repo: repo.clone(),
                    path: path.clone(),
                }),
            };
            let mut transformations = Vec::with_capacity(doc.transformations.len());
            for t in &doc.transformations {
                transformations.push((rel(&t.kustomization)?, t.transformer.clone()));
            }
            documents.push(StoredDoc {
                chunk: (doc.chunk.start, doc.chunk.end),
                kind: doc.kind.clone(),
                name: doc.name.clone(),
                namespace: doc.namespace.clone(),
                origin,
                transformations,
            });
        }
        serde_json::to_vec(&Stored {
            text: self.text.clone(),
            warnings: self.warnings.clone(),
            located: self.located,
            documents,
        })
        .ok()
    }

    /// The entry in `bytes`, its paths made absolute again under `real_dir`. Entries come from
    /// the trusted cache folder, yet one that does not read as an entry is only a miss, and a
    /// chunk outside the stream is dropped.
    pub fn decode(bytes: &[u8], real_dir: &Path) -> Option<Entry> {
        let stored: Stored = serde_json::from_slice(bytes).ok()?;
        let path = |rel: String| normalize(&real_dir.join(rel));
        let len = stored.text.len();
        let documents = stored
            .documents
            .into_iter()
            .filter(|d| d.chunk.0 <= d.chunk.1 && d.chunk.1 <= len)
            .map(|d| DocMeta {
                chunk: Span {
                    start: d.chunk.0,
                    end: d.chunk.1,
                },
                kind: d.kind,
                name: d.name,
                namespace: d.namespace,
                origin: d.origin.map(|o| match o {
                    StoredOrigin::File(rel) => BuildOrigin::File(path(rel)),
                    StoredOrigin::Generated {
                        kustomization,
                        generator,
                    } => BuildOrigin::Generated {
                        kustomization: path(kustomization),
                        generator,
                    },
                    StoredOrigin::Remote { repo, path } => BuildOrigin::Remote { repo, path },
                }),
                transformations: d
                    .transformations
                    .into_iter()
                    .map(|(k, transformer)| Transformation {
                        kustomization: path(k),
                        transformer,
                    })
                    .collect(),
            })
            .collect();
        Some(Entry {
            text: stored.text,
            warnings: stored.warnings,
            located: stored.located,
            documents,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_keeps_paths_relative_to_the_overlay() {
        let doc = |base: &Path| DocMeta {
            chunk: Span { start: 0, end: 5 },
            kind: "Service".into(),
            name: "web".into(),
            namespace: Some("shop".into()),
            origin: Some(BuildOrigin::File(base.join("base/svc.yaml"))),
            transformations: vec![Transformation {
                kustomization: base.join("overlays/prod/kustomization.yaml"),
                transformer: "PatchTransformer".into(),
            }],
        };
        let entry = |base: &Path| Entry {
            text: "kind: Service\n".into(),
            warnings: vec!["deprecated".into()],
            located: true,
            documents: vec![doc(base)],
        };
        let work = Path::new("/work/repo");
        let copy = Path::new("/tmp/lbplan-rev-1/repo");
        let bytes = entry(work)
            .encode(&work.join("overlays/prod"))
            .expect("encodes");
        assert!(!String::from_utf8_lossy(&bytes).contains("/work/repo"));
        assert_eq!(
            Entry::decode(&bytes, &copy.join("overlays/prod")),
            Some(entry(copy))
        );
        assert_eq!(Entry::decode(b"{}", copy), None);
    }
}
