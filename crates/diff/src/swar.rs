//! Eight bytes tested at once as one `u64` (SWAR): plain integer operations, no `unsafe`, for
//! the differ's per-byte loops (folding, word counts), where most bytes need nothing.
//!
//! Each test returns the high bit (0x80) of each byte it holds for, and is exact: no carry
//! crosses from one byte into the next.

/// 0x01 in each byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// 0x80 in each byte.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `i` (little-endian: byte `i` lowest), if there are eight.
#[inline(always)]
pub(crate) fn load(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

/// The bytes of `w` that are zero.
#[inline(always)]
pub(crate) fn zeros(w: u64) -> u64 {
    !(((w & !HIGH) + !HIGH) | w) & HIGH
}

/// The bytes of `w` equal to `c`.
#[inline(always)]
pub(crate) fn equal(w: u64, c: u8) -> u64 {
    zeros(w ^ (ONES * u64::from(c)))
}

/// The bytes of `w` within `lo..=hi`, for `w` of ASCII bytes only (all below 0x80).
#[inline(always)]
pub(crate) fn within(w: u64, lo: u8, hi: u8) -> u64 {
    (w + ONES * u64::from(0x80 - lo)) & !(w + ONES * u64::from(0x7f - hi)) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        #[test]
        fn each_test_holds_for_exactly_its_bytes(bytes in proptest::array::uniform8(0u8..=255), c in 0u8..=255, lo in 0u8..0x80, span in 0u8..0x80) {
            let w = u64::from_le_bytes(bytes);
            let hi = lo.saturating_add(span).min(0x7f);
            let ascii = u64::from_le_bytes(bytes.map(|x| x & 0x7f));
            for (k, &x) in bytes.iter().enumerate() {
                let bit = |m: u64| m >> (8 * k + 7) & 1 == 1;
                proptest::prop_assert_eq!(bit(zeros(w)), x == 0);
                proptest::prop_assert_eq!(bit(equal(w, c)), x == c);
                proptest::prop_assert_eq!(bit(within(ascii, lo, hi)), (lo..=hi).contains(&(x & 0x7f)));
            }
            proptest::prop_assert_eq!(zeros(w) & !HIGH, 0);
        }
    }
}
