//! ApplicationSet templates, in the two engines Argo CD offers, applied to every string of a
//! template (and to nothing else):
//!
//! - fasttemplate (the default): `{{name}}` is the parameter `name` (flattened: `cluster.name`,
//!   `path[0]`), spaces inside the braces trimmed; a tag no parameter names is written back as
//!   it was.
//! - Go templates (`goTemplate: true`): `{{ .path.basename }}`, `{{ index .path.segments 1 }}`,
//!   pipelines through the functions ApplicationSets use for names and paths (`lower`, `upper`,
//!   `trim`, `replace`, `default`, `normalize`, `slugify`, `trunc`, `quote`, `printf` with `%s`
//!   and `%d`, `join`). A missing key prints `<no value>` (Go's default), or is an error with
//!   `missingkey=error`. Control structures (`if`, `range`, ...) cannot be evaluated here: the
//!   string is an error, and its Application is left out with a note.

use serde_json::{Map, Value};

/// The parameters of one generated Application.
pub type Params = Map<String, Value>;

/// Which engine, and how it treats missing keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engine {
    pub go: bool,
    pub missing_is_error: bool,
}

impl Engine {
    /// Render every string of `value`.
    pub fn render(self, value: &Value, params: &Params) -> Result<Value, String> {
        Ok(match value {
            Value::String(s) => Value::String(self.string(s, params)?),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.render(v, params))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    out.insert(k.clone(), self.render(v, params)?);
                }
                Value::Object(out)
            }
            other => other.clone(),
        })
    }

    pub fn string(self, text: &str, params: &Params) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            let (before, after) = rest.split_at(open);
            out.push_str(before);
            let Some(close) = after.find("}}") else {
                out.push_str(after);
                return Ok(out);
            };
            let tag = after.get(2..close).unwrap_or("");
            if self.go {
                out.push_str(&go_action(tag, params, self.missing_is_error)?);
            } else {
                match flat(params).get(tag.trim()) {
                    Some(Value::String(s)) => out.push_str(s),
                    _ => out.push_str(after.get(..close + 2).unwrap_or("")),
                }
            }
            rest = after.get(close + 2..).unwrap_or("");
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Parameters flattened as fasttemplate sees them: `a.b`, `list.0`.
pub fn flat(params: &Params) -> Params {
    let mut out = Map::new();
    for (k, v) in params {
        flatten_into(k, v, &mut out);
    }
    out
}

fn flatten_into(prefix: &str, value: &Value, out: &mut Params) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten_into(&format!("{prefix}.{k}"), v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_into(&format!("{prefix}.{i}"), v, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), Value::String(s.clone()));
        }
        Value::Null => {}
        other => {
            out.insert(prefix.to_string(), Value::String(other.to_string()));
        }
    }
}

/// Argo CD's `normalize`: lower case, any character other than `a-z0-9-.` becomes `-`.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Argo CD's `slugify` with its defaults: lower case, runs of other characters one `-`, at most
/// 50 characters, no `-` at either end.
fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let cut: String = out.trim_matches('-').chars().take(50).collect();
    cut.trim_end_matches('-').to_string()
}

/// One `{{ ... }}` action of a Go template.
fn go_action(tag: &str, params: &Params, missing_is_error: bool) -> Result<String, String> {
    let tag = tag.trim_start_matches('-').trim_end_matches('-').trim();
    if tag.starts_with("/*") {
        return Ok(String::new());
    }
    let mut value: Option<Value> = None;
    for stage in split_outside_quotes(tag, '|') {
        let words = words(stage.trim())?;
        value = Some(call(&words, value, params, missing_is_error)?);
    }
    Ok(value.map(|v| text(&v)).unwrap_or_default())
}

/// A value as a template prints it.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "<no value>".to_string(),
        other => other.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Word {
    Field(String),
    Literal(Value),
    Name(String),
}

fn words(stage: &str) -> Result<Vec<Word>, String> {
    let mut out = Vec::new();
    let mut chars = stage.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '`' {
            chars.next();
            let mut s = String::new();
            while let Some(d) = chars.next() {
                match d {
                    '\\' if c == '"' => s.push(match chars.next() {
                        Some('n') => '\n',
                        Some('t') => '\t',
                        Some(other) => other,
                        None => '\\',
                    }),
                    d if d == c => break,
                    d => s.push(d),
                }
            }
            out.push(Word::Literal(Value::String(s)));
        } else {
            let mut w = String::new();
            while let Some(&d) = chars.peek().filter(|d| !d.is_whitespace()) {
                w.push(d);
                chars.next();
            }
            out.push(if w.starts_with('.') {
                Word::Field(w)
            } else if let Ok(n) = w.parse::<i64>() {
                Word::Literal(Value::from(n))
            } else if w == "true" || w == "false" {
                Word::Literal(Value::Bool(w == "true"))
            } else {
                Word::Name(w)
            });
        }
    }
    Ok(out)
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quote) = (0, None);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '`') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c == sep => {
                parts.push(s.get(start..i).unwrap_or(""));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(s.get(start..).unwrap_or(""));
    parts
}

