//! Python's format-spec mini-language: the part after the colon in
//! `f"{x:>10,.2f}"` and `format(x, ">10,.2f")`.
//!
//! The grammar is `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
//! Parsing is shared by every type; applying a spec depends on the value:
//!
//! - strings accept only `s` (or no type), and precision truncates;
//! - ints accept `b c d o x X n` (and the float types, converting first);
//! - floats accept `e E f F g G n %`, and no type, which means "like `repr`,
//!   or like `g` with at least one digit after the point if a precision is
//!   given".
//!
//! Numbers are laid out as CPython's `formatter_unicode.c` does:
//! `<left padding><sign><prefix><sign padding><grouped digits><.><rest><right padding>`,
//! and a `0` before the width pads with zeros *inside* the grouping
//! (`format(1234, '010,')` is `'00,001,234'`). Float digits come from Rust's
//! correctly rounded formatting and are laid out by a copy of CPython's
//! `format_float_short`. Errors carry CPython's messages (see each function).

use std::borrow::Cow;
use std::fmt::Write as _;

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use super::object::int::{bigint_to_f64, push_magnitude_radix, IntValue};
use super::object::num_error::NumError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// `<`
    Left,
    /// `>`
    Right,
    /// `^`
    Center,
    /// `=`: padding goes between the sign and the digits.
    AfterSign,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// `-` (the default): a sign only for negative numbers.
    Minus,
    /// `+`: always a sign.
    Plus,
    /// ` `: a space for non-negative numbers.
    Space,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// `,` every three digits.
    Comma,
    /// `_` every three digits, or every four for `b o x X`.
    Underscore,
}

/// A parsed format spec. Defaults that depend on the value's type (the
/// alignment, what `0` means) are resolved when the spec is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    /// The explicit fill character, if one was given before an alignment.
    pub fill: Option<char>,
    pub align: Option<Align>,
    /// `None` when no sign option was written (strings care).
    pub sign: Option<Sign>,
    /// `z`: turn a negative zero result into a positive one (floats).
    pub no_negative_zero: bool,
    /// `#`: the alternate form (`0x` prefixes, keep the decimal point).
    pub alternate: bool,
    /// A `0` right before the width: zero padding after the sign.
    pub zero_padding: bool,
    pub width: Option<usize>,
    pub grouping: Option<Grouping>,
    pub precision: Option<usize>,
    /// The presentation type (`d`, `f`, `s`, ...), if given.
    pub kind: Option<char>,
}

/// Why a spec failed to parse. The message of [`FormatSpecError::Invalid`]
/// names the value's type, so it is finished by [`FormatSpecError::into_error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatSpecError {
    /// Leftover characters: `Invalid format specifier '<spec>' for object of type '<type>'`.
    Invalid,
    /// Any other `ValueError`, message complete.
    Value(&'static str),
}

impl FormatSpecError {
    /// The `ValueError` to raise when formatting a value of `type_name`.
    pub fn into_error(self, spec: &str, type_name: &str) -> NumError {
        match self {
            FormatSpecError::Invalid => NumError::Value(Cow::Owned(format!(
                "Invalid format specifier '{}' for object of type '{}'",
                spec, type_name
            ))),
            FormatSpecError::Value(message) => NumError::Value(Cow::Borrowed(message)),
        }
    }
}

fn is_align(c: char) -> Option<Align> {
    match c {
        '<' => Some(Align::Left),
        '>' => Some(Align::Right),
        '^' => Some(Align::Center),
        '=' => Some(Align::AfterSign),
        _ => None,
    }
}

impl FormatSpec {
    /// The empty spec: everything at its default.
    pub const EMPTY: FormatSpec = FormatSpec {
        fill: None,
        align: None,
        sign: None,
        no_negative_zero: false,
        alternate: false,
        zero_padding: false,
        width: None,
        grouping: None,
        precision: None,
        kind: None,
    };

