//! Checks format_spec.rs against `tests/runtime_vectors/format.tsv`
//! (CPython 3.11's `format(value, spec)`, made by `gen_format.py`).

use super::*;
use crate::vm::object::test_vectors::{float_from_field, rows};

const VECTORS: &str = include_str!("../../tests/runtime_vectors/format.tsv");

fn shown(result: Result<String, NumError>) -> String {
    match result {
        Ok(text) => text,
        Err(e) => format!("ERR:{}:{}", e.exception_name(), e.message()),
    }
}

#[test]
fn format_matches_cpython_vectors() {
    let mut failures = Vec::new();
    let all = rows(VECTORS);
    for row in &all {
        let spec = &row[2];
        let got = match row[0].as_str() {
            "int" => {
                let value: BigInt = row[1].parse().unwrap();
                let via_big = shown(format_bigint(&value, spec));
                if let Some(small) = value.to_i64() {
                    let via_small = shown(format_i64(small, spec));
                    // An empty spec means str(), which format_bigint leaves
                    // to the caller; only the small path handles it.
                    if !spec.is_empty() {
                        assert_eq!(via_small, via_big, "{:?}", row);
                    }
                    via_small
                } else if spec.is_empty() {
                    value.to_string()
                } else {
                    via_big
                }
            }
            "float" => shown(format_f64(float_from_field(&row[1]), spec)),
            _ => shown(format_str(&row[1], spec)),
        };
        if got != row[3] {
            failures.push(format!("{:?}: got {:?}", row, got));
        }
    }
    assert!(all.len() > 10_000);
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        all.len(),
        failures[..failures.len().min(40)].join("\n")
    );
}

#[test]
fn readable_examples() {
    assert_eq!(format_f64(2.675, ".2f").unwrap(), "2.67");
    assert_eq!(format_f64(0.125, ".2f").unwrap(), "0.12");
    assert_eq!(format_i64(1234, "010,").unwrap(), "00,001,234");
    assert_eq!(format_i64(1234000, ",").unwrap(), "1,234,000");
    assert_eq!(format_i64(5, ">4").unwrap(), "   5");
    assert_eq!(format_f64(1.0, "").unwrap(), "1.0");
    assert_eq!(format_f64(1e16, "#").unwrap(), "1.e+16");
    assert_eq!(format_str("ab", "05").unwrap(), "ab000");
    assert_eq!(format_i64(1, "99999999999999"), Err(NumError::Memory));
    assert_eq!(
        format_f64(1.5, "d").unwrap_err().message(),
        "Unknown format code 'd' for object of type 'float'"
    );
}
