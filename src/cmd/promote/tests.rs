//! Unit tests of the parent module, with hand-worked expectations.
//!
//! The shipped gates (`rules/stages.toml`), in order of the conditions and with their labels:
//!   potential: none
//!   trial:     "trial_started or a sample requested"   (trial_started || has(sample_requested))
//!   intent:    "needs_confirmed", "price_confirmed"
//!   quasi:     "price_agreed", "scope_agreed", "contract_sent or contract_returned",
//!              "payment_started"
//!   formal:    "contract_signed", "payment_started or first_order"
//! and the `grade` scheme of `rules/tiers.toml`, first match wins: E "black list", A "orders"
//! (an order within 365 days, or within twice the order interval), B "open sample", C
//! "important potential" (stage trial or later, …), E "tight-fisted", D "ordinary potential"
//! (ever contacted, …), else E "no rule matched".

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::*;
use crate::error::Error;
use crate::model::{Customer, Flag, Grade, ListKind, Stage};
use crate::rules::Rules;
use crate::rules::expr::Env;

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules::load(None, None).unwrap());

/// The shipped rules with `skip = "never"` in stages.toml: every gate on the way must hold.
static NEVER_SKIP: LazyLock<Rules> = LazyLock::new(|| {
    let files = crate::rules::EMBEDDED
        .iter()
        .map(|(name, text)| crate::rules::RuleFile {
            name: name.to_string(),
            path: format!("rules/{name}.toml").into(),
            builtin: true,
            text: if *name == "stages" {
                text.replace("skip = \"allowed\"", "skip = \"never\"")
            } else {
                text.to_string()
            },
        })
        .collect();
    let rules = Rules::from_files(files).unwrap();
    assert!(!rules.stage_skip);
    rules
});

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Monday 2026-11-23.
fn env() -> Env<'static> {
    Env {
        today: d(2026, 11, 23),
        extra_columns: &[],
    }
}

/// A customer `id` at `stage` with the given gate flags set.
fn at(id: &str, stage: Option<Stage>, flags: &[Flag]) -> Customer {
    let mut c = Customer {
        id: id.into(),
        stage,
        ..Customer::default()
    };
    for &f in flags {
        c.set_flag(f, true);
    }
    c
}

fn stage_move(customer: usize, from: Option<Stage>, to: Stage, reason: &str) -> Move {
    Move::Stage {
        customer,
        from,
        to,
        reason: reason.into(),
    }
}

fn grade_move(customer: usize, from: Option<Grade>, to: Grade, reason: &str) -> Move {
    Move::Grade {
        customer,
        from,
        to,
        reason: reason.into(),
    }
}

/// The plan for every customer of `book`.
fn plan_all(book: &[Customer], request: &Request) -> Result<Plan> {
    plan_all_with(&RULES, book, request)
}

fn plan_all_with(rules: &Rules, book: &[Customer], request: &Request) -> Result<Plan> {
    let all: Vec<usize> = (0..book.len()).collect();
    plan(book, &all, rules, &env(), request)
}

fn to(stage: Stage) -> Request {
    Request {
        to: Some(stage),
        ..Request::default()
    }
}

// ------------------------------------------------------------------ gates

#[test]
fn unmet_lists_the_labels_of_the_failing_conditions_in_gate_order() {
    let unmet_at = |stage, c: &Customer| unmet(&RULES, stage, c, &env());
    let bare = at("K1", None, &[]);
    // Potential has no gate.
    assert!(unmet_at(Stage::Potential, &bare).is_empty());
    // Trial: either half of the `||` is enough.
    assert_eq!(
        unmet_at(Stage::Trial, &bare),
        ["trial_started or a sample requested"]
    );
    assert!(unmet_at(Stage::Trial, &at("K1", None, &[Flag::TrialStarted])).is_empty());
    let sampled = Customer {
        sample_requested: Some(d(2026, 11, 2)),
        ..bare.clone()
    };
    assert!(unmet_at(Stage::Trial, &sampled).is_empty());
    // Intent: needs confirmed, price not.
    let needs = at("K1", None, &[Flag::NeedsConfirmed]);
    assert_eq!(unmet_at(Stage::Intent, &needs), ["price_confirmed"]);
    // Quasi, partly met: price agreed and the contract returned; scope and payment missing.
    let partly = at("K1", None, &[Flag::PriceAgreed, Flag::ContractReturned]);
    assert_eq!(
        unmet_at(Stage::Quasi, &partly),
        ["scope_agreed", "payment_started"]
    );
    // Formal: nothing set → both conditions; signed with a first order → met, with no
    // payment_started flag (the `has(first_order)` half).
    assert_eq!(
        unmet_at(Stage::Formal, &bare),
        ["contract_signed", "payment_started or first_order"]
    );
    let signed = Customer {
        first_order: Some(d(2026, 10, 1)),
        ..at("K1", None, &[Flag::ContractSigned])
    };
    assert!(unmet_at(Stage::Formal, &signed).is_empty());
}