    /// Parses a spec (`parse_internal_render_format_spec`).
    pub fn parse(spec: &str) -> Result<FormatSpec, FormatSpecError> {
        let mut result = FormatSpec::EMPTY;
        // Specs are short: decode into a stack buffer when they fit.
        let mut buffer = ['\0'; 24];
        let heap: Vec<char>;
        let chars: &[char] = if spec.len() <= buffer.len() {
            let mut count = 0;
            for c in spec.chars() {
                buffer[count] = c;
                count += 1;
            }
            &buffer[..count]
        } else {
            heap = spec.chars().collect();
            &heap
        };
        let mut position = 0;
        let peek = |i: usize| chars.get(i).copied();
        if let Some(align) = peek(1).and_then(is_align) {
            result.fill = Some(chars[0]);
            result.align = Some(align);
            position = 2;
        } else if let Some(align) = peek(0).and_then(is_align) {
            result.align = Some(align);
            position = 1;
        }
        match peek(position) {
            Some('+') => result.sign = Some(Sign::Plus),
            Some('-') => result.sign = Some(Sign::Minus),
            Some(' ') => result.sign = Some(Sign::Space),
            _ => {}
        }
        if result.sign.is_some() {
            position += 1;
        }
        if peek(position) == Some('z') {
            result.no_negative_zero = true;
            position += 1;
        }
        if peek(position) == Some('#') {
            result.alternate = true;
            position += 1;
        }
        if result.fill.is_none() && peek(position) == Some('0') {
            result.zero_padding = true;
            position += 1;
        }
        result.width = read_integer(chars, &mut position)?;
        if peek(position) == Some(',') {
            result.grouping = Some(Grouping::Comma);
            position += 1;
        }
        if peek(position) == Some('_') {
            if result.grouping.is_some() {
                return Err(FormatSpecError::Value("Cannot specify both ',' and '_'."));
            }
            result.grouping = Some(Grouping::Underscore);
            position += 1;
        }
        if peek(position) == Some(',') && result.grouping == Some(Grouping::Underscore) {
            return Err(FormatSpecError::Value("Cannot specify both ',' and '_'."));
        }
        if peek(position) == Some('.') {
            position += 1;
            result.precision = read_integer(chars, &mut position)?;
            if result.precision.is_none() {
                return Err(FormatSpecError::Value("Format specifier missing precision"));
            }
        }
        match chars.len() - position {
            0 => {}
            1 => result.kind = Some(chars[position]),
            _ => return Err(FormatSpecError::Invalid),
        }
        Ok(result)
    }

    fn fill_char(&self) -> char {
        match self.fill {
            Some(fill) => fill,
            None if self.zero_padding => '0',
            None => ' ',
        }
    }

    /// The alignment in force for a value whose default is `default`:
    /// numbers (`Right`) turn a bare `0` flag into `=` alignment.
    fn resolved_align(&self, default: Align) -> Align {
        match self.align {
            Some(align) => align,
            None if self.zero_padding && default == Align::Right => Align::AfterSign,
            None => default,
        }
    }

    /// The `,`/`_` checks that CPython makes against the presentation type
    /// (`kind` is the type after applying the value's default).
    fn check_grouping(&self, kind: char) -> Result<Option<usize>, NumError> {
        let Some(grouping) = self.grouping else {
            return Ok(None);
        };
        match kind {
            'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0' => Ok(Some(3)),
            'b' | 'o' | 'x' | 'X' if grouping == Grouping::Underscore => Ok(Some(4)),
            _ => {
                let symbol = if grouping == Grouping::Comma {
                    ','
                } else {
                    '_'
                };
                Err(NumError::Value(Cow::Owned(format!(
                    "Cannot specify '{}' with {}.",
                    symbol,
                    quoted_code(kind)
                ))))
            }
        }
    }

    fn separator(&self) -> u8 {
        if self.grouping == Some(Grouping::Comma) {
            b','
        } else {
            b'_'
        }
    }
}

/// `'x'`, or `'\x80'` for codes CPython will not print as themselves.
fn quoted_code(kind: char) -> String {
    if (kind as u32) > 32 && (kind as u32) < 128 {
        format!("'{}'", kind)
    } else {
        format!("'\\x{:x}'", kind as u32)
    }
}

