//! `clientele due`: every cadence rule with hand-computed dates, the calendar, the options,
//! cron silence and the ICS calendar. Today is Sunday 2026-11-22 unless a test says otherwise.

use crate::util::{Output, Workspace};

const HEAD: &str =
    "due\toverdue_days\tid\tname\towner\tgrade\tstage\ttype\treason\tstrategy\tlate\n";

/// The expected TSV of customers with no name, owner, stage or type (so no strategy). Each
/// row is `due overdue_days id grade late reason...`, the reason last as it holds spaces.
fn tsv(rows: &[&str]) -> String {
    let mut out = HEAD.to_string();
    for row in rows {
        let f: Vec<&str> = row.splitn(6, ' ').collect();
        let [due, overdue, id, grade, late, reason] = f[..] else {
            panic!("bad expected row {row:?}")
        };
        out.push_str(&format!(
            "{due}\t{overdue}\t{id}\t\t\t{grade}\t\t\t{reason}\t\t{late}\n"
        ));
    }
    out
}

/// The columns the cadence tests compare (the default machine columns also hold the ways to
/// reach a customer and the last note, tested on their own below).
const COLUMNS: &str = "due,overdue_days,id,name,owner,grade,stage,type,reason,strategy,late";

/// `clientele due --format tsv --columns COLUMNS ARGS...`
fn due(ws: &Workspace, args: &[&str]) -> Output {
    ws.run(
        ["due", "--format", "tsv", "--columns", COLUMNS]
            .iter()
            .chain(args),
    )
}

fn book(customers: &str) -> Workspace {
    Workspace::new().file("customers.csv", customers)
}

#[test]
fn c_d_e_add_calendar_months_and_clamp_month_ends() {
    let ws = book(
        "id,grade,last_contact\n\
         c1,C,2026-09-18\n\
         c2,C,2026-07-31\n\
         d1,D,2026-03-31\n\
         d2,D,2026-08-31\n\
         e1,E,2026-05-20\n\
         e2,E,2025-08-31\n",
    );
    let listed = [
        // Jul 31 + 2 months: Sep 30, no Sep 31.
        "2026-09-30 53 c2 C false C every 2 months",
        "2026-11-18 4 c1 C false C every 2 months",
        // Mar 31 + 3 months = Jun 30; late: past Jun 30 + 91 days = Sep 29.
        "2026-06-30 145 d1 D true D every 3 months",
        // Aug 31 2025 + 6 months = Feb 28 2026, a Saturday but a make-up working day.
        "2026-02-28 267 e2 E true E every 6 months",
        "2026-11-20 2 e1 E false E every 6 months",
    ];
    due(&ws, &[]).stdout(&tsv(&listed)).stderr("").code(0);
    // Aug 31 + 3 months = Nov 30 (a Monday), 8 days ahead.
    let mut within = listed.to_vec();
    within.insert(3, "2026-11-30 -8 d2 D false D every 3 months");
    due(&ws, &["--within", "8d"]).stdout(&tsv(&within));
}

#[test]
fn leap_day_and_a_year_without_holidays_warns_once() {
    let ws = book("id,grade,last_contact\ne1,E,2024-02-29\ne2,E,2023-08-31\n");
    due(&ws, &[])
        .stdout(&tsv(&[
            // Aug 31 2023 + 6 months = Feb 29 2024 (leap year); Feb 29 + 6 months = Aug 29.
            "2024-02-29 997 e2 E true E every 6 months",
            "2024-08-29 815 e1 E true E every 6 months",
        ]))
        .stderr(
            "clientele: warning: the built-in holidays.toml has no holidays for 2024; \
             due dates there skip only weekends\n",
        )
        .code(0);
}

#[test]
fn last_contact_is_the_later_of_the_book_and_the_log_touches() {
    let ws = book(
        "id,grade,last_contact\n\
         l1,C,2026-09-01\nl2,C,2026-09-17\nl3,C,\nl4,C,\nl5,C,\nl6,C,\nl7,C,\n",
    )
    .file(
        "activities.csv",
        "date,customer_id,kind,amount,note\n\
         2026-09-16,l1,call,,\n\
         2026-12-01,l1,call,,after today: ignored\n\
         2026-09-30,l1,complaint,,\n\
         2026-10-01,l1,sample_received,,\n\
         2026-09-02,l2,email,,\n\
         2026-10-01,l3,complaint,,\n\
         2026-10-02,l3,sample_request,,\n\
         2026-09-18,l4,visit,,\n\
         2026-09-19,l5,message,,\n\
         2026-09-14,l6,order,100,\n\
         2026-11-24,l7,call,,tomorrow: ignored\n",
    );
    // Monday, so that "never contacted" (due today) is a working day. A complaint is no
    // touch: l1's complaint of Sep 30 came after its last touch (Sep 16), and l3 has none,
    // so both complaints are open, due the next working day (Oct 1 and 2 → the National Day
    // break → Thu Oct 8), late after Oct 9, and listed first.
    due(&ws, &["--today", "2026-11-23"])
        .stdout(&tsv(&[
            "2026-10-08 46 l1 C true complaint of 2026-09-30; C every 2 months",
            "2026-10-08 46 l3 C true complaint of 2026-10-01; never contacted",
            // Sep 14 + 2 months = Nov 14, a Saturday: Monday Nov 16.
            "2026-11-16 7 l6 C false C every 2 months",
            "2026-11-17 6 l2 C false C every 2 months",
            "2026-11-18 5 l4 C false C every 2 months",
            "2026-11-19 4 l5 C false C every 2 months",
            "2026-11-23 0 l7 C false never contacted",
        ]))
        .code(0);
}

