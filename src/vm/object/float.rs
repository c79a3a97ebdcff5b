//! Python's `float`: how it prints, parses, divides, powers and rounds.
//!
//! A Python float is an IEEE-754 double, exactly Rust's `f64`, so the
//! arithmetic itself is the hardware's. What differs from Rust is the
//! behaviour around it, and every function here copies CPython 3.11:
//!
//! - `repr` uses the shortest digits that round-trip (Rust finds the same
//!   digits) but lays them out Python's way: `1e+16`, `1e-05`, `0.0001`;
//! - `float("...")` accepts `_` between digits, `inf`/`nan` in any case;
//! - `//` and `%` take the sign of the divisor, and keep `-0.0` right;
//! - `**` sorts out the special cases itself instead of trusting `pow`;
//! - `round(x, n)` rounds the *exact* binary value, so `round(2.675, 2)` is
//!   `2.67` (2.675 is really 2.67499999...).

use std::fmt::Write as _;

use num_bigint::BigInt;
use num_traits::{One, Zero};

use super::int::IntValue;
use super::num_error::NumError;
use super::unicode;

// ---------------------------------------------------------------- repr

/// `repr(x)` (and `str(x)`) exactly as CPython prints it.
pub fn float_repr(x: f64) -> String {
    let mut out = String::with_capacity(24);
    write_float_repr(&mut out, x);
    out
}

/// Appends `repr(x)` to `out`, so callers building larger strings (a list's
/// repr, an f-string) need no temporary.
pub fn write_float_repr(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("nan");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "inf" } else { "-inf" });
        return;
    }
    let (digits_buffer, digit_count, decimal_point) = shortest_digits(x.abs());
    let digits = &digits_buffer[..digit_count];
    if x.is_sign_negative() {
        out.push('-');
    }
    // CPython's 'r' format switches to exponent notation when the decimal
    // point would sit more than 16 places right of the first digit, or
    // 4 or more places left of it.
    if decimal_point > 16 || decimal_point <= -4 {
        write_exponent_layout(out, digits, decimal_point - 1, false);
    } else {
        write_fixed_layout(out, digits, decimal_point, true);
    }
}

/// The shortest decimal digits that round-trip to `x` (which must be finite
/// and non-negative), and the position of the decimal point: the value is
/// `0.DIGITS * 10**decimal_point`. Digits are ASCII bytes in a stack buffer.
pub(crate) fn shortest_digits(x: f64) -> ([u8; 24], usize, i32) {
    // Rust's `{:e}` prints the shortest round-trip digits, e.g. `1.2345e-7`.
    let mut text = StackText::new();
    let _ = write!(text, "{:e}", x);
    let (mut digits, mut count, mut exponent) = split_exponent_text(text.as_bytes());
    // When two candidates of the shortest length are exactly equally close,
    // Rust rounds the tie up but CPython (David Gay's dtoa) picks the even
    // one. Such ties need 16 or more digits to occur at all.
    if count >= 16 && tie_is_possible(x) {
        let mut exact = StackText::new();
        let _ = write!(exact, "{:.*e}", count, x);
        let (exact_digits, exact_count, exact_exponent) = split_exponent_text(exact.as_bytes());
        let truncated_last = exact_digits[exact_count - 2];
        if exact_digits[exact_count - 1] == b'5'
            && (truncated_last - b'0').is_multiple_of(2)
            && decimal_equals(x, &exact_digits[..exact_count], exact_exponent)
        {
            digits = exact_digits;
            count = exact_count - 1;
            while count > 1 && digits[count - 1] == b'0' {
                count -= 1;
            }
            exponent = exact_exponent;
        }
    }
    (digits, count, exponent + 1)
}

/// A tie needs the exact binary value to have at most 18 significant
/// decimal digits. `m / 2**k` (m odd) has k digits after the point and at
/// least `0.69 * k` significant ones, so k > 25 rules a tie out; that
/// skips the exact check for almost every double with a long repr.
fn tie_is_possible(x: f64) -> bool {
    let (mantissa, exponent) = decompose(x);
    let fraction_bits = -(exponent + mantissa.trailing_zeros() as i32);
    fraction_bits <= 25
}

