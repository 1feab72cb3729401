//! Argo CD `ApplicationSet`s, expanded into the Applications they generate, where the repository
//! alone says what they are (`docs/operator-manual/applicationset/`):
//!
//! - `list` (`elements`, and `elementsYaml`);
//! - `git` `directories` (Go `path.Match` over the repository's folders, hidden ones skipped,
//!   `exclude: true` entries winning) and `files` (the controller's default, greedy globbing;
//!   each file an object or a list of objects), when the repository is this one;
//! - `matrix` (two generators, the second templated with each of the first's parameters) and
//!   `merge` (the first generator's parameters, overridden by the others' on `mergeKeys`).
//!
//! `clusters`, `scmProvider`, `pullRequest`, `clusterDecisionResource` and `plugin` read Argo
//! CD's cluster Secrets or remote services: a note says their Applications cannot be known. A
//! generator's `template` overrides `spec.template` field by field; `templatePatch` is not
//! applied (a note says so).

use serde_json::{Map, Value};

use super::scan::Doc;
use super::template::{Engine, Params, normalize};
use super::{Local, Reading, argo};
use crate::source::glob::Glob;

/// How many Applications one ApplicationSet may generate here.
const MAX_APPLICATIONS: usize = 1000;
/// How deep matrix and merge generators may nest (Argo CD allows one level).
const MAX_DEPTH: usize = 3;

