//! Placements across the two sides of a diff.
//!
//! A copy's placement is where its folder first differs from the other copies' folders, so it
//! depends on every copy: a pull request that adds a copy in `apps/control/ingress-sg/` moves the
//! copy in `apps/control/ingress/` from placement `apps/control` to `apps/control/ingress`. A
//! diff comparing the sides' placements by name would then see that copy's load balancer
//! (`auto:default@apps/control/...`) released and another created, when nothing of it changed.
//! So in a diff each side's copies are placed among the copies of both sides: a side whose
//! placements the other side's folders would move ([`moves`]) is read again with them
//! ([`CopyFolders`] given to `load`), and a copy in the same folder on both sides gets the same
//! placement. A copy that exists on one side only still gets its own folder.

use std::collections::{BTreeMap, BTreeSet};

use super::{components, first_difference};

/// An object's copies: (cluster name, kind, namespace, name).
type CopyKey = (String, String, String, String);

/// The folders holding the copies of each object defined in several folders of one side (the
/// objects that side placed), as `assign` was given them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CopyFolders(BTreeMap<CopyKey, BTreeSet<String>>);

impl CopyFolders {
    pub(super) fn insert(&mut self, key: CopyKey, folders: BTreeSet<String>) {
        self.0.insert(key, folders);
    }

    pub(super) fn get(&self, key: &CopyKey) -> Option<&BTreeSet<String>> {
        self.0.get(key)
    }
}

/// Whether placing `own`'s copies among `other`'s too would move any of them: then the side of
/// `own` is read again with `other`'s folders.
pub fn moves(own: &CopyFolders, other: &CopyFolders) -> bool {
    own.0.iter().any(|(key, folders)| {
        let Some(theirs) = other.get(key).filter(|t| !t.is_subset(folders)) else {
            return false;
        };
        let alone: Vec<Vec<&str>> = folders.iter().map(|f| components(f)).collect();
        let mut both = alone.clone();
        both.extend(theirs.iter().map(|f| components(f)));
        both.sort();
        both.dedup();
        alone
            .iter()
            .any(|f| first_difference(f, &alone) != first_difference(f, &both))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copies(folders: &[&str]) -> CopyFolders {
        let mut c = CopyFolders::default();
        c.insert(
            (
                "default".into(),
                "Service".into(),
                "web".into(),
                "web".into(),
            ),
            folders.iter().map(ToString::to_string).collect(),
        );
        c
    }

    #[test]
    fn a_folder_added_beside_a_copy_moves_it() {
        let base = copies(&["apps/control/ingress", "apps/hk/ingress"]);
        let head = copies(&[
            "apps/control/ingress",
            "apps/control/ingress-sg",
            "apps/hk/ingress",
        ]);
        assert!(
            moves(&base, &head),
            "apps/control becomes apps/control/ingress"
        );
        assert!(!moves(&head, &base), "the head's placements stay");
    }

    #[test]
    fn a_folder_that_moves_nothing_reads_nothing_again() {
        let base = copies(&["apps/cn/web", "apps/hk/web"]);
        assert!(!moves(
            &base,
            &copies(&["apps/cn/web", "apps/hk/web", "apps/sg/web"])
        ));
        assert!(!moves(&base, &base));
        assert!(!moves(&base, &CopyFolders::default()));
    }
}