#[test]
fn never_contacted_is_due_today_for_every_grade_but_black_listed() {
    let ws = book(
        "id,grade,list\n\
         n1,C,\nn2,,\nn3,A,\nn4,B,\nn5,C,black\nn6,E,red\n",
    );
    due(&ws, &["--today", "2026-11-23"]).stdout(&tsv(&[
        "2026-11-23 0 n3 A false never contacted",
        "2026-11-23 0 n4 B false never contacted",
        "2026-11-23 0 n1 C false never contacted",
        // No grade and nothing known: the `grade` scheme's default, E.
        "2026-11-23 0 n2 E false never contacted",
        "2026-11-23 0 n6 E false never contacted",
    ]));
}

#[test]
fn black_list_is_never_due() {
    let ws = book(
        "id,grade,last_contact,list\n\
         k1,C,2026-01-01,black\nk2,C,2026-09-18,red\nk3,D,2026-05-01,normal\n\
         k4,D,2026-05-01,BLACK\n",
    );
    due(&ws, &["--within", "1m"]).stdout(&tsv(&[
        "2026-11-18 4 k2 C false C every 2 months",
        "2026-08-03 111 k3 D true D every 3 months",
    ]));
}

#[test]
fn empty_grade_comes_from_the_grade_scheme() {
    let ws = book(
        "id,grade,list,last_contact,last_order,sample_requested\n\
         g1,,,2026-08-20,,\n\
         g2,,red,2026-09-16,,\n\
         g3,,,2026-11-09,,2026-10-26\n\
         g5,,,,2026-10-20,\n",
    );
    due(&ws, &[]).stdout(&tsv(&[
        // Ordered: A, default interval 30 days from Oct 20 → Nov 19, 8 days' lead.
        "2026-11-11 11 g5 A true A expected order 2026-11-19",
        // Open sample: B, step 6 (Oct 26 + 1+1+2+3+7+7 = Nov 16).
        "2026-11-16 6 g3 B false B sample step 6/7",
        "2026-11-16 6 g2 C false C every 2 months",
        "2026-11-20 2 g1 D false D every 3 months",
    ]));
}

#[test]
fn b_sample_steps_a_touch_on_the_day_meets_the_day_before_does_not() {
    // Requested Mon Oct 26; gaps 1,1,2,3,7,7,15 → steps Oct 27, Oct 28, Oct 30, Nov 2, Nov 9,
    // Nov 16, Dec 1.
    let mut csv = String::from("id,grade,sample_requested,last_contact\n");
    let touches = [
        "10-26", "10-27", "10-28", "10-29", "10-30", "11-01", "11-02", "11-08", "11-09", "11-15",
        "11-16",
    ];
    for (i, t) in touches.iter().enumerate() {
        csv.push_str(&format!("s{:02},B,2026-10-26,2026-{t}\n", i + 1));
    }
    due(&book(&csv), &["--within", "2w"]).stdout(&tsv(&[
        "2026-10-27 26 s01 B true B sample step 1/7",
        "2026-10-28 25 s02 B true B sample step 2/7",
        "2026-10-30 23 s03 B true B sample step 3/7",
        "2026-10-30 23 s04 B true B sample step 3/7",
        "2026-11-02 20 s05 B true B sample step 4/7",
        "2026-11-02 20 s06 B true B sample step 4/7",
        "2026-11-09 13 s07 B true B sample step 5/7",
        "2026-11-09 13 s08 B true B sample step 5/7",
        // Late only past Nov 16 + 7 = Nov 23.
        "2026-11-16 6 s09 B false B sample step 6/7",
        "2026-11-16 6 s10 B false B sample step 6/7",
        "2026-12-01 -9 s11 B false B sample step 7/7",
    ]));
}

#[test]
fn b_received_sequence_takes_over_from_the_later_receipt() {
    let ws = book(
        "id,grade,sample_requested,sample_received,last_contact\n\
         r1,B,2026-10-26,2026-11-05,2026-11-05\n\
         r2,B,2026-10-26,2026-09-01,2026-11-05\n\
         r3,B,,2026-11-10,2026-11-13\n\
         r5,B,2026-11-10,2026-11-10,2026-11-13\n",
    );
    due(&ws, &[]).stdout(&tsv(&[
        // Received Nov 5 + 3 = Sun Nov 8 → Mon Nov 9; late past Nov 8 + 3.
        "2026-11-09 13 r1 B true B received step 1/4",
        // A receipt older than the request does not count: request step 5 (Nov 9).
        "2026-11-09 13 r2 B true B sample step 5/7",
        // Received Nov 10: steps Nov 13 (met), Nov 20.
        "2026-11-20 2 r3 B false B received step 2/4",
        "2026-11-20 2 r5 B false B received step 2/4",
    ]));
}

