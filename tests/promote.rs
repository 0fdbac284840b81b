//! `clientele promote`: every stage gate met and refused one condition at a time, skipped
//! stages, --force, moves backwards, --auto (stage and grade, up and down), dry runs and the
//! log rows every applied change leaves. Today is 2026-11-22.

use crate::util::Workspace;
use crate::writeback::{data_files, read, unchanged_data};

const HEAD: &str = "id\tfield\tfrom\tto\treason\tapplied\n";
const LOG_HEAD: &str = "date,customer_id,kind,amount,note\n";

/// The change table (TSV): one `[id, field, from, to, reason]` per row.
fn table(rows: &[[&str; 5]], applied: bool) -> String {
    let mut out = HEAD.to_string();
    for r in rows {
        out.push_str(&format!("{}\t{applied}\n", r.join("\t")));
    }
    out
}

/// The flags the stage gates read, as columns after id and stage.
const FLAGS: [&str; 11] = [
    "trial_started",
    "sample_requested",
    "needs_confirmed",
    "price_confirmed",
    "price_agreed",
    "scope_agreed",
    "contract_sent",
    "contract_returned",
    "payment_started",
    "contract_signed",
    "first_order",
];

/// A book of one customer c1 at `stage` with the given flag values (the others empty).
fn gate_book(stage: &str, set: &[(&str, &str)]) -> String {
    let cells: Vec<&str> = FLAGS
        .iter()
        .map(|f| set.iter().find(|(k, _)| k == f).map_or("", |(_, v)| *v))
        .collect();
    format!(
        "id,stage,{}\nc1,{stage},{}\n",
        FLAGS.join(","),
        cells.join(",")
    )
}

/// `promote c1` on a one-customer book: `Ok(to)` expects the move, `Err(refusal)` the refusal
/// with nothing written.
fn gate_case(from: &str, set: &[(&str, &str)], expect: Result<&str, &str>) {
    let book = gate_book(from, set);
    let ws = Workspace::new().file("customers.csv", &book);
    let before = data_files(&ws);
    let out = ws.run(["promote", "c1"]);
    match expect {
        Ok(to) => {
            let reason = format!("gate of {to} holds");
            out.stdout(&table(&[["c1", "stage", from, to, &reason]], true))
                .stderr("")
                .code(0);
            let moved = book.replacen(&format!("\nc1,{from},"), &format!("\nc1,{to},"), 1);
            assert_eq!(
                read(&ws, "customers.csv"),
                moved,
                "{from} -> {to} with {set:?}"
            );
            assert_eq!(
                read(&ws, "activities.csv"),
                format!("{LOG_HEAD}2026-11-22,c1,stage_change,,{from} -> {to}; {reason}\n")
            );
        }
        Err(refusal) => {
            out.stdout("")
                .stderr(&format!("clientele: c1: {refusal}\n"))
                .code(1);
            unchanged_data(&ws, &before);
        }
    }
}

#[test]
fn trial_needs_a_trial_started_or_a_sample_requested() {
    gate_case("potential", &[("trial_started", "yes")], Ok("trial"));
    gate_case(
        "potential",
        &[("sample_requested", "2026-11-01")],
        Ok("trial"),
    );
    let unmet = Err("cannot enter trial: trial_started or a sample requested");
    gate_case("potential", &[("trial_started", "no")], unmet);
    gate_case("potential", &[], unmet);
}

#[test]
fn intent_needs_needs_and_price_confirmed() {
    let both = [("needs_confirmed", "是"), ("price_confirmed", "是")];
    gate_case("trial", &both, Ok("intent"));
    gate_case(
        "trial",
        &[("price_confirmed", "1")],
        Err("cannot enter intent: needs_confirmed"),
    );
    gate_case(
        "trial",
        &[("needs_confirmed", "1"), ("price_confirmed", "否")],
        Err("cannot enter intent: price_confirmed"),
    );
}

