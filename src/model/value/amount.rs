//! Money amounts as spreadsheets write them, read into exact cents: `1,234.50`, `¥1,234.50`,
//! `RMB 1,234`, `1234元`, `12.5万`, `1.2亿`, `-￥4,900.00`, and Excel's accounting forms, `-`
//! for zero and `(4,900.00)` for a negative amount.

use super::{Cents, ValueError, Why, digit_value, trim};

pub(super) const AMOUNT_ERR: ValueError = ValueError(Why::Amount);
pub(super) const DECIMALS_ERR: ValueError = ValueError(Why::Decimals);
pub(super) const UNIT_DECIMALS_ERR: ValueError = ValueError(Why::UnitDecimals);
pub(super) const AMOUNT_RANGE_ERR: ValueError = ValueError(Why::AmountRange);

/// The currency marks we strip: they say nothing about the amount itself.
fn is_currency_symbol(c: char) -> bool {
    matches!(c, '¥' | '￥' | '$' | '＄' | '€' | '£' | '￡')
}

/// The currency codes a cell may start or end with (any case, a space optional).
const CURRENCY_CODES: [&str; 6] = ["rmb", "cny", "usd", "hkd", "eur", "gbp"];

/// Reads a money amount into exact cents.
///
/// Accepts `1234`, `1,234.50`, `¥1,234.50`, `$12`, `RMB 1,234`, `1234元`, `12.5万` (ten
/// thousands), `1.2亿` (hundred millions), `3千`, a leading `-`, full-width digits and
/// punctuation, and Excel's accounting forms: `-` (or `—`) alone for zero and `(4,900.00)`
/// for a negative amount. `,` must group thousands; `.` is the decimal point. At most two
/// decimals are allowed (more before a unit, as long as they land on whole cents); more is
/// an error rather than a silent rounding.
pub fn parse_amount(s: &str) -> Result<Cents, ValueError> {
    match parse_amount_plain(s.as_bytes()) {
        Some(cents) => Ok(cents),
        None => parse_amount_general(s),
    }
}

/// Reads an amount written in a unit of 10^`places` (a column headed `金额(万元)` holds
/// amounts in units of 10^4): `12.5` there is 125,000.00, and `0.0001` is 1.00.
pub fn parse_amount_in(s: &str, places: u32) -> Result<Cents, ValueError> {
    if places == 0 {
        return parse_amount(s);
    }
    parse_amount_scaled(s, places)
}

/// Every form [`parse_amount`] reads.
pub(super) fn parse_amount_general(s: &str) -> Result<Cents, ValueError> {
    parse_amount_scaled(s, 0)
}

/// [`parse_amount_general`] of an amount in units of 10^`unit_places`.
fn parse_amount_scaled(s: &str, unit_places: u32) -> Result<Cents, ValueError> {
    let s = trim(s);
    if matches!(s, "-" | "—" | "–" | "－" | "--" | "——") {
        return Ok(0);
    }
    let (in_brackets, s) = accounting_negative(s);
    let (negative, mut rest) = sign_and_symbol(s)?;
    if in_brackets && negative {
        return Err(AMOUNT_ERR);
    }
    if let Some(r) = strip_currency_code_suffix(rest) {
        rest = r;
    }
    if let Some(r) = rest.strip_suffix('元') {
        rest = trim(r);
    }
    // A unit: how many places the point moves right.
    let mut places = unit_places as usize;
    for (unit, p) in [('万', 4), ('亿', 8), ('千', 3)] {
        if let Some(r) = rest.strip_suffix(unit) {
            rest = trim(r);
            places += p;
            break;
        }
    }
    let (int, frac, frac_digits) = decimal_digits(rest)?;
    if frac_digits > 2 + places {
        return Err(if places == 0 {
            DECIMALS_ERR
        } else {
            UNIT_DECIMALS_ERR
        });
    }
    // Scale so the result is in cents: the unit's places and the cents' two, the decimals
    // filling the lower ones.
    let width = (2 + places) as u32;
    let frac_cents = frac * 10u128.pow(width - frac_digits as u32);
    let magnitude = int
        .checked_mul(10u128.pow(width))
        .and_then(|v| v.checked_add(frac_cents))
        .ok_or(AMOUNT_RANGE_ERR)?;
    let magnitude = i128::try_from(magnitude).map_err(|_| AMOUNT_RANGE_ERR)?;
    let signed = if negative || in_brackets {
        -magnitude
    } else {
        magnitude
    };
    Cents::try_from(signed).map_err(|_| AMOUNT_RANGE_ERR)
}

