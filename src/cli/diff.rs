//! `lbplan diff`: where each side comes from, reading and planning each exactly as `plan` does
//! (`run.rs`'s loading, in the side's root), the transition rules, and the report.

use std::path::PathBuf;

mod baseline;
mod config;
mod failed;
mod judge;
mod origins;
mod side;
mod write;

use config::{Found, Place};
use judge::{errors, judge};
use origins::{Origins, origins};
use side::{Reading, Side, load_side, prepare_side};
use write::write_report;

use super::inputs::walk_flags;
use super::output::{RunInputs, check_output};
use super::{Cli, DiffArgs, Error};
use crate::config::{Config, FactFlags};
use crate::diff::Report;
use crate::diff::policy;
use crate::diff::sides::{LiveFiles, Root, exact_exclude, live_files};
use crate::diff::unchecked::{SideFiles, unchecked};
use crate::exit::Exit;
use crate::load::ParseMemo;
use crate::model::placement::{self, CopyFolders};
use crate::plan::changes::PlanDiff;
use crate::rules::suppress::Policy;
use crate::rules::transition::Side as Which;
use crate::source::discover::display_name;
use crate::source::read::{Budget, absolute};

/// The fact flags with their files made absolute before any side's folder is entered.
fn absolute_facts(given: &FactFlags) -> FactFlags {
    let mut facts = given.clone();
    facts.pods = facts.pods.as_deref().map(absolute);
    facts.cluster_export = facts.cluster_export.iter().map(|p| absolute(p)).collect();
    facts
}

pub(super) fn diff(cli: &Cli, args: &DiffArgs) -> Result<Exit, Error> {
    // Usage errors before anything is read.
    let selection = Policy::new(&args.select, &args.ignore)?;
    let walk = walk_flags(&args.walk)?;
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(Error::DiffStdin);
    }
    let facts = absolute_facts(&args.facts);
    let output = args.output.as_deref().map(absolute);
    let summary = args.summary.as_deref().map(absolute);
    let reading = Reading {
        cli,
        args,
        facts: &facts,
        walk: &walk,
        program: args.walk.kustomize_program(),
        helm: args.walk.helm_program(),
        budget: &Budget::default(),
        cache: &args.walk.render_cache(),
        parsed: &ParseMemo::default(),
        other_copies: None,
    };
    // The head's renders start now, beside writing the base revision out and reading it.
    let mut early = side::Early::start(&reading);
    let origins = origins(args, reading.budget);
    // Before any side's folder is entered.
    early.settle();
    let mut origins = origins?;
    let baselines = args
        .baseline
        .as_deref()
        .map(|path| baseline::read(path, &origins))
        .transpose()?;
    let mut notes = std::mem::take(&mut origins.notes);
    let Sides {
        mut head,
        mut base,
        head_own,
    } = read_sides(&reading, &origins, &mut notes, !early.started())?;
    drop(early);
    // Whichever side (or revision, or render) crossed it: nothing is judged.
    if reading.budget.exceeded() {
        return Err(Error::RunBudget(crate::load::run_limit_message()));
    }
    let inputs = RunInputs {
        budget: reading.budget,
        loaded: vec![&head.loaded, &base.loaded],
        configs: configs(&head, &base, head_own.as_ref().map(|(_, found)| found)),
    };
    check_output(output.as_deref(), &inputs)?;
    check_output(summary.as_deref(), &inputs)?;
    if head.loaded.counts.files == 0
        && base.loaded.counts.files == 0
        && head.loaded.io_problems.is_empty()
        && head.loaded.charts.is_empty()
        && !head.loaded.kustomize
    {
        return Err(Error::NoManifestsOnEitherSide);
    }
    let mut relaxed = policy::relaxations(
        (&base.config, base.loaded.config_file),
        head_own.as_ref().map(|(c, _)| c),
        &mut head.loaded.sources,
    );
    if let Some(baselines) = &baselines {
        relaxed.extend(baselines.relaxations(&mut head.loaded.sources));
    }
    let judged = judge(
        &mut head,
        &mut base,
        &selection,
        relaxed,
        &origins,
        baselines.as_ref(),
    )?;
    notes.extend(judged.notes);
    let report = Report {
        base: base.info.clone(),
        head: head.info.clone(),
        plans: PlanDiff::compare(base.view(), head.view()),
        kept: judged.kept,
        findings: judged.findings,
        sources: judged.sources,
        lint: judged.lint,
        notes,
        errors: errors(&head, &base, &origins),
        incomplete: [(Which::Head, &head), (Which::Base, &base)]
            .into_iter()
            .filter(|(_, s)| !s.loaded.problems.is_empty())
            .map(|(w, _)| w)
            .collect(),
        unchecked: side_unchecked(&head, &base, &origins, reading.budget),
        single_cluster: match (base.plan.clusters.as_slice(), head.plan.clusters.as_slice()) {
            ([b], [h]) if b.name == h.name => Some(h.name.clone()),
            _ => None,
        },
    };
    write_report(cli, args, &report, output.as_deref(), summary.as_deref())
}

