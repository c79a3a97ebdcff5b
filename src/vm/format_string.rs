//! The parser for `str.format` templates: `"a {0} {name} {x[0].y!r:>{w}} {{"`.
//!
//! A template is literal text with replacement fields in braces (`{{` and
//! `}}` stand for single braces). A field has a name (empty for automatic
//! numbering, a number for a positional argument, or a keyword), then any
//! number of `.attribute` / `[key]` accessors, an optional conversion
//! (`!r`, `!s`, `!a`), and an optional format spec after `:`, which may
//! itself contain fields (`{x:>{width}}`), one level deep.
//!
//! CPython parses a template *while* rendering it, so an error is only
//! raised when rendering reaches it: `'{x} }'.format()` raises `KeyError`
//! for `x`, not the `ValueError` for the lone `}`. To keep that order this
//! parser never fails outright; it records where each error would be
//! raised, and the VM renders like this:
//!
//! ```text
//! render(template):
//!     for piece in template.pieces:
//!         Literal(text)  -> append text
//!         Field(field)   -> obj = lookup(field.name)          (IndexError / KeyError)
//!                           for accessor: obj = getattr / getitem
//!                           if field.error_after_lookup: raise it
//!                           if field.conversion: obj = repr / str / ascii(obj)
//!                           spec = Text(s) -> s, or Template(t) -> render(t)
//!                           append format(obj, spec)
//!     if template.error: raise it
//! ```
//!
//! Every error here is a `ValueError` with CPython's message. Automatic
//! numbering is resolved while parsing, in CPython's order (a field's own
//! number before the numbers of the fields in its spec).

use std::borrow::Cow;

use super::object::num_error::NumError;
use super::object::unicode::decimal_digit_value;

/// A parsed template, or the part of it before an error.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatTemplate {
    pub pieces: Vec<Piece>,
    /// Raised (as `ValueError`) once every piece has been rendered.
    pub error: Option<NumError>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Literal(String),
    Field(Field),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: FieldName,
    pub accessors: Vec<Accessor>,
    /// Raised after the name and all `accessors` are evaluated: a malformed
    /// accessor, or an unknown conversion character.
    pub error_after_lookup: Option<NumError>,
    pub conversion: Option<Conversion>,
    pub spec: SpecTemplate,
}

