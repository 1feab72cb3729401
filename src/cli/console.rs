//! What the commands write besides their reports: lines on standard error (bounded and escaped),
//! `error:` in colour where colour is on, a renderer's own words, and standard output itself; and
//! how output is drawn: colour (`--color`, `NO_COLOR`, ...) and width. Every command (`lint`,
//! `plan`, `weights`, `diff`, ...) asks here, so none asks another.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::args::LintFormat;
use super::{Cli, ColorChoice, Command, DiffFormat, Error};
use crate::report::TerminalOutput;
use crate::text::width::TableWidth;
use crate::text::{Paint, palette};

/// Write one line to standard error. Standard error that cannot be written to (`/dev/full`, a
/// closed pipe) is ignored: the exit code and standard output already say how the run went, and
/// `eprintln!` would panic.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        crate::cli::console::stderr_text(&format!($($arg)*));
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

/// One line on standard error, control characters escaped (for modules outside this one).
pub(super) fn stderr(line: &str) {
    stderr_line!("{line}");
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
    let paint = Paint {
        on: use_color(color, std::io::stderr().is_terminal()),
    };
    paint.paint("error:", palette::error())
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

/// How wide tables on standard output (or `--output`) may be: `--wide`, else fitted to the
/// width ([`crate::text::width::detect`]).
pub(super) fn table_width(cli: &Cli, output: Option<&Path>, wide: bool) -> TableWidth {
    if wide {
        TableWidth::Wide
    } else {
        TableWidth::Fit(terminal_output(cli, output).width)
    }
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
