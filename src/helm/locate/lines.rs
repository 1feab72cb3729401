//! Lines of template text: a template is no YAML until rendered (`{{ }}` anywhere), so keys are
//! found line by line, each with the keys above it by indentation, as a reader of the template
//! sees them.

use crate::source::Span;

/// A line that writes a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLine {
    /// The key, without quotes.
    pub key: Span,
    /// What follows `key:` on the line, trimmed; `None` when nothing does.
    pub value: Option<Span>,
    /// Where the key starts on its line, list dashes counted as indentation.
    pub indent: usize,
}

/// The key a line writes: `  key: value`, `- key: value`, `"key": value`; `None` for other lines
/// (blank, comments, template actions, list items without a key).
pub fn key_line(text: &str, start: usize) -> Option<KeyLine> {
    let line = text.get(start..)?.split('\n').next()?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut at = 0;
    let bytes = line.as_bytes();
    loop {
        while bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        if bytes.get(at) == Some(&b'-') && matches!(bytes.get(at + 1), Some(b' ') | None) {
            at += 1;
            continue;
        }
        break;
    }
    let rest = line.get(at..)?;
    if rest.starts_with('#') || rest.starts_with("{{") {
        return None;
    }
    let first = rest.chars().next()?;
    let (key_start, key_end, after) = if first == '"' || first == '\'' {
        let close = rest.get(1..)?.find(first)? + 1;
        (at + 1, at + close, at + close + 1)
    } else {
        let colon = find_colon(rest)?;
        (at, at + colon, at + colon)
    };
    if line.get(after..after + 1)? != ":" {
        return None;
    }
    let tail = line.get(after + 1..)?;
    if !(tail.is_empty() || tail.starts_with(' ')) || key_end <= key_start {
        return None;
    }
    // A comment after the value is no part of it (` #` outside a template action).
    let tail = tail.get(..comment_start(tail)).unwrap_or(tail);
    let trimmed = tail.trim();
    let value = (!trimmed.is_empty()).then(|| {
        let lead = tail.len() - tail.trim_start().len();
        let s = start + after + 1 + lead;
        Span::new(s, s + trimmed.len())
    });
    Some(KeyLine {
        key: Span::new(start + key_start, start + key_end),
        value,
        indent: at,
    })
}

/// Where a ` #` comment starts in what follows a key, outside `{{ }}` and quotes; the length
/// when there is none.
fn comment_start(tail: &str) -> usize {
    let bytes = tail.as_bytes();
    let (mut depth, mut quote) = (0usize, None);
    for (i, b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if *b == q => quote = None,
            (None, b'"' | b'\'') if depth == 0 => quote = Some(*b),
            (None, b'{') if bytes.get(i + 1) == Some(&b'{') => depth += 1,
            (None, b'}') if bytes.get(i + 1) == Some(&b'}') => depth = depth.saturating_sub(1),
            (None, b'#') if depth == 0 && (i == 0 || bytes.get(i - 1) == Some(&b' ')) => {
                return i;
            }
            _ => {}
        }
    }
    tail.len()
}

/// The colon that ends a plain key: the first `: ` (or a final `:`) outside `{{ }}`.
fn find_colon(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'{' if bytes.get(i + 1) == Some(&b'{') => depth += 1,
            b'}' if bytes.get(i + 1) == Some(&b'}') => depth = depth.saturating_sub(1),
            b':' if depth == 0 && matches!(bytes.get(i + 1), Some(b' ') | None) => {
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

/// The start of every line of `text`.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

/// Every line of `text` that writes `key`, each with the keys above it by indentation, nearest
/// first.
pub fn lines_writing<'t>(text: &'t str, key: &str) -> Vec<(KeyLine, Vec<&'t str>)> {
    let lines: Vec<(usize, Option<KeyLine>)> =
        line_starts(text).map(|s| (s, key_line(text, s))).collect();
    let mut out = Vec::new();
    for (i, (_, line)) in lines.iter().enumerate() {
        let Some(line) = line else { continue };
        if text.get(line.key.start..line.key.end) != Some(key) {
            continue;
        }
        let mut above = Vec::new();
        let mut indent = line.indent;
        for (_, earlier) in lines.iter().take(i).rev() {
            let Some(earlier) = earlier else { continue };
            if earlier.indent < indent {
                above.push(
                    text.get(earlier.key.start..earlier.key.end)
                        .unwrap_or_default(),
                );
                indent = earlier.indent;
                if indent == 0 {
                    break;
                }
            }
        }
        out.push((line.clone(), above));
    }
    out
}

/// Whether `line` of the template `text` writes `value` literally: the same scalar, quotes and a
/// trailing comment aside, no template action.
pub fn writes_literally(text: &str, line: &KeyLine, value: &crate::source::node::Node) -> bool {
    let written = line.value.and_then(|v| text.get(v.start..v.end)).map(|w| {
        w.split(" #")
            .next()
            .unwrap_or(w)
            .trim()
            .trim_matches(['"', '\''])
    });
    match (written, value.scalar_text()) {
        (Some(written), Some(rendered)) => !written.contains("{{") && written == rendered,
        _ => false,
    }
}

/// `.Values.a.b` paths a piece of template text reads.
pub fn values_paths(text: &str) -> Vec<Vec<&str>> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices(".Values.") {
        let rest = text.get(i + ".Values.".len()..).unwrap_or_default();
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        let path: Vec<&str> = rest
            .get(..end)
            .unwrap_or_default()
            .split('.')
            .filter(|p| !p.is_empty())
            .collect();
        if !path.is_empty() {
            out.push(path);
        }
    }
    out
}

