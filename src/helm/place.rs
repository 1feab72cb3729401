//! The Helm releases of a run, each in one cluster: those `clusters[].helm` names, those Argo CD
//! Applications and Flux HelmReleases name (`src/gitops/`: their inline values and string
//! parameters too, the object as the release's source), and every chart
//! detected in the inputs (`detect.rs`) that no cluster names, rendered with its default values
//! (release = chart name, namespace `default`) for the cluster whose paths hold it (the most
//! specific path wins, as for every input).

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::detect::{DetectedChart, Skip, detect};
use super::{Release, ReleaseSource, Set, Values, chart, process};
use crate::config::helm::is_release_name;
use crate::config::{ClusterSetup, ConfiguredRelease, ReleaseSetup};
use crate::inputs::{cluster_holding, cluster_roots};
use crate::source::confine::RootDir;
use crate::source::discover::{Input, InputPath, IoProblem, display_folder, display_name};
use crate::source::helm::ChartRoot;

/// The releases of a run, and what placing them says.
#[derive(Debug, Default)]
pub struct PlacedCharts {
    /// Sorted by chart, cluster and release.
    pub releases: Vec<Release>,
    /// Detected charts not rendered on their own: (chart, why), for `--verbose` and JSON.
    pub skipped: Vec<(String, String)>,
    /// Entries of the config that name no chart or values file, or collide: errors of the run.
    pub problems: Vec<IoProblem>,
    /// Detected charts under no cluster's paths (with several clusters): not rendered, counted
    /// in the one note about inputs no cluster holds.
    pub unowned: Vec<String>,
    /// Canonical paths of the chart folders and values files the renders read: `--output` may
    /// not name one.
    pub files: BTreeSet<PathBuf>,
    /// Canonical paths of the values files the config names: render inputs, no manifests.
    pub values: BTreeSet<PathBuf>,
}

impl PlacedCharts {
    /// Remove from the inputs what the renders read: a values file named in `clusters[].helm` is
    /// no manifest (the charts' templates and values were never inputs; their `crds/` are read).
    pub fn drop_inputs(&self, jobs: &mut Vec<crate::inputs::Job>, unplaced: &mut Vec<Input>) {
        if self.values.is_empty() {
            return;
        }
        let read = |input: &Input| match &input.path {
            InputPath::File(path) => {
                std::fs::canonicalize(path).is_ok_and(|real| self.values.contains(&real))
            }
            InputPath::Stdin => false,
        };
        jobs.retain(|job| job.role != crate::inputs::Role::Manifests || !read(&job.input));
        unplaced.retain(|input| !read(input));
    }
}

/// What placing needs of the run.
pub struct Run<'a> {
    pub setups: &'a [ClusterSetup],
    /// The charts the walks met.
    pub charts: &'a [ChartRoot],
    pub cli_paths: &'a [PathBuf],
    /// `--cluster NAME` with PATHs: every input goes to that cluster.
    pub placed: Option<usize>,
    pub root: &'a RootDir,
}

/// Place the releases of a run.
pub fn place(run: &Run) -> PlacedCharts {
    let mut placed = PlacedCharts::default();
    let mut named: BTreeSet<PathBuf> = BTreeSet::new();
    // Charts the config names outside the PATHs given are not rendered, as overlays are not.
    let within = crate::inputs::given_folders(run.cli_paths);
    for (i, setup) in run.setups.iter().enumerate() {
        for entry in &setup.helm {
            let real = std::fs::canonicalize(&entry.chart).ok();
            if let (Some(within), Some(real)) = (&within, &real) {
                if !within.iter().any(|w| real.starts_with(w)) {
                    continue;
                }
            }
            named.extend(real.clone());
            let taken = |r: &Release| {
                placed.releases.iter().any(|o| {
                    (o.cluster, &o.namespace, &o.name) == (r.cluster, &r.namespace, &r.name)
                })
            };
            match configured(entry, i, setup).and_then(|r| {
                if taken(&r) {
                    Err(format!(
                        "release {} in namespace {} is named twice in cluster {} ({}): helm keeps one release per name and namespace",
                        r.name, r.namespace, setup.facts.name, entry.key
                    ))
                } else {
                    Ok(r)
                }
            }) {
                Ok(release) => {
                    placed.files.extend(real);
                    placed.files.extend(values_files(&release));
                    placed.values.extend(values_files(&release));
                    placed.releases.push(release);
                }
                Err(message) => placed.problems.push(IoProblem {
                    path: display_folder(&entry.chart),
                    message,
                }),
            }
        }
    }
    // The releases GitOps objects name, after the config's (a cluster has one or the other).
    for (i, setup) in run.setups.iter().enumerate() {
        for source in &setup.sources {
            let (Some(release), Some(by)) = (&source.release, &source.by) else {
                continue;
            };
            let real = std::fs::canonicalize(&release.chart).ok();
            named.extend(real.clone());
            match gitops_release(release, by, i, setup) {
                Ok(release) if !placed.releases.contains(&release) => {
                    placed.files.extend(real);
                    placed.files.extend(values_files(&release));
                    placed.values.extend(values_files(&release));
                    placed.releases.push(release);
                }
                Ok(_) => {}
                Err(message) => placed.problems.push(IoProblem {
                    path: display_folder(&release.chart),
                    message,
                }),
            }
        }
    }
    let roots = cluster_roots(run.setups);
    for detected in detect(run.charts, run.root) {
        if let Some(skip) = &detected.skip {
            let why = match skip {
                Skip::Library => {
                    "a library chart: rendered only as another chart's dependency".to_string()
                }
                Skip::DependencyOf(user) => format!("a dependency of {user}: rendered inside it"),
            };
            placed.skipped.push((detected.root.path.clone(), why));
            continue;
        }
        if detected.real.as_ref().is_some_and(|r| named.contains(r)) {
            continue; // the config names it: rendered as it says
        }
        let cluster = match (run.placed, run.setups.len()) {
            (Some(c), _) if !run.cli_paths.is_empty() => Some(c),
            (_, 1) => Some(0),
            _ => detected
                .real
                .as_deref()
                .and_then(|r| cluster_holding(&roots, r)),
        };
        let Some(cluster) = cluster else {
            placed.unowned.push(detected.root.path.clone());
            continue;
        };
        placed.files.extend(detected.real.clone());
        placed
            .releases
            .push(default_release(&detected, cluster, run.setups));
    }
    placed.releases.sort_by(|a, b| {
        (&a.chart_name, a.cluster, &a.name).cmp(&(&b.chart_name, b.cluster, &b.name))
    });
    placed
}