/// Expand one ApplicationSet and read the Applications it generates.
pub(super) fn application_set(r: &mut Reading, doc: &Doc) {
    let by = doc.label();
    let spec = doc.value.get("spec");
    let engine = Engine {
        go: spec
            .and_then(|s| s.get("goTemplate"))
            .and_then(Value::as_bool)
            == Some(true),
        missing_is_error: spec
            .and_then(|s| s.get("goTemplateOptions"))
            .and_then(Value::as_array)
            .is_some_and(|o| o.iter().any(|v| v.as_str() == Some("missingkey=error"))),
    };
    if spec.and_then(|s| s.get("templatePatch")).is_some() {
        r.note(format!("{by}: templatePatch is not applied"));
    }
    let template = spec
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or(Value::Null);
    let mut generated = Vec::new();
    for generator in spec
        .and_then(|s| s.get("generators"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match generate(r, generator, engine, 0) {
            Ok(sets) => {
                let own = generator.get("template").cloned().unwrap_or(Value::Null);
                let merged = overlay(&template, &own);
                generated.extend(sets.into_iter().map(|p| (p, merged.clone())));
            }
            Err(why) => r.note(format!("{by}: {why}")),
        }
    }
    if generated.len() > MAX_APPLICATIONS {
        r.note(format!(
            "{by}: generates {} Applications; only the first {MAX_APPLICATIONS} are read",
            generated.len()
        ));
        generated.truncate(MAX_APPLICATIONS);
    }
    for (params, template) in generated {
        match engine.render(&template, &params) {
            Ok(app) => {
                let name = app
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                let label = format!("Application {name} of {by}");
                argo::application(r, &app, &label);
            }
            Err(why) => r.note(format!("{by}: an Application not generated: {why}")),
        }
    }
}

/// `base` with `over`'s fields over it, objects merged key by key.
fn overlay(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            let mut out = b.clone();
            for (k, v) in o {
                let merged = overlay(b.get(k).unwrap_or(&Value::Null), v);
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (_, Value::Null) => base.clone(),
        _ => over.clone(),
    }
}

/// The parameter sets of one generator.
fn generate(
    r: &mut Reading,
    generator: &Value,
    engine: Engine,
    depth: usize,
) -> Result<Vec<Params>, String> {
    if depth > MAX_DEPTH {
        return Err("generators nested too deep".into());
    }
    let Some((kind, spec)) = generator
        .as_object()
        .and_then(|g| g.iter().find(|(k, _)| *k != "selector" && *k != "template"))
    else {
        return Err("a generator of no known kind".into());
    };
    let mut sets = match kind.as_str() {
        "list" => list(spec)?,
        "git" => git(r, spec, engine)?,
        "matrix" => matrix(r, spec, engine, depth)?,
        "merge" => merge(r, spec, engine, depth)?,
        "clusters" => {
            return Err("its clusters generator lists Argo CD's cluster Secrets, which are not in the repository: the Applications it generates are not known offline".into());
        }
        other => {
            return Err(format!(
                "its {other} generator asks a service lbplan does not call: the Applications it generates are not known offline"
            ));
        }
    };
    if let Some(labels) = generator
        .pointer("/selector/matchLabels")
        .and_then(Value::as_object)
    {
        sets.retain(|p| {
            let flat = super::template::flat(p);
            labels.iter().all(|(k, v)| flat.get(k) == Some(v))
        });
    }
    Ok(sets)
}

fn object(value: &Value) -> Params {
    value.as_object().cloned().unwrap_or_default()
}

fn list(spec: &Value) -> Result<Vec<Params>, String> {
    let mut sets: Vec<Params> = spec
        .get("elements")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(object)
        .collect();
    if let Some(text) = spec.get("elementsYaml").and_then(Value::as_str) {
        let parsed: Value = serde_yaml::from_str(text)
            .map_err(|e| format!("its list generator's elementsYaml does not parse: {e}"))?;
        sets.extend(parsed.as_array().into_iter().flatten().map(object));
    }
    Ok(sets)
}

fn matrix(
    r: &mut Reading,
    spec: &Value,
    engine: Engine,
    depth: usize,
) -> Result<Vec<Params>, String> {
    let children = spec
        .get("generators")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let [first, second] = children.as_slice() else {
        return Err("its matrix generator does not have exactly two generators".into());
    };
    let mut out = Vec::new();
    for left in generate(r, first, engine, depth + 1)? {
        // The second may use the first's parameters (a git path, elementsYaml).
        let second = engine.render(second, &left)?;
        for right in generate(r, &second, engine, depth + 1)? {
            let mut both = left.clone();
            both.extend(right);
            out.push(both);
        }
    }
    Ok(out)
}

fn merge(
    r: &mut Reading,
    spec: &Value,
    engine: Engine,
    depth: usize,
) -> Result<Vec<Params>, String> {
    let keys: Vec<String> = spec
        .get("mergeKeys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let children = spec
        .get("generators")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some((base, others)) = children.split_first() else {
        return Err("its merge generator has no generators".into());
    };
    let key_of = |p: &Params| -> Vec<Option<Value>> {
        let flat = super::template::flat(p);
        keys.iter()
            .map(|k| flat.get(k).or_else(|| p.get(k)).cloned())
            .collect()
    };
    let mut sets = generate(r, base, engine, depth + 1)?;
    for other in others {
        let overrides = generate(r, other, engine, depth + 1)?;
        for set in &mut sets {
            let key = key_of(set);
            if let Some(over) = overrides.iter().find(|o| key_of(o) == key) {
                set.extend(over.clone());
            }
        }
    }
    Ok(sets)
}

/// Path parameters of the git generators, in the engine's form.
fn path_params(engine: Engine, prefix: Option<&str>, dir: &str, file: Option<&str>) -> Params {
    let basename = dir.rsplit('/').next().unwrap_or(dir);
    let segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let mut params = Map::new();
    if engine.go {
        let mut path = Map::new();
        path.insert("path".into(), Value::from(dir));
        path.insert("basename".into(), Value::from(basename));
        path.insert(
            "basenameNormalized".into(),
            Value::from(normalize(basename)),
        );
        path.insert("segments".into(), Value::from(segments));
        if let Some(file) = file {
            path.insert("filename".into(), Value::from(file));
            path.insert("filenameNormalized".into(), Value::from(normalize(file)));
        }
        params.insert("path".into(), Value::Object(path));
    } else {
        params.insert("path".into(), Value::from(dir));
        params.insert("path.path".into(), Value::from(dir));
        params.insert("path.basename".into(), Value::from(basename));
        params.insert(
            "path.basenameNormalized".into(),
            Value::from(normalize(basename)),
        );
        for (i, segment) in segments.iter().enumerate() {
            params.insert(format!("path[{i}]"), Value::from(*segment));
        }
        if let Some(file) = file {
            params.insert("path.filename".into(), Value::from(file));
            params.insert(
                "path.filenameNormalized".into(),
                Value::from(normalize(file)),
            );
        }
    }
    match prefix {
        Some(prefix) if engine.go => {
            let mut outer = Map::new();
            outer.insert(prefix.to_string(), Value::Object(params));
            outer
        }
        Some(prefix) => params
            .into_iter()
            .map(|(k, v)| (format!("{prefix}.{k}"), v))
            .collect(),
        None => params,
    }
}

fn git(r: &mut Reading, spec: &Value, engine: Engine) -> Result<Vec<Params>, String> {
    let url = spec.get("repoURL").and_then(Value::as_str).unwrap_or("");
    let prefix = spec
        .get("pathParamPrefix")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty());
    let mut sets = Vec::new();
    if let Some(entries) = spec.get("directories").and_then(Value::as_array) {
        let (mut include, mut exclude) = (Vec::new(), Vec::new());
        for entry in entries {
            let Some(path) = entry.get("path").and_then(Value::as_str) else {
                continue;
            };
            let glob = Glob::path(path.trim_start_matches('/'))
                .map_err(|e| format!("its git generator's path is not used: {e}"))?;
            if entry.get("exclude").and_then(Value::as_bool) == Some(true) {
                exclude.push(glob);
            } else {
                include.push(glob);
            }
        }
        for dir in &r.scanned.dirs {
            if include.iter().any(|g| g.matches(dir)) && !exclude.iter().any(|g| g.matches(dir)) {
                sets.push(path_params(engine, prefix, dir, None));
            }
        }
    }
    if let Some(entries) = spec.get("files").and_then(Value::as_array) {
        for entry in entries {
            let Some(pattern) = entry.get("path").and_then(Value::as_str) else {
                continue;
            };
            let glob = Glob::new(pattern.trim_start_matches('/'))
                .map_err(|e| format!("its git generator's path is not used: {e}"))?;
            let files: Vec<String> = r
                .scanned
                .files
                .iter()
                .filter(|f| glob.matches(f))
                .cloned()
                .collect();
            for file in files {
                sets.extend(file_params(r, engine, prefix, &file)?);
            }
        }
    }
    if sets.is_empty() {
        return Err(format!(
            "its git generator ({url}) matches nothing in this repository: no Application generated"
        ));
    }
    r.here(url);
    // `values` are templated with each set's parameters.
    if let Some(values) = spec.get("values").and_then(Value::as_object) {
        for set in &mut sets {
            let rendered = engine.render(&Value::Object(values.clone()), set)?;
            if engine.go {
                set.insert("values".into(), rendered);
            } else if let Value::Object(map) = rendered {
                for (k, v) in map {
                    set.insert(format!("values.{k}"), v);
                }
            }
        }
    }
    Ok(sets)
}

/// The parameter sets of one file the git files generator matched.
fn file_params(
    r: &mut Reading,
    engine: Engine,
    prefix: Option<&str>,
    rel: &str,
) -> Result<Vec<Params>, String> {
    let Local::File(_, path) = r.local(rel) else {
        return Ok(Vec::new());
    };
    let text = crate::source::read::read_text(&path).map_err(|e| format!("{rel}: {e}"))?;
    let parsed: Value = serde_yaml::from_str(&text)
        .map_err(|e| format!("its git files generator cannot read {rel}: {e}"))?;
    let items: Vec<Value> = match parsed {
        Value::Array(items) => items,
        other => vec![other],
    };
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    Ok(items
        .iter()
        .map(|item| {
            let mut params = object(item);
            params.extend(path_params(engine, prefix, dir, Some(file)));
            params
        })
        .collect())
}
