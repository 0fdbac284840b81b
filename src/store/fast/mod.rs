//! The fast paths, behind one door. Reading a million customers and folding ten million log
//! rows in about two seconds takes code that a plain reading would not need: CSV records cut
//! sixteen bytes at a time (SSE2, or eight with word tricks), an id index of its own instead
//! of a hash map, a log fold that fetches a batch's memory before it reads it (prefetches,
//! huge pages), and books and logs cut into one chunk per core. All of it lives here, and the
//! rest of the tool sees only what is below:
//!
//! - [`Splitter`]: CSV bytes into records, exactly as the `csv` crate splits them, and
//!   [`unclosed_quote`]: where a quote the end of the text leaves open is;
//! - [`IdTable`] / [`IdIndex`]: a customer's position by id, the first of duplicates winning;
//! - [`fold`]: an activity log folded into each customer's [`CustomerTotals`] and [`Order`]s;
//! - [`fill_windows`]: one vector filled in place from several threads.
//!
//! Each has a plain twin in `plain` (the `csv` crate, a `HashMap`, one loop), which the
//! property tests in `tests` hold the fast code to. `bench/README.md` says what each piece
//! saves.

mod fold;
mod index;
mod memory;
#[cfg(test)]
mod plain;
mod quotes;
mod records;
mod scan;
#[cfg(test)]
mod tests;
mod windows;

pub use fold::{Folded, LogFile, Order, Split, fold};
pub use index::{IdIndex, IdTable};
pub use memory::prefetch;
pub use quotes::unclosed_quote;
pub use records::{Record, Splitter, Step, TextRecord, blank_run, for_each_record};
pub use scan::{BLOCK, CustomerTotals, LogColumns, MAX_KEPT, RowProblem, Unclosed};
pub use windows::{Window, fill_windows};

#[cfg(test)]
pub(crate) use fold::chunk_bounds;
#[cfg(test)]
pub(crate) use index::long_ids_alike;
