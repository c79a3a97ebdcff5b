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

/// The integer-only fixed-notation path agrees with Rust's correctly
/// rounded formatter (the reference for `{:.Nf}`) on awkward values:
/// halfway cases, subnormals, negative zero, values near 2**52.
#[test]
fn fixed_notation_fast_path_rounds_exactly() {
    let mut values = vec![
        0.0,
        -0.0,
        0.5,
        1.5,
        2.5,
        0.125,
        0.375,
        1.005,
        2.675,
        1e-300,
        5e-324,
        -5e-324,
        4503599627370495.5,
        4503599627370496.0,
        1e15,
        123456.785,
        0.045,
        -0.045,
        9.995,
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let value = f64::from_bits(state);
        if value.is_finite() {
            values.push(value);
            values.push((state % 1_000_000) as f64 / 1000.0);
            values.push((state % 100_000) as f64 / 7.0);
        }
    }
    for value in values {
        for precision in 0..=15 {
            let mut fast = String::new();
            if push_fixed(&mut fast, value, precision) {
                assert_eq!(
                    fast,
                    format!("{value:.precision$}"),
                    "{value:e} .{precision}f"
                );
            }
        }
    }
}
