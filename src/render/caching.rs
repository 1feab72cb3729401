//! A run's renders through the render cache: an overlay whose key the cache holds is not
//! rendered; one rendered is kept once the renderer's version is known (the version is part of
//! the key, and is itself cached under the renderer's identity, so that a warm run starts no
//! process).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::cached::{Entry, Inputs};
use super::error::RenderFailure;
use super::graph::Overlay;
use crate::cache::{Identity, KUSTOMIZE, Key, Lookup, Store};

/// The cache as the renders of one run use it.
#[derive(Clone, Copy)]
pub struct Caching<'a> {
    pub store: &'a Store,
    /// The renderer's identity; `None` (not known) caches nothing.
    pub identity: Option<&'a Identity>,
    /// The renderer's version, when known before the renders: each is then looked up and kept
    /// at once; otherwise each is kept after the run ([`Caching::keep`]).
    pub version: Option<&'a str>,
    /// The time limit of each render: part of the key.
    pub timeout: Duration,
}

/// One overlay's render, or the entry the cache held for it.
#[derive(Debug)]
pub struct Rendered {
    pub result: Result<Entry, RenderFailure>,
    /// What the render read, hashed before it ran; `None`: not to be cached.
    inputs: Option<Inputs>,
    /// The overlay's folder with links resolved.
    pub real_dir: PathBuf,
    /// Taken from the cache, not rendered.
    hit: bool,
}

impl Caching<'_> {
    /// The render of `overlay`: from the cache when it holds the overlay's key, else by `work`
    /// (given the overlay's folder with links resolved).
    pub fn render(
        &self,
        overlay: &Overlay,
        work: impl FnOnce(&Path) -> Result<Entry, RenderFailure>,
    ) -> Rendered {
        let real_dir = std::fs::canonicalize(&overlay.dir).unwrap_or_else(|_| overlay.dir.clone());
        let inputs = self
            .identity
            .and_then(|_| Inputs::of(overlay, &real_dir, self.store));
        // Held until the render is kept: another thread of the run rendering the same inputs (the
        // head's prefetch in `lbplan diff`) waits for this one rather than rendering them again.
        let mut claim = None;
        if let Some(key) = self.key(inputs.as_ref()) {
            match self.store.lookup(KUSTOMIZE, &key) {
                Lookup::Held(bytes) => {
                    if let Some(entry) = Entry::decode(&bytes, &real_dir) {
                        return Rendered {
                            result: Ok(entry),
                            inputs,
                            real_dir,
                            hit: true,
                        };
                    }
                }
                Lookup::Missing(mine) => claim = Some(mine),
            }
        }
        let rendered = Rendered {
            result: work(&real_dir),
            inputs,
            real_dir,
            hit: false,
        };
        self.keep(&rendered);
        drop(claim);
        rendered
    }

    /// Keep a render that succeeded, when its key is known.
    pub fn keep(&self, rendered: &Rendered) {
        if rendered.hit {
            return;
        }
        let (Ok(entry), Some(key)) = (&rendered.result, self.key(rendered.inputs.as_ref())) else {
            return;
        };
        if let Some(bytes) = entry.encode(&rendered.real_dir) {
            self.store.put(KUSTOMIZE, &key, &bytes);
        }
    }

    fn key(&self, inputs: Option<&Inputs>) -> Option<Key> {
        Some(inputs?.key(self.identity?, self.version?, self.timeout))
    }
}
