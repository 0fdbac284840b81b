//! Asking the machine for memory before it is needed: a prefetch of one cache line, and
//! huge pages for the tables the log fold reads at random.

/// Asks for the cache line of `value` without waiting for it.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    // SAFETY: a prefetch only hints the cache; it reads nothing the program sees.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = value;
}

/// Asks the kernel to back the memory of `items` with huge pages (2 MB) where the system
/// leaves that to the program (`/sys/kernel/mm/transparent_hugepage/enabled` at `madvise`),
/// for the tables read at random a row at a time: the log fold's per-thread totals and the
/// id index's slots. In 4 KB pages their tens of megabytes miss the TLB on nearly every row
/// (the profile put the fold's stalls on the prefetches of the totals); sequential arrays
/// gain nothing, and every huge page may cost a compaction when memory is fragmented, so
/// they are left alone. Only the whole 2 MB pages inside `items` are advised.
///
/// The advice holds only for pages not yet in memory, and the allocator often hands out
/// memory it has used before: a table of the fold landed where the book's reading had
/// been, and got no huge page at all. So the pages inside are also given back to the
/// kernel (their bytes are lost: `items` is memory not yet written), and come back huge on
/// first touch.
pub fn huge_pages<T>(items: &mut [std::mem::MaybeUninit<T>]) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let from = (items.as_ptr() as usize).next_multiple_of(HUGE);
        let to = (items.as_ptr() as usize + std::mem::size_of_val(items)) / HUGE * HUGE;
        if to > from {
            // SAFETY: the range lies inside `items`, memory this program owns and holds
            // nothing in yet (MaybeUninit, borrowed mutably). The first advice changes how it
            // is backed; the second discards what it held, which was nothing, and leaves it
            // reading as zeros. A refusal (a kernel without huge pages) leaves it as it was,
            // which is fine, and then nothing is discarded.
            unsafe {
                let start = from as *mut libc::c_void;
                if libc::madvise(start, to - from, libc::MADV_HUGEPAGE) == 0 {
                    libc::madvise(start, to - from, libc::MADV_DONTNEED);
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = items;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The advice covers the whole 2 MB pages inside the array and nothing outside it: the
    /// kernel lists the mapping that holds them with the huge-page flag (`hg`), the bytes
    /// before the first whole page are left out of it; and the pages inside, written before
    /// (as memory the allocator hands out again may be), are given back, the bytes around
    /// them kept.
    #[cfg(target_os = "linux")]
    #[test]
    #[ignore = "needs a kernel with transparent huge pages; .ci/run runs it where there are"]
    fn huge_pages_are_asked_for_the_whole_pages_inside_an_array() {
        assert!(
            std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists(),
            "this kernel has no transparent huge pages"
        );
        const HUGE: usize = 2 << 20;
        let mut v: Vec<u8> = Vec::with_capacity(5 * HUGE + 123);
        // Memory used before, as the allocator may hand it out.
        v.spare_capacity_mut()
            .fill(std::mem::MaybeUninit::new(0xAB));
        huge_pages(v.spare_capacity_mut());
        let start = v.as_ptr() as usize;
        let first = start.next_multiple_of(HUGE);
        let last = (start + v.capacity()) / HUGE * HUGE;
        // The whole pages inside were given back (they read as zeros), the bytes around
        // them kept.
        let end = start + v.capacity();
        // SAFETY: inside the vector's allocation, every byte written above; volatile, as
        // the kernel changed some of them behind the program's back.
        let byte = |address: usize| unsafe { std::ptr::read_volatile(address as *const u8) };
        for address in [first, first + HUGE + 7, last - 1] {
            assert_eq!(byte(address), 0, "at {:#x}", address - start);
        }
        for (from, to) in [(start, first), (last, end)] {
            for address in [from, to - 1].into_iter().filter(|_| from < to) {
                assert_eq!(byte(address), 0xAB, "at {:#x}", address - start);
            }
        }
        let flags_at = |address: usize| -> String {
            let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
            let mut inside = false;
            for line in smaps.lines() {
                if let Some((range, _)) = line.split_once(' ')
                    && let Some((from, to)) = range.split_once('-')
                    && let (Ok(from), Ok(to)) = (
                        usize::from_str_radix(from, 16),
                        usize::from_str_radix(to, 16),
                    )
                {
                    inside = (from..to).contains(&address);
                } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                    return flags.to_string();
                }
            }
            panic!("no mapping holds {address:#x}");
        };
        let flags = |address| flags_at(address).split_whitespace().any(|f| f == "hg");
        assert!(flags(first), "{}", flags_at(first));
        assert!(flags(first + 3 * HUGE));
        if first > start {
            assert!(!flags(first - 1), "{}", flags_at(first - 1));
        }
        v.push(1);
        assert_eq!(v, [1]);
    }
}