fn unknown_code(kind: char, type_name: &str) -> NumError {
    NumError::Value(Cow::Owned(format!(
        "Unknown format code {} for object of type '{}'",
        quoted_code(kind),
        type_name
    )))
}

/// Reads a decimal integer; `None` when there are no digits.
fn read_integer(chars: &[char], position: &mut usize) -> Result<Option<usize>, FormatSpecError> {
    let mut value: Option<usize> = None;
    while let Some(digit) = chars.get(*position).and_then(|c| c.to_digit(10)) {
        let next = value
            .unwrap_or(0)
            .checked_mul(10)
            .and_then(|v| v.checked_add(digit as usize))
            .filter(|&v| v <= i64::MAX as usize)
            .ok_or(FormatSpecError::Value(
                "Too many decimal digits in format string",
            ))?;
        value = Some(next);
        *position += 1;
    }
    Ok(value)
}

/// Widths and precisions beyond this are refused with `MemoryError`
/// instead of being attempted (`format(1, '99999999999')`).
pub const MAX_FIELD_SIZE: usize = 1 << 30;

fn check_size(spec: &FormatSpec) -> Result<(), NumError> {
    let too_big = |n: Option<usize>| n.is_some_and(|n| n > MAX_FIELD_SIZE);
    if too_big(spec.width) || too_big(spec.precision) {
        return Err(NumError::Memory);
    }
    Ok(())
}

fn push_fill(out: &mut String, fill: char, count: usize) {
    if count == 0 {
        return;
    }
    if fill.is_ascii() {
        let length = out.len() + count;
        // SAFETY: an ASCII byte is a whole UTF-8 character.
        unsafe { out.as_mut_vec() }.resize(length, fill as u8);
    } else {
        for _ in 0..count {
            out.push(fill);
        }
    }
}

// ---------------------------------------------------------------- strings

/// Applies a spec to a string (`format(s, spec)`, `f"{s:spec}"`).
/// Errors are `ValueError`s.
pub fn format_str_into(out: &mut String, value: &str, spec: &FormatSpec) -> Result<(), NumError> {
    let kind = spec.kind.unwrap_or('s');
    spec.check_grouping(kind)?;
    if kind != 's' {
        return Err(unknown_code(kind, "str"));
    }
    let refuse = |message: &'static str| Err(NumError::Value(Cow::Borrowed(message)));
    match spec.sign {
        Some(Sign::Space) => return refuse("Space not allowed in string format specifier"),
        Some(_) => return refuse("Sign not allowed in string format specifier"),
        None => {}
    }
    if spec.no_negative_zero {
        return refuse("Negative zero coercion (z) not allowed in string format specifier");
    }
    if spec.alternate {
        return refuse("Alternate form (#) not allowed in string format specifier");
    }
    let align = spec.resolved_align(Align::Left);
    if align == Align::AfterSign {
        return refuse("'=' alignment not allowed in string format specifier");
    }
    check_size(spec)?;
    // Lengths count characters (code points), not bytes.
    let mut shown = value;
    if let Some(precision) = spec.precision {
        if let Some((cut, _)) = value.char_indices().nth(precision) {
            shown = &value[..cut];
        }
    }
    let width = spec.width.unwrap_or(0);
    let length = if width == 0 {
        0
    } else if shown.is_ascii() {
        shown.len()
    } else {
        shown.chars().count()
    };
    pad_and_push(out, shown, length, width, align, spec.fill_char());
    Ok(())
}

fn pad_and_push(
    out: &mut String,
    text: &str,
    length: usize,
    width: usize,
    align: Align,
    fill: char,
) {
    let padding = width.saturating_sub(length);
    let left = match align {
        Align::Left => 0,
        Align::Center => padding / 2,
        _ => padding,
    };
    push_fill(out, fill, left);
    out.push_str(text);
    push_fill(out, fill, padding - left);
}

