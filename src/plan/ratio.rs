//! An exact share of traffic, a fraction until it is printed: the plan's types carry it, the
//! weight arithmetic (`weights.rs`) computes it.

use std::cmp::Ordering;

use serde::{Serialize, Serializer};

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
    #[allow(
        clippy::cast_precision_loss,
        reason = "a share is at most 1: scaled(3) is at most 1000, exact in f64"
    )]
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
