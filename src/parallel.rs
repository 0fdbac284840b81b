//! Work on every core, through rayon: how many threads the tool uses, and the one helper
//! rayon does not spell out (a range cut into one part per thread).

use std::ops::Range;

use rayon::prelude::*;

/// Fewer items than this are one part: threads would cost more than they save.
pub const PARALLEL_FROM: usize = 50_000;

/// How many threads the tool works on: `CLIENTELE_THREADS` if set, else one per core (at
/// most 8, as a 2-core laptop and a 64-core server both read one file at a time). Found
/// once per run: the standard library asks the kernel afresh on each call (three files of
/// the cgroup read each time), which made a folder of 100,000 files open 400,000.
pub fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("CLIENTELE_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .min(8)
    })
}

/// Sizes rayon's pool to [`threads`]; called once when the binary starts (later calls, and
/// tests that never call it, keep the pool rayon made: one thread per core).
pub fn init() {
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads())
        .build_global();
}

/// `0..len` cut into one consecutive part per thread (the last shorter), or one part when
/// `len` is under [`PARALLEL_FROM`].
pub fn parts(len: usize) -> Vec<Range<usize>> {
    let threads = rayon::current_num_threads();
    if threads < 2 || len < PARALLEL_FROM {
        return std::iter::once(0..len).collect();
    }
    let size = len.div_ceil(threads);
    (0..len)
        .step_by(size)
        .map(|from| from..len.min(from + size))
        .collect()
}

/// `f` of each of the [`parts`] of `0..len`, each part on a thread of its own, the results in
/// the parts' order.
pub fn map_parts<R: Send>(len: usize, f: impl Fn(Range<usize>) -> R + Sync + Send) -> Vec<R> {
    parts(len).into_par_iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts_cover_the_range_in_order() {
        for len in [0, 1, 49_999, 50_000, 100_001] {
            let parts = super::parts(len);
            assert_eq!(parts.first().map(|p| p.start), Some(0), "{len}");
            assert_eq!(parts.last().map(|p| p.end), Some(len), "{len}");
            assert!(parts.windows(2).all(|w| w[0].end == w[1].start), "{len}");
            if len < super::PARALLEL_FROM {
                assert_eq!(parts.len(), 1);
            }
        }
    }
}
