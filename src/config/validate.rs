//! What the config must be beyond its types: valid exclude globs, unique cluster names and load
//! balancer IDs, each cluster's inputs said when there are several (`paths`, `sources`, or the
//! one cluster of the rest), valid `sources`.

use std::path::Path;

use super::{ConfigFile, ConfigProblem, sources};

pub(super) fn validate(file: &ConfigFile) -> Result<(), ConfigProblem> {
    let problem = |key: String, message: String| Err(ConfigProblem::Key { key, message });
    let globs = |key: String, globs: &[String]| {
        crate::source::walk::ExcludeSet::new(Path::new("/"), globs)
            .map(|_| ())
            .or_else(|message| problem(key, message))
    };
    globs("exclude".into(), &file.exclude)?;
    for (i, cluster) in file.clusters.iter().enumerate() {
        globs(format!("clusters[{i}].exclude"), &cluster.exclude)?;
    }
    for (i, cluster) in file.clusters.iter().enumerate() {
        if file.clusters.iter().take(i).any(|c| c.name == cluster.name) {
            return problem(
                format!("clusters[{i}].name"),
                format!("duplicate cluster name \"{}\"", cluster.name),
            );
        }
        if let Err((key, message)) = sources::check(i, &cluster.sources) {
            return problem(key, message);
        }
        if cluster.rest && file.clusters.iter().take(i).any(|c| c.rest) {
            return problem(
                format!("clusters[{i}].rest"),
                "only one cluster takes the rest of the files".into(),
            );
        }
        if file.clusters.len() > 1
            && cluster.paths.is_none()
            && cluster.sources.is_empty()
            && cluster.helm.is_empty()
            && !cluster.rest
        {
            return problem(
                format!("clusters[{i}].paths"),
                "required when several clusters are configured, so that each manifest belongs to one cluster".into(),
            );
        }
    }
    super::helm::validate(&file.clusters)?;
    for (i, lb) in file.load_balancers.iter().enumerate() {
        if lb.id.trim().is_empty() {
            return problem(
                format!("load_balancers[{i}].id"),
                "must not be empty".into(),
            );
        }
        if file.load_balancers.iter().take(i).any(|o| o.id == lb.id) {
            return problem(
                format!("load_balancers[{i}].id"),
                format!("duplicate load balancer \"{}\"", lb.id),
            );
        }
    }
    Ok(())
}
