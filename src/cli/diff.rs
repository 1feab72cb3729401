//! `lbplan diff`: where each side comes from, reading and planning each exactly as `plan` does
//! (`run.rs`'s loading, in the side's root), the transition rules, and the report.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

mod judge;
mod origins;

use judge::{errors, judge};
use origins::{Origins, origins};

use super::run::{
    ReadInputs, append_output, check_output, open_config, read_inputs, renderer_errors,
    terminal_width, use_color, walk_flags, write_output,
};
use super::{Cli, DiffArgs, DiffFormat, Error};
use crate::config::{ClusterSetup, Config, FactFlags};
use crate::diff::sides::{LiveFiles, Root, exact_exclude, head_rendering, live_files};
use crate::diff::{Gate, Report, SideInfo};
use crate::exit::Exit;
use crate::inputs::WalkFlags;
use crate::lint::config_levels;
use crate::load::Loaded;
use crate::overlays::Rendering;
use crate::plan::changes::{PlanDiff, PlanView};
use crate::plan::{self, Plan, PlanIndex};
use crate::rules::Context;
use crate::rules::suppress::Policy;
use crate::rules::transition::Side as Which;
use crate::source::discover::display_name;

/// One side, read and planned.
struct Side {
    root: Root,
    config: Config,
    setups: Vec<ClusterSetup>,
    rendering: Rendering,
    loaded: Loaded,
    plan: Plan,
    index: PlanIndex,
    info: SideInfo,
}

impl Side {
    fn view(&self) -> PlanView<'_> {
        PlanView {
            plan: &self.plan,
            index: &self.index,
            inv: &self.loaded.inventory,
        }
    }

    fn context(&self) -> Context<'_> {
        Context {
            inv: &self.loaded.inventory,
            plan: &self.plan,
            index: &self.index,
            config: &self.config,
            problems: &self.loaded.problems,
        }
    }
}

/// What the base takes from the head: the live cluster's files and the renderer.
struct FromHead<'a> {
    live: &'a LiveFiles,
    rendering: Rendering,
    /// The head's config levels of the transition rules, which grade the base's findings too.
    levels: Vec<crate::rules::suppress::ConfigLevel>,
}

/// Read and plan one side in its root, as `plan` does.
#[allow(clippy::too_many_arguments)]
fn load_side(
    cli: &Cli,
    args: &DiffArgs,
    root: Root,
    facts: &FactFlags,
    walk: &WalkFlags,
    info: SideInfo,
    from_head: Option<&FromHead>,
    name: &dyn Fn(&str) -> String,
    notes: &mut Vec<String>,
) -> Result<(Side, Policy), Error> {
    let _entered = root.enter().map_err(Error::WorkingFolder)?;
    let explicit = cli.config.as_deref();
    let config = match (explicit, from_head) {
        // The same relative place in the base: a config the change adds is not there yet.
        (Some(path), Some(_)) if path.is_relative() && !path.is_file() => {
            notes.push(format!(
                "--config {}: not in the base, which is read without a config",
                display_name(path)
            ));
            Config::default()
        }
        _ => open_config(cli, explicit)?,
    };
    let mut setups = config.cluster_facts(facts)?;
    let mut walk = walk.clone();
    let rendering = match from_head {
        None => Rendering::new(&config, args.walk.no_render),
        Some(head) => {
            for own in head.live.apply(&mut setups) {
                walk.exclude.extend(exact_exclude(&own));
            }
            head.rendering.clone()
        }
    };
    let loaded = read_inputs(
        cli,
        &config,
        &setups,
        &ReadInputs {
            paths: &args.paths,
            stdin_name: "<stdin>",
            walk: &walk,
            rendering: &rendering,
            placed: None,
        },
    )?;
    let policy = Policy::new(&args.select, &args.ignore)?;
    let mut levels = config_levels(&loaded, &config);
    if let Some(head) = from_head {
        levels.extend(head.levels.iter().cloned());
    }
    let policy = policy.with_levels(levels);
    let (mut plan, index) = plan::build(
        &loaded.inventory,
        &config.file.load_balancers,
        &loaded.assumptions,
    );
    let mut loaded = loaded;
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
    let side = Side {
        root,
        config,
        setups,
        rendering,
        loaded,
        plan,
        index,
        info,
    };
    Ok((side, policy))
}

/// A path of the command line, made absolute before any side's root becomes the working folder.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

