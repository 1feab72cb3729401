use super::markdown::{Budget, cell, code, fenced, html_code};
use super::terminal::{inert, lines};
use super::workflow::{StopCommands, command, data, property};
use super::*;

#[test]
fn visible_escapes_controls_and_the_legacy_command_prefix() {
    assert_eq!(visible("plain"), "plain");
    assert_eq!(visible("a\u{1b}[31mb\tc"), "a\\u{1b}[31mb\tc");
    assert_eq!(visible("a\nb\rc"), "a\\u{a}b\\u{d}c");
    assert_eq!(visible("x ##[error]y"), "x #\\u{23}[error]y");
    assert_eq!(visible("::1"), "::1", "an IPv6 address inside a line stays");
    // A forged line: the LF is escaped, so `::` no longer starts a line.
    assert_eq!(visible("ok\n::error::x"), "ok\\u{a}::error::x");
    for text in ["\u{9b}x", "::a", "##[", "###[x", "a\r\n::b", "\u{1b}::x"] {
        let once = visible(text).into_owned();
        assert_eq!(visible(&once), once, "idempotent on {text:?}");
        assert!(!once.contains("##["), "{once}");
        assert!(!once.contains(['\n', '\r']), "{once}");
    }
}

#[test]
fn lines_keep_line_breaks_and_make_each_line_inert() {
    assert_eq!(
        lines("one\r\n  ::error file=a::b\rthree\u{7}"),
        "one\n  \\u{3a}:error file=a::b\nthree\\u{7}"
    );
}

#[test]
fn inert_guards_a_finished_output_and_keeps_its_colour() {
    let out = "\u{1b}[31merror\u{1b}[0m: x\n ::warning::y\r::z\nkept ##[group]w\n";
    assert_eq!(
        inert(out),
        "\u{1b}[31merror\u{1b}[0m: x\n \\u{3a}:warning::y\r\\u{3a}:z\nkept #\\u{23}[group]w\n"
    );
    assert!(matches!(inert("a: b\n"), std::borrow::Cow::Borrowed(_)));
}

#[test]
fn markdown_code_spans_hold_any_text() {
    assert_eq!(code("a"), "`a`");
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("``x"), "``` ``x ```");
    assert_eq!(code("@team ![i](http://x)"), "`@team ![i](http://x)`");
    assert_eq!(code("a\nb"), "`a\\u{a}b`");
    assert_eq!(code(""), "");
    assert_eq!(cell("a|b"), "`a\\|b`");
    assert_eq!(
        html_code("<img src=x> & \"@y\""),
        "<code>&lt;img src=x&gt; &amp; &quot;@y&quot;</code>"
    );
    assert_eq!(fenced("a\n```\n::x"), "````text\na\n```\n\\u{3a}:x\n````\n");
}

#[test]
fn a_budget_is_a_hard_bound() {
    let mut b = Budget::new(100, 20);
    b.force("# verdict\n");
    assert!(b.push("row 1\n"));
    assert!(!b.push(&"x".repeat(80)));
    assert_eq!(b.finish("2 more\n"), "# verdict\nrow 1\n2 more\n");
    let mut b = Budget::new(60, 0);
    b.force("line one\nline two, longer than the rest of the budget allows é é é é\n");
    let out = b.finish("");
    assert!(out.len() <= 60, "{}", out.len());
    assert!(out.starts_with("line one\n"));
    assert!(out.ends_with("--max-bytes)\n"), "{out}");
    let mut b = Budget::new(5, 0);
    b.force("ééééé");
    assert_eq!(b.finish(""), "éé");
}

#[test]
fn workflow_commands_encode_data_and_properties() {
    assert_eq!(data("50% done\nnext\r"), "50%25 done%0Anext%0D");
    assert_eq!(property("a,b:c%"), "a%2Cb%3Ac%25");
    assert_eq!(
        command("error", &[("file", "a,b.yaml"), ("line", "3")], "x\ny"),
        "::error file=a%2Cb.yaml,line=3::x%0Ay"
    );
    let stop = StopCommands::new();
    let other = StopCommands::new();
    assert_ne!(stop.token(), other.token(), "random per use");
    assert!(stop.token().len() > 30);
    let wrapped = stop.wrap("::error::forged");
    let token = stop.token();
    assert_eq!(
        wrapped,
        format!("::stop-commands::{token}\n::error::forged\n::{token}::\n")
    );
}

#[test]
fn quotes_are_bounded() {
    assert_eq!(quote("yes"), "\"yes\"");
    let long = "é".repeat(150);
    let quoted = quote(&long);
    assert!(quoted.starts_with(&format!("\"{}…\"", "é".repeat(100))));
    assert!(quoted.ends_with(" (300 bytes)"));
    assert_eq!(Truncated("abc").to_string(), "abc");
    assert_eq!(
        Truncated(&"a".repeat(201)).to_string(),
        format!("{}… (201 bytes)", "a".repeat(200))
    );
}

#[test]
fn bound_cuts_long_words_and_long_messages() {
    assert_eq!(bound("short message"), "short message");
    let name = "n".repeat(1000);
    assert_eq!(
        bound(&format!("claimed by Service/x/{name} here")),
        format!(
            "claimed by {}… (1010 bytes) here",
            format!("Service/x/{name}").get(..200).unwrap_or("")
        )
    );
    // What quote already cut is not cut again.
    let quoted = format!("value {} is wrong", quote(&"v".repeat(5000)));
    assert_eq!(bound(&quoted), quoted);
    let spaced = "a ".repeat(10_000);
    let bounded = bound(&spaced);
    assert!(bounded.len() < MESSAGE_LIMIT, "{}", bounded.len());
    assert!(bounded.ends_with("… (20000 bytes)"));
}

const MESSAGE_LIMIT: usize = quote::MESSAGE_BYTES + 64;
