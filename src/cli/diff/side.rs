//! One side of a diff, read and planned in its own folder as `plan` does: in two halves, so
//! that the head's overlays render (`render::Prefetch`) while the base is read.

use std::path::PathBuf;

use super::config::{self, Found};
use crate::cli::inputs::{ReadInputs, assign_inputs, read_assigned};
use crate::cli::{Cli, DiffArgs, Error};
use crate::config::{ClusterSetup, Config, FactFlags};
use crate::diff::SideInfo;
use crate::diff::sides::{LiveFiles, Root, exact_exclude};
use crate::exec::Named;
use crate::inputs::WalkFlags;
use crate::load::{Loaded, ParseMemo};
use crate::model::placement::CopyFolders;
use crate::overlays::Rendering;
use crate::plan::changes::PlanView;
use crate::plan::{self, Plan, PlanIndex};
use crate::relocate::Streams;
use crate::render::Prefetch;
use crate::rules::Context;
use crate::source::discover::display_name;
use crate::source::read::Budget;

/// One side, read and planned.
pub(super) struct Side {
    pub(super) root: Root,
    /// The walk it was read with, to read it again alike.
    pub(super) walk: WalkFlags,
    pub(super) config: Config,
    pub(super) loaded: Loaded,
    pub(super) plan: Plan,
    pub(super) index: PlanIndex,
    pub(super) info: SideInfo,
}

impl Side {
    pub(super) fn view(&self) -> PlanView<'_> {
        PlanView {
            plan: &self.plan,
            index: &self.index,
            inv: &self.loaded.inventory,
        }
    }

    pub(super) fn context(&self) -> Context<'_> {
        Context {
            inv: &self.loaded.inventory,
            plan: &self.plan,
            index: &self.index,
            config: &self.config,
            problems: &self.loaded.problems,
        }
    }
}

/// What each side is read with: the command line's, and the run's byte budget.
pub(super) struct Reading<'a> {
    pub(super) cli: &'a Cli,
    pub(super) args: &'a DiffArgs,
    pub(super) facts: &'a FactFlags,
    pub(super) walk: &'a WalkFlags,
    /// `--kustomize-bin` or `LBPLAN_KUSTOMIZE`, made absolute before any side's folder is
    /// entered.
    pub(super) program: Option<Named>,
    /// `--helm-bin` or `LBPLAN_HELM`, likewise.
    pub(super) helm: Option<Named>,
    pub(super) budget: &'a Budget,
    /// The render cache both sides share: an overlay whose inputs are the same on both is
    /// rendered once.
    pub(super) cache: &'a std::sync::Arc<crate::cache::Store>,
    /// The rendered streams one side parsed, which the other takes instead of parsing the same
    /// stream again.
    pub(super) parsed: &'a ParseMemo,
    /// The other side's folders of objects defined in several folders, when a side is read
    /// again to be placed among both sides' copies (`model/placement/across.rs`).
    pub(super) other_copies: Option<&'a CopyFolders>,
}

/// Read and plan one side in its folder, with `config` (the base's), as `plan` does. The base
/// is given the head's live files; `other_streams` are the other side's, read before: an
/// overlay rendered to the same text on both sides is parsed for locations once.
pub(super) fn load_side(
    reading: &Reading,
    root: Root,
    found: Option<&Found>,
    info: SideInfo,
    live: Option<&LiveFiles>,
    name: &dyn Fn(&str) -> String,
    other_streams: Option<&Streams>,
) -> Result<Side, Error> {
    let prepared = prepare_side(reading, root, found, live, false)?;
    finish_side(reading, prepared, info, name, other_streams)
}

/// A side as far as deciding what it reads: nothing read yet but its config and what finding
/// its clusters needs.
pub(super) struct Prepared {
    pub(super) root: Root,
    pub(super) config: Config,
    pub(super) setups: Vec<ClusterSetup>,
    pub(super) gitops_notes: Vec<String>,
    pub(super) walk: WalkFlags,
    pub(super) rendering: Rendering,
    pub(super) assignment: crate::load::Assignment,
    /// Its overlays rendering meanwhile, when asked for.
    pub(super) prefetch: Option<Prefetch>,
}

