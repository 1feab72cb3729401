//! The config's paths, confined to the side's root: `paths`, each cluster's `paths`, `pods`,
//! `exports` and `kustomize`, and the `exclude` globs. In CI the config is the pull request's,
//! so none of them may name a file outside the repository (`pods: /proc/self/environ`) or climb
//! out of it (`../../`). A config that lies outside the root itself (`--config` naming a file
//! elsewhere) has its relative paths resolved against the root, so that one file serves every
//! side of a diff, each from its own root.

use std::path::{Path, PathBuf};

use super::{Config, ConfigError, ConfigProblem};
use crate::source::confine::RootDir;

/// The root of a run that reads the working folder: the repository holding `cwd`, else the
/// config's folder, else `cwd`.
pub(super) fn run_root(config: Option<&Path>, cwd: &Path) -> RootDir {
    if let Some(top) = RootDir::repository_of(cwd) {
        return RootDir::new(&top);
    }
    match config.and_then(Path::parent) {
        Some(folder) => RootDir::new(&cwd.join(folder)),
        None => RootDir::new(cwd),
    }
}

/// A `.lbplan.yaml` found from `cwd` up must be a file of the repository: not a link to
/// `/proc/self/environ`, whose text a parse error would quote.
pub(super) fn found_inside(path: &Path, cwd: &Path) -> Result<(), ConfigError> {
    let folder = path.parent().unwrap_or(cwd);
    let root = RootDir::new(&RootDir::repository_of(cwd).unwrap_or_else(|| folder.to_path_buf()));
    root.confine(path)
        .map(|_| ())
        .map_err(|escape| ConfigError::Invalid {
            file: crate::source::discover::display_name(path),
            problem: ConfigProblem::Escape {
                key: "the config file".into(),
                escape,
            },
        })
}

impl Config {
    /// This config, with its paths confined to `root`; a config file outside `root` has its
    /// relative paths resolved against `root` instead of its own folder.
    pub fn within(mut self, root: RootDir) -> Result<Config, ConfigError> {
        if let (Some(source), Some(top)) = (&self.source, root.path()) {
            let outside = root.confine(source).is_err();
            if outside {
                self.base = top.to_path_buf();
            }
        }
        self.root = root;
        self.check_paths()?;
        Ok(self)
    }

