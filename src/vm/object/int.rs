//! Python's `int`: arbitrary precision with a fast `i64` path.
//!
//! Python has one integer type of unlimited size. apy keeps small values in
//! an `i64` and promotes to `num_bigint::BigInt` only when a result does not
//! fit, so every operation comes in two flavours here:
//!
//! - an `i64` fast path that returns `None` (or `Ok(None)`) on overflow,
//!   telling the caller to redo the operation on `BigInt`s;
//! - a `BigInt` slow path that always succeeds (or fails as CPython does).
//!
//! The caller turns `BigInt` results back into small ints with
//! [`normalize`], so a value that fits an `i64` is always stored as one.
//!
//! Python's rules that differ from Rust's: `//` and `%` round toward minus
//! infinity (`-7 // 2 == -4`, `-7 % 2 == 1`); `/` gives a correctly rounded
//! float even for huge ints; `**` with a negative exponent gives a float;
//! bitwise operators act as if negative numbers had infinitely many leading
//! one bits (two's complement), which `BigInt`'s operators also do.

use std::borrow::Cow;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::float::float_pow;
use super::num_error::NumError;
use super::str_repr::str_repr;
use super::unicode;

/// An integer in the form apy stores it: small when it fits an `i64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntValue {
    Small(i64),
    Big(BigInt),
}

impl IntValue {
    /// The value as a `BigInt` (allocates for small values).
    pub fn to_bigint(&self) -> BigInt {
        match self {
            IntValue::Small(n) => BigInt::from(*n),
            IntValue::Big(n) => n.clone(),
        }
    }

    pub fn is_negative(&self) -> bool {
        match self {
            IntValue::Small(n) => *n < 0,
            IntValue::Big(n) => n.is_negative(),
        }
    }
}

impl std::fmt::Display for IntValue {
    /// Decimal digits with no size limit; see [`int_to_decimal_string`] for
    /// the checked version `str()` must use.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntValue::Small(n) => write!(f, "{}", n),
            IntValue::Big(n) => write!(f, "{}", n),
        }
    }
}

/// Stores a `BigInt` result small when it fits in an `i64`.
pub fn normalize(value: BigInt) -> IntValue {
    match value.to_i64() {
        Some(small) => IntValue::Small(small),
        None => IntValue::Big(value),
    }
}

// ---------------------------------------------------------------- + - * neg abs

// The simple operators need no Python-specific rule, only overflow
// detection: these return `None` when the result leaves the i64 range, and
// the slow path is `BigInt`'s own operator followed by `normalize`.

/// `a + b` for small ints; `None` on overflow.
#[inline]
pub fn add_i64(a: i64, b: i64) -> Option<i64> {
    a.checked_add(b)
}

/// `a - b` for small ints; `None` on overflow.
#[inline]
pub fn sub_i64(a: i64, b: i64) -> Option<i64> {
    a.checked_sub(b)
}

/// `a * b` for small ints; `None` on overflow.
#[inline]
pub fn mul_i64(a: i64, b: i64) -> Option<i64> {
    a.checked_mul(b)
}

/// `-a` for a small int; `None` only for `-(-2**63)`.
#[inline]
pub fn neg_i64(a: i64) -> Option<i64> {
    a.checked_neg()
}

/// `abs(a)` for a small int; `None` only for `abs(-2**63)`.
#[inline]
pub fn abs_i64(a: i64) -> Option<i64> {
    a.checked_abs()
}

// ---------------------------------------------------------------- parsing

/// CPython 3.11 refuses to convert between `int` and decimal strings of
/// more digits than this (a guard against quadratic-time attacks); the
/// limit applies to every base that is not a power of two.
pub const MAX_STR_DIGITS: usize = 4300;

