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

use super::glob::Glob;
use crate::config::Substitution;
use crate::source::node::{Node, Shape};
use crate::source::yaml::parse_yaml;

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

/// A parse error: its byte offset in the chunk, and Flux's words.
type Failure = (usize, String);

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

/// A parsed piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    Text(String),
    Func {
        /// The expression as written, for when it is kept.
        source: String,
        var: String,
        /// `""` (plain), `:=`, `:-`, `=`, `:?`, `:+`, `:`, `/`, `//`, `/#`, `/%`, `#`, `##`,
        /// `%`, `%%`, `,`, `,,`, `^`, `^^`, `len`.
        op: String,
        args: Vec<Vec<Expr>>,
    },
}

struct Parser {
    chars: Vec<(usize, char)>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).map(|&(_, c)| c)
    }

    fn peek2(&self) -> Option<char> {
        self.chars.get(self.at + 1).map(|&(_, c)| c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.at).map_or_else(
            || self.chars.last().map_or(0, |&(i, c)| i + c.len_utf8()),
            |&(i, _)| i,
        )
    }

    fn fail<T>(&self, message: &str) -> Result<T, Failure> {
        Err((self.offset(), message.to_string()))
    }

    /// Top level: text with `${...}` expressions; `$$` is one `$`.
    fn any(&mut self) -> Result<Vec<Expr>, Failure> {
        let mut out = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            match (c, self.peek2()) {
                ('$', Some('{')) => {
                    if !text.is_empty() {
                        out.push(Expr::Text(std::mem::take(&mut text)));
                    }
                    out.push(self.func()?);
                }
                ('$', Some('$')) => {
                    // envsubst's escape: one `$`, and what follows is text (`$${x}` is `${x}`).
                    text.push('$');
                    self.at += 2;
                }
                _ => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
        if !text.is_empty() {
            out.push(Expr::Text(text));
        }
        Ok(out)
    }

    /// `${...}`, from its `$`.
    fn func(&mut self) -> Result<Expr, Failure> {
        let start = self.at;
        self.at += 2;
        let (var, op, args) = if self.peek() == Some('#') {
            self.at += 1;
            let var = self.ident();
            if var.is_empty() {
                return self.fail("bad substitution");
            }
            (var, "len".to_string(), Vec::new())
        } else {
            let var = self.ident();
            if var.is_empty() {
                return self.fail("unable to parse variable name");
            }
            let (op, args) = self.operation()?;
            (var, op, args)
        };
        if self.peek() != Some('}') {
            return self.fail("missing closing brace");
        }
        self.at += 1;
        let source = self
            .chars
            .get(start..self.at)
            .map(|s| s.iter().map(|&(_, c)| c).collect())
            .unwrap_or_default();
        Ok(Expr::Func {
            source,
            var,
            op,
            args,
        })
    }

    fn ident(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
            name.push(c);
            self.at += 1;
        }
        name
    }

    /// What follows the variable's name, up to (not including) the closing brace.
    fn operation(&mut self) -> Result<(String, Vec<Vec<Expr>>), Failure> {
        let Some(c) = self.peek() else {
            return self.fail("missing closing brace");
        };
        Ok(match c {
            '}' => (String::new(), Vec::new()),
            ':' if matches!(self.peek2(), Some('=' | '-' | '?' | '+')) => {
                let op: String = [c, self.peek2().unwrap_or('=')].iter().collect();
                self.at += 2;
                (op, self.default_args()?)
            }
            '=' => {
                self.at += 1;
                ("=".to_string(), self.default_args()?)
            }
            ':' => {
                self.at += 1;
                let first = self.param(|c| c != ':' && c != '}', false)?;
                let mut args = vec![first];
                if self.peek() == Some(':') {
                    self.at += 1;
                    args.push(self.param(|c| c != '}', false)?);
                }
                (":".to_string(), args)
            }
            ',' | '^' => {
                let mut op = c.to_string();
                self.at += 1;
                if self.peek() == Some(c) {
                    op.push(c);
                    self.at += 1;
                }
                (op, Vec::new())
            }
            '/' => {
                let mut op = "/".to_string();
                self.at += 1;
                if let Some(second @ ('/' | '#' | '%')) = self.peek() {
                    op.push(second);
                    self.at += 1;
                }
                let pattern = if self.peek() == Some('/') {
                    Vec::new()
                } else {
                    self.param(|c| c != '/' && c != '}', true)?
                };
                if self.peek() != Some('/') {
                    return self.fail("bad substitution");
                }
                self.at += 1;
                let mut args = vec![pattern];
                if self.peek() != Some('}') {
                    args.push(self.param(|c| c != '}', true)?);
                }
                (op, args)
            }
            '#' | '%' => {
                let mut op = c.to_string();
                self.at += 1;
                if self.peek() == Some(c) {
                    op.push(c);
                    self.at += 1;
                }
                (op, vec![self.param(|c| c != '}', false)?])
            }
            _ => return self.fail("missing closing brace"),
        })
    }

    /// The words of a default, up to the closing brace (nested expressions allowed).
    fn default_args(&mut self) -> Result<Vec<Vec<Expr>>, Failure> {
        Ok(vec![self.param(|c| c != '}', false)?])
    }

    /// Text accepted by `accept`, with nested `${...}`; `escapes`: `\/` and `\\` are literal.
    fn param(
        &mut self,
        accept: impl Fn(char) -> bool,
        escapes: bool,
    ) -> Result<Vec<Expr>, Failure> {
        let mut out = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c == '$' && self.peek2() == Some('{') {
                if !text.is_empty() {
                    out.push(Expr::Text(std::mem::take(&mut text)));
                }
                out.push(self.func()?);
                continue;
            }
            if escapes && c == '\\' && matches!(self.peek2(), Some('/' | '\\')) {
                self.at += 1;
                text.push(self.peek().unwrap_or('\\'));
                self.at += 1;
                continue;
            }
            if !accept(c) {
                break;
            }
            text.push(c);
            self.at += 1;
        }
        if self.peek().is_none() {
            return self.fail("missing closing brace");
        }
        if !text.is_empty() {
            out.push(Expr::Text(text));
        }
        Ok(out)
    }
}

