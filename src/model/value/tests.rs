//! Tests of the parent module.

use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("test date is valid")
}

fn md(month: u8, day: u8) -> MonthDay {
    MonthDay { month, day }
}

#[test]
fn date_accepts_every_listed_form() {
    let want = d(2025, 4, 11);
    for s in [
        "2025-04-11",
        "2025-4-11",
        "2025/4/11",
        "2025/04/11",
        "2025.4.11",
        "2025.04.11",
        "20250411",
        "2025年4月11日",
        "2025年04月11日",
        "2025年4月11",
        "2025年04月11",
        "２０２５－０４－１１",
        "２０２５／４／１１",
        "２０２５．４．１１",
        "２０２５年４月１１日",
        "２０２５０４１１",
        "2025/4/11 0:00",
        "2025/4/11 00:00",
        "2025-04-11 00:00:00",
        "2025-04-11 13:45",
        "2025/4/11 23:59:59",
        "2025/4/11  9:05",
        "2025年4月11日 0:00",
        "2025/4/11 ０：００",
        " 2025-04-11 ",
        "\u{3000}2025/4/11\u{3000}",
    ] {
        assert_eq!(parse_date(s), Ok(want), "{s:?}");
    }
    assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
    assert_eq!(parse_date("2025-1-2"), Ok(d(2025, 1, 2)));
}

#[test]
fn date_rejects_bad_forms() {
    for s in [
        "2025-02-29",
        "2025-13-01",
        "2025-00-10",
        "2025-04-00",
        "2025-04-31",
        "2025/4/32",
        "25-04-11",
        "25/4/11",
        "250411",
        "2025-4/11",
        "2025/04-11",
        "2025-04-11-",
        "2025--04-11",
        "2025-004-11",
        "2025-04-011",
        "2025年4月11号",
        "2025年4-11",
        "2025/4/11 24:00",
        "2025/4/11 0:60",
        "2025/4/11 0:0",
        "2025/4/11 0",
        "2025/4/11 0:00:60",
        "2025/4/11 0:00:00:00",
        "2025/4/11 noon",
        "2025-04-1a",
        "202504111",
        "2025041",
        "April 11, 2025",
        "11/04/2025",
        "",
        "-",
        "2025-04-11T00:00:00",
    ] {
        assert_eq!(parse_date(s), Err(DATE_ERR), "{s:?}");
    }
}

#[test]
fn date_error_text() {
    assert_eq!(
        parse_date("tomorrow").map_err(|e| e.to_string()),
        Err("expected a date like 2025-04-11".to_string())
    );
}

#[test]
fn month_day_accepts_listed_forms() {
    for s in [
        "04-11",
        "4-11",
        "4/11",
        "04/11",
        "4.11",
        "0411",
        "4月11日",
        "04月11日",
        "4月11",
        "０４－１１",
        "４月１１日",
        "2025-04-11",
        "2025/4/11",
        "20250411",
        "2025年4月11日",
        "2025/4/11 0:00",
        " 4-11 ",
    ] {
        assert_eq!(parse_month_day(s), Ok(md(4, 11)), "{s:?}");
    }
    assert_eq!(parse_month_day("02-29"), Ok(md(2, 29)));
    assert_eq!(parse_month_day("2月29日"), Ok(md(2, 29)));
    assert_eq!(parse_month_day("12-31"), Ok(md(12, 31)));
    assert_eq!(parse_month_day("1-1"), Ok(md(1, 1)));
}

#[test]
fn month_day_rejects_bad_forms() {
    for s in [
        "02-30",
        "13-01",
        "00-10",
        "04-00",
        "04-31",
        "4-32",
        "1301",
        "411",
        "04111",
        "4-11-",
        "4/11/",
        "4月",
        "11日",
        "4-11 0:00",
        "2025-02-29",
        "April 11",
        "",
    ] {
        assert_eq!(parse_month_day(s), Err(MONTH_DAY_ERR), "{s:?}");
    }
    assert_eq!(
        parse_month_day("x").map_err(|e| e.to_string()),
        Err("expected a month-day like 04-11 or a date".to_string())
    );
}

