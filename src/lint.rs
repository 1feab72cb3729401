//! The lint pipeline: model, plan, rules, suppression, then findings in a stable order.

use std::collections::BTreeMap;

use crate::config::{Config, Level};
use crate::load::Loaded;
use crate::model::duplicate::summary_note;
use crate::model::{Inventory, ObjectId};
use crate::plan::{self, Plan, PlanIndex};
use crate::rules::Summary;
use crate::rules::suppress::{ConfigLevel, Policy, apply};
use crate::rules::{self, Context, Finding, Rule, Sink};
use crate::source::node::EVERYTHING;
use crate::source::yaml::parse_yaml;
use crate::source::{Origin, Sources};

/// Findings of a run, sorted, and what could not be checked.
#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    pub summary: Summary,
}

/// Lint what was loaded. `policy` holds `--select` and `--ignore`; the config's levels are added.
/// Locations in rendered Kustomize streams are moved to their sources (added to
/// `loaded.sources`).
pub fn lint(loaded: &mut Loaded, config: &Config, policy: Policy) -> Outcome {
    let policy = policy.with_levels(config_levels(loaded, config));
    let (plan, index) = plan::build(
        &loaded.inventory,
        &config.file.load_balancers,
        &loaded.assumptions,
    );
    let sink = check(loaded, config, &plan, &index);
    finish(loaded, &policy, sink)
}

/// Run every rule on a built plan. `lbplan diff` adds its transition findings to the sink before
/// [`finish`], so that they are suppressed and graded like any finding of that side.
pub fn check(loaded: &Loaded, config: &Config, plan: &Plan, index: &PlanIndex) -> Sink {
    let cx = Context {
        inv: &loaded.inventory,
        plan,
        index,
        config,
        problems: &loaded.problems,
    };
    let mut sink = rules::check_all(&cx);
    rules::say_inferred_facts(&mut sink.findings, &loaded.inventory);
    sink
}

/// Suppress and grade the findings of `sink` (`policy` with the config's levels, see
/// [`config_levels`]), move their locations out of rendered streams, and sort them.
pub fn finish(loaded: &mut Loaded, policy: &Policy, sink: Sink) -> Outcome {
    let notes: Vec<String> = loaded
        .notes
        .iter()
        .cloned()
        .chain(summary_note(&loaded.duplicates, &loaded.sources))
        .chain(sink.notes(&loaded.inventory))
        .collect();
    let mut unchecked: BTreeMap<&'static str, Vec<ObjectId>> = BTreeMap::new();
    for ((code, _, _), objects) in &sink.unchecked {
        unchecked
            .entry(code)
            .or_default()
            .extend(objects.iter().copied());
    }
    let mut findings = apply(sink.findings, policy, &loaded.inventory, &unchecked);
    cut_long_values(&mut findings, &loaded.inventory);
    // After suppression (which reads the objects' annotations in the streams), before sorting
    // (which orders by file and line): from here on, no location is in a stream.
    for finding in &mut findings {
        loaded
            .streams
            .relocate_finding(finding, &mut loaded.sources);
    }
    sort(&mut findings, &loaded.sources);
    let mut summary = Summary {
        files: loaded.counts.files,
        documents: loaded.counts.documents,
        objects: loaded.counts.objects,
        ..Summary::default()
    };
    summary.count(&findings);
    Outcome {
        findings,
        notes,
        summary,
    }
}

/// Messages quote at most 200 bytes of any input value: rules quote annotation values they check
/// with [`crate::text::quote`], names come cut from the context; what else a message holds
/// whole (a load balancer's ID, a host, a path) is cut here, once, for every rule.
fn cut_long_values(findings: &mut [Finding], inv: &Inventory) {
    fn add<'a>(long: &mut Vec<&'a str>, value: &'a str) {
        for v in [value, value.trim()] {
            if v.len() > crate::text::quote::QUOTE_BYTES {
                long.push(v);
            }
        }
    }
    let mut long: Vec<&str> = Vec::new();
    for placed in &inv.objects {
        let object = &placed.object;
        add(&mut long, &object.meta.name);
        add(&mut long, &object.meta.namespace);
        for a in object.annotations().iter() {
            add(&mut long, &a.key);
            add(&mut long, &a.value);
        }
        if let Some(ingress) = object.as_ingress() {
            for path in &ingress.paths {
                for value in [&path.host, &path.path, &path.match_mode]
                    .into_iter()
                    .flatten()
                {
                    add(&mut long, &value.value);
                }
                if let Some(backend) = &path.backend {
                    add(&mut long, &backend.name.value);
                }
            }
        }
    }
    if long.is_empty() {
        return;
    }
    long.sort_by_key(|v| std::cmp::Reverse(v.len()));
    long.dedup();
    let cut = |text: &mut String| {
        if let std::borrow::Cow::Owned(cut) = crate::text::quote::cut_values(text, &long) {
            *text = cut;
        }
    };
    for f in findings {
        cut(&mut f.message);
        f.caption.as_mut().map(cut);
        f.help.as_mut().map(cut);
        for r in &mut f.related {
            cut(&mut r.message);
        }
    }
}

/// The config's `rules:` entries, top-level and per cluster, with the place of each key in the
/// config file.
pub fn config_levels(loaded: &Loaded, config: &Config) -> Vec<ConfigLevel> {
    // (cluster index or none, key) -> where the key is written.
    let mut origins: BTreeMap<(Option<usize>, String), Origin> = BTreeMap::new();
    if let (Some(file), Some(text)) = (loaded.config_file, &config.text) {
        for doc in parse_yaml(text, &EVERYTHING) {
            let Ok(root) = doc.result else { continue };
            let clusters = root.get("clusters").and_then(|c| c.as_seq()).unwrap_or(&[]);
            let tables = std::iter::once((None, root.get("rules"))).chain(
                clusters
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (Some(i), c.get("rules"))),
            );
            for (cluster, rules) in tables {
                for entry in rules.and_then(|r| r.as_map()).unwrap_or(&[]) {
                    if let Some(span) = entry.key_span {
                        origins.insert((cluster, entry.key.to_string()), Origin::new(file, span));
                    }
                }
            }
        }
    }
    let level = |cluster: Option<usize>, key: &String, level: Level| ConfigLevel {
        key: key.clone(),
        level,
        rule: rules::find(key).map(Rule::meta),
        origin: origins.get(&(cluster, key.clone())).copied(),
        cluster: cluster
            .and_then(|i| config.file.clusters.get(i))
            .map(|c| c.name.clone()),
    };
    let top = config
        .file
        .rules
        .iter()
        .map(|(key, &l)| level(None, key, l));
    let per_cluster = config
        .file
        .clusters
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.rules.iter().map(move |(key, &l)| level(Some(i), key, l)));
    top.chain(per_cluster).collect()
}

/// Sort by file, line, code (then column and message, so the order is total) and drop exact
/// duplicates: identical input gives byte-identical output.
pub fn sort(findings: &mut Vec<Finding>, sources: &Sources) {
    let mut keyed: Vec<_> = findings
        .drain(..)
        .map(|f| {
            let at = sources.line_col(f.origin);
            (
                (
                    sources.name(f.origin.file).to_string(),
                    at.line,
                    f.code,
                    at.column,
                    f.message.clone(),
                ),
                f,
            )
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    findings.extend(keyed.into_iter().map(|(_, f)| f));
}
