//! "Did you mean": the names closest to one lbplan does not know (a rule code or name, a config
//! key or value, a cluster), as clap suggests flags and their values. It depends on nothing else
//! in the crate; callers say what the names are and print the suggestion escaped like any input.

/// Names longer than this are not compared: a typo is short, and a 10 MB key would cost a
/// quadratic comparison against every candidate.
const LONGEST: usize = 100;

/// The candidates closest to `wanted`, best first: those at the smallest edit distance (ignoring
/// case) within a third of `wanted`'s length (at least one edit, at most three); else, for
/// `wanted` of three characters or more, the candidates that contain it. Each candidate once,
/// in the order given among equals.
pub fn closest<'c>(wanted: &str, candidates: &[&'c str]) -> Vec<&'c str> {
    let wanted = wanted.trim();
    if wanted.is_empty() || wanted.chars().count() > LONGEST {
        return Vec::new();
    }
    let lower = wanted.to_lowercase();
    let most = (lower.chars().count() / 3).clamp(1, 3);
    let mut best: Option<usize> = None;
    let mut found: Vec<&str> = Vec::new();
    for &candidate in candidates {
        if candidate.chars().count() > LONGEST || found.contains(&candidate) {
            continue;
        }
        let d = distance(&lower, &candidate.to_lowercase());
        if d > most || best.is_some_and(|b| d > b) {
            continue;
        }
        if best.is_some_and(|b| d < b) {
            found.clear();
        }
        best = Some(d);
        found.push(candidate);
    }
    if found.is_empty() && lower.chars().count() >= 3 {
        for &candidate in candidates {
            if candidate.to_lowercase().contains(&lower) && !found.contains(&candidate) {
                found.push(candidate);
            }
        }
    }
    found
}

/// Levenshtein distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let cost = diagonal + usize::from(ca != *cb);
            let here = cost.min(up.saturating_add(1)).min(left + 1);
            diagonal = up;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = here;
            }
            left = here;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}

/// For serde's "unknown field `X`, expected one of `a`, `b`" (and "unknown variant"), the
/// closest expected name: "did you mean `a`?".
pub fn for_serde_message(message: &str) -> Option<String> {
    let rest = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.split_once(p).map(|(_, rest)| rest))?;
    let (unknown, expected) = rest.split_once('`')?;
    let expected = expected.split_once("expected")?.1;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let close = closest(unknown, &names);
    let first = close.first()?;
    Some(format!("did you mean `{first}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(distance("flavour", "flavor"), 1);
        assert_eq!(distance("lb1o1", "lb101"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("same", "same"), 0);
    }

    #[test]
    fn the_closest_names_first_then_those_containing_it() {
        let names = [
            "listener-conflict",
            "listener-quota",
            "weight-drift",
            "LB101",
        ];
        assert_eq!(closest("listener-conflct", &names), ["listener-conflict"]);
        assert_eq!(closest("lb1o1", &names), ["LB101"]);
        assert_eq!(
            closest("listener", &names),
            ["listener-conflict", "listener-quota"]
        );
        assert!(closest("nothing-like-it", &names).is_empty());
        assert!(closest("x", &names).is_empty());
        assert!(closest(&"a".repeat(1000), &names).is_empty());
    }

    #[test]
    fn serde_messages_get_the_closest_expected_name() {
        let message = "clusters[0]: unknown field `flavour`, expected one of `name`, `provider`, `flavor`, `version`";
        assert_eq!(
            for_serde_message(message).as_deref(),
            Some("did you mean `flavor`?")
        );
        let variant = "unknown variant `hauwei-cce`, expected one of `huawei-cce`, `ctyun-cce`, `tencent-tke`";
        assert_eq!(
            for_serde_message(variant).as_deref(),
            Some("did you mean `huawei-cce`?")
        );
        let two = "unknown variant `of`, expected `off` or `on`";
        assert_eq!(
            for_serde_message(two).as_deref(),
            Some("did you mean `off`?")
        );
        assert_eq!(
            for_serde_message("unknown field `zzzzzz`, expected `a`"),
            None
        );
        assert_eq!(for_serde_message("invalid type: map"), None);
    }
}
