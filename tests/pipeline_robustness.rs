//! No program may panic the interpreter: not the compiler, not the VM.
//! (`tests/robustness.rs` checks the lexer and parser alone; this test runs
//! the whole pipeline, the way `apy run` does.)
//!
//! Every program we have (the conformance corpus, tier 1 and async, every
//! case under `tests/cases/`, every example) is cut short at each line end
//! and at a deterministic sample of byte offsets, and each prefix is
//! compiled and run in-process on the virtual clock (so sleeps take no time)
//! with a short time limit (a prefix can easily loop forever: cut a `while`
//! loop before its increment; the watchdog then interrupts it).
//! Whatever the prefix does, a syntax error, an exception, an interrupt, is
//! fine; a panic is a bug, and the test lists every file and cut that
//! panicked. Then come programs built to be pathological: deep nesting,
//! huge expressions and files, deep recursion through builtins that call
//! back into Python.
//!
//! (A Rust stack overflow aborts the process instead of panicking, so such a
//! bug makes this test binary die outright rather than report.)

mod common;

use apy::event_loop::clock::ClockKind;
use common::{last_line, run_program_on, RunResult};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long one prefix may run before the watchdog interrupts it.
const PREFIX_TIME_LIMIT: Duration = Duration::from_millis(1500);

/// Byte offsets sampled per file, besides the line ends.
const SAMPLED_OFFSETS: usize = 4;

fn apy_files_under(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if recursive {
                apy_files_under(&path, true, out);
            }
        } else if path.extension().is_some_and(|e| e == "apy") {
            out.push(path);
        }
    }
}

fn all_programs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    apy_files_under(&root.join("tests/conformance/tier1"), false, &mut files);
    apy_files_under(&root.join("tests/conformance/async"), false, &mut files);
    apy_files_under(&root.join("tests/cases"), true, &mut files);
    apy_files_under(&root.join("examples"), false, &mut files);
    files.sort();
    files
}

/// A small deterministic pseudo-random generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Where to cut `source`: after every line, and at a few sampled offsets
/// (moved back to a character boundary). The whole text is not a cut: the
/// other suites run the complete programs.
fn cuts(source: &str, seed: u64) -> Vec<usize> {
    let mut cuts: Vec<usize> = source.match_indices('\n').map(|(i, _)| i + 1).collect();
    let mut rng = Lcg(seed);
    for _ in 0..SAMPLED_OFFSETS {
        let mut cut = rng.below(source.len());
        while !source.is_char_boundary(cut) {
            cut -= 1;
        }
        cuts.push(cut);
    }
    cuts.retain(|&c| c < source.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// Run `text` on the real clock; `Err` if anything panicked.
fn survive(name: &str, text: &str, limit: Duration) -> Result<RunResult, String> {
    survive_on(name, text, ClockKind::Real, limit)
}

fn survive_on(
    name: &str,
    text: &str,
    clock: ClockKind,
    limit: Duration,
) -> Result<RunResult, String> {
    let run = || run_program_on(name, text, clock, limit);
    panic::catch_unwind(AssertUnwindSafe(run)).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into())
    })
}

#[test]
fn no_prefix_of_any_program_panics() {
    let files = all_programs();
    assert!(
        files.len() > 500,
        "expected the corpus, found {} files",
        files.len()
    );
    let mut jobs = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let source = std::fs::read_to_string(file).unwrap();
        for cut in cuts(&source, index as u64 + 1) {
            jobs.push((file.clone(), source[..cut].to_string(), cut));
        }
    }
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let interrupted = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    // Two workers: most prefixes finish at once, a few wait for the watchdog.
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((file, text, cut)) = jobs.get(i) else {
                    break;
                };
                let name = file.file_name().unwrap().to_string_lossy();
                match survive_on(&name, text, ClockKind::Virtual, PREFIX_TIME_LIMIT) {
                    Ok(result) if result.status == apy::EXIT_INTERRUPTED => {
                        interrupted.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(_) => {}
                    Err(message) => failures
                        .lock()
                        .unwrap()
                        .push(format!("{} cut at byte {cut}: {message}", file.display())),
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "{} prefixes of {} programs in {:.1?} ({} interrupted by the watchdog)",
        jobs.len(),
        files.len(),
        started.elapsed(),
        interrupted.load(Ordering::Relaxed)
    );
    assert!(
        failures.is_empty(),
        "{} of {} prefixes panicked:\n{}",
        failures.len(),
        jobs.len(),
        failures.join("\n")
    );
}

/// Run a generated program; it must not panic and must end as expected.
fn check_program(name: &str, text: &str, status: i32, last: &str) {
    let result = survive(name, text, Duration::from_secs(30))
        .unwrap_or_else(|message| panic!("{name} panicked: {message}"));
    assert_eq!(
        (result.status, last_line(&result.stderr)),
        (status, last),
        "{name}: stdout {:?}",
        result.stdout
    );
}

