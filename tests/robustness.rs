//! No input may panic the lexer or the parser, and no input may nest deeply
//! enough to overflow the stack.
//!
//! Every case file under `tests/cases/` is cut short at each line, and at
//! each character (every character for small files, a sample for larger
//! ones), and each prefix goes through `tokenize`, `parse_module` and
//! `check_complete`: an `Err` is fine, a panic is a bug. Then come inputs
//! built to be pathological: thousands of nested brackets, unary
//! operators, attribute chains, lambdas.

use apy::lexer::tokenize;
use apy::parser::{check_complete, dump, parse_module};
use std::panic;
use std::path::Path;

fn case_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "apy") {
            out.push(path);
        }
    }
}

/// Run every front-end entry point on `source`; report a panic with the
/// input that caused it.
fn survive(source: &str) -> Result<(), String> {
    let result = panic::catch_unwind(|| {
        if let Err(error) = tokenize(source) {
            let _ = error.render("case.apy", source);
        }
        match parse_module(source) {
            Ok(module) => {
                let _ = dump(&module, source);
            }
            Err(error) => {
                let _ = error.render("case.apy", source);
            }
        }
        let _ = check_complete(source);
    });
    result.map_err(|_| format!("panicked on {source:?}"))
}

#[test]
fn no_prefix_of_any_case_panics() {
    let mut files = Vec::new();
    case_files(Path::new("tests/cases"), &mut files);
    files.sort();
    assert!(
        files.len() > 100,
        "expected the case files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut inputs = 0;
    panic::set_hook(Box::new(|_| {}));
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        let mut cuts: Vec<usize> = source.match_indices('\n').map(|(i, _)| i + 1).collect();
        let boundaries: Vec<usize> = (0..=source.len())
            .filter(|&i| source.is_char_boundary(i))
            .collect();
        let step = if source.len() <= 2000 {
            1
        } else {
            source.len() / 500
        };
        cuts.extend(boundaries.iter().step_by(step.max(1)));
        for cut in cuts {
            inputs += 1;
            if let Err(e) = survive(&source[..cut]) {
                failures.push(format!("{}: {e}", file.display()));
            }
        }
    }
    let _ = panic::take_hook();
    assert!(
        failures.is_empty(),
        "{} of {inputs} inputs panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A small deterministic pseudo-random generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

#[test]
fn mutated_cases_do_not_panic() {
    // Characters that stress the scanners: quotes, brackets, escapes,
    // indentation, f-string syntax, and multi-byte UTF-8.
    const PIECES: &[&str] = &[
        "'", "\"", "'''", "\\", "\n", "\t", "    ", "{", "}", "(", ")", "[", "]", ":", "=", "!",
        "#", "f'", "b'", "rb'", "0x", "1_", ".", "é", "€", "\u{a0}", "😀", "\r", ";", "*",
        "lambda", "async", "await", "not", "if", "else", ":=", "\0",
    ];
    let mut files = Vec::new();
    case_files(Path::new("tests/cases"), &mut files);
    files.sort();
    let mut random = Lcg(42);
    let mut failures = Vec::new();
    panic::set_hook(Box::new(|_| {}));
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for _ in 0..30 {
            let mut mutated = source.clone();
            for _ in 0..1 + random.next(3) {
                let cuts: Vec<usize> = (0..=mutated.len())
                    .filter(|&i| mutated.is_char_boundary(i))
                    .collect();
                let at = cuts[random.next(cuts.len())];
                match random.next(3) {
                    0 => mutated.insert_str(at, PIECES[random.next(PIECES.len())]),
                    1 => {
                        let end = cuts[(cuts.partition_point(|&c| c <= at) + random.next(4))
                            .min(cuts.len() - 1)];
                        mutated.replace_range(at..end.max(at), "");
                    }
                    _ => {
                        let end = cuts[cuts.partition_point(|&c| c <= at).min(cuts.len() - 1)];
                        mutated.replace_range(at..end.max(at), PIECES[random.next(PIECES.len())]);
                    }
                }
            }
            if let Err(e) = survive(&mutated) {
                failures.push(format!("{}: {e}", file.display()));
            }
        }
    }
    let _ = panic::take_hook();
    assert!(
        failures.is_empty(),
        "{} mutations panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn refused(source: &str, message: &str) {
    match parse_module(source) {
        Ok(_) => panic!("should be refused: {}...", &source[..40.min(source.len())]),
        Err(e) => assert!(e.message.contains(message), "{}", e.message),
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let parens = format!("x = {}1{}", "(".repeat(10_000), ")".repeat(10_000));
    refused(&parens, "too many nested parentheses");
    let brackets = format!("x = {}", "[".repeat(10_000));
    refused(&brackets, "too many nested parentheses");
    refused(&format!("x = {}1", "-".repeat(100_000)), "nested more than");
    refused(
        &format!("x = {}1", "-".repeat(apy::lexer::MAX_NESTING + 1)),
        "nested more than",
    );
    refused(
        &format!("x = {}1", "not ".repeat(100_000)),
        "nested more than",
    );
    refused(
        &format!("x = {}b", "a.".repeat(100_000)),
        "nested more than",
    );
    refused(
        &format!("x = 1{}", "+1".repeat(100_000)),
        "nested more than",
    );
    refused(
        &format!("x = 2{}", "**2".repeat(100_000)),
        "nested more than",
    );
    refused(
        &format!("x = {}1", "lambda: ".repeat(100_000)),
        "nested more than",
    );
    refused(
        &format!("x = {}0", "lambda a, b=".repeat(100_000)),
        "nested more than",
    );
    refused(
        &format!("x = {}", "await ".repeat(100_000)),
        "nested more than",
    );
    refused(
        &format!("x = f{}", "()".repeat(100_000)),
        "nested more than",
    );
    refused(
        &format!("x = 1{}", " if c else 1".repeat(100_000)),
        "nested more than",
    );
    let fstrings = format!("x = f'{{{}1}}'", "-".repeat(100_000));
    refused(&fstrings, "nested more than");
    let blocks: String = (0..200)
        .map(|i| format!("{}if x:\n", " ".repeat(i)))
        .collect();
    refused(&blocks, "too many levels of indentation");
}

#[test]
fn nesting_just_under_the_limit_is_fine() {
    // Deep but allowed: parse, dump and drop it on a test thread's stack.
    let source = format!("x = {}1\n", "-".repeat(apy::lexer::MAX_NESTING - 1));
    let module = parse_module(&source).unwrap();
    assert!(dump(&module, &source).lines().count() > 400);
    let source = format!("x = 1{}\n", "+1".repeat(apy::lexer::MAX_NESTING - 1));
    parse_module(&source).unwrap();
    let source = format!("x = {}1\n", "lambda: ".repeat(apy::lexer::MAX_NESTING - 1));
    parse_module(&source).unwrap();
}

#[test]
fn wide_input_is_not_deep() {
    let items: Vec<String> = (0..100_000).map(|i| format!("-{i}")).collect();
    let source = format!("x = [{}]\n", items.join(", "));
    parse_module(&source).unwrap();
    let args: Vec<String> = (0..10_000).map(|i| format!("a{i}=-{i}")).collect();
    let source = format!("f({})\n", args.join(", "));
    parse_module(&source).unwrap();
}