#[test]
fn b_after_the_last_step_and_without_a_sample_follows_c() {
    let ws = book(
        "id,grade,sample_requested,sample_received,last_contact\n\
         q1,B,,2026-08-28,2026-09-17\n\
         q2,B,,2026-08-28,2026-09-16\n\
         q3,B,,,2026-09-16\n\
         q4,B,2026-07-01,,2026-08-20\n",
    );
    due(&ws, &[]).stdout(&tsv(&[
        // Received Aug 28: steps Aug 31, Sep 7, Sep 10, Sep 17.
        "2026-09-17 66 q2 B true B received step 4/4",
        // Requested Jul 1: the last step is Aug 6, met on Aug 20 → Oct 20.
        "2026-10-20 33 q4 B false C every 2 months",
        "2026-11-16 6 q3 B false C every 2 months",
        "2026-11-17 5 q1 B false C every 2 months",
    ]));
}

const ORDERS: &str = "date,customer_id,kind,amount,note\n\
    2026-10-20,a1,order,500,\n\
    2026-08-01,a3,order,100,\n2026-08-11,a3,order,100,\n2026-08-31,a3,order,100,\n\
    2026-08-31,a3,order,100,second order that day\n2026-10-20,a3,order,100,\n\
    2026-07-01,a4,order,1,\n2026-07-15,a4,order,1,\n2026-08-05,a4,order,1,\n\
    2026-08-30,a4,order,1,\n2026-09-30,a4,order,1,\n\
    2026-08-01,a5,order,1,\n2026-08-11,a5,order,1,\n2026-08-31,a5,order,1,\n\
    2026-10-20,a5,order,1,\n2026-11-06,a5,call,,\n\
    2026-08-01,a6,order,1,\n2026-08-11,a6,order,1,\n2026-08-31,a6,order,1,\n\
    2026-10-20,a6,order,1,\n2026-11-12,a6,email,,\n\
    2026-01-05,a7,order,1,\n2026-07-05,a7,order,1,\n\
    2026-11-06,a8,order,1,\n2026-11-14,a8,order,1,\n\
    2026-11-10,a9,order,1,\n2026-11-14,a9,order,1,\n2026-11-18,a9,order,1,\n\
    2026-09-23,l1,order,1,\n2026-09-24,l2,order,1,\n";

#[test]
fn a_follows_the_order_rhythm() {
    // Customers since 2020 (the book's first_order): old customers, at the grade's own gaps
    // (new ones have a test of their own below).
    let ws = book(
        "id,grade,last_contact,first_order\n\
         a0,A,2026-10-15,2020-01-02\na1,A,,2020-01-02\na3,A,,2020-01-02\na4,A,,2020-01-02\n\
         a5,A,,2020-01-02\na6,A,,2020-01-02\na7,A,,2020-01-02\na8,A,,2020-01-02\n\
         a9,A,,2020-01-02\nl1,A,,2020-01-02\nl2,A,,2020-01-02\n",
    )
    .file("activities.csv", ORDERS);
    let mut listed = vec![
        // One order Sep 23: 30 days → Oct 23, lead round(7.5) = 8 → Oct 15; lapsing from
        // Sep 23 + 60 days = Nov 22, today.
        "2026-10-15 38 l1 A true A lapsing, order expected 2026-10-23",
        "2026-10-16 37 l2 A true A expected order 2026-10-24",
        // Gaps 14, 21, 25, 31: (21 + 25) / 2 = 23 → Oct 23; lead round(5.75) = 6 → Sat Oct 17
        // → Mon Oct 19; Sep 30 + 46 days = Nov 15 ≤ today: lapsing.
        "2026-10-19 34 a4 A true A lapsing, order expected 2026-10-23",
        // Distinct order dates Aug 1, 11, 31, Oct 20: median gap 20 → Nov 9, lead 5 → Nov 4.
        "2026-11-04 18 a3 A true A expected order 2026-11-09",
        // No order: anchored at the last contact, Oct 15 + 30 = Nov 14, lead 8 → Nov 6.
        "2026-11-06 16 a0 A true A expected order 2026-11-14",
        // One order Oct 20 → Nov 19, lead 8 → Nov 11; late after Nov 11 + 8.
        "2026-11-11 11 a1 A true A expected order 2026-11-19",
        // As a3, touched Nov 6 (after Nov 4): the next weekly date, Nov 11.
        "2026-11-11 11 a5 A true A expected order 2026-11-09",
        // Touched Nov 12 → Nov 18; late only after Nov 18 + 7.
        "2026-11-18 4 a6 A false A expected order 2026-11-09",
        // Gap 8: Nov 22, lead round(2) raised to 3 → Nov 19; late only after Nov 22.
        "2026-11-19 3 a8 A false A expected order 2026-11-22",
    ];
    due(&ws, &[]).stdout(&tsv(&listed)).code(0);
    // Orders Nov 10, 14 and 18, each under 7 days after the one before: one ordering
    // occasion, so no interval of its own: the default 30 days from the last order, Dec 18;
    // lead round(7.5) = 8 → Thu Dec 10. (Day by day, a gap of 4 would have made it due.)
    listed.push("2026-12-10 -18 a9 A false A expected order 2026-12-18");
    // A yearly orderer (gap 181 days → Jan 2 2027): lead capped at 21 days, Sat Dec 12 → Mon.
    listed.push("2026-12-14 -22 a7 A false A expected order 2027-01-02");
    due(&ws, &["--within", "1m"])
        .stdout(&tsv(&listed))
        .stderr("");
}

