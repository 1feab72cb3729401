//! The JSON schema of `.lbplan.yaml`, from the traced shapes: which fields are required and which
//! structs refuse unknown keys are asked of the real `Deserialize` (lbplan's `ConfigFile` fed
//! JSON values: "missing field", "unknown field"), and the descriptions and bounds come from
//! `describe.rs`. Draft 7, which editors' YAML language servers read.

use std::collections::BTreeMap;

use serde::Deserialize as _;
use serde_json::{Map, Value, json};

use crate::describe;
use crate::trace::{Shape, Shapes};

/// Whether lbplan's config types accept `value` (the parser's checks as it reads; the checks of
/// the whole file after reading, such as duplicate names, are not part of a schema).
pub fn parses(value: Value) -> Result<(), String> {
    lbplan::ConfigFile::deserialize(value)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// One step of a path: `.name`, `[]`, `{}` or `?`.
enum Step {
    Field(String),
    Item,
    Entry,
    Some,
}

fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.trim_start_matches('.');
        if let Some(r) = rest.strip_prefix("[]") {
            out.push(Step::Item);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("{}") {
            out.push(Step::Entry);
            rest = r;
        } else if let Some(r) = rest.strip_prefix('?') {
            out.push(Step::Some);
            rest = r;
        } else {
            let end = rest.find(['.', '[', '{', '?']).unwrap_or(rest.len());
            out.push(Step::Field(rest[..end].to_string()));
            rest = &rest[end..];
        }
    }
    out
}

/// A whole config with `leaf` at `path`, the structs on the way filled with their required
/// fields (`minimal`).
fn embed(path: &str, leaf: Value, minimal: &BTreeMap<String, Map<String, Value>>) -> Value {
    fn build(
        at: &str,
        steps: &[Step],
        leaf: Value,
        minimal: &BTreeMap<String, Map<String, Value>>,
    ) -> Value {
        let Some((step, rest)) = steps.split_first() else {
            return leaf;
        };
        match step {
            Step::Field(name) => {
                let mut object = minimal.get(at).cloned().unwrap_or_default();
                let child = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                object.insert(name.clone(), build(&child, rest, leaf, minimal));
                Value::Object(object)
            }
            Step::Item => json!([build(&format!("{at}[]"), rest, leaf, minimal)]),
            Step::Entry => json!({"key": build(&format!("{at}{{}}"), rest, leaf, minimal)}),
            Step::Some => build(&format!("{at}?"), rest, leaf, minimal),
        }
    }
    build("", &steps(path), leaf, minimal)
}

