//! Filling one vector from several threads in place: what the CSV reader uses to read a
//! million customers on every core without writing each of them twice.

use std::mem::MaybeUninit;

use rayon::prelude::*;

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
/// window filled on a thread of its own; returns what `f`
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
        windows
            .into_par_iter()
            .map(|(k, mut w)| (f(k, &mut w), w.len))
            .collect::<Vec<_>>()
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
