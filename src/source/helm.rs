//! Helm charts in folder walks. A folder holding `Chart.yaml` is a chart: its `templates/` and
//! `files/` (and those of its subcharts, `charts/*/`) are not manifests until rendered, and its
//! `values*.yaml`, `Chart.yaml` and `requirements.yaml` are not manifests at all. None of them is
//! read; each outermost chart is reported with the count of its templates, for the note that says
//! how to render it. Anything else in a chart (`crds/`, say) is read as a manifest.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::names::{display_folder, has_manifest_extension};

/// A chart met in a walk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChartRoot {
    /// The chart's folder, as reports name it.
    pub path: String,
    /// The chart's folder, as the walk met it (readable from the working folder).
    pub dir: PathBuf,
    /// The chart's folder name, used as the release name in the render hint.
    pub name: String,
    /// Templates (`*.yaml`, `*.yml`, `*.json` under `templates/`, subcharts' included) not linted.
    pub templates: usize,
}

/// Where a walked file stands with respect to charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Not in a chart, or in a chart but a plain manifest: read it.
    Manifest,
    /// A template, chart file or values file: not read.
    Chart,
}

/// The charts of one walk, keyed by folder (as walked), each with its outermost chart's count.
pub struct Charts {
    /// Chart folder -> template count (kept on outermost charts only).
    roots: BTreeMap<PathBuf, usize>,
}

impl Charts {
    /// `chart_dirs`: the folders holding `Chart.yaml` found by the walk; `folders`: the folders
    /// walked, one of which may itself lie in a chart's `templates/` or `files/`.
    pub fn new(chart_dirs: &[PathBuf], folders: &[PathBuf]) -> Charts {
        let mut roots: BTreeMap<PathBuf, usize> =
            chart_dirs.iter().map(|d| (d.clone(), 0)).collect();
        for folder in folders {
            if let Some(root) = enclosing_chart(folder) {
                roots.insert(root, 0);
            }
        }
        Charts { roots }
    }

    /// Whether `file` (a path from the walk) is read, counting the templates that are not.
    pub fn place(&mut self, file: &Path) -> Placement {
        if self.roots.is_empty() {
            return Placement::Manifest;
        }
        let mut nearest = None;
        let mut outermost = None;
        for dir in file.ancestors().skip(1) {
            if self.roots.contains_key(dir) {
                nearest.get_or_insert(dir);
                outermost = Some(dir);
            }
        }
        let (Some(nearest), Some(outermost)) = (nearest, outermost) else {
            return Placement::Manifest;
        };
        let Ok(rest) = file.strip_prefix(nearest) else {
            return Placement::Manifest;
        };
        let mut parts = rest.components().filter_map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        });
        let (first, second) = (parts.next().unwrap_or(""), parts.next());
        let is_template = first == "templates" && second.is_some();
        let chart_file = match second {
            Some(_) => matches!(first, "templates" | "files"),
            None => is_chart_metadata(first),
        };
        if is_template && has_manifest_extension(file) {
            if let Some(count) = self.roots.get_mut(outermost) {
                *count += 1;
            }
        }
        if chart_file {
            Placement::Chart
        } else {
            Placement::Manifest
        }
    }

    /// The outermost charts (subcharts are counted in them), sorted by path.
    pub fn into_roots(self) -> Vec<ChartRoot> {
        let outermost: Vec<(&PathBuf, &usize)> = self
            .roots
            .iter()
            .filter(|(dir, _)| !dir.ancestors().skip(1).any(|a| self.roots.contains_key(a)))
            .collect();
        let mut charts: Vec<ChartRoot> = outermost
            .into_iter()
            .map(|(dir, &templates)| ChartRoot {
                path: display_folder(dir),
                dir: dir.clone(),
                name: chart_name(dir),
                templates,
            })
            .collect();
        charts.sort();
        charts
    }
}

/// Files at a chart's top that are never manifests.
fn is_chart_metadata(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    yaml && (lower.starts_with("values") || lower == "chart.yaml" || lower == "requirements.yaml")
}

/// The chart whose `templates/` or `files/` holds `folder`, as a path `folder` starts with (an
/// empty path when `folder` is relative and the chart is the working folder).
fn enclosing_chart(folder: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(folder).ok()?;
    for (up, dir) in real.ancestors().enumerate() {
        let name = dir.file_name().and_then(|n| n.to_str());
        if !matches!(name, Some("templates" | "files")) {
            continue;
        }
        let chart = dir.parent()?;
        if chart.join("Chart.yaml").is_file() {
            // `up + 1` levels above `folder`, taken on the path as given.
            let mut lexical = folder.to_path_buf();
            for _ in 0..=up {
                if !lexical.pop() || lexical.as_os_str().is_empty() {
                    lexical = dot_dots(folder, up + 1)?;
                    break;
                }
            }
            return Some(lexical);
        }
    }
    None
}

/// For a relative `folder` with fewer than `levels` components: the working folder (`""`) when it
/// is exactly that deep, else nothing.
fn dot_dots(folder: &Path, levels: usize) -> Option<PathBuf> {
    let depth = folder
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    (folder.is_relative() && depth == levels).then(PathBuf::new)
}

/// The chart's folder name, for the release name of the render hint.
fn chart_name(dir: &Path) -> String {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
        .or_else(|| {
            let real = std::fs::canonicalize(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
            .ok()?;
            real.file_name()?.to_str().map(str::to_string)
        });
    name.unwrap_or_else(|| "release".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_values_and_subcharts_are_not_manifests() {
        let mut charts = Charts::new(
            &[PathBuf::from("c/web"), PathBuf::from("c/web/charts/db")],
            &[PathBuf::from("c")],
        );
        let placed: Vec<Placement> = [
            "c/web/templates/svc.yaml",
            "c/web/templates/_helpers.tpl",
            "c/web/files/config.yaml",
            "c/web/values.yaml",
            "c/web/values-prod.yml",
            "c/web/Chart.yaml",
            "c/web/crds/crd.yaml",
            "c/web/charts/db/templates/svc.yaml",
            "c/web/charts/db/values.yaml",
            "c/other.yaml",
        ]
        .iter()
        .map(|f| charts.place(Path::new(f)))
        .collect();
        use Placement::{Chart, Manifest};
        assert_eq!(
            placed,
            [
                Chart, Chart, Chart, Chart, Chart, Chart, Manifest, Chart, Chart, Manifest
            ]
        );
        let roots = charts.into_roots();
        assert_eq!(
            roots,
            [ChartRoot {
                path: "c/web".into(),
                dir: PathBuf::from("c/web"),
                name: "web".into(),
                templates: 2
            }]
        );
    }
}
