//! Profiling on request: with `CLIENTELE_TIMINGS` set, the commands print how long each
//! phase took on stderr, with the memory and CPU time used so far. For the person measuring,
//! never for the user; the pure parts of the tool (the engines, the report's figures) do
//! not call it.

/// With `CLIENTELE_TIMINGS` set, prints how long a phase took on stderr (for profiling).
pub fn phase(name: &str, started: std::time::Instant) {
    if std::env::var_os("CLIENTELE_TIMINGS").is_some() {
        // Resident memory where /proc tells it (the second field of statm, in pages).
        let rss = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(String::new(), |pages| {
                format!(", resident {} MB", (pages * 4096) >> 20)
            });
        // Since the start: CPU time, the kernel's share of it, and minor page faults (fields
        // 10, 14 and 15 of stat).
        let cpu = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|s| {
                let f: Vec<&str> = s.rsplit_once(')')?.1.split_whitespace().collect();
                let n = |i: usize| f.get(i)?.parse::<u64>().ok();
                Some(format!(
                    ", cpu {:.2} s (system {:.2} s), faults {}",
                    (n(11)? + n(12)?) as f64 / 100.0,
                    n(12)? as f64 / 100.0,
                    n(7)?
                ))
            })
            .unwrap_or_default();
        eprintln!(
            "clientele: timing: {name}: {:.3} s{rss}{cpu}",
            started.elapsed().as_secs_f64()
        );
    }
}
