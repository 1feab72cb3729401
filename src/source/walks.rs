//! The folder walks a run keeps for a later discovery of the same folders (see [`Walks`]).

use std::path::PathBuf;

use super::discover::Discovered;
use super::walk::WalkOptions;

/// What [`super::discover::discover_in`] does with a run's [`Walks`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// Walk (unless the same walk is kept), and keep what the walk found for a later discovery.
    Keep,
    /// Take the same walk when one is kept, else walk.
    Take,
}

/// The folder walks a run made ahead of its own discovery (the GitOps scan walks the run's
/// folders before the clusters are known): the discovery that follows takes the walk of the
/// same folders with the same options instead of walking them again (and asking git again).
/// Each walk kept is taken at most once; [`Walks::forget`] lets go of the rest.
#[derive(Debug, Default)]
pub struct Walks {
    kept: std::sync::Mutex<Vec<(Vec<PathBuf>, WalkOptions, Discovered)>>,
}

impl Walks {
    pub(super) fn take(&self, folders: &[PathBuf], options: &WalkOptions) -> Option<Discovered> {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let at = kept
            .iter()
            .position(|(f, o, _)| f.as_slice() == folders && o.same_walk(options))?;
        Some(kept.swap_remove(at).2)
    }

    pub(super) fn keep(&self, folders: &[PathBuf], options: &WalkOptions, found: Discovered) {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((folders.to_vec(), options.clone(), found));
    }

    /// Let go of the walks kept and not taken.
    pub fn forget(&self) {
        std::mem::take(
            &mut *self
                .kept
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }
}
