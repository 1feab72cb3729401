//! Where each cluster fact comes from. Precedence, highest first: a command-line flag, the
//! config's `clusters[]`, what a kubectl export shows, what the manifests say (a ConfigMap of
//! the cluster among them, the provider's annotations on the objects).

use std::fmt;

use serde::Serialize;
use strum::IntoStaticStr;

/// The kind of place a fact was read from, highest precedence first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Source {
    /// `--provider`, `--k8s-version`, ...
    Flag,
    /// `clusters[]` in the config file.
    Config,
    /// A kubectl export (`--cluster-export`, `clusters[].exports`, `--pods`, `clusters[].pods`).
    Export,
    /// An object among the manifests that describes the cluster (a kube-system ConfigMap).
    Manifests,
    /// The provider's annotations on the Services and Ingresses (per object).
    Annotations,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Given by the user rather than inferred.
    pub fn is_explicit(self) -> bool {
        matches!(self, Source::Flag | Source::Config)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where one fact's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    pub source: Source,
    /// What shows it: `nodes.yaml: spec.providerID qcloud:///100003/ins-jifjbvhg (3 of 3 nodes)`.
    /// Values are lbplan's reading of a field, never a ConfigMap's data as written.
    pub evidence: String,
    /// The file the value was read from (an export, the config, a manifest), when there is one.
    pub file: Option<String>,
}

impl Provenance {
    pub fn new(source: Source, evidence: impl Into<String>, file: Option<String>) -> Provenance {
        Provenance {
            source,
            evidence: evidence.into(),
            file,
        }
    }

    /// Inferred rather than given: a finding resting on it says where it comes from.
    pub fn is_inferred(&self) -> bool {
        !self.source.is_explicit()
    }
}

/// What the user should know about one fact of a cluster, beside its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remark {
    pub kind: RemarkKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemarkKind {
    /// An explicit value differs from what an export shows: the explicit value is used.
    Overridden,
    /// Exports (or the manifests) disagree with each other: nothing is inferred.
    Conflict,
    /// Why the exports do not tell the fact.
    Unknown,
    /// Something to know about the value (`CCE family: Huawei or CT Cloud`).
    Info,
}

impl RemarkKind {
    /// A note of the run (lint notes, plan's standard error), not only in the facts.
    pub fn is_note(self) -> bool {
        matches!(self, RemarkKind::Overridden | RemarkKind::Conflict)
    }
}

impl Remark {
    pub fn new(kind: RemarkKind, text: impl Into<String>) -> Remark {
        Remark {
            kind,
            text: text.into(),
        }
    }
}