#[test]
fn quasi_needs_price_scope_a_contract_out_and_payment() {
    let all = [
        ("price_agreed", "✓"),
        ("scope_agreed", "true"),
        ("contract_sent", "y"),
        ("payment_started", "1"),
    ];
    gate_case("intent", &all, Ok("quasi"));
    // A returned contract does as well as a sent one.
    let mut returned = all.to_vec();
    returned[2] = ("contract_returned", "yes");
    gate_case("intent", &returned, Ok("quasi"));
    for (missing, label) in [
        ("price_agreed", "price_agreed"),
        ("scope_agreed", "scope_agreed"),
        ("contract_sent", "contract_sent or contract_returned"),
        ("payment_started", "payment_started"),
    ] {
        let without: Vec<_> = all.iter().copied().filter(|(k, _)| *k != missing).collect();
        gate_case(
            "intent",
            &without,
            Err(&format!("cannot enter quasi: {label}")),
        );
        // Written false rather than left empty: the same.
        let mut no = without.clone();
        no.push((missing, "no"));
        gate_case("intent", &no, Err(&format!("cannot enter quasi: {label}")));
    }
}

#[test]
fn formal_needs_a_signed_contract_and_payment_or_a_first_order() {
    gate_case(
        "quasi",
        &[("contract_signed", "yes"), ("payment_started", "yes")],
        Ok("formal"),
    );
    gate_case(
        "quasi",
        &[("contract_signed", "yes"), ("first_order", "2026-10-01")],
        Ok("formal"),
    );
    gate_case(
        "quasi",
        &[("payment_started", "yes"), ("first_order", "2026-10-01")],
        Err("cannot enter formal: contract_signed"),
    );
    gate_case(
        "quasi",
        &[("contract_signed", "yes"), ("payment_started", "0")],
        Err("cannot enter formal: payment_started or first_order"),
    );
}

#[test]
fn a_refusal_leaves_the_other_customers_of_the_command_applied() {
    let book = "id,stage,trial_started,needs_confirmed\n\
                c1,potential,yes,\n\
                c2,trial,,yes\n\
                c3,potential,yes,\n";
    let ws = Workspace::new().file("customers.csv", book);
    ws.run(["promote", "c1", "c2", "c3"])
        .stdout(&table(
            &[
                ["c1", "stage", "potential", "trial", "gate of trial holds"],
                ["c3", "stage", "potential", "trial", "gate of trial holds"],
            ],
            true,
        ))
        .stderr("clientele: c2: cannot enter intent: price_confirmed\n")
        .code(1);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,stage,trial_started,needs_confirmed\n\
         c1,trial,yes,\n\
         c2,trial,,yes\n\
         c3,trial,yes,\n"
    );
    assert_eq!(
        read(&ws, "activities.csv"),
        format!(
            "{LOG_HEAD}2026-11-22,c1,stage_change,,potential -> trial; gate of trial holds\n\
             2026-11-22,c3,stage_change,,potential -> trial; gate of trial holds\n"
        )
    );
}

#[test]
fn skipping_stages_needs_the_target_gate_and_is_named_in_the_log() {
    let ready = [
        ("trial_started", "yes"),
        ("needs_confirmed", "yes"),
        ("price_confirmed", "yes"),
        ("price_agreed", "yes"),
        ("scope_agreed", "yes"),
        ("contract_returned", "yes"),
        ("payment_started", "yes"),
    ];
    let book = gate_book("potential", &ready);
    let ws = Workspace::new().file("customers.csv", &book);
    let reason = "gate of quasi holds; skipped trial, intent";
    ws.run(["promote", "c1", "--to", "quasi"])
        .stdout(&table(
            &[["c1", "stage", "potential", "quasi", reason]],
            true,
        ))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        book.replace("c1,potential,", "c1,quasi,")
    );
    assert_eq!(
        read(&ws, "activities.csv"),
        format!(
            "date,customer_id,kind,amount,note\n2026-11-22,c1,stage_change,,\"potential -> quasi; {reason}\"\n"
        )
    );

    // To formal from potential: only formal's own gate is asked (DOMAIN §2: a stage may be
    // skipped when the later gate holds), and it does not hold.
    let partial = [
        ("needs_confirmed", "yes"),
        ("price_confirmed", "yes"),
        ("price_agreed", "yes"),
        ("contract_sent", "yes"),
    ];
    let ws = Workspace::new().file("customers.csv", gate_book("potential", &partial));
    let before = data_files(&ws);
    ws.run(["promote", "c1", "--to", "formal"])
        .stdout("")
        .stderr(
            "clientele: c1: cannot enter formal: contract_signed, payment_started or first_order\n",
        )
        .code(1);
    unchanged_data(&ws, &before);

    // A team that wants every gate says skip = "never": then the unmet conditions of every
    // stage on the way are named, in order; intent's gate holds, so it is not.
    let never =
        include_str!("../rules/stages.toml").replace("skip = \"allowed\"", "skip = \"never\"");
    let ws = Workspace::new()
        .file("customers.csv", gate_book("potential", &partial))
        .file("rules/stages.toml", never);
    ws.run(["promote", "c1", "--to", "formal"])
        .stdout("")
        .stderr(
            "clientele: c1: cannot enter trial: trial_started or a sample requested; \
             cannot enter quasi: scope_agreed, payment_started; \
             cannot enter formal: contract_signed, payment_started or first_order\n",
        )
        .code(1);
}

