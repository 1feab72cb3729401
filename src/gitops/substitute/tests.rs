use super::*;

fn vars(pairs: &[(&str, &str)], incomplete: bool) -> Substitution {
    Substitution {
        vars: pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
        incomplete,
    }
}

fn one(text: &str, pairs: &[(&str, &str)]) -> String {
    let done = substitute(text, &vars(pairs, false));
    assert!(done.errors.is_empty(), "{text}: {:?}", done.errors);
    done.text
}

#[test]
fn plain_and_default_expressions() {
    let v = [("ELB_ID", "5083f225"), ("EMPTY", "")];
    assert_eq!(one("id: ${ELB_ID}\n", &v), "id: 5083f225\n");
    assert_eq!(one("id: \"${ELB_ID}\"\n", &v), "id: \"5083f225\"\n");
    assert_eq!(one("a: ${NOPE}\n", &v), "a: \n");
    assert_eq!(one("a: ${NOPE:=dev}\n", &v), "a: dev\n");
    assert_eq!(one("a: ${EMPTY:-x}\n", &v), "a: x\n");
    assert_eq!(one("a: ${ELB_ID:=x}\n", &v), "a: 5083f225\n");
    assert_eq!(one("a: ${NOPE=x}\n", &v), "a: x\n");
    assert_eq!(one("a: ${NOPE:=${ELB_ID}-b}\n", &v), "a: 5083f225-b\n");
}

#[test]
fn string_functions() {
    let v = [("V", "Hello/World"), ("N", "abcdef")];
    assert_eq!(one("${N:2}\n", &v), "cdef\n");
    assert_eq!(one("${N:1:3}\n", &v), "bcd\n");
    assert_eq!(
        one("${N:-2}\n", &v),
        "abcdef\n",
        "`:-` is a default, as in bash"
    );
    assert_eq!(one("${N:1:-1}\n", &v), "bcde\n");
    assert_eq!(one("${V/o/0}\n", &v), "Hell0/World\n");
    assert_eq!(one("${V//o/0}\n", &v), "Hell0/W0rld\n");
    assert_eq!(one("${V/\\//-}\n", &v), "Hello-World\n");
    assert_eq!(one("${V/#Hello/Bye}\n", &v), "Bye/World\n");
    assert_eq!(one("${V/%World/All}\n", &v), "Hello/All\n");
    assert_eq!(one("${N#a*c}\n", &v), "def\n");
    assert_eq!(one("${N%d*}\n", &v), "abc\n");
    assert_eq!(
        one("${V,,}|${V^^}|${V,}|${N^}\n", &v),
        "hello/world|HELLO/WORLD|hello/World|Abcdef\n"
    );
    assert_eq!(one("${#N}\n", &v), "6\n");
}

#[test]
fn escapes_comments_and_bare_dollars_stay() {
    let v = [("X", "1")];
    assert_eq!(one("a: $${X}\n", &v), "a: ${X}\n");
    assert_eq!(one("a: $X and $$\n", &v), "a: $X and $\n");
    assert_eq!(one("# ${X-bad}\na: ${X}\n", &v), "# ${X-bad}\na: 1\n");
}

#[test]
fn an_opted_out_object_is_kept() {
    let text = "kind: Service\nmetadata:\n  name: a\n  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n  annotations: {id: \"${X}\"}\n---\nkind: Service\nmetadata:\n  name: b\n  annotations:\n    id: \"${X}\"\n";
    let done = one(text, &[("X", "1")]);
    assert!(done.contains("id: \"${X}\""), "{done}");
    assert!(done.ends_with("id: \"1\"\n"), "{done}");
    assert_eq!(done.lines().count(), text.lines().count());
}

#[test]
fn unknown_variables_stay_when_some_come_from_elsewhere() {
    let done = substitute("a: ${X}\nb: ${Y:=d}\n", &vars(&[("X", "1")], true));
    assert_eq!(done.text, "a: 1\nb: ${Y:=d}\n");
    let done = substitute("b: ${Y}\n", &vars(&[("X", "1")], false));
    assert_eq!(done.undefined, ["Y"]);
}

#[test]
fn bad_expressions_keep_their_document_and_say_where() {
    let text = "a: ok\n---\nb: ${X-y}\n";
    let done = substitute(text, &vars(&[("X", "1")], false));
    assert_eq!(done.text, text);
    let (at, message) = done.errors.first().expect("an error");
    assert_eq!(message, "missing closing brace");
    assert!(*at > text.find("${").unwrap_or(0));
    for bad in ["${}", "${X", "${X:1", "${#}"] {
        let done = substitute(&format!("a: {bad}\n"), &vars(&[("X", "1")], false));
        assert_eq!(done.errors.len(), 1, "{bad}");
    }
}
