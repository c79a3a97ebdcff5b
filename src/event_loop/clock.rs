//! The loop's clock: real time, or virtual time that jumps.
//!
//! `loop.time()` (and, under the virtual clock, `time.time()`,
//! `time.monotonic()` and `time.perf_counter()`) read the clock. When
//! nothing is ready to run, the loop waits for the next timer: the real
//! clock sleeps until its deadline; the virtual clock jumps straight to it,
//! so a program that sleeps for an hour finishes at once, with exactly the
//! same interleaving as in real time (as long as its order does not depend
//! on how long its own computations take).

use std::time::{Duration, Instant};

/// Which clock a run uses (`apy run --clock real|virtual`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockKind {
    Real,
    Virtual,
}

pub enum Clock {
    Real { start: Instant },
    Virtual { now: f64 },
}

impl Clock {
    pub fn new(kind: ClockKind) -> Clock {
        match kind {
            ClockKind::Real => Clock::Real {
                start: Instant::now(),
            },
            ClockKind::Virtual => Clock::Virtual { now: 0.0 },
        }
    }

    pub fn kind(&self) -> ClockKind {
        match self {
            Clock::Real { .. } => ClockKind::Real,
            Clock::Virtual { .. } => ClockKind::Virtual,
        }
    }

    /// Seconds since the clock started.
    pub fn now(&self) -> f64 {
        match self {
            Clock::Real { start } => start.elapsed().as_secs_f64(),
            Clock::Virtual { now } => *now,
        }
    }

    /// Wait until `deadline` (or until `interrupted` says to stop early).
    /// The real clock sleeps, in short slices so Ctrl-C stays responsive;
    /// the virtual clock just moves.
    pub fn wait_until(&mut self, deadline: f64, interrupted: impl Fn() -> bool) {
        match self {
            Clock::Real { start } => loop {
                let now = start.elapsed().as_secs_f64();
                if now >= deadline || interrupted() {
                    return;
                }
                let slice = (deadline - now).min(0.05);
                std::thread::sleep(Duration::from_secs_f64(slice));
            },
            Clock::Virtual { now } => {
                if deadline > *now {
                    *now = deadline;
                }
            }
        }
    }
}
