//! helm's fixed arguments: `helm template RELEASE /abs/copy --namespace NS --skip-tests [-f
//! FILE]… [--set K=V]… --kube-version vMAJOR.MINOR.PATCH [--skip-schema-validation]`, and once per
//! run `helm version --short`. The process itself is started by `exec` (the only module that
//! starts one), in its own process group, with a cleared environment plus the allow-list, helm's
//! cache, config and data homes in the private scratch folder, and killed with its group past its
//! time limit.
//!
//! Fixed arguments, no shell. RELEASE and NS were checked as helm's names (`config/helm.rs`), the
//! chart and every values file are lbplan's private copies (absolute paths in its temporary
//! folder), and `--set` keys were checked not to read as flags, their values escaped so that a
//! comma stays in the value. Never passed: `--post-renderer` (it runs a program), `--repo` and
//! `--dependency-update` (they fetch charts over the network and write into the chart),
//! `--enable-dns` (lookups), `--validate` and `--dry-run=server` (they contact a cluster), and no
//! URL as a values file. `--skip-schema-validation` is passed whenever helm knows it (v3.16 and
//! later): helm 3.17 fetches the remote `$ref`s of a `values.schema.json` over the network and
//! reads its `file://` ones from anywhere on disk, which a pull request would choose; the private
//! copy leaves every `values.schema.json` out as well, so that older helm validates nothing either.
//! Which program runs is the choice of the person running lbplan alone: `--helm-bin` or
//! `LBPLAN_HELM`, else `helm` on `PATH`'s absolute entries.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::time::Duration;

use crate::exec::{
    self, Captured, Limits, Named, Program, Request, ResolveError, RunError, Scratch,
};
use crate::facts::K8sVersion;
use crate::source::read::Budget;

const TEMPLATE: &str = "template";
const NAMESPACE: &str = "--namespace";
const SKIP_TESTS: &str = "--skip-tests";
const VALUES: &str = "-f";
const SET: &str = "--set";
const SET_STRING: &str = "--set-string";
const KUBE_VERSION: &str = "--kube-version";
const SKIP_SCHEMA_VALIDATION: &str = "--skip-schema-validation";
const VERSION: &[&str] = &["version", "--short"];

/// The Kubernetes version charts are rendered for when the cluster's is unknown: a version every
/// CCE and TKE cluster offered in 2025, stated in the plan's assumptions.
pub const DEFAULT_KUBE_VERSION: &str = "v1.31.0";

/// A rendered stream larger than this is refused rather than held in memory.
const MAX_OUTPUT: u64 = 512 << 20;

/// The helm that renders charts, and what its version allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Helm {
    pub program: Program,
    /// `v3.17.1`, or why it is unknown.
    pub version: Result<String, String>,
    /// Whether helm knows `--skip-schema-validation` (v3.16 and later; unknown versions are
    /// assumed older, which only costs the flag).
    pub skips_schema: bool,
}

/// How one helm process runs: its time limit, its private folder, the run's budget.
pub struct How<'a> {
    pub timeout: Duration,
    pub scratch: &'a Scratch,
    pub budget: Option<&'a Budget>,
}

/// One render's arguments beyond the fixed ones.
pub struct Invocation<'a> {
    pub release: &'a str,
    pub namespace: &'a str,
    /// The private copy of the chart (absolute).
    pub chart: &'a Path,
    /// The private copies of the values files, lowest precedence first (absolute).
    pub values: &'a [std::path::PathBuf],
    pub set: &'a [super::Set],
    pub kube_version: &'a str,
}

impl Helm {
    /// The program `--helm-bin` or `LBPLAN_HELM` names, else `helm` on `PATH`.
    pub fn find(named: Option<&Named>) -> Result<Program, ResolveError> {
        match named {
            Some(named) => Program::from_named(named),
            None => Program::on_path(&["helm"], std::env::var_os("PATH").as_deref()),
        }
    }

    /// The helm at `program`, whose version is `version` (asked, or cached by its identity).
    pub fn with_version(program: Program, version: Result<String, String>) -> Helm {
        let skips_schema = version.as_deref().is_ok_and(at_least_3_16);
        Helm {
            program,
            version,
            skips_schema,
        }
    }

    /// Ask `program` its version (`helm version --short`: `v3.17.1`).
    pub fn ask_version(program: &Program, how: &How) -> Result<String, String> {
        let args: Vec<OsString> = VERSION.iter().map(OsString::from).collect();
        // A line of text, not rendered manifests: not counted against the run's budget.
        let asked = run(program, &args, how, None);
        match asked {
            Ok(captured) if captured.status.success() => {
                let text = String::from_utf8_lossy(&captured.stdout);
                let word = text.split_whitespace().next().unwrap_or_default();
                let version = word.split('+').next().unwrap_or_default();
                if version.starts_with('v') {
                    Ok(version.chars().take(40).collect::<String>())
                } else {
                    Err(format!(
                        "`helm version --short` printed {}",
                        crate::render::process::first_line(&text)
                    ))
                }
            }
            Ok(captured) => Err(crate::render::process::first_line(
                &String::from_utf8_lossy(&captured.stderr),
            )),
            Err(e) => Err(e.describe()),
        }
    }

