//! What each command does.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser};

use super::{
    Cli, ColorChoice, Command, Error, LintArgs, PlanArgs, PlanFormat, RulesArgs, RulesFormat,
    WalkArgs, WeightsArgs, WeightsCluster, WeightsFormat,
};
use crate::config::{ClusterSetup, Config, FactFlags};
use crate::exit::Exit;
use crate::inputs::WalkFlags;
use crate::load::{Loaded, load};
use crate::overlays::Rendering;
use crate::plan::calculator::calculate;
use crate::plan::members::{Unlisted, list_members, list_plan_members};
use crate::plan::render::{TableOptions, calculation_table, plan_table, to_json, to_yaml};
use crate::plan::{self, Plan};
use crate::report::Report;
use crate::rules::RULES;
use crate::rules::suppress::Policy;
use crate::source::discover::display_name;

/// Write one line to standard error. Standard error that cannot be written to (`/dev/full`, a
/// closed pipe) is ignored: the exit code and standard output already say how the run went, and
/// `eprintln!` would panic.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        // Messages carry paths and values from the input: no control character reaches the
        // terminal raw (the colour codes of `error:` are added outside).
        let line = format!($($arg)*);
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}",
            crate::source::escape_controls(&line)
        );
    }};
}

/// Run the command line; the exit code follows the spec.
pub fn main() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                Exit::Error
            } else {
                Exit::Clean
            };
        }
    };
    match run(&cli) {
        Ok(exit) => exit,
        Err(error) => {
            error_line(cli.color, &error.to_string());
            Exit::from(&error)
        }
    }
}

/// `error: MESSAGE` on standard error, `error:` in colour where colour is on.
pub(super) fn error_line(color: ColorChoice, message: &str) {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "{} {}",
        paint_error(color),
        crate::source::escape_controls(message)
    );
}

fn paint_error(color: ColorChoice) -> String {
    use owo_colors::OwoColorize;
    if use_color(color, std::io::stderr().is_terminal()) {
        "error:".red().bold().to_string()
    } else {
        "error:".to_string()
    }
}

/// Colour when asked, or on a terminal unless `NO_COLOR` is set or the terminal is dumb.
pub(super) fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn run(cli: &Cli) -> Result<Exit, Error> {
    match &cli.command {
        Command::Lint(args) => lint(cli, args),
        Command::Plan(args) => plan_command(cli, args),
        Command::Weights(args) => weights(cli, args),
        Command::Diff(args) => super::diff::diff(cli, args),
        Command::Rules(args) => rules(args),
        Command::Explain(args) => explain(&args.rule),
        Command::Completions(args) => {
            let mut command = Cli::command();
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut command, "lbplan", &mut out);
            write_stdout(&String::from_utf8_lossy(&out))?;
            Ok(Exit::Clean)
        }
    }
}

/// What a manifest-reading command reads: the PATHs and how to find and place them.
struct Inputs<'a> {
    paths: &'a [PathBuf],
    facts: &'a FactFlags,
    walk: &'a WalkArgs,
    stdin_name: &'a str,
    /// `--cluster NAME`: the cluster standard input and the PATHs belong to.
    cluster: Option<&'a str>,
}

