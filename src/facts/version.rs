//! Kubernetes versions as clusters report them, and the gates rules compare them with.
//!
//! Clusters do not report bare upstream versions: a CCE node says `v1.19.16-r2-CCE22.5.1` (the
//! cluster version `v1.19.16-r2` and a node-package build), a TKE cluster `v1.22.5-tke.9` (Tencent's
//! build number). lbplan keeps what the gates compare (major, minor, patch and CCE's revision) and
//! ignores the rest; [`K8sVersion::reported`] keeps the whole string for display.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::Provider;

/// A Kubernetes version: `1.28`, `v1.28.8`, `v1.28.8-r0` (CCE revision), CCE's
/// `v1.28.8-r0-CCE23.3.1` and TKE's `v1.28.3-tke.5`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct K8sVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
    /// CCE's `-rN`; `None` elsewhere (TKE's `-tke.N` is a build number, not a revision).
    pub revision: Option<u32>,
    /// The part the gates compare, as written: `v1.19.16-r2` of `v1.19.16-r2-CCE22.5.1`.
    pub text: String,
    /// The whole string as given (trimmed).
    reported: String,
    /// Whose build the version names: CCE's `-rN-CCE…` or TKE's `-tke.N`.
    build: Option<Provider>,
}

/// A version lbplan cannot read; the message shows the forms it accepts.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid Kubernetes version \"{0}\" (expected {ACCEPTED})")]
pub struct VersionError(String);

/// The forms [`K8sVersion`] accepts, for messages and help.
pub const ACCEPTED: &str =
    "1.28, v1.28.8, v1.28.8-r0, CCE's v1.28.8-r0-CCE23.3.1 or TKE's v1.28.3-tke.5";

fn digits(text: &str) -> Option<u32> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<u32>().ok())
        .flatten()
}

/// What follows the numbers: `rN`, `rN-CCE<build>` or `tke.N`. The revision, how many bytes
/// of the tail the gates use (the rest is a build ID), and whose build it is.
fn tail(tail: &str) -> Option<(Option<u32>, usize, Option<Provider>)> {
    if let Some(build) = tail.strip_prefix("tke.") {
        return digits(build).map(|_| (None, 0, Some(Provider::TencentTke)));
    }
    let rest = tail.strip_prefix('r')?;
    let (number, build) = match rest.split_once('-') {
        Some((number, build)) => (number, Some(build)),
        None => (rest, None),
    };
    let revision = digits(number)?;
    let Some(build) = build else {
        return Some((Some(revision), 1 + number.len(), None));
    };
    // CCE node builds changed shape over the years (`CCE2.0.20.B001`,
    // `CCE21.1.1.3.B001-17.36.8`): any visible text after `CCE`.
    let id = build.strip_prefix("CCE")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    Some((Some(revision), 1 + number.len(), Some(Provider::HuaweiCce)))
}

impl FromStr for K8sVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<K8sVersion, VersionError> {
        let bad = || VersionError(text.to_string());
        let trimmed = text.trim();
        let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let (numbers, rest) = match body.split_once('-') {
            Some((numbers, rest)) => (numbers, Some(rest)),
            None => (body, None),
        };
        let parts: Vec<&str> = numbers.split('.').collect();
        let num = |s: &str| digits(s).ok_or_else(bad);
        let (major, minor, patch) = match parts.as_slice() {
            [major, minor] => (num(major)?, num(minor)?, None),
            [major, minor, patch] => (num(major)?, num(minor)?, Some(num(patch)?)),
            _ => return Err(bad()),
        };
        let (revision, kept_tail, build) = match rest {
            None => (None, 0, None),
            // A revision or build belongs to a full version: `1.28-r0` says too little.
            Some(_) if patch.is_none() => return Err(bad()),
            Some(rest) => tail(rest).ok_or_else(bad)?,
        };
        let prefix = trimmed.len() - body.len();
        let kept = prefix + numbers.len() + if kept_tail > 0 { 1 + kept_tail } else { 0 };
        Ok(K8sVersion {
            major,
            minor,
            patch,
            revision,
            text: trimmed.get(..kept).unwrap_or(trimmed).to_string(),
            reported: trimmed.to_string(),
            build,
        })
    }
}

