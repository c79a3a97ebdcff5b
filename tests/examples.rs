//! Every lesson in `examples/` must run cleanly (exit status 0, nothing on
//! stderr) and print exactly what CPython 3.11 prints for it, recorded in
//! `examples/<name>.expected` beside it. A lesson that drifts from Python
//! would teach something false.
//!
//! Regenerating after editing a lesson (needs CPython 3.11):
//!
//! ```text
//! for f in examples/*.apy; do python3 "$f" > "${f%.apy}.expected"; done
//! ```

mod common;

use common::{apy_files, run_program};
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
        let result = run_program(&name, &text, Duration::from_secs(60));
        if result.status != 0 || !result.stderr.is_empty() {
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
