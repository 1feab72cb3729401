//! The Kustomize case: one base (four Services and Deployments, two ConfigMaps, an Ingress), a
//! component, and 50 overlays of realistic size (about 20 resources each: the base, the
//! component, resources of their own, three generators), each with a namespace, a name prefix,
//! labels and three patches of three kinds, one of which publishes the web Service on an ELB with
//! two mistakes (an invalid boolean, `externalTrafficPolicy: Local`): 100 findings located back
//! in the overlays' patches. The diff case changes one overlay's replica patch.

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
    let apps = ["web", "api", "worker", "cron"];
    let mut base = Vec::new();
    for app in apps {
        write(
            &dir.join(format!("base/{app}.yaml")),
            &format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\n  labels:\n    app: {app}\nspec:\n  selector:\n    app: {app}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\n  labels:\n    app: {app}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n      - name: {app}\n        image: registry.example.com/{app}:1.4.2\n        ports:\n        - containerPort: 8080\n        env:\n        - name: LOG_LEVEL\n          value: info\n        resources:\n          requests: {{cpu: 100m, memory: 128Mi}}\n          limits: {{cpu: 500m, memory: 256Mi}}\n"
            ),
        );
        base.push(format!("{app}.yaml"));
    }
    write(
        &dir.join("base/config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  region: cn-north-4\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: features\ndata:\n  beta: \"false\"\n",
    );
    write(
        &dir.join("base/ingress.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: site\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
    );
    base.extend(["config.yaml".to_string(), "ingress.yaml".to_string()]);
    write(
        &dir.join("base/kustomization.yaml"),
        &format!("resources: [{}]\n", base.join(", ")),
    );
    write(
        &dir.join("components/monitoring/kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [exporter.yaml]\nlabels:\n- pairs: {monitored: \"true\"}\n",
    );
    write(
        &dir.join("components/monitoring/exporter.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: exporter\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: exporter\nspec:\n  selector:\n    app: exporter\n  ports:\n  - port: 9100\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: exporter\nspec:\n  selector:\n    matchLabels:\n      app: exporter\n  template:\n    metadata:\n      labels:\n        app: exporter\n    spec:\n      containers:\n      - name: exporter\n        image: registry.example.com/exporter:0.9\n",
    );
    let mut renders = Vec::new();
    for i in 0..OVERLAYS {
        let name = format!("overlays/o{i:02}");
        let overlay = dir.join(&name);
        write(
            &overlay.join("kustomization.yaml"),
            &format!(
                "namespace: team-{i}\nnamePrefix: o{i}-\nlabels:\n- pairs: {{team: t{i}}}\n  includeSelectors: true\nresources: [../../base, extra.yaml]\ncomponents: [../../components/monitoring]\npatches:\n- path: lb.yaml\n- path: replicas.yaml\n- path: image.json\n  target: {{kind: Deployment, name: worker}}\nconfigMapGenerator:\n- name: app-env\n  envs: [app.env]\n- name: app-files\n  files: [settings.ini]\nsecretGenerator:\n- name: app-secret\n  literals: [token=t{i}]\n"
            ),
        );
        write(
            &overlay.join("lb.yaml"),
            &format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.id: 00000000-0000-0000-0000-{i:012}\n    kubernetes.io/elb.class: performance\n    kubernetes.io/elb.pass-through: \"yes\"\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n"
            ),
        );
        write(
            &overlay.join("replicas.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 4\n",
        );
        write(
            &overlay.join("image.json"),
            "[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\", \"value\": \"registry.example.com/worker:1.5.0\"}]\n",
        );
        write(
            &overlay.join("extra.yaml"),
            &format!(
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team\ndata:\n  owner: t{i}\n"
            ),
        );
        write(&overlay.join("app.env"), &format!("TEAM=t{i}\nMODE=prod\n"));
        write(&overlay.join("settings.ini"), "[cache]\nsize=64\n");
        renders.push(vec![verb.to_string(), name]);
    }
    Ok(Case {
        title: format!("{OVERLAYS} Kustomize overlays"),
        program,
        renders,
        sources: &["overlays/", "base/"],
        change: Some(("overlays/o07/replicas.yaml", "replicas: 4", "replicas: 6")),
    })
}
