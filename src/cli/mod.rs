//! Command-line interface: the top-level arguments and the commands (this file), each command's
//! arguments (`args.rs`), what each command does (`run.rs`, `diff.rs`) and the errors that end a
//! run with exit code 2 (`error.rs`).

mod args;
#[macro_use]
mod console;
mod diff;
mod error;
mod init;
mod inputs;
mod output;
mod run;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use args::{
    CompletionsArgs, DiffArgs, DiffFormat, ExplainArgs, LintArgs, PlanArgs, PlanFormat, RulesArgs,
    RulesFormat, WalkArgs, WeightsArgs, WeightsCluster, WeightsFormat,
};
pub use error::Error;
pub use init::InitArgs;
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
    /// Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Say on standard error which config file is used
    #[arg(long, short, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Print the findings (or the plan) alone: no notes, no summary line
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or
    /// CLICOLOR_FORCE colour a log that is no terminal)
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
  lbplan lint -f concise --fail-on warning 'clusters/*/'
  lbplan lint --statistics manifests/
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

Both sides are read, rendered and planned as `plan` does, each from its own root, both with
the base's .lbplan.yaml (LB516 reports what the head's would relax); pod snapshots and exports
describe the live cluster: both sides use the head's.

Exit codes: 0 nothing at or above --fail-on; 1 a transition finding or a lint finding new in the
head at or above it, or a side with documents that could not be read; 2 usage, config, I/O or git
error; 3 with --exit-code only: the plan changed and nothing reached --fail-on.")]
    Diff(DiffArgs),

    /// Write the .lbplan.yaml lbplan infers for the repository (clusters, sources, provider)
    #[command(after_help = "\
Examples:
  lbplan init                  write .lbplan.yaml at the repository's root
  lbplan init --stdout         print it instead

The clusters are those of the repository's Argo CD and Flux objects (each source a
clusters[].sources entry), and `rest: true` for the files they do not deploy; each line's comment
says where it comes from. An existing .lbplan.yaml or .lbplan.yml is never replaced.

Exit codes: 0 written (or printed); 2 a config is there already, or a usage or I/O error.")]
    Init(InitArgs),

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
