//! The error catalogue, after hledger's `test/errors/`: each folder here holds one small bad
//! input (the workspace files), the command to run (`cmd`: one line of arguments split at
//! spaces, default `check`), and exactly what the user must see (`expected.stderr`,
//! `expected.code`, and `expected.stdout` when not empty) — and, beside it, what a user
//! with a Chinese locale sees (`expected.zh.stderr`; `expected.zh.stdout` when it differs).
//! A run must also leave every file byte-identical: bad input never causes a write.

use std::path::{Path, PathBuf};

use crate::util::Workspace;

/// Files of a fixture folder that describe the run rather than belong to the workspace.
const META: [&str; 6] = [
    "cmd",
    "expected.stderr",
    "expected.stdout",
    "expected.code",
    "expected.zh.stderr",
    "expected.zh.stdout",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/errors")
}

/// Runs the fixture in English and under a Chinese locale.
fn run_kind(kind: &str) {
    run_in(kind, "C", "");
    run_in(kind, "zh_CN.UTF-8", ".zh");
}

/// Copies the fixture's workspace files, runs its command under the locale `lang` and
/// compares everything with the expected files named with `suffix`.
fn run_in(kind: &str, lang: &str, suffix: &str) {
    let dir = fixtures().join(kind);
    let read = |name: &str| std::fs::read_to_string(dir.join(name));
    let mut ws = Workspace::new();
    for (relative, bytes) in files_below(&dir) {
        if !META.iter().any(|m| Path::new(m) == relative) {
            ws = ws.file(relative, bytes);
        }
    }
    let cmd = read("cmd").unwrap_or_else(|_| "check".to_string());
    let expected_stderr = read(&format!("expected{suffix}.stderr"))
        .unwrap_or_else(|_| panic!("{kind} has expected{suffix}.stderr"));
    let expected_code: i32 = read("expected.code")
        .expect("every kind has expected.code")
        .trim()
        .parse()
        .expect("expected.code is a number");
    let expected_stdout = read(&format!("expected{suffix}.stdout"))
        .or_else(|_| read("expected.stdout"))
        .unwrap_or_default();

    // The workspace has been written before: its private folder holds the lock, which a
    // writing command takes before it reads anything (taking it is no change).
    let ws = ws
        .file(".clientele/lock", "")
        .file(
            ".clientele/.gitignore",
            "# clientele's lock and journal\n*\n",
        )
        .env("LANG", lang);
    let before = ws.snapshot();
    ws.run(cmd.split_whitespace())
        .stderr(&expected_stderr)
        .stdout(&expected_stdout)
        .code(expected_code);
    ws.assert_unchanged(&before);
}

fn files_below(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).expect("list a fixture folder") {
            let path = entry.expect("read a fixture entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .expect("below the fixture")
                    .to_path_buf();
                out.push((relative, std::fs::read(&path).expect("read a fixture file")));
            }
        }
    }
    out
}

/// One test per kind, named after its folder.
macro_rules! catalogue {
    ($($kind:ident),* $(,)?) => {
        $(
            #[test]
            fn $kind() {
                run_kind(stringify!($kind));
            }
        )*

        /// The kinds listed above, to check that no folder is left out.
        const KINDS: &[&str] = &[$(stringify!($kind)),*];
    };
}

