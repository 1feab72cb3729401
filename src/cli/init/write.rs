//! The text `lbplan init` writes: the clusters of the run, each with a comment saying where it
//! comes from; the provider the annotations name; each GitOps source as `clusters[].sources`;
//! the cluster of the rest of the files as `rest: true`. Every value is written as YAML reads it
//! back (quoted unless plainly safe), every comment on one line, input text made visible.

use std::fmt::Write as _;
use std::path::Path;

use crate::config::{ClusterSetup, OriginKind, SourceSetup};
use crate::facts::Source;
use crate::model::Placement;
use crate::plan::ClusterView;
use crate::text::terminal::visible;

/// What the run found, for the file.
pub(super) struct Inferred<'a> {
    pub setups: &'a [ClusterSetup],
    /// The clusters the run used: (name, origin, evidence).
    pub used: &'a [(String, &'static str, String)],
    pub views: &'a [ClusterView],
    pub placements: &'a [Placement],
    /// The repository's root, where the file goes.
    pub top: &'a Path,
    pub cwd: &'a Path,
}

const HEADER: &str = "\
# .lbplan.yaml, written by `lbplan init`: what lbplan found in this repository without a config,
# each line with where it comes from. Check it, and add what the files cannot say (version,
# flavor, proxy_mode; see \"Config file\" in docs/configuration.md). With it, `lbplan lint .` reads the
# repository as it did without it; what you add here is then taken as given.
";

/// The config file's text.
pub(super) fn config_text(found: &Inferred) -> String {
    let mut out = String::from(HEADER);
    out.push_str("clusters:\n");
    for (index, (name, source, evidence)) in found.used.iter().enumerate() {
        let Some(setup) = found.setups.iter().find(|s| s.facts.name == *name) else {
            continue;
        };
        let _ = writeln!(
            out,
            "  - name: {}  # {}",
            scalar(name),
            comment(&format!("{source}: {evidence}"))
        );
        if let Some(view) = found.views.iter().find(|v| v.name == *name) {
            provider(&mut out, view);
        }
        let sources: Vec<&SourceSetup> = setup.sources.iter().collect();
        let (releases, folders): (Vec<&SourceSetup>, Vec<&SourceSetup>) =
            sources.into_iter().partition(|s| s.release.is_some());
        if !folders.is_empty() {
            out.push_str("    sources:\n");
            for s in &folders {
                source_entry(&mut out, s, found);
            }
        }
        if !releases.is_empty() {
            out.push_str("    helm:\n");
            for s in releases {
                helm_entry(&mut out, s, found);
            }
        }
        // The cluster of the rest: also the one cluster of a repository without GitOps objects,
        // whose copies in several folders keep being planned once per folder.
        if setup.unclaimed || setup.origin.source == OriginKind::Default {
            rest(&mut out, found, index);
        }
    }
    // The cluster of the rest, even when nothing is left to it now: a file added later is read.
    let written = |s: &ClusterSetup| found.used.iter().any(|(name, ..)| *name == s.facts.name);
    if let Some(setup) = found.setups.iter().find(|s| s.unclaimed && !written(s)) {
        let _ = writeln!(
            out,
            "  - name: {}  # {}",
            scalar(&setup.facts.name),
            comment(&setup.origin.evidence)
        );
        out.push_str("    rest: true  # no file of it holds a load balancer now\n");
    }
    out
}

fn provider(out: &mut String, view: &ClusterView) {
    let p = &view.facts.provider;
    if let (Some(value), Some(Source::Annotations)) = (&p.value, p.source) {
        let _ = writeln!(
            out,
            "    provider: {}  # {}",
            scalar(&value.to_string()),
            comment(p.evidence.as_deref().unwrap_or("the objects' annotations"))
        );
    }
}

