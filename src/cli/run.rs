//! What each command does: the entry point, `lint`, `rules`, `explain` and `completions`, and
//! where its report goes. What the commands share lies below them: `inputs.rs` (reading the
//! inputs), `output.rs` (`--output`, `--summary`), `console.rs` (standard error, colour, width);
//! `run/plans.rs` is `plan` and `weights`, `diff.rs` is `lbplan diff`.

use clap::{CommandFactory, Parser};

use super::args::LintFormat;
use super::{Cli, Command, Error, LintArgs, RulesArgs, RulesFormat};
use crate::exit::Exit;
use crate::report::Report;
use crate::report::findings::statistics;
use crate::report::root::Root;
use crate::rules::suppress::Policy;
use crate::source::discover::display_name;
use crate::text::Paint;

mod baseline;
mod plans;

use super::console::{error_line, table_width, terminal_output, write_stdout};
use super::inputs::{Inputs, load_inputs, report_io_problems, report_render_errors};
use super::output::{RunInputs, check_output, write_output};

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

fn run(cli: &Cli) -> Result<Exit, Error> {
    match &cli.command {
        Command::Lint(args) => lint(cli, args),
        Command::Plan(args) => plans::plan_command(cli, args),
        Command::Weights(args) => plans::weights(cli, args),
        Command::Diff(args) => super::diff::diff(cli, args),
        Command::Init(args) => super::init::init(cli, args),
        Command::Rules(args) => rules(cli, args),
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

fn lint(cli: &Cli, args: &LintArgs) -> Result<Exit, Error> {
    // Unknown rules in --select/--ignore are usage errors: say so before reading anything.
    let policy = Policy::new(&args.select, &args.ignore)?;
    if args.statistics
        && !matches!(
            args.format,
            LintFormat::Human | LintFormat::Concise | LintFormat::Json
        )
    {
        return Err(Error::StatisticsFormat);
    }
    let accepted = args.baseline.as_deref().map(baseline::read).transpose()?;
    let (config, mut loaded, budget) = load_inputs(
        cli,
        &Inputs {
            paths: &args.paths,
            facts: &args.facts,
            walk: &args.walk,
            stdin_name: &args.stdin_name,
            cluster: args.cluster.as_deref(),
        },
    )?;

    let inputs = RunInputs {
        budget: &budget,
        loaded: vec![&loaded],
        configs: config.source.iter().cloned().collect(),
    };
    check_output(args.output.as_deref(), &inputs)?;
    // A baseline being written again was read as a JSON file of the inputs: replacing it is the
    // point. Any other input is refused, as `--output` refuses it.
    let rewritten = |p: &&std::path::Path| !baseline::is_baseline(p);
    check_output(args.write_baseline.as_deref().filter(rewritten), &inputs)?;
    drop(inputs);
    let io_failed = report_io_problems(cli, &loaded);
    let mut outcome = crate::lint::lint(&mut loaded, &config, policy);
    let errors = loaded.errors();
    let cwd = std::env::current_dir().map_err(Error::WorkingFolder)?;
    let root = Root::find(&cwd, config.source.as_deref());
    if let Some(path) = &args.write_baseline {
        let text =
            crate::baseline::record(&outcome.findings, baseline::file_of(&root, &loaded.sources));
        write_output(Some(path), &text)?;
        report_render_errors(cli, &loaded);
        baseline::recorded(cli, &outcome.summary, path);
        return Ok(if io_failed { Exit::Error } else { Exit::Clean });
    }
    if let (Some(accepted), Some(path)) = (&accepted, &args.baseline) {
        baseline::apply(
            accepted,
            path,
            &mut outcome,
            &baseline::file_of(&root, &loaded.sources),
        );
    }

    let report = Report {
        findings: &outcome.findings,
        sources: &loaded.sources,
        summary: outcome.summary,
        notes: &outcome.notes,
        io_problems: &errors,
        duplicates: &loaded.duplicates,
        config: config.source.as_deref().map(display_name),
        clusters: &loaded.clusters,
        nothing_read: io_failed && loaded.counts.files == 0,
        // A name is a file path when it names a regular file (from the working folder): then
        // GitHub and SARIF may point at it; `<stdin>` or `overlays/prod` they must not.
        stdin_not_a_file: loaded
            .stdin
            .filter(|_| !std::path::Path::new(&args.stdin_name).is_file()),
        root: args.format.for_ci().then_some(&root),
        charts: &loaded.chart_records,
    };
    let terminal = terminal_output(cli, args.output.as_deref());
    let text = match (args.statistics, args.format) {
        (true, LintFormat::Json) => statistics::json(&report),
        (true, _) => statistics::text(&report, Paint { on: terminal.color }, cli.quiet),
        (false, format) => format.renderer(terminal, args.fail_on).render(&report),
    };
    write_output(args.output.as_deref(), &text)?;
    if let Some(path) = &args.output {
        // The report is in a file: the log of the run still says how it went.
        if !cli.quiet && !report.nothing_read {
            let s = report.summary;
            stderr_line!(
                "lbplan: {} in {}; report written to {}",
                s.counts(),
                s.inputs(),
                display_name(path)
            );
        }
    }
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

fn rules(cli: &Cli, args: &RulesArgs) -> Result<Exit, Error> {
    let text = match args.format {
        RulesFormat::Table => crate::rules::catalog::table(table_width(cli, None, args.wide)),
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
    let hint = crate::rules::suppress::did_you_mean(wanted)
        .unwrap_or_else(|| "`lbplan rules` lists them".to_string());
    Err(Error::NoSuchRule {
        rule: wanted.to_string(),
        hint,
    })
}