/// `format(s, spec)` from the spec's text.
pub fn format_str(value: &str, spec: &str) -> Result<String, NumError> {
    let parsed = FormatSpec::parse(spec).map_err(|e| e.into_error(spec, "str"))?;
    let mut out = String::with_capacity(value.len().max(parsed.width.unwrap_or(0)));
    format_str_into(&mut out, value, &parsed)?;
    Ok(out)
}

// ---------------------------------------------------------------- numbers

/// The pieces of a formatted number before padding.
struct NumberParts<'a> {
    negative: bool,
    /// `0x`, `0b`, `0o` (or upper case), only with `#`.
    prefix: &'static str,
    /// The integer digits, which get grouped.
    digits: &'a [u8],
    has_decimal_point: bool,
    /// Everything after the decimal point (fraction, exponent, `%`), or the
    /// text of `inf`/`nan`, or the character of `c`.
    remainder: &'a str,
}

/// Lays out a number: `calc_number_widths` plus `fill_number`.
fn write_number(
    out: &mut String,
    spec: &FormatSpec,
    parts: &NumberParts,
    group_size: Option<usize>,
) {
    let sign = match (parts.negative, spec.sign) {
        (true, _) => Some('-'),
        (false, Some(Sign::Plus)) => Some('+'),
        (false, Some(Sign::Space)) => Some(' '),
        (false, _) => None,
    };
    let fill = spec.fill_char();
    let align = spec.resolved_align(Align::Right);
    let fixed_length = usize::from(sign.is_some())
        + parts.prefix.len()
        + usize::from(parts.has_decimal_point)
        + parts.remainder.chars().count();
    let width = spec.width.unwrap_or(0);
    // Zero padding with `=` is done by the grouping, which then also
    // puts separators between the padding zeros.
    let min_width = if fill == '0' && align == Align::AfterSign {
        width as isize - fixed_length as isize
    } else {
        0
    };
    let grouping = if parts.digits.is_empty() {
        None
    } else {
        Some(plan_grouping(parts.digits.len(), group_size, min_width))
    };
    let grouped_length = grouping.map_or(0, |plan| plan.total_digits + plan.separators());
    let padding = width.saturating_sub(fixed_length + grouped_length);
    let (left, middle, right) = match align {
        Align::Left => (0, 0, padding),
        Align::Center => (padding / 2, 0, padding - padding / 2),
        Align::AfterSign => (0, padding, 0),
        Align::Right => (padding, 0, 0),
    };
    push_fill(out, fill, left);
    if let Some(sign) = sign {
        out.push(sign);
    }
    out.push_str(parts.prefix);
    push_fill(out, fill, middle);
    if let Some(plan) = grouping {
        write_grouped(out, parts.digits, plan, spec.separator());
    }
    if parts.has_decimal_point {
        out.push('.');
    }
    out.push_str(parts.remainder);
    push_fill(out, fill, right);
}

/// How the digits will be grouped: CPython's
/// `_PyUnicode_InsertThousandsGrouping` inserts a separator every
/// `group_size` digits counting from the right and, while `min_width` is
/// not reached, adds leading zeros (grouped like digits). Every group but
/// the leftmost is full, so the result is fixed by the total digit count
/// (zeros included) and the group size.
#[derive(Debug, Clone, Copy)]
struct GroupingPlan {
    total_digits: usize,
    group_size: Option<usize>,
}

impl GroupingPlan {
    fn separators(&self) -> usize {
        match self.group_size {
            Some(size) => (self.total_digits - 1) / size,
            None => 0,
        }
    }
}

fn plan_grouping(
    digit_count: usize,
    group_size: Option<usize>,
    mut min_width: isize,
) -> GroupingPlan {
    let mut remaining = digit_count as isize;
    let Some(size) = group_size else {
        let total = remaining.max(min_width).max(1) as usize;
        return GroupingPlan {
            total_digits: total,
            group_size: None,
        };
    };
    let mut total = 0;
    loop {
        let length = (size as isize).min(remaining.max(min_width).max(1));
        remaining -= remaining.min(length).max(0);
        min_width -= length;
        total += length as usize;
        if remaining <= 0 && min_width <= 0 {
            break;
        }
        min_width -= 1; // the separator's width
    }
    GroupingPlan {
        total_digits: total,
        group_size: Some(size),
    }
}

