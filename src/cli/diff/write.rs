//! The report of `lbplan diff` in the format asked for, to standard output or `--output`, the
//! Markdown report appended to `--summary`, and the exit code.

use std::path::Path;

use clap::ValueEnum;

use super::super::console::{renderer_errors, stderr_text, terminal_output};
use super::super::output::{append_output, write_output};
use super::super::{Cli, DiffArgs, DiffFormat, Error};
use crate::diff::{Gate, Report};
use crate::exit::Exit;
use crate::source::discover::display_name;

pub(super) fn write_report(
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
    let markdown = || crate::report::diff::markdown(report, gate, &fail_on, args.max_bytes);
    let text = match args.format {
        DiffFormat::Human => crate::report::diff::human(report, terminal_output(cli, output)),
        DiffFormat::Markdown => markdown(),
        DiffFormat::Json => crate::report::diff::json(report),
        DiffFormat::Github => {
            // Annotations name files from the git top level (else the working folder).
            let cwd = std::env::current_dir().map_err(Error::WorkingFolder)?;
            let root = crate::report::root::Root::find(&cwd, None);
            crate::report::diff::github(report, Some(&root))
        }
    };
    write_output(output, &text)?;
    if let (Some(path), false) = (output, cli.quiet) {
        // The report is in a file: the log of the run still says how it went.
        stderr_text(&format!(
            "{}; report written to {}",
            report.summary_line(),
            display_name(path)
        ));
    }
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