/// `int(text, base)`. `base` is 0 (auto-detect from a `0x`/`0o`/`0b`
/// prefix) or 2..=36. Errors are all `ValueError`s with CPython's message,
/// e.g. `invalid literal for int() with base 10: 'abc'`.
pub fn parse_int(text: &str, base: i64) -> Result<IntValue, NumError> {
    if base != 0 && !(2..=36).contains(&base) {
        return Err(NumError::value("int() base must be >= 2 and <= 36, or 0"));
    }
    let invalid = || {
        let mut shown = str_repr(text);
        if let Some((cut, _)) = shown.char_indices().nth(200) {
            shown.truncate(cut); // CPython's `%.200R` cuts the repr itself
        }
        NumError::Value(Cow::Owned(format!(
            "invalid literal for int() with base {}: {}",
            base, shown
        )))
    };
    // CPython first maps other scripts' digits to ASCII and other
    // whitespace to spaces; anything else non-ASCII can never be valid.
    let translated: Cow<str> = if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        let mut ascii = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                ascii.push(c);
            } else if let Some(value) = unicode::decimal_digit_value(c) {
                ascii.push((b'0' + value) as char);
            } else if unicode::is_python_whitespace(c) {
                ascii.push(' ');
            } else {
                return Err(invalid());
            }
        }
        Cow::Owned(ascii)
    };
    let bytes = translated.as_bytes();
    let is_space = |b: u8| matches!(b, b'\t'..=b'\r' | 0x1c..=b' ');
    let mut position = 0;
    while position < bytes.len() && is_space(bytes[position]) {
        position += 1;
    }
    let mut negative = false;
    match bytes.get(position) {
        Some(b'+') => position += 1,
        Some(b'-') => {
            negative = true;
            position += 1;
        }
        _ => {}
    }
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0).to_ascii_lowercase();
    let mut radix = base as u32;
    let mut only_zero_allowed = false;
    if radix == 0 {
        radix = match (at(position), at(position + 1)) {
            (b'0', b'x') => 16,
            (b'0', b'o') => 8,
            (b'0', b'b') => 2,
            (b'0', _) => {
                // "010" was C-style octal; Python 3 allows only zeros here.
                only_zero_allowed = true;
                10
            }
            _ => 10,
        };
    }
    if at(position) == b'0'
        && matches!(
            (radix, at(position + 1)),
            (16, b'x') | (8, b'o') | (2, b'b')
        )
    {
        position += 2;
        if at(position) == b'_' {
            position += 1; // one underscore may follow the prefix
        }
    }
    if at(position) == b'_' {
        return Err(invalid());
    }
    // Scan the digits, checking the underscore rules as we go.
    let digits_start = position;
    let mut digit_count = 0usize;
    let mut has_underscore = false;
    let mut previous_was_underscore = false;
    let mut small: Option<i64> = Some(0);
    while position < bytes.len() {
        let byte = bytes[position];
        if byte == b'_' {
            if previous_was_underscore {
                return Err(invalid());
            }
            previous_was_underscore = true;
            has_underscore = true;
            position += 1;
            continue;
        }
        let digit = match (byte as char).to_digit(36) {
            Some(d) if d < radix => d,
            _ => break,
        };
        previous_was_underscore = false;
        digit_count += 1;
        small = small
            .and_then(|n| n.checked_mul(radix as i64))
            .and_then(|n| n.checked_add(digit as i64));
        position += 1;
    }
    let digits_end = position;
    if previous_was_underscore || digit_count == 0 {
        return Err(invalid());
    }
    while position < bytes.len() && is_space(bytes[position]) {
        position += 1;
    }
    if position != bytes.len() {
        return Err(invalid());
    }
    if only_zero_allowed
        && bytes[digits_start..digits_end]
            .iter()
            .any(|&b| b != b'0' && b != b'_')
    {
        return Err(invalid());
    }
    if !radix.is_power_of_two() && digit_count > MAX_STR_DIGITS {
        return Err(NumError::Value(Cow::Owned(format!(
            "Exceeds the limit ({} digits) for integer string conversion: value has {} digits; \
             use sys.set_int_max_str_digits() to increase the limit",
            MAX_STR_DIGITS, digit_count
        ))));
    }
    if let Some(n) = small {
        return Ok(IntValue::Small(if negative { -n } else { n }));
    }
    let digits = &bytes[digits_start..digits_end];
    let magnitude = if has_underscore {
        let cleaned: Vec<u8> = digits.iter().copied().filter(|&b| b != b'_').collect();
        BigInt::parse_bytes(&cleaned, radix)
    } else {
        BigInt::parse_bytes(digits, radix)
    }
    .ok_or_else(invalid)?;
    Ok(normalize(if negative { -magnitude } else { magnitude }))
}