/// Config, clusters and inputs: the part every manifest-reading command shares.
fn load_inputs(cli: &Cli, inputs: &Inputs) -> Result<(Config, Loaded), Error> {
    let flags = walk_flags(inputs.walk)?;
    let config = open_config(cli, cli.config.as_deref())?;
    let setups = config.cluster_facts(inputs.facts)?;
    let placed = match inputs.cluster {
        None => None,
        Some(name) => Some(
            setups
                .iter()
                .position(|s| s.facts.name == name)
                .ok_or_else(|| Error::UnknownCluster {
                    name: name.to_string(),
                    known: setups
                        .iter()
                        .map(|s| s.facts.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?,
        ),
    };
    let rendering = Rendering::new(&config, inputs.walk.no_render);
    let loaded = read_inputs(
        cli,
        &config,
        &setups,
        &ReadInputs {
            paths: inputs.paths,
            stdin_name: inputs.stdin_name,
            walk: &flags,
            rendering: &rendering,
            placed,
        },
    )?;
    Ok((config, loaded))
}

/// `--exclude` and `--no-ignore`, checked.
pub(super) fn walk_flags(walk: &WalkArgs) -> Result<WalkFlags, Error> {
    let flags = WalkFlags {
        exclude: walk.exclude.clone(),
        no_ignore: walk.no_ignore,
    };
    flags.check().map_err(Error::Exclude)?;
    Ok(flags)
}

/// The config of a run: `explicit` (`--config`), else `.lbplan.yaml` found from the working
/// folder up; `--verbose` says which.
pub(super) fn open_config(cli: &Cli, explicit: Option<&Path>) -> Result<Config, Error> {
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
pub(super) struct ReadInputs<'a> {
    pub paths: &'a [PathBuf],
    pub stdin_name: &'a str,
    pub walk: &'a WalkFlags,
    pub rendering: &'a Rendering,
    pub placed: Option<usize>,
}

/// Read the inputs of the clusters `setups`; `--verbose` prints what the renderer warned about.
pub(super) fn read_inputs(
    cli: &Cli,
    config: &Config,
    setups: &[ClusterSetup],
    how: &ReadInputs,
) -> Result<Loaded, Error> {
    let loaded = load(
        config,
        setups,
        how.paths,
        how.stdin_name,
        how.walk,
        how.rendering,
        how.placed,
    )?;
    if cli.verbose {
        for rendered in loaded.streams.rendered() {
            for warning in &rendered.warnings {
                stderr_line!("{}: {warning}", rendered.command);
            }
        }
    }
    Ok(loaded)
}

/// Print I/O problems to standard error; true when there were any.
fn report_io_problems(cli: &Cli, loaded: &Loaded) -> bool {
    for p in &loaded.io_problems {
        error_line(cli.color, &format!("{}: {}", p.path, p.message));
    }
    // A folder of Helm charts (or of Kustomize overlays not rendered) alone is not an error: the
    // notes say how to lint them.
    if loaded.counts.files == 0
        && loaded.io_problems.is_empty()
        && loaded.render_errors.is_empty()
        && loaded.charts.is_empty()
        && !loaded.kustomize
    {
        error_line(
            cli.color,
            "no manifests found (looked for *.yaml, *.yml and *.json)",
        );
        return true;
    }
    !loaded.io_problems.is_empty() || !loaded.render_errors.is_empty()
}

/// Overlays that did not render, on standard error after the report: each names the overlay and
/// what the renderer said.
pub(super) fn report_render_errors(cli: &Cli, loaded: &Loaded) {
    for e in &loaded.render_errors {
        error_line(cli.color, &e.to_string());
    }
}

fn lint(cli: &Cli, args: &LintArgs) -> Result<Exit, Error> {
    // Unknown rules in --select/--ignore are usage errors: say so before reading anything.
    let policy = Policy::new(&args.select, &args.ignore)?;
    let (config, mut loaded) = load_inputs(
        cli,
        &Inputs {
            paths: &args.paths,
            facts: &args.facts,
            walk: &args.walk,
            stdin_name: &args.stdin_name,
            cluster: args.cluster.as_deref(),
        },
    )?;

    check_output(args.output.as_deref(), &config, &loaded)?;
    let io_failed = report_io_problems(cli, &loaded);
    let outcome = crate::lint::lint(&mut loaded, &config, policy);
    let errors = loaded.errors();

    let report = Report {
        findings: &outcome.findings,
        sources: &loaded.sources,
        summary: outcome.summary,
        notes: &outcome.notes,
        io_problems: &errors,
        duplicates: &loaded.duplicates,
        config: config.source.as_deref().map(display_name),
        nothing_read: io_failed && loaded.counts.files == 0,
        // A name is a file path when it names a regular file (from the working folder): then
        // GitHub and SARIF may point at it; `<stdin>` or `overlays/prod` they must not.
        stdin_not_a_file: loaded
            .stdin
            .filter(|_| !Path::new(&args.stdin_name).is_file()),
    };
    let terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = args.output.is_none() && use_color(cli.color, terminal);
    let renderer = args
        .format
        .renderer(color, terminal_width(terminal), args.fail_on);
    write_output(args.output.as_deref(), &renderer.render(&report))?;
    report_render_errors(cli, &loaded);
    let failing = outcome
        .findings
        .iter()
        .any(|f| args.fail_on.fails(f.severity));
    Ok(if io_failed {
        Exit::Error
    } else if failing {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

pub(super) fn terminal_width(terminal: bool) -> usize {
    const DEFAULT: usize = 100;
    if !terminal {
        return DEFAULT;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(DEFAULT)
}

/// A plan from manifests; invalid documents are summarised on standard error and make the exit
/// code 1, since the plan is then incomplete.
fn manifest_plan(cli: &Cli, inputs: &Inputs, output: Option<&Path>) -> Result<(Plan, Exit), Error> {
    let (config, mut loaded) = load_inputs(cli, inputs)?;
    check_output(output, &config, &loaded)?;
    let io_failed = report_io_problems(cli, &loaded);
    let (mut plan, index) = plan::build(
        &loaded.inventory,
        &config.file.load_balancers,
        &loaded.assumptions,
    );
    let (streams, sources) = (&mut loaded.streams, &mut loaded.sources);
    plan::locate_rules(&mut plan, &index, |origin| {
        let origin = streams.relocate(origin, sources).origin;
        (
            sources.name(origin.file).to_string(),
            sources.line_col(origin).line,
        )
    });
    for note in &loaded.notes {
        stderr_line!("note: {note}");
    }
    for line in loaded.unplanned_documents() {
        stderr_line!("warning: {line}");
    }
    report_render_errors(cli, &loaded);
    let exit = if io_failed {
        Exit::Error
    } else if !loaded.problems.is_empty() {
        Exit::Findings
    } else {
        Exit::Clean
    };
    Ok((plan, exit))
}

fn plan_command(cli: &Cli, args: &PlanArgs) -> Result<Exit, Error> {
    let (plan, exit) = manifest_plan(
        cli,
        &Inputs {
            paths: &args.paths,
            facts: &args.facts,
            walk: &args.walk,
            stdin_name: &args.stdin_name,
            cluster: args.cluster.as_deref(),
        },
        args.output.as_deref(),
    )?;
    let (plan, options) = with_members(plan, args.members);
    let text = match args.format {
        PlanFormat::Table => plan_table(
            &plan,
            TableOptions {
                facts: true,
                ..options
            },
        ),
        PlanFormat::Json => to_json(&plan),
        PlanFormat::Yaml => to_yaml(&plan),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(exit)
}

fn weights(cli: &Cli, args: &WeightsArgs) -> Result<Exit, Error> {
    let mut groups = Vec::new();
    let mut names = Vec::new();
    for cluster in &args.clusters {
        match cluster {
            WeightsCluster::Group(group) => groups.push(group.clone()),
            WeightsCluster::Name(name) => names.push(name.as_str()),
        }
    }
    match (groups.is_empty(), names.len()) {
        (false, 1..) => return Err(Error::ClusterForms("both")),
        (_, 2..) => return Err(Error::ClusterForms("several names")),
        _ => {}
    }
    if groups.is_empty() {
        let (plan, exit) = manifest_plan(
            cli,
            &Inputs {
                paths: &args.paths,
                facts: &args.facts,
                walk: &args.walk,
                stdin_name: &args.stdin_name,
                cluster: names.first().copied(),
            },
            None,
        )?;
        let (mut plan, options) = with_members(plan, args.members);
        // Only listeners where a weight applies: cross-cluster groups or external members.
        for lb in &mut plan.load_balancers {
            lb.listeners
                .retain(|l| l.groups.iter().any(|g| g.weight.is_some()));
        }
        plan.load_balancers.retain(|lb| !lb.listeners.is_empty());
        let text = match args.format {
            WeightsFormat::Table if plan.load_balancers.is_empty() => {
                "No weighted listeners: no cross-cluster weight (kubernetes.io/elb.multicluster-loadbalancer-weight) or external members found.\n".to_string()
            }
            WeightsFormat::Table => plan_table(&plan, options),
            WeightsFormat::Json => to_json(&plan),
        };
        write_stdout(&text)?;
        return Ok(exit);
    }
    if !args.paths.is_empty() {
        return Err(Error::ClustersAndPaths);
    }
    let mut calc = calculate(&groups)?;
    if args.members {
        note_unlisted(list_members(&mut calc.groups));
    }
    let text = match args.format {
        WeightsFormat::Table => calculation_table(&calc, args.members),
        WeightsFormat::Json => to_json(&calc),
    };
    write_stdout(&text)?;
    Ok(Exit::Clean)
}

/// The plan with every member listed when `--members` asks (a note says what stayed counted),
/// and the table options that go with it.
fn with_members(mut plan: Plan, members: bool) -> (Plan, TableOptions) {
    if members {
        note_unlisted(list_plan_members(&mut plan));
    }
    let options = TableOptions {
        facts: false,
        members,
    };
    (plan, options)
}

fn note_unlisted(unlisted: Unlisted) {
    if let Some(note) = unlisted.note() {
        stderr_line!("note: {note}");
    }
}

fn rules(args: &RulesArgs) -> Result<Exit, Error> {
    let text = match args.format {
        RulesFormat::Table => crate::rules::catalog::table(),
        RulesFormat::Json => crate::rules::catalog::json(),
        RulesFormat::Markdown => crate::rules::catalog::markdown(),
    };
    write_stdout(&text)?;
    Ok(Exit::Clean)
}

fn explain(wanted: &str) -> Result<Exit, Error> {
    if let Some(rule) = crate::rules::find(wanted) {
        write_stdout(&crate::rules::catalog::explain(rule.meta()))?;
        return Ok(Exit::Clean);
    }
    let close: Vec<&str> = RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.name.contains(wanted) || wanted.contains(m.name))
        .map(|m| m.code)
        .collect();
    let hint = if close.is_empty() {
        "`lbplan rules` lists them".to_string()
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    Err(Error::NoSuchRule {
        rule: wanted.to_string(),
        hint,
    })
}

pub(super) fn write_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`lbplan rules | head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Stdout(e)),
    }
}

/// An `--output` that is one of the run's inputs (a manifest, the config, a pod snapshot, a file
/// a Kustomize render read) is refused: the report would overwrite it.
pub(super) fn check_output(
    path: Option<&Path>,
    config: &Config,
    loaded: &Loaded,
) -> Result<(), Error> {
    let Some(path) = path else { return Ok(()) };
    // A file that does not exist yet is no input.
    let Ok(real) = std::fs::canonicalize(path) else {
        return Ok(());
    };
    // Inputs are named as given (less a leading `./`), so their names are paths from here; only
    // those with the output's file name are resolved.
    let name = real.file_name();
    let clash = loaded
        .sources
        .names()
        .map(Path::new)
        .chain(config.source.as_deref())
        .filter(|input| input.file_name() == name)
        .any(|input| std::fs::canonicalize(input).is_ok_and(|r| r == real))
        || real.ancestors().any(|a| loaded.render_inputs.contains(a));
    if clash {
        return Err(Error::OutputIsAnInput(display_name(path)));
    }
    Ok(())
}

/// Append `text` to the file at `path` (created if missing): `$GITHUB_STEP_SUMMARY` is written
/// so, one step after the other.
pub(super) fn append_output(path: &Path, text: &str) -> Result<(), Error> {
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|source| Error::Output {
            path: path.display().to_string(),
            source,
        })
}

pub(super) fn write_output(path: Option<&Path>, text: &str) -> Result<(), Error> {
    match path {
        None => write_stdout(text),
        Some(path) => std::fs::write(path, text).map_err(|source| Error::Output {
            path: path.display().to_string(),
            source,
        }),
    }
}
