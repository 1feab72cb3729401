//! The functions of `fluxcd/pkg/envsubst` (`funcs.go`) on a variable's value: substrings,
//! replacements, prefix and suffix trimming by Go `path.Match` patterns, case, length, defaults.

use crate::source::glob::Glob;

/// The functions of `fluxcd/pkg/envsubst` (`funcs.go`), on a variable's value.
pub(super) fn apply(op: &str, s: &str, args: &[String]) -> String {
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