    /// The arguments of one render, in the order docs/rendering.md shows.
    pub fn args(&self, call: &Invocation) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec![
            TEMPLATE.into(),
            call.release.into(),
            call.chart.as_os_str().to_os_string(),
            NAMESPACE.into(),
            call.namespace.into(),
            SKIP_TESTS.into(),
        ];
        for file in call.values {
            args.push(VALUES.into());
            args.push(file.as_os_str().to_os_string());
        }
        for set in call.set {
            args.push(if set.string { SET_STRING } else { SET }.into());
            args.push(set_argument(set).into());
        }
        args.push(KUBE_VERSION.into());
        args.push(call.kube_version.into());
        if self.skips_schema {
            args.push(SKIP_SCHEMA_VALIDATION.into());
        }
        args
    }

    /// Render: run `helm` with `args` (from [`Helm::args`]).
    pub fn template(&self, args: &[OsString], how: &How) -> Result<Captured, RunError> {
        run(&self.program, args, how, how.budget)
    }
}

/// The command a user would run to render the release by hand, with the repository's paths:
/// `helm template web charts/web --namespace prod --skip-tests -f charts/web/values-prod.yaml
/// --kube-version v1.28.8`.
pub fn command_line(release: &super::Release) -> String {
    let mut words = vec![
        "helm".to_string(),
        TEMPLATE.to_string(),
        release.name.clone(),
        release.chart_name.clone(),
        NAMESPACE.to_string(),
        release.namespace.clone(),
        SKIP_TESTS.to_string(),
    ];
    for values in &release.values {
        if let super::Values::File { name, .. } = values {
            words.push(VALUES.to_string());
            words.push(name.clone());
        }
    }
    for set in &release.set {
        words.push(if set.string { SET_STRING } else { SET }.to_string());
        words.push(set_argument(set));
    }
    words.push(KUBE_VERSION.to_string());
    words.push(release.kube_version.clone());
    words.join(" ")
}

/// `KEY=VALUE` as helm's `--set` parser reads it: a backslash and a comma in the value escaped,
/// so that the value is one value of one key.
fn set_argument(set: &super::Set) -> String {
    let mut value = String::with_capacity(set.value.len());
    for c in set.value.chars() {
        if matches!(c, '\\' | ',') {
            value.push('\\');
        }
        value.push(c);
    }
    format!("{}={value}", set.key)
}

/// `--kube-version`'s value for a cluster version: `vMAJOR.MINOR.PATCH`, without CCE's `-rN` or
/// `-CCE…` and TKE's `-tke.N` (helm reads those as pre-releases, and `semverCompare ">=1.19.0"`
/// then fails), else [`DEFAULT_KUBE_VERSION`].
pub fn kube_version(version: Option<&K8sVersion>) -> String {
    version.map_or_else(
        || DEFAULT_KUBE_VERSION.to_string(),
        |v| format!("v{}.{}.{}", v.major, v.minor, v.patch.unwrap_or(0)),
    )
}

/// Whether a `vMAJOR.MINOR.PATCH` version is 3.16 or later.
fn at_least_3_16(version: &str) -> bool {
    let mut parts = version
        .trim_start_matches('v')
        .split(['.', '-'])
        .map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor) >= (3, 16),
        _ => false,
    }
}

fn run(
    program: &Program,
    args: &[OsString],
    how: &How,
    budget: Option<&Budget>,
) -> Result<Captured, RunError> {
    let env: [(&str, &OsStr); 0] = [];
    exec::run(
        &Request {
            program,
            args,
            cwd: None,
            env: &env,
            scratch: how.scratch,
        },
        &Limits {
            timeout: how.timeout,
            max_output: MAX_OUTPUT,
            budget,
            cancel: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::Set;

    #[test]
    fn cluster_versions_lose_their_builds() {
        let v = |s: &str| s.parse::<K8sVersion>().expect("version");
        assert_eq!(kube_version(Some(&v("v1.19.16-r2-CCE22.5.1"))), "v1.19.16");
        assert_eq!(kube_version(Some(&v("v1.22.5-tke.9"))), "v1.22.5");
        assert_eq!(kube_version(Some(&v("1.28"))), "v1.28.0");
        assert_eq!(kube_version(None), DEFAULT_KUBE_VERSION);
    }

    #[test]
    fn set_values_stay_one_value() {
        let set = |value: &str| Set {
            key: "a.b".into(),
            value: value.into(),
            string: false,
        };
        assert_eq!(set_argument(&set("x,y=z")), "a.b=x\\,y=z");
        assert_eq!(set_argument(&set("c:\\d")), "a.b=c:\\\\d");
    }

    #[test]
    fn the_schema_flag_follows_the_version() {
        assert!(at_least_3_16("v3.17.1"));
        assert!(at_least_3_16("v4.0.0"));
        assert!(!at_least_3_16("v3.15.4"));
        assert!(!at_least_3_16("dev"));
    }

    #[test]
    fn arguments_are_the_documented_ones_in_order() {
        let helm = Helm {
            program: Program {
                path: "/usr/bin/helm".into(),
            },
            version: Ok("v3.17.1".into()),
            skips_schema: true,
        };
        let values = ["/tmp/x/values/0.yaml".into()];
        let set = [Set {
            key: "service.type".into(),
            value: "LoadBalancer".into(),
            string: true,
        }];
        let args = helm.args(&Invocation {
            release: "web",
            namespace: "prod",
            chart: Path::new("/tmp/x/chart"),
            values: &values,
            set: &set,
            kube_version: "v1.28.8",
        });
        let words: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            words.join(" "),
            "template web /tmp/x/chart --namespace prod --skip-tests -f /tmp/x/values/0.yaml --set-string service.type=LoadBalancer --kube-version v1.28.8 --skip-schema-validation"
        );
    }
}