fn source_entry(out: &mut String, s: &SourceSetup, found: &Inferred) {
    if let Some(by) = &s.by {
        let _ = writeln!(out, "      # {}", comment(by));
    }
    let _ = writeln!(
        out,
        "      - path: {}",
        scalar(&repository_path(&s.path, found))
    );
    if s.recurse {
        out.push_str("        recurse: true\n");
    }
    for (key, value) in [
        ("include", &s.include),
        ("exclude", &s.exclude),
        ("namespace", &s.namespace),
        ("target_namespace", &s.target_namespace),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "        {key}: {}", scalar(value));
        }
    }
    if let Some(vars) = &s.substitute {
        if vars.incomplete {
            out.push_str(
                "        # some variables come from ConfigMaps or Secrets outside the repository: lbplan kept them as written without this file, and empties them with it\n",
            );
        }
        out.push_str("        substitute:\n");
        for (name, value) in &vars.vars {
            let _ = writeln!(out, "          {}: {}", scalar(name), quoted(value));
        }
        if vars.vars.is_empty() {
            out.push_str("          {}\n");
        }
    }
}

/// A `clusters[].helm` entry: the release a GitOps object names, as it is rendered without the
/// config. Inline values and string parameters have no key there: a comment says so.
fn helm_entry(out: &mut String, s: &SourceSetup, found: &Inferred) {
    let Some(release) = &s.release else {
        return;
    };
    if let Some(by) = &s.by {
        let _ = writeln!(out, "      # {}", comment(by));
    }
    let _ = writeln!(
        out,
        "      - chart: {}",
        scalar(&repository_path(&release.chart, found))
    );
    let _ = writeln!(out, "        release: {}", scalar(&release.name));
    let _ = writeln!(out, "        namespace: {}", scalar(&release.namespace));
    if !release.values.is_empty() {
        out.push_str("        values:\n");
        for file in &release.values {
            let _ = writeln!(out, "          - {}", scalar(&repository_path(file, found)));
        }
    }
    if !release.set.is_empty() {
        out.push_str("        set:\n");
        for (key, value) in &release.set {
            let _ = writeln!(out, "          {}: {}", scalar(key), quoted(value));
        }
    }
    if !release.inline.is_empty() || !release.set_string.is_empty() {
        out.push_str(
            "        # and inline values or string parameters, which an entry here cannot hold: without this file lbplan passes them to helm after the values files; write them to a values file and list it under values\n",
        );
    }
}

/// `rest: true`, with the folders whose copies are planned once each.
fn rest(out: &mut String, found: &Inferred, cluster: usize) {
    let folders: Vec<String> = found
        .placements
        .iter()
        .filter(|p| p.cluster.index() == cluster)
        .map(Placement::folder_slash)
        .collect();
    if folders.is_empty() {
        out.push_str("    rest: true  # the files nothing else claims\n");
    } else {
        let _ = writeln!(
            out,
            "    rest: true  # the files nothing else claims; copies in several folders are planned once per folder: {} (to make a folder a cluster of its own, give a cluster its paths)",
            comment(&folders.join(", "))
        );
    }
}

/// A path of the run as the config writes it: relative to the repository's root.
fn repository_path(path: &Path, found: &Inferred) -> String {
    let absolute = found.cwd.join(path);
    let real = std::fs::canonicalize(&absolute).unwrap_or(absolute);
    let top = std::fs::canonicalize(found.top).unwrap_or_else(|_| found.top.to_path_buf());
    match real.strip_prefix(&top) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

/// A comment's text: one line, control characters made visible.
fn comment(text: &str) -> String {
    visible(text).replace(['\n', '\r'], " ")
}

/// A scalar YAML reads back as the same string: plain when that is safe, else double-quoted.
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '.' || c == '_')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// Always double-quoted (a JSON string is a YAML one).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::{quoted, scalar};

    #[test]
    fn scalars_read_back_as_written() {
        for text in [
            "apps/web",
            "prod",
            "in-cluster",
            "10.0.0.1",
            "true",
            "",
            "a b",
            "#x",
            "${X}",
        ] {
            let yaml = format!("k: {}\n", scalar(text));
            let back: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&yaml).expect(&yaml);
            assert_eq!(back.get("k").map(String::as_str), Some(text), "{yaml}");
        }
        assert_eq!(scalar("apps/web"), "apps/web");
        assert_eq!(quoted("a\"b\n"), "\"a\\\"b\\n\"");
    }
}