/// cadence.toml's `new_customers`: A and B customers whose first order is within 180 days
/// are followed at half the gaps, rounded, at least a day; and each purchase intent has a
/// follow-up of its own (`[purchase_intent.every]`).
#[test]
fn new_customers_get_half_the_gaps_and_an_intent_its_own_follow_up() {
    let ws = book(
        "id,grade,intent,last_contact,sample_requested\n\
         n1,A,,,\n\
         n2,B,,,2026-11-10\n\
         n3,C,considering,2026-11-12,\n\
         n4,C,will_not_buy,2026-11-12,\n",
    )
    .file(
        "activities.csv",
        "date,customer_id,kind,amount,note\n\
         2026-10-20,n1,order,500,\n\
         2026-09-01,n2,order,100,\n2026-11-16,n2,call,,\n",
    );
    let listed = [
        // One order Oct 20 (33 days ago: new): expected Nov 19, lead 8. An old customer is
        // due Nov 11 (a1 above); a new one after round((30 − 8) × 0.5) = 11 days, Sat Oct 31
        // → Mon Nov 2; late past Nov 2 + 8 = Nov 10.
        "2026-11-02 20 n1 A true A expected order 2026-11-19 (new customer: gaps × 0.5)",
        // First order Sep 1 (82 days ago: new). Requested Nov 10; the gaps 1-1-2-3-7-7-15
        // halved: 1-1-1-2-4-4-8, steps Nov 11, 12, 13, 15, 19, …; the call of Nov 16 met
        // the fourth: step 5, Thu Nov 19, late only past Nov 19 + 4. (Old: steps Nov 11, 12,
        // 14, 17: step 4, Nov 17, late past Nov 20.)
        "2026-11-19 3 n2 B false B sample step 5/7 (new customer: gaps × 0.5)",
        // Considering: every 7 days after the last contact, Nov 12 → Thu Nov 19 (C's 2
        // months, Jan 12, is not due yet).
        "2026-11-19 3 n3 C false intent: considering, every 7 days",
    ];
    due(&ws, &[]).stdout(&tsv(&listed)).stderr("").code(0);
    // The reason code of the intent's follow-up; will not buy has none of its own (n4's C
    // cadence, Jan 12, is not due).
    ws.run(["due", "--format", "csv", "--columns", "id,reason_code"])
        .stdout("id,reason_code\nn1,order\nn2,sample\nn3,intent\n")
        .code(0);
    // In Chinese, as a person reads it.
    ws.run([
        "due",
        "--format",
        "markdown",
        "--lang",
        "zh",
        "--columns",
        "id,reason",
    ])
    .stdout(
        "| 编号 | 原因 |\n| --- | --- |\n\
             | n1 | A 预计下单 2026-11-19（新客户：间隔×0.5） |\n\
             | n2 | B 索样第5/7步（新客户：间隔×0.5） |\n\
             | n3 | 购买意向：考虑犹豫，每7天 |\n",
    )
    .code(0);
}

const CALENDAR: &str = "id,grade,last_contact\n\
    w1,D,2026-05-01\nw2,C,2026-08-01\nw3,C,2026-08-10\nw4,C,2026-07-25\n\
    w5,C,2026-07-20\nw6,C,2026-07-21\nw7,E,2025-08-16\nw8,E,2025-08-14\n";

#[test]
fn weekends_and_holidays_move_to_the_next_working_day() {
    due(&book(CALENDAR), &[]).stdout(&tsv(&[
        // Sun Sep 20 is a make-up working day; late: past Sep 20 + 62 days = Nov 21.
        "2026-09-20 63 w5 C true C every 2 months",
        // Sep 21 + 62 days = Nov 22: not yet late.
        "2026-09-21 62 w6 C false C every 2 months",
        // Fri Sep 25: Mid-Autumn Festival Sep 25–27.
        "2026-09-28 55 w4 C false C every 2 months",
        // Oct 1: National Day Oct 1–7.
        "2026-10-08 45 w2 C false C every 2 months",
        // Sat Oct 10: a make-up working day.
        "2026-10-10 43 w3 C false C every 2 months",
        // Sat Aug 1 → Mon Aug 3.
        "2026-08-03 111 w1 D true D every 3 months",
        // Sat Feb 14: a make-up working day; Feb 16: Spring Festival Feb 15–23.
        "2026-02-14 281 w8 E true E every 6 months",
        "2026-02-24 271 w7 E true E every 6 months",
    ]));
}

