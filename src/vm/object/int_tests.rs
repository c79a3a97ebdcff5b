//! Checks int.rs against CPython 3.11's answers in
//! `tests/runtime_vectors/int.tsv` (made by `gen_numbers.py`).

use super::*;
use crate::vm::object::test_vectors::{float_field, rows};

const VECTORS: &str = include_str!("../../../tests/runtime_vectors/int.tsv");

fn big(field: &str) -> BigInt {
    field.parse().unwrap_or_else(|_| panic!("bad int {field}"))
}

fn error_field(error: &NumError) -> String {
    format!("ERR:{}:{}", error.exception_name(), error.message())
}

fn shown<T: ToString>(result: Result<T, NumError>) -> String {
    match result {
        Ok(value) => value.to_string(),
        Err(e) => error_field(&e),
    }
}

fn small(n: &BigInt) -> Option<i64> {
    n.to_i64()
}

#[test]
fn int_matches_cpython_vectors() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in rows(VECTORS) {
        let (got, expected) = match row[0].as_str() {
            "float" => {
                let got = match bigint_to_f64(&big(&row[1])) {
                    Ok(x) => float_field(x),
                    Err(e) => error_field(&e),
                };
                (got, row[2].clone())
            }
            "bin" | "oct" | "hex" => {
                let radix = match row[0].as_str() {
                    "bin" => 2,
                    "oct" => 8,
                    _ => 16,
                };
                let value = normalize(big(&row[1]));
                (int_to_prefixed_radix(&value, radix), row[2].clone())
            }
            "bit_length" => {
                let n = big(&row[1]);
                let got = match small(&n) {
                    Some(s) => bit_length_i64(s) as u64,
                    None => bit_length_bigint(&n),
                };
                (got.to_string(), row[2].clone())
            }
            "invert" => (invert_bigint(&big(&row[1])).to_string(), row[2].clone()),
            "parse" => {
                let base: i64 = row[2].parse().unwrap();
                let got = match parse_int(&row[1], base) {
                    Ok(n) => {
                        let n = n.to_bigint();
                        if row[3].starts_with("BIG:") {
                            format!("BIG:{}", n % BigInt::from(1_000_000_000))
                        } else {
                            n.to_string()
                        }
                    }
                    Err(e) => error_field(&e),
                };
                (got, row[3].clone())
            }
            "str" => {
                let n = BigInt::parse_bytes(
                    row[1]
                        .trim_start_matches('-')
                        .trim_start_matches("0x")
                        .as_bytes(),
                    16,
                )
                .unwrap();
                let n = if row[1].starts_with('-') { -n } else { n };
                (
                    shown(int_to_decimal_string(&n).map(|s| s.len())),
                    row[2].clone(),
                )
            }
            "round" => {
                let got = int_round(&big(&row[1]), row[2].parse().unwrap()).to_string();
                (got, row[3].clone())
            }
            "cmp" => {
                let float = crate::vm::object::test_vectors::float_from_field(&row[2]);
                let ordering =
                    crate::vm::object::float::compare_int_float(&normalize(big(&row[1])), float);
                let got = match ordering {
                    Some(std::cmp::Ordering::Less) => "lt",
                    Some(std::cmp::Ordering::Greater) => "gt",
                    Some(std::cmp::Ordering::Equal) => "eq",
                    None => "none",
                };
                (got.to_string(), row[3].clone())
            }
            "powmod" => {
                let got = shown(int_pow_mod(&big(&row[1]), &big(&row[2]), &big(&row[3])));
                (got, row[4].clone())
            }
            "pow" => {
                let result = int_pow(&normalize(big(&row[1])), &normalize(big(&row[2])));
                let got = match result {
                    Ok(PowResult::Int(n)) => n.to_string(),
                    Ok(PowResult::Float(x)) => float_field(x),
                    Err(e) => error_field(&e),
                };
                (got, row[3].clone())
            }
            op => {
                let (a, b) = (big(&row[1]), big(&row[2]));
                let got = binary_op(op, &a, &b);
                (got, row[3].clone())
            }
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

/// Runs a binary operation through the i64 fast path when both operands
/// fit (checking it agrees with the BigInt path), else the BigInt path.
fn binary_op(op: &str, a: &BigInt, b: &BigInt) -> String {
    let slow = match op {
        "floordiv" => shown(floor_div_bigint(a, b)),
        "mod" => shown(mod_bigint(a, b)),
        "divmod" => match divmod_bigint(a, b) {
            Ok((q, r)) => format!("{q},{r}"),
            Err(e) => error_field(&e),
        },
        "truediv" => match true_div_bigint(a, b) {
            Ok(x) => float_field(x),
            Err(e) => error_field(&e),
        },
        "and" => (a & b).to_string(),
        "or" => (a | b).to_string(),
        "xor" => (a ^ b).to_string(),
        "shl" => shown(shl_bigint(a, &normalize(b.clone()))),
        "shr" => shown(shr_bigint(a, &normalize(b.clone()))),
        _ => panic!("unknown op {op}"),
    };
    if let (Some(x), Some(y)) = (small(a), small(b)) {
        let fast = match op {
            "floordiv" => floor_div_i64(x, y).map(|q| q.map(|q| q.to_string())),
            "mod" => mod_i64(x, y).map(|r| Some(r.to_string())),
            "divmod" => divmod_i64(x, y).map(|qr| qr.map(|(q, r)| format!("{q},{r}"))),
            "truediv" => true_div_i64(x, y).map(|f| Some(float_field(f))),
            "and" => Ok(Some((x & y).to_string())),
            "or" => Ok(Some((x | y).to_string())),
            "xor" => Ok(Some((x ^ y).to_string())),
            "shl" => shl_i64(x, y).map(|r| r.map(|r| r.to_string())),
            "shr" => shr_i64(x, y).map(|r| Some(r.to_string())),
            _ => unreachable!(),
        };
        match fast {
            Ok(Some(text)) => assert_eq!(text, slow, "fast path {op} {x} {y}"),
            Ok(None) => {}
            Err(e) => assert_eq!(error_field(&e), slow, "fast path {op} {x} {y}"),
        }
    }
    slow
}

#[test]
fn normalize_keeps_small_values_small() {
    assert_eq!(normalize(BigInt::from(5)), IntValue::Small(5));
    assert_eq!(normalize(BigInt::from(i64::MIN)), IntValue::Small(i64::MIN));
    assert!(matches!(
        normalize(BigInt::from(i64::MAX) + 1),
        IntValue::Big(_)
    ));
    assert_eq!(floor_div_i64(i64::MIN, -1), Ok(None));
    assert_eq!(shl_i64(1, 62), Ok(Some(1 << 62)));
    assert_eq!(shl_i64(1, 63), Ok(None));
    assert_eq!(shl_i64(-1, 63), Ok(None));
    assert_eq!(pow_i64(2, 63), None);
    assert_eq!(pow_i64(-2, 63), Some(i64::MIN));
}
