//! Rows against rows: clientele's `--format csv` output and an engine's result, both parsed as
//! CSV, compared record by record; the first difference described for a person.

/// The records of a CSV text, the header first. A text that is not CSV gives its error.
fn records(text: &str) -> Result<Vec<Vec<String>>, String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// `None` when `engine` holds exactly the records of `native` (header included, in order),
/// else what differs first: the header, or the first row that differs, with its first
/// differing column, or the rows one side has beyond the other.
pub fn first_difference(native: &str, engine: &str) -> Option<String> {
    let native = match records(native) {
        Ok(r) => r,
        Err(e) => return Some(format!("clientele's output is not CSV: {e}")),
    };
    let engine = match records(engine) {
        Ok(r) => r,
        Err(e) => return Some(format!("the engine's rows are not CSV: {e}")),
    };
    let header = |r: &[Vec<String>]| r.first().cloned().unwrap_or_default();
    let (native_header, engine_header) = (header(&native), header(&engine));
    if native_header != engine_header {
        return Some(format!(
            "the header differs:\n  clientele: {}\n  engine:    {}",
            native_header.join(","),
            engine_header.join(",")
        ));
    }
    let counts = format!(
        "clientele {} rows, engine {}",
        native.len().saturating_sub(1),
        engine.len().saturating_sub(1)
    );
    for (k, (n, e)) in native.iter().zip(&engine).enumerate().skip(1) {
        if n != e {
            let column = (0..n.len().max(e.len()))
                .find(|&c| n.get(c) != e.get(c))
                .map(|c| {
                    format!(
                        "column {}: clientele {:?}, engine {:?}",
                        native_header
                            .get(c)
                            .map_or("(beyond the header)", |h| h.as_str()),
                        n.get(c).map_or("(no cell)", |s| s.as_str()),
                        e.get(c).map_or("(no cell)", |s| s.as_str())
                    )
                })
                .unwrap_or_default();
            return Some(format!(
                "row {k} differs ({counts}); {column}\n  clientele: {n:?}\n  engine:    {e:?}"
            ));
        }
    }
    let common = native.len().min(engine.len());
    if native.len() > common {
        return Some(format!(
            "the engine stops early ({counts}); clientele's row {common}: {:?}",
            native[common]
        ));
    }
    if engine.len() > common {
        return Some(format!(
            "the engine has more rows ({counts}); its row {common}: {:?}",
            engine[common]
        ));
    }
    None
}

#[test]
fn the_same_records_however_quoted_are_equal() {
    // `"C001"` and `C001` are one cell; a quoted line break is inside its cell.
    let native = "id,note\nC001,\"two\nlines\"\nC002,\n";
    let engine = "\"id\",note\n\"C001\",\"two\nlines\"\nC002,\"\"\n";
    assert_eq!(first_difference(native, engine), None);
}

#[test]
fn a_different_header_is_named() {
    assert_eq!(
        first_difference("due,id\n", "due_date,id\n").as_deref(),
        Some("the header differs:\n  clientele: due,id\n  engine:    due_date,id")
    );
}

#[test]
fn the_first_differing_row_and_column_are_named() {
    // Row 1 is equal; row 2 differs in `due` (and in nothing after it).
    let native = "due,id\n2026-11-02,C001\n2026-11-03,C002\n2026-11-04,C003\n";
    let engine = "due,id\n2026-11-02,C001\n2026-11-02,C002\n2026-11-04,C003\n";
    assert_eq!(
        first_difference(native, engine).as_deref(),
        Some(
            "row 2 differs (clientele 3 rows, engine 3); column due: clientele \"2026-11-03\", \
             engine \"2026-11-02\"\n  clientele: [\"2026-11-03\", \"C002\"]\n  \
             engine:    [\"2026-11-02\", \"C002\"]"
        )
    );
}

#[test]
fn missing_and_extra_rows_are_named() {
    let native = "id\nC001\nC002\n";
    assert_eq!(
        first_difference(native, "id\nC001\n").as_deref(),
        Some("the engine stops early (clientele 2 rows, engine 1); clientele's row 2: [\"C002\"]")
    );
    assert_eq!(
        first_difference(native, "id\nC001\nC002\nC003\n").as_deref(),
        Some("the engine has more rows (clientele 2 rows, engine 3); its row 3: [\"C003\"]")
    );
}

#[test]
fn a_short_row_is_named_by_its_missing_cell() {
    assert_eq!(
        first_difference("id,late\nC001,false\n", "id,late\nC001\n").as_deref(),
        Some(
            "row 1 differs (clientele 1 rows, engine 1); column late: clientele \"false\", \
             engine \"(no cell)\"\n  clientele: [\"C001\", \"false\"]\n  engine:    [\"C001\"]"
        )
    );
}
