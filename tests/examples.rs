//! Every lesson in `examples/` must run cleanly (exit status 0, nothing on
//! stderr) and print exactly what CPython 3.11 prints for it, recorded in
//! `examples/<name>.expected` beside it. A lesson that drifts from Python
//! would teach something false. A lesson about a failure says so in its
//! header: `# exit status: N` (the deadlock lesson, where CPython hangs and
//! its `.expected` is what it printed before), `# writes to stderr` (a
//! warning). Lessons run on the virtual clock, so their sleeps take no time.
//!
//! Regenerating after editing a lesson (needs CPython 3.11):
//!
//! ```text
//! for f in examples/*.apy; do timeout 5 python3 "$f" > "${f%.apy}.expected"; done
//! ```

mod common;

use apy::event_loop::clock::ClockKind;
use common::{apy_files, run_program_on};
use std::path::Path;
use std::time::Duration;

#[test]
fn every_example_runs_as_in_cpython() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let examples = apy_files(&dir);
    assert!(!examples.is_empty(), "no examples in {}", dir.display());
    let mut failures = Vec::new();
    for example in &examples {
        let name = example.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(example).unwrap();
        let expected_path = example.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|e| {
            panic!("{}: {e} (see this file's header)", expected_path.display())
        });
        let result = run_program_on(&name, &text, ClockKind::Virtual, Duration::from_secs(60));
        let status = text
            .lines()
            .find_map(|l| l.strip_prefix("# exit status: "))
            .map_or(0, |s| s.trim().parse::<i32>().unwrap());
        let stderr_allowed = text.lines().any(|l| l == "# writes to stderr");
        if result.status != status || (!stderr_allowed && !result.stderr.is_empty()) {
            failures.push(format!(
                "{name}: status {}, stderr:\n{}",
                result.status, result.stderr
            ));
        } else if result.stdout != expected {
            failures.push(format!(
                "{name}: stdout differs from {}\n--- expected\n{expected}--- got\n{}",
                expected_path.display(),
                result.stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
