//! Follow-ups on working days: `plan` (a date agreed with the customer), `snooze` with the
//! days a rep says ("tue", "周二", "+3d"), open complaints, festival and birthday greetings,
//! several reasons in one row, and `due --columns`. Every date is computed by hand from
//! rules/cadence.toml and rules/holidays.toml; today is Sunday 2026-11-22 unless a test says
//! otherwise.
//!
//! The calendar used below: 2026 days off Jan 1–3, Feb 15–23, Apr 4–6, May 1–5, Jun 19–21,
//! Sep 25–27, Oct 1–7; make-up working days Sun Jan 4, Sat Feb 14, Sat Feb 28, Sat May 9,
//! Sun Sep 20, Sat Oct 10. 2027 is not in holidays.toml: weekends only (and one warning).

use crate::util::{Output, Workspace};

const CHANGES: &str = "id\tfield\tfrom\tto\treason\tapplied\n";

const NO_2027: &str = "clientele: warning: the built-in holidays.toml has no holidays for 2027; \
                       due dates there skip only weekends\n";

fn book(customers: &str) -> Workspace {
    Workspace::new().file("customers.csv", customers)
}

/// A workspace file as UTF-8 text.
fn read(ws: &Workspace, path: &str) -> String {
    std::fs::read_to_string(ws.path().join(path)).expect("read a workspace file")
}

/// `clientele due --format tsv --columns COLUMNS ARGS...`
fn due(ws: &Workspace, columns: &str, args: &[&str]) -> Output {
    ws.run(
        ["due", "--format", "tsv", "--columns", columns]
            .iter()
            .chain(args),
    )
}

/// The columns most tests compare.
const COLS: &str = "due,overdue_days,id,grade,late,reason";

/// The expected TSV for [`COLS`]: each row is `due overdue_days id grade late reason...`,
/// the reason last as it holds spaces.
fn tsv<S: AsRef<str>>(rows: &[S]) -> String {
    let mut out = "due\toverdue_days\tid\tgrade\tlate\treason\n".to_string();
    for row in rows {
        let f: Vec<&str> = row.as_ref().splitn(6, ' ').collect();
        let [due, overdue, id, grade, late, reason] = f[..] else {
            panic!("bad expected row {:?}", row.as_ref())
        };
        out.push_str(&format!(
            "{due}\t{overdue}\t{id}\t{grade}\t{late}\t{reason}\n"
        ));
    }
    out
}

/// The change table of one customer's changes, each `field|from|to|reason` (applied).
fn changes(id: &str, rows: &[&str]) -> String {
    let mut out = CHANGES.to_string();
    for row in rows {
        let f: Vec<&str> = row.split('|').collect();
        let [field, from, to, reason] = f[..] else {
            panic!("bad expected change {row:?}")
        };
        out.push_str(&format!("{id}\t{field}\t{from}\t{to}\t{reason}\ttrue\n"));
    }
    out
}

// ---------------------------------------------------------------------------------------
// plan

#[test]
fn plan_writes_next_contact_and_next_step_in_new_columns_at_the_end() {
    let ws = book(
        "id,name,grade,last_contact\n\
         c1,Acme,C,2026-11-02\n\
         c2,Bee,C,2026-10-20\n",
    );
    // Sunday Nov 22: the next Tuesday is Nov 24.
    ws.run(["plan", "c1", "tue", "--note", "send the revised quote"])
        .stdout(&changes(
            "c1",
            &[
                "next_contact||2026-11-24|plan",
                "next_step||send the revised quote|plan",
            ],
        ))
        .stderr("")
        .code(0);
    // Both columns added after the last one, in that order; c2's cells empty. The date is
    // written as the book's other date column writes them (ISO).
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,name,grade,last_contact,next_contact,next_step\n\
         c1,Acme,C,2026-11-02,2026-11-24,send the revised quote\n\
         c2,Bee,C,2026-10-20,,\n"
    );
    // A plan is no touch: nothing logged.
    assert!(!ws.path().join("activities.csv").exists());

    // c1's cadence (Nov 2 + 2 months = Jan 2 2027) is replaced by the plan: due Tue Nov 24,
    // so nothing today; c2's is Oct 20 + 2 months = Sun Dec 20 → Mon Dec 21.
    due(&ws, COLS, &[]).stdout("").stderr("").code(0);
    due(&ws, COLS, &["--within", "2d"])
        .stdout(&tsv(&[
            // Nov 22 − Nov 24 = −2; a plan is never late.
            "2026-11-24 -2 c1 C false planned 2026-11-24: send the revised quote",
        ]))
        .stderr("")
        .code(0);
    due(&ws, COLS, &["--within", "2d", "--lang", "zh"])
        .stdout(&tsv(&[
            "2026-11-24 -2 c1 C false planned 2026-11-24: send the revised quote",
        ]))
        .code(0);
    // Until Dec 22: c2's Dec 21 too (29 days ahead).
    due(&ws, COLS, &["--within", "1m"])
        .stdout(&tsv(&[
            "2026-11-24 -2 c1 C false planned 2026-11-24: send the revised quote",
            "2026-12-21 -29 c2 C false C every 2 months",
        ]))
        .stderr("")
        .code(0);
}

#[test]
fn plan_in_a_book_of_chinese_headers_adds_chinese_headers() {
    let ws = book(
        "客户编号,客户名称,等级,最后联系\n\
         KH001,华东精密,C,2026/9/1\n\
         KH002,杭州佳禾,D,2026/10/15\n",
    );
    // 周二 said on Sunday Nov 22: Tuesday Nov 24.
    ws.run(["plan", "KH001", "周二", "--note", "下周二回电报价"])
        .stdout(&changes(
            "KH001",
            &[
                "next_contact||2026-11-24|plan",
                "next_step||下周二回电报价|plan",
            ],
        ))
        .stderr("")
        .code(0);
    // The first Chinese aliases: 下次联系, 下次联系事项. The date as the book writes dates:
    // year first, slashes, months and days unpadded (2026/9/1).
    assert_eq!(
        read(&ws, "customers.csv"),
        "客户编号,客户名称,等级,最后联系,下次联系,下次联系事项\n\
         KH001,华东精密,C,2026/9/1,2026/11/24,下周二回电报价\n\
         KH002,杭州佳禾,D,2026/10/15,,\n"
    );
    // KH001's cadence (Sep 1 + 2 months = Sun Nov 1 → Mon Nov 2) would be overdue, but the
    // plan replaces it: due Nov 24, not today. KH002: Oct 15 + 3 months = Jan 15 2027.
    due(&ws, COLS, &[]).stdout("").code(0);
    due(&ws, "id,reason", &["--within", "2d", "--lang", "zh"])
        .stdout("id\treason\nKH001\tplanned 2026-11-24: 下周二回电报价\n")
        .stderr("")
        .code(0);
}