/// A walk-in customer who signed and paid on the first visit: formal at once, from no stage.
#[test]
fn a_walk_in_who_signed_and_paid_is_formal_at_once() {
    let book = "id,contract_signed,payment_started\nw1,是,是\n";
    let ws = Workspace::new().file("customers.csv", book);
    let reason = "gate of formal holds; skipped trial, intent, quasi";
    ws.run(["promote", "w1", "--to", "formal"])
        .stdout(&table(&[["w1", "stage", "", "formal", reason]], true))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,contract_signed,payment_started,stage\nw1,是,是,formal\n"
    );
}

#[test]
fn force_needs_a_reason_and_is_logged_with_it() {
    let book = "id,stage,trial_started\nc1,potential,\nc2,potential,yes\n";
    let ws = Workspace::new().file("customers.csv", book);
    let before = ws.snapshot();
    ws.run(["promote", "c1", "--force"])
        .stdout("")
        .stderr("clientele: error: --force needs --reason TEXT: a forced move is logged with why\n")
        .code(2);
    // A usage error is found before anything is touched, the lock file included.
    ws.assert_unchanged(&before);

    // Forced through the gates of trial and intent (c1) or of intent alone (c2).
    ws.run([
        "promote",
        "c1",
        "c2",
        "--to",
        "intent",
        "--force",
        "--reason",
        "signed at the fair, \"urgent\"",
    ])
    .stdout(&table(
        &[
            [
                "c1",
                "stage",
                "potential",
                "intent",
                "forced: signed at the fair, \"urgent\"",
            ],
            [
                "c2",
                "stage",
                "potential",
                "intent",
                "forced: signed at the fair, \"urgent\"",
            ],
        ],
        true,
    ))
    .stderr("")
    .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,stage,trial_started\nc1,intent,\nc2,intent,yes\n"
    );
    assert_eq!(
        read(&ws, "activities.csv"),
        format!(
            "{LOG_HEAD}2026-11-22,c1,stage_change,,\"potential -> intent; forced: signed at the fair, \"\"urgent\"\"\"\n\
             2026-11-22,c2,stage_change,,\"potential -> intent; forced: signed at the fair, \"\"urgent\"\"\"\n"
        )
    );
}

#[test]
fn backwards_needs_a_reason_and_skips_the_gates() {
    let book = "id,stage\nc1,quasi\nc2,potential\nc3,formal\n";
    let ws = Workspace::new().file("customers.csv", book);
    let before = data_files(&ws);
    // One backward move without a reason stops the whole command: c2 is not moved either.
    ws.run(["promote", "c2", "c1", "--to", "trial"])
        .stdout("")
        .stderr("clientele: error: c1: moving back to trial needs --reason TEXT\n")
        .code(2);
    unchanged_data(&ws, &before);

    ws.run([
        "promote",
        "c1",
        "c3",
        "--to",
        "potential",
        "--reason",
        "budget frozen",
    ])
    .stdout(&table(
        &[
            ["c1", "stage", "quasi", "potential", "budget frozen"],
            ["c3", "stage", "formal", "potential", "budget frozen"],
        ],
        true,
    ))
    .stderr("")
    .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,stage\nc1,potential\nc2,potential\nc3,potential\n"
    );
    assert_eq!(
        read(&ws, "activities.csv"),
        format!(
            "{LOG_HEAD}2026-11-22,c1,stage_change,,quasi -> potential; budget frozen\n\
             2026-11-22,c3,stage_change,,formal -> potential; budget frozen\n"
        )
    );
}

