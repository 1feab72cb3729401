//! Helm charts, rendered by the real `helm template` and traced back to their templates and values.
//!
//! lbplan does not re-implement Helm's template engine. It decides which charts to render with
//! which values ([`place`]: every chart of the inputs that is neither a library nor another chart's
//! dependency, with its default values, and the releases `clusters[].helm` names), renders each in
//! a private copy ([`copy`]) with fixed arguments ([`process`]) on the render pool ([`run`]), splits
//! the output on helm's `# Source:` comments ([`stream`]), and maps any place in it back to the
//! values or template line that wrote it ([`locate`]).
//!
//! # The entry point
//!
//! A [`Release`] is everything one render needs: the chart's folder, the release name and
//! namespace, the values files and inline values in precedence order (lowest first, all above the
//! chart's own `values.yaml`), and `--set` parameters (above every file). Detection and the config
//! make releases; GitOps objects make them the same way, with Argo CD's or Flux's semantics
//! already applied (Argo CD: value files, then `values`, then `valuesObject`, then `parameters`;
//! Flux: `valuesFiles`, then `valuesFrom`, then `values`), so nothing here knows where a release
//! came from beyond [`ReleaseSource`], which decides whether a failure is an error of the run.
//!
//! # How the run uses it
//!
//! 1. `load.rs` calls [`place::place`] on the charts discovery met and the config's
//!    `clusters[].helm`; the charts' files were never inputs (`source/helm.rs`).
//! 2. `load/charts.rs` calls [`run::render_all`] and parses each [`RenderedRelease::text`] like
//!    standard input into the release's cluster, objects without a namespace in the release's.
//! 3. `relocate.rs` sends every location in such a stream through [`locate::Locator`].
//! 4. [`summary`] turns what did not render into one note, the errors of configured releases,
//!    `--verbose` lines and JSON records.

mod cached;
pub mod chart;
pub mod copy;
pub mod detect;
pub mod error;
pub mod kube_constraint;
pub mod locate;
pub mod place;
pub mod process;
pub mod run;
pub mod scan;
pub mod state;
pub mod stream;
pub mod summary;

use std::path::PathBuf;

pub use error::HelmFailure;
pub use run::{HelmRun, Outcome, render_all};
pub use stream::RenderedRelease;

/// One chart to render, with the values of one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The chart's folder, as the run reads it (relative to the working folder, or absolute).
    pub chart: PathBuf,
    /// The chart's folder as reports name it (`charts/web`).
    pub chart_name: String,
    /// The release name (`.Release.Name`).
    pub name: String,
    /// The namespace (`.Release.Namespace`, and the namespace of every object that sets none).
    pub namespace: String,
    /// Values above the chart's own, lowest precedence first (helm's `-f` order).
    pub values: Vec<Values>,
    /// `--set` parameters, above every file, in order.
    pub set: Vec<Set>,
    /// The cluster the release's objects join (an index into the run's clusters).
    pub cluster: usize,
    /// `vMAJOR.MINOR.PATCH` for `--kube-version`.
    pub kube_version: String,
    pub source: ReleaseSource,
}

/// Values given to a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Values {
    /// A values file (already confined to the repository), and how reports name it.
    File { path: PathBuf, name: String },
    /// Values written inline (an Argo CD Application's `helm.values`, a Flux HelmRelease's
    /// `values`), as YAML text, and where they were written, for messages. Findings are not
    /// located inside them.
    Inline { text: String, written_in: String },
}

impl Values {
    /// How reports name these values.
    pub fn name(&self) -> &str {
        match self {
            Values::File { name, .. } => name,
            Values::Inline { written_in, .. } => written_in,
        }
    }
}

/// One `--set KEY=VALUE` (`--set-string` when `string`: Argo CD's `forceString`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    pub key: String,
    pub value: String,
    pub string: bool,
}

/// Who asked for a release: a chart only detected never makes a run fail; one the config or a
/// GitOps object names does when it cannot be rendered (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseSource {
    /// Found in the inputs, rendered with its default values.
    Detected,
    /// `clusters[i].helm[j]` in the config (the key, as messages name it).
    Configured { key: String },
    /// An Argo CD Application or a Flux HelmRelease (`Kind/namespace/name`, and its file).
    GitOps { object: String },
}

impl ReleaseSource {
    /// Who named the release, for messages (`clusters[0].helm[1] in the config`); `None` for a
    /// detected chart, whose failure to render is no error of the run.
    pub fn named_by(&self) -> Option<String> {
        match self {
            ReleaseSource::Detected => None,
            ReleaseSource::Configured { key } => Some(format!("{key} in the config")),
            ReleaseSource::GitOps { object } => Some(object.clone()),
        }
    }
}

impl Release {
    /// The chart and release as messages name them: `Helm chart charts/web` when the release is
    /// named after the chart in `default`, else `Helm chart charts/web (release web-prod,
    /// namespace prod)`.
    pub fn label(&self) -> String {
        let folder = self
            .chart
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if self.name == folder && self.namespace == "default" {
            format!("Helm chart {}", self.chart_name)
        } else {
            format!(
                "Helm chart {} (release {}, namespace {})",
                self.chart_name, self.name, self.namespace
            )
        }
    }
}

/// Why charts are not rendered at all in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Off {
    /// `--no-render`.
    Flag,
    /// `render.helm: off` in the config.
    Config,
}

impl Off {
    /// The words that say so, in parentheses of notes.
    pub fn words(self) -> &'static str {
        match self {
            Off::Flag => "--no-render",
            Off::Config => "render.helm: off",
        }
    }
}

/// How charts are rendered in a run, besides what Kustomize renders share (time limit, threads,
/// temporary folder, progress: `render::Settings`).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The program the person running lbplan named (`--helm-bin`, `LBPLAN_HELM`), which runs
    /// instead of `helm` on `PATH`.
    pub program: Option<crate::exec::Named>,
    /// Nothing is rendered, and why.
    pub off: Option<Off>,
}
