//! A folder book whose ids are paths out of the folder (`../x`, absolute, `a/b`, a NUL,
//! `..`, `C:\x`): every write lands in the file the customer was read from, and nowhere else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::Workspace;

/// The paths of files added, removed or changed between two snapshots.
fn changed(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = before
        .iter()
        .filter(|(p, bytes)| after.get(*p) != Some(*bytes))
        .map(|(p, _)| p.clone())
        .chain(after.keys().filter(|p| !before.contains_key(*p)).cloned())
        .collect();
    out.sort();
    out
}

/// A folder book two folders down (`book/customers/`), so that `../` and `../../` land in
/// the workspace, where a snapshot sees them; one customer a file, each id a path that
/// would leave the folder if a file name were made of it. The TOML escapes: `\u0000` is a
/// NUL, `\\` one backslash.
fn path_ids(ws_path: &Path) -> Vec<String> {
    let outside = ws_path
        .parent()
        .expect("the temporary folder")
        .join(format!(
            "{}-escaped-5",
            ws_path.file_name().expect("a name").to_string_lossy()
        ));
    vec![
        "../escaped-1".into(),
        "../../escaped-2".into(),
        ws_path.join("escaped-3").display().to_string(),
        "a/b".into(),
        "a\\u0000b".into(),
        "..".into(),
        ".".into(),
        "C:\\\\x".into(),
        "..\\\\..\\\\escaped-4".into(),
        format!(
            "../../../{}",
            outside.file_name().expect("a name").to_string_lossy()
        ),
        outside.display().to_string(),
    ]
}

fn folder_book() -> Workspace {
    let ws = Workspace::new().file("clientele.toml", "customers = \"book/customers\"\n");
    let ids = path_ids(ws.path());
    let mut ws = ws;
    for (k, id) in ids.iter().enumerate() {
        ws = ws.file(
            format!("book/customers/c{:02}.toml", k + 1),
            format!(
                "id = \"{id}\"\nname = \"n{}\"\nstage = \"potential\"\n\
                 last_contact = 2026-09-01\ntrial_started = true\n",
                k + 1
            ),
        );
    }
    ws
}

/// The files that must never exist: where each id would lead as a path.
fn never_written(ws: &Workspace) -> Vec<PathBuf> {
    let parent = ws
        .path()
        .parent()
        .expect("the temporary folder")
        .to_path_buf();
    let name = ws
        .path()
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    vec![
        ws.path().join("book/escaped-1"),
        ws.path().join("escaped-2"),
        ws.path().join("escaped-3"),
        ws.path().join("book/customers/a"),
        parent.join(format!("{name}-escaped-5")),
        parent.join(format!("{name}-escaped-5.toml")),
    ]
}

/// `snooze`, `plan`, `promote` (one id, and `--auto`), `tier --write` and
/// `classify --write` on a folder book whose ids are paths out of the folder (`../x`,
/// `../../x`, absolute, `a/b`, a NUL, `..`, `.`, `C:\x`, `..\..\x`): each write lands in
/// the file the customer was read from, and nowhere else: no file appears or changes
/// anywhere but there, the log and clientele's own folder. The ids are read and listed as
/// they are.
#[test]
fn no_id_makes_a_folder_book_write_land_outside_the_folder() {
    let ws = folder_book();
    let ids = path_ids(ws.path());
    let file = |k: usize| PathBuf::from(format!("book/customers/c{:02}.toml", k + 1));
    let own = [
        PathBuf::from("activities.csv"),
        PathBuf::from(".clientele/lock"),
        PathBuf::from(".clientele/.gitignore"),
    ];
    ws.run(["check"]).code(0);
    // As the command line names them: TOML's escapes read.
    let typed: Vec<String> = ids
        .iter()
        .map(|id| id.replace("\\\\", "\\").replace("\\u0000", "\0"))
        .collect();
    let listed = ws.run(["tier", "--format", "json", "--columns", "id"]);
    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&listed.code(0).stdout_text()).expect("JSON");
    let mut listed: Vec<&str> = listed
        .iter()
        .map(|v| v["id"].as_str().expect("an id"))
        .collect();
    let mut expected: Vec<&str> = typed.iter().map(String::as_str).collect();
    listed.sort_unstable();
    expected.sort_unstable();
    assert_eq!(listed, expected);

    for (k, id) in typed.iter().enumerate() {
        if id.contains('\0') {
            continue; // no command line can hold a NUL; the writes of every customer below do
        }
        for (args, written) in [
            (
                vec!["snooze", id, "2026-12-08"],
                "snooze_until = \"2026-12-08\"",
            ),
            (
                vec!["plan", id, "2026-12-09", "--note", "x"],
                "next_contact = \"2026-12-09\"",
            ),
            (vec!["promote", id], "stage = \"trial\""),
        ] {
            let before = ws.snapshot();
            ws.run(&args).code(0);
            let after = ws.snapshot();
            for path in changed(&before, &after) {
                assert!(
                    path == file(k) || own.contains(&path),
                    "`{}` wrote {}",
                    args.join(" "),
                    path.display()
                );
            }
            let text = String::from_utf8(after[&file(k)].clone()).expect("UTF-8");
            assert!(text.contains(written), "`{}`: {text}", args.join(" "));
        }
    }
    for args in [
        &["promote", "--auto"][..],
        &["tier", "--write"][..],
        &["classify", "--write"][..],
    ] {
        let before = ws.snapshot();
        ws.run(args).code(0);
        let after = ws.snapshot();
        let mut written = changed(&before, &after);
        written.retain(|p| !own.contains(p));
        let every: Vec<PathBuf> = (0..ids.len()).map(file).collect();
        assert_eq!(written, every, "`{}`", args.join(" "));
    }
    for path in never_written(&ws) {
        assert!(!path.exists(), "{} was written", path.display());
    }
    assert_eq!(
        std::fs::read_dir(ws.path().join("book"))
            .expect("book/")
            .count(),
        1,
        "book/ holds only customers/"
    );
}
