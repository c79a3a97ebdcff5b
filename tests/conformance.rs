//! Conformance: every program in `tests/conformance/<suite>/` must print on
//! stdout exactly what CPython 3.11 printed, exit with the same status, and
//! end stderr with the same line. The expectations were recorded from
//! python3 by `tests/conformance/regenerate.py`; this test never needs
//! python3. Set `APY_CASE=substring` to run only matching cases.

mod common;

use apy::event_loop::clock::ClockKind;
use apy::vm::output::CapturedOutput;
use apy::{with_interpreter_stack, Interpreter};
use common::{apy_files, read_expected, RunResult};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Run a program in-process on `clock`; a program still running after
/// `limit` is interrupted.
fn run_with_clock(name: &str, text: &str, clock: ClockKind, limit: Duration) -> RunResult {
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

fn check_suite(suite: &str) {
    check_suite_on(suite, ClockKind::Real);
}

fn check_suite_on(suite: &str, clock: ClockKind) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(suite);
    let filter = std::env::var("APY_CASE").unwrap_or_default();
    let mut failures = Vec::new();
    let mut count = 0;
    for program in apy_files(&dir) {
        let name = program.file_name().unwrap().to_string_lossy().to_string();
        if !name.contains(&filter) {
            continue;
        }
        count += 1;
        let expected = read_expected(&program.with_extension("expected"));
        let text = std::fs::read_to_string(&program).unwrap();
        let got = match std::panic::catch_unwind(|| {
            run_with_clock(&name, &text, clock, Duration::from_secs(20))
        }) {
            Ok(got) => got,
            Err(_) => {
                failures.push(format!("=== {suite}/{name}\nPANIC (a panic is a bug)"));
                continue;
            }
        };
        let mut problems = Vec::new();
        if got.stdout != expected.stdout {
            problems.push(format!(
                "stdout differs\n--- expected\n{}--- got\n{}",
                expected.stdout, got.stdout
            ));
        }
        if got.status != expected.status {
            problems.push(format!(
                "status: expected {}, got {}",
                expected.status, got.status
            ));
        }
        if got.stderr_last_line() != expected.stderr_last_line {
            problems.push(format!(
                "last stderr line: expected {:?}, got {:?}\n--- stderr\n{}",
                expected.stderr_last_line,
                got.stderr_last_line(),
                got.stderr
            ));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "=== {suite}/{name} ({clock:?} clock)\n{}",
                problems.join("\n")
            ));
        }
    }
    assert!(count > 0, "no cases in {}", dir.display());
    if !failures.is_empty() {
        panic!(
            "{} of {count} {suite} conformance cases failed:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}

#[test]
fn tier1_programs_behave_as_in_cpython() {
    check_suite("tier1");
}

#[test]
fn async_programs_behave_as_in_cpython_on_the_virtual_clock() {
    check_suite_on("async", ClockKind::Virtual);
}

#[test]
fn async_programs_behave_as_in_cpython_on_the_real_clock() {
    check_suite_on("async", ClockKind::Real);
}

// Tier 2 mixes synchronous and asyncio programs, so it runs on both clocks.
#[test]
fn tier2_programs_behave_as_in_cpython_on_the_virtual_clock() {
    check_suite_on("tier2", ClockKind::Virtual);
}

#[test]
fn tier2_programs_behave_as_in_cpython_on_the_real_clock() {
    check_suite_on("tier2", ClockKind::Real);
}
