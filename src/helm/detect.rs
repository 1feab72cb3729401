//! Which charts met in folder walks are rendered on their own: every chart that is not a library
//! (`type: library` is not installable) and not a dependency of another chart of the inputs
//! (helm renders those inside their parent: a subchart in its parent's `charts/`, which discovery
//! already counts in its parent, or a chart another one names with `repository: file://PATH`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::chart::{self, ChartFile};
use crate::source::confine::RootDir;
use crate::source::helm::ChartRoot;

/// A chart met in a walk, and what detection decided about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedChart {
    pub root: ChartRoot,
    /// The folder, links resolved (`None`: it could not be resolved).
    pub real: Option<PathBuf>,
    /// What its `Chart.yaml` says, or why it could not be read.
    pub chart: Result<ChartFile, String>,
    /// Why it is not rendered on its own, if it is not.
    pub skip: Option<Skip>,
}

/// Why a detected chart is not rendered on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// `type: library`.
    Library,
    /// Another chart of the inputs depends on it (`file://`): the first such chart.
    DependencyOf(String),
}

impl DetectedChart {
    /// The release name of its default render: the chart's name, else its folder's.
    pub fn release_name(&self) -> String {
        match &self.chart {
            Ok(chart) => chart.name.clone(),
            Err(_) => self.root.name.clone(),
        }
    }
}

/// Decide about every chart of `roots`; `root` is the repository dependencies must stay in.
pub fn detect(roots: &[ChartRoot], root: &RootDir) -> Vec<DetectedChart> {
    let mut charts: Vec<DetectedChart> = roots
        .iter()
        .map(|r| {
            let dir = if r.dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                r.dir.clone()
            };
            DetectedChart {
                root: r.clone(),
                real: std::fs::canonicalize(&dir).ok(),
                chart: chart::read(&dir),
                skip: None,
            }
        })
        .collect();
    // The folders other charts name as `file://` dependencies, with the first chart naming each.
    let mut used_by: BTreeMap<PathBuf, String> = BTreeMap::new();
    for c in &charts {
        let (Some(real), Ok(meta)) = (&c.real, &c.chart) else {
            continue;
        };
        for dependency in &meta.dependencies {
            let Some(path) = dependency.local_path(real) else {
                continue;
            };
            let Some(dep) = root
                .confine(&path)
                .ok()
                .and_then(|p| std::fs::canonicalize(p).ok())
            else {
                continue;
            };
            if &dep != real {
                used_by.entry(dep).or_insert_with(|| c.root.path.clone());
            }
        }
    }
    for c in &mut charts {
        if matches!(&c.chart, Ok(meta) if meta.library) {
            c.skip = Some(Skip::Library);
        } else if let Some(user) = c.real.as_ref().and_then(|r| used_by.get(r)) {
            c.skip = Some(Skip::DependencyOf(user.clone()));
        }
    }
    charts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &std::path::Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn libraries_and_local_dependencies_are_not_rendered_alone() {
        let temp = tempfile::tempdir().expect("temp");
        let repo = temp.path();
        write(
            &repo.join("charts/web/Chart.yaml"),
            "name: web\ndependencies:\n- name: common\n  repository: file://../common\n",
        );
        write(&repo.join("charts/common/Chart.yaml"), "name: common\n");
        write(
            &repo.join("charts/lib/Chart.yaml"),
            "name: lib\ntype: library\n",
        );
        write(&repo.join("charts/broken/Chart.yaml"), "version: 1\n");
        let roots: Vec<ChartRoot> = ["broken", "common", "lib", "web"]
            .iter()
            .map(|n| ChartRoot {
                path: format!("charts/{n}"),
                dir: repo.join("charts").join(n),
                name: (*n).to_string(),
                templates: 1,
            })
            .collect();
        let detected = detect(&roots, &RootDir::new(repo));
        let skips: Vec<Option<Skip>> = detected.iter().map(|d| d.skip.clone()).collect();
        assert_eq!(
            skips,
            [
                None,
                Some(Skip::DependencyOf("charts/web".into())),
                Some(Skip::Library),
                None
            ]
        );
        assert_eq!(detected[0].release_name(), "broken", "the folder's name");
        assert!(detected[0].chart.is_err());
        assert_eq!(detected[3].release_name(), "web");
    }
}