/// What a change touches that neither side read or rendered.
fn side_unchecked(
    head: &Side,
    base: &Side,
    origins: &Origins,
    budget: &Budget,
) -> crate::diff::unchecked::Unchecked {
    unchecked(
        &SideFiles {
            root: &head.root,
            loaded: &head.loaded,
        },
        &SideFiles {
            root: &base.root,
            loaded: &base.loaded,
        },
        &origins.base_name,
        budget,
    )
}

/// The config files of both sides, absolute: the head's, in the working folder, is an input an
/// `--output` must not overwrite. Each side's is named from its own folder.
fn configs(head: &Side, base: &Side, head_own: Option<&Found>) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = [head, base]
        .into_iter()
        .filter_map(|side| side.config.source.as_deref().map(|p| side.root.absolute(p)))
        .collect();
    paths.extend(head_own.map(|found| head.root.absolute(&found.path)));
    paths
}

/// Both sides, read and planned with the base's config; and the head's own config, with what
/// it changes.
struct Sides {
    head: Side,
    base: Side,
    /// The head's own config (when it has one), and its text as found.
    head_own: Option<(Config, Found)>,
}

/// `prefetch`: start the head's renders once its read is prepared (unless they started before).
fn read_sides(
    reading: &Reading,
    origins: &Origins,
    notes: &mut Vec<String>,
    prefetch: bool,
) -> Result<Sides, Error> {
    let place = Place::of(reading.cli.config.as_deref(), origins);
    let in_side = |root: &Root| -> Result<Option<Found>, Error> {
        let _entered = root.enter().map_err(Error::WorkingFolder)?;
        config::find(reading.cli, &place, root)
    };
    let base_found = in_side(&origins.base)?;
    let head_found = in_side(&origins.head)?;
    // The head's own config is checked as `lint` would check it, but judges nothing here.
    let head_own = match head_found {
        Some(found) => {
            let _entered = origins.head.enter().map_err(Error::WorkingFolder)?;
            Some((config::policy(Some(&found), &origins.head)?, found))
        }
        None => None,
    };
    notes.extend(policy_note(
        base_found.as_ref(),
        head_own.as_ref().map(|(_, f)| f),
    ));
    let same = |n: &str| n.to_string();
    // A base checked out inside the working folder is not part of the head.
    let mut head_walk = reading.walk.clone();
    if let Some(inside) = origins.base.within(&origins.head) {
        head_walk.exclude.extend(exact_exclude(&inside));
        notes.push(format!(
            "the base's folder {}/ is not read as part of the head",
            display_name(&inside)
        ));
    }
    let head_reading = Reading {
        walk: &head_walk,
        program: reading.program.clone(),
        helm: reading.helm.clone(),
        ..*reading
    };
    // The head is prepared first (its live files are the base's too) and its overlays start
    // rendering; the base is read meanwhile, then the head, taking its renders as they finish:
    // a changed overlay's render costs its time once, beside the base's read.
    let head_prepared = prepare_side(
        &head_reading,
        origins.head.clone(),
        base_found.as_ref(),
        None,
        prefetch,
    )?;
    let live = live_files(&head_prepared.setups, &origins.head);
    if live.any() {
        let cwd = std::env::current_dir().unwrap_or_default();
        let files = live.describe(|p| display_name(p.strip_prefix(&cwd).unwrap_or(p)));
        notes.push(format!(
            "pod snapshots and exports describe the live cluster, not a revision: both sides use the head's ({})",
            files.join(", ")
        ));
    }
    let mut base = load_side(
        reading,
        origins.base.clone(),
        base_found.as_ref(),
        origins.base_info.clone(),
        Some(&live),
        &origins.base_name,
        None,
    )?;
    let mut head = side::finish_head(
        &head_reading,
        head_prepared,
        origins.head_info.clone(),
        &base,
    )?;
    for leave in failed::to_leave_out(&head, &base) {
        let mut again = failed::Again {
            found: base_found.as_ref(),
            live: None,
            name: &same,
        };
        let note = if leave.base {
            again.live = Some(&live);
            again.name = &origins.base_name;
            let (side, note) = failed::read_again(reading, &base, &leave, &again)?;
            base = side;
            note
        } else {
            let (side, note) = failed::read_again(&head_reading, &head, &leave, &again)?;
            head = side;
            note
        };
        notes.push(note);
    }
    let (base, head) = placed_across(
        (reading, &head_reading),
        (base, head),
        base_found.as_ref(),
        &live,
        &origins.base_name,
    )?;
    // What one side parsed and the other did not take is not needed any more.
    reading.parsed.clear();
    Ok(Sides {
        head,
        base,
        head_own,
    })
}