#[test]
fn plan_writes_into_the_books_own_columns_as_the_book_writes_them() {
    // Columns under aliases (`call back`, `to do`), CRLF line ends.
    let ws = book(
        "id,name,call back,to do\r\n\
         c1,Acme,,\r\n\
         c2,Bee,2026-12-01,ring \"Li\"\r\n",
    );
    ws.run(["plan", "c1", "tue", "--note", "quote, then \"call\""])
        .stdout(&changes(
            "c1",
            &[
                "next_contact||2026-11-24|plan",
                "next_step||quote, then \"call\"|plan",
            ],
        ))
        .stderr("")
        .code(0);
    // c2's plan of Dec 1 is open (no contact at all): moved a month on, Nov 22 + 1 month =
    // Dec 22, its note kept.
    ws.run(["plan", "c2", "1m"])
        .stdout(&changes("c2", &["next_contact|2026-12-01|2026-12-22|plan"]))
        .stderr("")
        .code(0);
    // A note with a comma and quotes is quoted as CSV quotes.
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,name,call back,to do\r\n\
         c1,Acme,2026-11-24,\"quote, then \"\"call\"\"\"\r\n\
         c2,Bee,2026-12-22,ring \"Li\"\r\n"
    );

    // A Chinese column of Chinese dates: 后天 is Tue Nov 24, written 2026年11月24日; the new
    // next_step column gets the first Chinese alias.
    let ws = book("客户编号,客户名称,下次跟进日期\nKH1,甲,2026年11月30日\n");
    ws.run(["plan", "KH1", "后天", "--note", "回电"])
        .stdout(&changes(
            "KH1",
            &[
                "next_contact|2026-11-30|2026-11-24|plan",
                "next_step||回电|plan",
            ],
        ))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "客户编号,客户名称,下次跟进日期,下次联系事项\nKH1,甲,2026年11月24日,回电\n"
    );
}

/// Today is Sunday 2026-11-22.
const DAY_FORMS: &[(&str, &str)] = &[
    ("2026-12-08", "2026-12-08"),
    ("2026/12/8", "2026-12-08"),
    // The next Tuesday after Sunday Nov 22: Nov 24.
    ("tue", "2026-11-24"),
    ("Tuesday", "2026-11-24"),
    ("周二", "2026-11-24"),
    ("星期二", "2026-11-24"),
    // Today's own weekday is a week on: Nov 29.
    ("sun", "2026-11-29"),
    ("周日", "2026-11-29"),
    ("星期天", "2026-11-29"),
    // Nov 22 + 3 days = Nov 25.
    ("+3d", "2026-11-25"),
    ("3d", "2026-11-25"),
    ("+3", "2026-11-25"),
    ("3天", "2026-11-25"),
    // Nov 22 + 14 days = Dec 6.
    ("2w", "2026-12-06"),
    ("2周", "2026-12-06"),
    // Nov 22 + 1 month = Dec 22.
    ("1m", "2026-12-22"),
    ("tomorrow", "2026-11-23"),
    ("明天", "2026-11-23"),
    ("后天", "2026-11-24"),
    // Today itself is not before today.
    ("today", "2026-11-22"),
];

#[test]
fn plan_reads_the_days_a_rep_says() {
    for &(said, day) in DAY_FORMS {
        let ws = book("id,last_contact\nc1,2026-11-01\n");
        ws.run(["plan", "c1", said])
            .stdout(&changes("c1", &[&format!("next_contact||{day}|plan")]))
            .stderr("")
            .code(0);
        // No --note on a new plan: no next_step column.
        assert_eq!(
            read(&ws, "customers.csv"),
            format!("id,last_contact,next_contact\nc1,2026-11-01,{day}\n"),
            "plan c1 {said}"
        );
    }
}

#[test]
fn plan_dry_run_shows_and_writes_nothing() {
    let ws = book("id,last_contact\nc1,2026-11-01\n");
    let before = ws.snapshot();
    ws.run(["plan", "c1", "+3d", "--note", "demo", "--dry-run"])
        .stdout(
            "id\tfield\tfrom\tto\treason\tapplied\n\
             c1\tnext_contact\t\t2026-11-25\tplan\tfalse\n\
             c1\tnext_step\t\tdemo\tplan\tfalse\n",
        )
        .stderr("")
        .code(0);
    ws.assert_unchanged(&before);
}

#[test]
fn a_plan_is_due_on_its_day_whatever_the_cadence_or_a_snooze_says() {
    let ws = book(
        "id,grade,last_contact,snooze_until,next_contact,next_step\n\
         p1,C,2026-09-01,,2026-11-30,demo\n\
         p2,C,2026-11-10,2026-12-31,2026-11-24,\n\
         p3,D,2026-11-20,,2026-11-28,site visit\n\
         p4,C,2026-09-18,,,\n",
    );
    due(&ws, COLS, &["--within", "1w"])
        .stdout(&tsv(&[
            // p4: no plan, its cadence: Sep 18 + 2 months = Wed Nov 18.
            "2026-11-18 4 p4 C false C every 2 months",
            // p2 is snoozed to Dec 31, but a date agreed with the customer is kept: Tue Nov 24.
            "2026-11-24 -2 p2 C false planned 2026-11-24",
            // p1's cadence (Sep 1 + 2 months = Sun Nov 1 → Nov 2) gives way to the plan, Mon
            // Nov 30: past the week (until Nov 29), so not listed.
            // p3: planned for Sat Nov 28 → Mon Nov 30, past the week too.
        ]))
        .stderr("")
        .code(0);
    due(&ws, COLS, &["--within", "8d"])
        .stdout(&tsv(&[
            "2026-11-18 4 p4 C false C every 2 months",
            "2026-11-24 -2 p2 C false planned 2026-11-24",
            // Until Nov 30: Nov 22 − Nov 30 = −8.
            "2026-11-30 -8 p1 C false planned 2026-11-30: demo",
            // Sat Nov 28 moves to the next working day, Mon Nov 30.
            "2026-11-30 -8 p3 D false planned 2026-11-28: site visit",
        ]))
        .stderr("")
        .code(0);
}