#[test]
fn the_weekend_is_configurable() {
    let customers = "id,grade,last_contact\nw1,D,2026-05-01\nw2,C,2026-08-01\n\
                     f,C,2026-09-20\nn,C,\n";
    let none = book(customers).file("clientele.toml", "[calendar]\nweekend = []\n");
    due(&none, &[]).stdout(&tsv(&[
        "2026-10-08 45 w2 C false C every 2 months",
        "2026-11-20 2 f C false C every 2 months",
        // Sunday is a working day now: never contacted is due today.
        "2026-11-22 0 n C false never contacted",
        "2026-08-01 113 w1 D true D every 3 months",
    ]));
    let friday = book(customers).file("clientele.toml", "[calendar]\nweekend = [\"fri\"]\n");
    due(&friday, &[]).stdout(&tsv(&[
        "2026-10-08 45 w2 C false C every 2 months",
        "2026-11-21 1 f C false C every 2 months",
        "2026-11-22 0 n C false never contacted",
        "2026-08-01 113 w1 D true D every 3 months",
    ]));
}

#[test]
fn a_workspace_holiday_file_replaces_the_calendar() {
    let customers = "id,grade,last_contact\ny1,C,2026-11-02\ny2,C,2026-11-10\n\
                     y3,C,2026-11-01\nz,C,2026-09-20\n";
    due(&book(customers), &["--within", "2m"])
        .stdout(&tsv(&[
            "2026-11-20 2 z C false C every 2 months",
            // 2027 is not in holidays.toml: weekends only, so Fri Jan 1 stays.
            "2027-01-01 -40 y3 C false C every 2 months",
            "2027-01-04 -43 y1 C false C every 2 months",
            "2027-01-11 -50 y2 C false C every 2 months",
        ]))
        .stderr(
            "clientele: warning: the built-in holidays.toml has no holidays for 2027; \
             due dates there skip only weekends\n",
        );
    let own = book(customers).file(
        "rules/holidays.toml",
        "[2026]\noff = [\"2026-11-20\"]\n[2027]\noff = [\"2027-01-01\"]\n",
    );
    due(&own, &["--within", "2m"])
        .stdout(&tsv(&[
            "2026-11-23 -1 z C false C every 2 months",
            "2027-01-04 -43 y1 C false C every 2 months",
            "2027-01-04 -43 y3 C false C every 2 months",
            "2027-01-11 -50 y2 C false C every 2 months",
        ]))
        .stderr("");
}

#[test]
fn snooze_postpones_and_suspends_late() {
    let ws = book(
        "id,grade,last_contact,snooze_until\n\
         s1,C,2026-09-18,2026-11-25\n\
         s2,C,2026-09-18,2026-11-10\n\
         s3,D,2026-05-01,2026-11-20\n\
         s4,D,2026-05-01,2026-11-28\n",
    );
    due(&ws, &[]).stdout(&tsv(&[
        "2026-11-18 4 s2 C false C every 2 months",
        // The snooze is over: late again (Aug 1 + 92 days = Nov 1).
        "2026-11-20 2 s3 D true D every 3 months",
    ]));
    due(&ws, &["--within", "2w"]).stdout(&tsv(&[
        "2026-11-18 4 s2 C false C every 2 months",
        "2026-11-25 -3 s1 C false C every 2 months",
        "2026-11-20 2 s3 D true D every 3 months",
        // Snoozed to Sat Nov 28 → Mon Nov 30; not late while snoozed.
        "2026-11-30 -8 s4 D false D every 3 months",
    ]));
}

#[test]
fn purchase_intent_and_birthdays() {
    let ws = book(
        "id,grade,last_contact,expected_purchase,birthday\n\
         p1,D,2026-10-01,2026-11-25,\n\
         p2,D,2026-11-18,2026-11-25,\n\
         p3,D,2026-10-01,2026-11-30,\n\
         p4,C,2026-09-18,2026-12-20,\n\
         p5,D,2026-10-01,2026年12月4日,\n\
         p6,D,2026-05-01,2026-06-01,\n\
         h1,D,2026-10-01,,11-25\n\
         h2,D,2026-10-01,,12月1日\n\
         h3,D,2026-10-01,,11-20\n\
         h4,D,2026-10-01,,1990-11-26\n",
    );
    due(&ws, &[]).stdout(&tsv(&[
        "2026-11-18 4 p4 C false C every 2 months",
        // The purchase date (never late itself) and the D cadence (May 1 + 3 months = Sat
        // Aug 1 → Mon Aug 3, late past Nov 3), both listed: the entry is late.
        "2026-05-25 181 p6 D true purchase expected 2026-06-01; D every 3 months",
        "2026-11-18 4 p1 D false purchase expected 2026-11-25",
    ]));
    due(&ws, &["--within", "2w"]).stdout(&tsv(&[
        "2026-11-18 4 p4 C false C every 2 months",
        "2026-05-25 181 p6 D true purchase expected 2026-06-01; D every 3 months",
        "2026-11-18 4 p1 D false purchase expected 2026-11-25",
        "2026-11-23 -1 p3 D false purchase expected 2026-11-30",
        "2026-11-25 -3 h1 D false birthday 11-25",
        "2026-11-26 -4 h4 D false birthday 11-26",
        "2026-11-27 -5 p5 D false purchase expected 2026-12-04",
        "2026-12-01 -9 h2 D false birthday 12-01",
    ]));
}

