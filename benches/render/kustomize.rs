//! The Kustomize case: one base (a Service and a Deployment) and 50 overlays, each with a
//! namespace, a name prefix, labels and a strategic-merge patch that publishes the Service on an
//! ELB with two mistakes (an invalid boolean, `externalTrafficPolicy: Local`): 100 findings located
//! back in the overlays' patches.

use std::path::{Path, PathBuf};

use super::{Case, write};

const OVERLAYS: usize = 50;

/// `kustomize` on PATH, else `kubectl`, with the arguments that render a folder: as lbplan picks.
fn renderer() -> Option<(PathBuf, &'static str)> {
    let path = std::env::var_os("PATH")?;
    let find = |name: &str| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    };
    find("kustomize")
        .map(|p| (p, "build"))
        .or_else(|| find("kubectl").map(|p| (p, "kustomize")))
}

/// The case in `dir`, or why it cannot run.
pub fn case(dir: &Path) -> Result<Case, String> {
    let (program, verb) =
        renderer().ok_or("neither kustomize nor kubectl is on PATH".to_string())?;
    write(
        &dir.join("base/kustomization.yaml"),
        "resources: [service.yaml, deployment.yaml]\n",
    );
    write(
        &dir.join("base/service.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n",
    );
    write(
        &dir.join("base/deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: web:1\n",
    );
    let mut renders = Vec::new();
    for i in 0..OVERLAYS {
        let name = format!("overlays/o{i:02}");
        let overlay = dir.join(&name);
        write(
            &overlay.join("kustomization.yaml"),
            &format!(
                "namespace: team-{i}\nnamePrefix: o{i}-\nlabels:\n- pairs: {{team: t{i}}}\n  includeSelectors: true\nresources: [../../base]\npatches:\n- path: lb.yaml\n"
            ),
        );
        write(
            &overlay.join("lb.yaml"),
            &format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.id: 00000000-0000-0000-0000-{i:012}\n    kubernetes.io/elb.class: performance\n    kubernetes.io/elb.pass-through: \"yes\"\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n"
            ),
        );
        renders.push(vec![verb.to_string(), name]);
    }
    Ok(Case {
        title: format!("{OVERLAYS} Kustomize overlays"),
        program,
        renders,
        sources: &["overlays/", "base/"],
    })
}
