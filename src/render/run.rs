//! Rendering a run's overlays: in parallel, each through its wrapper, each failure an error that
//! names the overlay and what the renderer said.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::cached::Entry;
use super::caching::{Caching, Rendered};

use super::attempt::attempt;
use super::error::{RenderError, RenderFailure};
use super::place::walk;
use super::process::{How, Renderer};
use super::progress::{Progress, attended};
use super::wrapper::Workspace;
use super::{Choice, Overlay, RenderedOverlay, Settings};
use crate::cache::Identity;
use crate::exec::Scratch;
use crate::source::read::Budget;

/// The renders of one run, in the order of the overlays given.
#[derive(Debug, Default)]
pub struct Run {
    /// The renderer's absolute path, when renders ran: what ran, and what the assumptions name.
    pub renderer: Option<String>,
    /// Its version (`kubectl v1.32.4 (Kustomize v5.5.0)`), or why it is unknown.
    pub version: Option<Result<String, String>>,
    pub rendered: Vec<RenderedOverlay>,
    pub errors: Vec<RenderError>,
    /// Why the render cache was not on disk, when that is worth a note.
    pub cache_note: Option<String>,
}

impl Run {
    /// The plan's assumptions: the renderer and its version, and each overlay rendered.
    pub fn assumptions(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(renderer) = &self.renderer {
            out.push(match &self.version {
                Some(Ok(version)) => {
                    format!("Kustomize overlays rendered with {version} ({renderer})")
                }
                Some(Err(why)) => {
                    format!("Kustomize overlays rendered with {renderer} (version unknown: {why})")
                }
                None => format!("Kustomize overlays rendered with {renderer}"),
            });
        }
        out.extend(self.rendered.iter().map(|r| {
            format!(
                "Kustomize overlay {} rendered ({}): {} objects",
                r.overlay.name,
                r.command,
                r.documents.len()
            )
        }));
        out
    }
}

/// The renderer to run, the private folder for its wrappers, and its `HOME` and `TMPDIR`.
fn prepare(settings: &Settings) -> Result<(Renderer, Workspace, Scratch), RenderFailure> {
    let renderer = resolve(settings)?;
    let workspace = |e: std::io::Error| RenderFailure::Workspace {
        error: e.to_string(),
    };
    let folder = Workspace::new(settings.temp_parent.as_deref()).map_err(workspace)?;
    let scratch = Scratch::new(settings.temp_parent.as_deref()).map_err(workspace)?;
    Ok((renderer, folder, scratch))
}

/// The renderer `settings` name, or the engine found on `PATH`.
pub(super) fn resolve(settings: &Settings) -> Result<Renderer, RenderFailure> {
    match (&settings.program, &settings.choice) {
        // render_all returns before preparing anything when rendering is off.
        (_, Choice::Off) => Err(RenderFailure::NoRenderer),
        (Some(named), _) => Renderer::named(named).map_err(RenderFailure::Resolve),
        (None, Choice::Auto) => {
            Renderer::on_path(Choice::Auto.engines(), std::env::var_os("PATH").as_deref())
                .map_err(|_| RenderFailure::NoRenderer)
        }
        (None, choice) => Renderer::on_path(choice.engines(), std::env::var_os("PATH").as_deref())
            .map_err(RenderFailure::Resolve),
    }
}

/// Render `overlays` as `settings` say: in parallel on the render pool (`pool.rs`), each within
/// the time limit, the renderer's version queried once beside them.
#[cfg(test)]
pub fn render_all(overlays: &[Overlay], settings: &Settings, budget: &Budget) -> Run {
    render_all_then(overlays, settings, budget, |_, _, _| {})
}

/// [`render_all`], handing the stream of overlay `i` (the text [`RenderedOverlay::text`] will
/// hold, and the name [`RenderedOverlay::stream_name`] will give it) to `rendered(i, name,
/// text)` on the calling thread as soon as its render is done (or taken
/// from the cache), while the next renders run: in the order renders finish, for the caller to
/// put back in the overlays' order. An overlay that fails is never handed on.
pub fn render_all_then(
    overlays: &[Overlay],
    settings: &Settings,
    budget: &Budget,
    mut rendered: impl FnMut(usize, &str, &str),
) -> Run {
    let mut run = Run::default();
    if overlays.is_empty() || matches!(settings.choice, Choice::Off) {
        return run;
    }
    let (renderer, workspace, scratch) = match prepare(settings) {
        Ok(prepared) => prepared,
        Err(failure) => {
            run.errors = overlays.iter().map(|o| error(o, failure.clone())).collect();
            return run;
        }
    };
    run.renderer = Some(renderer.program.path.display().to_string());
    let how = How {
        timeout: settings.timeout,
        scratch: &scratch,
        budget: Some(budget),
        no_remote: settings.no_remote,
        stop: settings.stop.as_deref(),
    };
    // The renderer's version, as a run found it before: then nothing runs but the renders the
    // cache does not hold (and with all of them held, nothing at all).
    let store = &settings.cache;
    let identity = Identity::of(&renderer.program.path).ok();
    let known = identity.as_ref().and_then(|id| store.version(id));
    let cache = Caching {
        store,
        identity: identity.as_ref(),
        version: known.as_deref(),
        timeout: settings.timeout,
    };
    if let Some(version) = &known {
        run.version = Some(Ok(version.clone()));
    }
    let total = overlays.len();
    let mut progress = Progress::new(total, settings.progress && attended(), "Kustomize overlays");
    // Job `total` is the version query, run once beside the renders when it is not known.
    let jobs = if known.is_some() { total } else { total + 1 };
    let job = |i: usize| -> Job {
        match overlays.get(i) {
            Some(overlay) => Job::Render(Box::new(cache.render(overlay, |real_dir| {
                if stopped(settings) {
                    return Err(RenderFailure::Output {
                        command: renderer.command_line(&overlay.name),
                        message: "not rendered: the run no longer needs it".into(),
                    });
                }
                guarded(|| render_one(&renderer, &workspace, i, overlay, real_dir, &how))
            }))),
            None => Job::Version(renderer.version(&how)),
        }
    };
    let label = |i: usize| overlays.get(i).map(|o| o.name.clone());
    let threads = settings.threads.unwrap_or_else(crate::threads::count);
    let then = |i: usize, done: &Job| {
        if let Job::Render(done) = done {
            if let (Ok(entry), Some(overlay)) = (&done.result, overlays.get(i)) {
                rendered(i, &renderer.command_line(&overlay.name), &entry.text);
            }
        }
    };
    let mut slots = super::pool::run_then(jobs, threads, &mut progress, label, job, then);
    progress.finish();
    let _ = workspace.close();
    drop(scratch);
    if known.is_none() {
        if let Some(Some(Job::Version(version))) = slots.pop() {
            run.version = Some(version);
        }
    }
    let slots: Vec<Option<Rendered>> = slots
        .into_iter()
        .map(|slot| match slot {
            Some(Job::Render(rendered)) => Some(*rendered),
            _ => None,
        })
        .collect();
    if let (None, Some(id), Some(Ok(version))) = (&known, &identity, &run.version) {
        // Now that the version is known, keep it and the renders that ran meanwhile.
        store.put_version(id, version);
        let cache = Caching {
            version: Some(version),
            ..cache
        };
        for rendered in slots.iter().flatten() {
            cache.keep(rendered);
        }
    }
    store.finish();
    run.cache_note = store.note().map(str::to_string);
    settle(&mut run, overlays, slots, &renderer);
    run
}

