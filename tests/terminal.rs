//! Tables as a terminal shows them: at 80 and 120 columns (`COLUMNS`) no line of any
//! command's table is wider than the terminal, ids and phone numbers are never cut, long
//! texts end in "…"; piped output is never cut.

use std::path::Path;

use unicode_width::UnicodeWidthStr;

use crate::util::Workspace;

/// A workspace holding a copy of one of the examples.
fn example(name: &str) -> Workspace {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let mut ws = Workspace::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("list the example") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(&root).expect("below the example");
                ws = ws.file(relative, std::fs::read(&path).expect("read the example"));
            }
        }
    }
    ws
}

/// The table commands of a workspace whose first customer is `id`.
fn commands(id: &str) -> Vec<Vec<String>> {
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["due"],
        vec!["due", "--within", "6w"],
        vec!["classify"],
        vec!["check"],
        vec!["report"],
        vec!["rules"],
        vec!["show", id],
    ];
    for scheme in ["abc", "pyramid", "grade", "key", "value3", "rfm", "stars"] {
        commands.push(vec!["tier", "--scheme", scheme]);
    }
    commands
        .into_iter()
        .map(|c| c.into_iter().map(String::from).collect())
        .collect()
}

fn widest_line(text: &str) -> (usize, String) {
    text.lines()
        .map(|l| (l.width(), l.to_string()))
        .max_by_key(|(w, _)| *w)
        .unwrap_or_default()
}

#[test]
fn no_table_is_wider_than_the_terminal() {
    for (name, id) in [("excel-gbk", "KH005"), ("toml-folder", "alpine-foods")] {
        for columns in [80, 120] {
            let ws = example(name).env("COLUMNS", &columns.to_string());
            for lang in ["en", "zh"] {
                for command in commands(id) {
                    let mut args =
                        vec!["--today", "2026-11-23", "--format", "table", "--lang", lang];
                    args.extend(command.iter().map(String::as_str));
                    let out = ws.run(&args);
                    let text = out.stdout_text();
                    let (width, line) = widest_line(&text);
                    assert!(
                        width <= columns,
                        "{name}: clientele {} at {columns} columns: a line of {width}:\n{line}",
                        args.join(" ")
                    );
                }
            }
        }
    }
}

#[test]
fn ids_and_phones_are_never_cut_and_long_texts_end_in_an_ellipsis() {
    let ws = example("excel-gbk").env("COLUMNS", "80");
    let out = ws.run(["--today", "2026-11-23", "--format", "table", "due"]);
    let text = out.stdout_text();
    // KH002's complaint is the first row: its id and phone whole, its name and reason cut.
    let row = text
        .lines()
        .find(|l| l.contains("KH002"))
        .expect("KH002 is due");
    assert!(row.contains("0512-6271-5580"), "{row}");
    assert!(row.contains('…'), "{row}");
    for id in [
        "KH001", "KH003", "KH004", "KH005", "KH006", "KH008", "KH009", "KH012", "KH013",
    ] {
        assert!(text.contains(id), "{id} is listed whole:\n{text}");
    }
    // At 80 columns the list shows five columns: the due date says how late it is.
    let header = text.lines().nth(1).expect("a header row");
    assert_eq!(
        header
            .split('┆')
            .map(|h| h.trim_matches(|c: char| c == '│' || c.is_whitespace()))
            .collect::<Vec<_>>(),
        ["应跟进", "编号", "客户名称", "联系方式", "原因"]
    );
}

/// At 80 columns the reason, what a rep reads first, keeps its room longer than the name.
/// A table has 3 columns of borders and padding a column and 1 to start.
#[test]
fn the_reason_keeps_its_room_at_80_columns() {
    let at = |columns: &str, name: &str, args: &[&str]| {
        let ws = example(name).env("COLUMNS", columns);
        let mut all = vec!["--today", "2026-11-23", "--format", "table", "due"];
        all.extend(args);
        let out = ws.run(&all);
        out.code(0);
        out.stdout_text()
    };
    let row = |text: &str, id: &str| -> String {
        text.lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} is due:\n{text}"))
            .to_string()
    };
    // Five columns leave 80 − 16 = 64: the due date 10, the id 5, the phone 14 leave 35;
    // the name gives way to 12 (five characters two columns wide and "…", 11), the reason
    // keeps 23, and KH005's "A 预计下单 2026-11-09" (21) is whole.
    let zh = at("80", "excel-gbk", &[]);
    assert_eq!(
        row(&zh, "KH005"),
        "│ 2026-11-02 ┆ KH005 ┆ 无锡宏远化… ┆ 0510-8123-4477 ┆ A 预计下单 2026-11-09   │"
    );
    // An e-mail address is never cut: with it (30 columns), 64 − 10 − 18 (the longest id)
    // − 30 would leave the name and the reason 6, so the way to reach the customer is left
    // out (`show` has it). Four columns leave 67: 39 for the name, cut to 12, and the
    // reason, 27, in which "A expected order 2026-11-29" is whole.
    let en = at("80", "toml-folder", &[]);
    assert_eq!(headers(&en), ["Due", "ID", "Name", "Reason"]);
    assert_eq!(
        row(&en, "shanghai-lianhe"),
        "│ 2026-11-23 ┆ shanghai-lianhe    ┆ 上海联合包…  ┆ A expected order 2026-11-29 │"
    );
    assert_eq!(
        row(&en, "pacific-tools"),
        "│ 2026-11-19 ┆ pacific-tools      ┆ Pacific Too… ┆ D every 3 months            │"
    );
    // At 120 columns the table has seven columns: 120 − 22 = 98, less the due date 10, the
    // days overdue 7, the id 18 and the e-mail 30, leaves 33 for the name, the reason and
    // the last note: the reason would get 9. The last note, the rightmost optional column,
    // goes first: six columns leave 101 − 65 = 36, the name 12 and the reason 24.
    assert_eq!(
        headers(&at("120", "toml-folder", &[])),
        ["Due", "Overdue", "ID", "Name", "Reach", "Reason"]
    );
    // Asked for by name, it stays, whatever it leaves the others.
    let asked = at(
        "80",
        "toml-folder",
        &["--columns", "due,id,name,reach,reason"],
    );
    assert_eq!(headers(&asked), ["Due", "ID", "Na…", "Reach", "Re…"]);
    assert!(asked.contains("sourcing@pacifictools.example"), "{asked}");
}