/// [`load_side`]'s first half, in the side's folder; `prefetch`: start its renders on a thread
/// of their own ([`Prefetch`]), for [`finish_side`] to take once the other side is read.
pub(super) fn prepare_side(
    reading: &Reading,
    root: Root,
    found: Option<&Found>,
    live: Option<&LiveFiles>,
    prefetch: bool,
) -> Result<Prepared, Error> {
    let _entered = root.enter().map_err(Error::WorkingFolder)?;
    let config = config::policy(found, &root)?;
    let (mut setups, gitops_notes) = crate::cli::inputs::cluster_setups(
        &config,
        reading.facts,
        reading.walk,
        &reading.args.paths,
        reading.budget,
    )?;
    let mut walk = reading.walk.clone();
    if let Some(live) = live {
        for own in live.apply(&mut setups) {
            walk.exclude.extend(exact_exclude(&own));
        }
    }
    let rendering = Rendering::new(&config, reading.args.walk.no_render)
        .with_flags(reading.program.clone(), reading.args.walk.no_remote)
        .with_helm(reading.helm.clone())
        .with_cache(reading.cache.clone());
    let assignment = assign_inputs(&config, &setups, &inputs(reading, &walk, &rendering))?;
    let prefetch = (prefetch && rendering.off.is_none())
        .then(|| Prefetch::start(&assignment.overlays(), &rendering.settings));
    Ok(Prepared {
        root,
        config,
        setups,
        gitops_notes,
        walk,
        rendering,
        assignment,
        prefetch,
    })
}

/// How a side reads its inputs.
fn inputs<'a>(
    reading: &'a Reading,
    walk: &'a WalkFlags,
    rendering: &'a Rendering,
) -> ReadInputs<'a> {
    ReadInputs {
        paths: &reading.args.paths,
        stdin_name: "<stdin>",
        walk,
        rendering,
        placed: None,
        budget: reading.budget,
        parsed: Some(reading.parsed),
        other_copies: reading.other_copies,
    }
}

/// [`load_side`]'s second half: the side read and planned, in its folder.
fn finish_side(
    reading: &Reading,
    prepared: Prepared,
    info: SideInfo,
    name: &dyn Fn(&str) -> String,
    other_streams: Option<&Streams>,
) -> Result<Side, Error> {
    let Prepared {
        root,
        config,
        setups,
        gitops_notes,
        walk,
        rendering,
        assignment,
        prefetch,
    } = prepared;
    let _entered = root.enter().map_err(Error::WorkingFolder)?;
    let loaded = read_assigned(
        reading.cli,
        &config,
        &setups,
        &inputs(reading, &walk, &rendering),
        assignment,
    );
    // Every render it started was taken (or waited for) by the read.
    drop(prefetch);
    let (mut plan, index) = plan::build(
        &loaded.inventory,
        &config.file.load_balancers,
        &loaded.assumptions,
    );
    let mut loaded = loaded;
    if let Some(other) = other_streams {
        // Before anything here resolves a location (the plan's rules, just below).
        loaded.streams.share_indexes(other);
    }
    loaded.notes.splice(0..0, gitops_notes);
    let (streams, sources) = (&mut loaded.streams, &mut loaded.sources);
    plan::locate_rules(&mut plan, &index, |origin| {
        let origin = streams.relocate(origin, sources).origin;
        (
            name(sources.name(origin.file)),
            sources.line_col(origin).line,
        )
    });
    let info = SideInfo {
        config: config.source.as_deref().map(|p| name(&display_name(p))),
        files: loaded.counts.files,
        documents: loaded.counts.documents,
        objects: loaded.counts.objects,
        not_checked: loaded.unread.len(),
        ..info
    };
    Ok(Side {
        root,
        walk: reading.walk.clone(),
        config,
        loaded,
        plan,
        index,
        info,
    })
}

