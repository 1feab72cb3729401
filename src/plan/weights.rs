//! Backend weights by the formulas of seed 002, in exact integer arithmetic.
//!
//! Pass-through to pods: every target pod weighs `ceil(W / N)`. Node mode: a node hosting `k` of
//! the `N` target pods weighs `ceil(W * k / N)`, rounded once after multiplying. Floating point
//! gets this wrong (w=36, N=28, k=21 gives 27.000000000000004 and rounds up to 28; the exact value
//! is 27), so no float appears anywhere here. Shares are exact ratios until they are printed.

use std::cmp::Ordering;

use serde::{Serialize, Serializer};

/// `ceil(a / b)` for `b > 0`; 0 when `b == 0`.
pub fn ceil_div(a: u64, b: u64) -> u64 {
    if b == 0 {
        return 0;
    }
    a / b + u64::from(a % b != 0)
}

/// Member weights for a group with cluster weight `w` whose members host `placement[i]` target
/// pods each (pod mode is every `k = 1`). With no target pods there are no members.
pub fn member_weights(w: u32, placement: &[u32]) -> Vec<u32> {
    let n: u64 = placement.iter().map(|&k| u64::from(k)).sum();
    if n == 0 {
        return Vec::new();
    }
    placement
        .iter()
        .map(|&k| {
            // k <= n, so the result is at most w and fits.
            u32::try_from(ceil_div(u64::from(w) * u64::from(k), n)).unwrap_or(u32::MAX)
        })
        .collect()
}

/// An exact fraction `num / den` (a share of traffic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    pub num: u64,
    pub den: u64,
}

impl Ratio {
    pub fn new(num: u64, den: u64) -> Option<Ratio> {
        (den > 0).then_some(Ratio { num, den })
    }

    /// Rounded half up to `digits` decimals, as an integer count of 10^-digits.
    pub fn scaled(self, digits: u32) -> u64 {
        let scale = 10u128.pow(digits);
        let num = u128::from(self.num) * scale * 2 + u128::from(self.den);
        u64::try_from(num / (u128::from(self.den) * 2)).unwrap_or(u64::MAX)
    }

    /// Rounded to three decimals, the precision of the JSON output.
    pub fn to_f64(self) -> f64 {
        self.scaled(3) as f64 / 1000.0
    }

    /// As a percentage with one decimal, for tables and messages: `79.2%`.
    pub fn percent(self) -> String {
        let tenths = self.scaled(3);
        format!("{}.{}%", tenths / 10, tenths % 10)
    }

    /// Whether `self` and `other` differ by more than `bp` basis points (1 bp = 0.0001).
    pub fn differs_by_more_than(self, other: Ratio, bp: u64) -> bool {
        let a = u128::from(self.num) * u128::from(other.den);
        let b = u128::from(other.num) * u128::from(self.den);
        let diff = a.abs_diff(b);
        diff * 10_000 > u128::from(bp) * u128::from(self.den) * u128::from(other.den)
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        (u128::from(self.num) * u128::from(other.den))
            .cmp(&(u128::from(other.num) * u128::from(self.den)))
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_002_worked_examples() {
        // ground truth §5, example 2 and its variants (node mode)
        assert_eq!(member_weights(80, &[3, 1, 1]), [48, 16, 16]);
        assert_eq!(member_weights(80, &[3, 2, 2]), [35, 23, 23]);
        assert_eq!(member_weights(80, &[4, 2, 1]), [46, 23, 12]);
        assert_eq!(member_weights(100, &[3, 2, 2]), [43, 29, 29]);
        // example 1 (pass-through): 7 pods at ceil(100/7) = 15
        assert_eq!(member_weights(100, &[1; 7]), [15; 7]);
        // example 3: w = 0, N = 0, w < N
        assert_eq!(member_weights(0, &[2, 1]), [0, 0]);
        assert!(member_weights(50, &[]).is_empty());
        assert!(member_weights(50, &[0, 0]).is_empty());
        assert_eq!(member_weights(5, &[1; 12]), [1; 12]);
    }

    #[test]
    fn float_traps_are_exact_here() {
        // ceil((36/28)*21) in f64 is 28; the exact value is 27.
        assert_eq!(member_weights(36, &[21, 7]), [27, 9]);
        // ceil((7/25)*25) in f64 is 8; the exact value is 7.
        assert_eq!(member_weights(7, &[25]), [7]);
    }

    #[test]
    fn shares_round_half_up_and_compare_exactly() {
        let a = Ratio::new(80, 101).expect("share");
        assert_eq!(a.to_f64(), 0.792);
        assert_eq!(a.percent(), "79.2%");
        assert_eq!(Ratio::new(81, 121).expect("share").percent(), "66.9%");
        assert_eq!(Ratio::new(1, 2000).expect("share").scaled(3), 1);
        assert!(Ratio::new(0, 0).is_none());
        let nominal = Ratio::new(80, 100).expect("share");
        assert!(!a.differs_by_more_than(nominal, 200));
        assert!(
            Ratio::new(81, 121)
                .expect("share")
                .differs_by_more_than(nominal, 200)
        );
        // exactly 2 points apart is not more than 2 points
        assert!(
            !Ratio::new(78, 100)
                .expect("share")
                .differs_by_more_than(nominal, 200)
        );
    }
}
