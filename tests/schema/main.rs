//! The JSON schema of `.lbplan.yaml` (`docs/lbplan.schema.json`), for editors: generated from the
//! config types themselves (their serde `Deserialize`, traced; `trace.rs`), so that a key added to
//! the config is in the schema after `scripts/config-schema` (`LBPLAN_BLESS=1 cargo test --test
//! schema`), and checked against every config of the fixtures. Nothing of this is in the binary.

mod build;
#[path = "../common/mod.rs"]
mod common;
mod describe;
mod trace;

use std::path::{Path, PathBuf};

use serde_json::Value;

const SCHEMA: &str = "docs/lbplan.schema.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn generated() -> String {
    let shapes = trace::trace::<lbplan::ConfigFile>();
    let schema = build::schema(&shapes);
    serde_json::to_string_pretty(&schema).expect("JSON") + "\n"
}

#[test]
fn the_schema_is_current() {
    let path = root().join(SCHEMA);
    let generated = generated();
    if common::blessing() {
        std::fs::write(&path, &generated).expect("write the schema");
        return;
    }
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        existing == generated,
        "{SCHEMA} is stale: the config types changed (scripts/config-schema rewrites it; review the diff)"
    );
}

/// The trace sees the config as the parser does: every key, nested ones included, with the
/// types its deserializers read.
#[test]
fn the_trace_finds_every_key_and_its_type() {
    let shapes = trace::trace::<lbplan::ConfigFile>();
    let shape = |path: &str| shapes.get(path).cloned();
    use trace::Shape;
    assert_eq!(shape("clusters"), Some(Shape::Seq));
    assert!(
        matches!(shape("clusters[]"), Some(Shape::Struct(f)) if f.contains(&"proxy_mode".to_string()))
    );
    assert!(
        matches!(shape("clusters[].provider?"), Some(Shape::Enum(v)) if v.contains(&"huawei-cce".to_string()))
    );
    // Read by a deserialize_with function as text, parsed into a version afterwards.
    assert_eq!(shape("clusters[].version"), Some(Shape::String));
    // Percentage points as a float, stored as basis points.
    assert_eq!(shape("weight_drift_threshold"), Some(Shape::Number));
    assert_eq!(
        shape("load_balancers[].members[].weight"),
        Some(Shape::Integer { signed: false })
    );
    assert!(
        matches!(shape("rules{}"), Some(Shape::Enum(v)) if v == ["off", "info", "warning", "error"])
    );
    assert_eq!(shape("clusters[].nodes[].ip"), Some(Shape::String));
}

/// Every description is of a key the config has.
#[test]
fn every_description_names_a_key() {
    let shapes = trace::trace::<lbplan::ConfigFile>();
    for (path, _, more) in describe::KEYS {
        let known = path.is_empty() || shapes.contains_key(*path);
        assert!(
            known,
            "describe.rs describes {path}, which the config does not have"
        );
        assert!(
            more.is_empty() || serde_json::from_str::<Value>(more).is_ok_and(|v| v.is_object()),
            "describe.rs: the keywords of {path} are not a JSON object"
        );
    }
}

/// The config files under `dir`: `.lbplan.yaml`, and `NAME.lbplan.yaml` as the config-error
/// fixtures are named.
fn fixture_configs(dir: &Path) -> Vec<PathBuf> {
    common::manifest_files(dir)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".lbplan.yaml") || n.ends_with(".lbplan.yml"))
        })
        .collect()
}

/// What the parser says of a config as it reads it: accepted, refused for its shape (an
/// unknown key, a wrong type or value), or refused by a check the schema does not make.
#[derive(Debug, PartialEq)]
enum Verdict {
    Accepted,
    BadShape,
    BadValue,
}

fn verdict(value: &Value) -> Verdict {
    match build::parses(value.clone()) {
        Ok(()) => Verdict::Accepted,
        Err(m)
            if m.contains("unknown field")
                || m.contains("unknown variant")
                || m.contains("invalid type")
                || m.contains("missing field") =>
        {
            Verdict::BadShape
        }
        Err(_) => Verdict::BadValue,
    }
}

/// Every config under fixtures/ that lbplan accepts, the schema accepts; every one lbplan refuses
/// for its shape (the bad-input and config-errors fixtures), the schema refuses too.
#[test]
fn fixture_configs_agree_with_the_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(SCHEMA)).expect("schema"))
            .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let configs = fixture_configs(&root().join("fixtures"));
    assert!(configs.len() > 100, "fixture configs: {}", configs.len());
    let (mut accepted, mut refused) = (0, 0);
    for path in &configs {
        let text = std::fs::read_to_string(path).expect("config");
        if text.trim().is_empty() {
            continue;
        }
        let name = path.strip_prefix(root()).unwrap_or(path).display();
        let Ok(value) = serde_yaml::from_str::<Value>(&text) else {
            continue; // not YAML at all: nothing for a schema to say
        };
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        match verdict(&value) {
            Verdict::Accepted => {
                accepted += 1;
                assert!(
                    errors.is_empty(),
                    "{name}: lbplan accepts it, the schema does not: {errors:?}"
                );
            }
            Verdict::BadShape => {
                refused += 1;
                assert!(
                    !errors.is_empty(),
                    "{name}: lbplan refuses it, the schema accepts it"
                );
            }
            Verdict::BadValue => {}
        }
    }
    assert!(
        accepted > 100 && refused >= 2,
        "accepted {accepted}, refused {refused}"
    );
}
