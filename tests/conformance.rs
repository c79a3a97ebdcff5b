//! Conformance: every program in `tests/conformance/<suite>/` must print on
//! stdout exactly what CPython 3.11 printed, exit with the same status, and
//! end stderr with the same line. The expectations were recorded from
//! python3 by `tests/conformance/regenerate.py`; this test never needs
//! python3. Set `APY_CASE=substring` to run only matching cases.

mod common;

use common::{apy_files, read_expected, run_program};
use std::path::Path;
use std::time::Duration;

fn check_suite(suite: &str) {
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
        let got =
            match std::panic::catch_unwind(|| run_program(&name, &text, Duration::from_secs(20))) {
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
            failures.push(format!("=== {suite}/{name}\n{}", problems.join("\n")));
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