fn write_grouped(out: &mut String, digits: &[u8], plan: GroupingPlan, separator: u8) {
    debug_assert!(digits.is_ascii() && separator.is_ascii());
    let zeros = plan.total_digits - digits.len();
    // SAFETY: only ASCII bytes (digits, `0`, `,` or `_`) are appended.
    let bytes = unsafe { out.as_mut_vec() };
    bytes.reserve(plan.total_digits + plan.separators());
    // Digits left before the next separator: the leftmost group may be
    // short, every other group is full. (A countdown, not a division per
    // digit.)
    let group = plan.group_size.unwrap_or(usize::MAX);
    let mut until_separator = match plan.group_size {
        Some(size) => (plan.total_digits - 1) % size + 1,
        None => usize::MAX,
    };
    for position in 0..plan.total_digits {
        if until_separator == 0 {
            bytes.push(separator);
            until_separator = group;
        }
        until_separator -= 1;
        bytes.push(if position < zeros {
            b'0'
        } else {
            digits[position - zeros]
        });
    }
}

/// An int to format: either representation, borrowed.
#[derive(Debug, Clone, Copy)]
pub enum IntArg<'a> {
    Small(i64),
    Big(&'a BigInt),
}

impl<'a> From<&'a IntValue> for IntArg<'a> {
    fn from(value: &'a IntValue) -> Self {
        match value {
            IntValue::Small(n) => IntArg::Small(*n),
            IntValue::Big(n) => IntArg::Big(n),
        }
    }
}

/// Applies a spec to an int. `type_name` is `"int"` (or `"bool"`) for
/// error messages. The caller must use `str(value)` for an *empty* spec,
/// which only differs for bools (`format(True, '')` is `'True'`).
///
/// Errors: `ValueError` for bad specs; `OverflowError` for `c` out of
/// range and for float types on ints too large for a float.
pub fn format_int_into(
    out: &mut String,
    value: IntArg,
    spec: &FormatSpec,
    type_name: &str,
) -> Result<(), NumError> {
    let kind = spec.kind.unwrap_or('d');
    let group_size = spec.check_grouping(kind)?;
    match kind {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let as_float = match value {
                IntArg::Small(n) => n as f64,
                IntArg::Big(n) => bigint_to_f64(n)?,
            };
            return format_float_into(out, as_float, spec);
        }
        _ => return Err(unknown_code(kind, type_name)),
    }
    let refuse = |message: &'static str| Err(NumError::Value(Cow::Borrowed(message)));
    if spec.precision.is_some() {
        return refuse("Precision not allowed in integer format specifier");
    }
    if spec.no_negative_zero {
        return refuse("Negative zero coercion (z) not allowed in integer format specifier");
    }
    check_size(spec)?;
    if kind == 'c' {
        if spec.sign.is_some() {
            return refuse("Sign not allowed with integer format specifier 'c'");
        }
        if spec.alternate {
            return refuse("Alternate form (#) not allowed with integer format specifier 'c'");
        }
        let code = match value {
            IntArg::Small(n) => n,
            IntArg::Big(n) => n
                .to_i64()
                .ok_or_else(|| NumError::overflow("Python int too large to convert to C long"))?,
        };
        let character = u32::try_from(code)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| NumError::overflow("%c arg not in range(0x110000)"))?;
        let mut text = [0u8; 4];
        let parts = NumberParts {
            negative: false,
            prefix: "",
            digits: &[],
            has_decimal_point: false,
            remainder: character.encode_utf8(&mut text),
        };
        write_number(out, spec, &parts, None);
        return Ok(());
    }
    let (radix, prefix) = match kind {
        'b' => (2, "0b"),
        'o' => (8, "0o"),
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        _ => (10, ""),
    };
    let negative = match value {
        IntArg::Small(n) => n < 0,
        IntArg::Big(n) => n.is_negative(),
    };
    // Fast path for the common `{n}` / `{n:d}` / `{n:x}`: nothing to pad.
    if spec.width.is_none() && group_size.is_none() && spec.sign.is_none() && kind != 'n' {
        if negative {
            out.push('-');
        }
        if spec.alternate {
            out.push_str(prefix);
        }
        push_int_digits(out, value, radix, kind == 'X');
        return Ok(());
    }
    let mut small_digits = [0u8; 20];
    let mut digits_text = String::new();
    let digits: &[u8] = match value {
        IntArg::Small(n) if radix == 10 => decimal_digits(n.unsigned_abs(), &mut small_digits),
        _ => {
            push_int_digits(&mut digits_text, value, radix, kind == 'X');
            digits_text.as_bytes()
        }
    };
    let parts = NumberParts {
        negative,
        prefix: if spec.alternate { prefix } else { "" },
        digits,
        has_decimal_point: false,
        remainder: "",
    };
    write_number(out, spec, &parts, group_size);
    Ok(())
}

