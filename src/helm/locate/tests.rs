//! Places in rendered streams (written as helm prints them) traced to the chart's files.

use std::path::{Path, PathBuf};

use super::*;
use crate::helm::{Release, ReleaseSource, Values};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  annotations:\n    kubernetes.io/elb.class: {{ .Values.service.elbClass }}\n    {{- with .Values.service.annotations }}\n    {{- toYaml . | nindent 4 }}\n    {{- end }}\nspec:\n  type: {{ .Values.service.type }}\n  externalTrafficPolicy: Local\n  ports:\n    - port: 80\n      name: http\n";

const STREAM: &str = "---\n# Source: web/charts/cache/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: cache\nspec:\n  ports:\n    - port: 6380\n---\n# Source: web/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.class: performance\n    kubernetes.io/elb.id: 5083f225\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  ports:\n    - port: 80\n      name: http\n";

/// A chart `web` with a dependency aliased `cache`, and a prod values file.
fn chart(dir: &Path) -> RenderedRelease {
    write(&dir.join("web/Chart.yaml"), "name: web\n");
    write(&dir.join("web/templates/svc.yaml"), SERVICE);
    write(
        &dir.join("web/values.yaml"),
        "service:\n  type: LoadBalancer\n  elbClass: union\n  annotations: {}\ncache:\n  port: 6380\n",
    );
    write(
        &dir.join("web/values-prod.yaml"),
        "service:\n  elbClass: performance\n  annotations:\n    kubernetes.io/elb.id: 5083f225\n",
    );
    write(&dir.join("web/charts/redis/Chart.yaml"), "name: redis\n");
    write(
        &dir.join("web/charts/redis/templates/svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: cache\nspec:\n  ports:\n    - port: {{ .Values.port }}\n",
    );
    write(&dir.join("web/charts/redis/values.yaml"), "port: 6379\n");
    let real = std::fs::canonicalize(dir.join("web")).expect("real");
    let tree = ChartNode {
        name: "web".into(),
        real: Some(real.clone()),
        shown: PathBuf::from("web"),
        children: vec![ChartNode {
            name: "cache".into(),
            real: Some(real.join("charts/redis")),
            shown: PathBuf::from("web/charts/redis"),
            children: Vec::new(),
        }],
    };
    let release = Release {
        chart: dir.join("web"),
        chart_name: "web".into(),
        name: "web".into(),
        namespace: "default".into(),
        values: vec![Values::File {
            path: real.join("values-prod.yaml"),
            name: "web/values-prod.yaml".into(),
        }],
        set: Vec::new(),
        cluster: 0,
        kube_version: "v1.31.0".into(),
        source: ReleaseSource::Detected,
    };
    RenderedRelease::new(
        release,
        STREAM.to_string(),
        "helm template web web".into(),
        tree,
        std::collections::BTreeSet::new(),
    )
}

/// What `needle` (the `nth` occurrence in the stream) resolves to: the file's name, the text at
/// the place, the precision, and the related place's text.
fn resolve(
    rendered: &RenderedRelease,
    needle: &str,
    nth: usize,
) -> (String, String, Precision, Option<String>) {
    let start = STREAM.match_indices(needle).nth(nth).expect("needle").0;
    let span = Span::new(start, start + needle.len());
    let read = |p: &Path| -> Option<Arc<str>> { std::fs::read_to_string(p).ok().map(Arc::from) };
    let place = Locator::default()
        .resolve(rendered, span, &read)
        .expect("resolved");
    let text = |p: &Place| {
        let all = std::fs::read_to_string(&p.path).expect("read");
        let line_end = all[p.span.start..]
            .find('\n')
            .map_or(all.len(), |e| p.span.start + e);
        if p.span.start == p.span.end {
            all[p.span.start..line_end].to_string()
        } else {
            all[p.span.start..p.span.end].to_string()
        }
    };
    (
        place.at.name.clone(),
        text(&place.at),
        place.precision,
        place.related.as_ref().map(|(r, _)| text(r)),
    )
}

#[test]
fn values_from_values_files_point_at_the_winning_line() {
    let temp = tempfile::tempdir().expect("temp");
    let rendered = chart(temp.path());
    // `{{ .Values.service.elbClass }}` on the template's key line: the prod file's value wins.
    let (file, text, precision, related) = resolve(&rendered, "performance", 0);
    assert_eq!(
        (file.as_str(), text.as_str(), precision),
        ("web/values-prod.yaml", "performance", Precision::Exact)
    );
    assert_eq!(related.as_deref(), Some("{{ .Values.service.elbClass }}"));
    // toYaml of a map of values: the same key and value in the prod file.
    let (file, text, _, related) = resolve(&rendered, "5083f225", 0);
    assert_eq!(
        (file.as_str(), text.as_str()),
        ("web/values-prod.yaml", "5083f225")
    );
    assert_eq!(
        related.as_deref(),
        Some("{{- with .Values.service.annotations }}")
    );
    let (file, text, _, _) = resolve(&rendered, "kubernetes.io/elb.id", 0);
    assert_eq!(
        (file.as_str(), text.as_str()),
        ("web/values-prod.yaml", "kubernetes.io/elb.id")
    );
    // The chart's own default, read by a template expression.
    let (file, text, _, _) = resolve(&rendered, "type", 0);
    assert_eq!((file.as_str(), text.as_str()), ("web/values.yaml", "type"));
}

#[test]
fn literal_template_lines_and_dependencies() {
    let temp = tempfile::tempdir().expect("temp");
    let rendered = chart(temp.path());
    let (file, text, precision, related) = resolve(&rendered, "Local", 0);
    assert_eq!(
        (file.as_str(), text.as_str(), precision),
        ("web/templates/svc.yaml", "Local", Precision::Exact)
    );
    assert_eq!(related, None);
    let (file, text, _, _) = resolve(&rendered, "externalTrafficPolicy", 0);
    assert_eq!(
        (file.as_str(), text.as_str()),
        ("web/templates/svc.yaml", "externalTrafficPolicy")
    );
    // The dependency's port comes from its parent's values, under its alias (a number has no
    // span of its own: its key's line).
    let (file, text, _, _) = resolve(&rendered, "6380", 0);
    assert_eq!((file.as_str(), text.as_str()), ("web/values.yaml", "port"));
    // An object's first line: the template's `kind:` line.
    let (file, text, precision, _) = resolve(&rendered, "apiVersion", 1);
    assert_eq!(
        (file.as_str(), text.as_str(), precision),
        ("web/templates/svc.yaml", "kind", Precision::Object)
    );
}

#[test]
fn headers_a_template_printed_never_leave_the_chart() {
    let temp = tempfile::tempdir().expect("temp");
    let mut rendered = chart(temp.path());
    let forged = "---\n# Source: web/../../../etc/passwd\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n";
    let release = rendered.release.clone();
    let tree = rendered.tree.clone();
    rendered = RenderedRelease::new(
        release,
        forged.to_string(),
        "helm".into(),
        tree,
        std::collections::BTreeSet::new(),
    );
    let start = forged.find("name").expect("name");
    let read = |p: &Path| -> Option<Arc<str>> { std::fs::read_to_string(p).ok().map(Arc::from) };
    let place = Locator::default()
        .resolve(&rendered, Span::new(start, start + 4), &read)
        .expect("place");
    assert_eq!(place.at.name, "web/Chart.yaml");
    assert!(
        place
            .words
            .is_some_and(|w| w.contains("no file in this repository"))
    );
}
