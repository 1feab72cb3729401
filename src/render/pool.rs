//! The pool every render runs on, Kustomize overlays and Helm charts alike: as many renders at a
//! time as [`crate::threads::count`] says (`LBPLAN_THREADS`), each job on a thread of
//! [`crate::threads::pool`] (which starts fewer when the system cannot start as many, down to
//! none), while the calling thread collects the results and draws the progress bar. A render
//! mostly waits on its process, so the pool has as many threads as renders should run at once,
//! and the caller is free to tick the bar meanwhile.

use std::sync::mpsc;
use std::time::Duration;

use super::progress::Progress;

/// Run jobs `0..total` (`threads` at a time) and return their results in job order. `label(i)`
/// names job `i` on the progress bar when it is one of the renders it counts (`None`: a job the
/// bar does not count, such as a version query).
pub fn run<T: Send>(
    total: usize,
    threads: usize,
    progress: &mut Progress,
    label: impl Fn(usize) -> Option<String>,
    job: impl Fn(usize) -> T + Sync,
) -> Vec<Option<T>> {
    run_then(total, threads, progress, label, job, |_, _| {})
}

/// [`run`], handing each result to `then(i, &result)` on the calling thread as soon as job `i`
/// is done (in the order jobs finish), while the other jobs keep running: work that follows a
/// job (parsing a rendered stream) overlaps the jobs still running.
pub fn run_then<T: Send>(
    total: usize,
    threads: usize,
    progress: &mut Progress,
    label: impl Fn(usize) -> Option<String>,
    job: impl Fn(usize) -> T + Sync,
    mut then: impl FnMut(usize, &T),
) -> Vec<Option<T>> {
    let mut slots: Vec<Option<T>> = Vec::new();
    slots.resize_with(total, || None);
    let mut record = |(i, done): (usize, T), progress: &mut Progress| {
        if let Some(name) = label(i) {
            progress.advance(&name);
        }
        then(i, &done);
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(done);
        }
    };
    match crate::threads::pool(threads.clamp(1, total.max(1))) {
        Some(pool) => pool.in_place_scope(|scope| {
            let (tx, rx) = mpsc::channel();
            for i in 0..total {
                let (tx, job) = (tx.clone(), &job);
                scope.spawn(move |_| {
                    let _ = tx.send((i, job(i)));
                });
            }
            drop(tx);
            loop {
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(done) => record(done, progress),
                    Err(mpsc::RecvTimeoutError::Timeout) => progress.tick(),
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
        }),
        // No thread could start: one job after the other, here.
        None => {
            for i in 0..total {
                progress.tick();
                record((i, job(i)), progress);
            }
        }
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order_whatever_the_threads() {
        for threads in [1, 3, 64] {
            let mut progress = Progress::new(5, false, "jobs");
            let out = run(
                5,
                threads,
                &mut progress,
                |i| Some(i.to_string()),
                |i| {
                    std::thread::sleep(Duration::from_millis((5 - i as u64) * 3));
                    i * 10
                },
            );
            assert_eq!(
                out,
                [Some(0), Some(10), Some(20), Some(30), Some(40)],
                "{threads}"
            );
        }
        let mut progress = Progress::new(0, false, "jobs");
        assert!(run(0, 4, &mut progress, |_| None, |i| i).is_empty());
    }

    #[test]
    fn each_result_is_handed_on_as_its_job_finishes() {
        for threads in [1, 3] {
            let mut progress = Progress::new(3, false, "jobs");
            let mut seen = Vec::new();
            let out = run_then(
                3,
                threads,
                &mut progress,
                |_| None,
                |i| {
                    // The first job finishes last when jobs run side by side.
                    std::thread::sleep(Duration::from_millis(if i == 0 { 60 } else { 1 }));
                    i * 10
                },
                |i, done| seen.push((i, *done)),
            );
            assert_eq!(out, [Some(0), Some(10), Some(20)], "{threads}");
            seen.sort_unstable();
            assert_eq!(seen, [(0, 0), (1, 10), (2, 20)], "{threads}");
        }
    }
}
