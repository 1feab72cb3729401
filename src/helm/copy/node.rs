//! The chart tree a copy records: each chart as helm names it in `# Source:` comments, and the
//! repository folder it was copied from.

use std::path::PathBuf;

/// One chart of a rendered tree, as helm names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartNode {
    /// The name in `# Source:` paths: the `Chart.yaml` name, or the alias it is a dependency by.
    pub name: String,
    /// The repository folder it was copied from (links resolved); `None` for a packaged
    /// dependency (`charts/x-1.0.0.tgz`), whose files are in no folder.
    pub real: Option<PathBuf>,
    /// That folder as reports name it (for a packaged one, the archive).
    pub shown: PathBuf,
    pub children: Vec<ChartNode>,
}

impl ChartNode {
    /// The chart a `# Source:` path names, and the rest of the path inside it: `web/charts/cache/
    /// templates/svc.yaml` is `templates/svc.yaml` of the dependency `cache`. The first segment is
    /// the root chart whatever it says (helm writes the root's name there).
    pub fn find<'n, 's>(&'n self, source: &'s str) -> Option<(&'n ChartNode, &'s str)> {
        let (_, mut rest) = source.split_once('/')?;
        let mut node = self;
        while let Some(after) = rest.strip_prefix("charts/") {
            let (name, tail) = after.split_once('/')?;
            node = node.children.iter().find(|c| c.name == name)?;
            rest = tail;
        }
        Some((node, rest))
    }

    /// Every chart of the tree, this one first.
    pub fn all(&self) -> Vec<&ChartNode> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.all());
        }
        out
    }
}
