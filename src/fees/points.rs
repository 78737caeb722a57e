//! Yen to points (点) for one unit of calculation.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// pts(x): 0 when x = 0; 1 when 0 < x ≤ 15円; otherwise ceil((x − 15) / 10) + 1
/// (15円以下1点, then 1点 for every 10円 or part of it). Negative amounts give 0.
///
/// ```
/// use rust_decimal_macros::dec;
/// use shohosen::fees::points::pts;
/// assert_eq!(pts(dec!(0)), 0);
/// assert_eq!(pts(dec!(15)), 1);
/// assert_eq!(pts(dec!(15.01)), 2);
/// assert_eq!(pts(dec!(34.20)), 3);
/// assert_eq!(pts(dec!(289.60)), 29);
/// ```
pub fn pts(x: Decimal) -> u64 {
    if x <= Decimal::ZERO {
        return 0;
    }
    let fifteen = Decimal::from(15);
    if x <= fifteen {
        return 1;
    }
    ((x - fifteen) / Decimal::TEN)
        .ceil()
        .to_u64()
        .map_or(u64::MAX, |n| n.saturating_add(1))
}
