//! CSV and TSV meant to be opened in Excel (`--excel`, and the `export` to come): a cell
//! Excel would take for a formula is made text, and the file is written as Excel reads it
//! without asking (UTF-8 with a byte-order mark, CRLF line ends).
//!
//! Without `--excel` nothing here is used: CSV and TSV hold the data exactly as it is.
//!
//! The rule is OWASP's for CSV injection: a cell whose text starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return gets a leading `'`, so that `=HYPERLINK(...)` or
//! `@SUM(1+1)*cmd|' /C calc'!A0` is shown, not run. A plain number (`-12.50`, `+3`) is left
//! as it is: Excel reads it as the number it is, and no formula starts that way.

use std::borrow::Cow;

/// Written before the first byte of an Excel file: UTF-8's byte-order mark, without which
/// Excel reads UTF-8 as the machine's ANSI code page (GBK on Chinese Windows).
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// The line end of an Excel file.
pub const LINE_END: &[u8] = b"\r\n";

/// Whether Excel would read `text`, at the start of a cell, as a formula (or the start of
/// one): it starts with `=`, `+`, `-`, `@`, a tab or a CR, and is not a plain number.
pub fn would_run(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(text)
}

/// `text` as an Excel cell: with a leading `'` when Excel would run it ([`would_run`]).
/// This is the one function `export` is to call for each cell it writes for Excel.
pub fn protect(text: &str) -> Cow<'_, str> {
    if would_run(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// An optional sign, digits, and at most one decimal point with digits on a side of it:
/// `-12.50`, `+3`, `.5`, `7.`; not `-`, `+.`, `1e5`, `-1,234`, `-2+3`.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty()) && all_digits(whole) && all_digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_text_and_numbers_are_left_alone() {
        for (text, shown) in [
            ("=1+1", "'=1+1"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("-", "'-"),
            ("+", "'+"),
            ("-.", "'-."),
            ("+86 138 0000 0000", "'+86 138 0000 0000"),
            ("-1,234.50", "'-1,234.50"),
            ("-1e5", "'-1e5"),
            ("--1", "'--1"),
            ("-12.50", "-12.50"),
            ("+3", "+3"),
            ("-.5", "-.5"),
            ("7.", "7."),
            ("12.5", "12.5"),
            ("华星 = 好", "华星 = 好"),
            (" =1", " =1"),
            ("'=1", "'=1"),
            ("", ""),
        ] {
            assert_eq!(protect(text), shown, "{text:?}");
        }
    }
}