/// Splits Rust's `D.DDDe-X` text into its digits and exponent.
fn split_exponent_text(bytes: &[u8]) -> ([u8; 24], usize, i32) {
    let mut digits = [0u8; 24];
    let mut count = 0;
    let mut position = 0;
    while position < bytes.len() && bytes[position] != b'e' {
        if bytes[position] != b'.' && count < digits.len() {
            digits[count] = bytes[position];
            count += 1;
        }
        position += 1;
    }
    let exponent: i32 = std::str::from_utf8(&bytes[(position + 1).min(bytes.len())..])
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    (digits, count, exponent)
}

/// Whether `x` (finite, positive) is exactly `0.DIGITS... * 10**(exponent+1)`,
/// i.e. `D.DDD * 10**exponent`.
fn decimal_equals(x: f64, digits: &[u8], exponent: i32) -> bool {
    let (mantissa, binary_exponent) = decompose(x);
    let Some(decimal) = BigInt::parse_bytes(digits, 10) else {
        return false;
    };
    let scale = exponent - (digits.len() as i32 - 1);
    let mut left = BigInt::from(mantissa);
    let mut right = decimal;
    if binary_exponent >= 0 {
        left <<= binary_exponent as usize;
    } else {
        right <<= (-binary_exponent) as usize;
    }
    let ten = BigInt::from(10u32);
    if scale >= 0 {
        right *= num_traits::pow(ten, scale as usize);
    } else {
        left *= num_traits::pow(ten, (-scale) as usize);
    }
    left == right
}

/// `D.DDDe+XX`: the exponent gets a sign and at least two digits.
/// `keep_trailing_point` is for the `#` alternate form (`1.e+10`).
pub(crate) fn write_exponent_layout(
    out: &mut String,
    digits: &[u8],
    exponent: i32,
    keep_trailing_point: bool,
) {
    out.push(digits[0] as char);
    if digits.len() > 1 || keep_trailing_point {
        out.push('.');
    }
    for &digit in &digits[1..] {
        out.push(digit as char);
    }
    out.push('e');
    out.push(if exponent < 0 { '-' } else { '+' });
    let magnitude = exponent.unsigned_abs();
    if magnitude < 10 {
        out.push('0');
    }
    let _ = write!(out, "{}", magnitude);
}

/// `DDD.DDD` with the point `decimal_point` digits in; `force_point_zero`
/// adds the `.0` that `repr` always shows.
pub(crate) fn write_fixed_layout(
    out: &mut String,
    digits: &[u8],
    decimal_point: i32,
    force_point_zero: bool,
) {
    let count = digits.len() as i32;
    if decimal_point <= 0 {
        out.push_str("0.");
        for _ in 0..-decimal_point {
            out.push('0');
        }
        push_ascii(out, digits);
    } else if decimal_point < count {
        let split = decimal_point as usize;
        push_ascii(out, &digits[..split]);
        out.push('.');
        push_ascii(out, &digits[split..]);
    } else {
        push_ascii(out, digits);
        for _ in 0..decimal_point - count {
            out.push('0');
        }
        if force_point_zero {
            out.push_str(".0");
        }
    }
}

fn push_ascii(out: &mut String, digits: &[u8]) {
    // Digits are ASCII, so this never fails; avoids a per-char loop.
    out.push_str(std::str::from_utf8(digits).unwrap_or(""));
}

/// A small fixed buffer that `write!` can format into without allocating.
pub(crate) struct StackText {
    bytes: [u8; 48],
    length: usize,
}