#[test]
fn a_birthday_on_a_weekend_is_due_the_working_day_before() {
    // Sat Nov 21 and Sun Nov 22 are greeted on Friday Nov 20: a greeting after the day is
    // too late. On Monday Nov 23 they are past, and the D cadence (Oct 1 + 3 months = Fri
    // Jan 1 2027) is not due.
    let ws = book(
        "id,grade,last_contact,birthday\n\
         h5,D,2026-10-01,11-21\n\
         h6,D,2026-10-01,11-22\n",
    );
    due(&ws, &["--today", "2026-11-20"]).stdout(&tsv(&[
        "2026-11-20 0 h5 D false birthday 11-21",
        "2026-11-20 0 h6 D false birthday 11-22",
    ]));
    due(&ws, &["--today", "2026-11-23"]).stdout("").code(0);
}

const TEAM: &str = "id,name,owner,grade,last_contact\n\
    o1,One,Ann,C,2026-09-18\n\
    o2,Two,bob,C,2026-09-20\n\
    o3,Three,Bob,D,2026-05-01\n\
    o4,Four,Cleo,E,2026-05-20\n\
    o5,Five,Ann,B,2026-09-16\n\
    o6,Six,Ann,C,2026-09-22\n\
    o8,Eight,Ann,C,2026-09-18\n\
    o9,Nine,Dan,A,2026-10-15\n";

const O9: &str = "2026-11-06\t16\to9\tNine\tDan\tA\t\t\tA expected order 2026-11-14\t\ttrue\n";
const O5: &str = "2026-11-16\t6\to5\tFive\tAnn\tB\t\t\tC every 2 months\t\tfalse\n";
const O1: &str = "2026-11-18\t4\to1\tOne\tAnn\tC\t\t\tC every 2 months\t\tfalse\n";
const O8: &str = "2026-11-18\t4\to8\tEight\tAnn\tC\t\t\tC every 2 months\t\tfalse\n";
const O2: &str = "2026-11-20\t2\to2\tTwo\tbob\tC\t\t\tC every 2 months\t\tfalse\n";
const O6: &str = "2026-11-23\t-1\to6\tSix\tAnn\tC\t\t\tC every 2 months\t\tfalse\n";
const O3: &str = "2026-08-03\t111\to3\tThree\tBob\tD\t\t\tD every 3 months\t\ttrue\n";
const O4: &str = "2026-11-20\t2\to4\tFour\tCleo\tE\t\t\tE every 6 months\t\tfalse\n";

#[test]
fn sorted_by_grade_then_date_then_id() {
    let ws = book(TEAM);
    due(&ws, &[]).stdout(&[HEAD, O9, O5, O1, O8, O2, O3, O4].concat());
    due(&ws, &["--within", "1d"]).stdout(&[HEAD, O9, O5, O1, O8, O2, O6, O3, O4].concat());
}

#[test]
fn owner_grade_overdue_and_limit_filter() {
    let ws = book(TEAM);
    due(&ws, &["--owner", "ann"]).stdout(&[HEAD, O5, O1, O8].concat());
    due(&ws, &["--owner", "BOB"]).stdout(&[HEAD, O2, O3].concat());
    due(&ws, &["--owner", "Ann", "--owner", "cleo"]).stdout(&[HEAD, O5, O1, O8, O4].concat());
    due(&ws, &["--owner", "An"]).stdout("").code(0);
    due(&ws, &["--grade", "A,C"]).stdout(&[HEAD, O9, O1, O8, O2].concat());
    due(&ws, &["--grade", "d"]).stdout(&[HEAD, O3].concat());
    due(&ws, &["--limit", "2"]).stdout(&[HEAD, O9, O5].concat());
    due(&ws, &["--limit", "3", "--grade", "C", "--within", "1d"])
        .stdout(&[HEAD, O1, O8, O2].concat());
    // Monday: o6 is due today (not overdue), the others a day more overdue.
    let monday = ["--today", "2026-11-23", "--owner", "ann", "--grade", "C"];
    let o1 = "2026-11-18\t5\to1\tOne\tAnn\tC\t\t\tC every 2 months\t\tfalse\n";
    let o8 = "2026-11-18\t5\to8\tEight\tAnn\tC\t\t\tC every 2 months\t\tfalse\n";
    let o6 = "2026-11-23\t0\to6\tSix\tAnn\tC\t\t\tC every 2 months\t\tfalse\n";
    due(&ws, &monday).stdout(&[HEAD, o1, o8, o6].concat());
    due(&ws, &[&monday[..], &["--overdue"]].concat()).stdout(&[HEAD, o1, o8].concat());
}

