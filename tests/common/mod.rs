//! Helpers shared by the integration tests: run a program in-process, the
//! way `apy run` does, and capture what it prints.

#![allow(dead_code)]

use apy::event_loop::clock::ClockKind;
use apy::vm::output::CapturedOutput;
use apy::{with_interpreter_stack, Interpreter};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl RunResult {
    /// The last line of stderr, as the conformance files define it.
    pub fn stderr_last_line(&self) -> &str {
        last_line(&self.stderr)
    }
}

pub fn last_line(text: &str) -> &str {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.rsplit('\n').next().unwrap_or("")
}

/// Run `text` as program `name`; a program still running after `limit` is
/// interrupted (it then ends with `KeyboardInterrupt`, status 130).
pub fn run_program(name: &str, text: &str, limit: Duration) -> RunResult {
    run_program_on(name, text, ClockKind::Real, limit)
}

/// [`run_program`] with the event loop on `clock`.
pub fn run_program_on(name: &str, text: &str, clock: ClockKind, limit: Duration) -> RunResult {
    let (name, text) = (name.to_string(), text.to_string());
    with_interpreter_stack(move || {
        let output = CapturedOutput::new();
        let mut interpreter = Interpreter::new(Box::new(output.clone()));
        interpreter.vm.set_clock(clock);
        let flag = interpreter.vm.interrupt_flag();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let watchdog = std::thread::spawn(move || {
            if done_rx.recv_timeout(limit).is_err() {
                flag.store(true, Ordering::Relaxed);
            }
        });
        let status = interpreter.run_program(&name, &text);
        let _ = done_tx.send(());
        let _ = watchdog.join();
        RunResult {
            stdout: output.stdout_text(),
            stderr: output.stderr_text(),
            status,
        }
    })
}

/// The `.apy` files of a folder, sorted.
pub fn apy_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "apy"))
        .collect();
    files.sort();
    files
}

/// Everything `regenerate.py` recorded from CPython for one case.
#[derive(Debug)]
pub struct Expected {
    pub status: i32,
    pub stderr_last_line: String,
    pub stdout: String,
}

pub fn read_expected(path: &Path) -> Expected {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut rest = text.as_str();
    let mut take_line = |prefix: &str| -> String {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        rest = after;
        line.strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{}: expected a line starting {prefix:?}", path.display()))
            .to_string()
    };
    let status = take_line("status: ").parse().expect("status is a number");
    let stderr_last_line = take_line("stderr-last-line: ");
    let marker = take_line("stdout:");
    assert!(
        marker.is_empty(),
        "{}: malformed stdout marker",
        path.display()
    );
    Expected {
        status,
        stderr_last_line,
        stdout: rest.to_string(),
    }
}

/// A run laid out for a snapshot: the exit status, then stdout and stderr,
/// each verbatim (a section whose text lacks a final newline gets one, and a
/// `\ no newline at end` line says so). `tests/cases/run/record_python3.py`
/// lays out CPython's runs the same way.
pub fn render_run(result: &RunResult) -> String {
    fn section(text: &str) -> String {
        if text.is_empty() || text.ends_with('\n') {
            text.to_string()
        } else {
            format!("{text}\n\\ no newline at end\n")
        }
    }
    format!(
        "status: {}\n--- stdout\n{}--- stderr\n{}",
        result.status,
        section(&result.stdout),
        section(&result.stderr)
    )
}
