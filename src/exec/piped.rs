//! A program whose standard input and output the caller streams (`git cat-file --batch`).

use std::process::{ChildStdin, ChildStdout};
use std::sync::mpsc;
use std::time::Duration;

use super::child::{Request, RunError, Started, end, read_stderr, spawn, start};
use super::cleanup;

/// A program whose standard input and output the caller streams (`git cat-file --batch`),
/// killed with its group when its time limit passes or when it is finished.
pub struct Piped {
    started: Started,
    pub stdin: Option<ChildStdin>,
    pub stdout: Option<ChildStdout>,
    stderr: Option<mpsc::Receiver<Vec<u8>>>,
    watchdog: Option<(mpsc::Sender<()>, std::thread::JoinHandle<bool>)>,
}

/// How a [`Piped`] program ended.
#[derive(Debug)]
pub struct Finished {
    /// What it wrote on standard error (the first 64 KiB).
    pub stderr: Vec<u8>,
    /// Its time limit passed and its group was killed.
    pub timed_out: bool,
}

impl Piped {
    pub fn start(request: &Request, timeout: Duration) -> Result<Piped, RunError> {
        let mut started = start(request, true)?;
        let stdin = started.child.stdin.take();
        let stdout = started.child.stdout.take();
        let stderr = started.child.stderr.take().and_then(|err| {
            let (tx, rx) = mpsc::channel();
            (spawn(move || {
                let _ = tx.send(read_stderr(err));
            }) == 1)
                .then_some(rx)
        });
        let group = started.group;
        let (done, wait_done) = mpsc::channel::<()>();
        let watchdog = std::thread::Builder::new()
            .name("lbplan-exec-watchdog".into())
            .spawn(move || match wait_done.recv_timeout(timeout) {
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // The leader is not reaped before this thread is joined: the group is ours.
                    cleanup::kill_group(group);
                    true
                }
                _ => false,
            })
            .ok()
            .map(|handle| (done, handle));
        Ok(Piped {
            started,
            stdin,
            stdout,
            stderr,
            watchdog,
        })
    }

    /// End the program: close its pipes, kill what is left of its group, reap it.
    pub fn finish(mut self) -> Finished {
        drop(self.stdin.take());
        drop(self.stdout.take());
        let timed_out = self.watchdog.take().is_some_and(|(done, handle)| {
            let _ = done.send(());
            handle.join().unwrap_or(false)
        });
        let stderr = self.stderr.take();
        end(self.started);
        Finished {
            // Its group is gone, so the pipe is closed, unless a process that left the group
            // holds it: then briefly.
            stderr: stderr
                .and_then(|rx| rx.recv_timeout(Duration::from_millis(200)).ok())
                .unwrap_or_default(),
            timed_out,
        }
    }
}
