//! A pause at a named step of a run, for tests that make something happen in the middle of
//! it: a person saving the book from Excel between the tool's read and its write, a row
//! typed into the activity log by hand while a change is on its way.
//!
//! Only in a build with the `failpoints` feature (the tests' build): a released binary never
//! reads `CLIENTELE_PAUSE`. `CLIENTELE_PAUSE=STEP:FLAG` makes the run, at `STEP`, create the
//! file `FLAG.ready` and wait until the file `FLAG.go` exists (looking every few
//! milliseconds, for at most 30 seconds: a test that never says go does not hang the run
//! forever, it goes on as if it had). The steps:
//!
//! - `after-read`: the book and the log are read and the change is made from them, nothing
//!   is written yet (`cmd::change::apply`, and `log` before it makes its row);
//! - `before-journal`: the change is ready to commit, the log's rows made for its length
//!   then; the journal is not written yet (`journal::commit`).

/// Waits at `step` when `CLIENTELE_PAUSE` names it (see the module's comment).
#[cfg(feature = "failpoints")]
pub fn pause(step: &str) {
    use std::time::{Duration, Instant};
    let Ok(value) = std::env::var("CLIENTELE_PAUSE") else {
        return;
    };
    let Some((name, flag)) = value.split_once(':') else {
        return;
    };
    if name != step {
        return;
    }
    let _ = std::fs::write(format!("{flag}.ready"), step);
    let go = std::path::PathBuf::from(format!("{flag}.go"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !go.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(not(feature = "failpoints"))]
pub fn pause(_step: &str) {}
