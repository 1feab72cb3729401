//! `clusters[].helm` and `render.helm` in the config: the Helm releases a cluster renders, each a
//! chart folder with a release name, a namespace, values files and `--set` parameters, and whether
//! charts are rendered at all. Paths are relative to the config's folder and stay in the
//! repository (`confine.rs`); names are checked as helm and Kubernetes check them, so that a bad
//! one is an error naming its key before anything runs.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

use super::ConfigProblem;

/// One entry of `clusters[].helm`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelmEntry {
    /// The chart's folder.
    pub chart: PathBuf,
    /// The release name; default: the chart's name (its `Chart.yaml`).
    #[serde(default, deserialize_with = "release_name")]
    pub release: Option<String>,
    /// The namespace; default: `default`.
    #[serde(default, deserialize_with = "namespace")]
    pub namespace: Option<String>,
    /// Values files, lowest precedence first (helm's `-f` order).
    #[serde(default)]
    pub values: Vec<PathBuf>,
    /// `--set` parameters: dotted keys and scalar values.
    #[serde(default, deserialize_with = "set")]
    pub set: Vec<(String, String)>,
}

/// `render.helm`: `auto` (helm on `PATH`) or `off`. Never a program path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelmChoice {
    Auto,
    Off,
}

pub(super) fn choice<'de, D: Deserializer<'de>>(d: D) -> Result<Option<HelmChoice>, D::Error> {
    let text = String::deserialize(d)?;
    match text.trim() {
        "auto" | "helm" => Ok(Some(HelmChoice::Auto)),
        "off" => Ok(Some(HelmChoice::Off)),
        other => Err(serde::de::Error::custom(format!(
            "render.helm: expected auto or off, found \"{}\"; a program path is given only by whoever runs lbplan, with --helm-bin or LBPLAN_HELM",
            crate::text::visible(&other.chars().take(80).collect::<String>())
        ))),
    }
}

/// Whether `name` is a DNS-1123 label of at most `max` bytes (lower-case letters, digits and
/// `-`, starting and ending with a letter or digit).
pub fn is_dns_label(name: &str, max: usize) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= max
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// helm's rule for release names: a DNS-1123 subdomain of at most 53 bytes.
pub fn is_release_name(name: &str) -> bool {
    name.len() <= 53 && name.split('.').all(|part| is_dns_label(part, 63))
}

fn release_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(d)?;
    if is_release_name(&name) {
        Ok(Some(name))
    } else {
        Err(serde::de::Error::custom(format!(
            "release: invalid release name \"{}\": lower-case letters, digits, '-' and '.', at most 53, as helm requires",
            crate::text::visible(&name.chars().take(80).collect::<String>())
        )))
    }
}

fn namespace<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(d)?;
    if is_dns_label(&name, 63) {
        Ok(Some(name))
    } else {
        Err(serde::de::Error::custom(format!(
            "namespace: invalid namespace \"{}\": lower-case letters, digits and '-', at most 63",
            crate::text::visible(&name.chars().take(80).collect::<String>())
        )))
    }
}

/// `set:` as a mapping of dotted keys to scalars, in key order.
fn set<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    let map = BTreeMap::<String, serde_yaml::Value>::deserialize(d)?;
    let mut out = Vec::new();
    for (key, value) in map {
        // A key helm would read as a flag, or split at `=`, is no key.
        if key.is_empty() || key.starts_with('-') || key.contains('=') || key.contains(',') {
            return Err(serde::de::Error::custom(format!(
                "set: invalid key \"{}\": a dotted path such as service.type",
                crate::text::visible(&key.chars().take(80).collect::<String>())
            )));
        }
        let text = match value {
            serde_yaml::Value::String(s) => s,
            serde_yaml::Value::Bool(b) => b.to_string(),
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::Null => "null".to_string(),
            _ => {
                return Err(serde::de::Error::custom(format!(
                    "set: {}: a scalar (string, number or boolean); give lists and maps in a values file",
                    crate::text::visible(&key)
                )));
            }
        };
        out.push((key, text));
    }
    Ok(out)
}

/// Release names are unique per cluster and namespace (helm keeps one release per name there); a
/// release named after its chart is checked once the chart is read (`helm/place.rs`).
pub(super) fn validate(clusters: &[super::ClusterConfig]) -> Result<(), ConfigProblem> {
    for (i, cluster) in clusters.iter().enumerate() {
        for (j, entry) in cluster.helm.iter().enumerate() {
            let (Some(name), ns) = (&entry.release, entry.namespace.as_deref()) else {
                continue;
            };
            let ns = ns.unwrap_or("default");
            let earlier = cluster.helm.iter().take(j).position(|e| {
                e.release.as_deref() == Some(name)
                    && e.namespace.as_deref().unwrap_or("default") == ns
            });
            if let Some(k) = earlier {
                return Err(ConfigProblem::Key {
                    key: format!("clusters[{i}].helm[{j}].release"),
                    message: format!(
                        "release {name} in namespace {ns} is already clusters[{i}].helm[{k}]: helm keeps one release per name and namespace"
                    ),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_helm_and_kubernetes() {
        assert!(is_release_name("web-prod.v2"));
        assert!(!is_release_name("Web"));
        assert!(!is_release_name("-web"));
        assert!(!is_release_name(&"a".repeat(54)));
        assert!(is_dns_label("prod", 63));
        assert!(!is_dns_label("prod.eu", 63));
        assert!(!is_dns_label("", 63));
    }

    #[test]
    fn entries_parse_and_bad_values_name_their_key() {
        let text = "clusters:\n  - name: a\n    helm:\n      - chart: charts/web\n        release: web-prod\n        namespace: prod\n        values: [charts/web/values-prod.yaml]\n        set: {service.type: LoadBalancer, replicas: 3, tls: true}\n";
        let file = super::super::parse(text).expect("valid");
        let entry = &file.clusters[0].helm[0];
        assert_eq!(entry.release.as_deref(), Some("web-prod"));
        assert_eq!(
            entry.set,
            [
                ("replicas".to_string(), "3".to_string()),
                ("service.type".into(), "LoadBalancer".into()),
                ("tls".into(), "true".into())
            ]
        );
        for (text, key) in [
            (
                "clusters:\n  - name: a\n    helm: [{chart: c, release: Web}]\n",
                "release",
            ),
            (
                "clusters:\n  - name: a\n    helm: [{chart: c, namespace: a.b}]\n",
                "namespace",
            ),
            (
                "clusters:\n  - name: a\n    helm: [{chart: c, set: {--x: 1}}]\n",
                "set",
            ),
            (
                "clusters:\n  - name: a\n    helm: [{chart: c, set: {a: [1]}}]\n",
                "set",
            ),
            (
                "clusters:\n  - name: a\n    helm: [{chart: c, bogus: 1}]\n",
                "bogus",
            ),
            (
                "clusters:\n  - name: a\n    helm: [{chart: c, release: r}, {chart: d, release: r}]\n",
                "clusters[0].helm[1].release",
            ),
            ("render:\n  helm: /usr/bin/helm\n", "--helm-bin"),
        ] {
            let error = super::super::parse(text).expect_err(text).to_string();
            assert!(error.contains(key), "{text} -> {error}");
        }
        assert!(super::super::parse("render: {helm: off}\n").is_ok());
    }
}