/// Each overlay's render into the run: rendered, or an error.
fn settle(run: &mut Run, overlays: &[Overlay], slots: Vec<Option<Rendered>>, renderer: &Renderer) {
    for (overlay, slot) in overlays.iter().zip(slots) {
        match slot {
            Some(Rendered {
                result: Ok(entry),
                real_dir,
                ..
            }) => run
                .rendered
                .push(entry.into_overlay(overlay, real_dir, renderer)),
            Some(Rendered {
                result: Err(failure),
                ..
            }) => run.errors.push(error(overlay, failure)),
            None => run.errors.push(error(
                overlay,
                RenderFailure::Output {
                    command: renderer.command_line(&overlay.name),
                    message: "internal error: the render did not run".into(),
                },
            )),
        }
    }
}

enum Job {
    Render(Box<Rendered>),
    Version(Result<String, String>),
}

fn error(overlay: &Overlay, failure: RenderFailure) -> RenderError {
    RenderError {
        overlay: overlay.name.clone(),
        kustomization: super::kustomization::file_in(&overlay.dir),
        failure,
    }
}

/// Whether renders that have not started are no longer wanted.
fn stopped(settings: &Settings) -> bool {
    settings
        .stop
        .as_ref()
        .is_some_and(|stop| stop.load(std::sync::atomic::Ordering::Relaxed))
}

/// A render that panicked fails alone instead of taking the run down.
fn guarded(work: impl FnOnce() -> Result<Entry, RenderFailure>) -> Result<Entry, RenderFailure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(RenderFailure::Output {
            command: String::new(),
            message: "internal error while rendering".into(),
        })
    })
}

/// Render `overlay` (whose folder, links resolved, is `real_dir`): the stripped stream, and where
/// its objects come from. Rendered plain and placed from the graph (`place.rs`); where that is
/// not sure, rendered again asking Kustomize (`attempt.rs`).
fn render_one(
    renderer: &Renderer,
    workspace: &Workspace,
    index: usize,
    overlay: &Overlay,
    real_dir: &Path,
    how: &How,
) -> Result<Entry, RenderFailure> {
    if !overlay.escapes.is_empty() {
        return Err(RenderFailure::LeavesRoot {
            entries: overlay.escapes.clone(),
        });
    }
    if how.no_remote && !overlay.remote.is_empty() {
        return Err(RenderFailure::Remote {
            bases: overlay.remote.clone(),
        });
    }
    let render = |annotated| {
        attempt(
            renderer, workspace, index, overlay, real_dir, how, annotated,
        )
    };
    // What the kustomizations make is read first: an overlay lbplan cannot follow is rendered
    // once, asking Kustomize.
    if let Ok(placement) = walk(overlay, real_dir) {
        let mut plain = render(false)?;
        // Build annotations in a plain render were written by the user: judged as before.
        if !plain.stripped.annotated && placement.place(&mut plain.stripped.documents).is_ok() {
            return Ok(plain.into_entry());
        }
    }
    Ok(render(true)?.into_entry())
}

impl Entry {
    /// The rendered overlay, its origins checked against its graph (`origin/trust.rs`).
    pub(super) fn into_overlay(
        self,
        overlay: &Overlay,
        real_dir: PathBuf,
        renderer: &Renderer,
    ) -> RenderedOverlay {
        let mut documents = self.documents;
        let distrusted = super::origin::trust::distrust(&mut documents, overlay);
        RenderedOverlay {
            overlay: overlay.clone(),
            text: Arc::from(self.text),
            command: renderer.command_line(&overlay.name),
            warnings: self.warnings,
            located: self.located,
            distrusted,
            documents,
            real_dir,
            index: super::Index::default(),
        }
    }
}
