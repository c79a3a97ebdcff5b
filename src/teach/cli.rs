//! The teaching subcommands as the command line calls them: each takes the
//! program's name and text and returns the exit status (the program's own,
//! as `apy run` would exit).

use super::record::record;
use super::trace::{render_json, render_trace};
use std::io::Write;

/// Options shared by `trace`, `timeline` and `step`.
pub struct TeachOptions {
    pub max_steps: u64,
}

/// `apy trace FILE [--explain] [--json]`.
pub fn trace(name: &str, text: &str, options: &TeachOptions, explain: bool, json: bool) -> i32 {
    let run = record(name, text, options.max_steps, Default::default());
    let rendered = if json {
        render_json(&run.events, false)
    } else {
        render_trace(&run.events, text, explain)
    };
    write_stdout(&rendered);
    run.status
}

/// `apy timeline FILE`.
pub fn timeline(name: &str, text: &str, options: &TeachOptions, width: usize) -> i32 {
    let run = record(name, text, options.max_steps, Default::default());
    write_stdout(&super::timeline::render_timeline(&run.events, width));
    run.status
}

/// Write to standard output; a closed pipe (`apy trace f | head`) is not an
/// error.
pub(crate) fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// The step budget of `apy step` when none is given: every instruction is
/// recorded with a snapshot, so it is smaller than the trace's.
pub const DEFAULT_STEP_MAX_STEPS: u64 = 100_000;

/// `apy step FILE`: full-screen on a terminal, a numbered listing otherwise.
pub fn step(name: &str, text: &str, options: &TeachOptions) -> i32 {
    use std::io::IsTerminal;
    let mut stepper = super::step::Stepper::record(name, text, options.max_steps);
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        if let Err(e) = super::step::tui::run(&mut stepper) {
            eprintln!("apy step: the terminal failed: {e}");
            return 1;
        }
    } else {
        write_stdout(&super::step::listing::render_listing(&stepper));
    }
    stepper.status
}
