//! Per-customer work split across cores: what a command computes for each of a million
//! customers, one consecutive chunk per thread.

/// Fewer items than this are done on the calling thread: threads would cost more than they
/// save.
pub const PARALLEL_FROM: usize = 50_000;

/// `f` applied to consecutive chunks of `items` (given the index of each chunk's first
/// item), one chunk per thread ([`crate::store::threads`]), the results concatenated in order.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(usize, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    map_range(0..items.len(), |r| f(r.start, &items[r]))
}

/// `f` applied to consecutive parts of `range`, one part per thread, the results
/// concatenated in order.
pub fn map_range<R: Send>(
    range: std::ops::Range<usize>,
    f: impl Fn(std::ops::Range<usize>) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = crate::store::threads();
    if threads < 2 || range.len() < PARALLEL_FROM {
        return f(range);
    }
    let size = range.len().div_ceil(threads);
    let parts: Vec<std::ops::Range<usize>> = (range.start..range.end)
        .step_by(size)
        .map(|from| from..range.end.min(from + size))
        .collect();
    let f = &f;
    let results: Vec<Vec<R>> = std::thread::scope(|s| {
        let rest: Vec<_> = parts[1..]
            .iter()
            .map(|part| s.spawn(move || f(part.clone())))
            .collect();
        let mut results = vec![f(parts[0].clone())];
        // A panic in a worker is a bug; it is passed on as one.
        results.extend(
            rest.into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
        );
        results
    });
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn chunks_come_back_in_order_with_their_offsets() {
        let items: Vec<usize> = (0..200_001).collect();
        let out = super::map_chunks(&items, |start, chunk| {
            chunk
                .iter()
                .enumerate()
                .filter(|(_, v)| *v % 3 == 0)
                .map(|(i, v)| (start + i, *v))
                .collect()
        });
        assert_eq!(out.len(), 66_667);
        assert!(out.iter().all(|(i, v)| i == v && v % 3 == 0));
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