#[test]
fn no_stage_moves_to_potential_and_formal_is_the_end() {
    let ws = Workspace::new().file("customers.csv", "id,stage\nc1,\nc2,formal\n");
    ws.run(["promote", "c1"])
        .stdout(&table(
            &[["c1", "stage", "", "potential", "gate of potential holds"]],
            true,
        ))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,stage\nc1,potential\nc2,formal\n"
    );
    let before = data_files(&ws);
    ws.run(["promote", "c2"])
        .stdout("")
        .stderr("clientele: c2: already formal, the last stage\n")
        .code(1);
    unchanged_data(&ws, &before);
    assert_eq!(
        read(&ws, "activities.csv"),
        format!("{LOG_HEAD}2026-11-22,c1,stage_change,, -> potential; gate of potential holds\n")
    );
}

#[test]
fn bad_arguments_are_usage_errors_that_write_nothing() {
    let ws = Workspace::new().file("customers.csv", "id,stage\nc1,potential\n");
    let before = data_files(&ws);
    let cases: [(&[&str], &str); 3] = [
        (
            &["promote", "c1", "--to", "gold"],
            "clientele: error: unknown stage \"gold\" (expected one of potential, trial, intent, quasi, formal)\n",
        ),
        (
            &["promote"],
            "clientele: error: name the customers to promote, or use --auto\n",
        ),
        (
            &["promote", "zz", "--force", "--reason", "x"],
            "clientele: error: unknown customer id \"zz\" in customers.csv\n",
        ),
    ];
    for (args, stderr) in cases {
        ws.run(args).stdout("").stderr(stderr).code(2);
    }
    unchanged_data(&ws, &before);
    assert!(!ws.path().join("activities.csv").exists());
}

/// A sheet with Chinese headers gets the stage's Chinese name; the table and the log, being
/// machine output, name the stages by id on both sides of the arrow.
#[test]
fn a_chinese_stage_column_gets_the_chinese_name() {
    let book = "编号,客户名称,阶段,开始试用\nc1,华联商贸,潜在客户,是\nc2,东方明珠,potential,yes\n";
    let ws = Workspace::new().file("customers.csv", book);
    ws.run(["promote", "c1", "c2"])
        .stdout(&table(
            &[
                ["c1", "stage", "potential", "trial", "gate of trial holds"],
                ["c2", "stage", "potential", "trial", "gate of trial holds"],
            ],
            true,
        ))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "编号,客户名称,阶段,开始试用\nc1,华联商贸,试用客户,是\nc2,东方明珠,试用客户,yes\n"
    );
    // A new log beside a book of Chinese headers gets Chinese headers and kind names.
    assert_eq!(
        read(&ws, "activities.csv"),
        "日期,客户编号,类型,金额,备注\n\
         2026-11-22,c1,阶段变更,,potential -> trial; gate of trial holds\n\
         2026-11-22,c2,阶段变更,,potential -> trial; gate of trial holds\n"
    );
}

#[test]
fn dry_run_shows_the_changes_and_takes_no_lock() {
    let book = "id,name,stage,trial_started\nc0,Zero,trial,\nc1,\"Acme, Inc.\",potential,yes\nc2,Two,potential,\nc3,Three,potential,\n";
    let ws = Workspace::new().file("customers.csv", book);
    let before = ws.snapshot();
    ws.run(["promote", "c1", "c2", "--dry-run"])
        .stdout(&table(
            &[["c1", "stage", "potential", "trial", "gate of trial holds"]],
            false,
        ))
        .stderr("clientele: c2: cannot enter trial: trial_started or a sample requested\n")
        .code(1);
    ws.run(["promote", "c1", "--dry-run", "--diff"])
        .stdout(
            "--- a/customers.csv\n\
             +++ b/customers.csv\n\
             @@ -2,3 +2,3 @@\n \
             c0,Zero,trial,\n\
             -c1,\"Acme, Inc.\",potential,yes\n\
             +c1,\"Acme, Inc.\",trial,yes\n \
             c2,Two,potential,\n",
        )
        .stderr("")
        .code(0);
    // No lock file, no log, no change.
    ws.assert_unchanged(&before);
}