#[test]
fn piped_output_is_never_cut() {
    let ws = example("excel-gbk");
    let args = ["--today", "2026-11-23", "due", "--within", "7d"];
    let wide = ws.run(args).stdout_text();
    let narrow = example("excel-gbk")
        .env("COLUMNS", "40")
        .run(args)
        .stdout_text();
    assert_eq!(narrow, wide);
    assert!(!wide.contains('…'));
    assert!(wide.contains("中秋礼盒寄到，对方道谢，未提订单"));
}

/// The header cells of a table as a terminal shows it.
fn headers(text: &str) -> Vec<String> {
    let header = text
        .lines()
        .find(|l| l.starts_with('│'))
        .expect("a header row");
    header
        .split('┆')
        .map(|h| {
            h.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .to_string()
        })
        .collect()
}

#[test]
fn a_narrow_terminal_shows_each_commands_compact_columns_and_wide_shows_all() {
    let at = |columns: &str, extra: &[&str]| {
        let ws = example("excel-gbk").env("COLUMNS", columns);
        let mut args = vec!["--today", "2026-11-23", "--format", "table"];
        args.extend(extra);
        let out = ws.run(&args);
        out.code(0);
        headers(&out.stdout_text())
    };
    assert_eq!(
        at("80", &["classify"]),
        ["编号", "客户名称", "类型", "依据", "策略"]
    );
    let every = [
        "编号",
        "客户名称",
        "类型",
        "得分",
        "次选",
        "置信度",
        "依据",
        "策略",
    ];
    assert_eq!(at("120", &["classify"]), every);
    assert_eq!(at("80", &["classify", "--wide"]), every);
    assert_eq!(
        at("80", &["tier"]),
        ["编号", "客户名称", "层级", "指标", "累计占比%"]
    );
    assert_eq!(
        at("80", &["tier", "--wide"]),
        [
            "编号",
            "客户名称",
            "方案",
            "层级",
            "指标",
            "占比%",
            "累计占比%",
            "排名"
        ]
    );
    // --wide never cuts a cell: the whole name is there.
    let ws = example("excel-gbk").env("COLUMNS", "80");
    let wide = ws
        .run([
            "--today",
            "2026-11-23",
            "--format",
            "table",
            "tier",
            "--wide",
        ])
        .stdout_text();
    assert!(wide.contains("深圳鹏达科技股份有限公司"), "{wide}");
    assert!(!wide.contains('…'), "{wide}");
    // --columns chooses, in its order, on a terminal too.
    assert_eq!(
        at("80", &["classify", "--columns", "type,id,confidence"]),
        ["类型", "编号", "置信度"]
    );
}

#[test]
fn columns_choose_the_columns_of_every_format() {
    let ws = example("excel-gbk");
    let out = ws.run([
        "--today",
        "2026-11-23",
        "tier",
        "--format",
        "csv",
        "--columns",
        "rank,id,tier",
        "KH001",
        "KH002",
        "KH004",
    ]);
    out.code(0).stderr("");
    assert_eq!(
        out.stdout_text(),
        "rank,id,tier\n1,KH004,A\n2,KH001,A\n3,KH002,A\n"
    );
    let json = ws.run([
        "--today",
        "2026-11-23",
        "classify",
        "KH001",
        "--format",
        "json",
        "--columns",
        "id,type",
    ]);
    json.code(0);
    assert_eq!(
        json.stdout_text(),
        "[\n  {\"id\":\"KH001\",\"type\":\"rational\"}\n]\n"
    );
    // A column the command does not print is a usage error, in the user's language.
    for (lang, message) in [
        (
            "en",
            "clientele: error: unknown column \"phone\" for --columns (expected some of id, name, scheme, tier, metric, share, cumulative_share, rank)\n",
        ),
        (
            "zh",
            "clientele: 错误: --columns 中未知的列 \"phone\"（可选其中若干：id, name, scheme, tier, metric, share, cumulative_share, rank）\n",
        ),
    ] {
        ws.run(["--lang", lang, "tier", "--columns", "phone"])
            .code(2)
            .stdout("")
            .stderr(message);
    }
}
