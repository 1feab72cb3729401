//! A chart's `kubeVersion:` constraint, read the way helm reads it (Masterminds semver: `||`
//! between alternatives, comparisons joined by spaces or commas, `~`, `^`, `x` wildcards and
//! `A - B` ranges), to pick the Kubernetes version a chart is rendered for when the cluster's is
//! unknown.
//!
//! Why: charts of the TKE era say `kubeVersion: "<= 1.22.5-x"`, and helm refuses to render them
//! for the stated default (`v1.31.0`): "chart requires kubeVersion: <= 1.22.5-x which is
//! incompatible with Kubernetes v1.31.0". Without a cluster version to hold them to, the newest
//! version the chart accepts is what its users run it on. A known cluster version is never
//! replaced: a chart that refuses it is a real finding of helm's.

/// Versions tried, newest first, when the cluster's is unknown: each minor release from the
/// default down to 1.11, patch 0 (a constraint written `<= 1.22.5-x` accepts 1.22.0).
const CANDIDATES: [(u64, u64); 21] = [
    (1, 31),
    (1, 30),
    (1, 29),
    (1, 28),
    (1, 27),
    (1, 26),
    (1, 25),
    (1, 24),
    (1, 23),
    (1, 22),
    (1, 21),
    (1, 20),
    (1, 19),
    (1, 18),
    (1, 17),
    (1, 16),
    (1, 15),
    (1, 14),
    (1, 13),
    (1, 12),
    (1, 11),
];

/// The newest candidate version `constraint` accepts, as `vMAJOR.MINOR.0`; `None` when the
/// constraint is not understood or accepts none of them.
pub fn newest_accepted(constraint: &str) -> Option<String> {
    CANDIDATES
        .iter()
        .map(|&(major, minor)| (major, minor, 0))
        .find(|v| accepts(constraint, *v) == Some(true))
        .map(|(major, minor, patch)| format!("v{major}.{minor}.{patch}"))
}

/// Whether `constraint` accepts the release version `v` (no pre-release); `None` when it is not
/// understood.
pub fn accepts(constraint: &str, v: (u64, u64, u64)) -> Option<bool> {
    let mut any = false;
    for alternative in constraint.split("||") {
        let mut all = true;
        let words: Vec<&str> = alternative
            .split([' ', ','])
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return None;
        }
        let mut i = 0;
        while let Some(word) = words.get(i) {
            // `A - B`: an inclusive range.
            if words.get(i + 1) == Some(&"-") {
                let low = Bound::parse(word)?;
                let high = Bound::parse(words.get(i + 2)?)?;
                all &= low.cmp_to(v).is_le() && high.cmp_upper(v).is_ge();
                i += 3;
                continue;
            }
            // An operator written apart from its version (`>= 1.19`).
            let (op, rest, used) = match split_op(word) {
                (op, "") => (op, *words.get(i + 1)?, 2),
                (op, rest) => (op, rest, 1),
            };
            all &= comparison(op, rest, v)?;
            i += used;
        }
        any |= all;
    }
    Some(any)
}

fn split_op(word: &str) -> (&str, &str) {
    let end = word
        .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
        .unwrap_or(word.len());
    word.split_at(end)
}

fn comparison(op: &str, version: &str, v: (u64, u64, u64)) -> Option<bool> {
    let bound = Bound::parse(version)?;
    Some(match op {
        "" | "=" | "==" => bound.cmp_to(v).is_le() && bound.cmp_upper(v).is_ge(),
        "!=" => !(bound.cmp_to(v).is_le() && bound.cmp_upper(v).is_ge()),
        ">" => bound.cmp_upper(v).is_lt(),
        ">=" | "=>" => bound.cmp_to(v).is_le(),
        "<" => bound.cmp_to(v).is_gt(),
        "<=" | "=<" => bound.cmp_upper(v).is_ge(),
        // `~1.2.3`: >= 1.2.3, < 1.3.0; `~1`: < 2.0.0.
        "~" | "~>" => {
            let next = if bound.minor.is_some() {
                (bound.major, bound.minor.unwrap_or(0) + 1, 0)
            } else {
                (bound.major + 1, 0, 0)
            };
            bound.cmp_to(v).is_le() && v < next
        }
        // `^1.2.3`: >= 1.2.3, < 2.0.0 (`^0.x` does not occur in Kubernetes versions).
        "^" => bound.cmp_to(v).is_le() && v < (bound.major + 1, 0, 0),
        _ => return None,
    })
}