catalogue!(
    // The customer book (CSV unless the name says otherwise).
    bad_date,
    chinese_headers_bad_date,
    bad_amount,
    unknown_stage,
    unknown_grade,
    unknown_type,
    unknown_intent,
    bad_flag,
    rating_out_of_range,
    duplicate_id,
    crlf_duplicate_id,
    multiline_duplicate_id,
    cr_line_ends_bad_stage,
    duplicate_column,
    missing_id_column,
    ragged_row_long,
    ragged_row_short,
    unterminated_quote,
    undecodable_bytes,
    cr_line_ends_undecodable_bytes,
    utf8_book_stray_byte,
    gbk_book_read_as_gbk,
    book_csv_is_a_folder,
    toml_book_bad_grade,
    toml_book_nested_too_deep,
    toml_book_inline_key_too_deep,
    folder_book_bad_date,
    long_row_bad_date,
    // Sheets as Excel users keep them.
    unknown_money_unit,
    ambiguous_slash_date,
    header_row_beyond_the_file,
    workbook_corrupt,
    workbook_encrypted,
    workbook_without_the_named_sheet,
    // Rule files.
    rule_syntax_error,
    rule_unknown_key,
    rule_bad_duration,
    rule_zero_cadence,
    rule_cadence_unknown_intent,
    rule_cadence_new_factor_zero,
    rule_zero_gap,
    rule_too_deep,
    rule_nested_too_deep,
    rule_file_not_utf8,
    rule_stages_bad_skip,
    rule_handling_missing_intent,
    rule_unknown_field,
    rule_type_error,
    rule_unknown_trait,
    rule_file_is_a_folder,
    rules_flag_folder_missing,
    // clientele.toml.
    config_unknown_key,
    config_bad_utc_offset,
    config_unknown_column_field,
    config_bad_date_order,
    config_rules_folder_missing,
    config_is_a_folder,
    config_not_utf8,
    // The activity log.
    log_bad_date,
    log_invalid_utf8,
    log_invalid_utf8_in_a_chinese_log,
    log_invalid_utf8_near_the_top,
    log_utf8_row_in_a_gbk_log,
    log_mixed_problems,
    usage_missing_value,
    log_crlf_bad_date,
    log_cr_line_ends_bad_amount,
    log_unknown_kind,
    log_bad_amount,
    log_unknown_customer,
    log_quote_never_closed,
    log_is_a_folder,
    // A log `log` could not read back: refused before a byte is appended.
    log_cmd_log_without_header,
    log_cmd_log_last_line_incomplete,
    log_cmd_utf8_log_read_as_gbk,
    // Everything at once: check lists every problem, in file order.
    several_problems,
    // Commands other than check stop with exit 2 on errors, and go on after warnings.
    rules_cmd_type_error,
    rules_cmd_syntax_error,
    rules_cmd_config_unknown_key,
    due_cmd_bad_date,
    report_cmd_revenue_overflow,
    due_cmd_unknown_customer,
    due_cmd_unreadable_log_row,
    due_cmd_log_quote_never_closed,
    due_cmd_utf8_book_cut_character,
    tier_cmd_unknown_grade,
    // --excel with a format Excel does not open as a sheet: a usage error, nothing printed.
    due_cmd_excel_with_json,
    // A day for plan or snooze that cannot be read or is past: a usage error, nothing written.
    plan_cmd_past_date,
    plan_cmd_bad_date,
    snooze_cmd_past_date,
    // A write refused on bad input leaves every file as it was.
    log_cmd_bad_book,
    log_cmd_unknown_id,
    log_cmd_after_quote_never_closed,
    // A row that would be wrong: an amount only an order has, an order without one, a touch
    // after today, a control character.
    log_cmd_amount_not_order,
    log_cmd_order_without_amount,
    log_cmd_date_after_today,
    log_cmd_control_char_in_note,
    // A write that would destroy what the book or the rules need.
    report_cmd_html_is_the_book,
    tier_cmd_field_is_the_id,
    tier_cmd_field_of_another_kind,
    tier_cmd_field_read_by_rules,
    classify_cmd_field_is_the_grade,
    promote_cmd_utf8_book_read_as_gbk,
    // export into the workspace's own files; a rule without SQL, an unknown dialect, a
    // report without the one section a query returns.
    export_cmd_into_the_workspace,
    sql_cmd_rule_without_sql,
    sql_cmd_due_greeting_without_sql,
    sql_cmd_unknown_dialect,
    sql_cmd_report_without_section,
);

#[test]
fn every_fixture_folder_is_in_the_catalogue() {
    let mut folders: Vec<String> = std::fs::read_dir(fixtures())
        .expect("list tests/errors")
        .map(|e| e.expect("read an entry").path())
        .filter(|p| p.is_dir())
        .map(|p| {
            p.file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    folders.sort();
    let mut listed: Vec<String> = KINDS.iter().map(|k| k.to_string()).collect();
    listed.sort();
    assert_eq!(folders, listed);
}