/// The head's overlays, as a lint of the working folder finds them (the head's own config says
/// where they are), started rendering before anything of the base is written out or read: a
/// guess made ahead of the head's read, which uses the base's config. Where the guess matches
/// (the configs agree, as they mostly do), the head's read takes each render from the cache as
/// it finishes; where it does not, the head's read renders for itself. Nothing here is reported:
/// the head's read reports what it finds.
///
/// The guess is made on a thread of its own while the run asks git for the base and writes it
/// out; it reads the working folder, so the run waits for it ([`Early::settle`]) before it enters
/// any side's folder. Dropping it stops the renders not yet started and waits for the others.
pub(super) struct Early {
    thread: Option<std::thread::JoinHandle<Option<Prefetch>>>,
    /// Closed once the guess no longer reads the working folder.
    settled: Option<std::sync::mpsc::Receiver<()>>,
}

/// What the guess reads with, owned by its thread.
struct Guess {
    config: Option<PathBuf>,
    facts: FactFlags,
    walk: WalkFlags,
    paths: Vec<PathBuf>,
    no_render: bool,
    no_remote: bool,
    program: Option<Named>,
    cache: std::sync::Arc<crate::cache::Store>,
}

impl Early {
    /// Start the guess, unless the head is a revision (not on disk yet).
    pub(super) fn start(reading: &Reading) -> Early {
        let mut early = Early {
            thread: None,
            settled: None,
        };
        if reading.args.head_rev.is_some() {
            return early;
        }
        let guess = Guess {
            config: reading.cli.config.clone(),
            facts: reading.facts.clone(),
            walk: reading.walk.clone(),
            paths: reading.args.paths.clone(),
            no_render: reading.args.walk.no_render,
            no_remote: reading.args.walk.no_remote,
            program: reading.program.clone(),
            cache: reading.cache.clone(),
        };
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("lbplan-head-guess".into())
            .spawn(move || {
                let prefetch = guess.prefetch();
                drop(tx);
                prefetch
            });
        if let Ok(thread) = spawned {
            early.thread = Some(thread);
            early.settled = Some(rx);
        }
        early
    }

    /// Wait until the guess no longer reads the working folder.
    pub(super) fn settle(&mut self) {
        if let Some(settled) = self.settled.take() {
            // Closed (an error) when the guess is done: nothing is ever sent.
            let _ = settled.recv();
        }
    }

    /// Whether a guess was started.
    pub(super) fn started(&self) -> bool {
        self.thread.is_some()
    }
}

impl Drop for Early {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            // The prefetch it started (if any) is dropped here: stopped, and waited for.
            drop(thread.join());
        }
    }
}

impl Guess {
    fn prefetch(self) -> Option<Prefetch> {
        let cwd = std::env::current_dir().ok()?;
        let config = Config::load(self.config.as_deref(), &cwd).ok()?;
        // Its own budget, so that the run's counts only what the run reads.
        let budget = Budget::default();
        // The config's clusters, or the one default: not those GitOps objects would give, which
        // reading every file for them first would cost most of the head start.
        let setups = config.cluster_facts(&self.facts).ok()?;
        // How it renders is lbplan's default, never the head config's: a pull request may not
        // set how anything is rendered (a longer time limit, say, which the end of the run waits
        // for). A render the head's read, with the base's settings, would not ask for is never
        // taken: the settings are part of each render's key.
        let rendering = Rendering::new(&Config::default(), self.no_render)
            .with_flags(self.program, self.no_remote)
            .with_cache(self.cache);
        if rendering.off.is_some() {
            return None;
        }
        let how = ReadInputs {
            paths: &self.paths,
            stdin_name: "<stdin>",
            walk: &self.walk,
            rendering: &rendering,
            placed: None,
            budget: &budget,
            parsed: None,
            other_copies: None,
        };
        let assignment = assign_inputs(&config, &setups, &how).ok()?;
        // Its folders made absolute here, before the run may leave the working folder.
        Some(Prefetch::start(&assignment.overlays(), &rendering.settings))
    }
}

/// The head read ([`finish_side`]) after `base`, sharing the parsed documents of the streams
/// both sides rendered alike.
pub(super) fn finish_head(
    reading: &Reading,
    prepared: Prepared,
    info: SideInfo,
    base: &Side,
) -> Result<Side, Error> {
    let same = |n: &str| n.to_string();
    finish_side(reading, prepared, info, &same, Some(&base.loaded.streams))
}
