//! What each command does: the entry point, `lint`, `rules`, `explain` and `completions`, and
//! where output goes (standard output, `--output`, `--summary`). `run/inputs.rs` reads the inputs
//! every manifest-reading command shares; `run/plans.rs` is `plan` and `weights`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::{CommandFactory, Parser};

use super::args::LintFormat;
use super::{Cli, ColorChoice, Command, DiffFormat, Error, LintArgs, RulesArgs, RulesFormat};
use crate::exit::Exit;
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
        // Messages carry paths and values from the input: bounded, no control character
        // reaches the terminal raw and no line starts a workflow command.
        let line = format!($($arg)*);
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}",
            crate::text::terminal::lines(&crate::text::bound(&line))
        );
    }};
}

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
        Command::Plan(args) => plans::plan_command(cli, args),
        Command::Weights(args) => plans::weights(cli, args),
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

fn lint(cli: &Cli, args: &LintArgs) -> Result<Exit, Error> {
    // Unknown rules in --select/--ignore are usage errors: say so before reading anything.
    let policy = Policy::new(&args.select, &args.ignore)?;
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