impl K8sVersion {
    /// Compare with `gate`. `None` when the version is too coarse to tell (`1.28` against a
    /// `v1.28.8-r0` gate). A missing revision counts as `r0`.
    pub fn cmp_gate(&self, gate: Gate) -> Option<Ordering> {
        let Gate {
            major,
            minor,
            patch,
            revision,
        } = gate;
        match (self.major, self.minor).cmp(&(major, minor)) {
            Ordering::Equal => {}
            other => return Some(other),
        }
        let Some(own_patch) = self.patch else {
            return (patch == 0 && revision == 0).then_some(Ordering::Greater);
        };
        match own_patch.cmp(&patch) {
            Ordering::Equal => Some(self.revision.unwrap_or(0).cmp(&revision)),
            other => Some(other),
        }
    }

    /// `Some(true)` when certainly below the gate, `Some(false)` when certainly not.
    pub fn below(&self, gate: Gate) -> Option<bool> {
        self.cmp_gate(gate).map(|o| o == Ordering::Less)
    }

    /// The whole string as the cluster or the user gave it (`v1.19.16-r2-CCE22.5.1`).
    pub fn reported(&self) -> &str {
        &self.reported
    }

    /// The provider whose build the version names: CCE's `-rN-CCE…` (the CCE family: Huawei or
    /// CT Cloud), TKE's `-tke.N`.
    pub fn build_of(&self) -> Option<Provider> {
        self.build
    }

    /// Whether two versions can be the same cluster's: equal in every part both state (`1.28`
    /// agrees with `v1.28.8-r0`; `v1.28.8` with `v1.28.8-r2`, which says more).
    pub fn agrees_with(&self, other: &K8sVersion) -> bool {
        let same = |a: Option<u32>, b: Option<u32>| a.zip(b).is_none_or(|(a, b)| a == b);
        (self.major, self.minor) == (other.major, other.minor)
            && same(self.patch, other.patch)
            && same(self.revision, other.revision)
    }

    /// Order by what the gates compare, for picking the lowest of several nodes.
    pub fn cmp_parts(&self, other: &K8sVersion) -> Ordering {
        (
            self.major,
            self.minor,
            self.patch.unwrap_or(0),
            self.revision.unwrap_or(0),
        )
            .cmp(&(
                other.major,
                other.minor,
                other.patch.unwrap_or(0),
                other.revision.unwrap_or(0),
            ))
    }
}

