//! Rendering a run's releases: helm found once and asked its version, then each release copied and
//! rendered on the render pool (`render/pool.rs`), as many at a time as Kustomize overlays, each
//! within the same time limit and against the same byte budget.

use std::path::Path;

use super::cached::{Entry, HelmCache};
use super::copy::{Copied, copy_release};
use super::process::{self, Helm, How, Invocation};
use super::scan::holds_load_balancer_annotations;
use super::{HelmFailure, Release, RenderedRelease, Settings};
use crate::exec::{Scratch, TempFolder};
use crate::render::progress::{Progress, attended};
use crate::source::confine::RootDir;
use crate::source::decode;
use crate::source::read::Budget;

/// Lines of a successful render's standard error kept as warnings.
const WARNING_LINES: usize = 20;

/// The renders of one run, in the order of the releases given.
#[derive(Debug, Default)]
pub struct HelmRun {
    /// helm's absolute path, when renders ran.
    pub helm: Option<String>,
    /// Its version (`v3.17.1`), or why it is unknown.
    pub version: Option<Result<String, String>>,
    /// Whether `--skip-schema-validation` was passed.
    pub skips_schema: bool,
    pub outcomes: Vec<Outcome>,
}

/// What became of one release.
#[derive(Debug)]
pub struct Outcome {
    pub release: Release,
    pub result: Result<RenderedRelease, HelmFailure>,
    /// What copying it left out (links out of the chart, dependencies outside the repository).
    pub notes: Vec<String>,
    /// For a release that did not render: whether its templates or values name a cloud
    /// load-balancer annotation (a text scan).
    pub balancers: bool,
}

/// Render `releases`: `render` holds what Kustomize renders share (time limit, threads, temporary
/// folder, progress), `root` the repository copies stay in.
pub fn render_all(
    releases: &[Release],
    settings: &Settings,
    render: &crate::render::Settings,
    root: &RootDir,
    budget: &Budget,
) -> HelmRun {
    let mut run = HelmRun::default();
    if releases.is_empty() {
        return run;
    }
    let not_rendered = |failure: &HelmFailure| -> Vec<Outcome> {
        releases
            .iter()
            .map(|r| Outcome {
                release: r.clone(),
                result: Err(failure.clone()),
                notes: Vec::new(),
                balancers: holds_load_balancer_annotations(&r.chart, budget),
            })
            .collect()
    };
    if let Some(off) = settings.off {
        run.outcomes = not_rendered(&HelmFailure::Off(off));
        return run;
    }
    let program = match Helm::find(settings.program.as_ref()) {
        Ok(program) => program,
        Err(why) => {
            run.outcomes = not_rendered(&HelmFailure::NotFound(why.to_string()));
            return run;
        }
    };
    let folders = Scratch::new(render.temp_parent.as_deref()).and_then(|scratch| {
        TempFolder::new("lbplan-helm-", render.temp_parent.as_deref()).map(|ws| (scratch, ws))
    });
    let (scratch, workspace) = match folders {
        Ok(folders) => folders,
        Err(e) => {
            run.outcomes = not_rendered(&HelmFailure::Chart(format!(
                "lbplan's temporary folder could not be made: {e}"
            )));
            return run;
        }
    };
    let how = How {
        timeout: render.timeout,
        scratch: &scratch,
        budget: Some(budget),
    };
    let store = &render.cache;
    let (identity, version) =
        super::cached::version(store, &program.path, || Helm::ask_version(&program, &how));
    let helm = Helm::with_version(program, version);
    let cache = HelmCache {
        store,
        renderer: identity.zip(helm.version.clone().ok()),
        timeout: how.timeout,
    };
    run.helm = Some(helm.program.path.display().to_string());
    run.version = Some(helm.version.clone());
    run.skips_schema = helm.skips_schema;
    let total = releases.len();
    let mut progress = Progress::new(total, render.progress && attended(), "Helm charts");
    let label = |i: usize| releases.get(i).map(|r| r.chart_name.clone());
    let job = |i: usize| {
        let release = releases.get(i)?;
        let folder = workspace.path().join(i.to_string());
        Some(guarded(|| {
            render_one(&helm, release, &folder, root, &how, budget, &cache)
        }))
    };
    let threads = render.threads.unwrap_or_else(crate::threads::count);
    let slots = crate::render::pool::run(total, threads, &mut progress, label, job);
    progress.finish();
    let _ = workspace.close();
    drop(scratch);
    store.finish();
    for (release, slot) in releases.iter().zip(slots) {
        let (result, notes) = slot.flatten().unwrap_or_else(|| {
            let internal = HelmFailure::Output("internal error: the render did not run".into());
            (Err(internal), Vec::new())
        });
        let balancers = result.is_err() && holds_load_balancer_annotations(&release.chart, budget);
        run.outcomes.push(Outcome {
            release: release.clone(),
            result,
            notes,
            balancers,
        });
    }
    run
}