// ---------------------------------------------------------------- to text

/// `str(n)` for a big int, with CPython 3.11's 4300-digit limit
/// (`ValueError: Exceeds the limit (4300 digits) for integer string
/// conversion; use sys.set_int_max_str_digits() to increase the limit`).
pub fn int_to_decimal_string(value: &BigInt) -> Result<String, NumError> {
    let too_long = || {
        NumError::Value(Cow::Owned(format!(
            "Exceeds the limit ({} digits) for integer string conversion; \
             use sys.set_int_max_str_digits() to increase the limit",
            MAX_STR_DIGITS
        )))
    };
    // A value of b bits has at least (b - 1) * log10(2) + 1 digits: refuse
    // hopeless cases before spending quadratic time on them.
    if value.bits() > 14_290 {
        return Err(too_long());
    }
    let text = value.to_string();
    let digit_count = text.len() - usize::from(value.is_negative());
    if digit_count > MAX_STR_DIGITS {
        return Err(too_long());
    }
    Ok(text)
}

/// `bin(n)`, `oct(n)`, `hex(n)` for radix 2, 8 and 16: `-0x1f`.
pub fn int_to_prefixed_radix(value: &IntValue, radix: u32) -> String {
    let prefix = match radix {
        2 => "0b",
        8 => "0o",
        16 => "0x",
        _ => "",
    };
    let mut out = String::new();
    if value.is_negative() {
        out.push('-');
    }
    out.push_str(prefix);
    push_magnitude_radix(&mut out, value, radix, false);
    out
}

/// Appends the digits of `|value|` in `radix` (2..=36), lower case unless
/// `upper_case`. Used by `bin`/`oct`/`hex` and by format specs.
pub fn push_magnitude_radix(out: &mut String, value: &IntValue, radix: u32, upper_case: bool) {
    let start = out.len();
    match value {
        IntValue::Small(n) => {
            let mut magnitude = n.unsigned_abs();
            if magnitude == 0 {
                out.push('0');
                return;
            }
            let mut buffer = [0u8; 64];
            let mut position = buffer.len();
            while magnitude > 0 {
                position -= 1;
                let digit = (magnitude % radix as u64) as u8;
                buffer[position] = if digit < 10 {
                    b'0' + digit
                } else {
                    b'a' + digit - 10
                };
                magnitude /= radix as u64;
            }
            out.push_str(std::str::from_utf8(&buffer[position..]).unwrap_or(""));
        }
        IntValue::Big(n) => out.push_str(&n.magnitude().to_str_radix(radix)),
    }
    if upper_case {
        out[start..].make_ascii_uppercase();
    }
}

// ---------------------------------------------------------------- division

const DIVISION_BY_ZERO: &str = "integer division or modulo by zero";
const MODULO_BY_ZERO: &str = "integer modulo by zero";

/// `a // b` for small ints. `Ok(None)` means the result overflows an
/// `i64` (only `i64::MIN // -1`): redo it with [`floor_div_bigint`].
pub fn floor_div_i64(a: i64, b: i64) -> Result<Option<i64>, NumError> {
    if b == 0 {
        return Err(NumError::zero_division(DIVISION_BY_ZERO));
    }
    Ok(a.checked_div(b).map(|quotient| {
        // Rust truncates toward zero; Python floors.
        if (a % b != 0) && ((a < 0) != (b < 0)) {
            quotient - 1
        } else {
            quotient
        }
    }))
}