/// Append `n` in decimal (`str(n)`), without going through `fmt`.
pub fn push_i64(out: &mut String, n: i64) {
    let mut buffer = [0u8; 20];
    let digits = decimal_digits(n.unsigned_abs(), &mut buffer);
    if n < 0 {
        out.push('-');
    }
    // Decimal digits are ASCII.
    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
}

/// The decimal digits of `n`, written at the end of `buffer`.
fn decimal_digits(mut n: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut position = buffer.len();
    loop {
        position -= 1;
        buffer[position] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buffer[position..];
        }
    }
}

fn push_int_digits(out: &mut String, value: IntArg, radix: u32, upper_case: bool) {
    match value {
        IntArg::Small(n) if radix == 10 => {
            let mut buffer = [0u8; 20];
            let digits = decimal_digits(n.unsigned_abs(), &mut buffer);
            // Decimal digits are ASCII.
            out.push_str(std::str::from_utf8(digits).unwrap_or_default());
        }
        IntArg::Small(n) => push_magnitude_radix(out, &IntValue::Small(n), radix, upper_case),
        IntArg::Big(n) if radix == 10 => {
            let _ = write!(out, "{}", n.magnitude());
        }
        IntArg::Big(n) => {
            let digits = n.magnitude().to_str_radix(radix);
            if upper_case {
                out.push_str(&digits.to_ascii_uppercase());
            } else {
                out.push_str(&digits);
            }
        }
    }
}

/// `format(n, spec)` for a small int, from the spec's text.
pub fn format_i64(value: i64, spec: &str) -> Result<String, NumError> {
    let mut out = String::with_capacity(24);
    if spec.is_empty() {
        push_i64(&mut out, value);
        return Ok(out);
    }
    let parsed = FormatSpec::parse(spec).map_err(|e| e.into_error(spec, "int"))?;
    format_int_into(&mut out, IntArg::Small(value), &parsed, "int")?;
    Ok(out)
}

/// `format(n, spec)` for a big int, from the spec's text.
pub fn format_bigint(value: &BigInt, spec: &str) -> Result<String, NumError> {
    let parsed = FormatSpec::parse(spec).map_err(|e| e.into_error(spec, "int"))?;
    let mut out = String::with_capacity(24);
    format_int_into(&mut out, IntArg::Big(value), &parsed, "int")?;
    Ok(out)
}

// ---------------------------------------------------------------- floats