/// A version in a constraint: missing or `x` parts are wildcards; a pre-release (`-x`, `-0`,
/// `-tke.21`) sorts before its release.
#[derive(Debug, PartialEq, Eq)]
struct Bound {
    major: u64,
    minor: Option<u64>,
    patch: Option<u64>,
    pre_release: bool,
}

impl Bound {
    fn parse(text: &str) -> Option<Bound> {
        let text = text.trim_start_matches(['v', 'V']);
        let (numbers, pre) = match text.split_once('-') {
            Some((numbers, pre)) => (numbers, !pre.is_empty()),
            None => (text.split('+').next().unwrap_or(text), false),
        };
        let mut parts = numbers.split('.');
        let part = |p: Option<&str>| -> Option<Option<u64>> {
            match p {
                None | Some("x" | "X" | "*") => Some(None),
                Some(n) => n.parse().ok().map(Some),
            }
        };
        let major = part(parts.next())??;
        let minor = part(parts.next())?;
        let patch = if minor.is_some() {
            part(parts.next())?
        } else {
            None
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Bound {
            major,
            minor,
            patch,
            pre_release: pre && patch.is_some(),
        })
    }

    /// The lowest version the bound stands for, compared to `v` (`Less`: the bound is lower).
    fn cmp_to(&self, v: (u64, u64, u64)) -> std::cmp::Ordering {
        let low = (self.major, self.minor.unwrap_or(0), self.patch.unwrap_or(0));
        low.cmp(&v).then(if self.pre_release {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Equal
        })
    }

    /// The highest version the bound stands for (wildcards filled), compared to `v`.
    fn cmp_upper(&self, v: (u64, u64, u64)) -> std::cmp::Ordering {
        match (self.minor, self.patch) {
            (Some(minor), Some(patch)) => {
                (self.major, minor, patch)
                    .cmp(&v)
                    .then(if self.pre_release {
                        std::cmp::Ordering::Less
                    } else {
                        std::cmp::Ordering::Equal
                    })
            }
            (Some(minor), None) => (self.major, minor).cmp(&(v.0, v.1)),
            (None, _) => self.major.cmp(&v.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_read_as_helm_reads_them() {
        let yes = |c: &str, v| assert_eq!(accepts(c, v), Some(true), "{c} accepts {v:?}");
        let no = |c: &str, v| assert_eq!(accepts(c, v), Some(false), "{c} refuses {v:?}");
        // The TKE charts' pre-release trick: 1.22.5-tke.21 passes, 1.22.5 does not.
        no("<= 1.22.5-x", (1, 22, 5));
        yes("<= 1.22.5-x", (1, 22, 0));
        no("< 1.22.0-x", (1, 22, 0));
        yes("< 1.22.0-x", (1, 21, 0));
        yes(">=1.12.0-0 <=1.22.5-x", (1, 22, 0));
        no(">=1.12.0-0 <=1.22.5-x", (1, 11, 0));
        yes(">= 1.16.0-0, < 1.30.0-0", (1, 29, 0));
        yes(">=1.19.0", (1, 31, 0));
        yes("~1.20.0 || >= 1.24", (1, 20, 9));
        no("~1.20.0", (1, 21, 0));
        yes("^1.19.0", (1, 31, 0));
        yes("1.20.x", (1, 20, 3));
        no("1.20.x", (1, 21, 0));
        yes("1.18 - 1.22", (1, 22, 9));
        no("1.18 - 1.22", (1, 23, 0));
        yes("!= 1.21.0", (1, 22, 0));
        assert_eq!(accepts("", (1, 22, 0)), None);
        assert_eq!(accepts("?? 1.2", (1, 22, 0)), None);
        assert_eq!(accepts(">= banana", (1, 22, 0)), None);
    }

    #[test]
    fn the_newest_version_the_chart_accepts_is_picked() {
        assert_eq!(newest_accepted("<= 1.22.5-x").as_deref(), Some("v1.22.0"));
        assert_eq!(newest_accepted("< 1.22.0-x").as_deref(), Some("v1.21.0"));
        assert_eq!(newest_accepted("<= 1.16.3-x").as_deref(), Some("v1.16.0"));
        assert_eq!(newest_accepted(">=1.19.0-0").as_deref(), Some("v1.31.0"));
        assert_eq!(newest_accepted("< 1.5").as_deref(), None);
        // The first candidate is the stated default.
        assert_eq!(
            newest_accepted(">= 1.0").as_deref(),
            Some(crate::helm::process::DEFAULT_KUBE_VERSION)
        );
        assert_eq!(newest_accepted("what").as_deref(), None);
    }
}
