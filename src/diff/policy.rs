//! What the head's own config relaxes against the base's, which judges the change (LB516).
//!
//! Relaxations, each at the key of the head's config that makes it (or, for a deleted config,
//! the base's file): a rule's level lowered (top-level, or for a cluster), an exclude glob
//! added or `default_exclude: true`, paths, cluster paths, overlays, pod snapshots or exports
//! changed, a cluster added or removed, a listener or rule quota or the drift threshold raised,
//! rendering turned off. Whatever the head's config changes, the diff reads both sides with the
//! base's: these are what would judge more leniently once it is merged.

use std::collections::BTreeSet;

use crate::config::{ClusterConfig, Config, ConfigFile, DEFAULT_DRIFT_BP, Level, Renderer};
use crate::rules::transition::{Relaxation, Side};
use crate::rules::{self, Severity};
use crate::source::discover::display_name;
use crate::source::node::{EVERYTHING, Node};
use crate::source::yaml::parse_yaml;
use crate::source::{FileId, Origin, SourceFile, Sources, Span};

/// The relaxations of `head` (the head's own config, when it has one) against `base` (the
/// base's config and its file among the base's sources). The head's config joins `sources` (the
/// head's), where its findings point.
pub fn relaxations(
    base: (&Config, Option<FileId>),
    head: Option<&Config>,
    sources: &mut Sources,
) -> Vec<Relaxation> {
    let (base, base_file) = base;
    let Some(head) = head else {
        // Deleted: nothing of the base's policy remains once merged.
        return match (base_file, &base.source) {
            (Some(file), Some(source))
                if base.text.as_deref().is_some_and(|t| !t.trim().is_empty()) =>
            {
                vec![Relaxation {
                    side: Side::Base,
                    origin: Origin::new(file, Span::new(0, 0)),
                    message: format!(
                        "the head deletes {}: once merged, lbplan runs without a config (every rule at its default level, no excludes, one cluster)",
                        display_name(source)
                    ),
                    caption: "the config is deleted",
                }]
            }
            _ => Vec::new(),
        };
    };
    if base.text == head.text && base.text.is_some() {
        return Vec::new();
    }
    let (Some(source), Some(text)) = (&head.source, &head.text) else {
        return Vec::new();
    };
    let file = sources.add(SourceFile::in_memory(display_name(source), text.clone()));
    let documents = parse_yaml(text, &EVERYTHING);
    let root = documents.iter().find_map(|d| d.result.as_ref().ok());
    let mut found = Found {
        file,
        root,
        out: Vec::new(),
    };
    found.levels(&base.file, &head.file);
    found.walks(&base.file, &head.file);
    found.clusters(&base.file, &head.file);
    found.limits(&base.file, &head.file);
    found.out
}

/// Severity order of a level, `off` lowest.
fn rank(level: Option<Level>, default: Severity) -> u8 {
    match level {
        Some(Level::Off) => 0,
        Some(Level::Info) => 1,
        Some(Level::Warning) => 2,
        Some(Level::Error) => 3,
        None => match default {
            Severity::Info => 1,
            Severity::Warning => 2,
            Severity::Error => 3,
        },
    }
}

fn shown(level: Option<Level>, default: Severity) -> String {
    match level {
        Some(Level::Off) => "off".into(),
        Some(Level::Info) => "info".into(),
        Some(Level::Warning) => "warning".into(),
        Some(Level::Error) => "error".into(),
        None => format!("its default, {}", default.as_str()),
    }
}

/// A `rules:` table by rule code.
fn by_code(table: &std::collections::BTreeMap<String, Level>) -> Vec<(&'static str, &str, Level)> {
    table
        .iter()
        .filter_map(|(key, level)| Some((rules::find(key)?.meta().code, key.as_str(), *level)))
        .collect()
}