impl StackText {
    pub(crate) fn new() -> Self {
        StackText {
            bytes: [0; 48],
            length: 0,
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.length + s.len();
        if end > self.bytes.len() {
            return Err(std::fmt::Error);
        }
        self.bytes[self.length..end].copy_from_slice(s.as_bytes());
        self.length = end;
        Ok(())
    }
}

// ---------------------------------------------------------------- parse

/// `float(text)`: `None` when CPython raises
/// `ValueError: could not convert string to float: <repr of text>`.
///
/// Accepts surrounding whitespace, a sign, `inf`/`infinity`/`nan` in any
/// case, decimal digits of any script (`float('١٢')` is 12.0), and `_`
/// only between two digits. Hex is not accepted (that is `float.fromhex`).
pub fn parse_float(text: &str) -> Option<f64> {
    let trimmed = text.trim_matches(unicode::is_python_whitespace);
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.is_ascii() && !trimmed.contains('_') {
        return parse_float_ascii(trimmed);
    }
    // Slow path: translate other scripts' digits, check and drop underscores.
    let chars: Vec<char> = trimmed.chars().collect();
    let mut ascii = String::with_capacity(chars.len());
    for (index, &c) in chars.iter().enumerate() {
        if c == '_' {
            let digit_before = index > 0 && decimal_value(chars[index - 1]).is_some();
            let digit_after = chars
                .get(index + 1)
                .and_then(|&n| decimal_value(n))
                .is_some();
            if !(digit_before && digit_after) {
                return None;
            }
        } else if c.is_ascii() {
            ascii.push(c);
        } else if let Some(value) = unicode::decimal_digit_value(c) {
            ascii.push((b'0' + value) as char);
        } else {
            return None;
        }
    }
    parse_float_ascii(&ascii)
}

fn decimal_value(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        Some(c as u8 - b'0')
    } else {
        unicode::decimal_digit_value(c)
    }
}

/// Python's float syntax over ASCII: `[sign] (digits [. digits] | . digits)
/// [(e|E) [sign] digits]`, or `[sign] (inf | infinity | nan)`.
fn parse_float_ascii(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let signed = |value: f64| if negative { -value } else { value };
    if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        return Some(signed(f64::INFINITY));
    }
    if body.eq_ignore_ascii_case("nan") {
        return Some(signed(f64::NAN));
    }
    let body_bytes = body.as_bytes();
    let mut position = 0;
    let count_digits = |from: usize| {
        body_bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let integer_digits = count_digits(position);
    position += integer_digits;
    let mut fraction_digits = 0;
    if body_bytes.get(position) == Some(&b'.') {
        position += 1;
        fraction_digits = count_digits(position);
        position += fraction_digits;
    }
    if integer_digits + fraction_digits == 0 {
        return None;
    }
    if matches!(body_bytes.get(position), Some(b'e' | b'E')) {
        position += 1;
        if matches!(body_bytes.get(position), Some(b'+' | b'-')) {
            position += 1;
        }
        let exponent_digits = count_digits(position);
        if exponent_digits == 0 {
            return None;
        }
        position += exponent_digits;
    }
    if position != body_bytes.len() {
        return None;
    }
    // The syntax is checked; Rust's parser is correctly rounded like
    // CPython's, and it copes with any exponent size.
    body.parse::<f64>().ok().map(signed)
}

/// `float(text)` with CPython's error:
/// `ValueError: could not convert string to float: 'abc'`.
pub fn parse_float_or_error(text: &str) -> Result<f64, NumError> {
    parse_float(text).ok_or_else(|| {
        NumError::Value(std::borrow::Cow::Owned(format!(
            "could not convert string to float: {}",
            super::str_repr::str_repr(text)
        )))
    })
}

// ---------------------------------------------------------------- comparing

