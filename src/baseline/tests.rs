use super::*;
use crate::source::{FileId, Origin, Span};

fn finding(code: &str, object: Option<&str>, message: &str, line_start: usize) -> Finding {
    let meta = crate::rules::find(code)
        .map(crate::rules::Rule::meta)
        .unwrap();
    let mut f = Finding::new(
        meta,
        Origin::new(FileId(0), Span::new(line_start, line_start + 1)),
        message,
    );
    f.object = object.map(str::to_string);
    f
}

fn file_of(_: &Finding) -> String {
    "k8s/app.yaml".to_string()
}

#[test]
fn a_recorded_baseline_accepts_the_same_findings_wherever_their_lines_move() {
    let today = vec![
        finding(
            "LB101",
            Some("Service/default/web"),
            "listener TCP:80 is claimed twice",
            10,
        ),
        finding("LB001", None, "invalid YAML at line 3", 0),
    ];
    let text = record(&today, file_of);
    let baseline = Baseline::parse(&text).unwrap();
    // The same findings, moved down, and one numbers-only change.
    let mut later = vec![
        finding(
            "LB101",
            Some("Service/default/web"),
            "listener TCP:80 is claimed twice",
            90,
        ),
        finding("LB001", None, "invalid YAML at line 7", 40),
        finding(
            "LB101",
            Some("Service/default/api"),
            "listener TCP:80 is claimed twice",
            5,
        ),
    ];
    let applied = baseline.apply(&mut later, file_of);
    assert_eq!(
        applied,
        Applied {
            baselined: 2,
            stale: 0
        }
    );
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].object.as_deref(), Some("Service/default/api"));
}

#[test]
fn each_entry_accepts_as_many_findings_as_it_counts() {
    let two = vec![
        finding("LB101", Some("Service/default/web"), "m", 1),
        finding("LB101", Some("Service/default/web"), "m", 2),
    ];
    let text = record(&two, file_of);
    assert!(text.contains("\"count\": 2"), "{text}");
    let baseline = Baseline::parse(&record(&two[..1], file_of)).unwrap();
    let mut now = two.clone();
    assert_eq!(baseline.apply(&mut now, file_of).baselined, 1);
    assert_eq!(now.len(), 1);
    let mut none = Vec::new();
    assert_eq!(baseline.apply(&mut none, file_of).stale, 1);
}

#[test]
fn the_file_is_byte_identical_whatever_the_order_of_findings() {
    let a = finding("LB101", Some("Service/default/web"), "m 1", 1);
    let b = finding("LB211", Some("Service/default/api"), "n", 2);
    assert_eq!(
        record(&[a.clone(), b.clone()], file_of),
        record(&[b, a], file_of)
    );
}

#[test]
fn a_bad_file_is_an_error_naming_line_and_column() {
    let err = Baseline::parse("{\n  \"lbplan_baseline\": 1,\n  \"findings\": [ {\"code\": 3} ]\n}")
        .unwrap_err();
    assert!(err.starts_with("line 3, column"), "{err}");
    assert!(
        Baseline::parse("{\"lbplan_baseline\": 9, \"findings\": []}")
            .unwrap_err()
            .contains("version 1")
    );
    assert!(Baseline::parse("{\"lbplan_baseline\": 1, \"findings\": [], \"x\": 1}").is_err());
}

#[test]
fn additions_are_counted_against_the_base_and_placed_in_the_head_file() {
    let web = finding("LB101", Some("Service/default/web"), "m", 1);
    let api = finding("LB211", Some("Service/default/api"), "n", 2);
    let base = Baseline::parse(&record(std::slice::from_ref(&web), file_of)).unwrap();
    let head_text = record(&[web.clone(), api, web], file_of);
    let head = Baseline::parse(&head_text).unwrap();
    // Both entries accept more than the base's: the new one, and the second copy of `web`.
    let added: Vec<(usize, usize)> = head
        .added(&base)
        .iter()
        .map(|a| (a.index, a.more))
        .collect();
    assert_eq!(added, vec![(0, 1), (1, 1)]);
    let spans = entry_spans(&head_text);
    assert_eq!(spans.len(), 2);
    // The entry's place is its first key, `code`.
    let at = spans[1].unwrap().start;
    let line = head_text[..at].rsplit('\n').next().unwrap().to_string()
        + head_text[at..].split('\n').next().unwrap();
    assert_eq!(line.trim(), "\"code\": \"LB211\",");
}
