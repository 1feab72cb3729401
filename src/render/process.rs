//! The Kustomize renderer's fixed argument lists: `kustomize build DIR` or `kubectl kustomize
//! DIR`, and once per run its version query (`kustomize version`, `kubectl version --client -o
//! yaml`). The process itself is started by `exec` (the only module that starts one), in its own
//! process group, with a cleared environment plus an allow-list, and killed with its group past
//! its time limit.
//!
//! Fixed arguments, no shell: the program is run directly with one of the argument lists below and
//! a folder. `--enable-helm`, `--enable-exec`, `--enable-alpha-plugins` and `--load-restrictor`
//! are never passed, so Kustomize keeps its defaults: no Helm, no exec or container plugins, and
//! files loaded only from inside each kustomization's folder. Which program runs is the choice of
//! the person running lbplan alone: `--kustomize-bin` or `LBPLAN_KUSTOMIZE`, else an engine name
//! (`render.kustomize`: `kustomize`, `kubectl` or `oc`) looked up on `PATH`'s absolute entries.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::time::Duration;

use crate::exec::{
    self, Captured, Limits, Named, Program, Request, ResolveError, RunError, Scratch,
};
use crate::source::read::Budget;

/// How a renderer is asked to build: `kustomize build DIR` or `kubectl kustomize DIR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Kustomize,
    /// `kubectl`, and `oc` which embeds the same command.
    Kubectl,
}

const KUSTOMIZE_BUILD: &[&str] = &["build"];
const KUBECTL_BUILD: &[&str] = &["kustomize"];
const KUSTOMIZE_VERSION: &[&str] = &["version"];
const KUBECTL_VERSION: &[&str] = &["version", "--client", "-o", "yaml"];

/// The variables a renderer gets besides `exec`'s allow-list: Kustomize fetches remote bases
/// with git, and a credential prompt on a terminal would wait for an answer nobody gives.
const RENDER_ENV: &[(&str, &str)] = &[("GIT_TERMINAL_PROMPT", "0")];
/// With `--no-remote`, git is also forbidden every transport, should a remote base slip past
/// the check before rendering.
const NO_REMOTE_ENV: &[(&str, &str)] = &[
    ("GIT_TERMINAL_PROMPT", "0"),
    ("GIT_CONFIG_COUNT", "1"),
    ("GIT_CONFIG_KEY_0", "protocol.allow"),
    ("GIT_CONFIG_VALUE_0", "never"),
];

/// A rendered stream larger than this is refused rather than held in memory.
const MAX_OUTPUT: u64 = 512 << 20;

/// The program that renders overlays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renderer {
    pub program: Program,
    pub style: Style,
}

impl Renderer {
    /// The first of `engines` on `path_var` (the value of `PATH`), absolute entries only.
    pub fn on_path(engines: &[&str], path_var: Option<&OsStr>) -> Result<Renderer, ResolveError> {
        Program::on_path(engines, path_var).map(Renderer::from_program)
    }

    /// The program `--kustomize-bin` or `LBPLAN_KUSTOMIZE` names.
    pub fn named(named: &Named) -> Result<Renderer, ResolveError> {
        Program::from_named(named).map(Renderer::from_program)
    }

    /// A program named `kubectl...` or `oc` is asked `kubectl kustomize DIR`, any other
    /// `PROGRAM build DIR`.
    fn from_program(program: Program) -> Renderer {
        let name = program.name();
        let stem = Path::new(&name)
            .file_stem()
            .and_then(OsStr::to_str)
            .unwrap_or_default()
            .to_string();
        let style = if stem.starts_with("kubectl") || stem == "oc" {
            Style::Kubectl
        } else {
            Style::Kustomize
        };
        Renderer { program, style }
    }

    /// The program's name as commands a user runs by hand show it (`kubectl`).
    pub fn name(&self) -> String {
        self.program.name()
    }

