//! printf-style formatting: `"%5.2f %s" % (x, name)`, CPython's
//! `PyUnicode_Format`.
//!
//! A template is literal text with conversions `%[(key)][flags][width][.precision][h|l|L]type`:
//! flags `-` (left-justify), `+`, ` ` (sign), `#` (alternate form), `0`
//! (zero padding); width and precision may be `*` (taken from the
//! arguments); types `d i u o x X e E f F g G c s r a`, and `%%` for a
//! percent sign.
//!
//! As with `str.format`, CPython parses while it renders, so this parser
//! returns the pieces before the first parse error and that error, and the
//! VM renders like this (the argument rules of `unicode_format_getnextarg`):
//!
//! ```text
//! args is a tuple -> take its items in turn; anything else is one argument.
//! mapping = args if it is a mapping (not a tuple, not a str), else none.
//! for piece in template.pieces:
//!     Literal(text) -> append
//!     Conversion(c) -> if c.key: no mapping -> TypeError "format requires a mapping";
//!                                 the arguments become the single mapping[key]
//!                      width/precision FromArguments -> next argument, must be an int
//!                                 (else TypeError "* wants int")
//!                      value = next argument (none left -> NOT_ENOUGH_ARGUMENTS)
//!                      kind Unsupported -> raise unsupported_character(..)
//!                      d i u o x X   -> write_percent_int  (after int(value); see int_type_error)
//!                                 (the write_* functions fail only with MemoryError)
//!                      e E f F g G   -> write_percent_float (after float(value))
//!                      s r a         -> write_percent_text(str/repr/ascii(value))
//!                      c             -> write_percent_text(the character; see char_error)
//! template.error -> raise it
//! arguments left over (and args not a mapping) -> NOT_ALL_CONVERTED
//! ```

use std::borrow::Cow;

use super::format_spec::{float_text_for_percent, IntArg, MAX_FIELD_SIZE};
use super::object::int::push_magnitude_radix;
use super::object::int::IntValue;
use super::object::num_error::NumError;

/// `TypeError` when the arguments run out.
pub const NOT_ENOUGH_ARGUMENTS: &str = "not enough arguments for format string";
/// `TypeError` when arguments are left over.
pub const NOT_ALL_CONVERTED: &str = "not all arguments converted during string formatting";