#[test]
fn a_touch_on_or_after_the_planned_day_ends_the_plan_and_the_cadence_resumes() {
    let ws = book(
        "id,grade,last_contact,next_contact,next_step\n\
         k1,C,2026-10-01,2026-11-24,call back\n\
         k2,C,2026-10-01,2026-11-24,call back\n\
         k3,C,2026-10-01,2026-11-24,call back\n\
         k4,C,2026-10-01,2026-11-24,call back\n\
         k5,C,2026-10-01,2026-11-24,call back\n\
         k6,C,2026-10-01,2026-11-24,call back\n\
         k7,C,2026-10-01,2026-11-24,call back\n\
         k8,C,2026-11-24,2026-11-24,call back\n\
         k9,C,2026-10-01,2026-11-24,call back\n\
         ka,C,2026-10-01,2026-11-24,call back\n",
    )
    .file(
        "activities.csv",
        "date,customer_id,kind,amount,note\n\
         2026-11-24,k1,call,,\n\
         2026-11-24,k2,visit,,\n\
         2026-11-24,k3,email,,\n\
         2026-11-24,k4,message,,\n\
         2026-11-24,k5,order,100,\n\
         2026-11-24,k6,sample_request,,\n\
         2026-11-24,k7,complaint,,still broken\n\
         2026-11-23,k9,call,,\n\
         2026-11-25,ka,visit,,\n",
    );
    // Wednesday Nov 25. k1–k5 were touched on the planned day (call, visit, email, message,
    // order), k8 in the book's last_contact, ka the day after: their plans are met. k6's
    // sample request and k7's complaint are no touches, and k9's call came the day before:
    // their plans stand, due Tue Nov 24 (1 day overdue).
    let today = ["--today", "2026-11-25"];
    let open = [
        // k7's complaint of Nov 24 is due the next day, Wed Nov 25, listed after the plan
        // (earliest first), and puts k7 first. Not late: past Nov 25 + 1 only.
        "2026-11-24 1 k7 C false planned 2026-11-24: call back; complaint of 2026-11-24: still broken",
        "2026-11-24 1 k6 C false planned 2026-11-24: call back",
        "2026-11-24 1 k9 C false planned 2026-11-24: call back",
    ];
    due(&ws, COLS, &today)
        .stdout(&tsv(&open))
        .stderr("")
        .code(0);
    // The cadence from the touch: Nov 24 + 2 months = Sun Jan 24 2027 → Mon Jan 25; ka's
    // Nov 25 + 2 months = Mon Jan 25. Until Nov 25 + 2 months = Jan 25; Nov 25 → Jan 25 is
    // 5 + 31 + 25 = 61 days.
    let mut resumed: Vec<String> = open.iter().map(|r| r.to_string()).collect();
    for id in ["k1", "k2", "k3", "k4", "k5", "k8", "ka"] {
        resumed.push(format!("2027-01-25 -61 {id} C false C every 2 months"));
    }
    due(&ws, COLS, &[&today[..], &["--within", "2m"]].concat())
        .stdout(&tsv(&resumed))
        .stderr(NO_2027)
        .code(0);

    // Moving a met plan without --note: the old note goes (it was done). Wed Nov 25 → the
    // next Friday, Nov 27.
    ws.run([&today[..], &["plan", "k1", "fri"]].concat())
        .stdout(&changes(
            "k1",
            &[
                "next_contact|2026-11-24|2026-11-27|plan",
                "next_step|call back||plan",
            ],
        ))
        .stderr("")
        .code(0);
    // Moving a still-open plan (k9's call came before the day) without --note keeps it.
    ws.run([&today[..], &["plan", "k9", "fri"]].concat())
        .stdout(&changes("k9", &["next_contact|2026-11-24|2026-11-27|plan"]))
        .stderr("")
        .code(0);
    let after = read(&ws, "customers.csv");
    assert!(after.contains("\nk1,C,2026-10-01,2026-11-27,\n"), "{after}");
    assert!(
        after.contains("\nk9,C,2026-10-01,2026-11-27,call back\n"),
        "{after}"
    );
}

#[test]
fn moving_an_open_plan_keeps_its_note_a_new_note_replaces_it_and_clear_empties_both() {
    let ws = book(
        "id,name,grade,last_contact,next_contact,next_step\n\
         c1,Acme,C,2026-11-01,2026-11-24,quote\n\
         c2,Bee,C,2026-11-01,,\n",
    );
    // Sunday → Friday Nov 27; the plan of Nov 24 is still open (last contact Nov 1).
    ws.run(["plan", "c1", "fri"])
        .stdout(&changes("c1", &["next_contact|2026-11-24|2026-11-27|plan"]))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,name,grade,last_contact,next_contact,next_step\n\
         c1,Acme,C,2026-11-01,2026-11-27,quote\n\
         c2,Bee,C,2026-11-01,,\n"
    );
    // The same day again with a new note: only the note changes.
    ws.run(["plan", "c1", "周五", "--note", "revised quote"])
        .stdout(&changes("c1", &["next_step|quote|revised quote|plan"]))
        .stderr("")
        .code(0);
    due(&ws, "id,reason", &["--within", "5d"])
        .stdout("id\treason\nc1\tplanned 2026-11-27: revised quote\n")
        .code(0);
    ws.run(["plan", "c1", "--clear"])
        .stdout(&changes(
            "c1",
            &[
                "next_contact|2026-11-27||plan cleared",
                "next_step|revised quote||plan cleared",
            ],
        ))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,name,grade,last_contact,next_contact,next_step\n\
         c1,Acme,C,2026-11-01,,\n\
         c2,Bee,C,2026-11-01,,\n"
    );
    // Nothing to clear: no change, no table, not a byte written.
    let before = read(&ws, "customers.csv");
    ws.run(["plan", "c2", "--clear"])
        .stdout("")
        .stderr("")
        .code(0);
    assert_eq!(read(&ws, "customers.csv"), before);
}

