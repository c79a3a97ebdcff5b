//! The text of a formatted float before padding: CPython's
//! `PyOS_double_to_string` and `format_float_short`, as `format_spec.rs`
//! calls them.
//!
//! Rust's formatter supplies correctly rounded digits (`{:.2}`, `{:.5e}`,
//! ties to even like David Gay's dtoa that CPython uses); this file turns
//! them into dtoa's form, digits plus decimal-point position, and then
//! places zeros, the point and the exponent exactly as CPython does, so
//! that `g`'s switch to exponent notation, `#`'s kept point and `z`'s
//! positive zero all match.

use std::fmt::Write as _;

use super::{push_fill, FormatSpec};

/// More digits than any double's exact decimal expansion has (1074
/// fraction digits at most, 767 significant ones).
pub(super) const EXACT_DIGITS: usize = 1100;
use crate::vm::object::float::write_float_repr;

/// The float's text before padding and grouping: `PyOS_double_to_string`
/// with the flags `format_float_internal` passes.
pub(super) fn float_text(value: f64, kind: char, spec: &FormatSpec) -> String {
    let upper_case = matches!(kind, 'E' | 'F' | 'G');
    let (mut code, mut precision) = match kind {
        '\0' => ('r', spec.precision),
        'n' => ('g', spec.precision),
        '%' => ('f', spec.precision),
        other => (other.to_ascii_lowercase(), spec.precision),
    };
    let add_dot_zero = kind == '\0';
    if code == 'r' && precision.is_some() {
        code = 'g';
    }
    let value = if kind == '%' { value * 100.0 } else { value };
    let mut text = String::with_capacity(24);
    if !value.is_finite() {
        if value.is_sign_negative() && !value.is_nan() {
            text.push('-');
        }
        text.push_str(if value.is_nan() { "nan" } else { "inf" });
    } else if code == 'r' {
        if spec.no_negative_zero && value == 0.0 {
            write_float_repr(&mut text, 0.0);
        } else {
            write_float_repr(&mut text, value);
        }
        // `#` keeps the point of a one-digit exponent form: `1.e+16`.
        if spec.alternate && !text.contains('.') {
            if let Some(e) = text.find('e') {
                text.insert(e, '.');
            }
        }
    } else {
        let precision = precision.get_or_insert(6);
        layout_float(
            &mut text,
            value,
            code,
            *precision,
            add_dot_zero,
            spec.alternate,
            spec.no_negative_zero,
        );
    }
    if kind == '%' {
        text.push('%');
    }
    if upper_case {
        text.make_ascii_uppercase();
    }
    text
}

