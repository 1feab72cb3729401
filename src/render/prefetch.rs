//! Renders started ahead of the read that needs them. `lbplan diff` reads the base while the
//! head's overlays render: a pull request's changed overlay, the one render a diff with a warm
//! cache runs, then costs its time once instead of adding it to the base's read.
//!
//! Each prefetched render is kept in the render cache as it finishes, and the head's read takes
//! it from there; asking for one still rendering, it waits for it (`cache::Store::lookup`). So a
//! prefetch is only started when the cache keeps renders at once, the renderer's version being
//! known from an earlier run, and only for overlays whose renders are cached: otherwise the
//! head's read would render them again. The output never depends on it: the head reads a
//! prefetched render exactly as it reads any entry of the cache.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use super::run::{render_all_then, resolve};
use super::{Overlay, Settings};
use crate::cache::Identity;
use crate::source::read::{Budget, absolute};

/// Renders running on a thread of their own; dropping it starts no more of them and waits for
/// those running.
#[derive(Debug)]
pub struct Prefetch {
    thread: Option<JoinHandle<()>>,
    /// Set when it is dropped: no further render starts.
    stop: Arc<AtomicBool>,
}

impl Prefetch {
    /// Start rendering `overlays` as `settings` say (their folders made absolute against the
    /// working folder now, which the caller is about to leave), when the cache keeps each render
    /// as it finishes; otherwise nothing.
    pub fn start(overlays: &[Overlay], settings: &Settings) -> Prefetch {
        let nothing = Prefetch {
            thread: None,
            stop: Arc::default(),
        };
        let Ok(renderer) = resolve(settings) else {
            return nothing;
        };
        let identity = Identity::of(&renderer.program.path).ok();
        if identity
            .and_then(|id| settings.cache.version(&id))
            .is_none()
        {
            return nothing;
        }
        let overlays: Vec<Overlay> = overlays
            .iter()
            .filter(|o| o.cacheable())
            .map(|o| Overlay {
                dir: absolute(&o.dir),
                ..o.clone()
            })
            .collect();
        if overlays.is_empty() {
            return nothing;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let settings = Settings {
            progress: false,
            temp_parent: settings.temp_parent.as_deref().map(absolute),
            stop: Some(Arc::clone(&stop)),
            ..settings.clone()
        };
        // Its own budget: what it renders is counted when the head's read takes it.
        let spawned = std::thread::Builder::new()
            .name("lbplan-prefetch".into())
            .spawn(move || {
                render_all_then(&overlays, &settings, &Budget::default(), |_, _, _| {});
            });
        Prefetch {
            thread: spawned.ok(),
            stop,
        }
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            // A panic there cost only its renders, which the head's read runs itself.
            let _ = thread.join();
        }
    }
}
