//! A baseline: the findings a repository accepts for now, so that `lint --baseline FILE` reports
//! only the findings that are not in it (as detekt's and PHPStan's baselines do), and a legacy
//! repository can adopt lbplan as a gate before every old finding is fixed.
//!
//! Entries are findings by their [`Identity`] with numbers left out of the message (the one
//! `lbplan diff` matches findings by), never by line: a baseline stays true when lines move.
//! Each entry holds a count, so that a second copy of a baselined finding is new.
//!
//! The file is JSON (walks never read `.json` as manifests), one entry per finding identity,
//! sorted, so that identical findings give a byte-identical file and a review shows each
//! addition. In CI the file comes from the pull request like every other file: `lbplan diff
//! --baseline FILE` judges with the base's and reports the head's additions as LB516.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::rules::Finding;
use crate::rules::identity::{Identity, Wording};
use crate::source::Span;
use crate::source::node::EVERYTHING;
use crate::source::yaml::parse_yaml;

/// The format's version, written as the file's first key.
const VERSION: u32 = 1;

/// One accepted finding.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub placement: String,
    /// The object the finding is about (`Kind/namespace/name`)...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub object: String,
    /// ...or, for a finding about no object, its file (from the repository's root).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// The message, every number written `#`.
    pub message: String,
    /// How many findings of this identity are accepted.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

impl Entry {
    fn identity(&self) -> Identity {
        Identity {
            code: self.code.clone(),
            cluster: self.cluster.clone(),
            placement: self.placement.clone(),
            subject: if self.object.is_empty() {
                self.file.clone()
            } else {
                self.object.clone()
            },
            message: self.message.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    lbplan_baseline: u32,
    findings: Vec<Entry>,
}

/// A baseline read from its file: each identity and how many of it are accepted, and the
/// entry's index in the file.
#[derive(Debug, Default)]
pub struct Baseline {
    accepted: BTreeMap<Identity, (usize, usize)>,
}

/// What applying a baseline did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Findings left out: the baseline accepts them.
    pub baselined: usize,
    /// Accepted findings no longer found (fixed, or changed): `--write-baseline` drops them.
    pub stale: usize,
}

/// The identity of `finding` as a baseline keeps it; `file` names its file from the
/// repository's root.
fn identity(finding: &Finding, file: &str) -> Identity {
    Identity::of(finding, file, Wording::Loose)
}

/// The baseline file for `findings` (`file_of` names a finding's file from the repository's
/// root): sorted entries, one per identity with its count.
pub fn record(findings: &[Finding], file_of: impl Fn(&Finding) -> String) -> String {
    // Each identity: how many, and whether its subject is an object (else a file).
    let mut counts: BTreeMap<Identity, (usize, bool)> = BTreeMap::new();
    for f in findings {
        let slot = counts
            .entry(identity(f, &file_of(f)))
            .or_insert((0, f.object.is_some()));
        slot.0 += 1;
    }
    let findings = counts
        .into_iter()
        .map(|(id, (count, about_object))| {
            let (object, file) = if about_object {
                (id.subject, String::new())
            } else {
                (String::new(), id.subject)
            };
            Entry {
                code: id.code,
                cluster: id.cluster,
                placement: id.placement,
                object,
                file,
                message: id.message,
                count,
            }
        })
        .collect();
    let file = BaselineFile {
        lbplan_baseline: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

impl Baseline {
    /// Read a baseline file's text. The error names the line and column of what is wrong.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: BaselineFile = serde_json::from_str(text)
            .map_err(|e| format!("line {}, column {}: {}", e.line(), e.column(), plain(&e)))?;
        if file.lbplan_baseline != VERSION {
            return Err(format!(
                "lbplan_baseline is {}; this lbplan reads version {VERSION} (write it again with --write-baseline)",
                file.lbplan_baseline
            ));
        }
        let mut accepted: BTreeMap<Identity, (usize, usize)> = BTreeMap::new();
        for (index, entry) in file.findings.iter().enumerate() {
            let slot = accepted.entry(entry.identity()).or_insert((0, index));
            slot.0 = slot.0.saturating_add(entry.count);
        }
        Ok(Baseline { accepted })
    }

    /// Leave out of `findings` those the baseline accepts, up to each entry's count.
    pub fn apply(
        &self,
        findings: &mut Vec<Finding>,
        file_of: impl Fn(&Finding) -> String,
    ) -> Applied {
        let mut left: BTreeMap<&Identity, usize> =
            self.accepted.iter().map(|(id, (n, _))| (id, *n)).collect();
        let before = findings.len();
        findings.retain(|f| match left.get_mut(&identity(f, &file_of(f))) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        Applied {
            baselined: before - findings.len(),
            stale: left.values().sum(),
        }
    }

    /// The entries of `self` (the head's baseline) that accept more than `base` does, in the
    /// order of the head's file.
    pub fn added(&self, base: &Baseline) -> Vec<Added> {
        let mut added: Vec<Added> = self
            .accepted
            .iter()
            .filter_map(|(id, (n, index))| {
                let before = base.accepted.get(id).map_or(0, |(b, _)| *b);
                (*n > before).then(|| Added {
                    index: *index,
                    more: n - before,
                    code: id.code.clone(),
                    subject: id.subject.clone(),
                })
            })
            .collect();
        added.sort_by_key(|a| a.index);
        added
    }
}

/// An entry of a head's baseline that accepts more than the base's.
#[derive(Debug, PartialEq, Eq)]
pub struct Added {
    /// Its index in the head's `findings`.
    pub index: usize,
    /// How many more findings it accepts.
    pub more: usize,
    pub code: String,
    /// The object, or the file of a finding about no object.
    pub subject: String,
}

/// serde's message without the position it appends (the caller says where).
fn plain(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text.get(..at).unwrap_or(&text).to_string(),
        None => text,
    }
}

/// Where each entry of a baseline file's `findings` is written, by index (JSON is YAML, whose
/// reader keeps places).
pub fn entry_spans(text: &str) -> Vec<Option<Span>> {
    parse_yaml(text, &EVERYTHING)
        .iter()
        .find_map(|d| d.result.as_ref().ok())
        .and_then(|root| root.get("findings"))
        .and_then(|f| f.as_seq())
        .map(|entries| entries.iter().map(|e| e.span).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
