//! The Helm releases Argo CD Applications and Flux HelmReleases name (`src/gitops/`), as
//! releases of the run: the values in the order Argo CD or Flux applies them (values files, then
//! inline values, each above the last; then parameters as `--set`, `forceString` ones as
//! `--set-string`), the release name and namespace their controllers would give. A chart a GitOps
//! object releases is not also rendered with its default values, as a chart the config names is
//! not.

use super::{Release, ReleaseSource, Set, Values};
use crate::config::{ClusterSetup, ConfiguredRelease, ReleaseSetup};

/// The release `release` of the GitOps object `by`, in cluster `cluster`: what `place` makes of
/// a config entry with the same chart, name, namespace and files, with the inline values and
/// string parameters the config cannot hold, and the object as its source.
pub fn release(
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
    let mut made = super::place::configured(&entry, cluster, setup)?;
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