/// Grade and stage of --auto, by the `grade` scheme and the stage gates, from the book and the
/// log: a B whose sample became an order, a lapsed A, a slow A still in rhythm, an E with a
/// new order, a climb of three stages, a customer with nothing, and a C gone quiet.
const AUTO_BOOK: &str = "\
id,name,stage,grade,sample_requested,last_contact,trial_started,needs_confirmed,price_confirmed,price_agreed,scope_agreed,contract_sent,payment_started
b1,Sample Co,trial,B,2026-09-01,,,,,,,,
a1,Lapsed Co,formal,A,,,,,,,,,
a2,Slow Co,formal,A,,,,,,,,,
e1,New Co,potential,E,,,,,,,,,
q1,Climb Co,potential,D,,,yes,yes,yes,yes,yes,yes,yes
n1,Blank Co,,,,,,,,,,,
d1,Quiet Co,potential,C,,2026-10-01,,,,,,,
";

// a1: orders 90 days apart, the last 591 days ago (> 365 and > 2 x 90): no longer A.
// a2: orders 517 days apart, the last 539 days ago (> 365 but <= 2 x 517): still A.
const AUTO_LOG: &str = "\
date,customer_id,kind,amount,note
2026-09-01,b1,sample_request,,
2026-10-15,b1,order,5000,first real order
2025-01-10,a1,order,1000,
2025-04-10,a1,order,1000,
2024-01-01,a2,order,90000,
2025-06-01,a2,order,90000,
2026-11-01,e1,order,300,
";

fn auto_ws() -> Workspace {
    Workspace::new()
        .file("customers.csv", AUTO_BOOK)
        .file("activities.csv", AUTO_LOG)
}

const AUTO_CHANGES: [[&str; 5]; 8] = [
    ["b1", "grade", "B", "A", "orders"],
    ["a1", "grade", "A", "C", "important potential"],
    ["e1", "grade", "E", "A", "orders"],
    [
        "q1",
        "stage",
        "potential",
        "quasi",
        "gate of quasi holds; skipped trial, intent",
    ],
    ["q1", "grade", "D", "C", "important potential"],
    ["n1", "stage", "", "potential", "gate of potential holds"],
    ["n1", "grade", "", "E", "no rule matched"],
    ["d1", "grade", "C", "D", "ordinary potential"],
];

#[test]
fn auto_applies_every_justified_stage_and_grade_change() {
    let ws = auto_ws();
    let before = ws.snapshot();
    ws.run(["promote", "--auto", "--dry-run"])
        .stdout(&table(&AUTO_CHANGES, false))
        .stderr("")
        .code(0);
    ws.assert_unchanged(&before);

    ws.run(["promote", "--auto"])
        .stdout(&table(&AUTO_CHANGES, true))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "\
id,name,stage,grade,sample_requested,last_contact,trial_started,needs_confirmed,price_confirmed,price_agreed,scope_agreed,contract_sent,payment_started
b1,Sample Co,trial,A,2026-09-01,,,,,,,,
a1,Lapsed Co,formal,C,,,,,,,,,
a2,Slow Co,formal,A,,,,,,,,,
e1,New Co,potential,A,,,,,,,,,
q1,Climb Co,quasi,C,,,yes,yes,yes,yes,yes,yes,yes
n1,Blank Co,potential,E,,,,,,,,,
d1,Quiet Co,potential,D,,2026-10-01,,,,,,,
"
    );
    let expected_log = format!(
        "{AUTO_LOG}\
2026-11-22,b1,grade_change,,B -> A; orders
2026-11-22,a1,grade_change,,A -> C; important potential
2026-11-22,e1,grade_change,,E -> A; orders
2026-11-22,q1,stage_change,,\"potential -> quasi; gate of quasi holds; skipped trial, intent\"
2026-11-22,q1,grade_change,,D -> C; important potential
2026-11-22,n1,stage_change,, -> potential; gate of potential holds
2026-11-22,n1,grade_change,, -> E; no rule matched
2026-11-22,d1,grade_change,,C -> D; ordinary potential
"
    );
    assert_eq!(read(&ws, "activities.csv"), expected_log);

    // Everything is where the rules want it now (the logged changes are no touches): a second
    // run changes and logs nothing.
    let settled = data_files(&ws);
    ws.run(["promote", "--auto"]).stdout("").stderr("").code(0);
    unchanged_data(&ws, &settled);
}