pub(super) fn diff(cli: &Cli, args: &DiffArgs) -> Result<Exit, Error> {
    // Usage errors before anything is read.
    Policy::new(&args.select, &args.ignore)?;
    let walk = walk_flags(&args.walk)?;
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(Error::DiffStdin);
    }
    let mut facts = args.facts.clone();
    facts.pods = facts.pods.as_deref().map(absolute);
    facts.cluster_export = facts.cluster_export.iter().map(|p| absolute(p)).collect();
    let output = args.output.as_deref().map(absolute);
    let summary = args.summary.as_deref().map(absolute);

    let mut origins = origins(args)?;
    let mut notes = std::mem::take(&mut origins.notes);
    let sides = read_sides(cli, args, &origins, &facts, &walk, &mut notes)?;
    let Sides {
        mut head,
        head_policy,
        mut base,
        base_policy,
    } = sides;
    check_output(output.as_deref(), &head.config, &head.loaded)?;
    check_output(summary.as_deref(), &head.config, &head.loaded)?;
    if head.loaded.counts.files == 0
        && base.loaded.counts.files == 0
        && head.loaded.io_problems.is_empty()
        && head.loaded.charts.is_empty()
        && !head.loaded.kustomize
    {
        return Err(Error::NoManifestsOnEitherSide);
    }
    let judged = judge(&mut head, &head_policy, &mut base, &base_policy, &origins)?;
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
    };
    write_report(cli, args, &report, output.as_deref(), summary.as_deref())
}

/// Both sides, read and planned: the head first, whose live files and renderer the base uses.
struct Sides {
    head: Side,
    head_policy: Policy,
    base: Side,
    base_policy: Policy,
}

fn read_sides(
    cli: &Cli,
    args: &DiffArgs,
    origins: &Origins,
    facts: &FactFlags,
    walk: &WalkFlags,
    notes: &mut Vec<String>,
) -> Result<Sides, Error> {
    let same = |n: &str| n.to_string();
    // A base checked out inside the working folder is not part of the head.
    let mut head_walk = walk.clone();
    if let Some(inside) = origins.base.within(&origins.head) {
        head_walk.exclude.extend(exact_exclude(&inside));
        notes.push(format!(
            "the base's folder {}/ is not read as part of the head",
            display_name(&inside)
        ));
    }
    let (head, head_policy) = load_side(
        cli,
        args,
        origins.head.clone(),
        facts,
        &head_walk,
        origins.head_info.clone(),
        None,
        &same,
        notes,
    )?;
    let live = live_files(&head.setups, &head.root);
    if live.any() {
        let cwd = std::env::current_dir().unwrap_or_default();
        let files = live.describe(|p| display_name(p.strip_prefix(&cwd).unwrap_or(p)));
        notes.push(format!(
            "pod snapshots and exports describe the live cluster, not a revision: both sides use the head's ({})",
            files.join(", ")
        ));
    }
    let from_head = FromHead {
        live: &live,
        rendering: head_rendering(&head.rendering, &head.root),
        levels: config_levels(&head.loaded, &head.config)
            .into_iter()
            .filter(|l| l.rule.is_some_and(|r| r.transition))
            .map(|mut l| {
                l.origin = None;
                l
            })
            .collect(),
    };
    let (base, base_policy) = load_side(
        cli,
        args,
        origins.base.clone(),
        facts,
        walk,
        origins.base_info.clone(),
        Some(&from_head),
        &origins.base_name,
        notes,
    )?;
    Ok(Sides {
        head,
        head_policy,
        base,
        base_policy,
    })
}

fn write_report(
    cli: &Cli,
    args: &DiffArgs,
    report: &Report,
    output: Option<&Path>,
    summary: Option<&Path>,
) -> Result<Exit, Error> {
    let gate = Gate {
        fail_at: args.fail_on.threshold(),
        exit_code: args.exit_code,
    };
    let fail_on = args
        .fail_on
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string());
    let markdown = || crate::diff::markdown(report, gate, &fail_on, args.max_bytes);
    let text = match args.format {
        DiffFormat::Human => {
            let terminal = output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout());
            let color = output.is_none() && use_color(cli.color, terminal);
            crate::diff::human(report, color, terminal_width(terminal))
        }
        DiffFormat::Markdown => markdown(),
        DiffFormat::Json => crate::diff::json(report),
        DiffFormat::Github => crate::diff::github(report),
    };
    write_output(output, &text)?;
    if let Some(path) = summary {
        append_output(path, &markdown())?;
    }
    let errors: Vec<String> = report
        .errors
        .iter()
        .map(|(which, p)| format!("{}: {}: {}", which.as_str(), p.path, p.message))
        .collect();
    renderer_errors(cli, &errors);
    Ok(report.exit(gate))
}
