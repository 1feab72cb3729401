//! Command-line interface: the arguments (this file), what each command does (`run.rs`) and the
//! errors that end a run with exit code 2 (`error.rs`).

mod diff;
mod error;
mod run;

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

use crate::config::FactFlags;
use crate::plan::calculator::{ClusterArg, ClusterArgError};
use crate::report::Renderer;
use crate::rules::Severity;

pub use error::Error;
pub use run::main;

const EXAMPLES: &str = "\
Examples:
  lbplan lint manifests/                          lint a folder (recursive *.yaml *.yml *.json)
  lbplan lint --provider huawei-cce --flavor turbo --k8s-version v1.28.8-r0 manifests/
  helm template web ./chart | lbplan lint -      lint rendered output from standard input
  lbplan plan manifests/                          the listeners, backend groups and weights
  lbplan weights --cluster a=80:node:3,1,1 --cluster b=20:pod:7
  lbplan diff --base-rev main                     what this branch does to the load balancers
  lbplan explain LB101                            why a rule matters and how to fix it";

/// Lint Kubernetes manifests for cloud load-balancer conflicts, and plan the listeners, backend
/// groups and weights that Huawei CCE, China Telecom Cloud CCE and Tencent TKE would build.
#[derive(Debug, Parser)]
#[command(name = "lbplan", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    /// Config file (default: .lbplan.yaml in the working folder or its parents)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Say on standard error which config file is used
    #[arg(long, short, global = true)]
    pub verbose: bool,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report load-balancer conflicts, each at its file and line
    #[command(after_help = "\
Examples:
  lbplan lint manifests/
  lbplan lint --format json --output report.json manifests/
  lbplan lint --fail-on warning 'clusters/*/'
  kubectl kustomize overlays/prod | lbplan lint --stdin-name overlays/prod -

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage, config or I/O error (findings of readable files are still reported).")]
    Lint(LintArgs),

    /// Show the plan: load balancers, listeners, backend groups, members and weights
    #[command(after_help = "\
Examples:
  lbplan plan manifests/
  lbplan plan --flavor turbo --pods pods.yaml --format json manifests/
  lbplan --config multi-cluster.yaml plan")]
    Plan(PlanArgs),

    /// Compute cross-cluster backend weights, exactly as CCE rounds them
    #[command(after_help = "\
Examples:
  lbplan weights --cluster a=80:node:3,1,1 --cluster b=20:pod:7
      cluster a: weight 80, node mode, 3 nodes hosting 3, 1 and 1 target pods
      cluster b: weight 20, pod mode (pass-through), 7 pods
  lbplan weights manifests/        the weighted listeners of the manifests")]
    Weights(WeightsArgs),

    /// What a change does to the load balancers: the plans of a base and a head compared
    #[command(after_help = "\
Examples:
  lbplan diff --base-rev main                     this branch against its merge base with main
  lbplan diff --base-rev HEAD^1 --format github --summary \"$GITHUB_STEP_SUMMARY\"
  lbplan diff --base-rev v1.4 --head-rev v1.5 --format json manifests/
  lbplan diff --base-root ../main-checkout --format markdown --output diff.md

Both sides are read, rendered and planned as `plan` does, each with its own .lbplan.yaml;
pod snapshots and exports describe the live cluster: both sides use the head's.

Exit codes: 0 nothing at or above --fail-on; 1 a transition finding or a lint finding new in the
head at or above it, or a side with documents that could not be read; 2 usage, config, I/O or git
error; 3 with --exit-code only: the plan changed and nothing reached --fail-on.")]
    Diff(DiffArgs),

    /// List the rules
    #[command(after_help = "\
Examples:
  lbplan rules
  lbplan rules --format json")]
    Rules(RulesArgs),

    /// Explain a rule: what it checks, why it matters, an example and the fix
    #[command(after_help = "\
Examples:
  lbplan explain LB101
  lbplan explain weight-drift")]
    Explain(ExplainArgs),

    /// Print shell completions
    #[command(after_help = "\
Examples:
  lbplan completions bash > /etc/bash_completion.d/lbplan
  lbplan completions zsh > \"${fpath[1]}/_lbplan\"")]
    Completions(CompletionsArgs),
}

/// Which files folder walks read.
#[derive(Debug, Clone, Default, Args)]
pub struct WalkArgs {
    /// Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a
    /// `/` before its end is relative to the working folder; repeatable)
    #[arg(long, value_name = "GLOB", help_heading = "Inputs")]
    pub exclude: Vec<String>,

    /// Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in
    /// excludes (vendor/, node_modules/, testdata/, ...) skip
    #[arg(long, help_heading = "Inputs")]
    pub no_ignore: bool,

    /// Do not render Kustomize overlays (runs no program): each overlay gets a note, and its
    /// files are not linted
    #[arg(long, help_heading = "Inputs")]
    pub no_render: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning uploads
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML, for CI test viewers
    Junit,
}