/// `a % b` for small ints: the result has the sign of `b`. Never overflows.
pub fn mod_i64(a: i64, b: i64) -> Result<i64, NumError> {
    if b == 0 {
        return Err(NumError::zero_division(MODULO_BY_ZERO));
    }
    let remainder = a.checked_rem(b).unwrap_or(0); // i64::MIN % -1 == 0
    Ok(if remainder != 0 && ((remainder < 0) != (b < 0)) {
        remainder + b
    } else {
        remainder
    })
}

/// `divmod(a, b)` for small ints; `Ok(None)` on overflow as for `//`.
pub fn divmod_i64(a: i64, b: i64) -> Result<Option<(i64, i64)>, NumError> {
    if b == 0 {
        return Err(NumError::zero_division(DIVISION_BY_ZERO));
    }
    let quotient = floor_div_i64(a, b)?;
    Ok(quotient.map(|q| (q, mod_i64(a, b).unwrap_or(0))))
}

/// `a // b` for big ints.
pub fn floor_div_bigint(a: &BigInt, b: &BigInt) -> Result<BigInt, NumError> {
    if b.is_zero() {
        return Err(NumError::zero_division(DIVISION_BY_ZERO));
    }
    Ok(a.div_floor(b))
}

/// `a % b` for big ints.
pub fn mod_bigint(a: &BigInt, b: &BigInt) -> Result<BigInt, NumError> {
    if b.is_zero() {
        return Err(NumError::zero_division(MODULO_BY_ZERO));
    }
    Ok(a.mod_floor(b))
}

/// `divmod(a, b)` for big ints.
pub fn divmod_bigint(a: &BigInt, b: &BigInt) -> Result<(BigInt, BigInt), NumError> {
    if b.is_zero() {
        return Err(NumError::zero_division(DIVISION_BY_ZERO));
    }
    Ok(a.div_mod_floor(b))
}

// ---------------------------------------------------------------- to float

const TOO_LARGE_FOR_FLOAT: &str = "int too large to convert to float";

/// `float(n)` for a big int: correctly rounded (ties to even), or
/// `OverflowError: int too large to convert to float`.
pub fn bigint_to_f64(value: &BigInt) -> Result<f64, NumError> {
    let magnitude = value.magnitude();
    let bits = magnitude.bits();
    let result = if bits <= 64 {
        magnitude.to_u64().unwrap_or(0) as f64
    } else {
        // Keep the top 64 bits plus a sticky bit for everything below them;
        // the u64 -> f64 conversion then rounds exactly as the full value
        // would, and scaling by a power of two is exact.
        let shift = bits - 64;
        let top = (magnitude >> shift).to_u64().unwrap_or(0);
        let sticky = u64::from(magnitude.trailing_zeros().unwrap_or(0) < shift);
        scale_by_power_of_two((top | sticky) as f64, shift as i64)
    };
    if result.is_infinite() {
        return Err(NumError::overflow(TOO_LARGE_FOR_FLOAT));
    }
    Ok(if value.is_negative() { -result } else { result })
}

