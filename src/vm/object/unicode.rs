//! Character properties and case mappings exactly as CPython 3.11 defines
//! them.
//!
//! Rust's `char` methods follow a newer Unicode version and sometimes other
//! definitions (`char::is_alphabetic` is the Alphabetic property, Python's
//! `isalpha` is the letter categories), so the str methods ask here instead.
//! The data in `unicode_tables.rs` is generated from CPython 3.11 itself.
//! Every lookup starts with an ASCII test, the common case.

use super::unicode_tables as tables;

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let code = c as u32;
    // The last range starting at or before `code` is the only candidate.
    let after = table.partition_point(|&(first, _)| first <= code);
    after > 0 && code <= table[after - 1].1
}

/// `c.isspace()`: what `split()` splits on and `strip()` removes.
pub fn is_python_whitespace(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '\t'..='\r' | '\x1c'..=' ')
    } else {
        in_ranges(tables::WHITESPACE, c)
    }
}

/// `c.isprintable()`: whether `repr` shows the character as itself.
pub fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        (' '..='~').contains(&c)
    } else {
        in_ranges(tables::PRINTABLE, c)
    }
}

/// `c.isalpha()`.
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        in_ranges(tables::ALPHA, c)
    }
}

/// `c.isdecimal()`.
pub fn is_decimal(c: char) -> bool {
    decimal_digit_value(c).is_some()
}

/// The value of a decimal digit of any script (`'٣'` is 3).
pub fn decimal_digit_value(c: char) -> Option<u8> {
    if c.is_ascii() {
        return c.is_ascii_digit().then(|| c as u8 - b'0');
    }
    let code = c as u32;
    let after = tables::DECIMAL_ZEROS.partition_point(|&zero| zero <= code);
    if after == 0 {
        return None;
    }
    let offset = code - tables::DECIMAL_ZEROS[after - 1];
    (offset < 10).then_some(offset as u8)
}

/// `c.isdigit()`: decimal digits plus superscripts and the like.
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(tables::DIGIT, c)
    }
}

/// `c.isnumeric()`: digits plus fractions, Roman numerals, CJK numerals...
pub fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(tables::NUMERIC, c)
    }
}

/// `c.isalnum()`: Python defines it as any of the four predicates.
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_alpha(c) || is_decimal(c) || is_digit(c) || is_numeric(c)
    }
}

/// The Lowercase property (`c.islower()` for a single character).
pub fn is_lowercase(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_lowercase()
    } else {
        in_ranges(tables::LOWER, c)
    }
}

/// The Uppercase property (`c.isupper()` for a single character).
pub fn is_uppercase(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        in_ranges(tables::UPPER, c)
    }
}

/// Titlecase letters (category Lt), such as `ǅ`.
pub fn is_titlecase(c: char) -> bool {
    !c.is_ascii() && in_ranges(tables::TITLE, c)
}

/// The Cased property: the character has case.
pub fn is_cased(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        in_ranges(tables::CASED, c)
    }
}

/// The Case_Ignorable property (apostrophes, combining marks...).
pub fn is_case_ignorable(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '\'' | '.' | ':' | '^' | '`')
    } else {
        in_ranges(tables::CASE_IGNORABLE, c)
    }
}

/// May start a Python identifier (XID_Start or `_`).
pub fn is_identifier_start(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic() || c == '_'
    } else {
        in_ranges(tables::IDENTIFIER_START, c)
    }
}

/// May continue a Python identifier (XID_Continue).
pub fn is_identifier_continue(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        in_ranges(tables::IDENTIFIER_CONTINUE, c)
    }
}

/// A case mapping of one character: most map to one character, a few to
/// several (`'ß'.upper()` is `'SS'`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseMapping {
    One(char),
    Several(&'static str),
}

impl CaseMapping {
    pub fn push_to(self, out: &mut String) {
        match self {
            CaseMapping::One(c) => out.push(c),
            CaseMapping::Several(s) => out.push_str(s),
        }
    }
}

/// Looks `c` up in a generated mapping: multi-character table first, then
/// the runs of one-character mappings. `None` when the table has no entry.
fn lookup_mapping(
    runs: &[(u32, u32, u32, i32)],
    several: &'static [(u32, &'static str)],
    c: char,
) -> Option<CaseMapping> {
    let code = c as u32;
    if let Ok(index) = several.binary_search_by_key(&code, |&(from, _)| from) {
        return Some(CaseMapping::Several(several[index].1));
    }
    let after = runs.partition_point(|&(first, _, _, _)| first <= code);
    if after == 0 {
        return None;
    }
    let (first, last, stride, delta) = runs[after - 1];
    if code <= last && (code - first).is_multiple_of(stride) {
        let mapped = (code as i64 + delta as i64) as u32;
        return char::from_u32(mapped).map(CaseMapping::One);
    }
    None
}

/// Full uppercase mapping of one character (`_PyUnicode_ToUpperFull`).
pub fn to_upper(c: char) -> CaseMapping {
    if c.is_ascii() {
        return CaseMapping::One(c.to_ascii_uppercase());
    }
    lookup_mapping(tables::UPPER_MAP_RUNS, tables::UPPER_MAP_MULTI, c)
        .unwrap_or(CaseMapping::One(c))
}

/// Full lowercase mapping of one character, ignoring the final-sigma rule
/// (`_PyUnicode_ToLowerFull`); `str_methods::lower` applies that rule.
pub fn to_lower(c: char) -> CaseMapping {
    if c.is_ascii() {
        return CaseMapping::One(c.to_ascii_lowercase());
    }
    lookup_mapping(tables::LOWER_MAP_RUNS, tables::LOWER_MAP_MULTI, c)
        .unwrap_or(CaseMapping::One(c))
}

/// Full titlecase mapping of one character (`_PyUnicode_ToTitleFull`).
pub fn to_title(c: char) -> CaseMapping {
    if c.is_ascii() {
        return CaseMapping::One(c.to_ascii_uppercase());
    }
    lookup_mapping(tables::TITLE_DIFF_MAP_RUNS, tables::TITLE_DIFF_MAP_MULTI, c)
        .unwrap_or_else(|| to_upper(c))
}

/// Full case folding of one character (`_PyUnicode_ToFoldedFull`).
pub fn to_folded(c: char) -> CaseMapping {
    if c.is_ascii() {
        return CaseMapping::One(c.to_ascii_lowercase());
    }
    lookup_mapping(tables::FOLD_DIFF_MAP_RUNS, tables::FOLD_DIFF_MAP_MULTI, c)
        .unwrap_or_else(|| to_lower(c))
}