/// Which argument a field takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldName {
    /// A positional argument: explicit (`{1}`) or automatic (`{}`). Out of
    /// range: `IndexError: Replacement index 1 out of range for positional
    /// args tuple`.
    Index(usize),
    /// A keyword argument (`{name}`); missing: `KeyError: 'name'`.
    Keyword(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accessor {
    /// `.name`
    Attribute(String),
    /// `[3]`: an int key, when the text is all digits.
    Index(usize),
    /// `[key]`: any other text is a string key (no quotes).
    Key(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// `!r`
    Repr,
    /// `!s`
    Str,
    /// `!a`
    Ascii,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SpecTemplate {
    /// The spec text as written (often empty).
    Text(String),
    /// A spec with fields in it, to be rendered first.
    Template(Box<FormatTemplate>),
}

/// How deep specs may nest: the template itself is level 2, a field's spec
/// level 1, and a field inside that spec may not have fields in its spec.
const MAX_RECURSION: u32 = 2;

/// Auto-numbering state shared by a template and the specs inside it.
#[derive(Debug, Default)]
struct Numbering {
    mode: Option<NumberingMode>,
    next_auto: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberingMode {
    Automatic,
    Manual,
}

fn value_error(message: &'static str) -> NumError {
    NumError::Value(Cow::Borrowed(message))
}

/// Parses a `str.format` template.
pub fn parse_format_template(template: &str) -> FormatTemplate {
    let chars: Vec<char> = template.chars().collect();
    parse_template(&chars, MAX_RECURSION, &mut Numbering::default())
}

fn parse_template(chars: &[char], depth: u32, numbering: &mut Numbering) -> FormatTemplate {
    let mut result = FormatTemplate {
        pieces: Vec::new(),
        error: None,
    };
    if depth == 0 {
        result.error = Some(value_error("Max string recursion exceeded"));
        return result;
    }
    let mut literal = String::new();
    let mut position = 0;
    while position < chars.len() {
        let c = chars[position];
        position += 1;
        if c != '{' && c != '}' {
            literal.push(c);
            continue;
        }
        let next = chars.get(position).copied();
        if next == Some(c) {
            // `{{` or `}}`: one literal brace.
            literal.push(c);
            position += 1;
            continue;
        }
        if c == '}' {
            result.error = Some(value_error("Single '}' encountered in format string"));
            break;
        }
        if next.is_none() {
            result.error = Some(value_error("Single '{' encountered in format string"));
            break;
        }
        if !literal.is_empty() {
            result
                .pieces
                .push(Piece::Literal(std::mem::take(&mut literal)));
        }
        match parse_field(chars, &mut position, depth, numbering) {
            Ok(field) => result.pieces.push(Piece::Field(field)),
            Err(error) => {
                result.error = Some(error);
                return result;
            }
        }
    }
    if !literal.is_empty() {
        result.pieces.push(Piece::Literal(literal));
    }
    result
}

/// Parses one field, `position` being just after its `{`. Errors returned
/// here are those CPython raises before looking anything up.
fn parse_field(
    chars: &[char],
    position: &mut usize,
    depth: u32,
    numbering: &mut Numbering,
) -> Result<Field, NumError> {
    // The field name runs to `}`, `:` or `!`; brackets may hide those.
    let name_start = *position;
    let mut terminator = None;
    while *position < chars.len() {
        let c = chars[*position];
        *position += 1;
        match c {
            '{' => return Err(value_error("unexpected '{' in field name")),
            '[' => {
                while *position < chars.len() && chars[*position] != ']' {
                    *position += 1;
                }
            }
            '}' | ':' | '!' => {
                terminator = Some(c);
                break;
            }
            _ => {}
        }
    }
    let name_end = if terminator.is_some() {
        *position - 1
    } else {
        *position
    };
    let name_text = &chars[name_start..name_end];
    let mut conversion_char = None;
    let mut spec_chars: &[char] = &[];
    let mut spec_needs_expanding = false;
    match terminator {
        Some('}') => {}
        Some(c) => {
            let mut has_spec = true;
            if c == '!' {
                let Some(&converter) = chars.get(*position) else {
                    return Err(value_error(
                        "end of string while looking for conversion specifier",
                    ));
                };
                conversion_char = Some(converter);
                *position += 1;
                if let Some(&after) = chars.get(*position) {
                    *position += 1;
                    if after == '}' {
                        has_spec = false;
                    } else if after != ':' {
                        return Err(value_error("expected ':' after conversion specifier"));
                    }
                }
            }
            if has_spec {
                let spec_start = *position;
                let mut open = 1;
                loop {
                    let Some(&c) = chars.get(*position) else {
                        return Err(value_error("unmatched '{' in format spec"));
                    };
                    *position += 1;
                    match c {
                        '{' => {
                            spec_needs_expanding = true;
                            open += 1;
                        }
                        '}' => {
                            open -= 1;
                            if open == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                spec_chars = &chars[spec_start..*position - 1];
            }
        }
        None => return Err(value_error("expected '}' before end of string")),
    }

    // Split the name into its first part and the accessors.
    let first_end = name_text
        .iter()
        .position(|&c| c == '.' || c == '[')
        .unwrap_or(name_text.len());
    let first = &name_text[..first_end];
    let name = match parse_index(first)? {
        Some(index) => {
            numbering.check(NumberingMode::Manual)?;
            FieldName::Index(index)
        }
        None if first.is_empty() => {
            numbering.check(NumberingMode::Automatic)?;
            numbering.next_auto += 1;
            FieldName::Index(numbering.next_auto - 1)
        }
        None => FieldName::Keyword(first.iter().collect()),
    };
    let (accessors, mut error_after_lookup) = parse_accessors(&name_text[first_end..]);
    let mut conversion = None;
    if error_after_lookup.is_none() {
        match conversion_char {
            None => {}
            Some('r') => conversion = Some(Conversion::Repr),
            Some('s') => conversion = Some(Conversion::Str),
            Some('a') => conversion = Some(Conversion::Ascii),
            Some(other) => {
                let shown = if (other as u32) > 32 && (other as u32) < 127 {
                    other.to_string()
                } else {
                    format!("\\x{:x}", other as u32)
                };
                error_after_lookup = Some(NumError::Value(Cow::Owned(format!(
                    "Unknown conversion specifier {}",
                    shown
                ))));
            }
        }
    }
    // A field that fails at lookup never renders its spec, but CPython
    // would still not have numbered the spec's fields: parse the spec only
    // when it can be reached.
    let spec = if spec_needs_expanding && error_after_lookup.is_none() {
        SpecTemplate::Template(Box::new(parse_template(spec_chars, depth - 1, numbering)))
    } else {
        SpecTemplate::Text(spec_chars.iter().collect())
    };
    Ok(Field {
        name,
        accessors,
        error_after_lookup,
        conversion,
        spec,
    })
}

impl Numbering {
    fn check(&mut self, wanted: NumberingMode) -> Result<(), NumError> {
        match self.mode {
            None => {
                self.mode = Some(wanted);
                Ok(())
            }
            Some(mode) if mode == wanted => Ok(()),
            Some(NumberingMode::Manual) => Err(value_error(
                "cannot switch from manual field specification to automatic field numbering",
            )),
            Some(NumberingMode::Automatic) => Err(value_error(
                "cannot switch from automatic field numbering to manual field specification",
            )),
        }
    }
}

/// A field name part made only of decimal digits (of any script) is an
/// index; anything else (including empty) is not.
fn parse_index(text: &[char]) -> Result<Option<usize>, NumError> {
    if text.is_empty() {
        return Ok(None);
    }
    let mut value: usize = 0;
    for &c in text {
        let Some(digit) = decimal_digit_value(c) else {
            return Ok(None);
        };
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(digit as usize))
            .filter(|&v| v <= i64::MAX as usize)
            .ok_or_else(|| value_error("Too many decimal digits in format string"))?;
    }
    Ok(Some(value))
}

/// Parses `.attr[key]...`; stops at the first malformed accessor and
/// returns the error CPython raises when rendering reaches it.
fn parse_accessors(text: &[char]) -> (Vec<Accessor>, Option<NumError>) {
    let mut accessors = Vec::new();
    let mut position = 0;
    while position < text.len() {
        let c = text[position];
        position += 1;
        let accessor = match c {
            '.' => {
                let start = position;
                while position < text.len() && text[position] != '.' && text[position] != '[' {
                    position += 1;
                }
                let name: String = text[start..position].iter().collect();
                if name.is_empty() {
                    return (
                        accessors,
                        Some(value_error("Empty attribute in format string")),
                    );
                }
                Accessor::Attribute(name)
            }
            '[' => {
                let start = position;
                while position < text.len() && text[position] != ']' {
                    position += 1;
                }
                if position == text.len() {
                    return (accessors, Some(value_error("Missing ']' in format string")));
                }
                let key = &text[start..position];
                position += 1; // the ']'
                match parse_index(key) {
                    Err(error) => return (accessors, Some(error)),
                    Ok(Some(index)) => Accessor::Index(index),
                    Ok(None) if key.is_empty() => {
                        return (
                            accessors,
                            Some(value_error("Empty attribute in format string")),
                        )
                    }
                    Ok(None) => Accessor::Key(key.iter().collect()),
                }
            }
            _ => {
                return (
                    accessors,
                    Some(value_error(
                        "Only '.' or '[' may follow ']' in format field specifier",
                    )),
                )
            }
        };
        accessors.push(accessor);
    }
    (accessors, None)
}

#[cfg(test)]
#[path = "format_string_tests.rs"]
mod tests;
