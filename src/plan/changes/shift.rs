//! How far a group's share moves, in tenths of a percentage point, and how it is written.

use crate::plan::ratio::Ratio;

/// `after - before` in tenths of a percentage point, rounded half away from zero.
pub fn shift_tenths(before: Ratio, after: Ratio) -> i64 {
    let num = i128::from(after.num) * i128::from(before.den)
        - i128::from(before.num) * i128::from(after.den);
    let den = i128::from(after.den) * i128::from(before.den);
    // One percentage point is 1/100; a tenth of it, 1/1000.
    let scaled = num * 1000 * 2;
    let rounded = (scaled.abs() + den) / (den * 2) * scaled.signum();
    i64::try_from(rounded).unwrap_or(0)
}

/// `+6.7 pp`, `-0.4 pp`, `0.0 pp`.
pub fn format_shift(tenths: i64) -> String {
    let sign = match tenths.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    let abs = tenths.unsigned_abs();
    format!("{sign}{}.{} pp", abs / 10, abs % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_round_to_tenths_of_a_point() {
        let r = |n, d| Ratio::new(n, d).expect("ratio");
        assert_eq!(shift_tenths(r(20, 100), r(30, 110)), 73);
        assert_eq!(format_shift(73), "+7.3 pp");
        assert_eq!(shift_tenths(r(30, 110), r(20, 100)), -73);
        assert_eq!(format_shift(-73), "-7.3 pp");
        assert_eq!(shift_tenths(r(1, 3), r(1, 3)), 0);
        assert_eq!(format_shift(0), "0.0 pp");
        // 0.05 points is half a tenth: away from zero
        assert_eq!(shift_tenths(r(0, 1), r(5, 10_000)), 1);
        assert_eq!(shift_tenths(r(5, 10_000), r(0, 1)), -1);
    }
}
