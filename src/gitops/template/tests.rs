use super::*;
use serde_json::json;

fn params() -> Params {
    match json!({"path": {"path": "apps/web_1", "basename": "web_1", "segments": ["apps", "web_1"]},
                 "cluster": {"name": "prod"}, "name": "hk"})
    {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

const FAST: Engine = Engine {
    go: false,
    missing_is_error: false,
};
const GO: Engine = Engine {
    go: true,
    missing_is_error: false,
};

#[test]
fn fasttemplate_replaces_known_tags_and_keeps_others() {
    let p = params();
    assert_eq!(
        FAST.string("{{cluster.name}}-{{ name }}", &p),
        Ok("prod-hk".into())
    );
    assert_eq!(FAST.string("{{path.segments.1}}", &p), Ok("web_1".into()));
    assert_eq!(FAST.string("{{nope}} {{", &p), Ok("{{nope}} {{".into()));
}

#[test]
fn go_templates_evaluate_fields_index_and_pipelines() {
    let p = params();
    let go = |s: &str| GO.string(s, &p);
    assert_eq!(go("{{ .path.basename }}"), Ok("web_1".into()));
    assert_eq!(go("{{index .path.segments 1}}"), Ok("web_1".into()));
    assert_eq!(go("{{ .path.basename | normalize }}"), Ok("web-1".into()));
    assert_eq!(go("{{ .nope | default \"x\" }}"), Ok("x".into()));
    assert_eq!(go("{{ .nope }}"), Ok("<no value>".into()));
    assert_eq!(
        go("{{ printf \"%s-%s\" .name .cluster.name | upper }}"),
        Ok("HK-PROD".into())
    );
    assert_eq!(
        go("{{ replace \"_\" \"-\" .path.basename }}"),
        Ok("web-1".into())
    );
    assert!(go("{{ if .name }}x{{ end }}").is_err());
    let strict = Engine {
        go: true,
        missing_is_error: true,
    };
    assert!(strict.string("{{ .nope }}", &p).is_err());
}

#[test]
fn render_touches_strings_only() {
    let template = json!({"metadata": {"name": "{{name}}"}, "spec": {"n": 3}});
    assert_eq!(
        FAST.render(&template, &params()),
        Ok(json!({"metadata": {"name": "hk"}, "spec": {"n": 3}}))
    );
    assert_eq!(slugify("Hello, World!"), "hello-world");
}
