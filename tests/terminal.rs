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
