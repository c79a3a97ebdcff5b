//! Snapshot tests of the parser: every `tests/cases/parse/ok/*.apy` file is
//! parsed and dumped (`apy::parser::dump`); every `tests/cases/parse/err/*.apy`
//! must fail, and its snapshot is the error rendered exactly as CPython 3.11
//! prints it (each case's first line records python3's own last line).

use apy::parser::{dump, parse_module};

#[test]
fn parse_ok_cases() {
    insta::glob!("cases/parse/ok/*.apy", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let output = match parse_module(&source) {
            Ok(module) => dump(&module, &source),
            Err(error) => panic!(
                "{} should parse:\n{}",
                path.display(),
                error.render("<case>.apy", &source)
            ),
        };
        insta::assert_snapshot!(output);
    });
}

#[test]
fn parse_err_cases() {
    let mut disagreements = Vec::new();
    insta::glob!("cases/parse/err/*.apy", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let output = match parse_module(&source) {
            Ok(module) => panic!("{name} should not parse:\n{}", dump(&module, &source)),
            Err(error) => error.render(&name, &source),
        };
        // The case's first line records what python3 says; apy must agree.
        let expected = source.lines().next().unwrap_or("");
        if let Some(python) = expected.strip_prefix("# python3: ") {
            let last = output.lines().last().unwrap_or("");
            if last != python {
                disagreements.push(format!("{name}:\n  apy:     {last}\n  python3: {python}"));
            }
        }
        insta::assert_snapshot!(output);
    });
    assert!(
        disagreements.is_empty(),
        "apy and python3 disagree:\n{}",
        disagreements.join("\n")
    );
}
