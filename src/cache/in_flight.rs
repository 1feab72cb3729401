//! The entries some thread of this run is making now. `lbplan diff` renders the head's overlays
//! while it reads the base (`render::Prefetch`): when the head's own read then asks for an overlay
//! still rendering, it waits for that render's entry instead of running the renderer again.

use std::collections::HashSet;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::Key;

/// The keys being made, by their space.
#[derive(Default)]
pub(super) struct InFlight {
    keys: Mutex<HashSet<(&'static str, Key)>>,
    done: Condvar,
}

/// The right to make one entry: whoever else asks for its key waits until this is dropped (after
/// the entry is kept, or the render failed), then looks again.
pub struct Claim<'a> {
    flight: &'a InFlight,
    space: &'static str,
    key: Key,
}

impl InFlight {
    fn lock(&self) -> MutexGuard<'_, HashSet<(&'static str, Key)>> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Claim `key`, first waiting for whoever holds it. A claim is held by one thread for one
    /// render, which claims nothing else meanwhile (a render's time limit bounds it), so waits
    /// end.
    pub(super) fn claim(&self, space: &'static str, key: &Key) -> Claim<'_> {
        let mut keys = self.lock();
        while keys.contains(&(space, *key)) {
            keys = self.done.wait(keys).unwrap_or_else(PoisonError::into_inner);
        }
        keys.insert((space, *key));
        Claim {
            flight: self,
            space,
            key: *key,
        }
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.flight.lock().remove(&(self.space, self.key));
        self.flight.done.notify_all();
    }
}