/// `x * 2**exponent` without intermediate overflow (like C's `ldexp`), for
/// the exponents this module needs.
fn scale_by_power_of_two(mut x: f64, mut exponent: i64) -> f64 {
    while exponent > 1000 {
        x *= 2f64.powi(1000);
        exponent -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while exponent < -1000 {
        x *= 2f64.powi(-1000);
        exponent += 1000;
    }
    x * 2f64.powi(exponent as i32)
}

/// Converts either form of int to a float (small ints are exact up to
/// 2**53 and correctly rounded beyond).
pub fn int_to_f64(value: &IntValue) -> Result<f64, NumError> {
    match value {
        IntValue::Small(n) => Ok(*n as f64),
        IntValue::Big(n) => bigint_to_f64(n),
    }
}

/// `a / b` for small ints: a correctly rounded float.
pub fn true_div_i64(a: i64, b: i64) -> Result<f64, NumError> {
    if b == 0 {
        return Err(NumError::zero_division("division by zero"));
    }
    const EXACT: u64 = 1 << 53;
    if a.unsigned_abs() <= EXACT && b.unsigned_abs() <= EXACT {
        // Both convert exactly, and IEEE division rounds correctly.
        return Ok(a as f64 / b as f64);
    }
    true_div_bigint(&BigInt::from(a), &BigInt::from(b))
}

/// `a / b` for any ints: CPython's `long_true_divide`, correctly rounded,
/// or `OverflowError: integer division result too large for a float`.
pub fn true_div_bigint(a: &BigInt, b: &BigInt) -> Result<f64, NumError> {
    if b.is_zero() {
        return Err(NumError::zero_division("division by zero"));
    }
    let negate = a.is_negative() != b.is_negative();
    let signed = |x: f64| if negate { -x } else { x };
    let numerator = a.magnitude();
    let denominator = b.magnitude();
    if numerator.is_zero() {
        return Ok(signed(0.0));
    }
    const MANTISSA_BITS: i64 = 53;
    const MIN_EXPONENT: i64 = -1021; // C's DBL_MIN_EXP
    const MAX_EXPONENT: i64 = 1024; // C's DBL_MAX_EXP
    let overflow = || NumError::overflow("integer division result too large for a float");
    let bit_difference = numerator.bits() as i64 - denominator.bits() as i64;
    if bit_difference > MAX_EXPONENT {
        return Err(overflow());
    }
    if bit_difference < MIN_EXPONENT - MANTISSA_BITS - 1 {
        return Ok(signed(0.0));
    }
    // Scale so the integer quotient has 55 or 56 bits (53 for the mantissa
    // plus guard bits), or fewer for a subnormal result.
    let shift = bit_difference.max(MIN_EXPONENT) - MANTISSA_BITS - 2;
    let mut inexact = false;
    let scaled = if shift <= 0 {
        numerator << ((-shift) as u64)
    } else {
        let kept = numerator >> (shift as u64);
        inexact = numerator.trailing_zeros().unwrap_or(0) < shift as u64;
        kept
    };
    let (quotient, remainder) = scaled.div_rem(denominator);
    if !remainder.is_zero() {
        inexact = true;
    }
    // The quotient has at most 56 bits, so the rounding is plain u64 work.
    let quotient = quotient.to_u64().unwrap_or(0);
    let quotient_bits = 64 - i64::from(quotient.leading_zeros());
    let extra_bits = quotient_bits.max(MIN_EXPONENT - shift) - MANTISSA_BITS;
    // Round half to even on the `extra_bits` low bits; `inexact` acts as a
    // sticky bit for everything already discarded.
    let mask = 1u64 << (extra_bits - 1);
    let low = quotient | u64::from(inexact);
    let mut rounded = quotient;
    if (low & mask) != 0 && (low & (3 * mask - 1)) != 0 {
        rounded += mask;
    }
    rounded &= !(2 * mask - 1);
    let mantissa = rounded as f64; // exact: at most 54 significant bits
    if shift + quotient_bits >= MAX_EXPONENT
        && (shift + quotient_bits > MAX_EXPONENT || mantissa == 2f64.powi(quotient_bits as i32))
    {
        return Err(overflow());
    }
    Ok(signed(scale_by_power_of_two(mantissa, shift)))
}

// ---------------------------------------------------------------- power

/// The result of `**` on ints: an int, or a float when the exponent is
/// negative (`2 ** -1 == 0.5`).
#[derive(Debug, Clone, PartialEq)]
pub enum PowResult {
    Int(IntValue),
    Float(f64),
}

/// `base ** exponent` for small ints with `exponent >= 0`; `None` when the
/// result overflows an `i64`.
pub fn pow_i64(base: i64, exponent: i64) -> Option<i64> {
    debug_assert!(exponent >= 0);
    match base {
        0 => Some(i64::from(exponent == 0)),
        1 => Some(1),
        -1 => Some(if exponent % 2 == 0 { 1 } else { -1 }),
        _ => u32::try_from(exponent)
            .ok()
            .and_then(|e| base.checked_pow(e)),
    }
}

/// Results above this many bits are refused with `MemoryError` instead of
/// being computed for minutes (CPython would try, and usually fail).
const MAX_RESULT_BITS: u64 = 1 << 32;

/// `base ** exponent` for any ints (two-argument `pow`).
pub fn int_pow(base: &IntValue, exponent: &IntValue) -> Result<PowResult, NumError> {
    if exponent.is_negative() {
        // CPython hands the whole operation to float's `**`.
        let x = int_to_f64(base)?;
        let y = int_to_f64(exponent)?;
        return float_pow(x, y).map(PowResult::Float);
    }
    if let (IntValue::Small(b), IntValue::Small(e)) = (base, exponent) {
        if let Some(result) = pow_i64(*b, *e) {
            return Ok(PowResult::Int(IntValue::Small(result)));
        }
    }
    let base = base.to_bigint();
    if base.is_zero() || base.magnitude().is_one() {
        let odd = match exponent {
            IntValue::Small(e) => e % 2 != 0,
            IntValue::Big(e) => e.is_odd(),
        };
        let result = if base.is_zero() {
            // 0 ** 0 == 1 was handled by the small path unless it was big.
            BigInt::zero()
        } else if base.is_negative() && odd {
            -BigInt::one()
        } else {
            BigInt::one()
        };
        return Ok(PowResult::Int(normalize(result)));
    }
    let exponent = match exponent {
        IntValue::Small(e) => *e as u64,
        IntValue::Big(_) => return Err(NumError::Memory),
    };
    if base.bits().saturating_mul(exponent) > MAX_RESULT_BITS {
        return Err(NumError::Memory);
    }
    Ok(PowResult::Int(normalize(num_traits::pow(
        base,
        exponent as usize,
    ))))
}

/// Three-argument `pow(base, exponent, modulus)`. A negative exponent
/// means "modular inverse first" (Python 3.8+).
pub fn int_pow_mod(
    base: &BigInt,
    exponent: &BigInt,
    modulus: &BigInt,
) -> Result<IntValue, NumError> {
    if modulus.is_zero() {
        return Err(NumError::value("pow() 3rd argument cannot be 0"));
    }
    let negative_modulus = modulus.is_negative();
    let modulus_magnitude = modulus.abs();
    if modulus_magnitude.is_one() {
        return Ok(IntValue::Small(0));
    }
    let mut base = base.mod_floor(&modulus_magnitude);
    let mut exponent = exponent.clone();
    if exponent.is_negative() {
        exponent = -exponent;
        base = modular_inverse(&base, &modulus_magnitude)
            .ok_or_else(|| NumError::value("base is not invertible for the given modulus"))?;
    }
    let mut result = base.modpow(&exponent, &modulus_magnitude);
    if negative_modulus && !result.is_zero() {
        result -= &modulus_magnitude; // the result takes the modulus's sign
    }
    Ok(normalize(result))
}

/// `x` such that `a * x % m == 1`, for `0 <= a < m`, by the extended
/// Euclidean algorithm.
fn modular_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let extended = a.extended_gcd(m);
    if !extended.gcd.is_one() {
        return None;
    }
    Some(extended.x.mod_floor(m))
}