impl LintFormat {
    /// The renderer of this format. `color` and `width` apply to human output, `fail_on` to JUnit
    /// (findings at or above it are failures).
    pub fn renderer(self, color: bool, width: usize, fail_on: FailOn) -> Box<dyn Renderer> {
        use crate::report::{github, human, json, junit, sarif};
        match self {
            LintFormat::Human => Box::new(human::Human { color, width }),
            LintFormat::Json => Box::new(json::Json),
            LintFormat::Sarif => Box::new(sarif::Sarif),
            LintFormat::Github => Box::new(github::Github),
            LintFormat::Junit => Box::new(junit::Junit {
                fail_at: fail_on.threshold(),
            }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FailOn {
    Info,
    Warning,
    Error,
    Never,
}

impl FailOn {
    /// The lowest severity that fails the run; `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Error => Some(Severity::Error),
            FailOn::Never => None,
        }
    }

    /// Whether a finding of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        self.threshold().is_some_and(|t| severity >= t)
    }
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files, folders, glob patterns, or - for standard input
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,

    /// Write the report to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// Report only these rules: codes (LB101), code prefixes (LB1) or names, comma-separated
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not report these rules: codes, code prefixes or names, comma-separated
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// How findings name standard input
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_name: String,

    /// Lint standard input and the PATHs as the config's cluster NAME (without PATHs: only that
    /// cluster's paths)
    #[arg(long, value_name = "NAME", value_parser = cluster_name, help_heading = "Inputs")]
    pub cluster: Option<String>,

    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(flatten)]
    pub facts: FactFlags,
}

/// `--cluster NAME` of `lint` and `plan`: the name of a configured cluster. The weight
/// calculator's `NAME=W:MODE:PLACEMENT` belongs to `lbplan weights`, and is refused here with that
/// advice rather than taken for a name.
fn cluster_name(text: &str) -> Result<String, String> {
    if text.contains('=') {
        return Err(
            "NAME=W:MODE:PLACEMENT is the weight calculator's form (lbplan weights --cluster); here --cluster takes the name of a cluster in the config"
                .into(),
        );
    }
    let name = text.trim();
    if name.is_empty() {
        return Err("the cluster name is empty".into());
    }
    Ok(name.to_string())
}

/// A `--cluster` value of `lbplan weights`: with `=`, a calculator group
/// (`NAME=W:MODE:PLACEMENT`); without, the cluster that standard input and the PATHs belong to.
/// Cluster names never hold `=`, so the two cannot be taken for each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WeightsCluster {
    Group(ClusterArg),
    Name(String),
}

impl std::str::FromStr for WeightsCluster {
    type Err = ClusterArgError;

    fn from_str(text: &str) -> Result<WeightsCluster, ClusterArgError> {
        if text.contains('=') {
            return text.parse().map(WeightsCluster::Group);
        }
        let name = text.trim();
        if name.is_empty() {
            return Err(ClusterArgError::EmptyName);
        }
        Ok(WeightsCluster::Name(name.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Table,
    Json,
    Yaml,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Files, folders, glob patterns, or - for standard input
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,

    /// Write the plan to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// List every member one by one (up to 10,000 in a run), rather than identical and assumed
    /// members counted in one row or entry
    #[arg(long)]
    pub members: bool,

    /// How the plan names standard input
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_name: String,

    /// Plan standard input and the PATHs as the config's cluster NAME (without PATHs: only that
    /// cluster's paths)
    #[arg(long, value_name = "NAME", value_parser = cluster_name, help_heading = "Inputs")]
    pub cluster: Option<String>,

    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(flatten)]
    pub facts: FactFlags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WeightsFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct WeightsArgs {
    /// Files, folders, glob patterns, or - (when no --cluster is given)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A cluster's group for the calculator: NAME=W:MODE:PLACEMENT, MODE pod or node, PLACEMENT
    /// target pods per node (3,1,1) or, in pod mode, a pod count (7). A plain NAME (no `=`)
    /// instead reads standard input and the PATHs as the config's cluster NAME
    #[arg(long = "cluster", value_name = "NAME=W:MODE:PLACEMENT|NAME")]
    pub clusters: Vec<WeightsCluster>,

    /// Output format
    #[arg(long, value_enum, default_value_t = WeightsFormat::Table)]
    pub format: WeightsFormat,

    /// List every member one by one (up to 10,000 in a run), rather than identical and assumed
    /// members counted in one row or entry
    #[arg(long)]
    pub members: bool,

    /// How the plan names standard input
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_name: String,

    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(flatten)]
    pub facts: FactFlags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    /// For a pull-request comment or $GITHUB_STEP_SUMMARY
    Markdown,
    Json,
    /// GitHub Actions workflow commands (annotations on the head's lines)
    Github,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("base").required(true).args(["base_root", "base_rev"])))]
pub struct DiffArgs {
    /// Files, folders or glob patterns, relative to the working folder: each side reads the same
    /// (default: each side's config paths, else .)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The base is this folder: the same relative inputs under it (a checkout of the target
    /// branch, say)
    #[arg(long, value_name = "DIR", help_heading = "Sides")]
    pub base_root: Option<PathBuf>,

    /// The base is this git revision, read without a checkout: the merge base of REV and the head
    /// (HEAD, or --head-rev), as a pull request is compared
    #[arg(long, value_name = "REV", help_heading = "Sides")]
    pub base_rev: Option<String>,

    /// Read the head from git too, at REV (default: the working folder, uncommitted edits
    /// included)
    #[arg(
        long,
        value_name = "REV",
        requires = "base_rev",
        help_heading = "Sides"
    )]
    pub head_rev: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Write the report to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also append the Markdown report to FILE, in the same run ("$GITHUB_STEP_SUMMARY")
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,

    /// Lowest severity of a transition finding, or of a lint finding new in the head, that makes
    /// the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// Exit code 3 when the plan changed and nothing reached --fail-on
    #[arg(long)]
    pub exit_code: bool,

    /// Report only these rules: codes (LB505), code prefixes (LB5) or names, comma-separated
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not report these rules: codes, code prefixes or names, comma-separated
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Markdown: the most bytes to write; load balancers' details are dropped before findings
    #[arg(long, value_name = "N", default_value_t = 60_000)]
    pub max_bytes: usize,

    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(flatten)]
    pub facts: FactFlags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (LB101) or name (listener-conflict)
    #[arg(value_name = "CODE|NAME")]
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
