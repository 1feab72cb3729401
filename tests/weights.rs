//! Weights must be exact for every W in 0..=100 and N up to thousands. The reference here does not
//! divide at all: the member weight is the smallest q with q * N >= W * k, found by counting up.

use lbplan::{ClusterArg, Ratio, calculate, member_weights};
use proptest::prelude::*;

/// ceil(W * k / N) as the smallest q such that q * N >= W * k.
fn reference(w: u32, k: u32, n: u32) -> u32 {
    let target = u64::from(w) * u64::from(k);
    (0..=w)
        .find(|&q| u64::from(q) * u64::from(n) >= target)
        .unwrap_or(u32::MAX)
}

#[test]
fn pod_mode_is_exact_for_every_weight_and_thousands_of_pods() {
    for w in 0..=100u32 {
        for n in 1..=5000u32 {
            let expected = reference(w, 1, n);
            // In pod mode every member is one pod (k = 1); the other members do not change its
            // weight, so one pod next to the remaining n - 1 checks the formula for this N.
            let placement: &[u32] = if n == 1 { &[1] } else { &[1, n - 1] };
            let weights = member_weights(w, placement);
            assert_eq!(weights.first(), Some(&expected), "W={w} N={n}");
            if n <= 300 {
                let all = member_weights(w, &vec![1; usize::try_from(n).expect("n")]);
                assert!(
                    all.iter().all(|&x| x == expected),
                    "W={w} N={n}: every pod weighs {expected}"
                );
            }
        }
    }
}

#[test]
fn no_pods_means_no_members() {
    for w in 0..=100u32 {
        assert!(member_weights(w, &[]).is_empty());
        assert!(member_weights(w, &[0, 0, 0]).is_empty());
    }
}

#[test]
fn float_arithmetic_would_be_wrong_here() {
    // ground truth §1.1: ceil((w / N) * k) in f64 overshoots these; exact math must not.
    for (w, n, k, exact) in [(36u32, 28u32, 21u32, 27u32), (7, 25, 25, 7)] {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "the float formula under test, on small positive values"
        )]
        let float = ((f64::from(w) / f64::from(n)) * f64::from(k)).ceil() as u32;
        assert_eq!(
            float,
            exact + 1,
            "the float trap still springs for w={w} N={n} k={k}"
        );
        let placement = [k, n - k];
        let weights = member_weights(w, &placement[..if n == k { 1 } else { 2 }]);
        assert_eq!(weights[0], exact);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Node mode: a node hosting k of N target pods weighs ceil(W * k / N), rounded once.
    #[test]
    fn node_mode_matches_the_reference(
        w in 0u32..=100,
        placement in prop::collection::vec(0u32..=400, 0..40),
    ) {
        let members: Vec<u32> = placement.iter().copied().filter(|&k| k > 0).collect();
        let n: u32 = members.iter().sum();
        let weights = member_weights(w, &members);
        if n == 0 {
            prop_assert!(weights.is_empty());
        } else {
            prop_assert_eq!(weights.len(), members.len());
            for (&k, &got) in members.iter().zip(&weights) {
                prop_assert_eq!(got, reference(w, k, n), "W={} k={} N={}", w, k, n);
                prop_assert!(got <= w, "a member never weighs more than W");
            }
            // Rounding up never loses weight: the group weighs at least W.
            prop_assert!(weights.iter().map(|&x| u64::from(x)).sum::<u64>() >= u64::from(w));
        }
    }

    /// The calculator (what `lbplan weights --cluster` prints) agrees with the reference, and its
    /// shares are the exact ratios rounded half up to three decimals. Pods are counted, not
    /// listed, so b goes up to the calculator's limit of a million pods in all.
    #[test]
    fn calculator_agrees(
        wa in 0u32..=100,
        wb in 0u32..=100,
        a in prop::collection::vec(1u32..=50, 1..8),
        pods_b in prop_oneof![1u32..=2000, 1u32..=999_600],
    ) {
        let placement: Vec<String> = a.iter().map(u32::to_string).collect();
        let args = [
            format!("a={wa}:node:{}", placement.join(",")).parse::<ClusterArg>().expect("a"),
            format!("b={wb}:pod:{pods_b}").parse::<ClusterArg>().expect("b"),
        ];
        let calc = calculate(&args).expect("calc");
        let n_a: u32 = a.iter().sum();
        let total_a: u64 = a.iter().map(|&k| u64::from(reference(wa, k, n_a))).sum();
        let total_b = u64::from(reference(wb, 1, pods_b)) * u64::from(pods_b);
        prop_assert_eq!(calc.groups[0].total_weight, Some(total_a));
        prop_assert_eq!(calc.groups[1].total_weight, Some(total_b));
        prop_assert_eq!(calc.total_weight, total_a + total_b);
        if total_a + total_b > 0 {
            let share = calc.groups[0].effective_share.expect("share");
            // Independently: long division to thousandths, then round half up on the remainder.
            let den = total_a + total_b;
            let (quotient, remainder) = (total_a * 1000 / den, total_a * 1000 % den);
            let thousandths = quotient + u64::from(2 * remainder >= den);
            prop_assert_eq!(share.scaled(3), thousandths);
            prop_assert_eq!(share, Ratio::new(total_a, total_a + total_b).expect("ratio"));
        }
    }
}