// ---------------------------------------------------------------- round

/// `round(n, ndigits)` for an int: unchanged for `ndigits >= 0`, else
/// rounded to a multiple of `10**-ndigits`, ties to even
/// (`round(1250, -2) == 1200`, `round(15, -1) == 20`).
pub fn int_round(value: &BigInt, ndigits: i64) -> BigInt {
    if ndigits >= 0 || value.is_zero() {
        return value.clone();
    }
    // 10**k > 2 * |value| rounds everything to zero (no tie is possible):
    // skip computing an enormous power of ten.
    let places = ndigits.unsigned_abs();
    if places > (value.bits() / 3 + 2) {
        return BigInt::zero();
    }
    let unit = num_traits::pow(BigInt::from(10u32), places as usize);
    let (quotient, remainder) = value.div_mod_floor(&unit);
    // Round the floored quotient to nearest, ties to even (`divmod_near`).
    let twice_remainder: BigInt = &remainder * 2u32;
    let round_up = twice_remainder > unit || (twice_remainder == unit && quotient.is_odd());
    let rounded = if round_up { quotient + 1u32 } else { quotient };
    rounded * unit
}

// ---------------------------------------------------------------- shifts

const NEGATIVE_SHIFT: &str = "negative shift count";

/// `a << n` for small ints; `Ok(None)` when the result needs a `BigInt`.
pub fn shl_i64(a: i64, n: i64) -> Result<Option<i64>, NumError> {
    if n < 0 {
        return Err(NumError::value(NEGATIVE_SHIFT));
    }
    if a == 0 {
        return Ok(Some(0));
    }
    if n >= 63 {
        return Ok(None);
    }
    let shifted = a << n;
    Ok(if shifted >> n == a {
        Some(shifted)
    } else {
        None
    })
}

