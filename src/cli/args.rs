//! The arguments of each command, as clap parses them: their doc comments are the `--help` text
//! and the shell completions (`scripts/completions` writes those; a test fails when they are
//! stale). `mod.rs` holds the top-level `Cli` and the list of commands.

use std::path::PathBuf;

use clap::{ArgGroup, Args, ValueEnum};

use crate::config::FactFlags;
use crate::plan::calculator::{ClusterArg, ClusterArgError};
use crate::report::{Renderer, TerminalOutput};
use crate::rules::Severity;

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

    /// Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a
    /// note, the charts one note, and their files are not linted
    #[arg(long, help_heading = "Inputs")]
    pub no_render: bool,

    /// The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize's
    /// engine on PATH). Also LBPLAN_KUSTOMIZE; a repository's config never names a program
    #[arg(long, value_name = "FILE", help_heading = "Inputs")]
    pub kustomize_bin: Option<PathBuf>,

    /// The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository's config never
    /// names a program
    #[arg(long, value_name = "FILE", help_heading = "Inputs")]
    pub helm_bin: Option<PathBuf>,

    /// Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)
    #[arg(long, help_heading = "Inputs")]
    pub no_remote: bool,

    /// Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR):
    /// every overlay is rendered
    #[arg(long, help_heading = "Inputs")]
    pub no_cache: bool,
}

impl WalkArgs {
    /// The renderer named by `--kustomize-bin`, else `LBPLAN_KUSTOMIZE` (empty counts as unset),
    /// made absolute against the working folder now, before any side's folder is entered.
    pub fn kustomize_program(&self) -> Option<crate::exec::Named> {
        crate::exec::named(
            self.kustomize_bin
                .as_deref()
                .map(|path| ("--kustomize-bin", path)),
            Some("LBPLAN_KUSTOMIZE"),
        )
    }

    /// The helm named by `--helm-bin`, else `LBPLAN_HELM` (empty counts as unset), made absolute
    /// against the working folder now, before any side's folder is entered.
    pub fn helm_program(&self) -> Option<crate::exec::Named> {
        crate::exec::named(
            self.helm_bin.as_deref().map(|path| ("--helm-bin", path)),
            Some("LBPLAN_HELM"),
        )
    }

    /// The render cache of the run: on disk unless `--no-cache` (`crate::cache`).
    pub fn render_cache(&self) -> std::sync::Arc<crate::cache::Store> {
        std::sync::Arc::new(crate::cache::Store::from_env(self.no_cache))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    /// One line per finding: FILE:LINE:COL: SEVERITY[CODE] MESSAGE
    Concise,
    Json,
    /// SARIF 2.1.0, for code-scanning uploads
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML, for CI test viewers
    Junit,
}

impl LintFormat {
    /// The renderer of this format. `color` and `width` apply to human and concise output,
    /// `quiet` to those and GitHub commands, `fail_on` to JUnit (findings at or above it are
    /// failures).
    pub fn renderer(self, terminal: TerminalOutput, fail_on: FailOn) -> Box<dyn Renderer> {
        use crate::report::findings::{concise, github, human, json, junit, sarif};
        let TerminalOutput {
            color,
            width,
            quiet,
        } = terminal;
        match self {
            LintFormat::Human => Box::new(human::Human {
                color,
                width,
                quiet,
            }),
            LintFormat::Concise => Box::new(concise::Concise { color, quiet }),
            LintFormat::Json => Box::new(json::Json),
            LintFormat::Sarif => Box::new(sarif::Sarif),
            LintFormat::Github => Box::new(github::Github { quiet }),
            LintFormat::Junit => Box::new(junit::Junit {
                fail_at: fail_on.threshold(),
            }),
        }
    }

    /// Whether this format names files for CI (GitHub annotations, SARIF, JUnit): from the
    /// repository root rather than the working folder.
    pub fn for_ci(self) -> bool {
        matches!(
            self,
            LintFormat::Sarif | LintFormat::Github | LintFormat::Junit
        )
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
    #[arg(long, short, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,

    /// Write the report to FILE instead of standard output (the summary line still goes to
    /// standard error)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Count the findings of each rule instead of listing them (human, concise or json)
    #[arg(long)]
    pub statistics: bool,

    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// Report only findings the baseline FILE (from --write-baseline) does not accept; the
    /// summary counts the others
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in FILE as the baseline (JSON, no line numbers) and exit 0
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

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
    #[arg(long, short, value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,

    /// Tables as wide as their content, rather than fitted to the terminal ($COLUMNS, else its
    /// width, else 100)
    #[arg(long)]
    pub wide: bool,

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
    #[arg(long, short, value_enum, default_value_t = WeightsFormat::Table)]
    pub format: WeightsFormat,

    /// Tables as wide as their content, rather than fitted to the terminal ($COLUMNS, else its
    /// width, else 100)
    #[arg(long)]
    pub wide: bool,

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
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Human)]
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

    /// The baseline FILE (from `lint --write-baseline`), read on each side: the base's accepts
    /// lint findings on both sides; what the head's adds is reported (LB516)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Report only these rules: codes (LB505), code prefixes (LB5) or names, comma-separated
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not report these rules: codes, code prefixes or names, comma-separated
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Markdown (and --summary): the most bytes to write, a hard bound; what does not fit is left
    /// out and counted, load balancers' details before findings
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
    #[arg(long, short, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,

    /// The table as wide as its content, rather than fitted to the terminal ($COLUMNS, else its
    /// width, else 100)
    #[arg(long)]
    pub wide: bool,
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
