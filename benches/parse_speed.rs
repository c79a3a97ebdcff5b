//! How fast is the front end? Builds a 10 000-line program out of the
//! parse-ok test cases and times `tokenize` and `parse_module` on it.
//! Run with `cargo bench --bench parse_speed` (a plain `main`, no harness).

use std::time::Instant;

fn main() {
    let mut program = String::new();
    let mut cases: Vec<_> = std::fs::read_dir("tests/cases/parse/ok")
        .expect("run from the crate root")
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let sources: Vec<String> = cases
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    while program.lines().count() < 10_000 {
        for source in &sources {
            program.push_str(source);
            if !source.ends_with('\n') {
                program.push('\n');
            }
        }
    }
    let lines = program.lines().count();
    apy::parser::parse_module(&program).expect("the cases parse");
    let runs = 20;
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(apy::lexer::tokenize(&program).unwrap());
    }
    let lex = start.elapsed() / runs;
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(apy::parser::parse_module(&program).unwrap());
    }
    let parse = start.elapsed() / runs;
    println!(
        "{lines} lines, {} bytes: tokenize {lex:?}, tokenize + parse {parse:?}",
        program.len()
    );
}