fn level_of(table: &[(&'static str, &str, Level)], code: &str) -> Option<Level> {
    table.iter().find(|(c, ..)| *c == code).map(|(.., l)| *l)
}

/// The relaxations found so far, and where the head's config writes each key.
struct Found<'a> {
    file: FileId,
    root: Option<&'a Node<'a>>,
    out: Vec<Relaxation>,
}

impl Found<'_> {
    /// The key at `path` (map keys, or `#N` for the N-th list item) in the head's config, else
    /// the closest enclosing one found, else the file's start.
    fn at(&self, path: &[&str]) -> Origin {
        let mut node = self.root;
        let mut span = Span::new(0, 0);
        for step in path {
            let Some(current) = node else { break };
            let next = match step.strip_prefix('#').and_then(|i| i.parse::<usize>().ok()) {
                Some(i) => current.as_seq().and_then(|s| s.get(i)).map(|n| (n.span, n)),
                None => current.entry(step).map(|e| (e.key_span, &e.value)),
            };
            match next {
                Some((found, child)) => {
                    span = found.unwrap_or(span);
                    node = Some(child);
                }
                None => break,
            }
        }
        Origin::new(self.file, span)
    }

    fn push(&mut self, path: &[&str], caption: &'static str, message: String) {
        let origin = self.at(path);
        self.out.push(Relaxation {
            side: Side::Head,
            origin,
            message,
            caption,
        });
    }

    /// Rule levels lowered: top-level, then per cluster where the cluster sets its own.
    fn levels(&mut self, base: &ConfigFile, head: &ConfigFile) {
        let (b, h) = (by_code(&base.rules), by_code(&head.rules));
        let codes: BTreeSet<&str> = b.iter().chain(&h).map(|(c, ..)| *c).collect();
        for code in codes {
            let Some(rule) = rules::find(code).map(rules::Rule::meta) else {
                continue;
            };
            let (was, now) = (level_of(&b, code), level_of(&h, code));
            if rank(now, rule.severity) < rank(was, rule.severity) {
                let key = h
                    .iter()
                    .find(|(c, ..)| *c == code)
                    .map_or(code, |(_, k, _)| k);
                self.push(
                    &["rules", key],
                    "a rule turned down",
                    format!(
                        "rules: {code} becomes {} (the base: {}): once merged, {code} reports less",
                        shown(now, rule.severity),
                        shown(was, rule.severity)
                    ),
                );
            }
        }
        for (i, cluster) in head.clusters.iter().enumerate() {
            let before = base.clusters.iter().find(|c| c.name == cluster.name);
            let (cb, ch) = (
                before.map(|c| by_code(&c.rules)).unwrap_or_default(),
                by_code(&cluster.rules),
            );
            let codes: BTreeSet<&str> = cb.iter().chain(&ch).map(|(c, ..)| *c).collect();
            for code in codes {
                let Some(rule) = rules::find(code).map(rules::Rule::meta) else {
                    continue;
                };
                let was = level_of(&cb, code).or(level_of(&b, code));
                let now = level_of(&ch, code).or(level_of(&h, code));
                if rank(now, rule.severity) < rank(was, rule.severity) {
                    let key = ch
                        .iter()
                        .find(|(c, ..)| *c == code)
                        .map_or(code, |(_, k, _)| k);
                    let index = format!("#{i}");
                    self.push(
                        &["clusters", &index, "rules", key],
                        "a rule turned down",
                        format!(
                            "rules of cluster {}: {code} becomes {} (the base: {})",
                            cluster.name,
                            shown(now, rule.severity),
                            shown(was, rule.severity)
                        ),
                    );
                }
            }
        }
    }

    /// Excludes added, the built-in excludes turned on, paths changed, rendering turned off.
    fn walks(&mut self, base: &ConfigFile, head: &ConfigFile) {
        for (i, glob) in head.exclude.iter().enumerate() {
            if !base.exclude.contains(glob) {
                let index = format!("#{i}");
                self.push(
                    &["exclude", &index],
                    "files excluded",
                    format!(
                        "exclude: {} is new: once merged, folder walks skip what it matches",
                        quoted(glob)
                    ),
                );
            }
        }
        if head.default_exclude.unwrap_or(true) && !base.default_exclude.unwrap_or(true) {
            self.push(
                &["default_exclude"],
                "files excluded",
                "default_exclude is back on: once merged, vendor/, testdata/ and the other built-in excludes are skipped".into(),
            );
        }
        if head.paths != base.paths {
            self.push(
                &["paths"],
                "paths changed",
                "paths: the inputs change: once merged, other folders are read".into(),
            );
        }
        let off = |f: &ConfigFile| f.render.kustomize == Some(Renderer::Off);
        if off(head) && !off(base) {
            self.push(
                &["render", "kustomize"],
                "rendering turned off",
                "render.kustomize: off: once merged, Kustomize overlays are not rendered, and their files are not linted".into(),
            );
        }
    }

    /// Clusters added or removed, and their paths, overlays, snapshots, exports and excludes.
    fn clusters(&mut self, base: &ConfigFile, head: &ConfigFile) {
        for (i, cluster) in head.clusters.iter().enumerate() {
            let index = format!("#{i}");
            let Some(before) = base.clusters.iter().find(|c| c.name == cluster.name) else {
                self.push(
                    &["clusters", &index, "name"],
                    "paths changed",
                    format!(
                        "cluster {} is new: once merged, the files under its paths are judged as its own",
                        cluster.name
                    ),
                );
                continue;
            };
            for (key, changed) in changed_keys(before, cluster) {
                self.push(
                    &["clusters", &index, key],
                    "paths changed",
                    format!(
                        "clusters[{i}].{key} of cluster {} changes: once merged, {changed}",
                        cluster.name
                    ),
                );
            }
            for (j, glob) in cluster.exclude.iter().enumerate() {
                if !before.exclude.contains(glob) {
                    let item = format!("#{j}");
                    self.push(
                        &["clusters", &index, "exclude", &item],
                        "files excluded",
                        format!(
                            "exclude {} of cluster {} is new: once merged, its walks skip what it matches",
                            quoted(glob),
                            cluster.name
                        ),
                    );
                }
            }
        }
        for cluster in &base.clusters {
            if !head.clusters.iter().any(|c| c.name == cluster.name) {
                self.push(
                    &["clusters"],
                    "paths changed",
                    format!(
                        "cluster {} is removed: once merged, its files belong to another cluster or to none",
                        cluster.name
                    ),
                );
            }
        }
    }

    /// Quotas and the drift threshold raised.
    fn limits(&mut self, base: &ConfigFile, head: &ConfigFile) {
        for (i, lb) in head.load_balancers.iter().enumerate() {
            let before = base.load_balancers.iter().find(|b| b.id == lb.id);
            let id = crate::text::visible(&lb.id);
            let index = format!("#{i}");
            let quota = |q: Option<u32>| q.unwrap_or(crate::config::DEFAULT_LISTENER_QUOTA);
            if quota(lb.listener_quota) > quota(before.and_then(|b| b.listener_quota)) {
                self.push(
                    &["load_balancers", &index, "listener_quota"],
                    "a quota raised",
                    format!(
                        "listener_quota of {id} is raised: once merged, LB104 allows more listeners"
                    ),
                );
            }
            let was = before.and_then(|b| b.rule_quota);
            if lb
                .rule_quota
                .is_some_and(|now| was.is_none_or(|was| now > was))
            {
                self.push(
                    &["load_balancers", &index, "rule_quota"],
                    "a quota raised",
                    format!(
                        "rule_quota of {id} is raised: once merged, LB404 allows more forwarding rules"
                    ),
                );
            }
        }
        let drift = |f: &ConfigFile| f.weight_drift_threshold.unwrap_or(DEFAULT_DRIFT_BP);
        if drift(head) > drift(base) {
            self.push(
                &["weight_drift_threshold"],
                "a threshold raised",
                "weight_drift_threshold is raised: once merged, LB208 reports less drift".into(),
            );
        }
    }
}

/// The keys of a cluster that change what is read, and what that does.
fn changed_keys(before: &ClusterConfig, now: &ClusterConfig) -> Vec<(&'static str, &'static str)> {
    let mut changed = Vec::new();
    if before.paths != now.paths {
        changed.push(("paths", "other files are judged as this cluster's"));
    }
    if before.kustomize != now.kustomize {
        changed.push(("kustomize", "other overlays are rendered for it"));
    }
    if before.pods != now.pods {
        changed.push(("pods", "another pod snapshot describes it"));
    }
    if before.exports != now.exports {
        changed.push(("exports", "other exports describe it"));
    }
    changed
}

fn quoted(glob: &str) -> String {
    crate::text::quote(&crate::text::visible(glob))
}

#[cfg(test)]
mod tests;
