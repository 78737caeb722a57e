//! Check digits (検証番号) of 保険者番号, 公費負担者番号, 受給者番号 and 医療機関コード.
//!
//! The method (CHECKS.md): take the digits before the check digit; from the rightmost one,
//! multiply alternately by 2 and 1; add the digits of each product (12 → 1+2); the check digit
//! is 10 minus the last digit of the sum, or 0 when that last digit is 0.
//!
//! ```
//! use shohosen::checks::digits::{check_digit, insurer};
//! assert_eq!(check_digit("0113001"), Some(2));
//! assert!(insurer("01130012").is_ok());
//! assert!(insurer("01130013").is_err());
//! ```

/// Why a number fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigitError {
    #[error("数字以外の文字を含みます")]
    NotDigits,
    #[error("桁数が{got}桁です（{want}）")]
    Length { got: usize, want: &'static str },
    #[error("検証番号は{expected}のはずです")]
    Mismatch { expected: u8 },
}

/// The check digit for `body` (the digits before it); `None` if `body` is empty or not all digits.
pub fn check_digit(body: &str) -> Option<u8> {
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            let p = if i % 2 == 0 { d * 2 } else { d };
            p / 10 + p % 10
        })
        .sum();
    let last = sum % 10;
    Some(if last == 0 { 0 } else { (10 - last) as u8 })
}

/// Checks `number` whose last digit is its check digit, given the allowed lengths.
fn verify(number: &str, lengths: &[usize], want: &'static str) -> Result<(), DigitError> {
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DigitError::NotDigits);
    }
    if !lengths.contains(&number.len()) {
        return Err(DigitError::Length {
            got: number.chars().count(),
            want,
        });
    }
    let (body, last) = number.split_at(number.len() - 1);
    let expected = check_digit(body).ok_or(DigitError::NotDigits)?;
    if last.as_bytes()[0] - b'0' == expected {
        Ok(())
    } else {
        Err(DigitError::Mismatch { expected })
    }
}

/// 保険者番号: 8 digits (法別2 + 都道府県2 + 保険者3 + 検証1), or 6 for 国保.
pub fn insurer(number: &str) -> Result<(), DigitError> {
    verify(number, &[6, 8], "8桁、国保は6桁")
}

/// 公費負担者番号: 8 digits.
pub fn public_payer(number: &str) -> Result<(), DigitError> {
    verify(number, &[8], "8桁")
}

/// 公費負担医療の受給者番号: 7 digits.
pub fn recipient(number: &str) -> Result<(), DigitError> {
    verify(number, &[7], "7桁")
}

/// 医療機関コード (7 digits): the check digit covers 都道府県番号 (2) + 点数表番号 (1) + the
/// first six digits of the code.
///
/// ```
/// use shohosen::checks::digits::institution;
/// assert!(institution("01", "1", "0113719").is_ok());
/// ```
pub fn institution(prefecture: &str, table: &str, code: &str) -> Result<(), DigitError> {
    if ![prefecture, table, code]
        .iter()
        .all(|s| s.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(DigitError::NotDigits);
    }
    if code.len() != 7 {
        return Err(DigitError::Length {
            got: code.chars().count(),
            want: "7桁",
        });
    }
    if prefecture.len() != 2 {
        return Err(DigitError::Length {
            got: prefecture.len(),
            want: "都道府県番号は2桁",
        });
    }
    if table.len() != 1 {
        return Err(DigitError::Length {
            got: table.len(),
            want: "点数表番号は1桁",
        });
    }
    let body = format!("{prefecture}{table}{}", &code[..6]);
    let expected = check_digit(&body).ok_or(DigitError::NotDigits)?;
    if code.as_bytes()[6] - b'0' == expected {
        Ok(())
    } else {
        Err(DigitError::Mismatch { expected })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_good_numbers_from_checks_md() {
        for n in ["01130012", "33120015", "39131156", "131011", "270009"] {
            assert_eq!(insurer(n), Ok(()), "{n}");
        }
        assert_eq!(public_payer("54016027"), Ok(()));
        assert_eq!(institution("01", "1", "0113719"), Ok(()));
    }

    #[test]
    fn hand_worked_digits() {
        // 0113001: from the right 1×2, 0, 0×2, 3, 1×2, 1, 0×2 → 2+0+0+3+2+1+0 = 8 → 2.
        assert_eq!(check_digit("0113001"), Some(2));
        // 13101: 1×2, 0, 1×2, 3, 1×2 → 9 → 1.
        assert_eq!(check_digit("13101"), Some(1));
        // 13 1 123456: 6×2=12→3, 5, 4×2=8, 3, 2×2=4, 1, 1×2=2, 3, 1×2=2 → 31 → 9.
        assert_eq!(check_digit("131123456"), Some(9));
        assert_eq!(institution("13", "1", "1234569"), Ok(()));
        // A sum ending in 0 gives 0: 5×2=10→1, 9 → 10 → 0.
        assert_eq!(check_digit("95"), Some(0));
        assert_eq!(check_digit(""), None);
        assert_eq!(check_digit("12a"), None);
    }

    #[test]
    fn bad_numbers_fail() {
        assert_eq!(
            insurer("01130013"),
            Err(DigitError::Mismatch { expected: 2 })
        );
        assert_eq!(
            insurer("06132015"),
            Err(DigitError::Mismatch { expected: 3 })
        );
        assert_eq!(insurer("131012"), Err(DigitError::Mismatch { expected: 1 }));
        assert!(matches!(
            insurer("0113001"),
            Err(DigitError::Length { got: 7, .. })
        ));
        assert_eq!(insurer("0113001X"), Err(DigitError::NotDigits));
        assert!(public_payer("54016028").is_err());
        assert!(public_payer("131011").is_err());
        assert!(institution("01", "1", "0113718").is_err());
        assert!(institution("13", "1", "0113719").is_err());
        assert!(institution("01", "3", "0113719").is_err());
        // 受給者番号: 7 digits; 123456 → 6×2=12→3,5,4×2=8,3,2×2=4,1 → 24 → 6.
        assert_eq!(recipient("1234566"), Ok(()));
        assert!(recipient("1234567").is_err());
    }

    #[test]
    fn swapping_two_adjacent_different_digits_is_caught_here() {
        // 01130012 → 10130012 (a common typing slip) must fail.
        assert!(insurer("10130012").is_err());
    }
}