fn child(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// Values a field of this shape may take, to try in turn where the field is required.
fn samples(path: &str, shapes: &Shapes) -> Vec<Value> {
    match shapes.get(path) {
        Some(Shape::String) => vec![json!("x"), json!("TCP:80"), json!("v1.28.8-r0")],
        Some(Shape::Integer { .. } | Shape::Number) => vec![json!(1)],
        Some(Shape::Bool) => vec![json!(true)],
        Some(Shape::Enum(variants)) => variants.iter().take(1).map(|v| json!(v)).collect(),
        Some(Shape::Seq) => vec![json!([])],
        Some(Shape::Map | Shape::Struct(_)) => vec![json!({})],
        Some(Shape::Option) => samples(&format!("{path}?"), shapes),
        Some(Shape::Any) | None => vec![Value::Null],
    }
}

fn missing_field(message: &str) -> Option<&str> {
    let rest = message.split("missing field `").nth(1)?;
    rest.split('`').next()
}

/// What the parser says of each struct: its required fields, and whether it refuses unknown keys.
struct Structs {
    required: BTreeMap<String, Vec<String>>,
    closed: BTreeMap<String, bool>,
}

fn structs(shapes: &Shapes) -> Structs {
    let mut minimal: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut required = BTreeMap::new();
    let mut closed = BTreeMap::new();
    // Parents sort before their children, so their minimal objects are known first.
    for (path, shape) in shapes {
        let Shape::Struct(fields) = shape else {
            continue;
        };
        let mut object = Map::new();
        let mut needed = Vec::new();
        for _ in 0..=fields.len() {
            let Err(message) = parses(embed(path, Value::Object(object.clone()), &minimal)) else {
                break;
            };
            let Some(field) = missing_field(&message).map(str::to_string) else {
                break;
            };
            if !fields.contains(&field) || object.contains_key(&field) {
                break;
            }
            let candidates = samples(&child(path, &field), shapes);
            let chosen = candidates
                .iter()
                .find(|value| {
                    let mut tried = object.clone();
                    tried.insert(field.clone(), (*value).clone());
                    match parses(embed(path, Value::Object(tried), &minimal)) {
                        Ok(()) => true,
                        Err(message) => missing_field(&message).is_some_and(|f| f != field),
                    }
                })
                .or(candidates.first())
                .cloned()
                .unwrap_or(Value::Null);
            object.insert(field.clone(), chosen);
            needed.push(field);
        }
        let mut probe = object.clone();
        probe.insert("lbplan-schema-probe".into(), Value::Null);
        let refused = parses(embed(path, Value::Object(probe), &minimal))
            .is_err_and(|m| m.contains("unknown field `lbplan-schema-probe`"));
        closed.insert(path.clone(), refused);
        required.insert(path.clone(), needed);
        minimal.insert(path.clone(), object);
    }
    Structs { required, closed }
}

/// The schema of the whole config.
pub fn schema(shapes: &Shapes) -> Value {
    let structs = structs(shapes);
    let mut root = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": ".lbplan.yaml",
    });
    let body = of(String::new().as_str(), shapes, &structs);
    if let (Some(root), Value::Object(body)) = (root.as_object_mut(), body) {
        root.extend(body);
    }
    root
}

fn of(path: &str, shapes: &Shapes, structs: &Structs) -> Value {
    let mut schema = match shapes.get(path) {
        Some(Shape::Struct(fields)) => {
            let properties: Map<String, Value> = fields
                .iter()
                .map(|f| (f.clone(), of(&child(path, f), shapes, structs)))
                .collect();
            let mut object = json!({"type": "object", "properties": properties});
            if structs.closed.get(path) == Some(&true) {
                object["additionalProperties"] = json!(false);
            }
            if let Some(required) = structs.required.get(path).filter(|r| !r.is_empty()) {
                object["required"] = json!(required);
            }
            object
        }
        Some(Shape::Option) => nullable(of(&format!("{path}?"), shapes, structs)),
        Some(Shape::Seq) => {
            json!({"type": "array", "items": of(&format!("{path}[]"), shapes, structs)})
        }
        Some(Shape::Map) => json!({
            "type": "object",
            "additionalProperties": of(&format!("{path}{{}}"), shapes, structs),
        }),
        Some(Shape::Enum(variants)) => json!({"type": "string", "enum": variants}),
        Some(Shape::String) => json!({"type": "string"}),
        Some(Shape::Integer { signed: false }) => json!({"type": "integer", "minimum": 0}),
        Some(Shape::Integer { signed: true }) => json!({"type": "integer"}),
        Some(Shape::Number) => json!({"type": "number"}),
        Some(Shape::Bool) => json!({"type": "boolean"}),
        Some(Shape::Any) | None => json!({}),
    };
    if !path.ends_with('?') {
        describe::apply(path, &mut schema);
    }
    schema
}

/// `schema`, or null (YAML `~` or an empty value).
fn nullable(mut schema: Value) -> Value {
    if let Some(variants) = schema.get_mut("enum").and_then(Value::as_array_mut) {
        variants.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(kind)) => schema["type"] = json!([kind, "null"]),
        _ => return json!({"anyOf": [schema, {"type": "null"}]}),
    }
    schema
}