#[test]
fn refusals_name_every_blocked_stage_on_the_way() {
    // Potential → quasi enters trial, intent and quasi. Trial holds (trial_started); intent
    // lacks price_confirmed; quasi lacks all four of its conditions. Stages may be skipped
    // (the shipped rules): only quasi's own gate is asked; with skip = "never", every gate.
    let c = at(
        "K1",
        Some(Stage::Potential),
        &[Flag::TrialStarted, Flag::NeedsConfirmed],
    );
    let quasi = "cannot enter quasi: price_agreed, scope_agreed, contract_sent or contract_returned, payment_started";
    assert_eq!(refusals(&RULES, &c, Stage::Quasi, &env()), [quasi]);
    assert_eq!(
        refusals(&NEVER_SKIP, &c, Stage::Quasi, &env()),
        ["cannot enter intent: price_confirmed", quasi]
    );
    // Only the stages entered count: from intent to quasi the (unmet) intent gate is not
    // asked again.
    let c = at(
        "K1",
        Some(Stage::Intent),
        &[Flag::PriceAgreed, Flag::ScopeAgreed, Flag::ContractSent],
    );
    for rules in [&*RULES, &*NEVER_SKIP] {
        assert_eq!(
            refusals(rules, &c, Stage::Quasi, &env()),
            ["cannot enter quasi: payment_started"]
        );
    }
    // Going back enters no stage: nothing to refuse.
    let c = at("K1", Some(Stage::Quasi), &[]);
    assert!(refusals(&RULES, &c, Stage::Trial, &env()).is_empty());
    // No stage yet → potential: the empty gate.
    assert!(refusals(&RULES, &at("K1", None, &[]), Stage::Potential, &env()).is_empty());
}

#[test]
fn the_highest_reachable_stage_is_the_highest_open_gate_or_stops_below_a_shut_one() {
    let reach = |rules: &Rules, c: &Customer| highest_reachable(rules, c, &env());
    // No stage and nothing known: the empty potential gate holds, trial's does not.
    assert_eq!(reach(&RULES, &at("K1", None, &[])), Some(Stage::Potential));
    // From potential: a sample (trial) and needs + price confirmed (intent); quasi lacks
    // price_agreed; formal's own gate (signed, paying) holds. Skipping allowed: formal (a
    // walk-in who signed and paid). Never skipping: intent, below quasi's shut gate.
    let c = Customer {
        sample_requested: Some(d(2026, 11, 2)),
        ..at(
            "K1",
            Some(Stage::Potential),
            &[
                Flag::NeedsConfirmed,
                Flag::PriceConfirmed,
                Flag::ContractSigned,
                Flag::PaymentStarted,
            ],
        )
    };
    assert_eq!(reach(&RULES, &c), Some(Stage::Formal));
    assert_eq!(reach(&NEVER_SKIP, &c), Some(Stage::Intent));
    // Every flag from trial: formal.
    assert_eq!(
        reach(&NEVER_SKIP, &at("K1", Some(Stage::Trial), &Flag::ALL)),
        Some(Stage::Formal)
    );
    // At trial with intent's gate unmet and no later gate open: nothing above is reachable.
    let c = at("K1", Some(Stage::Trial), &[Flag::NeedsConfirmed]);
    assert_eq!(reach(&RULES, &c), None);
    // Formal is the last stage.
    assert_eq!(
        reach(&RULES, &at("K1", Some(Stage::Formal), &Flag::ALL)),
        None
    );
}

// ------------------------------------------------------------------ asked moves

#[test]
fn without_to_each_customer_moves_to_its_next_stage_through_its_gate() {
    let book = [
        // Potential → trial: trial_started holds the gate.
        at("K1", Some(Stage::Potential), &[Flag::TrialStarted]),
        // Trial → intent: neither condition holds.
        at("K2", Some(Stage::Trial), &[]),
        // Formal: nowhere to go.
        at("K3", Some(Stage::Formal), &Flag::ALL),
        // No stage → potential, the empty gate.
        at("K4", None, &[]),
    ];
    let p = plan_all(&book, &Request::default()).unwrap();
    assert_eq!(
        p.moves,
        [
            stage_move(
                0,
                Some(Stage::Potential),
                Stage::Trial,
                "gate of trial holds"
            ),
            stage_move(3, None, Stage::Potential, "gate of potential holds"),
        ]
    );
    assert_eq!(
        p.refused,
        [
            "K2: cannot enter intent: needs_confirmed, price_confirmed",
            "K3: already formal, the last stage",
        ]
    );
    // Only the selected customers are planned: K2 alone.
    let p = plan(&book, &[1], &RULES, &env(), &Request::default()).unwrap();
    assert!(p.moves.is_empty());
    assert_eq!(
        p.refused,
        ["K2: cannot enter intent: needs_confirmed, price_confirmed"]
    );
}

