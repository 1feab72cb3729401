//! What a rule reports.

use serde::Serialize;
use strum::{Display, IntoStaticStr};

use super::RuleMeta;
use crate::model::ObjectId;
use crate::source::Origin;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Display, IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The other side of a finding: the object it conflicts with, the first of two duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub origin: Origin,
    /// `Kind/namespace/name` of the object there, if any.
    pub object: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a finding is reported only once pushed to the Sink"]
pub struct Finding {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The caption under the primary span: what is wrong exactly there.
    pub caption: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    pub origin: Origin,
    pub cluster: Option<String>,
    /// The folder of the object's placement, for a copy planned once per folder (see
    /// `model/placement.rs`): what tells two copies' findings apart beside their files.
    pub placement: Option<String>,
    /// `Kind/namespace/name` of the object the finding is about.
    pub object: Option<String>,
    /// Index of that object in the inventory, for suppression by its annotations.
    pub object_id: Option<ObjectId>,
    /// Workloads or Pods whose pods the finding is about: their pod templates' annotations may
    /// suppress it too.
    pub pods_of: Vec<ObjectId>,
    pub related: Vec<Related>,
}

impl Finding {
    pub fn new(meta: &'static RuleMeta, origin: Origin, message: impl Into<String>) -> Finding {
        Finding {
            code: meta.code,
            rule: meta.name,
            severity: meta.severity,
            message: message.into(),
            caption: None,
            help: None,
            origin,
            cluster: None,
            placement: None,
            object: None,
            object_id: None,
            pods_of: Vec::new(),
            related: Vec::new(),
        }
    }

    /// The finding is about the pods of these workloads or Pods.
    pub fn about_pods(mut self, sources: impl IntoIterator<Item = ObjectId>) -> Self {
        self.pods_of.extend(sources);
        self
    }

    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn related(
        mut self,
        origin: Origin,
        object: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            origin,
            object,
            message: message.into(),
        });
        self
    }
}
