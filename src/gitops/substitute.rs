//! Flux's post-build variable substitution (`spec.postBuild.substitute`), as the
//! kustomize-controller applies it to each object before it is applied: the `${...}` expressions
//! of `fluxcd/pkg/envsubst`, bash-like.
//!
//! - `${var}`; an undefined variable becomes the empty string (Flux without its strict feature
//!   gate), unless some variables come from ConfigMaps or Secrets outside the repository
//!   (`substituteFrom`): then an expression naming an unknown variable is kept as written.
//! - `${var:=default}`, `${var:-default}`, `${var=default}`, `${var:?x}`, `${var:+x}`: the value,
//!   or the default when the value is empty (envsubst gives them all this meaning).
//! - `${var:pos}`, `${var:pos:len}`, `${var/a/b}`, `${var//a/b}`, `${var/#a/b}`, `${var/%a/b}`,
//!   `${var#glob}`, `${var##glob}`, `${var%glob}`, `${var%%glob}`, `${var,}`, `${var,,}`,
//!   `${var^}`, `${var^^}`, `${#var}`.
//! - `$${var}` is the text `${var}`; `$var` is left alone.
//! - An object labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` is not
//!   substituted. Comment lines are left alone (Flux substitutes the object re-serialized,
//!   without its comments).
//!
//! Substitution works on each document's text, so that the lines of the file stay where the
//! user wrote them (Flux takes line breaks out of the values).

use std::collections::BTreeMap;

use crate::config::Substitution;
use crate::source::node::{Node, Shape};
use crate::source::yaml::parse_yaml;
use funcs::apply;
use parse::{Expr, Failure, Parser};

/// The label or annotation that turns substitution off for one object.
pub const OPT_OUT: &str = "kustomize.toolkit.fluxcd.io/substitute";

/// What substituting a text did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Substituted {
    pub text: String,
    /// Variables the text used that nothing defines (emptied), in order of first use.
    pub undefined: Vec<String>,
    /// Expressions Flux would refuse, as (byte offset in the text, message): their documents
    /// are left as written.
    pub errors: Vec<(usize, String)>,
}

static ALL: Shape = Shape::ALL;
static METADATA: Shape = Shape::keep(&[("labels", &ALL), ("annotations", &ALL)]);
static DOCUMENT: Shape = Shape::keep(&[("metadata", &METADATA)]);

/// Substitute every document of `text` that does not opt out.
pub fn substitute(text: &str, vars: &Substitution) -> Substituted {
    let mut out = Substituted::default();
    let mut copied = 0;
    let mut seen = Vec::new();
    for doc in parse_yaml(text, &DOCUMENT) {
        let span = doc.span;
        if seen.contains(&span.start) || span.start < copied {
            continue;
        }
        seen.push(span.start);
        if doc.result.as_ref().is_ok_and(opts_out) {
            continue;
        }
        let (Some(before), Some(chunk)) =
            (text.get(copied..span.start), text.get(span.start..span.end))
        else {
            continue;
        };
        out.text.push_str(before);
        let mut eval = Eval {
            vars,
            undefined: &mut out.undefined,
        };
        match eval.text(chunk) {
            Ok(done) => out.text.push_str(&done),
            Err((at, message)) => {
                out.errors.push((span.start + at, message));
                out.text.push_str(chunk);
            }
        }
        copied = span.end;
    }
    out.text.push_str(text.get(copied..).unwrap_or(""));
    out
}

/// Substitute every string of an object (a Kustomization or HelmRelease another Kustomization
/// deploys, read as a value), unless the object opts out. A string Flux would refuse is kept.
pub fn substitute_value(value: &serde_json::Value, vars: &Substitution) -> serde_json::Value {
    use serde_json::Value;
    let meta = value.get("metadata");
    let disabled = ["labels", "annotations"].iter().any(|key| {
        meta.and_then(|m| m.get(key))
            .and_then(|m| m.get(OPT_OUT))
            .and_then(Value::as_str)
            == Some("disabled")
    });
    if disabled {
        return value.clone();
    }
    fn walk(value: &Value, eval: &mut Eval) -> Value {
        match value {
            Value::String(s) if s.contains("${") => {
                let mut parser = Parser {
                    chars: s.char_indices().collect(),
                    at: 0,
                };
                match parser.any() {
                    Ok(nodes) => Value::String(nodes.iter().map(|n| eval.node(n)).collect()),
                    Err(_) => value.clone(),
                }
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| walk(v, eval)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), walk(v, eval)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let mut undefined = Vec::new();
    let mut eval = Eval {
        vars,
        undefined: &mut undefined,
    };
    walk(value, &mut eval)
}

fn opts_out(root: &Node) -> bool {
    let meta = root.get("metadata");
    ["labels", "annotations"].iter().any(|key| {
        meta.and_then(|m| m.get(key))
            .and_then(|m| m.get(OPT_OUT))
            .and_then(Node::as_str)
            == Some("disabled")
    })
}

struct Eval<'a> {
    vars: &'a Substitution,
    undefined: &'a mut Vec<String>,
}

impl Eval<'_> {
    /// One document's text, line by line: comment lines are kept as they are.
    fn text(&mut self, chunk: &str) -> Result<String, Failure> {
        let mut out = String::with_capacity(chunk.len());
        let mut offset = 0;
        for line in chunk.split_inclusive('\n') {
            if line.trim_start().starts_with('#') || !line.contains('$') {
                out.push_str(line);
            } else {
                let mut parser = Parser {
                    chars: line.char_indices().collect(),
                    at: 0,
                };
                let nodes = parser.any().map_err(|(at, m)| (offset + at, m))?;
                for node in &nodes {
                    out.push_str(&self.node(node));
                }
            }
            offset += line.len();
        }
        Ok(out)
    }

    fn node(&mut self, node: &Expr) -> String {
        match node {
            Expr::Text(text) => text.clone(),
            Expr::Func {
                source,
                var,
                op,
                args,
            } => {
                let value = self.vars.vars.get(var);
                if value.is_none() && self.vars.incomplete {
                    // It may come from a ConfigMap or Secret lbplan cannot see.
                    return source.clone();
                }
                if value.is_none() && !self.undefined.contains(var) {
                    self.undefined.push(var.clone());
                }
                let value = value.map_or("", String::as_str);
                let args: Vec<String> = args
                    .iter()
                    .map(|arg| arg.iter().map(|n| self.node(n)).collect())
                    .collect();
                apply(op, value, &args)
            }
        }
    }
}

/// The variables of a map, checked as Flux checks them: names it refuses are returned.
pub fn invalid_names(vars: &BTreeMap<String, String>) -> Vec<String> {
    vars.keys()
        .filter(|k| !crate::config::is_variable_name(k))
        .cloned()
        .collect()
}

mod funcs;
mod parse;
#[cfg(test)]
mod tests;