/// Whether an amount is in brackets, Excel's accounting form of a negative amount, and the
/// text inside them.
fn accounting_negative(s: &str) -> (bool, &str) {
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return (true, trim(inner));
        }
    }
    (false, s)
}

/// The text before a currency code at its end (`1,234 RMB`), if it has one.
fn strip_currency_code_suffix(s: &str) -> Option<&str> {
    let split = s.len().checked_sub(3)?;
    let code = s.get(split..)?;
    CURRENCY_CODES
        .iter()
        .any(|c| code.eq_ignore_ascii_case(c))
        .then(|| trim(&s[..split]))
}

/// Whether an amount is negative, and the text after its sign and currency symbol or code,
/// which may come in either order (`-¥12`, `¥-12`, `RMB -12`), each once.
fn sign_and_symbol(mut rest: &str) -> Result<(bool, &str), ValueError> {
    let (mut negative, mut seen_sign, mut seen_symbol) = (false, false, false);
    loop {
        let Some(c) = rest.chars().next() else {
            return Err(AMOUNT_ERR);
        };
        if !seen_sign && matches!(c, '-' | '－' | '−' | '+' | '＋') {
            negative = matches!(c, '-' | '－' | '−');
            seen_sign = true;
        } else if !seen_symbol && is_currency_symbol(c) {
            seen_symbol = true;
        } else if !seen_symbol
            && let Some(code) = rest.get(..3)
            && CURRENCY_CODES.iter().any(|c| code.eq_ignore_ascii_case(c))
        {
            seen_symbol = true;
            rest = trim(&rest[3..]);
            continue;
        } else {
            return Ok((negative, rest));
        }
        rest = trim(&rest[c.len_utf8()..]);
    }
}

/// The integer part, the decimals and how many decimals of a number written with optional
/// thousands separators (the first group 1-3 digits, every later one exactly 3) and a
/// decimal point (thirty decimals at most, which keeps them in a u128). Digits are gathered in
/// u128 with checks, so any length of input is safe.
fn decimal_digits(rest: &str) -> Result<(u128, u128, usize), ValueError> {
    let mut int: u128 = 0;
    let mut int_digits = 0usize;
    let mut group_len: Option<usize> = None; // digits since the last ',' once one was seen
    let mut frac: u128 = 0;
    let mut frac_digits = 0usize;
    let mut in_frac = false;
    for c in rest.chars() {
        if let Some(d) = digit_value(c) {
            if in_frac {
                frac_digits += 1;
                if frac_digits > 30 {
                    return Err(DECIMALS_ERR);
                }
                frac = frac * 10 + u128::from(d);
            } else {
                int_digits += 1;
                if let Some(g) = group_len.as_mut() {
                    *g += 1;
                    if *g > 3 {
                        return Err(AMOUNT_ERR);
                    }
                }
                int = int
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u128::from(d)))
                    .ok_or(AMOUNT_RANGE_ERR)?;
            }
            continue;
        }
        match c {
            ',' | '，' if !in_frac => {
                let ok = match group_len {
                    None => (1..=3).contains(&int_digits),
                    Some(g) => g == 3,
                };
                if !ok {
                    return Err(AMOUNT_ERR);
                }
                group_len = Some(0);
            }
            '.' | '．' if !in_frac => in_frac = true,
            _ => return Err(AMOUNT_ERR),
        }
    }
    if int_digits == 0 || group_len.is_some_and(|g| g != 3) || (in_frac && frac_digits == 0) {
        return Err(AMOUNT_ERR);
    }
    Ok((int, frac, frac_digits))
}

/// `1234`, `1234.5`, `1234.50`: what logs and exports mostly hold, read without the general
/// parser's walk over symbols, groups and units (ten million times per log). Anything else
/// is left to it.
pub(super) fn parse_amount_plain(b: &[u8]) -> Option<Cents> {
    if b.is_empty() || b.len() > 15 {
        return None;
    }
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(dot) if (2..=3).contains(&(b.len() - dot)) => (&b[..dot], &b[dot + 1..]),
        Some(_) => return None,
        None => (b, &b[..0]),
    };
    if int.is_empty() {
        return None;
    }
    let digits = |d: &[u8]| {
        d.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let cents = match frac.len() {
        0 => 0,
        1 => digits(frac)? * 10,
        _ => digits(frac)?,
    };
    Some(digits(int)? * 100 + cents)
}