#[test]
fn auto_with_ids_touches_only_those() {
    let ws = auto_ws();
    let changes = [AUTO_CHANGES[3], AUTO_CHANGES[4], AUTO_CHANGES[0]];
    ws.run(["promote", "--auto", "q1", "b1"])
        .stdout(&table(&changes, true))
        .stderr("")
        .code(0);
    let book = read(&ws, "customers.csv");
    let changed: Vec<&str> = AUTO_BOOK
        .lines()
        .zip(book.lines())
        .filter(|(a, b)| a != b)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(
        changed,
        [
            "b1,Sample Co,trial,A,2026-09-01,,,,,,,,",
            "q1,Climb Co,quasi,C,,,yes,yes,yes,yes,yes,yes,yes",
        ]
    );
    assert_eq!(book.lines().count(), AUTO_BOOK.lines().count());
    assert_eq!(
        read(&ws, "activities.csv"),
        format!(
            "{AUTO_LOG}\
2026-11-22,q1,stage_change,,\"potential -> quasi; gate of quasi holds; skipped trial, intent\"
2026-11-22,q1,grade_change,,D -> C; important potential
2026-11-22,b1,grade_change,,B -> A; orders
"
        )
    );
}

/// The log keeps its own line endings: a CRLF log gets CRLF rows. A log whose last line has
/// no line ending (a row cut short?) is refused before the book is touched.
#[test]
fn log_rows_follow_the_logs_line_endings() {
    let book = "id,stage,trial_started\nc1,potential,yes\n";
    let ws = Workspace::new().file("customers.csv", book).file(
        "activities.csv",
        "date,customer_id,kind,amount,note\r\n2026-11-01,c1,call,,hello\r\n",
    );
    ws.run(["promote", "c1"]).code(0);
    assert_eq!(
        read(&ws, "activities.csv"),
        "date,customer_id,kind,amount,note\r\n2026-11-01,c1,call,,hello\r\n\
         2026-11-22,c1,stage_change,,potential -> trial; gate of trial holds\r\n"
    );

    let ws = Workspace::new().file("customers.csv", book).file(
        "activities.csv",
        "date,customer_id,kind,amount,note\r\n2026-11-01,c1,call,,hello",
    );
    ws.run(["promote", "c1"])
        .stdout("")
        .stderr(
            "clientele: error: activities.csv: the last line does not end with a line break, \
             so it may have been cut short; nothing written. Check that line, end it with a \
             line break, and run again\n",
        )
        .code(2);
    assert_eq!(read(&ws, "customers.csv"), book);
    assert_eq!(
        read(&ws, "activities.csv"),
        "date,customer_id,kind,amount,note\r\n2026-11-01,c1,call,,hello"
    );
}

#[test]
fn in_chinese_the_change_table_and_the_refusal_speak_the_sheets_words() {
    // c1 is on trial with needs and price confirmed: intent's gate holds. c2 has nothing
    // toward trial: refused, naming the gate's Chinese label. The field is the sheet's own
    // header (阶段), the stages by their Chinese names.
    Workspace::new()
        .file(
            "customers.csv",
            "客户编号,阶段,需求确认,价格确认\nc1,试用客户,是,是\nc2,潜在客户,,\n",
        )
        .run([
            "--lang",
            "zh",
            "promote",
            "c1",
            "c2",
            "--dry-run",
            "--format",
            "markdown",
        ])
        .stdout(
            "| 编号 | 字段 | 原值 | 新值 | 原因 | 已应用 |\n\
             | --- | --- | --- | --- | --- | --- |\n\
             | c1 | 阶段 | 试用客户 | 意向客户 | 已满足意向客户的门槛 | 否 |\n",
        )
        .stderr("clientele: c2：无法进入试用客户：开始试用或已索样\n")
        .code(1);
}
