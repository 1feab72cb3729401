//! Progress of the renders on standard error: shown only when standard error is a terminal (never
//! in CI logs or when it is redirected), and only once the renders have taken more than a moment.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long renders run before a bar is worth showing.
const GRACE: Duration = Duration::from_millis(300);

pub struct Progress {
    /// What is rendered, as the bar names it: `Kustomize overlays`, `Helm charts`.
    what: &'static str,
    total: usize,
    done: usize,
    start: Instant,
    enabled: bool,
    bar: Option<ProgressBar>,
}

/// Whether this run may draw on standard error.
pub fn attended() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

impl Progress {
    pub fn new(total: usize, enabled: bool, what: &'static str) -> Progress {
        Progress {
            what,
            total,
            done: 0,
            start: Instant::now(),
            enabled: enabled && total > 0,
            bar: None,
        }
    }

    /// One more render done (`name`: what it rendered).
    pub fn advance(&mut self, name: &str) {
        self.done += 1;
        self.tick();
        if let Some(bar) = &self.bar {
            bar.set_position(self.done as u64);
            bar.set_message(crate::text::visible(name).into_owned());
        }
    }

    /// Show the bar once the grace period is over.
    pub fn tick(&mut self) {
        if !self.enabled || self.bar.is_some() || self.start.elapsed() < GRACE {
            return;
        }
        let bar = ProgressBar::with_draw_target(
            Some(self.total as u64),
            ProgressDrawTarget::stderr_with_hz(10),
        );
        let template = format!(
            "{{spinner}} rendering {} {{pos}}/{{len}} {{wide_msg}}",
            self.what
        );
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        bar.set_position(self.done as u64);
        bar.enable_steady_tick(Duration::from_millis(100));
        self.bar = Some(bar);
    }

    /// Remove the bar, leaving standard error as it was.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }

    /// Whether a bar was drawn.
    #[cfg(test)]
    fn shown(&self) -> bool {
        self.bar.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_drawn_when_disabled_or_quick() {
        let mut quick = Progress::new(3, true, "Kustomize overlays");
        quick.advance("a");
        assert!(!quick.shown(), "within the grace period");
        let mut off = Progress::new(3, false, "Kustomize overlays");
        off.start -= GRACE * 2;
        off.advance("a");
        assert!(!off.shown());
        let mut slow = Progress::new(3, true, "Kustomize overlays");
        slow.start -= GRACE * 2;
        slow.advance("a");
        assert!(slow.shown());
        slow.finish();
    }
}
