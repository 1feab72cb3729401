//! The Helm case: 100 small charts, each a Service and a Deployment whose annotations the chart's
//! values write with `toYaml | nindent` (an ELB with an invalid boolean) and whose
//! `externalTrafficPolicy: Local` a template writes: 200 findings located back in the values files
//! and templates.

use std::path::{Path, PathBuf};

use super::{Case, write};

const CHARTS: usize = 100;

/// `helm` on PATH's absolute entries, as lbplan finds it.
fn helm() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|d| d.is_absolute())
        .map(|d| d.join("helm"))
        .find(|p| p.is_file())
}

/// The case in `dir`, or why it cannot run.
pub fn case(dir: &Path) -> Result<Case, String> {
    let program = helm().ok_or("helm is not on PATH (scripts/install-helm installs it)")?;
    let mut renders = Vec::new();
    for i in 0..CHARTS {
        let name = format!("app-{i:03}");
        let chart = dir.join("charts").join(&name);
        write(
            &chart.join("Chart.yaml"),
            &format!("apiVersion: v2\nname: {name}\nversion: 1.0.{i}\n"),
        );
        write(
            &chart.join("values.yaml"),
            &format!(
                "replicas: 2\nservice:\n  port: 80\n  annotations:\n    kubernetes.io/elb.id: 00000000-0000-0000-0000-{i:012}\n    kubernetes.io/elb.class: performance\n    kubernetes.io/elb.pass-through: \"yes\"\n"
            ),
        );
        write(
            &chart.join("templates/_helpers.tpl"),
            "{{- define \"app.labels\" -}}\napp: {{ .Release.Name }}\n{{- end }}\n",
        );
        write(
            &chart.join("templates/service.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  annotations:\n    {{- toYaml .Values.service.annotations | nindent 4 }}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector:\n    {{- include \"app.labels\" . | nindent 4 }}\n  ports:\n    - name: http\n      port: {{ .Values.service.port }}\n      targetPort: 8080\n",
        );
        write(
            &chart.join("templates/deployment.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels:\n      {{- include \"app.labels\" . | nindent 6 }}\n  template:\n    metadata:\n      labels:\n        {{- include \"app.labels\" . | nindent 8 }}\n    spec:\n      containers:\n        - name: app\n          image: app:1\n",
        );
        // What lbplan runs, on the chart itself (lbplan renders a private copy of it).
        renders.push(
            [
                "template",
                &name,
                &format!("charts/{name}"),
                "--namespace",
                "default",
                "--skip-tests",
                "--kube-version",
                "v1.31.0",
                "--skip-schema-validation",
            ]
            .iter()
            .map(ToString::to_string)
            .collect(),
        );
    }
    Ok(Case {
        title: format!("{CHARTS} Helm charts"),
        program,
        renders,
        sources: &["charts/"],
        change: None,
    })
}
