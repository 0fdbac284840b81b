//! Per-customer work split across cores: what a command computes for each of a million
//! customers, one consecutive chunk per thread.

use std::mem::MaybeUninit;

/// Fewer items than this are done on the calling thread: threads would cost more than they
/// save.
pub const PARALLEL_FROM: usize = 50_000;

/// The size of each thread's part of `len` items ([`crate::store::threads`] parts), or None
/// when they are too few to split.
fn part_size(len: usize) -> Option<usize> {
    let threads = crate::store::threads();
    (threads >= 2 && len >= PARALLEL_FROM).then(|| len.div_ceil(threads))
}

/// `f` applied to each part, each on its own thread but the first, which runs on the calling
/// thread; the results in the parts' order. A panic in a part is a bug; it is passed on.
pub fn on_threads<P: Send, R: Send>(parts: Vec<P>, f: impl Fn(P) -> R + Sync) -> Vec<R> {
    let f = &f;
    std::thread::scope(|s| {
        let mut parts = parts.into_iter();
        let first = parts.next();
        let others: Vec<_> = parts.map(|part| s.spawn(move || f(part))).collect();
        let mut results: Vec<R> = first.map(f).into_iter().collect();
        results.extend(
            others
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
        );
        results
    })
}

/// `f` applied to consecutive chunks of `items` (given the index of each chunk's first
/// item), one chunk per thread ([`crate::store::threads`]), the results in order: at most one
/// result per item (see [`map_range`]).
pub fn map_chunks<'a, T: Sync, R: Send, I: IntoIterator<Item = R>>(
    items: &'a [T],
    f: impl Fn(usize, &'a [T]) -> I + Sync,
) -> Vec<R> {
    map_range(0..items.len(), |r| f(r.start, &items[r]))
}

/// `f` of every item, in order, on every core.
pub fn map_each<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_chunks(items, |_, chunk| chunk.iter().map(&f))
}

/// `f` applied to consecutive chunks of `items` (given the index of each chunk's first
/// item), one chunk per thread, each free to change its own items.
pub fn for_chunks_mut<T: Send>(items: &mut [T], f: impl Fn(usize, &mut [T]) + Sync) {
    match part_size(items.len()) {
        Some(size) => {
            on_chunks_mut(items, size, f);
        }
        None => f(0, items),
    }
}

/// `f` applied to consecutive chunks of `size` items of `items` (given the index of each
/// chunk's first item), each chunk on its own thread, the results in order.
pub fn on_chunks_mut<T: Send, R: Send>(
    items: &mut [T],
    size: usize,
    f: impl Fn(usize, &mut [T]) -> R + Sync,
) -> Vec<R> {
    let parts: Vec<(usize, &mut [T])> = items
        .chunks_mut(size.max(1))
        .enumerate()
        .map(|(k, chunk)| (k * size, chunk))
        .collect();
    on_threads(parts, |(start, chunk)| f(start, chunk))
}

/// `f` applied to consecutive parts of `range`, one part per thread, the results
/// concatenated in order. `f` gives at most one result per index of its part (more is a
/// bug, and panics).
pub fn map_range<R: Send, I: IntoIterator<Item = R>>(
    range: std::ops::Range<usize>,
    f: impl Fn(std::ops::Range<usize>) -> I + Sync,
) -> Vec<R> {
    let Some(size) = part_size(range.len()) else {
        return f(range).into_iter().collect();
    };
    let parts = split(range, size);
    let sizes: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    // Written where they end up, each part by its thread: results gathered per part and then
    // appended would be written twice, and a million of them copied on one core.
    let mut out = Vec::new();
    fill_windows(&mut out, &sizes, |k, window| {
        for result in f(parts[k].clone()) {
            window.push(result);
        }
    });
    out
}