#[test]
fn a_skip_ahead_needs_the_target_gate_and_names_the_stages_skipped() {
    let all_to_quasi = [
        Flag::TrialStarted,
        Flag::NeedsConfirmed,
        Flag::PriceConfirmed,
        Flag::PriceAgreed,
        Flag::ScopeAgreed,
        Flag::ContractSent,
        Flag::PaymentStarted,
    ];
    // Potential → quasi with the gates of trial, intent and quasi all met: moved either way,
    // the log row naming the two stages passed over.
    let book = [at("K1", Some(Stage::Potential), &all_to_quasi)];
    let moved = Plan {
        moves: vec![stage_move(
            0,
            Some(Stage::Potential),
            Stage::Quasi,
            "gate of quasi holds; skipped trial, intent",
        )],
        refused: vec![],
    };
    assert_eq!(plan_all(&book, &to(Stage::Quasi)).unwrap(), moved);
    assert_eq!(
        plan_all_with(&NEVER_SKIP, &book, &to(Stage::Quasi)).unwrap(),
        moved
    );
    // Without trial_started (and no sample) and payment_started: with skipping, quasi's own
    // gate refuses; never skipping, two stages refuse, in one line separated by "; ".
    let book = [at(
        "K1",
        Some(Stage::Potential),
        &[
            Flag::NeedsConfirmed,
            Flag::PriceConfirmed,
            Flag::PriceAgreed,
            Flag::ScopeAgreed,
            Flag::ContractReturned,
        ],
    )];
    let p = plan_all(&book, &to(Stage::Quasi)).unwrap();
    assert!(p.moves.is_empty());
    assert_eq!(p.refused, ["K1: cannot enter quasi: payment_started"]);
    let p = plan_all_with(&NEVER_SKIP, &book, &to(Stage::Quasi)).unwrap();
    assert_eq!(
        p.refused,
        [
            "K1: cannot enter trial: trial_started or a sample requested; cannot enter quasi: payment_started"
        ]
    );
    // A walk-in who signed and paid goes to formal from nothing, past every other stage.
    let book = [at(
        "K2",
        None,
        &[Flag::ContractSigned, Flag::PaymentStarted],
    )];
    let p = plan_all(&book, &to(Stage::Formal)).unwrap();
    assert_eq!(
        p.moves,
        [stage_move(
            0,
            None,
            Stage::Formal,
            "gate of formal holds; skipped trial, intent, quasi"
        )]
    );
}

#[test]
fn a_reason_given_with_a_move_that_passes_its_gate_is_logged_instead() {
    let book = [at(
        "K1",
        Some(Stage::Trial),
        &[Flag::NeedsConfirmed, Flag::PriceConfirmed],
    )];
    let request = Request {
        reason: Some("confirmed at the trade fair".into()),
        ..to(Stage::Intent)
    };
    let p = plan_all(&book, &request).unwrap();
    assert_eq!(
        p.moves,
        [stage_move(
            0,
            Some(Stage::Trial),
            Stage::Intent,
            "confirmed at the trade fair"
        )]
    );
}

#[test]
fn a_move_back_needs_a_reason_and_passes_no_gate() {
    // Quasi → trial without a reason: a usage error naming the customer and the stage.
    let book = [at("K1", Some(Stage::Quasi), &[])];
    match plan_all(&book, &to(Stage::Trial)) {
        Err(Error::Usage(m)) => assert_eq!(m, "K1: moving back to trial needs --reason TEXT"),
        other => panic!("expected a usage error, got {other:?}"),
    }
    // With a reason: moved, although trial's own gate does not hold for K1.
    let request = Request {
        reason: Some("deal paused".into()),
        ..to(Stage::Trial)
    };
    let p = plan_all(&book, &request).unwrap();
    assert_eq!(
        p,
        Plan {
            moves: vec![stage_move(
                0,
                Some(Stage::Quasi),
                Stage::Trial,
                "deal paused"
            )],
            refused: vec![],
        }
    );
    // One customer moving back stops the whole plan before any move, even when another
    // selected customer (K1, at potential with trial_started) could move forward.
    let book = [
        at("K1", Some(Stage::Potential), &[Flag::TrialStarted]),
        at("K2", Some(Stage::Formal), &[]),
    ];
    match plan_all(&book, &to(Stage::Trial)) {
        Err(Error::Usage(m)) => assert_eq!(m, "K2: moving back to trial needs --reason TEXT"),
        other => panic!("expected a usage error, got {other:?}"),
    }
    // Already at the stage asked for: no move and no refusal.
    let book = [at("K1", Some(Stage::Intent), &[])];
    assert_eq!(
        plan_all(&book, &to(Stage::Intent)).unwrap(),
        Plan::default()
    );
}