fn run_stdout(name: &str, text: &str) -> String {
    let result = survive(name, text, Duration::from_secs(30))
        .unwrap_or_else(|message| panic!("{name} panicked: {message}"));
    assert_eq!(result.status, 0, "{name}: {}", result.stderr);
    result.stdout
}

#[test]
fn deeply_nested_brackets_are_a_syntax_error() {
    let lists = format!(
        "x = {}{}\nprint(x)\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let parens = format!("x = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000));
    let calls = format!("print({}1{})\n", "abs(".repeat(10_000), ")".repeat(10_000));
    for (name, text) in [("lists", lists), ("parens", parens), ("calls", calls)] {
        check_program(name, &text, 1, "SyntaxError: too many nested parentheses");
    }
}

#[test]
fn huge_expressions_are_refused_not_crashed() {
    // CPython gives up with "RecursionError: maximum recursion depth exceeded
    // during compilation" (or MemoryError); apy refuses the nesting by name.
    let sum = format!("x = {}\nprint(x)\n", vec!["1"; 100_000].join("+"));
    let negations = format!("x = {}1\n", "-".repeat(100_000));
    let attributes = format!("x = 1\nprint(x{})\n", ".real".repeat(100_000));
    for (name, text) in [
        ("sum", sum),
        ("negations", negations),
        ("attrs", attributes),
    ] {
        let result = survive(name, &text, Duration::from_secs(30))
            .unwrap_or_else(|message| panic!("{name} panicked: {message}"));
        assert_eq!(result.status, 1, "{name}: {}", result.stderr);
        let last = last_line(&result.stderr);
        assert!(
            last.starts_with("SyntaxError: an expression nested more than")
                || last.starts_with("RecursionError"),
            "{name}: {last}"
        );
    }
}

#[test]
fn a_hundred_thousand_line_program_runs() {
    let mut text = String::from("x = 0\n");
    for i in 0..100_000 {
        text.push_str(if i % 2 == 0 {
            "x = x + 3\n"
        } else {
            "x -= 1\n"
        });
    }
    text.push_str("print(x)\n");
    assert_eq!(run_stdout("long", &text), "100000\n");
}

#[test]
fn long_flat_literals_run() {
    let list = format!("x = [{}]\nprint(len(x), sum(x))\n", "1, ".repeat(100_000));
    assert_eq!(run_stdout("list", &list), "100000 100000\n");
    let strings = format!("x = 'a'{}\nprint(len(x))\n", " 'b'".repeat(100_000));
    assert_eq!(run_stdout("strings", &strings), "100001\n");
}

#[test]
fn recursion_through_builtin_callbacks_is_a_recursion_error() {
    // Each level goes Python -> builtin -> Python: the builtins must not
    // recurse in Rust without limit.
    let programs = [
        (
            "sorted",
            "def f(n):\n    return sorted([2, 1], key=lambda x: f(n + 1))\nf(0)\n",
        ),
        ("map", "def f(n):\n    return list(map(f, [n]))\nf(0)\n"),
        (
            "filter",
            "def f(n):\n    return list(filter(f, [n]))\nf(0)\n",
        ),
        ("min", "def f(n):\n    return min([n, n], key=f)\nf(0)\n"),
    ];
    for (name, text) in programs {
        let result = survive(name, text, Duration::from_secs(30))
            .unwrap_or_else(|message| panic!("{name} panicked: {message}"));
        assert_eq!(result.status, 1, "{name}");
        let last = last_line(&result.stderr);
        assert!(
            last.starts_with("RecursionError: maximum recursion depth exceeded"),
            "{name}: {last}"
        );
    }
}

#[test]
fn plain_deep_recursion_is_a_recursion_error() {
    check_program(
        "deep",
        "def down(n):\n    return down(n + 1)\ndown(0)\n",
        1,
        "RecursionError: maximum recursion depth exceeded",
    );
}

#[test]
fn deeply_nested_values_do_not_crash() {
    // CPython raises RecursionError for the repr and the comparison of these
    // (apy prints them); whichever it is, building, printing, comparing and
    // freeing them must not crash.
    let text = "a = []\nb = []\nfor i in range(10000):\n    a = [a]\n    b = [b]\n\
                print(len(repr(a)))\nprint(a == b)\na = b = None\nprint('freed')\n";
    let result = survive("nested", text, Duration::from_secs(60))
        .unwrap_or_else(|message| panic!("nested values panicked: {message}"));
    assert!(
        result.stdout.ends_with("freed\n") || result.status == 1,
        "status {}: {}",
        result.status,
        result.stderr
    );
}

#[test]
fn an_endless_loop_is_interrupted() {
    let result = survive(
        "loop",
        "n = 0\nwhile True:\n    n += 1\n",
        Duration::from_millis(300),
    )
    .unwrap_or_else(|message| panic!("the loop panicked: {message}"));
    assert_eq!(result.status, apy::EXIT_INTERRUPTED);
    assert_eq!(last_line(&result.stderr), "KeyboardInterrupt");
}