/// CPython's `format_float_short` for the `e`, `f` and `g` codes: get the
/// correctly rounded digits (from Rust), then place zeros, the point and
/// the exponent exactly as CPython does.
fn layout_float(
    out: &mut String,
    value: f64,
    code: char,
    precision: usize,
    add_dot_zero: bool,
    alternate: bool,
    no_negative_zero: bool,
) {
    // `digits` without trailing zeros, and the decimal point position:
    // value = 0.DIGITS * 10**decimal_point (what David Gay's dtoa returns).
    let mut rendered = String::with_capacity(32);
    let (digits, mut decimal_point) = match code {
        'f' => {
            // Rust's formatter takes at most u16::MAX digits; a double's
            // exact expansion ends within 1074 places, so capping the
            // request loses nothing (the layout adds the trailing zeros).
            let _ = write!(rendered, "{:.*}", precision.min(EXACT_DIGITS), value.abs());
            fixed_digits(&rendered, value, precision)
        }
        _ => {
            // 'e' wants precision + 1 significant digits; 'g' wants
            // `precision` of them (0 meaning 1).
            let significant = if code == 'e' {
                precision + 1
            } else {
                precision.max(1)
            };
            let _ = write!(
                rendered,
                "{:.*e}",
                (significant - 1).min(EXACT_DIGITS),
                value.abs()
            );
            exponent_digits(&rendered)
        }
    };
    let negative =
        value.is_sign_negative() && !(no_negative_zero && (digits.is_empty() || digits == "0"));
    let digit_count = digits.len() as isize;
    let precision = precision as isize;
    let mut use_exponent = false;
    let mut end = digit_count;
    match code {
        'e' => {
            use_exponent = true;
            end = precision + 1;
        }
        'f' => end = decimal_point + precision,
        _ => {
            let precision = precision.max(1);
            let limit = if add_dot_zero {
                precision - 1
            } else {
                precision
            };
            if decimal_point <= -4 || decimal_point > limit {
                use_exponent = true;
            }
            if alternate {
                end = precision;
            }
        }
    }
    let mut exponent = 0;
    if use_exponent {
        exponent = decimal_point - 1;
        decimal_point = 1;
    }
    let start = if decimal_point <= 0 {
        decimal_point - 1
    } else {
        0
    };
    end = if !use_exponent && add_dot_zero {
        end.max(decimal_point + 1)
    } else {
        end.max(decimal_point)
    };
    if negative {
        out.push('-');
    }
    let zeros = |out: &mut String, count: isize| push_fill(out, '0', count.max(0) as usize);
    if decimal_point <= 0 {
        zeros(out, decimal_point - start);
        out.push('.');
        zeros(out, -decimal_point);
    } else {
        zeros(out, -start);
    }
    if 0 < decimal_point && decimal_point <= digit_count {
        out.push_str(&digits[..decimal_point as usize]);
        out.push('.');
        out.push_str(&digits[decimal_point as usize..]);
    } else {
        out.push_str(&digits);
    }
    if digit_count < decimal_point {
        zeros(out, decimal_point - digit_count);
        out.push('.');
        zeros(out, end - decimal_point);
    } else {
        zeros(out, end - digit_count);
    }
    if out.ends_with('.') && !alternate {
        out.pop();
    }
    if use_exponent {
        let _ = write!(
            out,
            "e{}{:02}",
            if exponent < 0 { '-' } else { '+' },
            exponent.abs()
        );
    }
}

/// Digits and point position from Rust's fixed text (`"12.3400"`), in
/// dtoa's form: no leading or trailing zeros; a value that rounds to zero
/// has no digits and its point at `-precision`, while 0.0 itself is `"0"`.
fn fixed_digits(rendered: &str, value: f64, precision: usize) -> (String, isize) {
    let (integer, fraction) = rendered.split_once('.').unwrap_or((rendered, ""));
    let mut digits: String = integer.chars().chain(fraction.chars()).collect();
    let mut decimal_point = integer.len() as isize;
    let leading = digits.bytes().take_while(|&b| b == b'0').count();
    if leading == digits.len() {
        return if value == 0.0 {
            ("0".to_string(), 1)
        } else {
            (String::new(), -(precision as isize))
        };
    }
    digits.drain(..leading);
    decimal_point -= leading as isize;
    let kept = digits.trim_end_matches('0').len();
    digits.truncate(kept);
    (digits, decimal_point)
}

/// Digits and point position from Rust's exponent text (`"1.2300e5"`).
fn exponent_digits(rendered: &str) -> (String, isize) {
    let (mantissa, exponent) = rendered.split_once('e').unwrap_or((rendered, "0"));
    let exponent: isize = exponent.parse().unwrap_or(0);
    let mut digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    let kept = digits.trim_end_matches('0').len();
    if kept == 0 {
        return ("0".to_string(), 1);
    }
    digits.truncate(kept);
    (digits, exponent + 1)
}

/// The float text of printf-style formatting (`"%.3e" % x`): the same
/// machinery without the format-spec flags (`#` is the only one that
/// reaches the digits).
pub(crate) fn float_text_for_percent(
    value: f64,
    kind: char,
    precision: usize,
    alternate: bool,
) -> String {
    let mut text = String::with_capacity(24);
    if !value.is_finite() {
        if value.is_sign_negative() && !value.is_nan() {
            text.push('-');
        }
        text.push_str(if value.is_nan() { "nan" } else { "inf" });
    } else {
        let code = kind.to_ascii_lowercase();
        layout_float(&mut text, value, code, precision, false, alternate, false);
    }
    if matches!(kind, 'E' | 'F' | 'G') {
        text.make_ascii_uppercase();
    }
    text
}
