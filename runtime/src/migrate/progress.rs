//! Showing a migration's progress on standard error: a bar on a terminal (with the
//! `progress` feature), plain lines otherwise.

#[cfg(feature = "progress")]
use std::io::IsTerminal as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Progress;

/// How often a plain progress line is printed.
const LINE_EVERY: Duration = Duration::from_secs(5);

pub(super) struct Display {
    inner: Mutex<Inner>,
}

enum Inner {
    #[cfg(feature = "progress")]
    Bar(indicatif::ProgressBar),
    Lines {
        last: Option<Instant>,
    },
}

impl Display {
    pub(super) fn new() -> Self {
        #[cfg(feature = "progress")]
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{prefix:.bold} [{bar:30}] {percent:>3}% {msg} ({per_sec}, ETA {eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            return Self {
                inner: Mutex::new(Inner::Bar(bar)),
            };
        }
        Self {
            inner: Mutex::new(Inner::Lines { last: None }),
        }
    }

    pub(super) fn update(&self, progress: &Progress) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let done = progress.segments_done >= progress.segments;
        match &mut *inner {
            #[cfg(feature = "progress")]
            Inner::Bar(bar) => {
                bar.set_prefix(format!("migrate {}", progress.entity));
                let total = progress
                    .table_items
                    .unwrap_or_default()
                    .max(progress.examined);
                bar.set_length(total);
                bar.set_position(progress.examined);
                let message = format!(
                    "{} {} scanned, {} written, {} conflicts",
                    progress.scanned, progress.entity, progress.written, progress.conflicts
                );
                if done {
                    bar.set_length(progress.examined);
                    bar.finish_with_message(message);
                } else {
                    bar.set_message(message);
                }
            }
            Inner::Lines { last } => {
                let now = Instant::now();
                if line_due(*last, now, done) {
                    eprintln!("{progress}");
                    *last = Some(now);
                }
            }
        }
    }
}

/// Whether a plain line is due: the first, the last, and one every [`LINE_EVERY`].
fn line_due(last: Option<Instant>, now: Instant, done: bool) -> bool {
    done || last.is_none_or(|last| now.saturating_duration_since(last) >= LINE_EVERY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(examined: u64, segments_done: u32, elapsed: u64) -> Progress {
        Progress {
            entity: "User",
            scanned: examined / 2,
            examined,
            table_items: Some(10_000),
            written: examined / 2 - 10,
            conflicts: 3,
            segments_done,
            segments: 4,
            elapsed: Duration::from_secs(elapsed),
        }
    }

    #[test]
    fn a_line_says_how_far_how_fast_and_how_long() {
        assert_eq!(
            progress(2_500, 1, 10).to_string(),
            "User: examined 2500 of ~10000 items (25%), 1250 User, 1240 written, 3 conflicts, \
             250 items/s, ETA 30s"
        );
        assert_eq!(
            progress(10_000, 4, 40).to_string(),
            "User: examined 10000 of ~10000 items (100%), 5000 User, 4990 written, 3 conflicts, \
             250 items/s, done"
        );
        let unknown = Progress {
            table_items: None,
            ..progress(2_500, 1, 10)
        };
        assert_eq!(unknown.fraction(), None);
        assert_eq!(unknown.eta(), None);
        assert!(
            unknown
                .to_string()
                .starts_with("User: examined 2500 items, ")
        );
    }

    #[test]
    fn lines_come_first_last_and_every_five_seconds() {
        let t0 = Instant::now();
        assert!(line_due(None, t0, false));
        assert!(!line_due(Some(t0), t0 + Duration::from_secs(4), false));
        assert!(line_due(Some(t0), t0 + Duration::from_secs(5), false));
        assert!(line_due(Some(t0), t0 + Duration::from_millis(1), true));
    }
}
