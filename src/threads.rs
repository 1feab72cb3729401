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