type Rendered = (Result<RenderedRelease, HelmFailure>, Vec<String>);

/// A render that panicked fails alone instead of taking the run down.
fn guarded(work: impl FnOnce() -> Rendered) -> Rendered {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        let internal = HelmFailure::Output("internal error while rendering".into());
        (Err(internal), Vec::new())
    })
}

/// Copy one release into `folder` and render it, unless the cache holds its render (then the
/// copy is never written).
fn render_one(
    helm: &Helm,
    release: &Release,
    folder: &Path,
    root: &RootDir,
    how: &How,
    budget: &Budget,
    cache: &HelmCache,
) -> Rendered {
    let mut copied = match copy_release(release, folder, root, budget) {
        Ok(copied) => copied,
        Err(why) => return (Err(HelmFailure::Chart(why)), Vec::new()),
    };
    let key = cache.key(helm, release, &copied);
    let held = key.as_ref().and_then(|key| cache.get(key));
    let entry = match held {
        Some(entry) => entry,
        None => match copied
            .write()
            .map_err(HelmFailure::Chart)
            .and_then(|()| template(helm, release, &copied, how))
        {
            Ok(entry) => {
                if let Some(key) = &key {
                    cache.put(key, &entry);
                }
                entry
            }
            Err(failure) => return (Err(failure), copied.notes),
        },
    };
    let mut rendered = RenderedRelease::new(
        release.clone(),
        entry.text,
        process::command_line(release),
        copied.tree,
        copied.files.into_keys().collect(),
    );
    rendered.warnings = entry.warnings;
    (Ok(rendered), copied.notes)
}

/// `helm template` of a release's copy: its output, and its warnings with the copy's paths named
/// as the repository's.
fn template(
    helm: &Helm,
    release: &Release,
    copied: &Copied,
    how: &How,
) -> Result<Entry, HelmFailure> {
    let values: Vec<_> = copied.values.iter().map(|v| v.path.clone()).collect();
    let args = helm.args(&Invocation {
        release: &release.name,
        namespace: &release.namespace,
        chart: &copied.chart,
        values: &values,
        set: &release.set,
        kube_version: &release.kube_version,
    });
    let captured = match helm.template(&args, how) {
        Ok(captured) => captured,
        Err(e) => {
            return Err(HelmFailure::from_run(e, how.timeout, &copied.renames));
        }
    };
    let stderr = String::from_utf8_lossy(&captured.stderr).into_owned();
    if !captured.status.success() {
        let failure = HelmFailure::failed(captured.status.to_string(), &stderr, &copied.renames);
        return Err(failure);
    }
    let decoded = decode(captured.stdout);
    if let Some((_, problem)) = decoded.problem {
        let failure = HelmFailure::Output(format!("its output is not text: {problem}"));
        return Err(failure);
    }
    let warnings = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(WARNING_LINES)
        .map(|l| {
            let mut line = l.to_string();
            for (from, to) in &copied.renames {
                line = line.replace(from.as_str(), to);
            }
            crate::render::shorten(&line)
        })
        .collect();
    Ok(Entry {
        text: decoded.text,
        warnings,
    })
}
