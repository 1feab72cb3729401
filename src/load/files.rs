//! Reading and parsing the files of a run, in parallel: each job's bytes (a file, or standard
//! input read once), decoded and parsed into the objects `k8s::read` finds, with the problems
//! met; lbplan's own reports are recognised by content and skipped. `load.rs` adds the results
//! to the run in job order.

use std::sync::Arc;

use crate::config::{ClusterSetup, Substitution};
use crate::facts::export::{self, ExportRead, ValueSeen, is_pod_dump};
use crate::inputs::Job;
use crate::k8s::read::{ReadOutcome, read_document_in};
use crate::source::discover::{InputPath, is_json};
use crate::source::node::MANIFEST;
use crate::source::read::{self, Budget, Here, NotRead, read_kept};
use crate::source::yaml::{parse_json, parse_yaml};
use crate::source::{FileId, Origin, Span, decode};

/// One file, read and parsed. Its text is kept only when a finding can point into it (it holds
/// an object lbplan models, or a problem): the file is never read again.
#[derive(Clone)]
pub(super) struct Parsed {
    pub(super) text: Option<Arc<str>>,
    /// The file holds Helm template syntax (`{{`).
    pub(super) templated: bool,
    /// The file is one of lbplan's own reports: not read.
    pub(super) report: bool,
    pub(super) documents: usize,
    pub(super) outcome: ReadOutcome,
    /// Parse errors and file-level problems (binary, invalid UTF-8), as (origin, message).
    pub(super) parse_errors: Vec<(Origin, String)>,
    /// The file is a dump of the cluster's pods (a `PodList` of pods with status): its pods
    /// with a status are observed pods.
    pub(super) dump: bool,
    /// `GlobalRouteDirectAccess` of ConfigMap `kube-system/tke-service-controller-config`.
    pub(super) global_route: Vec<ValueSeen>,
}

/// One job, read: a file of manifests, or a kubectl export.
pub(super) enum Read {
    Manifests(Parsed),
    Export(ExportRead),
}

/// Read and parse every job, in parallel; results come back in job order.
pub(super) fn read_jobs(
    jobs: &[Job],
    setups: &[ClusterSetup],
    budget: &Budget,
) -> Vec<Result<Read, NotRead>> {
    let stdin = jobs
        .iter()
        .any(|j| j.input.path == InputPath::Stdin)
        .then(|| read_stdin(budget));
    let here = Here::now();
    let read = |(i, job): (usize, &Job)| {
        let file = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        // A panic in one file's parse loses that file alone, never the run.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let bytes = match &job.input.path {
                InputPath::Stdin => stdin
                    .clone()
                    .unwrap_or_else(|| Err("standard input was not read".to_string()))
                    .map_err(NotRead::from),
                InputPath::File(path) => read_kept(path, &here, budget),
            };
            bytes.map(|b| {
                if job.role.is_export() {
                    Read::Export(export::read(file, &job.input.name, b))
                } else {
                    // A Flux Kustomization's variables, substituted before anything is read.
                    let vars = job
                        .source
                        .and_then(|s| setups.get(job.cluster)?.sources.get(s))
                        .and_then(|s| s.substitute.as_ref());
                    Read::Manifests(parse_file(file, &job.input.name, b, vars))
                }
            })
        }))
        .unwrap_or_else(|_| {
            Err(NotRead::from(
                "internal error while reading this file".to_string(),
            ))
        })
    };
    let size = |job: &Job| match &job.input.path {
        InputPath::File(path) => budget.size_of(&here, path),
        InputPath::Stdin => stdin
            .as_ref()
            .and_then(|s| s.as_ref().ok())
            .map_or(0, |b| b.len() as u64),
    };
    crate::threads::largest_first(
        crate::threads::for_jobs(jobs.len()),
        jobs,
        size,
        |i, job| read((i, job)),
    )
}

fn read_stdin(budget: &Budget) -> Result<Vec<u8>, String> {
    let bytes = read::read_stdin(budget)?;
    // An empty stream usually means the command before the pipe failed; passing it would let a
    // broken `helm template | lbplan lint -` through a CI gate.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(
            "standard input is empty: nothing to lint (did the command before the pipe fail?)"
                .into(),
        );
    }
    Ok(bytes)
}

/// Whether `text` is one of lbplan's own JSON reports (lint, plan or weights JSON, or SARIF),
/// recognised by its content: a report written into a linted folder is never linted next time.
fn is_lbplan_report(text: &str) -> bool {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let Some(body) = body.strip_prefix('{') else {
        return false;
    };
    // `{"version": 1, "findings"|"assumptions"|"groups": ...`, lbplan's first two keys.
    let rest = body.trim_start();
    if let Some(rest) = rest.strip_prefix("\"version\"") {
        let rest = rest
            .trim_start()
            .strip_prefix(':')
            .unwrap_or("")
            .trim_start();
        let rest = rest
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start();
        let rest = rest.strip_prefix(',').unwrap_or("").trim_start();
        return ["\"findings\"", "\"assumptions\"", "\"groups\""]
            .iter()
            .any(|key| rest.starts_with(key));
    }
    rest.starts_with("\"$schema\"")
        && rest
            .get(..200)
            .unwrap_or(rest)
            .contains("sarif-schema-2.1.0")
        && text.contains("\"name\": \"lbplan\"")
}