#[test]
fn plan_refuses_a_past_or_unreadable_date_and_writes_nothing() {
    let ws = book("id,name,next_contact\nc1,Acme,2026-11-30\n");
    let before = ws.snapshot();
    ws.run(["plan", "c1", "2026-11-21"])
        .stdout("")
        .stderr("clientele: error: 2026-11-21 is before today (2026-11-22)\n")
        .code(2);
    ws.run(["plan", "c1", "2026/11/1", "--note", "late"])
        .stdout("")
        .stderr("clientele: error: \"2026/11/1\" (2026-11-01) is before today (2026-11-22)\n")
        .code(2);
    let unreadable = |said: &str| {
        format!(
            "clientele: error: cannot read the date \"{said}\": expected a date (2026-12-08), \
             a weekday (tue, 周二), tomorrow (明天), or a span from today (+3d, 2w, 1m)\n"
        )
    };
    // A bare number reads as much like a day of the month as a span: refused.
    for said in ["someday", "3", "2026-02-30", "tu", "yesterday"] {
        ws.run(["plan", "c1", said])
            .stdout("")
            .stderr(&unreadable(said))
            .code(2);
    }
    // No date and no --clear; --clear with a date or a note: usage errors (clap's own
    // message), nothing written.
    for args in [
        &["plan", "c1"][..],
        &["plan", "c1", "tue", "--clear"],
        &["plan", "c1", "--clear", "--note", "x"],
        &["snooze", "c1"],
        &["snooze", "c1", "tue", "--clear"],
    ] {
        ws.run(args).stdout("").code(2);
    }
    ws.assert_unchanged(&before);
}

// ---------------------------------------------------------------------------------------
// snooze

#[test]
fn snooze_reads_the_same_days() {
    for &(said, day) in DAY_FORMS {
        let ws = book("id,last_contact\nc1,2026-11-01\n");
        ws.run(["snooze", "c1", said])
            .stdout(&changes("c1", &[&format!("snooze_until||{day}|snooze")]))
            .stderr("")
            .code(0);
        assert_eq!(
            read(&ws, "customers.csv"),
            format!("id,last_contact,snooze_until\nc1,2026-11-01,{day}\n"),
            "snooze c1 {said}"
        );
    }
}

#[test]
fn snooze_clear_empties_snooze_until() {
    let ws = book(
        "id,grade,last_contact,snooze_until\n\
         s1,C,2026-09-18,2026-12-01\n\
         s2,C,2026-09-18,\n",
    );
    // Sep 18 + 2 months = Wed Nov 18; s1 is snoozed to Dec 1.
    due(&ws, COLS, &[])
        .stdout(&tsv(&["2026-11-18 4 s2 C false C every 2 months"]))
        .code(0);
    ws.run(["snooze", "s1", "--clear"])
        .stdout(&changes("s1", &["snooze_until|2026-12-01||snooze cleared"]))
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,grade,last_contact,snooze_until\n\
         s1,C,2026-09-18,\n\
         s2,C,2026-09-18,\n"
    );
    due(&ws, COLS, &[])
        .stdout(&tsv(&[
            "2026-11-18 4 s1 C false C every 2 months",
            "2026-11-18 4 s2 C false C every 2 months",
        ]))
        .code(0);
    // Nothing to clear: nothing printed or written.
    let before = read(&ws, "customers.csv");
    ws.run(["snooze", "s2", "--clear"])
        .stdout("")
        .stderr("")
        .code(0);
    assert_eq!(read(&ws, "customers.csv"), before);
    // Snoozed with a relative day: Nov 22 + 2 weeks = Dec 6 (a Sunday; the listing moves
    // it to Monday Dec 7).
    ws.run(["snooze", "s2", "2w"])
        .stdout(&changes("s2", &["snooze_until||2026-12-06|snooze"]))
        .code(0);
    due(&ws, COLS, &["--within", "15d"])
        .stdout(&tsv(&[
            "2026-11-18 4 s1 C false C every 2 months",
            "2026-12-07 -15 s2 C false C every 2 months",
        ]))
        .code(0);
}

#[test]
fn snooze_refuses_a_past_date_and_writes_nothing() {
    let ws = book("id,snooze_until\nc1,2026-12-01\n");
    let before = ws.snapshot();
    ws.run(["snooze", "c1", "2026-11-21"])
        .stdout("")
        .stderr("clientele: error: 2026-11-21 is before today (2026-11-22)\n")
        .code(2);
    ws.run(["snooze", "c1", "later"])
        .stdout("")
        .stderr(
            "clientele: error: cannot read the date \"later\": expected a date (2026-12-08), \
             a weekday (tue, 周二), tomorrow (明天), or a span from today (+3d, 2w, 1m)\n",
        )
        .code(2);
    ws.assert_unchanged(&before);
}

// ---------------------------------------------------------------------------------------
// complaints

const COMPLAINTS_BOOK: &str = "id,grade,last_contact,snooze_until\n\
    a1,A,2026-10-15,\n\
    e1,E,2026-11-10,\n\
    x1,C,2026-11-10,\n\
    x2,C,2026-11-10,\n\
    x3,C,2026-11-10,\n\
    x4,C,2026-11-19,\n\
    x5,C,2026-11-18,\n\
    x6,C,2026-11-10,\n\
    x7,C,2026-11-10,\n\
    s1,D,2026-11-10,2026-12-31\n\
    h1,C,2026-09-25,\n\
    w1,C,2026-09-25,\n\
    m1,C,2026-09-18,\n\
    y1,C,2026-11-10,\n";

const COMPLAINTS_LOG: &str = "date,customer_id,kind,amount,note\n\
    2026-11-19,e1,complaint,,late delivery\n\
    2026-11-18,x1,complaint,,wrong colour\n\
    2026-11-18,x1,call,,apologised and sent a replacement\n\
    2026-11-18,x2,call,,\n\
    2026-11-18,x2,complaint,,broken seal\n\
    2026-11-18,x3,complaint,,\n\
    2026-11-19,x3,email,,\n\
    2026-11-18,x4,complaint,,\n\
    2026-11-18,x5,complaint,,dented box\n\
    2026-11-18,x6,complaint,,\n\
    2026-11-19,x6,sample_request,,\n\
    2026-11-10,x7,complaint,,first\n\
    2026-11-12,x7,call,,\n\
    2026-11-18,x7,complaint,,second\n\
    2026-11-18,s1,complaint,,invoice wrong\n\
    2026-10-09,h1,complaint,,make-up day\n\
    2026-09-30,w1,complaint,,holiday\n\
    2026-11-19,m1,complaint,,scratched\n\
    2026-11-21,y1,complaint,,no reply\n";