#[test]
fn within_takes_days_weeks_and_months() {
    let ws = book(
        "id,grade,last_contact\n\
         w27,C,2026-09-27\nw30,C,2026-09-30\nx04,C,2026-10-04\nx06,C,2026-10-06\n\
         y22,C,2026-10-22\ny23,C,2026-10-23\n",
    );
    let week = ["2026-11-27 -5 w27 C false C every 2 months"];
    due(&ws, &["--within", "7d"]).stdout(&tsv(&week));
    due(&ws, &["--within", "1w"]).stdout(&tsv(&week));
    let two_weeks = [
        week[0],
        "2026-11-30 -8 w30 C false C every 2 months",
        "2026-12-04 -12 x04 C false C every 2 months",
    ];
    due(&ws, &["--within", "2w"]).stdout(&tsv(&two_weeks));
    // Until Dec 22; Sun Dec 6 moves to Mon Dec 7; Dec 23 is out.
    let mut month = two_weeks.to_vec();
    month.push("2026-12-07 -15 x06 C false C every 2 months");
    month.push("2026-12-22 -30 y22 C false C every 2 months");
    due(&ws, &["--within", "1m"]).stdout(&tsv(&month));
}

#[test]
fn nothing_due_prints_nothing_at_all() {
    let ws = book("id,grade,last_contact\nq,C,2026-11-02\n")
        .file("activities.csv", "date,customer_id,kind,amount,note\n");
    // Nothing on a terminal, in a table, csv, tsv or json lines: cron mails nothing.
    for format in ["tsv", "table", "csv", "jsonl", "markdown"] {
        ws.run(["due", "--format", format])
            .stdout("")
            .stderr("")
            .code(0);
    }
    // What a program reads says "nothing" in its own terms: an empty JSON list, an empty
    // calendar, the header line when asked for.
    ws.run(["due", "--format", "json"])
        .stdout("[]\n")
        .stderr("")
        .code(0);
    ws.run(["due", "--format", "ics"])
        .stdout(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//clientele//due//EN\r\n\
             CALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n",
        )
        .stderr("")
        .code(0);
    ws.run([
        "due",
        "--format",
        "csv",
        "--header",
        "always",
        "--columns",
        "id,reason",
    ])
    .stdout("id,reason\n")
    .code(0);
    ws.run(["due", "--format", "json", "--exit-code"])
        .stdout("[]\n")
        .code(1);
    ws.run(["due", "--exit-code"]).stdout("").stderr("").code(1);
    ws.run(["due"]).stdout("").stderr("").code(0);
    // Something due: --exit-code is 0.
    due(&ws, &["--exit-code", "--within", "2m"])
        .stdout(&tsv(&["2027-01-04 -43 q C false C every 2 months"]))
        .code(0);
}

#[test]
fn chinese_reasons_for_people_english_with_a_code_for_scripts() {
    let ws = book(
        "id,grade,sample_requested,last_contact\n\
         zh1,B,2026-10-26,2026-11-09\nzh2,D,,2026-05-01\nzh3,A,,2026-10-15\n",
    );
    // Machine formats keep English reasons (an awk filter does not break with the
    // language) and a stable code beside them.
    due(&ws, &["--lang", "zh"]).stdout(&tsv(&[
        "2026-11-06 16 zh3 A true A expected order 2026-11-14",
        "2026-11-16 6 zh1 B false B sample step 6/7",
        "2026-08-03 111 zh2 D true D every 3 months",
    ]));
    ws.run([
        "--lang",
        "zh",
        "due",
        "--format",
        "tsv",
        "--columns",
        "id,reason_code",
    ])
    .stdout("id\treason_code\nzh3\torder\nzh1\tsample\nzh2\tevery\n")
    .code(0);
    // A table is for people: Chinese.
    ws.run([
        "--lang",
        "zh",
        "due",
        "--format",
        "markdown",
        "--columns",
        "id,reason",
    ])
    .stdout(
        "| 编号 | 原因 |\n| --- | --- |\n| zh3 | A 预计下单 2026-11-14 |\n\
         | zh1 | B 索样第6/7步 |\n| zh2 | D 每3个月 |\n",
    )
    .code(0);
}

