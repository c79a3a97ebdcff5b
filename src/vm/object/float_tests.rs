//! Checks float.rs against CPython 3.11's answers in
//! `tests/runtime_vectors/float.tsv` (made by `gen_numbers.py`).

use super::*;
use crate::vm::object::test_vectors::{float_field, float_from_field, rows};

const VECTORS: &str = include_str!("../../../tests/runtime_vectors/float.tsv");

fn error_field(error: &NumError) -> String {
    format!("ERR:{}:{}", error.exception_name(), error.message())
}

fn float_result(result: Result<f64, NumError>) -> String {
    match result {
        Ok(x) => float_field(x),
        Err(NumError::ComplexResult) => "COMPLEX".to_string(),
        Err(e) => error_field(&e),
    }
}

fn int_result(result: Result<IntValue, NumError>) -> String {
    match result {
        Ok(n) => n.to_string(),
        Err(e) => error_field(&e),
    }
}

#[test]
fn float_matches_cpython_vectors() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in rows(VECTORS) {
        let x = if row[0] == "parse" {
            0.0
        } else {
            float_from_field(&row[1])
        };
        let (got, expected) = match row[0].as_str() {
            "repr" => (float_repr(x), row[2].clone()),
            "int" => (int_result(float_to_int(x)), row[2].clone()),
            "round0" => (int_result(float_round_to_int(x)), row[2].clone()),
            "round" => {
                let ndigits: i64 = row[2].parse().unwrap();
                (float_result(float_round(x, ndigits)), row[3].clone())
            }
            "is_integer" => (
                if float_is_integer(x) { "True" } else { "False" }.to_string(),
                row[2].clone(),
            ),
            "parse" => {
                let got = match parse_float(&row[1]) {
                    Some(value) => float_field(value),
                    None => "ERR".to_string(),
                };
                (got, row[2].clone())
            }
            op => {
                let y = float_from_field(&row[2]);
                let got = match op {
                    "floordiv" => float_result(float_floor_div(x, y)),
                    "mod" => float_result(float_mod(x, y)),
                    "truediv" => float_result(float_div(x, y)),
                    "pow" => float_result(float_pow(x, y)),
                    "divmod" => match float_divmod(x, y) {
                        Ok((q, r)) => format!("{},{}", float_field(q), float_field(r)),
                        Err(e) => error_field(&e),
                    },
                    _ => panic!("unknown vector kind {op}"),
                };
                (got, row[3].clone())
            }
        };
        // CPython reports some complex results as a complex overflow; apy
        // refuses both the same way.
        let expected = if expected == "ERR:OverflowError:complex exponentiation" {
            "COMPLEX".to_string()
        } else {
            expected
        };
        checked += 1;
        if got != expected {
            failures.push(format!("{:?}: got {got} expected {expected}", row));
        }
    }
    assert!(checked > 10_000, "too few vectors: {checked}");
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

#[test]
fn repr_layout_examples() {
    for (x, text) in [
        (1e16, "1e+16"),
        (1e-5, "1e-05"),
        (0.0001, "0.0001"),
        (1.5e-7, "1.5e-07"),
        (123456789012345.6, "123456789012345.6"),
        (1.2345678901234568e16, "1.2345678901234568e+16"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (f64::NAN, "nan"),
        (-0.0, "-0.0"),
        (5e-324, "5e-324"),
        (1e22, "1e+22"),
        (100.0, "100.0"),
    ] {
        assert_eq!(float_repr(x), text);
    }
}

#[test]
fn rounding_examples() {
    assert_eq!(float_round(2.675, 2), Ok(2.67));
    assert_eq!(float_round_to_int(0.5), Ok(IntValue::Small(0)));
    assert_eq!(float_round_to_int(1.5), Ok(IntValue::Small(2)));
    assert_eq!(float_round(1234.5, -2), Ok(1200.0));
    assert!(float_round(-0.001, 2).unwrap().is_sign_negative());
}

/// A larger sweep for `repr`, run by hand: generate a file of
/// `bits<TAB>repr` lines with python3 and point `APY_FLOAT_REPR_FILE` at it.
#[test]
#[ignore]
fn repr_matches_large_external_sweep() {
    let Ok(path) = std::env::var("APY_FLOAT_REPR_FILE") else {
        return;
    };
    let data = std::fs::read_to_string(path).unwrap();
    let mut failures = 0;
    for row in rows(&data) {
        let x = float_from_field(&row[0]);
        if float_repr(x) != row[1] {
            failures += 1;
            if failures < 20 {
                eprintln!("{}: got {} expected {}", row[0], float_repr(x), row[1]);
            }
        }
    }
    assert_eq!(failures, 0);
}