/// Compares an int with a float exactly, as CPython does (`2**53 + 1 >
/// 2.0**53` even though converting the int to float would make them
/// equal). `None` when the float is NaN (every comparison is False).
pub fn compare_int_float(int: &IntValue, float: f64) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if float.is_nan() {
        return None;
    }
    if float.is_infinite() {
        return Some(if float > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    if let IntValue::Small(n) = int {
        // Both sides are exact as f64 below 2**53.
        if n.unsigned_abs() <= 1 << 53 {
            return (*n as f64).partial_cmp(&float);
        }
    }
    let int = int.to_bigint();
    let floor = float.floor();
    let floor_int = match float_to_int(floor) {
        Ok(value) => value.to_bigint(),
        Err(_) => return None,
    };
    Some(match int.cmp(&floor_int) {
        // int <= floor(x) < x when x has a fraction; equal only if x is whole.
        Ordering::Equal if floor == float => Ordering::Equal,
        Ordering::Equal => Ordering::Less,
        other => other,
    })
}

// ---------------------------------------------------------------- division

/// `x / y` for floats.
pub fn float_div(x: f64, y: f64) -> Result<f64, NumError> {
    if y == 0.0 {
        return Err(NumError::zero_division("float division by zero"));
    }
    Ok(x / y)
}

/// `x % y` for floats: the result has the sign of `y`.
pub fn float_mod(x: f64, y: f64) -> Result<f64, NumError> {
    if y == 0.0 {
        return Err(NumError::zero_division("float modulo"));
    }
    Ok(float_mod_nonzero(x, y))
}

fn float_mod_nonzero(x: f64, y: f64) -> f64 {
    // Rust's `%` on f64 is C's fmod: exact, with the sign of x.
    let remainder = x % y;
    if remainder != 0.0 {
        if (y < 0.0) != (remainder < 0.0) {
            remainder + y
        } else {
            remainder
        }
    } else {
        // A zero remainder takes the divisor's sign: 6.0 % -3.0 == -0.0.
        0.0f64.copysign(y)
    }
}

/// `x // y` for floats.
pub fn float_floor_div(x: f64, y: f64) -> Result<f64, NumError> {
    if y == 0.0 {
        return Err(NumError::zero_division("float floor division by zero"));
    }
    Ok(float_divmod_nonzero(x, y).0)
}

/// `divmod(x, y)` for floats.
pub fn float_divmod(x: f64, y: f64) -> Result<(f64, f64), NumError> {
    if y == 0.0 {
        return Err(NumError::zero_division("float divmod()"));
    }
    Ok(float_divmod_nonzero(x, y))
}

/// CPython's `_float_div_mod`: the quotient is computed from the exact
/// remainder and then snapped to an integral value, so that
/// `x == q * y + r` as nearly as floating point allows.
fn float_divmod_nonzero(x: f64, y: f64) -> (f64, f64) {
    let mut remainder = x % y;
    let mut quotient = (x - remainder) / y;
    if remainder != 0.0 {
        if (y < 0.0) != (remainder < 0.0) {
            remainder += y;
            quotient -= 1.0;
        }
    } else {
        remainder = 0.0f64.copysign(y);
    }
    let floor_quotient = if quotient != 0.0 {
        let mut floored = quotient.floor();
        if quotient - floored > 0.5 {
            floored += 1.0;
        }
        floored
    } else {
        // A zero quotient takes the sign of the true quotient x / y.
        0.0f64.copysign(x / y)
    };
    (floor_quotient, remainder)
}

// ---------------------------------------------------------------- power

fn is_odd_integer(x: f64) -> bool {
    x.abs() % 2.0 == 1.0
}

/// `x ** y` for floats, CPython's `float_pow` case by case.
pub fn float_pow(x: f64, y: f64) -> Result<f64, NumError> {
    if y == 0.0 {
        return Ok(1.0); // even 0 ** 0 and nan ** 0
    }
    if x.is_nan() {
        return Ok(x);
    }
    if y.is_nan() {
        return Ok(if x == 1.0 { 1.0 } else { y });
    }
    if y.is_infinite() {
        let magnitude = x.abs();
        return Ok(if magnitude == 1.0 {
            1.0
        } else if (y > 0.0) == (magnitude > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    if x.is_infinite() {
        let odd = is_odd_integer(y);
        return Ok(if y > 0.0 {
            if odd {
                x
            } else {
                x.abs()
            }
        } else if odd {
            0.0f64.copysign(x)
        } else {
            0.0
        });
    }
    if x == 0.0 {
        if y < 0.0 {
            return Err(NumError::zero_division(
                "0.0 cannot be raised to a negative power",
            ));
        }
        return Ok(if is_odd_integer(y) { x } else { 0.0 });
    }
    let mut base = x;
    let mut negate_result = false;
    if base < 0.0 {
        if y != y.floor() {
            return Err(NumError::ComplexResult);
        }
        base = -base;
        negate_result = is_odd_integer(y);
    }
    if base == 1.0 {
        return Ok(if negate_result { -1.0 } else { 1.0 });
    }
    let result = base.powf(y);
    if result.is_infinite() {
        // libm reports ERANGE here, which CPython turns into this message.
        return Err(NumError::overflow("(34, 'Numerical result out of range')"));
    }
    Ok(if negate_result { -result } else { result })
}

// ---------------------------------------------------------------- to int

/// `int(x)`: truncation toward zero, exact even for huge floats.
pub fn float_to_int(x: f64) -> Result<IntValue, NumError> {
    if x.is_nan() {
        return Err(NumError::value("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(NumError::overflow(
            "cannot convert float infinity to integer",
        ));
    }
    let truncated = x.trunc();
    // 2**63 is exactly representable; anything strictly inside fits an i64.
    if truncated.abs() < 9.223_372_036_854_776e18 {
        return Ok(IntValue::Small(truncated as i64));
    }
    let (mantissa, exponent) = decompose(truncated.abs());
    // |x| >= 2**63 means the exponent is positive: the value is an integer.
    let mut magnitude = BigInt::from(mantissa) << (exponent as usize);
    if truncated < 0.0 {
        magnitude = -magnitude;
    }
    Ok(IntValue::Big(magnitude))
}

/// `x.is_integer()`.
pub fn float_is_integer(x: f64) -> bool {
    x.is_finite() && x == x.floor()
}

/// Splits a finite, non-zero, non-negative double into `mantissa * 2**exponent`
/// with an integer mantissa.
pub(crate) fn decompose(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let biased_exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    if biased_exponent == 0 {
        (fraction, -1074) // subnormal
    } else {
        (fraction | (1u64 << 52), biased_exponent - 1075)
    }
}

// ---------------------------------------------------------------- round

/// `round(x)`: to the nearest integer, ties to even (`round(0.5) == 0`,
/// `round(1.5) == 2`).
pub fn float_round_to_int(x: f64) -> Result<IntValue, NumError> {
    float_to_int(x.round_ties_even())
}

/// `round(x, ndigits)`: correctly rounded to `ndigits` decimal places,
/// ties to even on the exact binary value, as CPython does by going through
/// a correctly rounded decimal string. `ndigits` may be negative.
pub fn float_round(x: f64, ndigits: i64) -> Result<f64, NumError> {
    // Beyond these bounds the answer is fixed: 0.30103 > log10(2).
    const MOST_DIGITS: i64 = 323; // (53 + 1021) * 0.30103
    const FEWEST_DIGITS: i64 = -308; // -(1025 * 0.30103)
    if !x.is_finite() || ndigits > MOST_DIGITS {
        return Ok(x);
    }
    if ndigits < FEWEST_DIGITS {
        return Ok(0.0 * x);
    }
    if x == 0.0 || (ndigits >= 0 && x == x.trunc()) {
        return Ok(x); // an integer already has no digits to lose
    }
    let rounded_digits = round_scaled_half_even(x.abs(), ndigits as i32);
    let mut text = rounded_digits;
    let _ = write!(text, "e{}", -ndigits);
    let magnitude: f64 = text.parse().unwrap_or(f64::INFINITY);
    if magnitude.is_infinite() {
        return Err(NumError::overflow("rounded value too large to represent"));
    }
    Ok(magnitude.copysign(x))
}

/// The decimal digits of `round_half_even(x * 10**ndigits)`, computed
/// exactly. `x` is finite and positive.
fn round_scaled_half_even(x: f64, ndigits: i32) -> String {
    let (mantissa, exponent) = decompose(x);
    // x * 10**ndigits == numerator / denominator, all integers.
    if (0..=22).contains(&ndigits) && (-126..0).contains(&exponent) {
        // Fits in u128: mantissa < 2**53 and 10**22 < 2**74.
        let numerator = mantissa as u128 * 10u128.pow(ndigits as u32);
        let denominator = 1u128 << (-exponent);
        let mut quotient = numerator / denominator;
        let twice_remainder = (numerator % denominator) * 2;
        if twice_remainder > denominator || (twice_remainder == denominator && quotient % 2 == 1) {
            quotient += 1;
        }
        return quotient.to_string();
    }
    let ten = BigInt::from(10u32);
    let mut numerator = BigInt::from(mantissa);
    let mut denominator = BigInt::one();
    if exponent >= 0 {
        numerator <<= exponent as usize;
    } else {
        denominator <<= (-exponent) as usize;
    }
    if ndigits >= 0 {
        numerator *= num_traits::pow(ten, ndigits as usize);
    } else {
        denominator *= num_traits::pow(ten, (-ndigits) as usize);
    }
    let mut quotient = &numerator / &denominator;
    let twice_remainder: BigInt = (&numerator - &quotient * &denominator) * 2u32;
    let odd = !(&quotient % 2u32).is_zero();
    if twice_remainder > denominator || (twice_remainder == denominator && odd) {
        quotient += 1u32;
    }
    quotient.to_string()
}

#[cfg(test)]
#[path = "float_tests.rs"]
mod tests;