/// Every content line of an ICS text, checked for CRLF ends and at most 75 octets.
fn ics_lines(ics: &str) -> Vec<&str> {
    assert!(ics.ends_with("\r\n"), "the calendar must end with CRLF");
    let lines: Vec<&str> = ics[..ics.len() - 2].split("\r\n").collect();
    for line in &lines {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line end in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    lines
}

#[test]
fn ics_is_a_valid_calendar_with_stable_uids() {
    let ws = book(
        "id,name,grade,type,last_contact,birthday\n\
         c1,\"Alpha, Ltd; the very long name of a customer that goes on and on\",C,\
         credit_seeker,2026-09-20,\n\
         c2,北京某某贸易有限公司的一个非常长的名字需要折行才能放下,D,,2026-05-01,\n\
         c3,Gamma,D,,2026-10-01,11-25\n",
    );
    let first = ws.run(["due", "--format", "ics", "--within", "1w"]);
    first.stderr("").code(0);
    let text = first.stdout_text();
    ws.run(["due", "--format", "ics", "--within", "1w"])
        .stdout(&text);
    ics_lines(&text);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));

    let unfolded = icalendar::parser::unfold(&text);
    assert!(unfolded.contains("\r\nSUMMARY:Follow up Alpha\\, Ltd\\; the very long name"));
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid calendar");
    let todos: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTODO")
        .collect();
    assert_eq!(todos.len(), calendar.components.len());
    // One VTODO per entry of the table.
    let table = due(&ws, &["--within", "1w"]).stdout_text();
    assert_eq!(todos.len(), table.lines().count() - 1);
    let prop = |i: usize, name: &str| {
        todos[i]
            .find_prop(name)
            .unwrap_or_else(|| panic!("VTODO {i} has no {name}"))
            .val
            .as_str()
            .to_string()
    };
    let uids: Vec<String> = (0..todos.len()).map(|i| prop(i, "UID")).collect();
    assert_eq!(
        uids,
        [
            "c1-every-20261120@clientele",
            "c2-every-20260803@clientele",
            "c3-birthday-20261125@clientele",
        ]
    );
    assert_eq!(prop(0, "DTSTART"), "20261120");
    assert_eq!(
        prop(0, "SUMMARY"),
        "Follow up Alpha, Ltd; the very long name of a customer that goes on and on \
         (C every 2 months)"
    );
    assert_eq!(
        prop(1, "SUMMARY"),
        "Follow up 北京某某贸易有限公司的一个非常长的名字需要折行才能放下 (D every 3 months)"
    );
}

#[test]
fn ics_uids_differ_between_customers_with_non_ascii_ids() {
    let ws = book("id,grade,last_contact\n京001,C,2026-09-18\n沪001,C,2026-09-18\n");
    let out = ws.run(["due", "--format", "ics"]);
    let text = out.code(0).stdout_text();
    let uids: Vec<&str> = ics_lines(&text)
        .into_iter()
        .filter(|l| l.starts_with("UID:"))
        .collect();
    assert_eq!(uids.len(), 2);
    assert_ne!(uids[0], uids[1], "two customers share one calendar UID");
}

/// A grade rule may read one of the book's own columns (`field("...")`): `due`, the report's
/// workload and `tier --scheme grade` give such a customer the same grade. (`due` once read
/// the rules without the book's columns, so 华东 customers fell through to D.)
#[test]
fn grade_rules_that_read_the_books_own_columns_grade_due_as_tier_does() {
    let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/tiers.toml"))
        .expect("read the shipped rules/tiers.toml");
    let first_rule = "  { tier = \"A\", when = \"has(last_order)";
    assert!(
        shipped.contains(first_rule),
        "the shipped grade rules changed"
    );
    let east =
        "  { tier = \"C\", when = \"field(\\\"区域\\\") == \\\"华东\\\"\", label = \"east\" },\n";
    let ws = book(
        "id,owner,grade,last_contact,区域\n\
         x1,Li Wei,,2026-09-01,华东\n\
         x2,Li Wei,,2026-09-01,华北\n",
    )
    .file(
        "rules/tiers.toml",
        shipped.replacen(first_rule, &format!("{east}{first_rule}"), 1),
    );
    ws.run(["tier", "--scheme", "grade", "--format", "tsv"])
        .stdout(
            "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n\
             x1\t\tgrade\tC\t\t\t\t\n\
             x2\t\tgrade\tD\t\t\t\t\n",
        )
        .code(0);
    // C every 2 months: Sunday Nov 1, moved to Monday; D every 3 months: Tuesday Dec 1.
    due(&ws, &["--within", "10d"])
        .stdout(
            &(HEAD.to_string()
                + "2026-11-02\t20\tx1\t\tLi Wei\tC\t\t\tC every 2 months\t\tfalse\n\
                   2026-12-01\t-9\tx2\t\tLi Wei\tD\t\t\tD every 3 months\t\tfalse\n"),
        )
        .stderr("")
        .code(0);
    ws.run(["report", "--format", "tsv", "--section", "owners"])
        .stdout(
            "owner\tcustomers\tdue_today\toverdue\tlate\tnext_7_days\n\
             Li Wei\t2\t0\t1\t0\t0\n",
        )
        .stderr("")
        .code(0);
}