#[test]
fn amount_accepts_listed_forms() {
    for (s, want) in [
        ("1234", 123400),
        ("1234.5", 123450),
        ("1234.50", 123450),
        ("1,234.50", 123450),
        ("¥1,234.50", 123450),
        ("￥1234", 123400),
        ("$12", 1200),
        ("€12", 1200),
        ("£12", 1200),
        ("1234元", 123400),
        ("12.5万", 12500000),
        ("12.5万元", 12500000),
        ("1.23456万", 1234560),
        ("1.234567万", 1234567),
        ("3万", 3000000),
        ("-12.30", -1230),
        ("-¥12.30", -1230),
        ("¥-12.30", -1230),
        ("+5", 500),
        ("１２３４．５", 123450),
        ("１，２３４．５０", 123450),
        ("1,234,567.8", 123456780),
        ("  ¥ 1,234.50  ", 123450),
        ("\u{3000}1234 元\u{3000}", 123400),
        ("0", 0),
        ("0.01", 1),
        ("-0.05", -5),
        ("007", 700),
        ("999", 99900),
        ("1,000", 100000),
        // Excel's accounting forms: a dash for zero, brackets for a negative amount.
        ("-", 0),
        ("—", 0),
        ("(4,900.00)", -490000),
        ("（4,900.00）", -490000),
        ("(¥12.30)", -1230),
        // Units: 亿 is 10^8 yuan, 千 10^3; six decimals of 万 and ten of 亿 are whole cents.
        ("1.2亿", 12000000000),
        ("1.2亿元", 12000000000),
        ("0.0000000001亿", 1),
        ("3千", 300000),
        ("2.5千元", 250000),
        // Currency codes before or after, any case.
        ("RMB 1,234", 123400),
        ("rmb1234.5", 123450),
        ("CNY -5", -500),
        ("USD 12.00", 1200),
        ("1,234 RMB", 123400),
        ("1,234.50 usd", 123450),
    ] {
        assert_eq!(parse_amount(s), Ok(want), "{s:?}");
    }
}

#[test]
fn amount_rejects_bad_forms() {
    for (s, err) in [
        ("(-12.30)", AMOUNT_ERR),
        ("(12.30", AMOUNT_ERR),
        ("RMB", AMOUNT_ERR),
        ("RMBUSD 5", AMOUNT_ERR),
        ("1,23", AMOUNT_ERR),
        ("1234,567", AMOUNT_ERR),
        ("1,2345", AMOUNT_ERR),
        (",123", AMOUNT_ERR),
        ("1,234,", AMOUNT_ERR),
        ("1,,234", AMOUNT_ERR),
        ("1.234,50", AMOUNT_ERR),
        ("1.2.3", AMOUNT_ERR),
        ("12.", AMOUNT_ERR),
        (".5", AMOUNT_ERR),
        ("¥", AMOUNT_ERR),
        ("- -", AMOUNT_ERR),
        ("--5", AMOUNT_ERR),
        ("¥¥5", AMOUNT_ERR),
        ("12 34", AMOUNT_ERR),
        ("12e3", AMOUNT_ERR),
        ("abc", AMOUNT_ERR),
        ("元", AMOUNT_ERR),
        ("12元万", AMOUNT_ERR),
        ("", AMOUNT_ERR),
        ("1.234", DECIMALS_ERR),
        ("1.500", DECIMALS_ERR),
        ("1.2345678", DECIMALS_ERR),
        ("1.2345678万", UNIT_DECIMALS_ERR),
        ("1.00000000001亿", UNIT_DECIMALS_ERR),
        ("92233720368547758.08", AMOUNT_RANGE_ERR),
        (
            "99999999999999999999999999999999999999999999",
            AMOUNT_RANGE_ERR,
        ),
        ("922337203685478万", AMOUNT_RANGE_ERR),
    ] {
        assert_eq!(parse_amount(s), Err(err), "{s:?}");
    }
    assert_eq!(
        parse_amount("lots").map_err(|e| e.to_string()),
        Err("expected an amount like 1,234.50".to_string())
    );
}

#[test]
fn amount_extremes() {
    assert_eq!(parse_amount("92233720368547758.07"), Ok(i64::MAX));
    assert_eq!(parse_amount("-92233720368547758.08"), Ok(i64::MIN));
    assert_eq!(parse_amount(&format_amount(i64::MIN)), Ok(i64::MIN));
}

#[test]
fn format_amount_examples() {
    assert_eq!(format_amount(123450), "1234.50");
    assert_eq!(format_amount(-5), "-0.05");
    assert_eq!(format_amount(0), "0.00");
    assert_eq!(format_amount(100), "1.00");
    assert_eq!(format_amount(-123456789), "-1234567.89");
    assert_eq!(format_amount(i64::MIN), "-92233720368547758.08");
}