#[test]
fn an_open_complaint_is_due_the_next_working_day_before_everything_else() {
    let ws = book(COMPLAINTS_BOOK).file("activities.csv", COMPLAINTS_LOG);
    // Closed: x1 (a call logged after it, the same day), x3 (an email the day after), x4
    // (the book's last contact the day after). Open: x2 (the call came before it in the
    // log), x5 (the book's last contact the same day says nothing of the order), x6 (a
    // sample request is no touch), x7 (its later complaint, after the call).
    // A complaint's response: 1 day after, then the next working day; late past that day
    // + 1 × (2 − 1) = 1 day.
    let cols = "due,overdue_days,id,grade,last_contact,late,reason";
    let head = "due\toverdue_days\tid\tgrade\tlast_contact\tlate\treason\n";
    let rows = [
        // Sep 30 + 1 = Oct 1, National Day (Oct 1–7) → Thu Oct 8; Nov 22 − Oct 8 = 23 + 22.
        "2026-10-08\t45\tw1\tC\t2026-09-25\ttrue\tcomplaint of 2026-09-30: holiday",
        // Fri Oct 9 + 1 = Sat Oct 10, a make-up working day; 21 + 22 = 43.
        "2026-10-10\t43\th1\tC\t2026-09-25\ttrue\tcomplaint of 2026-10-09: make-up day",
        // m1: its cadence (Sep 18 + 2 months = Wed Nov 18) and its complaint of Thu Nov 19
        // (→ Fri Nov 20), earliest first; late by the complaint (past Nov 21).
        "2026-11-18\t4\tm1\tC\t2026-09-18\ttrue\tC every 2 months; complaint of 2026-11-19: scratched",
        // Wed Nov 18 + 1 = Thu Nov 19, 3 days ago, late past Nov 20.
        "2026-11-19\t3\tx2\tC\t2026-11-18\ttrue\tcomplaint of 2026-11-18: broken seal",
        "2026-11-19\t3\tx5\tC\t2026-11-18\ttrue\tcomplaint of 2026-11-18: dented box",
        // No note, no colon; the complaint did not move the last contact (Nov 10).
        "2026-11-19\t3\tx6\tC\t2026-11-10\ttrue\tcomplaint of 2026-11-18",
        "2026-11-19\t3\tx7\tC\t2026-11-12\ttrue\tcomplaint of 2026-11-18: second",
        // Snoozed to Dec 31, but a complaint is not put off.
        "2026-11-19\t3\ts1\tD\t2026-11-10\ttrue\tcomplaint of 2026-11-18: invoice wrong",
        // Grade E, still before the A customer below.
        "2026-11-20\t2\te1\tE\t2026-11-10\ttrue\tcomplaint of 2026-11-19: late delivery",
        // No order: Oct 15 + 30 days = Nov 14, lead round(7.5) = 8 → Fri Nov 6; late past
        // Nov 6 + 8 = Nov 14.
        "2026-11-06\t16\ta1\tA\t2026-10-15\ttrue\tA expected order 2026-11-14",
    ];
    let expected = |rows: &[&str]| {
        let mut out = head.to_string();
        for r in rows {
            out.push_str(r);
            out.push('\n');
        }
        out
    };
    due(&ws, cols, &[])
        .stdout(&expected(&rows))
        .stderr("")
        .code(0);
    // y1's complaint of Sat Nov 21: + 1 = Sun Nov 22 → Mon Nov 23, tomorrow: among the
    // complaints of grade C, after the Nov 19 ones.
    let mut tomorrow = rows.to_vec();
    tomorrow.insert(
        7,
        "2026-11-23\t-1\ty1\tC\t2026-11-10\tfalse\tcomplaint of 2026-11-21: no reply",
    );
    due(&ws, cols, &["--within", "1d"])
        .stdout(&expected(&tomorrow))
        .stderr("")
        .code(0);
    due(&ws, "id,reason", &["--lang", "zh", "--grade", "E,D"])
        .stdout(
            "id\treason\n\
             s1\tcomplaint of 2026-11-18: invoice wrong\n\
             e1\tcomplaint of 2026-11-19: late delivery\n",
        )
        .code(0);
}

#[test]
fn log_rows_after_today_neither_open_nor_close_a_complaint() {
    let ws = book("id,grade,last_contact\nf1,C,2026-11-01\nf2,C,2026-11-01\n").file(
        "activities.csv",
        "date,customer_id,kind,amount,note\n\
         2026-11-25,f1,complaint,,not yet\n\
         2026-11-20,f2,complaint,,now\n\
         2026-11-23,f2,call,,not yet\n",
    );
    // f2: Fri Nov 20 + 1 = Sat Nov 21 → Mon Nov 23; the call of Nov 23 is not read today.
    // f1's complaint of Nov 25 neither. Both C: Nov 1 + 2 months = Jan 1 2027.
    due(&ws, "id,reason,last_note", &["--within", "1w"])
        .stdout("id\treason\tlast_note\nf2\tcomplaint of 2026-11-20: now\t\n")
        .code(0);
}

// ---------------------------------------------------------------------------------------
// greetings

#[test]
fn festival_greetings_for_red_a_and_b_customers_within_the_window() {
    let ws = book(
        "id,grade,list,last_contact\n\
         ga,A,,2026-11-20\n\
         gb,B,,2026-11-20\n\
         gr,D,red,2026-11-20\n\
         gc,C,,2026-11-20\n\
         gk,A,black,2026-11-20\n\
         gn,E,normal,2026-11-20\n",
    );
    // The next festival from Sunday Nov 22: New Year's Day, Fri Jan 1 2027, a day off, so
    // greeted the last working day before it, Thu Dec 31 2026 (39 days ahead: 8 + 31).
    // ga's A rhythm: Nov 20 + 30 days = Dec 20, lead 8 → Sat Dec 12 → Mon Dec 14 (22 days
    // ahead; late only past Dec 14 + 8). gb (B without a sample → C): Jan 20 2027; gr (D):
    // Feb 20 2027; gc (C, not red): no greeting; gk is black-listed.
    let greeting = "greeting: New Year's Day 2027-01-01";
    due(&ws, COLS, &["--within", "6w"])
        .stdout(&tsv(&[
            &format!("2026-12-14 -22 ga A false A expected order 2026-12-20; {greeting}"),
            &format!("2026-12-31 -39 gb B false {greeting}"),
            &format!("2026-12-31 -39 gr D false {greeting}"),
        ]))
        .stderr("")
        .code(0);
    // Until Dec 27: the greeting is not yet within.
    due(&ws, COLS, &["--within", "5w"])
        .stdout(&tsv(&[
            "2026-12-14 -22 ga A false A expected order 2026-12-20",
        ]))
        .stderr("")
        .code(0);
    // In Chinese, the reasons are joined by a full-width semicolon, as the reasons' own
    // full-width colon.
    due(&ws, "id,reason", &["--within", "6w", "--lang", "zh"])
        .stdout(
            "id\treason\n\
             ga\tA expected order 2026-12-20; greeting: New Year's Day 2027-01-01\n\
             gb\tgreeting: New Year's Day 2027-01-01\n\
             gr\tgreeting: New Year's Day 2027-01-01\n",
        )
        .code(0);
    // JSON: every reason of the row, an array.
    ws.run([
        "due",
        "--format",
        "json",
        "--columns",
        "id,due,reason",
        "--within",
        "6w",
    ])
    .stdout(
        "[\n  \
         {\"id\":\"ga\",\"due\":\"2026-12-14\",\"reason\":[\"A expected order 2026-12-20\",\
         \"greeting: New Year's Day 2027-01-01\"]},\n  \
         {\"id\":\"gb\",\"due\":\"2026-12-31\",\"reason\":[\"greeting: New Year's Day 2027-01-01\"]},\n  \
         {\"id\":\"gr\",\"due\":\"2026-12-31\",\"reason\":[\"greeting: New Year's Day 2027-01-01\"]}\n\
         ]\n",
    )
    .stderr("")
    .code(0);
}