/// The functions of `fluxcd/pkg/envsubst` (`funcs.go`), on a variable's value.
fn apply(op: &str, s: &str, args: &[String]) -> String {
    let arg = |i: usize| args.get(i).map_or("", String::as_str);
    match op {
        "len" => s.len().to_string(),
        "," => first_char(s, char::to_lowercase),
        ",," => s.to_lowercase(),
        "^" => first_char(s, char::to_uppercase),
        "^^" => s.to_uppercase(),
        ":" => substring(s, arg(0), args.get(1).map(String::as_str)),
        "/" => s.replacen(arg(0), arg(1), 1),
        "//" => s.replace(arg(0), arg(1)),
        "/#" if args.len() == 2 => match s.strip_prefix(arg(0)) {
            Some(rest) => format!("{}{rest}", arg(1)),
            None => s.to_string(),
        },
        "/%" if args.len() == 2 => match s.strip_suffix(arg(0)) {
            Some(rest) => format!("{rest}{}", arg(1)),
            None => s.to_string(),
        },
        "#" => trim_prefix(s, arg(0), false),
        "##" => trim_prefix(s, arg(0), true),
        "%" => reversed(&trim_prefix(&reversed(s), &reversed(arg(0)), false)),
        "%%" => reversed(&trim_prefix(&reversed(s), &reversed(arg(0)), true)),
        // Plain, and every default operator: the value, else the default.
        _ if s.is_empty() && !args.is_empty() => args.concat(),
        _ => s.to_string(),
    }
}

fn first_char<I: Iterator<Item = char>>(s: &str, map: impl Fn(char) -> I) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => map(c).chain(chars).collect(),
        None => String::new(),
    }
}

fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// `${var:pos:len}` as bash (and envsubst) count: bytes, a negative position from the end.
fn substring(s: &str, pos: &str, len: Option<&str>) -> String {
    let Ok(pos) = pos.trim().parse::<i64>() else {
        return s.to_string();
    };
    let size = i64::try_from(s.len()).unwrap_or(i64::MAX);
    let start = if pos < 0 { (size + pos).max(0) } else { pos };
    if start >= size {
        return String::new();
    }
    let end = match len.map(|l| l.trim().parse::<i64>()) {
        None => size,
        Some(Err(_)) => return s.to_string(),
        Some(Ok(l)) if l < 0 => {
            let end = size + l;
            if end < start {
                return String::new();
            }
            end
        }
        Some(Ok(l)) => start.saturating_add(l).min(size),
    };
    let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
        return s.to_string();
    };
    s.get(start..end).unwrap_or("").to_string()
}

/// Remove the shortest (or longest) prefix matching Go's `path.Match` pattern.
fn trim_prefix(s: &str, pattern: &str, longest: bool) -> String {
    let Ok(glob) = Glob::path(pattern) else {
        return s.to_string();
    };
    let mut ends: Vec<usize> = s.char_indices().map(|(i, _)| i).skip(1).collect();
    ends.push(s.len());
    let matched = ends
        .iter()
        .filter(|&&end| s.get(..end).is_some_and(|p| glob.matches(p)))
        .copied();
    let cut = if longest {
        matched.max()
    } else {
        matched.min()
    };
    match cut {
        Some(end) => s.get(end..).unwrap_or("").to_string(),
        None => s.to_string(),
    }
}

/// The variables of a map, checked as Flux checks them: names it refuses are returned.
pub fn invalid_names(vars: &BTreeMap<String, String>) -> Vec<String> {
    vars.keys()
        .filter(|k| !crate::config::is_variable_name(k))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests;
