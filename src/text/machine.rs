//! JSON, XML and YAML reports: their own escapes keep input whole and still inert in a CI log.
//!
//! JSON escapes every control character and starts each line with whitespace and punctuation,
//! so only `##[` (which the runner's legacy parser finds anywhere in a line) needs more: inside a
//! JSON string `#\u0023[` is the same text to every JSON reader. XML takes a character reference
//! for `#` and for a `:` alike. YAML has no escape that every style of scalar reads, so its
//! strings are escaped as for a terminal before the YAML is written.

use super::terminal::{inert, visible};

/// Pretty JSON of a value, inert in a CI log ([`json`]): every JSON output writes through it.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut text =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    json(text)
}

/// A JSON document with `##[` written `#\u0023[` (only strings hold `#` in JSON).
pub fn json(text: String) -> String {
    if text.contains("##[") {
        text.replace("##[", "#\\u0023[")
    } else {
        text
    }
}

/// Text for XML content or an attribute value: markup characters as entities, CR and LF as
/// character references (so that no input line starts a line of the document), characters XML
/// 1.0 cannot hold dropped, `##[` and `::` with a character reference for one character.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out.replace("##[", "#&#35;[").replace("::", ":&#58;")
}

/// A YAML document of `value`, its strings (keys included) escaped as [`visible`] escapes a
/// value (no line break, so no block scalar whose lines input would start; no control character;
/// no `##[`), and the document then guarded as terminal output is ([`inert`]: a mapping key
/// from the input starting with `::` would start a line).
pub fn yaml<T: serde::Serialize>(value: &T) -> String {
    let mut tree = match serde_yaml::to_value(value) {
        Ok(tree) => tree,
        Err(e) => return format!("error: {}\n", visible(&e.to_string())),
    };
    escape_strings(&mut tree);
    let text = serde_yaml::to_string(&tree)
        .unwrap_or_else(|e| format!("error: {}\n", visible(&e.to_string())));
    inert(&text).into_owned()
}

fn escape_strings(value: &mut serde_yaml::Value) {
    use serde_yaml::Value;
    match value {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(escaped) = visible(s) {
                *s = escaped;
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(escape_strings),
        Value::Mapping(map) => {
            let entries = std::mem::take(map);
            for (mut key, mut item) in entries {
                escape_strings(&mut key);
                escape_strings(&mut item);
                map.insert(key, item);
            }
        }
        Value::Tagged(tagged) => escape_strings(&mut tagged.value),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}