impl fmt::Display for K8sVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The first version with a feature: `v1.28.8-r0` (CCE revisions; `r0` where a gate has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gate {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
    pub revision: u32,
}

impl Gate {
    pub const fn new(major: u32, minor: u32, patch: u32, revision: u32) -> Gate {
        Gate {
            major,
            minor,
            patch,
            revision,
        }
    }

    /// The first release of a minor line: `1.17`.
    pub const fn minor(major: u32, minor: u32) -> Gate {
        Gate::new(major, minor, 0, 0)
    }
}

impl fmt::Display for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Gate {
            major,
            minor,
            patch,
            revision,
        } = self;
        write!(f, "v{major}.{minor}.{patch}-r{revision}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> K8sVersion {
        text.parse::<K8sVersion>().expect(text)
    }

    fn parts(text: &str) -> (u32, u32, Option<u32>, Option<u32>, String) {
        let v = v(text);
        (v.major, v.minor, v.patch, v.revision, v.text)
    }

    #[test]
    fn parses_the_spellings_users_write() {
        assert_eq!(
            parts("v1.28.8-r0"),
            (1, 28, Some(8), Some(0), "v1.28.8-r0".into())
        );
        assert_eq!(parts("1.28"), (1, 28, None, None, "1.28".into()));
        assert_eq!(parts(" v1.28.8 "), (1, 28, Some(8), None, "v1.28.8".into()));
    }

    /// Strings real clusters report (cluster-facts research, §1): nodes' kubeletVersion and the
    /// servers' gitVersion on CCE and TKE.
    #[test]
    fn parses_what_clusters_report() {
        for (reported, kept, revision) in [
            ("v1.19.16-r2-CCE22.5.1", "v1.19.16-r2", Some(2)),
            ("v1.19.8-r1-CCE21.4.1.B003", "v1.19.8-r1", Some(1)),
            ("v1.17.9-r0-CCE21.1.1.3.B001-17.36.8", "v1.17.9-r0", Some(0)),
            (
                "v1.19.10-r0-CCE21.11.1.B006-21.11.1.B006",
                "v1.19.10-r0",
                Some(0),
            ),
            ("v1.11.7-r0-CCE2.0.20.B001", "v1.11.7-r0", Some(0)),
            ("v1.22.5-tke.9", "v1.22.5", None),
            ("v1.34.1-tke.8", "v1.34.1", None),
            ("v1.20.6-tke.33", "v1.20.6", None),
        ] {
            let version = v(reported);
            assert_eq!(version.text, kept, "{reported}");
            assert_eq!(version.revision, revision, "{reported}");
            assert_eq!(version.reported(), reported);
            assert_eq!(version.to_string(), kept);
            let tke = reported.contains("tke");
            assert_eq!(
                version.build_of(),
                Some(if tke {
                    Provider::TencentTke
                } else {
                    Provider::HuaweiCce
                })
            );
        }
        assert_eq!(v("v1.28.8-r0").build_of(), None);
    }

    #[test]
    fn refuses_anything_else_naming_the_accepted_forms() {
        for bad in [
            "",
            "1",
            "v1.x",
            "1.28-r0",
            "1.28-tke.1",
            "1.28.8-x1",
            "1.2.3.4",
            "1.28.+8",
            "v1.28.8-r",
            "v1.28.8-r0-",
            "v1.28.8-r0-EKS1",
            "v1.28.8-r0-CCE",
            "v1.28.8-tke",
            "v1.28.8-tke.x",
            "v1.28.8-eks-4f4795d",
            "v1.28.8+k3s1",
            "v1.28.8-r0-CCE2 3",
        ] {
            let err = bad.parse::<K8sVersion>().expect_err(bad);
            assert!(err.to_string().contains(ACCEPTED), "{err}");
        }
    }

    #[test]
    fn gates_compare_with_revisions_and_ignore_builds() {
        let gate = Gate::new(1, 28, 8, 0);
        assert_eq!(v("v1.28.8-r0").below(gate), Some(false));
        assert_eq!(v("v1.28.8").below(gate), Some(false));
        assert_eq!(v("v1.28.7-r9").below(gate), Some(true));
        assert_eq!(v("1.28").below(gate), None);
        assert_eq!(v("1.27").below(gate), Some(true));
        assert_eq!(v("1.17").below(Gate::minor(1, 17)), Some(false));
        assert_eq!(v("1.16").below(Gate::minor(1, 17)), Some(true));
        assert_eq!(gate.to_string(), "v1.28.8-r0");
        let gate = Gate::new(1, 19, 16, 0);
        assert_eq!(v("v1.19.16-r2-CCE22.5.1").below(gate), Some(false));
        assert_eq!(v("v1.19.8-r1-CCE21.4.1.B003").below(gate), Some(true));
        assert_eq!(v("v1.22.5-tke.9").below(Gate::minor(1, 12)), Some(false));
        assert_eq!(
            v("v1.28.15-r40-CCE25.1.1").below(Gate::new(1, 28, 15, 4)),
            Some(false)
        );
    }

    #[test]
    fn agreement_is_on_the_parts_both_state() {
        assert!(v("1.28").agrees_with(&v("v1.28.8-r0-CCE23.3.1")));
        assert!(v("v1.28.8").agrees_with(&v("v1.28.8-r2")));
        assert!(!v("v1.28.8-r1").agrees_with(&v("v1.28.8-r2")));
        assert!(!v("1.27").agrees_with(&v("v1.28.8")));
        assert!(v("v1.22.5").agrees_with(&v("v1.22.5-tke.9")));
    }
}