#[test]
fn a_greeting_on_the_day_is_met_by_a_touch_that_day_and_is_never_listed_after_it() {
    let ws = book(
        "id,grade,last_contact\n\
         gb,B,2026-11-20\n\
         gt,B,2026-11-20\n",
    )
    .file(
        "activities.csv",
        "date,customer_id,kind,amount,note\n2026-12-31,gt,call,,happy new year\n",
    );
    // Thursday Dec 31: gt was called that day; gb is due today.
    due(&ws, COLS, &["--today", "2026-12-31"])
        .stdout(&tsv(&[
            "2026-12-31 0 gb B false greeting: New Year's Day 2027-01-01",
        ]))
        .stderr("")
        .code(0);
    // Monday Jan 4 2027: New Year was greeted on Dec 31, past: the next festival is the
    // Spring Festival, Sat Feb 6 2027 (a day off) → Fri Feb 5, 32 days ahead (27 + 5). Until
    // Jan 4 + 5 weeks = Feb 8. gb's C cadence: Nov 20 + 2 months = Jan 20 (16 days ahead);
    // gt's: Dec 31 + 2 months = Sun Feb 28 → Mon Mar 1, out.
    due(&ws, COLS, &["--today", "2027-01-04", "--within", "5w"])
        .stdout(&tsv(&[
            "2027-01-20 -16 gb B false C every 2 months; greeting: Spring Festival 2027-02-06",
            "2027-02-05 -32 gt B false greeting: Spring Festival 2027-02-06",
        ]))
        .stderr(NO_2027)
        .code(0);
    // Monday Feb 8 2027: the Spring Festival's greeting day (Feb 5) is past and holidays.toml
    // has no later date for it; next, the Lantern Festival, Sat Feb 20 2027, no day off:
    // the working day before, Fri Feb 19, 11 days ahead. Until Feb 22. gb's Jan 20 is now
    // 19 days overdue (11 + 8), not late (Jan 20 + 61 days).
    due(&ws, COLS, &["--today", "2027-02-08", "--within", "2w"])
        .stdout(&tsv(&[
            "2027-01-20 19 gb B false C every 2 months; greeting: Lantern Festival 2027-02-20",
            "2027-02-19 -11 gt B false greeting: Lantern Festival 2027-02-20",
        ]))
        .stderr(NO_2027)
        .code(0);
}

/// A greeting is due on its day (or the last working day before it), never after: "a
/// greeting after the day is too late" (engine.rs), "never after" (cadence.toml
/// [greetings]). A snooze past the day therefore leaves no greeting to list; a snooze that
/// ends before the greeting day leaves it alone.
#[test]
fn a_snooze_never_moves_a_greeting_past_its_day() {
    let ws = book(
        "id,grade,last_contact,snooze_until,birthday\n\
         q2,B,2026-11-20,2027-01-05,\n\
         q3,D,2026-11-20,2026-12-02,11-28\n\
         q5,B,2026-11-20,2026-12-10,\n",
    );
    // Until Nov 22 + 8 weeks = Jan 17 2027. q2: New Year's greeting (Thu Dec 31) falls in
    // its snooze (to Jan 5), and after Jan 1 it is too late: none; its C cadence, Jan 20,
    // is out. q3: birthday Sat Nov 28 → Fri Nov 27, in its snooze (to Dec 2): none; D: Feb
    // 20. q5's snooze ends Dec 10, before the greeting day: Dec 31, 39 days ahead.
    due(&ws, COLS, &["--within", "8w"])
        .stdout(&tsv(&[
            "2026-12-31 -39 q5 B false greeting: New Year's Day 2027-01-01",
        ]))
        .stderr("")
        .code(0);
}

/// README (rules table, cadence.toml): "the red list and grades A and B (holidays_for) are
/// greeted". A customer whose grade column is empty is graded by the `grade` scheme, and
/// `due` lists it as A, follows it at the A rhythm, and greets it as an A.
#[test]
fn greetings_go_by_the_grade_due_lists() {
    let ws = book("id,grade,last_contact\nq1,,2026-11-20\n").file(
        "activities.csv",
        "date,customer_id,kind,amount,note\n2026-11-10,q1,order,500,\n",
    );
    // Ordered: A by the grade scheme. One order, Nov 10: 30 days → Dec 10, lead round(7.5)
    // = 8. A new customer (first order 12 days ago), followed at half the gaps: the first
    // call round((30 − 8) × 0.5) = 11 days after the order, Sat Nov 21 → Mon Nov 23 (1 day
    // ahead; late only past Dec 1). The New Year greeting, Thu Dec 31, is within 8 weeks
    // (Jan 17).
    due(&ws, COLS, &["--within", "8w"])
        .stdout(&tsv(&[
            "2026-11-23 -1 q1 A false A expected order 2026-12-10 (new customer: gaps × 0.5); \
             greeting: New Year's Day 2027-01-01",
        ]))
        .stderr("")
        .code(0);
}

