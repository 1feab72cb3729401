//! Natural order for names with numbers in them, so that tables list `node-2` before `node-10`.

use std::cmp::Ordering;

/// Order names with embedded numbers naturally: `node-2` before `node-10`. Ties (`node-2`,
/// `node-02`) fall back to byte order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    natural_only(a, b).then_with(|| a.cmp(b))
}

fn natural_only(a: &str, b: &str) -> Ordering {
    let mut a = a.as_bytes();
    let mut b = b.as_bytes();
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, ra) = a.split_at(da);
                let (nb, rb) = b.split_at(db);
                let na = trim_zeros(na);
                let nb = trim_zeros(nb);
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = ra;
                b = rb;
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = a.get(1..).unwrap_or_default();
                b = b.get(1..).unwrap_or_default();
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    digits.get(zeros..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec!["node-10", "node-2", "node-1", "a", "node-02"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a", "node-1", "node-02", "node-2", "node-10"]);
    }
}
