//! Snapshot tests of whole runs: every `tests/cases/run/*.apy` program is
//! compiled and run in-process, and its snapshot holds the exit status,
//! stdout and the complete stderr. These cases are about what the
//! conformance corpus cannot check (it compares only stderr's last line):
//! the full layout of tracebacks (frames, carets, chained exceptions,
//! `[Previous line repeated N more times]`), of syntax errors, and of apy's
//! refusals of constructs outside its subset.
//!
//! Beyond the snapshot, each case is checked against what it is meant to be:
//! - a `refused_*` case starts with a `# apy: <last stderr line>` comment, and
//!   apy must end stderr with exactly that line (naming the construct and
//!   the line it is on);
//! - every other case must behave exactly as CPython 3.11 did, stderr and
//!   all: `<name>.python3` beside it holds CPython's run, recorded by
//!   `record_python3.py` (this test never needs python3).
//!
//! A case whose header has a `# known bug: ...` line documents a difference
//! not fixed yet: its check must still fail (so the marker is removed, and
//! the snapshot updated, when the bug is fixed).

mod common;

use common::{last_line, render_run, run_program};
use std::time::Duration;

/// What is wrong with this run, if anything, given the case's intent.
fn check_case(name: &str, source: &str, rendered: &str, stderr: &str) -> Option<String> {
    if name.starts_with("refused_") {
        let expected = source
            .lines()
            .find_map(|l| l.strip_prefix("# apy: "))
            .unwrap_or_else(|| panic!("{name}: a refused case needs a `# apy: ...` line"));
        let got = last_line(stderr);
        return (got != expected).then(|| format!("expected {expected:?}\n  got      {got:?}"));
    }
    let path = format!("{}/tests/cases/run/{name}", env!("CARGO_MANIFEST_DIR"));
    let python3 = std::path::Path::new(&path).with_extension("python3");
    let expected = std::fs::read_to_string(&python3).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run tests/cases/run/record_python3.py)",
            python3.display()
        )
    });
    (rendered != expected).then(|| {
        let differing: Vec<String> = rendered
            .lines()
            .zip(expected.lines())
            .enumerate()
            .filter(|(_, (a, p))| a != p)
            .take(3)
            .map(|(i, (a, p))| format!("line {}:\n  apy:     {a}\n  python3: {p}", i + 1))
            .collect();
        format!(
            "differs from {} ({} lines vs {})\n{}",
            python3.file_name().unwrap().to_string_lossy(),
            rendered.lines().count(),
            expected.lines().count(),
            differing.join("\n")
        )
    })
}

#[test]
fn run_cases() {
    let mut problems = Vec::new();
    insta::glob!("cases/run/*.apy", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let result = run_program(&name, &source, Duration::from_secs(20));
        let rendered = render_run(&result);
        let known_bug = source.lines().any(|l| l.starts_with("# known bug:"));
        match (
            check_case(&name, &source, &rendered, &result.stderr),
            known_bug,
        ) {
            (Some(problem), false) => problems.push(format!("{name}: {problem}")),
            (None, true) => problems.push(format!(
                "{name}: behaves as intended now; remove its `# known bug:` line"
            )),
            _ => {}
        }
        insta::assert_snapshot!(rendered);
    });
    assert!(problems.is_empty(), "\n{}", problems.join("\n\n"));
}