fn field(path: &str, params: &Params, missing_is_error: bool) -> Result<Value, String> {
    let mut at: Option<&Value> = None;
    let root = Value::Object(params.clone());
    for (i, part) in path.split('.').skip(1).enumerate() {
        if part.is_empty() && i == 0 {
            return Ok(root);
        }
        let from = at.unwrap_or(&root);
        match from.get(part) {
            Some(v) => at = Some(v),
            None if missing_is_error => return Err(format!("map has no entry for key \"{part}\"")),
            None => return Ok(Value::Null),
        }
    }
    Ok(at.cloned().unwrap_or(root))
}

fn value_of(word: &Word, params: &Params, missing_is_error: bool) -> Result<Value, String> {
    match word {
        Word::Field(path) => field(path, params, missing_is_error),
        Word::Literal(v) => Ok(v.clone()),
        Word::Name(name) => Err(format!("function \"{name}\" used as a value")),
    }
}

/// One stage of a pipeline: a value, or a function of its words and the previous stage.
fn call(
    words: &[Word],
    piped: Option<Value>,
    params: &Params,
    missing: bool,
) -> Result<Value, String> {
    let Some(first) = words.first() else {
        return Err("empty command".into());
    };
    let name = match first {
        Word::Name(name) => name.as_str(),
        other if words.len() == 1 && piped.is_none() => return value_of(other, params, missing),
        _ => return Err("a value cannot take arguments".into()),
    };
    let mut args = words
        .iter()
        .skip(1)
        .map(|w| value_of(w, params, missing))
        .collect::<Result<Vec<_>, _>>()?;
    args.extend(piped);
    let s = |i: usize| args.get(i).map(text).unwrap_or_default();
    let last = args.last().map(text).unwrap_or_default();
    Ok(Value::String(match (name, args.len()) {
        ("lower", 1) => last.to_lowercase(),
        ("upper", 1) => last.to_uppercase(),
        ("trim", 1) => last.trim().to_string(),
        ("normalize", 1) => normalize(&last),
        ("slugify", 1) => slugify(&last),
        ("quote", 1) => format!("{last:?}"),
        ("toString", 1) => last,
        ("replace", 3) => last.replace(&s(0), &s(1)),
        ("trimPrefix", 2) => last.strip_prefix(&s(0)).unwrap_or(&last).to_string(),
        ("trimSuffix", 2) => last.strip_suffix(&s(0)).unwrap_or(&last).to_string(),
        ("trunc", 2) => {
            let n = args.first().and_then(Value::as_i64).unwrap_or(0);
            let n = usize::try_from(n).unwrap_or(0);
            last.chars().take(n).collect()
        }
        ("default", 2) => {
            let given = args
                .get(1)
                .filter(|v| !matches!(v, Value::Null) && !text(v).is_empty());
            given.map_or_else(|| s(0), text)
        }
        ("join", 2) => match args.get(1) {
            Some(Value::Array(items)) => items.iter().map(text).collect::<Vec<_>>().join(&s(0)),
            _ => last,
        },
        ("index", n) if n >= 2 => {
            let mut at = args.first().cloned().unwrap_or(Value::Null);
            for key in args.iter().skip(1) {
                at = match (&at, key) {
                    (Value::Array(items), Value::Number(i)) => i
                        .as_u64()
                        .and_then(|i| usize::try_from(i).ok())
                        .and_then(|i| items.get(i))
                        .cloned()
                        .ok_or_else(|| "index out of range".to_string())?,
                    (Value::Object(map), Value::String(k)) => {
                        map.get(k).cloned().unwrap_or(Value::Null)
                    }
                    _ => return Err("cannot index".into()),
                };
            }
            return Ok(at);
        }
        ("printf", n) if n >= 1 => printf(&s(0), args.get(1..).unwrap_or(&[]))?,
        (name, _) => {
            return Err(format!(
                "the template function {name} is not evaluated offline"
            ));
        }
    }))
}

fn printf(format: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v') => out.push_str(&args.next().map(text).unwrap_or_default()),
            _ => return Err(format!("printf \"{format}\" is not evaluated offline")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
