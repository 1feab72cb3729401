//! What each command does: the entry point, `lint`, `rules`, `explain` and `completions`, and
//! where output goes (standard output, `--output`, `--summary`). `run/inputs.rs` reads the inputs
//! every manifest-reading command shares; `run/plans.rs` is `plan` and `weights`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::{CommandFactory, Parser};

use super::args::LintFormat;
use super::{Cli, ColorChoice, Command, DiffFormat, Error, LintArgs, RulesArgs, RulesFormat};
use crate::exit::Exit;
use crate::report::root::Root;
use crate::report::{Report, TerminalOutput, statistics};
use crate::rules::suppress::Policy;
use crate::source::discover::display_name;
use crate::text::Paint;
use crate::text::width::TableWidth;

/// Write one line to standard error. Standard error that cannot be written to (`/dev/full`, a
/// closed pipe) is ignored: the exit code and standard output already say how the run went, and
/// `eprintln!` would panic.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        crate::cli::run::stderr_text(&format!($($arg)*));
    }};
}

/// What [`stderr_line!`] writes: one line on standard error. Messages carry paths and values from
/// the input: bounded, no control character reaches the terminal raw and no line starts a
/// workflow command.
pub(super) fn stderr_text(line: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}",
        crate::text::terminal::lines(&crate::text::bound(line))
    );
}

mod baseline;
mod inputs;
mod output;
mod plans;

pub(super) use output::{RunInputs, append_output, check_output, write_output};

/// One line on standard error, control characters escaped (for modules outside this one).
pub(super) fn stderr(line: &str) {
    stderr_line!("{line}");
}

use inputs::{Inputs, load_inputs, report_io_problems};
pub(super) use inputs::{ReadInputs, read_inputs, report_render_errors, walk_flags};

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

/// `error: MESSAGE` on standard error, `error:` in colour where colour is on; the message (its
/// input, and a renderer's lines of standard error) bounded and escaped first.
pub(super) fn error_line(color: ColorChoice, message: &str) {
    use std::io::Write as _;
    let _ = std::io::stderr()
        .lock()
        .write_all(error_text(color, message).as_bytes());
}

fn error_text(color: ColorChoice, message: &str) -> String {
    let message = crate::text::terminal::lines(&crate::text::bound(message));
    format!("{} {message}\n", paint_error(color))
}

/// Errors that echo what a renderer said, on standard error as [`error_line`] prints them.
pub(super) fn renderer_errors(cli: &Cli, messages: &[String]) {
    let text: String = messages.iter().map(|m| error_text(cli.color, m)).collect();
    echo_renderer(cli, &text);
}

/// `lines` of a renderer's (its warnings, with `--verbose`), bounded and escaped.
pub(super) fn renderer_lines(cli: &Cli, lines: &[String]) {
    let text: String = lines
        .iter()
        .map(|l| format!("{}\n", crate::text::terminal::lines(&crate::text::bound(l))))
        .collect();
    echo_renderer(cli, &text);
}

/// Text that echoes a renderer, already escaped, in one write: on standard error; in `--format
/// github`, on standard output after the commands, inside `::stop-commands::` with a token new
/// for the run, so that the runner runs no command the renderer's text could hold. (The runner
/// reads the two streams in batches, standard error first: a stop on standard error could hold
/// back lbplan's own annotations on standard output; in one stream, the order is kept.)
fn echo_renderer(cli: &Cli, text: &str) {
    use std::io::Write as _;
    if text.is_empty() {
        return;
    }
    if github_format(cli) {
        let wrapped = crate::text::workflow::StopCommands::new().wrap(text);
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(wrapped.as_bytes()).and_then(|()| out.flush());
    } else {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Whether the run writes GitHub workflow commands (`lint` or `diff` with `--format github`).
pub(super) fn github_format(cli: &Cli) -> bool {
    match &cli.command {
        Command::Lint(args) => matches!(args.format, LintFormat::Github),
        Command::Diff(args) => matches!(args.format, DiffFormat::Github),
        _ => false,
    }
}

fn paint_error(color: ColorChoice) -> String {
    use owo_colors::OwoColorize;
    if use_color(color, std::io::stderr().is_terminal()) {
        "error:".red().bold().to_string()
    } else {
        "error:".to_string()
    }
}

/// Colour when asked (`--color`); else never with `NO_COLOR` set, always with `FORCE_COLOR` or
/// `CLICOLOR_FORCE` set (a CI log is no terminal, yet shows colour), else on a terminal that is
/// not dumb. `NO_COLOR` wins over the other two, as in cargo and the tools built on clap.
pub(super) fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let forced =
        |name: &str| std::env::var(name).is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if forced("FORCE_COLOR") || forced("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => terminal && std::env::var("TERM").map_or(true, |t| t != "dumb"),
    }
}

/// How text for standard output (or `--output`) is drawn: colour and width where it goes to a
/// terminal ([`crate::text::width::detect`]), `--quiet`.
pub(super) fn terminal_output(cli: &Cli, output: Option<&Path>) -> TerminalOutput {
    let terminal = output.is_none() && std::io::stdout().is_terminal();
    TerminalOutput {
        color: output.is_none() && use_color(cli.color, terminal),
        width: crate::text::width::detect(terminal),
        quiet: cli.quiet,
    }
}

fn run(cli: &Cli) -> Result<Exit, Error> {
    match &cli.command {
        Command::Lint(args) => lint(cli, args),
        Command::Plan(args) => plans::plan_command(cli, args),
        Command::Weights(args) => plans::weights(cli, args),
        Command::Diff(args) => super::diff::diff(cli, args),
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

    check_output(
        args.output.as_deref(),
        &RunInputs {
            budget: &budget,
            loaded: vec![&loaded],
            configs: config.source.iter().cloned().collect(),
        },
    )?;
    // A baseline being written again was read as a JSON file of the inputs: replacing it is the
    // point. Any other input is refused, as `--output` refuses it.
    check_output(
        args.write_baseline
            .as_deref()
            .filter(|p| !baseline::is_baseline(p)),
        &RunInputs {
            budget: &budget,
            loaded: vec![&loaded],
            configs: config.source.iter().cloned().collect(),
        },
    )?;
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
        nothing_read: io_failed && loaded.counts.files == 0,
        // A name is a file path when it names a regular file (from the working folder): then
        // GitHub and SARIF may point at it; `<stdin>` or `overlays/prod` they must not.
        stdin_not_a_file: loaded
            .stdin
            .filter(|_| !Path::new(&args.stdin_name).is_file()),
        root: args.format.for_ci().then_some(&root),
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

/// How wide tables on standard output (or `--output`) may be: `--wide`, else fitted to the
/// width ([`crate::text::width::detect`]).
pub(super) fn table_width(cli: &Cli, output: Option<&Path>, wide: bool) -> TableWidth {
    if wide {
        TableWidth::Wide
    } else {
        TableWidth::Fit(terminal_output(cli, output).width)
    }
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

pub(super) fn write_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`lbplan rules | head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Stdout(e)),
    }
}