#[test]
fn a_festival_on_a_day_off_is_greeted_the_last_working_day_before_it_a_make_up_saturday() {
    let ws = book(
        "id,grade,list,last_contact\n\
         m5,B,,2026-01-25\n\
         m7,E,red,2026-01-25\n",
    );
    // From Monday Feb 2: the Spring Festival, Tue Feb 17 2026, a day off; the day before
    // (Feb 16) and Feb 15 are off too; Sat Feb 14 is a make-up working day: greeted then,
    // 12 days ahead. Until Feb 16. m5 (B → C): Jan 25 + 2 months = Mar 25; m7: Jul 25.
    let spring = "greeting: Spring Festival 2026-02-17";
    due(&ws, COLS, &["--today", "2026-02-02", "--within", "2w"])
        .stdout(&tsv(&[
            &format!("2026-02-14 -12 m5 B false {spring}"),
            &format!("2026-02-14 -12 m7 E false {spring}"),
        ]))
        .stderr("")
        .code(0);
    // Monday Feb 16: Feb 14 is past, and a greeting after the festival is too late: the
    // next is the Lantern Festival, Tue Mar 3 (not a day off), 15 days ahead (12 + 3).
    let lantern = "greeting: Lantern Festival 2026-03-03";
    due(&ws, COLS, &["--today", "2026-02-16", "--within", "2w"])
        .stdout("")
        .code(0);
    due(&ws, COLS, &["--today", "2026-02-16", "--within", "3w"])
        .stdout(&tsv(&[
            &format!("2026-03-03 -15 m5 B false {lantern}"),
            &format!("2026-03-03 -15 m7 E false {lantern}"),
        ]))
        .stderr("")
        .code(0);
}

#[test]
fn a_customer_with_several_follow_ups_gets_one_row_earliest_first() {
    let ws = book(
        "id,grade,list,last_contact,next_contact,next_step,expected_purchase,birthday\n\
         m1,A,,2026-01-20,,,,02-15\n\
         m2,B,red,2026-01-25,2026-02-10,send samples,2026-02-20,02-22\n\
         m3,C,red,2025-12-14,,,,\n\
         m4,D,,2026-01-20,,,,\n",
    );
    // Monday Feb 2 2026, until Feb 16. The Spring Festival greeting: Sat Feb 14 (above).
    let rows = [
        // A: Jan 20 + 30 days = Feb 19, lead 8 → Wed Feb 11 (9 days ahead); birthday Sun
        // Feb 15, a day off, as is everything back to the make-up Saturday Feb 14; then the
        // festival the same day, after the birthday.
        "2026-02-11 -9 m1 A false A expected order 2026-02-19; birthday 02-15; \
         greeting: Spring Festival 2026-02-17",
        // The plan (Tue Feb 10) replaces the cadence; purchase Feb 20 − 7 = Fri Feb 13;
        // birthday Sun Feb 22, in the Spring Festival days off (Feb 15–23) → Sat Feb 14.
        "2026-02-10 -8 m2 B false planned 2026-02-10: send samples; \
         purchase expected 2026-02-20; birthday 02-22; greeting: Spring Festival 2026-02-17",
        // Dec 14 + 2 months = Sat Feb 14, a make-up working day (12 days ahead); m4 (D, not
        // red) is not greeted and not due (Apr 20).
        "2026-02-14 -12 m3 C false C every 2 months; greeting: Spring Festival 2026-02-17",
    ];
    due(&ws, COLS, &["--today", "2026-02-02", "--within", "2w"])
        .stdout(&tsv(&rows))
        .stderr("")
        .code(0);
    ws.run([
        "due",
        "--format",
        "jsonl",
        "--columns",
        "id,reason",
        "--today",
        "2026-02-02",
        "--within",
        "2w",
    ])
    .stdout(
        "{\"id\":\"m1\",\"reason\":[\"A expected order 2026-02-19\",\"birthday 02-15\",\
         \"greeting: Spring Festival 2026-02-17\"]}\n\
         {\"id\":\"m2\",\"reason\":[\"planned 2026-02-10: send samples\",\
         \"purchase expected 2026-02-20\",\"birthday 02-22\",\
         \"greeting: Spring Festival 2026-02-17\"]}\n\
         {\"id\":\"m3\",\"reason\":[\"C every 2 months\",\
         \"greeting: Spring Festival 2026-02-17\"]}\n",
    )
    .stderr("")
    .code(0);
}

#[test]
fn birthdays_on_days_off_are_listed_the_last_working_day_before() {
    let weekend = book(
        "id,grade,last_contact,birthday\n\
         b1,D,2026-10-01,11-28\n\
         b2,D,2026-10-01,11-29\n\
         b3,D,2026-10-01,11-27\n\
         b4,D,2026-10-01,11-30\n\
         b5,D,2026-10-01,11-23\n",
    );
    // Until Sun Nov 29. Sat Nov 28 and Sun Nov 29 → Fri Nov 27; Mon Nov 30 is out. The D
    // cadence, Oct 1 + 3 months = Fri Jan 1 2027, is not within.
    due(&weekend, COLS, &["--within", "1w"])
        .stdout(&tsv(&[
            "2026-11-23 -1 b5 D false birthday 11-23",
            "2026-11-27 -5 b1 D false birthday 11-28",
            "2026-11-27 -5 b2 D false birthday 11-29",
            "2026-11-27 -5 b3 D false birthday 11-27",
        ]))
        .stderr("")
        .code(0);

    let holidays = book(
        "id,grade,last_contact,birthday\n\
         h1,D,2026-09-01,10-03\n\
         h2,D,2026-09-01,10-08\n\
         h3,D,2026-09-01,10-07\n\
         h4,D,2026-09-01,09-27\n\
         h5,D,2026-09-01,10-11\n",
    );
    // Monday Sep 28, until Oct 12. Oct 3 and Oct 7 fall in National Day (Oct 1–7): the
    // last working day before is Wed Sep 30. Thu Oct 8 stays. Sun Oct 11 → Sat Oct 10, a
    // make-up working day. Sun Sep 27 (Mid-Autumn, Sep 25–27) was greeted Thu Sep 24,
    // past: next year's, Mon Sep 27 2027, is out. D: Sep 1 + 3 months = Dec 1.
    due(
        &holidays,
        COLS,
        &["--today", "2026-09-28", "--within", "2w"],
    )
    .stdout(&tsv(&[
        "2026-09-30 -2 h1 D false birthday 10-03",
        "2026-09-30 -2 h3 D false birthday 10-07",
        "2026-10-08 -10 h2 D false birthday 10-08",
        "2026-10-10 -12 h5 D false birthday 10-11",
    ]))
    .stderr("")
    .code(0);
}