#[derive(Debug, Clone, PartialEq)]
pub struct PercentTemplate {
    pub pieces: Vec<PercentPiece>,
    /// A `ValueError` raised once the pieces are rendered.
    pub error: Option<NumError>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PercentPiece {
    Literal(String),
    Conversion(PercentConversion),
}

/// Where a width or precision comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Given(usize),
    /// `*`: the next argument, an int.
    FromArguments,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PercentFlags {
    /// `-`
    pub left_justify: bool,
    /// `+`
    pub plus_sign: bool,
    /// ` `
    pub space_sign: bool,
    /// `#`
    pub alternate: bool,
    /// `0`
    pub zero_pad: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PercentConversion {
    /// `%(key)s`: look the value up in the mapping argument.
    pub key: Option<String>,
    pub flags: PercentFlags,
    pub width: Option<Count>,
    pub precision: Option<Count>,
    /// The type character; see [`PercentConversion::is_supported`].
    pub kind: char,
    /// The character index of `kind` in the template, for the
    /// unsupported-character message.
    pub kind_index: usize,
}

impl PercentConversion {
    /// Whether `kind` is a known type. The VM still takes the argument
    /// before raising [`unsupported_character`] for an unknown one.
    pub fn is_supported(&self) -> bool {
        matches!(
            self.kind,
            'd' | 'i'
                | 'u'
                | 'o'
                | 'x'
                | 'X'
                | 'e'
                | 'E'
                | 'f'
                | 'F'
                | 'g'
                | 'G'
                | 'c'
                | 's'
                | 'r'
                | 'a'
        )
    }

    /// The field with `*` counts filled in from their arguments (a
    /// negative `*` width means left-justify; a negative precision is 0).
    pub fn resolve(
        &self,
        width_argument: Option<i64>,
        precision_argument: Option<i64>,
    ) -> PercentField {
        let mut flags = self.flags;
        let width = match self.width {
            Some(Count::Given(width)) => Some(width),
            Some(Count::FromArguments) => {
                let width = width_argument.unwrap_or(0);
                if width < 0 {
                    flags.left_justify = true;
                }
                Some(width.unsigned_abs() as usize)
            }
            None => None,
        };
        let precision = match self.precision {
            Some(Count::Given(precision)) => Some(precision),
            Some(Count::FromArguments) => Some(precision_argument.unwrap_or(0).max(0) as usize),
            None => None,
        };
        PercentField {
            flags,
            width,
            precision,
            kind: self.kind,
        }
    }
}

/// A conversion ready to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentField {
    pub flags: PercentFlags,
    pub width: Option<usize>,
    pub precision: Option<usize>,
    pub kind: char,
}

/// `ValueError: unsupported format character 'z' (0x7a) at index 3`.
pub fn unsupported_character(conversion: &PercentConversion) -> NumError {
    let code = conversion.kind as u32;
    let shown = if (31..=126).contains(&code) {
        conversion.kind
    } else {
        '?'
    };
    NumError::Value(Cow::Owned(format!(
        "unsupported format character '{}' (0x{:x}) at index {}",
        shown, code, conversion.kind_index
    )))
}

/// The `TypeError` message for `%d`/`%x`... given a value of the wrong
/// type: `%x format: an integer is required, not float`.
pub fn int_type_error(kind: char, type_name: &str) -> String {
    match kind {
        'o' | 'x' | 'X' => format!(
            "%{} format: an integer is required, not {}",
            kind, type_name
        ),
        _ => format!(
            "%{} format: a real number is required, not {}",
            kind, type_name
        ),
    }
}

/// `%c` errors: `TypeError("%c requires int or char")` for anything but an
/// int or a one-character str; ints outside 0..=0x10FFFF raise
/// `OverflowError("%c arg not in range(0x110000)")`.
pub const CHAR_TYPE_ERROR: &str = "%c requires int or char";
pub const CHAR_RANGE_ERROR: &str = "%c arg not in range(0x110000)";

/// Parses a printf-style template.
pub fn parse_percent_template(template: &str) -> PercentTemplate {
    let chars: Vec<char> = template.chars().collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut position = 0;
    let finish = |mut pieces: Vec<PercentPiece>, literal: String, error| {
        if !literal.is_empty() {
            pieces.push(PercentPiece::Literal(literal));
        }
        PercentTemplate { pieces, error }
    };
    while position < chars.len() {
        let c = chars[position];
        position += 1;
        if c != '%' {
            literal.push(c);
            continue;
        }
        if chars.get(position) == Some(&'%') {
            literal.push('%');
            position += 1;
            continue;
        }
        match parse_conversion(&chars, &mut position) {
            Ok(conversion) => {
                if !literal.is_empty() {
                    pieces.push(PercentPiece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(PercentPiece::Conversion(conversion));
            }
            Err(error) => return finish(pieces, literal, Some(error)),
        }
    }
    finish(pieces, literal, None)
}

/// Parses one conversion, `position` being just after its `%`.
fn parse_conversion(chars: &[char], position: &mut usize) -> Result<PercentConversion, NumError> {
    let incomplete = || NumError::value("incomplete format");
    let mut key = None;
    if chars.get(*position) == Some(&'(') {
        // The key runs to the matching parenthesis.
        let start = *position + 1;
        let mut depth = 1;
        let mut index = start;
        while depth > 0 && index < chars.len() {
            match chars[index] {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            index += 1;
        }
        if depth > 0 {
            return Err(NumError::value("incomplete format key"));
        }
        key = Some(chars[start..index - 1].iter().collect());
        *position = index;
    }
    let mut flags = PercentFlags::default();
    while let Some(&c) = chars.get(*position) {
        match c {
            '-' => flags.left_justify = true,
            '+' => flags.plus_sign = true,
            ' ' => flags.space_sign = true,
            '#' => flags.alternate = true,
            '0' => flags.zero_pad = true,
            _ => break,
        }
        *position += 1;
    }
    let width = read_count(chars, position, "width too big", usize::MAX >> 1)?;
    let mut precision = None;
    if chars.get(*position) == Some(&'.') {
        *position += 1;
        precision = Some(
            read_count(chars, position, "precision too big", i32::MAX as usize)?
                .unwrap_or(Count::Given(0)),
        );
    }
    if matches!(chars.get(*position), Some('h' | 'l' | 'L')) {
        *position += 1;
    }
    let Some(&kind) = chars.get(*position) else {
        return Err(incomplete());
    };
    *position += 1;
    Ok(PercentConversion {
        key,
        flags,
        width,
        precision,
        kind,
        kind_index: *position - 1,
    })
}

fn read_count(
    chars: &[char],
    position: &mut usize,
    too_big: &'static str,
    limit: usize,
) -> Result<Option<Count>, NumError> {
    if chars.get(*position) == Some(&'*') {
        *position += 1;
        return Ok(Some(Count::FromArguments));
    }
    let mut value: Option<usize> = None;
    while let Some(digit) = chars.get(*position).and_then(|c| c.to_digit(10)) {
        let next = value
            .unwrap_or(0)
            .checked_mul(10)
            .and_then(|v| v.checked_add(digit as usize))
            .filter(|&v| v <= limit)
            .ok_or_else(|| NumError::value(too_big))?;
        value = Some(next);
        *position += 1;
    }
    Ok(value.map(Count::Given))
}

// ---------------------------------------------------------------- rendering

/// Pads a converted value (`unicode_format_arg_output`). `numeric` says
/// whether the sign and `0` flags apply (they do for numbers only).
fn write_padded(out: &mut String, field: &PercentField, text: &str, numeric: bool) {
    let flags = field.flags;
    let fill = if numeric && flags.zero_pad { '0' } else { ' ' };
    let mut body = text;
    if matches!(field.kind, 's' | 'r' | 'a') {
        if let Some(precision) = field.precision {
            if let Some((cut, _)) = body.char_indices().nth(precision) {
                body = &body[..cut];
            }
        }
    }
    let mut sign = None;
    if numeric {
        if let Some(rest) = body.strip_prefix(['-', '+']) {
            sign = body.chars().next();
            body = rest;
        } else if flags.plus_sign {
            sign = Some('+');
        } else if flags.space_sign {
            sign = Some(' ');
        }
    }
    let prefix = match (flags.alternate && numeric, field.kind) {
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        (true, 'o') => "0o",
        _ => "",
    };
    let prefix = match body.strip_prefix(prefix) {
        Some(rest) if !prefix.is_empty() => {
            body = rest;
            prefix
        }
        _ => "",
    };
    let length = usize::from(sign.is_some()) + prefix.len() + body.chars().count();
    let padding = field.width.unwrap_or(0).saturating_sub(length);
    let push_fill =
        |out: &mut String, count: usize, fill: char| out.extend(std::iter::repeat_n(fill, count));
    if fill == '0' {
        // Zeros go after the sign and prefix: -0x00ff.
        out.extend(sign);
        out.push_str(prefix);
        if !flags.left_justify {
            push_fill(out, padding, '0');
        }
    } else {
        if !flags.left_justify {
            push_fill(out, padding, ' ');
        }
        out.extend(sign);
        out.push_str(prefix);
    }
    out.push_str(body);
    if flags.left_justify {
        push_fill(out, padding, ' ');
    }
}

impl PercentField {
    /// `MemoryError` for widths and precisions too large to attempt.
    fn check_size(&self) -> Result<(), NumError> {
        let too_big = |n: Option<usize>| n.is_some_and(|n| n > MAX_FIELD_SIZE);
        if too_big(self.width) || too_big(self.precision) {
            return Err(NumError::Memory);
        }
        Ok(())
    }
}

/// Renders `%d %i %u %o %x %X` for an int (the VM converts floats with
/// `int()` for `d i u`, and accepts only ints for `o x X`).
pub fn write_percent_int(
    out: &mut String,
    value: IntArg,
    field: &PercentField,
) -> Result<(), NumError> {
    field.check_size()?;
    let (radix, prefix) = match field.kind {
        'o' => (8, "0o"),
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        _ => (10, ""),
    };
    let negative = match value {
        IntArg::Small(n) => n < 0,
        IntArg::Big(n) => num_traits::Signed::is_negative(n),
    };
    let mut digits = String::new();
    match value {
        IntArg::Small(n) => {
            push_magnitude_radix(&mut digits, &IntValue::Small(n), radix, field.kind == 'X')
        }
        IntArg::Big(n) => {
            let text = n.magnitude().to_str_radix(radix);
            digits.push_str(&if field.kind == 'X' {
                text.to_ascii_uppercase()
            } else {
                text
            });
        }
    }
    let mut text = String::with_capacity(digits.len() + 4);
    if negative {
        text.push('-');
    }
    if field.flags.alternate {
        text.push_str(prefix);
    }
    // The precision is a minimum digit count.
    if let Some(precision) = field.precision {
        text.extend(std::iter::repeat_n(
            '0',
            precision.saturating_sub(digits.len()),
        ));
    }
    text.push_str(&digits);
    write_padded(out, field, &text, true);
    Ok(())
}

/// Renders `%e %E %f %F %g %G` for a float (the VM converts with
/// `float()` first).
pub fn write_percent_float(
    out: &mut String,
    value: f64,
    field: &PercentField,
) -> Result<(), NumError> {
    field.check_size()?;
    let precision = field.precision.unwrap_or(6);
    let text = float_text_for_percent(value, field.kind, precision, field.flags.alternate);
    write_padded(out, field, &text, true);
    Ok(())
}

/// Renders `%s %r %a` (given the str/repr/ascii of the value) and `%c`
/// (given the character).
pub fn write_percent_text(
    out: &mut String,
    text: &str,
    field: &PercentField,
) -> Result<(), NumError> {
    field.check_size()?;
    write_padded(out, field, text, false);
    Ok(())
}

#[cfg(test)]
#[path = "format_percent_tests.rs"]
mod tests;