    /// The fixed arguments that build an overlay, before its folder.
    pub fn build_args(&self) -> &'static [&'static str] {
        match self.style {
            Style::Kustomize => KUSTOMIZE_BUILD,
            Style::Kubectl => KUBECTL_BUILD,
        }
    }

    /// The command a user would run to render `dir` by hand (`kubectl kustomize overlays/prod`).
    pub fn command_line(&self, dir: &str) -> String {
        format!("{} {} {dir}", self.name(), self.build_args().join(" "))
    }

    /// Render the kustomization in `dir`.
    pub fn build(&self, dir: &Path, how: &How) -> Result<Captured, RunError> {
        let mut args: Vec<OsString> = self.build_args().iter().map(OsString::from).collect();
        args.push(dir.as_os_str().to_os_string());
        self.run(&args, how, how.budget)
    }

    /// The renderer's version, as the plan's assumptions show it: `kustomize v5.4.3`, or
    /// `kubectl v1.32.4 (Kustomize v5.5.0)`.
    pub fn version(&self, how: &How) -> Result<String, String> {
        let args = match self.style {
            Style::Kustomize => KUSTOMIZE_VERSION,
            Style::Kubectl => KUBECTL_VERSION,
        };
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        // A few lines of text, not rendered manifests: not counted against the run's budget.
        let captured = self.run(&args, how, None).map_err(|e| e.describe())?;
        let text = String::from_utf8_lossy(&captured.stdout);
        if !captured.status.success() {
            return Err(first_line(&String::from_utf8_lossy(&captured.stderr)));
        }
        Ok(describe_version(self.style, &self.name(), &text))
    }

    fn run(
        &self,
        args: &[OsString],
        how: &How,
        budget: Option<&Budget>,
    ) -> Result<Captured, RunError> {
        let fixed = if how.no_remote {
            NO_REMOTE_ENV
        } else {
            RENDER_ENV
        };
        let env: Vec<(&str, &OsStr)> = fixed.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
        exec::run(
            &Request {
                program: &self.program,
                args,
                cwd: None,
                env: &env,
                scratch: how.scratch,
            },
            &Limits {
                timeout: how.timeout,
                max_output: MAX_OUTPUT,
                budget,
                cancel: how.stop,
            },
        )
    }
}

/// How renders run: the time limit, the private folder, the run's budget, `--no-remote`, and
/// what says the run no longer needs them (`Settings::stop`).
pub struct How<'a> {
    pub timeout: Duration,
    pub scratch: &'a Scratch,
    pub budget: Option<&'a Budget>,
    pub no_remote: bool,
    pub stop: Option<&'a std::sync::atomic::AtomicBool>,
}

fn describe_version(style: Style, name: &str, text: &str) -> String {
    match style {
        Style::Kubectl => {
            let parsed: Option<serde_yaml::Value> = serde_yaml::from_str(text).ok();
            let field = |path: &[&str]| {
                let mut at = parsed.as_ref()?;
                for key in path {
                    at = at.get(key)?;
                }
                at.as_str().map(str::to_string)
            };
            match (
                field(&["clientVersion", "gitVersion"]),
                field(&["kustomizeVersion"]),
            ) {
                (Some(git), Some(k)) => format!("{name} {git} (Kustomize {k})"),
                (Some(git), None) => format!("{name} {git}"),
                _ => format!("{name} {}", first_line(text)),
            }
        }
        // `v5.4.3`, `{Version:kustomize/v4.5.7 GitCommit:...}`, `Version: {KustomizeVersion:3.8.7 ...}`
        Style::Kustomize => {
            let version = text
                .split(|c: char| c.is_whitespace() || matches!(c, '/' | ':' | '{' | '}'))
                .find(|word| {
                    let digits = word.trim_start_matches('v');
                    digits.split('.').count() >= 3
                        && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
                });
            match version {
                Some(v) if v.starts_with('v') => format!("{name} {v}"),
                Some(v) => format!("{name} v{v}"),
                None => format!("{name} {}", first_line(text)),
            }
        }
    }
}

/// The first line of `text` that is not blank, trimmed, at most 200 characters (a renderer's
/// error, helm's or Kustomize's).
pub(crate) fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    line.chars().take(200).collect()
}

#[cfg(test)]
mod tests;