/// The one line of `text` that reads `.Values.PATH` for the longest prefix of `path` any line
/// reads; `None` when no line does, or several do.
pub fn line_reading(text: &str, path: &[String]) -> Option<Span> {
    for len in (1..=path.len()).rev() {
        let prefix = path.get(..len)?.join(".");
        let mut found = line_starts(text).filter_map(|s| {
            let line = text.get(s..)?.split('\n').next()?;
            let reads = values_paths(line)
                .iter()
                .any(|p| p.join(".") == prefix || p.join(".").starts_with(&format!("{prefix}.")));
            reads.then(|| {
                let lead = line.len() - line.trim_start().len();
                Span::new(s + lead, s + line.trim_end().len())
            })
        });
        match (found.next(), found.next()) {
            (Some(span), None) => return Some(span),
            (Some(_), Some(_)) => return None,
            _ => {}
        }
    }
    None
}

/// The one top-level `kind: KIND` line of `text` (or its one top-level `kind:` line, when the
/// kind is templated): where the template writes the object.
pub fn kind_line(text: &str, kind: &str) -> Option<Span> {
    let kinds: Vec<KeyLine> = line_starts(text)
        .filter_map(|s| key_line(text, s))
        .filter(|l| l.indent == 0 && text.get(l.key.start..l.key.end) == Some("kind"))
        .collect();
    let literal: Vec<&KeyLine> = kinds
        .iter()
        .filter(|l| l.value.and_then(|v| text.get(v.start..v.end)) == Some(kind))
        .collect();
    match (literal.as_slice(), kinds.as_slice()) {
        ([one], _) => Some(one.key),
        ([], [one]) => Some(one.key),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  annotations:\n    kubernetes.io/elb.class: {{ .Values.service.elbClass }}\n    {{- with .Values.extra }}\n    {{- toYaml . | nindent 4 }}\n    {{- end }}\nspec:\n  type: LoadBalancer\n  ports:\n    - port: 80\n      name: http\n  selector:\n    \"app\": web\n";

    fn slice(span: Span) -> &'static str {
        &TEMPLATE[span.start..span.end]
    }

    #[test]
    fn keys_are_read_line_by_line() {
        let found = lines_writing(TEMPLATE, "kubernetes.io/elb.class");
        assert_eq!(found.len(), 1);
        let (line, above) = &found[0];
        assert_eq!(
            slice(line.value.expect("value")),
            "{{ .Values.service.elbClass }}"
        );
        assert_eq!(above, &["annotations", "metadata"]);
        let (port, above) = &lines_writing(TEMPLATE, "port")[0];
        assert_eq!(slice(port.value.expect("v")), "80");
        assert_eq!(above, &["ports", "spec"]);
        let (name, above) = &lines_writing(TEMPLATE, "name")[1];
        assert_eq!(slice(name.key), "name");
        assert_eq!(above, &["ports", "spec"]);
        assert_eq!(lines_writing(TEMPLATE, "app").len(), 1, "quoted key");
        assert!(lines_writing(TEMPLATE, "toYaml . | nindent 4 }}").is_empty());
        let commented = "a: b  # note\nc: \"x # y\"\n";
        let (line, _) = &lines_writing(commented, "a")[0];
        let value = line.value.expect("value");
        assert_eq!(&commented[value.start..value.end], "b");
        let (line, _) = &lines_writing(commented, "c")[0];
        let value = line.value.expect("value");
        assert_eq!(&commented[value.start..value.end], "\"x # y\"");
    }

    #[test]
    fn values_paths_and_the_lines_reading_them() {
        assert_eq!(
            values_paths("{{ .Values.service.elbClass | quote }} {{ .Values.a }}"),
            [vec!["service", "elbClass"], vec!["a"]]
        );
        let path = ["extra".to_string(), "kubernetes.io/elb.id".to_string()];
        assert_eq!(
            line_reading(TEMPLATE, &path).map(slice),
            Some("{{- with .Values.extra }}")
        );
        assert_eq!(line_reading(TEMPLATE, &["nothing".to_string()]), None);
        assert_eq!(kind_line(TEMPLATE, "Service").map(slice), Some("kind"));
        assert_eq!(kind_line(TEMPLATE, "Ingress").map(slice), Some("kind"));
        assert_eq!(kind_line("kind: A\n---\nkind: B\n", "C"), None);
    }
}