/// `a >> n` for small ints: floors, so `-1 >> 5 == -1`.
pub fn shr_i64(a: i64, n: i64) -> Result<i64, NumError> {
    if n < 0 {
        return Err(NumError::value(NEGATIVE_SHIFT));
    }
    Ok(a >> n.min(63))
}

/// `a << n` for big ints.
pub fn shl_bigint(a: &BigInt, n: &IntValue) -> Result<BigInt, NumError> {
    let count = match n {
        IntValue::Small(count) if *count < 0 => return Err(NumError::value(NEGATIVE_SHIFT)),
        IntValue::Small(count) => *count as u64,
        IntValue::Big(count) if count.is_negative() => return Err(NumError::value(NEGATIVE_SHIFT)),
        IntValue::Big(_) if a.is_zero() => 0,
        IntValue::Big(_) => return Err(NumError::Memory),
    };
    if a.is_zero() {
        return Ok(BigInt::zero());
    }
    if a.bits().saturating_add(count) > MAX_RESULT_BITS {
        return Err(NumError::Memory);
    }
    Ok(a << count)
}

/// `a >> n` for big ints (floors like Python).
pub fn shr_bigint(a: &BigInt, n: &IntValue) -> Result<BigInt, NumError> {
    let count = match n {
        IntValue::Small(count) if *count < 0 => return Err(NumError::value(NEGATIVE_SHIFT)),
        IntValue::Small(count) => *count as u64,
        IntValue::Big(count) if count.is_negative() => return Err(NumError::value(NEGATIVE_SHIFT)),
        IntValue::Big(_) => u64::MAX,
    };
    if count >= a.bits() {
        return Ok(if a.is_negative() {
            -BigInt::one()
        } else {
            BigInt::zero()
        });
    }
    // BigInt's `>>` rounds toward minus infinity, as Python's does.
    Ok(a >> count)
}

// ---------------------------------------------------------------- bits

/// `n.bit_length()`.
pub fn bit_length_i64(n: i64) -> u32 {
    64 - n.unsigned_abs().leading_zeros()
}

/// `n.bit_length()` for big ints.
pub fn bit_length_bigint(n: &BigInt) -> u64 {
    n.bits()
}

/// `~n` for big ints (`-n - 1`); the small case is Rust's `!n`.
pub fn invert_bigint(n: &BigInt) -> BigInt {
    -n - 1u32
}

// `a & b`, `a | b`, `a ^ b` need no function here: `BigInt`'s operators
// already treat negative numbers as infinite two's complement, exactly as
// Python does (the vectors check it), and i64's operators do the same.

#[cfg(test)]
#[path = "int_tests.rs"]
mod tests;
