use crate::rules::{Context, Finding, Sink};

declare_rule! {
    /// A document that does not parse, or that Kubernetes would refuse as written.
    ///
    /// ## What it does
    /// Reports YAML and JSON syntax errors (at the parser's line and column), files that are not
    /// text, and values of the wrong type in the fields lbplan reads: `port: "eighty"`, an
    /// annotation value that is not a string, `annotations` that are not a mapping, a missing
    /// `metadata.name`, duplicate keys. Every other document of the file, and every other file, is
    /// still linted.
    ///
    /// ## Why it matters
    /// `kubectl apply` refuses such a document, so the load balancer it describes never exists,
    /// and a linter that stopped at the first bad file would pass the rest of a broken change
    /// without looking. When the file holds Helm template syntax (`{{`), it is a template, not a
    /// manifest, and must be rendered first.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster: true   # a boolean, not the string "true"
    /// spec:
    ///   ports:
    ///   - port: "eighty"
    /// ```
    ///
    /// ## Fix
    /// Correct the syntax or the type (quote annotation values: `"true"`). For Helm charts, lint
    /// the rendered output: `helm template my-release ./chart | lbplan lint -`.
    pub struct InvalidYaml {
        code: "LB001",
        name: "invalid-yaml",
        severity: Error,
        scope: K8s,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for problem in cx.problems {
        let mut finding = Finding::new(&META, problem.origin, problem.message.clone());
        finding.cluster = problem.cluster.clone();
        if let Some((origin, message)) = &problem.related {
            finding = finding.related(*origin, None, message.clone());
        }
        finding = if problem.templated {
            finding.help(
                "this file holds Helm template syntax ({{ ... }}); lint the rendered manifests instead: helm template RELEASE CHART | lbplan lint -",
            )
        } else {
            finding.help("fix the document so that kubectl would accept it; every other document is still linted")
        };
        out.push(finding);
    }
}