/// `f` applied to consecutive parts of `range`, one part per thread, one result per part,
/// in order (a single part when the range is too short to split).
pub fn map_parts<R: Send>(
    range: std::ops::Range<usize>,
    f: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Vec<R> {
    match part_size(range.len()) {
        Some(size) => on_threads(split(range, size), f),
        None => vec![f(range)],
    }
}

/// `range` cut into consecutive parts of `size` (the last one shorter).
fn split(range: std::ops::Range<usize>, size: usize) -> Vec<std::ops::Range<usize>> {
    (range.start..range.end)
        .step_by(size)
        .map(|from| from..range.end.min(from + size))
        .collect()
}

/// Sorts `items` by `cmp`, a part per thread, the sorted parts then merged (each merge on
/// every thread too). `cmp` must be a total order for the result not to depend on the number
/// of threads.
pub fn sort_by<T: Copy + Send + Sync>(
    items: &mut Vec<T>,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync,
) {
    let Some(size) = part_size(items.len()) else {
        items.sort_unstable_by(&cmp);
        return;
    };
    on_threads(items.chunks_mut(size).collect(), |part| {
        part.sort_unstable_by(&cmp)
    });
    let mut sorted = size.min(items.len());
    let mut from = items.clone();
    while sorted < items.len() {
        let end = items.len().min(sorted + size);
        std::mem::swap(items, &mut from);
        let (a, b) = from[..end].split_at(sorted);
        merge_into(a, b, &mut items[..end], &cmp);
        items[end..].copy_from_slice(&from[end..]);
        sorted = end;
    }
}

/// How many of the first `k` items of the merge of `a` and `b` come from `a`: the merge
/// takes `b[j]` before `a[i]` only when it is less, so ties come from `a` first.
fn split_point<T>(a: &[T], b: &[T], k: usize, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> usize {
    let (mut lo, mut hi) = (k.saturating_sub(b.len()), k.min(a.len()));
    while lo < hi {
        let i = lo + (hi - lo) / 2;
        // a[i] is among the first k when it comes before b[k - i - 1].
        if cmp(&b[k - i - 1], &a[i]).is_lt() {
            hi = i;
        } else {
            lo = i + 1;
        }
    }
    lo
}

/// Merges the sorted runs `a` and `b` into `out` (as long as both), a part of the output per
/// thread: each part's share of `a` and `b` is found by a binary search.
fn merge_into<T: Copy + Send + Sync>(
    a: &[T],
    b: &[T],
    out: &mut [T],
    cmp: &(impl Fn(&T, &T) -> std::cmp::Ordering + Sync),
) {
    let size = part_size(out.len()).unwrap_or(out.len()).max(1);
    on_chunks_mut(out, size, |start, part| {
        let i = split_point(a, b, start, cmp);
        let (a, b) = (&a[i..], &b[start - i..]);
        let (mut i, mut j) = (0, 0);
        for slot in part.iter_mut() {
            if j < b.len() && (i == a.len() || cmp(&b[j], &a[i]).is_lt()) {
                *slot = b[j];
                j += 1;
            } else {
                *slot = a[i];
                i += 1;
            }
        }
    });
}

/// A window of a vector's spare capacity, filled by one thread (see [`fill_windows`]).
pub struct Window<'a, T> {
    slots: &'a mut [MaybeUninit<T>],
    len: usize,
}

impl<T> Window<'_, T> {
    /// Appends `value`. Panics when the window is full: its size was promised as a bound.
    pub fn push(&mut self, value: T) {
        self.slots[self.len].write(value);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Appends to `v`, in order, what `f` pushes into windows of at most `sizes[k]` items, each
/// window filled on its own thread (window 0 on the calling thread); returns what `f`
/// returned for each window. The items are written where they end up (but for the gap a
/// window leaves unfilled, closed by one rotation): a million customers read in chunks and
/// then appended would be written twice, and the copy touches as much memory again.
pub fn fill_windows<T: Send, R: Send>(
    v: &mut Vec<T>,
    sizes: &[usize],
    f: impl Fn(usize, &mut Window<'_, T>) -> R + Sync,
) -> Vec<R> {
    let total: usize = sizes.iter().sum();
    v.reserve(total);
    let start = v.len();
    let (results, lens): (Vec<R>, Vec<usize>) = {
        let mut rest = &mut v.spare_capacity_mut()[..total];
        let mut windows = Vec::with_capacity(sizes.len());
        for &size in sizes {
            let (slots, tail) = std::mem::take(&mut rest).split_at_mut(size);
            windows.push(Window { slots, len: 0 });
            rest = tail;
        }
        let windows: Vec<_> = windows.into_iter().enumerate().collect();
        on_threads(windows, |(k, mut w)| (f(k, &mut w), w.len))
            .into_iter()
            .unzip()
    };
    // Each window's items move down to follow the previous window's; the unwritten slots
    // between them rotate behind.
    let spare = v.spare_capacity_mut();
    let (mut at, mut offset) = (0, 0);
    for (&size, &len) in sizes.iter().zip(&lens) {
        if offset > at {
            spare[at..offset + len].rotate_left(offset - at);
        }
        at += len;
        offset += size;
    }
    // SAFETY: the first `at` slots of the spare capacity hold values. Each window's first
    // `len` slots were written by `Window::push`, which counts exactly the slots it writes,
    // and the rotations above moved them, in window order, to the front.
    unsafe { v.set_len(start + at) };
    results
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
                .map(move |(i, v)| (start + i, *v))
        });
        assert_eq!(out.len(), 66_667);
        assert!(out.iter().all(|(i, v)| i == v && v % 3 == 0));
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// Windows left partly or wholly unfilled, items that own memory (dropped with the
    /// vector), a vector that already held items.
    #[test]
    fn windows_are_joined_in_order_without_gaps() {
        let mut v = vec!["before".to_string()];
        let sizes = [5, 0, 3, 4, 2];
        let fills = [2, 0, 3, 0, 1];
        let results = super::fill_windows(&mut v, &sizes, |k, w| {
            for i in 0..fills[k] {
                w.push(format!("{k}.{i}"));
            }
            w.len() * 10 + k
        });
        assert_eq!(results, [20, 1, 32, 3, 14]);
        assert_eq!(v, ["before", "0.0", "0.1", "2.0", "2.1", "2.2", "4.0"]);
    }

    /// Runs of equal keys across the parts, parts of unequal size: the same order as one
    /// sort (the comparison is total).
    #[test]
    fn a_sort_in_parts_is_the_sort_in_one() {
        let mut items: Vec<(u32, u32)> = (0..200_003u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) % 1000, i))
            .collect();
        let mut expected = items.clone();
        expected.sort();
        super::sort_by(&mut items, |a, b| a.cmp(b));
        assert_eq!(items, expected);
    }

    /// Every split of a merge of runs with ties between them (which `a` gives first): the
    /// parts, merged each from its split point, are the merge done in one piece.
    #[test]
    fn a_merge_in_parts_is_the_merge_in_one() {
        // Items compared by key only: ties are told apart by their tag.
        let a: Vec<(u8, char)> = [0, 1, 1, 3, 5, 5, 5, 8].map(|k| (k, 'a')).to_vec();
        let b: Vec<(u8, char)> = [1, 2, 5, 5, 9].map(|k| (k, 'b')).to_vec();
        let cmp = |x: &(u8, char), y: &(u8, char)| x.0.cmp(&y.0);
        let mut whole = a.clone();
        whole.extend_from_slice(&b);
        whole.sort_by(cmp);
        for k in 0..=whole.len() {
            let i = super::split_point(&a, &b, k, cmp);
            let mut head: Vec<_> = a[..i].iter().chain(&b[..k - i]).copied().collect();
            head.sort_by(cmp);
            assert_eq!(head, whole[..k], "k = {k}");
        }
        let mut out = vec![(0, ' '); whole.len()];
        super::merge_into(&a, &b, &mut out, &cmp);
        assert_eq!(out, whole);
    }

    #[test]
    #[should_panic]
    fn a_window_does_not_take_more_than_its_size() {
        let mut v: Vec<u32> = Vec::new();
        super::fill_windows(&mut v, &[1, 1], |_, w| {
            w.push(1);
            w.push(2);
        });
    }
}