#[test]
fn bool_forms() {
    for s in [
        "true", "TRUE", "True", "yes", "YES", "y", "Y", "1", "是", "对", "✓", "✔", "x", "X", "√",
        "on", "ON", " yes ",
    ] {
        assert_eq!(parse_bool(s), Ok(true), "{s:?}");
    }
    for s in [
        "false", "FALSE", "no", "No", "n", "N", "0", "否", "不", "✗", "✘", "off", "OFF", "", "  ",
        "\u{3000}",
    ] {
        assert_eq!(parse_bool(s), Ok(false), "{s:?}");
    }
    for s in ["maybe", "2", "yess", "是的", "t", "-"] {
        assert_eq!(parse_bool(s), Err(BOOL_ERR), "{s:?}");
    }
    assert_eq!(
        parse_bool("?").map_err(|e| e.to_string()),
        Err("expected yes/no (true/false, 是/否, 1/0)".to_string())
    );
}

#[test]
fn traits_split() {
    let got: Vec<&str> =
        split_traits("vip; 老客户，回头客、 price-sensitive |loyal;;, ；\u{3000}").collect();
    assert_eq!(got, ["vip", "老客户", "回头客", "price-sensitive", "loyal"]);
    assert_eq!(split_traits("").count(), 0);
    assert_eq!(split_traits(" ; , ").count(), 0);
    assert_eq!(split_traits("one").collect::<Vec<_>>(), ["one"]);
    assert_eq!(
        split_traits("\u{3000}a b\u{3000}").collect::<Vec<_>>(),
        ["a b"]
    );
}

#[test]
fn duration_forms() {
    for (s, want) in [
        ("7d", Span::Days(7)),
        ("7", Span::Days(7)),
        ("7D", Span::Days(7)),
        ("7天", Span::Days(7)),
        ("７天", Span::Days(7)),
        ("2w", Span::Days(14)),
        ("2周", Span::Days(14)),
        ("3m", Span::Months(3)),
        ("3个月", Span::Months(3)),
        ("3月", Span::Months(3)),
        ("1y", Span::Months(12)),
        ("1年", Span::Months(12)),
        ("2 weeks", Span::Days(14)),
        (" 3 m ", Span::Months(3)),
        ("0d", Span::Days(0)),
    ] {
        assert_eq!(parse_duration(s), Ok(want), "{s:?}");
    }
    for s in [
        "",
        "d",
        "7x",
        "-7d",
        "7.5d",
        "7dd",
        "7d3",
        "a7",
        "4294967296",
        "613566757w",
        "357913942y",
    ] {
        assert_eq!(parse_duration(s), Err(DURATION_ERR), "{s:?}");
    }
    assert_eq!(
        parse_duration("soon").map_err(|e| e.to_string()),
        Err("expected a duration like 7d, 2w or 3m".to_string())
    );
}

/// Every textual form `parse_date` promises to accept, for one date.
fn date_forms(date: NaiveDate) -> Vec<String> {
    use chrono::Datelike;
    let (y, m, dd) = (date.year(), date.month(), date.day());
    let mut forms = vec![
        format!("{y:04}-{m:02}-{dd:02}"),
        format!("{y:04}-{m}-{dd}"),
        format!("{y:04}/{m}/{dd}"),
        format!("{y:04}/{m:02}/{dd:02}"),
        format!("{y:04}.{m}.{dd}"),
        format!("{y:04}.{m:02}.{dd:02}"),
        format!("{y:04}{m:02}{dd:02}"),
        format!("{y:04}年{m}月{dd}日"),
        format!("{y:04}年{m:02}月{dd:02}日"),
        format!("{y:04}年{m}月{dd}"),
        format!("{y:04}/{m}/{dd} 0:00"),
        format!("{y:04}-{m:02}-{dd:02} 00:00:00"),
        format!("{y:04}/{m}/{dd} 17:30"),
    ];
    let full_width: Vec<String> = forms
        .iter()
        .map(|f| {
            f.chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32)
                        .expect("full-width digit exists"),
                    '-' => '－',
                    '/' => '／',
                    '.' => '．',
                    other => other,
                })
                .collect()
        })
        .collect();
    forms.extend(full_width);
    forms
}

fn grouped(cents: Cents) -> String {
    let plain = format_amount(cents);
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain.as_str()),
    };
    let (int, frac) = rest.split_once('.').expect("format_amount writes a point");
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}¥{out}.{frac}")
}

#[test]
fn grouping_helper_is_right() {
    assert_eq!(grouped(123456789), "¥1,234,567.89");
    assert_eq!(grouped(-100000), "-¥1,000.00");
    assert_eq!(grouped(5), "¥0.05");
}

