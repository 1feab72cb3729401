//! Which config each side of a diff is read with, and where each side's own config is.
//!
//! Each side's config is found in the side's own root, whatever form `--config` takes (a
//! relative `--config`, or none, names the same relative place on each side; an absolute one
//! inside the head's top does too; one outside every root is one file for both sides, its
//! relative paths resolved against each side's root). Then both sides are *read* with the
//! base's config: rule selection and levels, excludes, quotas, cluster paths and facts are the
//! base's, so that a pull request cannot set the policy that judges it. The head's own config is
//! only compared with the base's (LB516 reports what it relaxes).

use std::path::{Path, PathBuf};

use super::super::{Cli, Error};
use super::Origins;
use crate::config::{Config, ConfigError};
use crate::diff::sides::Root;
use crate::render::wrapper::{normalize, relative};
use crate::source::discover::display_name;

/// Where `--config` puts each side's config.
pub(super) enum Place {
    /// No `--config`: `.lbplan.yaml` from each side's folder up to its root.
    Discover,
    /// The same place, relative to each side's folder.
    Relative(PathBuf),
    /// One file outside every side's root, for both.
    Outside(PathBuf),
}

impl Place {
    /// `--config`, placed: a path inside the head's top, relative or absolute, is the same
    /// relative place on each side; one outside it is one file for both.
    pub(super) fn of(config: Option<&Path>, origins: &Origins) -> Place {
        let Some(path) = config else {
            return Place::Discover;
        };
        let cwd = std::env::current_dir().unwrap_or_default();
        // Links resolved where the file exists; a config only the base has is judged by name.
        let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| normalize(p));
        let file = real(&cwd.join(path));
        if file.starts_with(real(&origins.head_top)) {
            if path.is_relative() {
                return Place::Relative(path.to_path_buf());
            }
            if let Some(rel) = relative(&real(&cwd), &file) {
                return Place::Relative(rel);
            }
        }
        // Typed on the command line, outside the repository: one file for both sides.
        Place::Outside(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

impl Place {
    /// Read the file at this place in `root` (the working folder is the side's): `None` where a
    /// relative place is missing on this side (and for [`Place::Discover`], which names no file).
    /// A link out of the side's root is an error naming `flag`.
    pub(super) fn read(&self, root: &Root, flag: &str) -> Result<Option<Found>, Error> {
        let path = match self {
            Place::Discover => return Ok(None),
            Place::Relative(path) => {
                if std::fs::symlink_metadata(path).is_err() {
                    return Ok(None);
                }
                // A revision's file: a link out of its root would be read as its own.
                root.top().confine(path).map_err(|escape| {
                    Error::Config(ConfigError::Invalid {
                        file: display_name(path),
                        problem: crate::config::ConfigProblem::Escape {
                            key: flag.into(),
                            escape,
                        },
                    })
                })?;
                path.clone()
            }
            Place::Outside(path) => path.clone(),
        };
        let text = crate::source::read::read_text(&path).map_err(|e| {
            Error::Config(ConfigError::Read {
                path: display_name(&path),
                source: std::io::Error::other(e),
            })
        })?;
        Ok(Some(Found { path, text }))
    }
}

/// A side's config as found in its root: the file (as named from the side's folder) and text.
pub(super) struct Found {
    pub path: PathBuf,
    pub text: String,
}

/// Find and read the side's config, from inside its folder (the working folder is the side's).
/// A relative place that the side does not have is `None`; so is a side without `.lbplan.yaml`.
pub(super) fn find(cli: &Cli, place: &Place, root: &Root) -> Result<Option<Found>, Error> {
    let cwd = std::env::current_dir().map_err(Error::WorkingFolder)?;
    if !matches!(place, Place::Discover) {
        let found = place.read(root, "--config")?;
        if let (true, Some(found)) = (cli.verbose, &found) {
            super::super::console::stderr(&format!("config: {}", display_name(&found.path)));
        }
        return Ok(found);
    }
    match Config::read(None, &cwd)? {
        Config {
            source: Some(source),
            text: Some(text),
            ..
        } => {
            let path = if source.is_absolute() {
                relative(&cwd, &source).unwrap_or(source)
            } else {
                source
            };
            Ok(Some(Found {
                path,
                text: text.to_string(),
            }))
        }
        _ => Ok(None),
    }
}

/// The config a side is read with: the base's `found` (or none), confined to this side's top.
/// Call it from inside the side's folder.
pub(super) fn policy(found: Option<&Found>, root: &Root) -> Result<Config, Error> {
    let cwd = std::env::current_dir().map_err(Error::WorkingFolder)?;
    let config = match found {
        Some(found) => Config::from_text(found.path.clone(), &found.text, &cwd)?,
        None => Config::default(),
    };
    Ok(config.within(root.top().clone())?)
}