/// The sides, their copies placed among both sides' copies: a copy is placed where its folder
/// differs from the other copies', and a side whose placements the other side's folders move is
/// read again with them (`model/placement/across.rs`).
fn placed_across(
    (reading, head_reading): (&Reading, &Reading),
    (mut base, mut head): (Side, Side),
    found: Option<&Found>,
    live: &LiveFiles,
    base_name: &dyn Fn(&str) -> String,
) -> Result<(Side, Side), Error> {
    if placement::moves(&base.loaded.copy_folders, &head.loaded.copy_folders) {
        let theirs = head.loaded.copy_folders.clone();
        base = read_placed(reading, &base, (found, Some(live)), &theirs, base_name)?;
    }
    if placement::moves(&head.loaded.copy_folders, &base.loaded.copy_folders) {
        let theirs = base.loaded.copy_folders.clone();
        let same = |n: &str| n.to_string();
        head = read_placed(head_reading, &head, (found, None), &theirs, &same)?;
    }
    Ok((base, head))
}

/// `side` read again as it was, its copies placed among `theirs` too.
fn read_placed(
    reading: &Reading,
    side: &Side,
    (found, live): (Option<&Found>, Option<&LiveFiles>),
    theirs: &CopyFolders,
    name: &dyn Fn(&str) -> String,
) -> Result<Side, Error> {
    load_side(
        &Reading {
            walk: &side.walk,
            program: reading.program.clone(),
            helm: reading.helm.clone(),
            other_copies: Some(theirs),
            ..*reading
        },
        side.root.clone(),
        found,
        side.info.clone(),
        live,
        name,
        None,
    )
}

/// What the report says about the configs: both sides are read with the base's.
fn policy_note(base: Option<&Found>, head: Option<&Found>) -> Option<String> {
    let name = |f: &Found| display_name(&f.path);
    match (base, head) {
        (None, Some(head)) => Some(format!(
            "the base has no config: both sides are read without one; the head's {} applies once merged (LB516 reports what it relaxes)",
            name(head)
        )),
        (Some(base), Some(head)) if base.text != head.text => Some(format!(
            "the head changes {}: both sides are read with the base's config, which judges this change; the head's applies once merged (LB516 reports what it relaxes)",
            name(head)
        )),
        (Some(base), None) => Some(format!(
            "the head has no config: both sides are read with the base's {}",
            name(base)
        )),
        _ => None,
    }
}