/// Decode and parse one file.
fn parse_file(file: FileId, name: &str, bytes: Vec<u8>, vars: Option<&Substitution>) -> Parsed {
    let decoded = decode(bytes);
    let mut text = decoded.text;
    let mut refused = Vec::new();
    if let Some(vars) = vars.filter(|_| !decoded.binary) {
        let done = crate::gitops::substitute::substitute(&text, vars);
        text = done.text;
        refused = done.errors;
    }
    if !decoded.binary && is_lbplan_report(&text) {
        return Parsed {
            text: None,
            templated: false,
            report: true,
            documents: 0,
            outcome: ReadOutcome::default(),
            parse_errors: Vec::new(),
            dump: false,
            global_route: Vec::new(),
        };
    }
    let mut parsed = parse_text(file, name, text, decoded.problem, decoded.binary, "default");
    // Flux fails the Kustomization on an expression it cannot substitute: the document is read
    // as written, and the expression is LB001 at its place.
    for (offset, message) in refused {
        parsed.parse_errors.push((
            Origin::new(file, Span::new(offset, offset)),
            format!("Flux's post-build substitution fails here ({message}), and Flux applies nothing of the Kustomization"),
        ));
    }
    parsed
}

/// Parse decoded text; `problem` is what decoding found wrong with it; objects that name no
/// namespace are in `namespace`.
pub(super) fn parse_text(
    file: FileId,
    name: &str,
    text: String,
    problem: Option<(usize, &'static str)>,
    binary: bool,
    namespace: &str,
) -> Parsed {
    let mut parse_errors = Vec::new();
    let at = |offset: usize| Origin::new(file, Span::new(offset, offset));
    if let Some((offset, problem)) = problem {
        parse_errors.push((at(offset), problem.to_string()));
    }
    let mut outcome = ReadOutcome::default();
    let mut count = 0;
    let (mut dump, mut global_route) = (false, Vec::new());
    // JSON that is not an object with apiVersion and kind (tsconfig.json, package.json) is no
    // manifest: skipped quietly, whether or not it parses.
    let json = is_json(name);
    if !binary && (!json || super::json::declares_object(&text)) {
        let documents = if json {
            parse_json(&text, &MANIFEST)
        } else {
            parse_yaml(&text, &MANIFEST)
        };
        count = documents.len();
        for doc in documents {
            match doc.result {
                Ok(node) => {
                    let start = Origin::new(file, Span::new(doc.span.start, doc.span.start));
                    read_document_in(file, &text, &node, start, namespace, &mut outcome);
                    dump |= is_pod_dump(&node);
                    export::manifest_global_route(&node, &mut global_route);
                }
                Err(err) => parse_errors.push((at(err.offset), err.message)),
            }
        }
    }
    // Most files hold one object or none: exact capacities keep 36k files' worth of results small.
    outcome.objects.shrink_to_fit();
    outcome.problems.shrink_to_fit();
    parse_errors.shrink_to_fit();
    // Findings point only at objects and problems: other files' texts are not needed again.
    let problems = !(parse_errors.is_empty() && outcome.problems.is_empty());
    let keep = problems || !outcome.objects.is_empty();
    Parsed {
        // Only a problem's help uses it: spare the scan of clean files.
        templated: problems && text.contains("{{"),
        report: false,
        text: keep.then(|| Arc::from(text)),
        documents: count,
        outcome,
        parse_errors,
        dump,
        global_route,
    }
}

#[cfg(test)]
mod tests {
    use super::is_lbplan_report;

    #[test]
    fn lbplan_reports_are_recognised_by_content() {
        assert!(is_lbplan_report(
            "{\n  \"version\": 1,\n  \"findings\": []}"
        ));
        assert!(is_lbplan_report("{\"version\":1,\"assumptions\":[]}"));
        assert!(is_lbplan_report(
            "{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n  \"runs\": [{\"tool\": {\"driver\": {\"name\": \"lbplan\"}}}]}"
        ));
        assert!(!is_lbplan_report(
            "{\"apiVersion\": \"v1\", \"kind\": \"Service\"}"
        ));
        assert!(!is_lbplan_report("{\"version\": 1, \"kind\": \"List\"}"));
        assert!(!is_lbplan_report("version: 1\nfindings: []\n"));
    }
}
