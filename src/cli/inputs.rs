//! What the manifest-reading commands share: the config, the clusters and the inputs of a run,
//! read, and the problems met reading them, on standard error. `lbplan diff` reads each side
//! with the same functions.

use std::path::{Path, PathBuf};

use super::console::{error_line, renderer_errors, renderer_lines};
use crate::cli::{Cli, Error, WalkArgs};
use crate::config::{ClusterSetup, Config, FactFlags};
use crate::inputs::WalkFlags;
use crate::load::{Assignment, Loaded, assign, load};
use crate::model::placement::CopyFolders;
use crate::overlays::Rendering;
use crate::source::discover::display_name;
use crate::source::read::Budget;

/// What a manifest-reading command reads: the PATHs and how to find and place them.
pub(super) struct Inputs<'a> {
    pub(super) paths: &'a [PathBuf],
    pub(super) facts: &'a FactFlags,
    pub(super) walk: &'a WalkArgs,
    pub(super) stdin_name: &'a str,
    /// `--cluster NAME`: the cluster standard input and the PATHs belong to.
    pub(super) cluster: Option<&'a str>,
}

/// Config, clusters and inputs: the part every manifest-reading command shares; and the run's
/// budget, which knows every file read.
pub(super) fn load_inputs(cli: &Cli, inputs: &Inputs) -> Result<(Config, Loaded, Budget), Error> {
    let budget = Budget::default();
    let flags = walk_flags(inputs.walk)?;
    let config = open_config(cli, cli.config.as_deref())?;
    let (setups, gitops_notes) =
        cluster_setups(&config, inputs.facts, &flags, inputs.paths, &budget)?;
    let placed = match inputs.cluster {
        None => None,
        Some(name) => Some(
            setups
                .iter()
                .position(|s| s.facts.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = setups.iter().map(|s| s.facts.name.as_str()).collect();
                    let close = match crate::suggest::closest(name, &names).first() {
                        Some(close) => format!("did you mean {close}? "),
                        None => String::new(),
                    };
                    Error::UnknownCluster {
                        name: name.to_string(),
                        known: format!("{close}the clusters are: {}", names.join(", ")),
                    }
                })?,
        ),
    };
    let rendering = Rendering::new(&config, inputs.walk.no_render)
        .with_flags(inputs.walk.kustomize_program(), inputs.walk.no_remote)
        .with_helm(inputs.walk.helm_program())
        .with_cache(inputs.walk.render_cache());
    let mut loaded = read_inputs(
        cli,
        &config,
        &setups,
        &ReadInputs {
            paths: inputs.paths,
            stdin_name: inputs.stdin_name,
            walk: &flags,
            rendering: &rendering,
            placed,
            budget: &budget,
            parsed: None,
            other_copies: None,
        },
    )?;
    loaded.notes.splice(0..0, gitops_notes);
    Ok((config, loaded, budget))
}

/// The clusters of a run: the config's `clusters:`, else those the repository's GitOps objects
/// deploy to (with the cluster of the files they leave), else the one cluster `default`; the
/// command line's facts over them; and what reading the GitOps objects says. The objects are
/// those among the run's inputs (the PATHs, else the config's `paths:` or the working folder):
/// a run of standard input alone reads none.
pub(in crate::cli) fn cluster_setups(
    config: &Config,
    facts: &FactFlags,
    walk: &WalkFlags,
    paths: &[PathBuf],
    budget: &Budget,
) -> Result<(Vec<ClusterSetup>, Vec<String>), Error> {
    let roots: Vec<PathBuf> = if paths.is_empty() {
        if config.file.clusters.is_empty() || !config.file.paths.is_empty() {
            config.default_paths()
        } else {
            // Several clusters walk the config's folder.
            vec![if config.base.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                config.base.clone()
            }]
        }
    } else {
        paths
            .iter()
            .filter(|p| p.as_os_str() != "-" && !crate::source::read::is_stdin_alias(p))
            .cloned()
            .collect()
    };
    if roots.is_empty() {
        return Ok((config.cluster_facts(facts)?, Vec::new()));
    }
    let cwd = std::env::current_dir().map_err(Error::WorkingFolder)?;
    let options = crate::inputs::walk_options(config, &[], walk).map_err(Error::Exclude)?;
    let gitops = crate::gitops::read(config, &cwd, &roots, &options, budget);
    if config.file.clusters.is_empty() && !gitops.setups.is_empty() {
        return Ok((config.with_flags(gitops.setups, facts), gitops.notes));
    }
    let mut notes = gitops.notes;
    // A config whose clusters say what they deploy (`sources`, as lbplan init writes them) took
    // the GitOps objects in already.
    if !config.file.clusters.is_empty() && config.file.clusters.iter().all(|c| c.sources.is_empty())
    {
        let file = config
            .source
            .as_deref()
            .map_or_else(|| "the config".to_string(), display_name);
        notes.extend(crate::gitops::config_wins_note(&gitops.found, &file));
    }
    Ok((config.cluster_facts(facts)?, notes))
}