    /// Every path the config names, resolved, inside the root.
    fn check_paths(&self) -> Result<(), ConfigError> {
        let file = || {
            self.source
                .as_deref()
                .map_or_else(String::new, crate::source::discover::display_name)
        };
        let escape = |key: String, path: &Path| -> Result<(), ConfigError> {
            self.root
                .confine(&self.resolve(path))
                .map(|_| ())
                .map_err(|escape| ConfigError::Invalid {
                    file: file(),
                    problem: ConfigProblem::Escape { key, escape },
                })
        };
        let glob = |key: String, glob: &str| -> Result<(), ConfigError> {
            if glob.split(['/', '\\']).any(|part| part == "..") {
                return Err(ConfigError::Invalid {
                    file: file(),
                    problem: ConfigProblem::Key {
                        key,
                        message: format!(
                            "the exclude glob \"{}\" climbs out of the config's folder with `..`; globs stay in the repository",
                            crate::text::visible(glob)
                        ),
                    },
                });
            }
            Ok(())
        };
        for (i, path) in self.file.paths.iter().enumerate() {
            escape(format!("paths[{i}]"), path)?;
        }
        for (i, g) in self.file.exclude.iter().enumerate() {
            glob(format!("exclude[{i}]"), g)?;
        }
        for (i, cluster) in self.file.clusters.iter().enumerate() {
            let key = |field: &str| format!("clusters[{i}].{field}");
            let lists: [(&str, &[PathBuf]); 3] = [
                ("paths", cluster.paths.as_deref().unwrap_or_default()),
                ("exports", &cluster.exports),
                (
                    "kustomize",
                    cluster.kustomize.as_deref().unwrap_or_default(),
                ),
            ];
            for (field, paths) in lists {
                for (j, path) in paths.iter().enumerate() {
                    escape(format!("{}[{j}]", key(field)), path)?;
                }
            }
            if let Some(pods) = &cluster.pods {
                escape(key("pods"), pods)?;
            }
            for (j, source) in cluster.sources.iter().enumerate() {
                escape(format!("{}[{j}].path", key("sources")), &source.path)?;
            }
            for (j, entry) in cluster.helm.iter().enumerate() {
                let entry_key = format!("{}[{j}]", key("helm"));
                escape(format!("{entry_key}.chart"), &entry.chart)?;
                for (k, values) in entry.values.iter().enumerate() {
                    escape(format!("{entry_key}.values[{k}]"), values)?;
                }
            }
            for (j, g) in cluster.exclude.iter().enumerate() {
                glob(format!("{}[{j}]", key("exclude")), g)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dir: &Path, text: &str) -> Result<Config, ConfigError> {
        let path = dir.join(".lbplan.yaml");
        std::fs::write(&path, text).expect("write");
        Config::from_text(path, text, dir).and_then(|c| c.within(RootDir::new(dir)))
    }

    #[test]
    fn paths_outside_the_root_are_refused_by_key() {
        let temp = tempfile::tempdir().expect("temp");
        let repo = temp.path().join("repo");
        std::fs::create_dir(&repo).expect("mkdir");
        for (text, key) in [
            ("paths: [../elsewhere]\n", "paths[0]"),
            ("paths: [/etc]\n", "paths[0]"),
            (
                "clusters:\n  - name: a\n    pods: /proc/self/environ\n",
                "clusters[0].pods",
            ),
            (
                "clusters:\n  - name: a\n    exports: [ok.yaml, ../../x.yaml]\n",
                "clusters[0].exports[1]",
            ),
            (
                "clusters:\n  - name: a\n    kustomize: [../o]\n",
                "clusters[0].kustomize[0]",
            ),
            (
                "clusters:\n  - name: a\n    paths: [a/../../b]\n",
                "clusters[0].paths[0]",
            ),
            ("exclude: [../secret/]\n", "exclude[0]"),
            (
                "clusters:\n  - name: a\n    exclude: [x/../../y]\n",
                "clusters[0].exclude[0]",
            ),
        ] {
            let error = config(&repo, text).expect_err(text).to_string();
            assert!(error.contains(key), "{text} -> {error}");
        }
        assert!(
            config(
                &repo,
                "paths: [a/, ./b]\nexclude: [\"*.tmpl.yaml\", /build/]\n"
            )
            .is_ok()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_root_is_refused() {
        let temp = tempfile::tempdir().expect("temp");
        let repo = temp.path().join("repo");
        std::fs::create_dir(&repo).expect("mkdir");
        std::os::unix::fs::symlink("/proc/self/environ", repo.join("pods.yaml")).expect("link");
        let error = config(&repo, "clusters:\n  - name: a\n    pods: pods.yaml\n")
            .expect_err("link")
            .to_string();
        assert!(error.contains("through a symbolic link"), "{error}");
    }

    #[test]
    fn a_config_outside_the_root_resolves_against_the_root() {
        let temp = tempfile::tempdir().expect("temp");
        let repo = temp.path().join("repo");
        let trusted = temp.path().join("trusted");
        std::fs::create_dir(&repo).expect("mkdir");
        std::fs::create_dir(&trusted).expect("mkdir");
        let path = trusted.join("lbplan.yaml");
        let text = "paths: [manifests/]\n";
        std::fs::write(&path, text).expect("write");
        let config = Config::from_text(path, text, &repo)
            .and_then(|c| c.within(RootDir::new(&repo)))
            .expect("inside the root once resolved there");
        let real = std::fs::canonicalize(&repo).expect("real");
        assert_eq!(config.default_paths(), [real.join("manifests/")]);
    }
}
