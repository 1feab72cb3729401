//! What makes two findings one finding across revisions (`lbplan diff`) and across time (a
//! baseline): the rule, the cluster and placement, the object (or, for a finding about no
//! object, its file), and the message. Never the line, so that moving a manifest, or adding lines
//! above it, does not make its findings new. A message that differs only in its numbers (a share,
//! a count, a port) is the same finding changed, when asked with [`Wording::Loose`].

use super::Finding;

/// How strictly messages are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wording {
    /// The message exactly.
    Exact,
    /// The message with every number written `#` ([`without_numbers`]).
    Loose,
}

/// The identity of a finding: equal identities are the same finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    pub code: String,
    pub cluster: String,
    pub placement: String,
    /// The object (`Kind/namespace/name`), else the file the finding is in.
    pub subject: String,
    pub message: String,
}

impl Identity {
    /// The identity of `finding`, found in the file named `file` (named from the repository's
    /// root wherever identities must outlive the working folder).
    pub fn of(finding: &Finding, file: &str, wording: Wording) -> Identity {
        Identity {
            code: finding.code.to_string(),
            cluster: finding.cluster.clone().unwrap_or_default(),
            placement: finding.placement.clone().unwrap_or_default(),
            subject: finding.object.clone().unwrap_or_else(|| file.to_string()),
            message: match wording {
                Wording::Exact => finding.message.clone(),
                Wording::Loose => without_numbers(&finding.message),
            },
        }
    }
}

/// The message with every number written `#`: what stays when only numbers change (a share, a
/// count, a port, a version, a line). Digits inside an identifier (a word of 8 or more letters,
/// digits, `-` and `_` holding both letters and digits, such as a load balancer's ID) are
/// kept: another ID is another finding.
pub fn without_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        let word = word_len(rest);
        if word == 0 {
            out.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            continue;
        }
        let (text, after) = rest.split_at(word);
        if is_identifier(text) {
            out.push_str(text);
        } else {
            mark_numbers(text, &mut out);
        }
        rest = after;
    }
    out
}

/// The length in bytes of the word `text` starts with: ASCII letters, digits, `-`, `_`, and a
/// `.` between two digits.
fn word_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut n = 0;
    while let Some(&b) = bytes.get(n) {
        let decimal_point = b == b'.'
            && n > 0
            && bytes.get(n - 1).is_some_and(u8::is_ascii_digit)
            && bytes.get(n + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || decimal_point {
            n += 1;
        } else {
            break;
        }
    }
    n
}

/// An ID rather than a number: long, with letters and digits, and not a version (`v1.28.8-r0`).
fn is_identifier(word: &str) -> bool {
    let bytes = word.as_bytes();
    let version = bytes.first() == Some(&b'v') && bytes.get(1).is_some_and(u8::is_ascii_digit);
    word.len() >= 8
        && bytes.iter().any(u8::is_ascii_alphabetic)
        && bytes.iter().any(u8::is_ascii_digit)
        && !version
}

/// `word` with each run of digits (and decimal points between them) written `#`.
fn mark_numbers(word: &str, out: &mut String) {
    let mut in_number = false;
    for c in word.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_one_mark() {
        assert_eq!(
            without_numbers("group b gets 21.3% of TCP:80, not 20.0%"),
            "group b gets #% of TCP:#, not #%"
        );
        assert_eq!(without_numbers("v1.28.8-r0."), "v#-r#.");
        assert_eq!(
            without_numbers("listener TCP:80 of 0f3a2b1c-9d8e-4f7a-8b6c-5d4e3f2a1b0c, line 12"),
            "listener TCP:# of 0f3a2b1c-9d8e-4f7a-8b6c-5d4e3f2a1b0c, line #"
        );
        assert_eq!(
            without_numbers("lb-7x2kq9dw and 中文 3"),
            "lb-7x2kq9dw and 中文 #"
        );
    }
}