#[test]
fn who_is_greeted_and_how_early_come_from_cadence_toml() {
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/cadence.toml"))
            .expect("read the shipped rules/cadence.toml");
    let (who, lead, birthday) = (
        "holidays_for = 'list == \"red\" || grade == \"A\" || grade == \"B\"'",
        "holiday_lead_days = 0",
        "birthday_lead_days = 0",
    );
    for line in [who, lead, birthday] {
        assert!(shipped.contains(line), "the shipped greetings changed");
    }
    let ws = book(
        "id,grade,list,last_contact,birthday\n\
         ga,A,,2026-11-20,\n\
         gr,D,red,2026-11-20,\n\
         gd,D,,2026-11-01,11-30\n",
    )
    .file(
        "rules/cadence.toml",
        shipped
            .replace(who, "holidays_for = 'list == \"red\"'")
            .replace(lead, "holiday_lead_days = 3")
            .replace(birthday, "birthday_lead_days = 2"),
    );
    // Red only; three days before New Year's Day: Tue Dec 29 (37 days ahead). ga's A rhythm
    // (Mon Dec 14, above) stays, without a greeting. gd's birthday Mon Nov 30, two days
    // ahead: Sat Nov 28 → Fri Nov 27; its D cadence: Nov 1 + 3 months = Feb 1 2027.
    due(&ws, COLS, &["--within", "6w"])
        .stdout(&tsv(&[
            "2026-12-14 -22 ga A false A expected order 2026-12-20",
            "2026-11-27 -5 gd D false birthday 11-30",
            "2026-12-29 -37 gr D false greeting: New Year's Day 2027-01-01",
        ]))
        .stderr("")
        .code(0);
}

// ---------------------------------------------------------------------------------------
// columns

#[test]
fn columns_choose_what_is_shown_reach_and_last_note() {
    let ws = book(
        "id,name,grade,phone,email\n\
         r1,Acme,C,13800000001,\n\
         r2,Bee,C,,buyer@bee.example\n\
         r3,Cee,C,020-1234,x@cee.example\n\
         r4,Dee,C,,\n\
         r5,Eee,C,,\n",
    )
    .file(
        "activities.csv",
        "date,customer_id,kind,amount,note\n\
         2026-09-10,r1,call,,asked for the catalogue\n\
         2026-09-12,r1,complaint,,price too high\n\
         2026-09-15,r2,visit,,met the buyer\n\
         2026-09-15,r2,email,,sent the price list\n\
         2026-09-16,r3,message,,\n\
         2026-09-14,r3,call,,an older call\n\
         2026-09-17,r4,order,100,first order\n\
         2026-09-18,r4,sample_request,,not a touch\n\
         2026-09-18,r5,call,,see you in November\n",
    );
    // r1: the complaint of Sat Sep 12 → Sun Sep 13 → Mon Sep 14, listed first, and its
    // cadence from the call (Sep 10 + 2 months = Tue Nov 10). r2: Sep 15 + 2 months = Sun
    // Nov 15 → Mon Nov 16; r3: the message of Sep 16 → Mon Nov 16; r4: Tue Nov 17; r5:
    // Wed Nov 18. The last note is the note of the last touch row: r1's call (a complaint
    // is no touch), r2's email (the later row of the day), r3's message (the later date,
    // though the earlier row in the file; its note is empty), r4's order.
    due(&ws, "id,reach,last_note,reason", &[])
        .stdout(
            "id\treach\tlast_note\treason\n\
             r1\t13800000001\tasked for the catalogue\t\
             complaint of 2026-09-12: price too high; C every 2 months\n\
             r2\tbuyer@bee.example\tsent the price list\tC every 2 months\n\
             r3\t020-1234\t\tC every 2 months\n\
             r4\t\tfirst order\tC every 2 months\n\
             r5\t\tsee you in November\tC every 2 months\n",
        )
        .stderr("")
        .code(0);
    due(&ws, "id,name,phone,reason", &[])
        .stdout(
            "id\tname\tphone\treason\n\
             r1\tAcme\t13800000001\tcomplaint of 2026-09-12: price too high; C every 2 months\n\
             r2\tBee\t\tC every 2 months\n\
             r3\tCee\t020-1234\tC every 2 months\n\
             r4\tDee\t\tC every 2 months\n\
             r5\tEee\t\tC every 2 months\n",
        )
        .stderr("")
        .code(0);
    // In the order asked: the e-mail first.
    due(
        &ws,
        "email,due,last_contact",
        &["--grade", "C", "--limit", "3"],
    )
    .stdout(
        "email\tdue\tlast_contact\n\
             \t2026-09-14\t2026-09-10\n\
             buyer@bee.example\t2026-11-16\t2026-09-15\n\
             x@cee.example\t2026-11-16\t2026-09-16\n",
    )
    .stderr("")
    .code(0);
}

#[test]
fn an_unknown_column_is_a_usage_error_naming_the_valid_ones() {
    let ws = book("id,grade,last_contact\nc1,C,2026-09-18\n");
    for (asked, bad) in [("id,phone_number", "phone_number"), ("reasons", "reasons")] {
        ws.run(["due", "--columns", asked])
            .stdout("")
            .stderr(&format!(
                "clientele: error: unknown column \"{bad}\" for --columns (expected some of \
                 due, overdue_days, id, name, owner, grade, stage, type, reason, reason_code, \
                 strategy, late, phone, email, contact, last_contact, last_note, reach)\n"
            ))
            .code(2);
    }
}

/// The reasons in Chinese, where people read them (a table, markdown); machine formats keep
/// them in English (tested above).
#[test]
fn chinese_reasons_in_a_table() {
    // g1, grade B, no sample: its cadence is C's, every 2 months from Nov 20 (Jan 20, out
    // of the window), and the plan replaces it anyway: Tue Nov 24. New Year's Day 2027
    // (a Friday, a day off) is greeted Thu Dec 31, inside six weeks (to Jan 3).
    let ws = book(
        "id,grade,last_contact,next_contact,next_step\n\
         g1,B,2026-11-20,2026-11-24,回电报价\n",
    );
    ws.run([
        "--lang",
        "zh",
        "due",
        "--within",
        "6w",
        "--format",
        "markdown",
        "--columns",
        "id,reason",
    ])
    .stdout(
        "| 编号 | 原因 |\n| --- | --- |\n\
         | g1 | 约定联系 2026-11-24：回电报价；节日问候 元旦 2027-01-01 |\n",
    )
    .stderr("")
    .code(0);
}
