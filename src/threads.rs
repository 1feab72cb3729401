//! How many threads a run uses, and starting them without ever panicking: when the system cannot
//! start as many as asked (a memory limit, a thread limit), fewer do the work, down to none (the
//! current thread alone).

/// Worker threads: `LBPLAN_THREADS` if set, else the cores available to the process (the
/// machine's, or fewer under a CPU affinity mask or a cgroup CPU quota: the standard library's
/// `available_parallelism` reads both, so a container limited to 2 CPUs on a 64-core host runs 2
/// renders at a time); never more than four per core, since reading and parsing gain nothing
/// from more, and each costs a stack.
pub fn count() -> usize {
    // Reading the quota opens files under /proc and /sys: once per process.
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cores = *CORES
        .get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    std::env::var("LBPLAN_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(cores)
        .min(cores.saturating_mul(4))
}

/// Worker threads for `jobs` jobs: [`count`], at most one per job. One job (a single named file,
/// the pre-commit case) runs on the current thread without asking the system how many cores it
/// has, which opens files under /proc and /sys and costs a small run a sixth of its time.
pub fn for_jobs(jobs: usize) -> usize {
    if jobs <= 1 { 1 } else { count().min(jobs) }
}

/// A pool of `threads` workers, or fewer when the system cannot start that many; `None` means
/// working on the current thread.
pub fn pool(threads: usize) -> Option<rayon::ThreadPool> {
    let mut threads = threads;
    while threads > 1 {
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => return Some(pool),
            Err(_) => threads /= 2,
        }
    }
    None
}

/// How many of `wanted` threads the system can run at once (at least 1: the current thread). For
/// code that starts its threads without a way to fail (the folder walker), so that it is asked for
/// no more than can start.
pub fn startable(wanted: usize) -> usize {
    // Each thread waits on its channel, so that all of them are alive at once.
    let mut started = Vec::new();
    for _ in 1..wanted {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let spawned = std::thread::Builder::new().spawn(move || {
            let _ = rx.recv();
        });
        match spawned {
            Ok(handle) => started.push((handle, tx)),
            Err(_) => break,
        }
    }
    let count = started.len() + 1;
    for (handle, tx) in started {
        drop(tx);
        let _ = handle.join();
    }
    count
}

/// `work` over every item of `items` on `threads` threads, the largest (by `size`) first, each
/// thread taking the next item as it finishes one; the results in the items' order. Splitting the
/// items into ranges instead (rayon's way) leaves a thread working alone at the end whenever a
/// large file falls late in its range: a fifth of the parse of a corpus whose largest file is an
/// eighth of its bytes.
pub fn largest_first<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    size: impl Fn(&T) -> u64,
    work: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let Some(pool) = pool(threads) else {
        return items.iter().enumerate().map(|(i, t)| work(i, t)).collect();
    };
    let order = schedule(items.iter().map(size));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: Vec<Vec<(usize, R)>> = pool.broadcast(|_| {
        let mut mine = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            if let Some(item) = items.get(i) {
                mine.push((i, work(i, item)));
            }
        }
        mine
    });
    let mut results: Vec<(usize, R)> = done.into_iter().flatten().collect();
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The order [`largest_first`] takes items of these sizes in: their indices, largest first, equal
/// sizes in the items' order.
fn schedule(sizes: impl Iterator<Item = u64>) -> Vec<usize> {
    let mut order: Vec<(u64, usize)> = sizes.enumerate().map(|(i, s)| (s, i)).collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::largest_first;

    #[test]
    fn largest_first_returns_every_result_in_the_items_order() {
        let items: Vec<u64> = (0..500).map(|i| (i * 7919) % 613).collect();
        for threads in [1, 2, 3, 8] {
            let out = largest_first(threads, &items, |&s| s, |i, &s| (i, s * 2));
            let expected: Vec<(usize, u64)> =
                items.iter().enumerate().map(|(i, &s)| (i, s * 2)).collect();
            assert_eq!(out, expected, "{threads} threads");
        }
        assert!(largest_first(2, &[] as &[u64], |&s| s, |_, &s| s).is_empty());
    }

    #[test]
    fn the_largest_items_are_taken_first() {
        let sizes = [3_u64, 10, 1, 10, 7];
        assert_eq!(super::schedule(sizes.into_iter()), vec![1, 3, 4, 0, 2]);
    }
}
