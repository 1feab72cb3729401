//! A cheap look at a chart that was not rendered: do its templates or values name a cloud
//! load-balancer annotation? Text only, no template is run: `--verbose`, JSON and the summary
//! note then say which charts to render first.

use std::path::Path;

use crate::source::read::{Budget, read_regular};

/// Annotation families of the clouds lbplan plans (CCE's ELB, TKE's CLB): a chart that writes
/// none of them publishes no cloud load balancer of lbplan's concern.
const LOAD_BALANCER_PREFIXES: [&str; 6] = [
    "kubernetes.io/elb.",
    "kubernetes.io/ingress.existLbId",
    "service.kubernetes.io/",
    "service.cloud.tencent.com/",
    "ingress.cloud.tencent.com/",
    "tke.cloud.tencent.com/",
];

/// Files looked at, at most, per chart.
const MAX_FILES: usize = 2_000;

/// Whether `chart`'s templates (subcharts' included) or values files name a load-balancer
/// annotation. Links are not followed.
pub fn holds_load_balancer_annotations(chart: &Path, budget: &Budget) -> bool {
    let mut seen = 0;
    scan(chart, budget, 0, &mut seen)
}

fn scan(dir: &Path, budget: &Budget, depth: usize, seen: &mut usize) -> bool {
    if depth > 8 {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        if kind.is_dir() && !name.starts_with('.') {
            if scan(&entry.path(), budget, depth + 1, seen) {
                return true;
            }
        } else if kind.is_file() && is_scanned(&name) {
            *seen += 1;
            if *seen > MAX_FILES {
                return false;
            }
            let Ok(bytes) = read_regular(&entry.path(), budget) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            if LOAD_BALANCER_PREFIXES.iter().any(|p| text.contains(p)) {
                return true;
            }
        }
    }
    false
}

/// Templates, partials and values files.
fn is_scanned(name: &str) -> bool {
    [".yaml", ".yml", ".tpl", ".json"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_are_found_in_templates_and_values() {
        let temp = tempfile::tempdir().expect("temp");
        let chart = temp.path();
        std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
        std::fs::write(chart.join("Chart.yaml"), "name: a\n").expect("write");
        std::fs::write(chart.join("templates/svc.yaml"), "kind: Service\n").expect("write");
        let budget = Budget::default();
        assert!(!holds_load_balancer_annotations(chart, &budget));
        std::fs::write(
            chart.join("values.yaml"),
            "annotations:\n  kubernetes.io/elb.id: x\n",
        )
        .expect("write");
        assert!(holds_load_balancer_annotations(chart, &budget));
    }
}