/// `--exclude` and `--no-ignore`, checked.
pub(in crate::cli) fn walk_flags(walk: &WalkArgs) -> Result<WalkFlags, Error> {
    let flags = WalkFlags {
        exclude: walk.exclude.clone(),
        no_ignore: walk.no_ignore,
    };
    flags.check().map_err(Error::Exclude)?;
    Ok(flags)
}

/// The config of a run: `explicit` (`--config`), else `.lbplan.yaml` found from the working
/// folder up; `--verbose` says which.
pub(in crate::cli) fn open_config(cli: &Cli, explicit: Option<&Path>) -> Result<Config, Error> {
    let cwd = std::env::current_dir().map_err(Error::WorkingFolder)?;
    let config = Config::load(explicit, &cwd)?;
    if cli.verbose {
        if let Some(path) = &config.source {
            stderr_line!("config: {}", display_name(path));
        } else {
            stderr_line!(
                "config: none (no .lbplan.yaml in the working folder or a parent, up to the repository root)"
            );
        }
    }
    Ok(config)
}

/// How the inputs of a run are found: the PATHs, standard input's name, the walk, the renderer
/// and the cluster `--cluster NAME` places standard input and the PATHs in.
pub(in crate::cli) struct ReadInputs<'a> {
    pub paths: &'a [PathBuf],
    pub stdin_name: &'a str,
    pub walk: &'a WalkFlags,
    pub rendering: &'a Rendering,
    pub placed: Option<usize>,
    /// The run's byte budget: one per run, both sides of a diff included.
    pub budget: &'a Budget,
    /// Rendered streams parsed by the other side of a diff, taken instead of parsed again.
    pub parsed: Option<&'a crate::load::ParseMemo>,
    /// In a diff, the other side's folders of objects defined in several folders
    /// (`model/placement/across.rs`); `None` elsewhere.
    pub other_copies: Option<&'a CopyFolders>,
}

/// Read the inputs of the clusters `setups`; `--verbose` prints what the renderer warned about.
pub(in crate::cli) fn read_inputs(
    cli: &Cli,
    config: &Config,
    setups: &[ClusterSetup],
    how: &ReadInputs,
) -> Result<Loaded, Error> {
    let assignment = assign_inputs(config, setups, how)?;
    Ok(read_assigned(cli, config, setups, how, assignment))
}

/// What the run reads (`load::assign`), nothing read yet.
pub(in crate::cli) fn assign_inputs(
    config: &Config,
    setups: &[ClusterSetup],
    how: &ReadInputs,
) -> Result<Assignment, Error> {
    Ok(assign(
        config,
        setups,
        how.paths,
        how.stdin_name,
        how.walk,
        how.placed,
        how.budget,
    )?)
}

/// [`read_inputs`], of what [`assign_inputs`] decided in the same working folder.
pub(in crate::cli) fn read_assigned(
    cli: &Cli,
    config: &Config,
    setups: &[ClusterSetup],
    how: &ReadInputs,
    assignment: Assignment,
) -> Loaded {
    let loaded = load(
        assignment,
        config,
        setups,
        how.paths,
        how.rendering,
        how.budget,
        how.other_copies.unwrap_or(&CopyFolders::default()),
        how.parsed,
    );
    if cli.verbose {
        for (name, source, evidence) in &loaded.clusters {
            stderr_line!("cluster {name}: {source}: {evidence}");
        }
        let mut warnings: Vec<String> = loaded
            .streams
            .rendered()
            .iter()
            .flat_map(|r| r.warnings.iter().map(|w| format!("{}: {w}", r.command)))
            .collect();
        warnings.extend(
            loaded
                .streams
                .releases()
                .iter()
                .flat_map(|r| r.warnings.iter().map(|w| format!("{}: {w}", r.command))),
        );
        warnings.extend(crate::helm::summary::verbose_lines(&loaded.chart_records));
        renderer_lines(cli, &warnings);
    }
    loaded
}

/// Print I/O problems to standard error; true when there were any.
pub(super) fn report_io_problems(cli: &Cli, loaded: &Loaded) -> bool {
    for p in &loaded.io_problems {
        error_line(cli.color, &format!("{}: {}", p.path, p.message));
    }
    // A folder of Helm charts (or of Kustomize overlays not rendered) alone is not an error: the
    // notes say how to lint them.
    if loaded.counts.files == 0
        && loaded.io_problems.is_empty()
        && loaded.render_errors.is_empty()
        && loaded.helm_errors.is_empty()
        && loaded.charts.is_empty()
        && !loaded.kustomize
    {
        error_line(
            cli.color,
            "no manifests found (looked for *.yaml, *.yml and *.json)",
        );
        return true;
    }
    !loaded.io_problems.is_empty()
        || !loaded.render_errors.is_empty()
        || !loaded.helm_errors.is_empty()
}

/// Overlays that did not render, after the report: each names the overlay and what the renderer
/// said (on standard error; with `--format github`, between stop-commands on standard output).
pub(in crate::cli) fn report_render_errors(cli: &Cli, loaded: &Loaded) {
    let messages: Vec<String> = loaded
        .render_errors
        .iter()
        .map(ToString::to_string)
        .chain(loaded.helm_errors.iter().map(ToString::to_string))
        .collect();
    renderer_errors(cli, &messages);
}