/// Values the shortcut must hand to the formatter or get exactly right: ties (exact in
/// binary and not), negative zero and values rounding to it, the limits of the shortcut.
#[test]
fn fixed_decimals_are_the_formatters() {
    let values = [
        0.0,
        -0.0,
        0.005,
        0.015,
        0.125,
        0.375,
        2.5,
        3.5,
        -2.5,
        1.005,
        1.015,
        2.675,
        -0.001,
        -0.004,
        99.995,
        99.994999,
        5.02,
        7.41,
        100.0,
        1e14,
        9.999_999_999_999e14,
        1e15,
        1e300,
        f64::MAX,
        f64::MIN_POSITIVE,
        1e-300,
        123_456.785,
        0.5,
        1.5,
        -0.5,
    ];
    for x in values {
        for places in 0..7 {
            let mut out = String::new();
            push_fixed(&mut out, x, places);
            assert_eq!(out, format!("{x:.places$}"), "{x} to {places} places");
        }
    }
}

proptest! {
    #[test]
    fn fixed_decimals_match_the_formatter(
        bits in any::<u64>(),
        small in -1e6f64..1e6,
        cents in -100_000_000i64..100_000_000,
        places in 0usize..6,
    ) {
        // Any bit pattern, plain values, and values near two-place ties.
        for x in [f64::from_bits(bits), small, cents as f64 / 100.0 + 0.005, cents as f64 / 1000.0] {
            let mut out = String::new();
            push_fixed(&mut out, x, places);
            prop_assert_eq!(&out, &format!("{x:.places$}"), "{} to {} places", x, places);
        }
    }

    #[test]
    fn every_date_form_round_trips(
        days in 0i64..(NaiveDate::from_ymd_opt(2199, 12, 31).expect("valid")
            - NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid")).num_days()
    ) {
        let date = NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid")
            + chrono::Duration::days(days);
        for form in date_forms(date) {
            prop_assert_eq!(parse_date(&form), Ok(date), "{}", form);
            use chrono::Datelike;
            prop_assert_eq!(
                parse_month_day(&form),
                Ok(MonthDay { month: date.month() as u8, day: date.day() as u8 })
            );
        }
    }

    #[test]
    fn amount_round_trips(cents in -10_000_000_000_000i64..=10_000_000_000_000i64) {
        prop_assert_eq!(parse_amount(&format_amount(cents)), Ok(cents));
        prop_assert_eq!(parse_amount(&grouped(cents)), Ok(cents));
    }

    /// The shortcut for plain amounts reads what the general parser reads, and declines
    /// whatever it would read differently.
    #[test]
    fn plain_amounts_read_as_the_general_parser_reads_them(s in "[0-9.]{0,18}") {
        if let Some(cents) = parse_amount_plain(s.as_bytes()) {
            prop_assert_eq!(parse_amount_general(&s), Ok(cents), "{}", s);
        }
        prop_assert_eq!(parse_amount(&s), parse_amount_general(&s), "{}", s);
    }

    /// The hand-written ISO form is chrono's, in every year chrono knows.
    #[test]
    fn iso_dates_are_chronos(days in -90_000_000i64..90_000_000) {
        let date = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid")
            + chrono::Duration::days(days);
        prop_assert_eq!(iso(date), date.format("%Y-%m-%d").to_string());
    }

    /// ... and in the years written digit by digit (0 to 9999), most of all.
    #[test]
    fn iso_dates_of_four_digit_years_are_chronos(days in 0i64..3_652_425) {
        let date = NaiveDate::from_ymd_opt(0, 1, 1).expect("valid")
            + chrono::Duration::days(days);
        prop_assert_eq!(iso(date), date.format("%Y-%m-%d").to_string());
    }

    #[test]
    fn parse_amount_never_panics(s in any::<String>()) {
        let _ = parse_amount(&s);
    }

    #[test]
    fn parse_amount_never_panics_on_amount_like_text(s in "[0-9,.¥￥元万 \\-０-９，．]{0,30}") {
        let _ = parse_amount(&s);
    }

    #[test]
    fn parse_date_never_panics(s in any::<String>()) {
        let _ = parse_date(&s);
        let _ = parse_month_day(&s);
    }

    #[test]
    fn parse_date_never_panics_on_date_like_text(s in "[0-9/.:\\- 年月日０-９／－．]{0,24}") {
        let _ = parse_date(&s);
        let _ = parse_month_day(&s);
    }

    #[test]
    fn other_parsers_never_panic(s in any::<String>()) {
        let _ = parse_bool(&s);
        let _ = parse_duration(&s);
        let _ = split_traits(&s).count();
    }
}

/// Date cells as spreadsheets leave them. Hand-worked: Excel's day 45658 is 2025-01-01 (its
/// date display), so 45758 is 100 days on: 2025-04-11 (Jan 31 + Feb 28 + Mar 31 = 90 days
/// to 1 April, +10). In the 1904 system the same day is 1462 fewer: 44296. 2025-04-11 is a
/// Friday (2025-01-01 was a Wednesday, 100 days = 14 weeks + 2 days).
#[test]
fn date_cells_as_excel_writes_them() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let plain = DateStyle::default();
    let mdy = DateStyle {
        order: Some(DateOrder::Mdy),
        ..DateStyle::default()
    };
    let dmy = DateStyle {
        order: Some(DateOrder::Dmy),
        ..DateStyle::default()
    };
    let mac = DateStyle {
        system_1904: true,
        ..DateStyle::default()
    };
    for (text, style, want) in [
        ("2025-04-11", plain, d(2025, 4, 11)),
        ("45758", plain, d(2025, 4, 11)),
        ("45758.5", plain, d(2025, 4, 11)),
        ("44296", mac, d(2025, 4, 11)),
        // The first serial read: 10000 days after 1899-12-30 (from day 61 on, Excel's day n
        // is 1899-12-30 + n, as it counts a 29 February 1900): 1927-05-18.
        ("10000", plain, d(1927, 5, 18)),
        ("2025年04月11日 星期五", plain, d(2025, 4, 11)),
        ("2025年4月11日（周五）", plain, d(2025, 4, 11)),
        ("2025/4/11 Fri", plain, d(2025, 4, 11)),
        ("2025-04-11 Friday", plain, d(2025, 4, 11)),
        ("2025-04-11T00:00:00", plain, d(2025, 4, 11)),
        ("2025-04-11T09:30:00.000Z", plain, d(2025, 4, 11)),
        ("2025-04-11T09:30:00+08:00", plain, d(2025, 4, 11)),
        ("4/11/2025", mdy, d(2025, 4, 11)),
        ("4/11/2025", dmy, d(2025, 11, 4)),
        // A part over 12 can only be the day: no setting needed.
        ("13/4/2025", plain, d(2025, 4, 13)),
        ("4/13/2025", plain, d(2025, 4, 13)),
        ("13-4-2025", plain, d(2025, 4, 13)),
        // Day and month equal: the same date either way round.
        ("5/5/2025", plain, d(2025, 5, 5)),
    ] {
        assert_eq!(parse_date_cell(text, style), Ok(want), "{text:?}");
    }
    for (text, style, err) in [
        ("4/11/2025", plain, date_cell::AMBIGUOUS_ERR),
        (
            "2025年04月11日 星期四",
            plain,
            ValueError(super::Why::Weekday),
        ),
        // A number under 10000 in a date column is a year or a typo, not a 1920s date.
        ("2025", plain, DATE_ERR),
        ("9999", plain, DATE_ERR),
        ("13/13/2025", plain, DATE_ERR),
        ("2958466", plain, DATE_ERR),
        ("0", plain, DATE_ERR),
        ("-5", plain, DATE_ERR),
        ("2025-04-11T25", plain, DATE_ERR),
        ("4/31/2025", mdy, DATE_ERR),
        ("someday", plain, DATE_ERR),
    ] {
        assert_eq!(parse_date_cell(text, style), Err(err), "{text:?}");
    }
}

