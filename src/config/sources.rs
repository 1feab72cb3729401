//! What a cluster deploys from the repository, folder by folder: `clusters[].sources` in the
//! config, and what Argo CD Applications and Flux Kustomizations and HelmReleases say
//! (`src/gitops/`). Both become [`SourceSetup`]s, so that a config `lbplan init` wrote from the
//! GitOps objects reads the repository exactly as the objects did.
//!
//! A source is a folder. A folder holding a kustomization is rendered; any other folder is read
//! as plain manifests: its own files, or (with `recurse`) its whole tree, a kustomization met
//! below rendered instead of read raw (as Flux's generated kustomization does). `namespace`
//! goes to the objects that set none (Argo CD's `destination.namespace`); `target_namespace`
//! to every object (Flux's `targetNamespace`, Argo CD's `kustomize.namespace`); `substitute`
//! is Flux's `postBuild.substitute`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

/// One entry of `clusters[].sources`, exactly as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub path: PathBuf,
    /// The folder's subfolders too (default: its own files only, as Argo CD reads a folder).
    #[serde(default)]
    pub recurse: bool,
    /// A glob (Argo CD's `directory.include`) the files must match, relative to the folder.
    pub include: Option<String>,
    /// A glob (Argo CD's `directory.exclude`) the files must not match.
    pub exclude: Option<String>,
    /// The namespace of the objects that set none.
    pub namespace: Option<String>,
    /// The namespace of every object.
    pub target_namespace: Option<String>,
    /// Flux's post-build variables: `${NAME}` in the manifests becomes the value.
    pub substitute: Option<BTreeMap<String, String>>,
}

/// Flux's `postBuild` variables for one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Substitution {
    pub vars: BTreeMap<String, String>,
    /// Some variables come from ConfigMaps or Secrets that are not in the repository
    /// (`substituteFrom`): a variable no one defines is kept as written, not emptied.
    pub incomplete: bool,
}

/// A Helm release a source names: the chart and what Argo CD or Flux pass to it, in the order
/// helm applies them (value files, then inline values, then parameters: later wins).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseSetup {
    /// The chart's folder, as the run reads it.
    pub chart: PathBuf,
    pub name: String,
    pub namespace: String,
    /// Values files, in order.
    pub values: Vec<PathBuf>,
    /// Inline values (YAML documents), after the files, in order.
    pub inline: Vec<String>,
    /// `--set NAME=VALUE` (Argo CD `helm.parameters`), after the inline values.
    pub set: Vec<(String, String)>,
    /// `--set-string` (a parameter with `forceString: true`).
    pub set_string: Vec<(String, String)>,
    /// Flux's `chart.spec.valuesFiles`: they replace the chart's own `values.yaml` rather than
    /// overriding it.
    pub replaces_chart_values: bool,
}

/// One source of a cluster, resolved: paths as the run reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSetup {
    pub path: PathBuf,
    pub recurse: bool,
    pub include: Option<String>,
    pub exclude: Option<String>,
    pub namespace: Option<String>,
    pub target_namespace: Option<String>,
    pub substitute: Option<Substitution>,
    /// The GitOps object that deploys it (`Application argocd/web (apps/web.yaml:1)`); `None`
    /// for the config's.
    pub by: Option<String>,
    /// A Helm chart: the release the object names.
    pub release: Option<ReleaseSetup>,
}

impl SourceSetup {
    /// The namespace an object ends up in: `target_namespace` over everything, else its own,
    /// else `namespace`. `own` is `None` when the object sets no namespace.
    pub fn namespace_of<'a>(&'a self, own: Option<&'a str>) -> Option<&'a str> {
        self.target_namespace
            .as_deref()
            .or(own)
            .or(self.namespace.as_deref())
    }

    /// Whether the source changes the objects it reads (their namespace, their text).
    pub fn rewrites(&self) -> bool {
        self.namespace.is_some() || self.target_namespace.is_some() || self.substitute.is_some()
    }
}

/// Where a cluster of the run comes from, as `--verbose` and the JSON reports say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterOrigin {
    pub source: OriginKind,
    /// What shows it: `.lbplan.yaml: clusters[0]`, `Application argocd/web (apps/web.yaml:1):
    /// destination.server https://10.0.0.1:6443`.
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum OriginKind {
    /// No config and no GitOps object: the one cluster `default`.
    #[default]
    Default,
    /// `clusters:` in the config.
    Config,
    /// Argo CD Applications and ApplicationSets.
    #[strum(serialize = "argocd")]
    ArgoCd,
    /// Flux Kustomizations and HelmReleases.
    Flux,
    /// The files no GitOps object deploys.
    Unclaimed,
}

impl OriginKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Flux's rule for variable names: `^[_[:alpha:]][_[:alpha:][:digit:]]*$`.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

impl super::Config {
    /// `clusters[i].sources`, resolved against the config's folder.
    pub(super) fn sources_of(&self, sources: &[SourceConfig]) -> Vec<SourceSetup> {
        sources
            .iter()
            .map(|s| SourceSetup {
                path: self.resolve(&s.path),
                recurse: s.recurse,
                include: s.include.clone(),
                exclude: s.exclude.clone(),
                namespace: s.namespace.clone(),
                target_namespace: s.target_namespace.clone(),
                substitute: s.substitute.as_ref().map(|vars| Substitution {
                    vars: vars.clone(),
                    incomplete: false,
                }),
                by: None,
                release: None,
            })
            .collect()
    }
}

/// The problems of one cluster's `sources`: variable names Flux refuses, and globs that do not
/// compile.
pub(super) fn check(cluster: usize, sources: &[SourceConfig]) -> Result<(), (String, String)> {
    for (j, source) in sources.iter().enumerate() {
        let key = |field: &str| format!("clusters[{cluster}].sources[{j}].{field}");
        for name in source.substitute.iter().flat_map(BTreeMap::keys) {
            if !is_variable_name(name) {
                return Err((
                    key("substitute"),
                    format!(
                        "\"{}\" is not a variable name: letters, digits and '_', not starting with a digit (as Flux requires)",
                        crate::text::visible(name)
                    ),
                ));
            }
        }
        for (field, glob) in [("include", &source.include), ("exclude", &source.exclude)] {
            if let Some(glob) = glob {
                crate::source::glob::Glob::new(glob).map_err(|e| (key(field), e))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names_are_flux_s() {
        for ok in ["ELB_ID", "_x", "a1"] {
            assert!(is_variable_name(ok), "{ok}");
        }
        for bad in ["", "1a", "a-b", "a.b", "é"] {
            assert!(!is_variable_name(bad), "{bad}");
        }
    }

    #[test]
    fn the_target_namespace_wins() {
        let source = SourceSetup {
            namespace: Some("web".into()),
            ..SourceSetup::default()
        };
        assert_eq!(source.namespace_of(None), Some("web"));
        assert_eq!(source.namespace_of(Some("own")), Some("own"));
        let target = SourceSetup {
            target_namespace: Some("t".into()),
            ..source
        };
        assert_eq!(target.namespace_of(Some("own")), Some("t"));
    }
}
