//! The Helm release of an Argo CD source: values files relative to `source.path` (`$ref/...`
//! to the root of the source named `ref`), in order, globs expanded in lexical order;
//! `valuesObject` over `values`; `parameters` as `--set` (`--set-string` with `forceString`);
//! the release `helm.releaseName`, else the Application's name; the namespace
//! `helm.namespace`, else the destination's. `$ARGOCD_APP_NAME` and `$ARGOCD_APP_NAMESPACE` are
//! replaced first. A values file that is missing fails the Application, as in Argo CD.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::config::ReleaseSetup;
use crate::gitops::{Local, Reading};

/// What Argo CD's build environment gives paths and parameters.
pub(super) struct Env<'a> {
    pub(super) name: &'a str,
    pub(super) namespace: &'a str,
}

impl Env<'_> {
    fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (var, value) in [
            ("ARGOCD_APP_NAMESPACE", self.namespace),
            ("ARGOCD_APP_NAME", self.name),
        ] {
            out = out
                .replace(&format!("${{{var}}}"), value)
                .replace(&format!("${var}"), value);
        }
        out
    }
}

/// The Helm release of a source at `rel`: `None` (with a note) when Argo CD would fail it.
pub(super) fn release(
    r: &mut Reading,
    source: &Value,
    rel: &str,
    refs: &BTreeMap<String, String>,
    env: &Env,
    by: &str,
) -> Option<ReleaseSetup> {
    let helm = source.get("helm");
    let get = |key: &str| helm.and_then(|h| h.get(key));
    let text = |key: &str| get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let ignore_missing = get("ignoreMissingValueFiles")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut values = Vec::new();
    for file in get("valueFiles")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(file) = file.as_str() else { continue };
        let file = env.apply(file);
        if file.starts_with("http://") || file.starts_with("https://") {
            r.note(format!(
                "{by}: values file {file} is fetched from the network: not used"
            ));
            continue;
        }
        let path = match file.strip_prefix('$') {
            Some(referenced) => {
                let (name, rest) = referenced.split_once('/').unwrap_or((referenced, ""));
                let Some(url) = refs.get(name) else {
                    r.note(format!(
                        "{by}: values file {file} names no source with ref: {name}; Argo CD fails this Application"
                    ));
                    return None;
                };
                r.here(url);
                rest.to_string()
            }
            None => format!("{rel}/{file}"),
        };
        let matched = expand(r, &path);
        if matched.is_empty() {
            if ignore_missing {
                continue;
            }
            r.note(format!(
                "{by}: values file {file} is not in this repository, and Argo CD fails an Application whose values file is missing (ignoreMissingValueFiles: false): not linted"
            ));
            return None;
        }
        values.extend(matched);
    }
    let mut inline = Vec::new();
    match (get("valuesObject"), text("values")) {
        (Some(object @ Value::Object(_)), _) => {
            inline.push(serde_yaml::to_string(object).unwrap_or_default());
        }
        (_, Some(values)) => inline.push(values.to_string()),
        _ => {}
    }
    let (mut set, mut set_string) = (Vec::new(), Vec::new());
    for parameter in get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            continue;
        }
        let value = match parameter.get("value") {
            Some(Value::String(s)) => env.apply(s),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let force = parameter.get("forceString").and_then(Value::as_bool) == Some(true);
        if force { &mut set_string } else { &mut set }.push((name.to_string(), value));
    }
    if get("fileParameters").is_some() {
        r.note(format!(
            "{by}: helm.fileParameters are not passed to helm (--set-file): the values they set are the chart's defaults"
        ));
    }
    let destination = env.namespace;
    Some(ReleaseSetup {
        chart: r.repo.path(rel),
        name: text("releaseName").map_or_else(|| env.name.to_string(), str::to_string),
        namespace: text("namespace")
            .map(str::to_string)
            .or_else(|| (!destination.is_empty()).then(|| destination.to_string()))
            .unwrap_or_else(|| "default".to_string()),
        values,
        inline,
        set,
        set_string,
        replaces_chart_values: false,
    })
}

/// A values file's path (relative to the repository's root), a glob expanded in lexical order:
/// the files of this repository it names.
fn expand(r: &mut Reading, rel: &str) -> Vec<std::path::PathBuf> {
    let files: Vec<String> = if rel.contains(['*', '?', '[']) {
        let pattern = r.repo.real.join(rel.trim_start_matches('/'));
        let mut matched: Vec<String> = glob::glob(&pattern.to_string_lossy())
            .map(|paths| {
                paths
                    .flatten()
                    .filter_map(|p| std::fs::canonicalize(p).ok())
                    .filter_map(|p| r.repo.rel(&p))
                    .collect()
            })
            .unwrap_or_default();
        matched.sort();
        matched
    } else {
        vec![rel.to_string()]
    };
    let mut out = Vec::new();
    for file in files {
        match r.local(&file) {
            Local::File(_, shown) => out.push(shown),
            Local::Outside(why) => r.note(format!("values file refused: {why}")),
            Local::Folder(..) | Local::Missing => {}
        }
    }
    out
}