#[test]
fn days_read_as_a_rep_says_them() {
    // Thursday 3 December 2026.
    let today = d(2026, 12, 3);
    for (text, want) in [
        ("2026-12-08", d(2026, 12, 8)),
        ("2026/12/8", d(2026, 12, 8)),
        ("today", today),
        ("今天", today),
        ("tomorrow", d(2026, 12, 4)),
        ("明天", d(2026, 12, 4)),
        ("后天", d(2026, 12, 5)),
        // The next such weekday after today; today's own weekday is a week on.
        ("tue", d(2026, 12, 8)),
        ("Tuesday", d(2026, 12, 8)),
        ("周二", d(2026, 12, 8)),
        ("星期二", d(2026, 12, 8)),
        ("礼拜天", d(2026, 12, 6)),
        ("thu", d(2026, 12, 10)),
        ("fri", d(2026, 12, 4)),
        ("+3d", d(2026, 12, 6)),
        ("3d", d(2026, 12, 6)),
        ("+3", d(2026, 12, 6)),
        ("2w", d(2026, 12, 17)),
        ("1m", d(2027, 1, 3)),
        ("3天", d(2026, 12, 6)),
        ("2周", d(2026, 12, 17)),
    ] {
        assert_eq!(parse_day(text, today), Ok(want), "{text:?}");
    }
    for text in ["", "3", "someday", "+", "+x", "2026-02-30", "tu"] {
        assert_eq!(parse_day(text, today), Err(DAY_ERR), "{text:?}");
    }
}