#[test]
fn a_forced_move_ignores_the_gates_and_logs_why() {
    // Potential → formal with no flag at all: every gate fails, --force moves anyway.
    let book = [at("K1", Some(Stage::Potential), &[])];
    let forced = Request {
        force: true,
        reason: Some("signed on paper, book behind".into()),
        ..to(Stage::Formal)
    };
    let p = plan_all(&book, &forced).unwrap();
    assert_eq!(
        p,
        Plan {
            moves: vec![stage_move(
                0,
                Some(Stage::Potential),
                Stage::Formal,
                "forced: signed on paper, book behind"
            )],
            refused: vec![],
        }
    );
    // Where the gates hold the move is not forced: the reason is logged as given.
    let book = [at("K1", Some(Stage::Quasi), &Flag::ALL)];
    let p = plan_all(&book, &forced).unwrap();
    assert_eq!(
        p.moves,
        [stage_move(
            0,
            Some(Stage::Quasi),
            Stage::Formal,
            "signed on paper, book behind"
        )]
    );
}

// ------------------------------------------------------------------ --auto

#[test]
fn auto_moves_up_to_the_highest_reachable_stage_and_regrades_at_that_stage() {
    let auto = Request {
        auto: true,
        ..Request::default()
    };
    let book = [
        // No stage, grade D, contacted 11-02; trial_started and needs_confirmed, no price:
        // potential and trial hold, intent does not → trial. At trial the scheme says C
        // ("important potential": stage >= trial); at no stage it would still be D.
        Customer {
            grade: Some(Grade::D),
            last_contact: Some(d(2026, 11, 2)),
            ..at("K1", None, &[Flag::TrialStarted, Flag::NeedsConfirmed])
        },
        // Formal with grade A, last order 2025-01-10: 682 days ago (365 to 2026-01-10, 304
        // to 11-10, 13 to 11-23) > 365, no interval → not A any more; formal ≥ trial → C.
        Customer {
            grade: Some(Grade::A),
            last_order: Some(d(2025, 1, 10)),
            ..at("K2", Some(Stage::Formal), &Flag::ALL)
        },
        // Formal, A, ordered 22 days ago (11-01): nothing to change.
        Customer {
            grade: Some(Grade::A),
            last_order: Some(d(2026, 11, 1)),
            ..at("K3", Some(Stage::Formal), &Flag::ALL)
        },
        // Nothing known: potential (the empty gate), and E by default ("no rule matched").
        at("K4", None, &[]),
        // Black-listed formal A customer who ordered last week: E ("black list") comes first.
        Customer {
            grade: Some(Grade::A),
            list: ListKind::Black,
            last_order: Some(d(2026, 11, 16)),
            ..at("K5", Some(Stage::Formal), &Flag::ALL)
        },
        // A sample requested 11-10 at potential, no grade: trial (has(sample_requested)), and
        // B ("open sample": 13 days old, no order) before C.
        Customer {
            sample_requested: Some(d(2026, 11, 10)),
            ..at("K6", Some(Stage::Potential), &[])
        },
    ];
    let p = plan_all(&book, &auto).unwrap();
    assert_eq!(
        p.moves,
        [
            stage_move(0, None, Stage::Trial, "gate of trial holds"),
            grade_move(0, Some(Grade::D), Grade::C, "important potential"),
            grade_move(1, Some(Grade::A), Grade::C, "important potential"),
            stage_move(3, None, Stage::Potential, "gate of potential holds"),
            grade_move(3, None, Grade::E, "no rule matched"),
            grade_move(4, Some(Grade::A), Grade::E, "black list"),
            stage_move(
                5,
                Some(Stage::Potential),
                Stage::Trial,
                "gate of trial holds"
            ),
            grade_move(5, None, Grade::B, "open sample"),
        ]
    );
    // --auto never refuses: a customer who cannot move is simply left alone.
    assert!(p.refused.is_empty());
}