/// A detected chart's release: its default values, named after the chart, in `default`.
fn default_release(detected: &DetectedChart, cluster: usize, setups: &[ClusterSetup]) -> Release {
    Release {
        chart: if detected.root.dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            detected.root.dir.clone()
        },
        chart_name: detected.root.path.clone(),
        name: detected.release_name(),
        namespace: "default".to_string(),
        values: Vec::new(),
        set: Vec::new(),
        cluster,
        kube_version: kube_version(setups, cluster, detected.chart.as_ref().ok()),
        source: ReleaseSource::Detected,
    }
}

/// The release `clusters[i].helm[j]` names, checked: a chart folder, values files that exist,
/// a release name helm accepts.
fn configured(
    entry: &crate::config::ConfiguredRelease,
    cluster: usize,
    setup: &ClusterSetup,
) -> Result<Release, String> {
    let key = &entry.key;
    let cluster_name = &setup.facts.name;
    if !entry.chart.join(chart::CHART_FILE).is_file() {
        return Err(format!(
            "not a Helm chart: no {} ({key}.chart in the config, cluster {cluster_name})",
            chart::CHART_FILE
        ));
    }
    let name = if let Some(name) = &entry.release {
        name.clone()
    } else {
        let meta = chart::read(&entry.chart)
            .map_err(|e| format!("{e} ({key}.chart in the config, cluster {cluster_name})"))?;
        if !is_release_name(&meta.name) {
            return Err(format!(
                "the chart's name \"{}\" is no release name helm accepts: give one in {key}.release",
                crate::text::visible(&meta.name)
            ));
        }
        meta.name
    };
    let mut values = Vec::new();
    for (k, path) in entry.values.iter().enumerate() {
        if !path.is_file() {
            return Err(format!(
                "values file {} not found ({key}.values[{k}] in the config, cluster {cluster_name})",
                display_name(path)
            ));
        }
        values.push(Values::File {
            path: path.clone(),
            name: display_name(path),
        });
    }
    Ok(Release {
        chart: entry.chart.clone(),
        chart_name: display_folder(&entry.chart),
        name,
        namespace: entry
            .namespace
            .clone()
            .unwrap_or_else(|| "default".to_string()),
        values,
        set: entry
            .set
            .iter()
            .map(|(key, value)| Set {
                key: key.clone(),
                value: value.clone(),
                string: false,
            })
            .collect(),
        cluster,
        kube_version: kube_version(
            std::slice::from_ref(setup),
            0,
            chart::read(&entry.chart).ok().as_ref(),
        ),
        source: ReleaseSource::Configured { key: key.clone() },
    })
}

/// `--kube-version` for a release of `chart` in `cluster`: the cluster's version; when it is
/// unknown, the default, or the newest version the chart's `kubeVersion:` accepts when it refuses
/// the default (`kube_constraint.rs`).
fn kube_version(
    setups: &[ClusterSetup],
    cluster: usize,
    chart: Option<&chart::ChartFile>,
) -> String {
    let known = setups.get(cluster).and_then(|s| s.facts.version.as_ref());
    match (known, chart.and_then(|c| c.kube_version.as_deref())) {
        (None, Some(constraint)) => super::kube_constraint::newest_accepted(constraint)
            .unwrap_or_else(|| process::kube_version(None)),
        _ => process::kube_version(known),
    }
}

fn values_files(release: &Release) -> impl Iterator<Item = PathBuf> + '_ {
    release.values.iter().filter_map(|v| match v {
        Values::File { path, .. } => std::fs::canonicalize(path).ok(),
        Values::Inline { .. } => None,
    })
}

/// The release `release` of the GitOps object `by`, in cluster `cluster`: what `place` makes of
/// a config entry with the same chart, name, namespace and files, with the inline values and
/// string parameters the config cannot hold, and the object as its source.
fn gitops_release(
    release: &ReleaseSetup,
    by: &str,
    cluster: usize,
    setup: &ClusterSetup,
) -> Result<Release, String> {
    let entry = ConfiguredRelease {
        key: by.to_string(),
        chart: release.chart.clone(),
        release: Some(release.name.clone()),
        namespace: Some(release.namespace.clone()),
        values: release.values.clone(),
        set: release.set.clone(),
    };
    let mut made = configured(&entry, cluster, setup)?;
    made.values
        .extend(release.inline.iter().map(|text| Values::Inline {
            text: text.clone(),
            written_in: format!("the inline values of {by}"),
        }));
    made.set
        .extend(release.set_string.iter().map(|(key, value)| Set {
            key: key.clone(),
            value: value.clone(),
            string: true,
        }));
    made.source = ReleaseSource::GitOps {
        object: by.to_string(),
    };
    Ok(made)
}