/// Applies a spec to a float. Errors are `ValueError`s.
pub fn format_float_into(out: &mut String, value: f64, spec: &FormatSpec) -> Result<(), NumError> {
    let kind = spec.kind.unwrap_or('\0');
    let group_size = spec.check_grouping(kind)?;
    if !matches!(kind, '\0' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') {
        return Err(unknown_code(kind, "float"));
    }
    if spec.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err(NumError::value("precision too big"));
    }
    check_size(spec)?;
    let plain = spec.width.is_none()
        && group_size.is_none()
        && kind != 'n'
        && !matches!(spec.sign, Some(Sign::Plus | Sign::Space));
    // Fast path for `{x:.2f}`: Rust's fixed notation is Python's here.
    if plain
        && kind == 'f'
        && !spec.alternate
        && !spec.no_negative_zero
        && value.is_finite()
        && spec.precision.unwrap_or(6) <= float_layout::EXACT_DIGITS
    {
        let precision = spec.precision.unwrap_or(6);
        if !push_fixed(out, value, precision) {
            let _ = write!(out, "{value:.precision$}");
        }
        return Ok(());
    }
    let text = float_text(value, kind, spec);
    if plain {
        out.push_str(&text);
        return Ok(());
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let digit_count = body.bytes().take_while(u8::is_ascii_digit).count();
    let has_decimal_point = body.as_bytes().get(digit_count) == Some(&b'.');
    let remainder = &body[digit_count + usize::from(has_decimal_point)..];
    let parts = NumberParts {
        negative,
        prefix: "",
        digits: &body.as_bytes()[..digit_count],
        has_decimal_point,
        remainder,
    };
    write_number(out, spec, &parts, group_size);
    Ok(())
}

/// Appends `value` in fixed notation with `precision` digits after the
/// point (`f"{value:.2f}"`), rounding the exact binary value half to even
/// as CPython does, with integer arithmetic only. Returns false, having
/// written nothing, when the value is outside the fast range (non-finite,
/// at least 2**52, or more than 15 digits asked for).
fn push_fixed(out: &mut String, value: f64, precision: usize) -> bool {
    if precision > 15 || !value.is_finite() {
        return false;
    }
    let bits = value.to_bits();
    let biased_exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    // value = ±mantissa * 2**exponent, exactly.
    let (mantissa, exponent) = if biased_exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased_exponent - 1075)
    };
    if exponent >= 0 {
        return false;
    }
    // value * 10**precision = scaled / 2**shift; scaled < 2**103.
    let shift = exponent.unsigned_abs();
    let scaled = mantissa as u128 * 10u128.pow(precision as u32);
    let rounded = if shift >= 128 {
        0 // below 2**-25: rounds to zero
    } else {
        let quotient = scaled >> shift;
        let remainder = scaled & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if remainder > half || (remainder == half && quotient & 1 == 1) {
            quotient + 1
        } else {
            quotient
        }
    };
    let mut buffer = [b'0'; 48];
    let mut position = buffer.len();
    // Nearly always within 64 bits, where division by 10 is cheap.
    let mut rest = rounded;
    while rest > u64::MAX as u128 {
        position -= 1;
        buffer[position] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let mut rest = rest as u64;
    while rest > 0 {
        position -= 1;
        buffer[position] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    // At least one digit before the point.
    let start = position.min(buffer.len() - precision - 1);
    let digits = &buffer[start..];
    let (whole, decimals) = digits.split_at(digits.len() - precision);
    if bits >> 63 == 1 {
        out.push('-');
    }
    // SAFETY: only ASCII digits and '.' are appended.
    let bytes = unsafe { out.as_mut_vec() };
    bytes.extend_from_slice(whole);
    if precision > 0 {
        bytes.push(b'.');
        bytes.extend_from_slice(decimals);
    }
    true
}

/// `format(x, spec)` for a float, from the spec's text.
pub fn format_f64(value: f64, spec: &str) -> Result<String, NumError> {
    let parsed = FormatSpec::parse(spec).map_err(|e| e.into_error(spec, "float"))?;
    let mut out = String::with_capacity(24);
    format_float_into(&mut out, value, &parsed)?;
    Ok(out)
}

#[path = "format_spec_float.rs"]
mod float_layout;
use float_layout::float_text;
pub(crate) use float_layout::float_text_for_percent;

#[cfg(test)]
#[path = "format_spec_tests.rs"]
mod tests;
