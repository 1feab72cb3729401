//! What lbplan reads of a chart's `Chart.yaml` (and a v1 chart's `requirements.yaml`): its name,
//! whether it is a library, and its dependencies (name, alias, repository). Helm names rendered
//! templates by the `Chart.yaml` name, never the folder's, and a dependency by its alias when it
//! has one, so these are what map a `# Source:` comment back to a folder.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file that makes a folder a chart.
pub const CHART_FILE: &str = "Chart.yaml";

/// A chart's metadata, as far as lbplan uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartFile {
    /// `name:`, which helm's `# Source:` comments start with.
    pub name: String,
    /// `type: library`: not installable, never rendered on its own.
    pub library: bool,
    pub dependencies: Vec<Dependency>,
    /// `kubeVersion:`, the Kubernetes versions the chart accepts (a semver constraint).
    pub kube_version: Option<String>,
}

/// One entry of `dependencies:`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Dependency {
    pub name: String,
    pub alias: Option<String>,
    pub repository: Option<String>,
}

impl Dependency {
    /// The name helm renders the dependency under: its alias, else its name.
    pub fn rendered_name(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }

    /// The folder a `file://` repository names, relative to the chart's folder `dir` (not yet
    /// confined: the caller checks it stays in the repository).
    pub fn local_path(&self, dir: &Path) -> Option<PathBuf> {
        let repository = self.repository.as_deref()?.trim();
        let rest = repository.strip_prefix("file://")?;
        (!rest.is_empty()).then(|| dir.join(rest))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Raw {
    name: Option<serde_yaml::Value>,
    #[serde(rename = "type")]
    kind: Option<serde_yaml::Value>,
    dependencies: Option<serde_yaml::Value>,
    #[serde(rename = "kubeVersion")]
    kube_version: Option<serde_yaml::Value>,
}

/// Read the chart in `dir`. A chart whose `Chart.yaml` cannot be read or has no name is an error
/// in words (helm refuses it too).
pub fn read(dir: &Path) -> Result<ChartFile, String> {
    let path = dir.join(CHART_FILE);
    let text = crate::source::read::read_text(&path).map_err(|e| format!("{CHART_FILE}: {e}"))?;
    let mut chart = parse(&text).map_err(|e| format!("{CHART_FILE}: {e}"))?;
    if chart.dependencies.is_empty() {
        // apiVersion v1 charts list their dependencies in requirements.yaml.
        let requirements = dir.join("requirements.yaml");
        if requirements.is_file() {
            if let Ok(text) = crate::source::read::read_text(&requirements) {
                chart.dependencies = parse_dependencies(&text);
            }
        }
    }
    Ok(chart)
}

/// Parse a `Chart.yaml`'s text.
pub fn parse(text: &str) -> Result<ChartFile, String> {
    let raw: Raw = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let name = match raw.name {
        Some(serde_yaml::Value::String(name)) if !name.trim().is_empty() => name,
        _ => return Err("no `name`".to_string()),
    };
    let library = matches!(raw.kind, Some(serde_yaml::Value::String(ref t)) if t == "library");
    Ok(ChartFile {
        name,
        library,
        dependencies: raw.dependencies.map(dependencies).unwrap_or_default(),
        kube_version: match raw.kube_version {
            Some(serde_yaml::Value::String(c)) if !c.trim().is_empty() => Some(c),
            _ => None,
        },
    })
}

/// `dependencies:` of a `requirements.yaml`; nothing when it cannot be read.
fn parse_dependencies(text: &str) -> Vec<Dependency> {
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Requirements {
        dependencies: Option<serde_yaml::Value>,
    }
    serde_yaml::from_str::<Requirements>(text)
        .ok()
        .and_then(|r| r.dependencies)
        .map(dependencies)
        .unwrap_or_default()
}

/// The well-formed entries of a `dependencies:` list (an entry that is no mapping, or has no
/// name, is helm's to refuse).
fn dependencies(value: serde_yaml::Value) -> Vec<Dependency> {
    let serde_yaml::Value::Sequence(items) = value else {
        return Vec::new();
    };
    items
        .into_iter()
        .filter_map(|item| serde_yaml::from_value::<Dependency>(item).ok())
        .filter(|d| !d.name.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_libraries_and_dependencies_are_read() {
        let chart = parse(
            "apiVersion: v2\nname: web\ntype: application\ndependencies:\n- name: redis\n  alias: cache\n  version: 1.0.0\n- name: common\n  repository: file://../common\n- 3\n",
        )
        .expect("parses");
        assert_eq!(chart.name, "web");
        assert!(!chart.library);
        assert_eq!(chart.dependencies.len(), 2);
        assert_eq!(chart.dependencies[0].rendered_name(), "cache");
        assert_eq!(
            chart.dependencies[1].local_path(Path::new("/r/charts/web")),
            Some(PathBuf::from("/r/charts/web/../common"))
        );
        assert_eq!(chart.dependencies[0].local_path(Path::new("/r")), None);
        assert!(parse("name: lib\ntype: library\n").expect("lib").library);
        assert!(parse("version: 1\n").is_err(), "no name");
        assert!(parse("name: [x\n").is_err());
    }
}
