//! `lint --baseline FILE` and `lint --write-baseline FILE` (the baseline itself is
//! `crate::baseline`): reading the file, naming findings' files from the repository's root so
//! that a baseline written from one folder holds from another, and the note on stale entries.

use std::path::Path;

use super::super::{Cli, Error};
use crate::baseline::{Applied, Baseline};
use crate::lint::Outcome;
use crate::report::Summary;
use crate::report::root::Root;
use crate::rules::Finding;
use crate::source::Sources;
use crate::source::discover::display_name;

/// Read and check the baseline at `path` (given on the command line), before any input is read.
pub(in crate::cli) fn read(path: &Path) -> Result<Baseline, Error> {
    let failed = |problem: String| Error::Baseline {
        path: display_name(path),
        problem,
    };
    let text = crate::source::read::read_text(path).map_err(|e| failed(e.to_string()))?;
    Baseline::parse(&text).map_err(failed)
}

/// Whether `path` holds a baseline (which `--write-baseline` may replace).
pub(in crate::cli) fn is_baseline(path: &Path) -> bool {
    crate::source::read::read_text(path).is_ok_and(|text| Baseline::parse(&text).is_ok())
}

/// How a baseline names a finding's file: from the repository's root (`root`), else as the run
/// names it.
pub(in crate::cli) fn file_of<'a>(
    root: &'a Root,
    sources: &'a Sources,
) -> impl Fn(&Finding) -> String + 'a {
    move |f| {
        let name = sources.name(f.origin.file);
        root.relative(name).unwrap_or_else(|| name.to_string())
    }
}

/// Say on standard error what `--write-baseline` recorded.
pub(in crate::cli) fn recorded(cli: &Cli, summary: &Summary, path: &Path) {
    if !cli.quiet {
        stderr_line!(
            "lbplan: {} in {} recorded in {}",
            summary.counts(),
            summary.inputs(),
            display_name(path)
        );
    }
}

/// Leave out of the outcome the findings `accepted` (read from `path`) accepts; count them in
/// the summary and name stale entries in a note.
pub(in crate::cli) fn apply(
    accepted: &Baseline,
    path: &Path,
    outcome: &mut Outcome,
    file_of: &dyn Fn(&Finding) -> String,
) {
    let applied = accepted.apply(&mut outcome.findings, file_of);
    outcome.summary.baselined = applied.baselined;
    outcome.summary.recount(&outcome.findings);
    outcome.notes.extend(stale_note(applied, path));
}

/// The note a run with a baseline adds when entries accept findings no longer found.
fn stale_note(applied: Applied, path: &Path) -> Option<String> {
    (applied.stale > 0).then(|| {
        format!(
            "{} of {} no longer found (fixed or changed): `lbplan lint --write-baseline {}` records today's findings",
            if applied.stale == 1 {
                "1 finding accepted".to_string()
            } else {
                format!("{} findings accepted", applied.stale)
            },
            display_name(path),
            display_name(path),
        )
    })
}
