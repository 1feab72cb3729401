//! Which `.json` files are manifests. Folders hold many JSON files that are not (`tsconfig.json`
//! with comments, `package.json`, dashboards): a JSON manifest is an object with `apiVersion` and
//! `kind` at its top level, and anything else is skipped quietly, even when it is not valid JSON,
//! as YAML that is not a Kubernetes object is. A file that has both and does not parse is still
//! LB001.

/// Whether `text`, its `//` and `/* */` comments aside, has both `apiVersion` and `kind` among
/// the keys of a top-level object. A scan of the text, not a parse: it must answer for text that
/// does not parse.
pub(super) fn declares_object(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut api_version, mut kind) = (false, false);
    let mut depth = 0usize;
    let mut i = 0;
    // The last string closed at depth 1, waiting to see whether a `:` makes it a key.
    let mut pending: Option<(usize, usize)> = None;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let start = i + 1;
                i = string_end(bytes, start);
                pending = (depth == 1).then_some((start, i));
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = bytes
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                    .map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = bytes
                    .get(i + 2..)
                    .and_then(|rest| rest.windows(2).position(|w| w == b"*/"))
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                continue;
            }
            b':' => {
                if let Some((start, end)) = pending.take() {
                    match bytes.get(start..end) {
                        Some(b"apiVersion") => api_version = true,
                        Some(b"kind") => kind = true,
                        _ => {}
                    }
                    if api_version && kind {
                        return true;
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                pending = None;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                pending = None;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => pending = None,
        }
        i += 1;
    }
    false
}

/// The index of the closing quote of the string whose text starts at `start` (the length of the
/// text when it never closes).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::declares_object;

    #[test]
    fn only_objects_with_api_version_and_kind_are_manifests() {
        assert!(declares_object(
            "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {}}"
        ));
        assert!(declares_object(
            "// a comment\n{ /* c */ \"kind\": \"List\", \"items\": [], \"apiVersion\": \"v1\" "
        ));
        // Broken JSON that says it is an object: still read, and LB001.
        assert!(declares_object(
            "{\"apiVersion\": \"v1\", \"kind\": \"Service\",,}"
        ));
        assert!(!declares_object(
            "{\n  // TypeScript\n  \"compilerOptions\": {\"kind\": 1, \"apiVersion\": 2},\n}"
        ));
        assert!(!declares_object(
            "{\"name\": \"x\", \"version\": \"1.0.0\"}"
        ));
        assert!(!declares_object(
            "[{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}]"
        ));
        assert!(!declares_object(
            "{\"kind\": \"x\", \"note\": \"apiVersion\"}"
        ));
        assert!(!declares_object(
            "{\"a\": \"\\\"apiVersion\\\": 1, kind: 2\"}"
        ));
        assert!(!declares_object(""));
    }
}
