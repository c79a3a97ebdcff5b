//! Observing must not change what a program does: every conformance
//! program, run by the recorder (virtual clock, instrumented loop, every
//! hook and snapshot active), prints the same stdout, exits with the same
//! status and ends stderr with the same line as CPython did.

mod common;

use apy::teach::event::{EventKind, Stream};
use apy::teach::record::{record, Detail};
use apy::with_interpreter_stack;
use common::{apy_files, read_expected};
use std::path::Path;

/// Run every program of `suite` under `max_steps`; a program stopped by
/// the budget must have printed a prefix of CPython's output.
fn check(suite: &str, detail: Detail, max_steps: u64) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(suite);
    let mut failures = Vec::new();
    for program in apy_files(&dir) {
        let name = program.file_name().unwrap().to_string_lossy().to_string();
        let expected = read_expected(&program.with_extension("expected"));
        let text = std::fs::read_to_string(&program).unwrap();
        let label = name.clone();
        let run = with_interpreter_stack(move || record(&name, &text, max_steps, detail));
        let stopped = run
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::BudgetExhausted { .. }));
        let (mut stdout, mut stderr) = (String::new(), String::new());
        for event in &run.events {
            if let EventKind::Output { stream, text } = &event.kind {
                match stream {
                    Stream::Stdout => stdout.push_str(text),
                    Stream::Stderr => stderr.push_str(text),
                }
            }
        }
        let last = stderr.lines().last().unwrap_or("").to_string();
        if stopped {
            if !expected.stdout.starts_with(&stdout) {
                failures.push(format!(
                    "{label}: stopped, and its output so far differs:\n{stdout}"
                ));
            }
        } else if stdout != expected.stdout
            || run.status != expected.status
            || last != expected.stderr_last_line
        {
            failures.push(format!(
                "{label}: status {} (expected {}), last stderr {last:?} (expected {:?})\n--- expected\n{}--- got\n{stdout}",
                run.status, expected.status, expected.stderr_last_line, expected.stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn traced_async_programs_behave_as_in_cpython() {
    check("async", Detail::default(), 20_000_000);
}

#[test]
fn stepped_async_programs_behave_as_in_cpython() {
    let detail = Detail {
        snapshots: true,
        instructions: true,
    };
    // Every instruction is recorded with a snapshot: a smaller budget keeps
    // the debug build quick.
    check("async", detail, 30_000);
}

#[test]
fn traced_tier1_programs_behave_as_in_cpython() {
    check("tier1", Detail::default(), 20_000_000);
}
