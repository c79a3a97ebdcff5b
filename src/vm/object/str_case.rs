//! Case mappings (`upper`, `lower`, `casefold`, `title`, `capitalize`,
//! `swapcase`) and the `is*` predicates of `str`, exactly as CPython 3.11
//! defines them.
//!
//! Python uses the *full* Unicode case mappings, so a string can change
//! length (`'ß'.upper() == 'SS'`), and `lower()` applies the one
//! context-sensitive rule Unicode has: a capital sigma at the end of a word
//! becomes the final form `ς`. The character data comes from `unicode.rs`.
//! ASCII strings take byte-level fast paths.

use super::unicode::{
    self, is_case_ignorable, is_cased, is_lowercase, is_titlecase, is_uppercase, CaseMapping,
};

const CAPITAL_SIGMA: char = '\u{3a3}';

/// `s.upper()`.
pub fn upper(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_uppercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        unicode::to_upper(c).push_to(&mut out);
    }
    out
}

/// `s.lower()`, with the final-sigma rule.
pub fn lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for index in 0..chars.len() {
        lower_in_context(&chars, index).push_to(&mut out);
    }
    out
}

/// CPython's `lower_ucs4`: the lowercase of `chars[index]`, where a capital
/// sigma becomes `ς` when it ends a word: preceded by a cased letter and
/// not followed by one (case-ignorable characters in between are skipped).
fn lower_in_context(chars: &[char], index: usize) -> CaseMapping {
    let c = chars[index];
    if c != CAPITAL_SIGMA {
        return unicode::to_lower(c);
    }
    let before = chars[..index]
        .iter()
        .rev()
        .find(|&&b| !is_case_ignorable(b));
    let mut final_sigma = before.is_some_and(|&b| is_cased(b));
    if final_sigma {
        let after = chars[index + 1..].iter().find(|&&a| !is_case_ignorable(a));
        final_sigma = after.is_none_or(|&a| !is_cased(a));
    }
    CaseMapping::One(if final_sigma { '\u{3c2}' } else { '\u{3c3}' })
}

/// `s.casefold()`: lowercase made for caseless comparison (`'ß'` folds to
/// `'ss'`).
pub fn casefold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        unicode::to_folded(c).push_to(&mut out);
    }
    out
}

/// `s.title()`: a character after a cased one is lowercased, any other is
/// titlecased. ("They're" becomes "They'Re", as in Python.)
pub fn title(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut previous_is_cased = false;
    for (index, &c) in chars.iter().enumerate() {
        if previous_is_cased {
            lower_in_context(&chars, index).push_to(&mut out);
        } else {
            unicode::to_title(c).push_to(&mut out);
        }
        previous_is_cased = is_cased(c);
    }
    out
}

/// `s.capitalize()`: the first character titlecased, the rest lowercased.
pub fn capitalize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for index in 0..chars.len() {
        if index == 0 {
            unicode::to_title(chars[0]).push_to(&mut out);
        } else {
            lower_in_context(&chars, index).push_to(&mut out);
        }
    }
    out
}

/// `s.swapcase()`.
pub fn swapcase(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (index, &c) in chars.iter().enumerate() {
        if is_uppercase(c) {
            lower_in_context(&chars, index).push_to(&mut out);
        } else if is_lowercase(c) {
            unicode::to_upper(c).push_to(&mut out);
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------- predicates

fn all_nonempty(text: &str, predicate: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.chars().all(predicate)
}

/// `s.isdigit()`.
pub fn isdigit(text: &str) -> bool {
    all_nonempty(text, unicode::is_digit)
}

/// `s.isdecimal()`.
pub fn isdecimal(text: &str) -> bool {
    all_nonempty(text, unicode::is_decimal)
}

/// `s.isnumeric()`.
pub fn isnumeric(text: &str) -> bool {
    all_nonempty(text, unicode::is_numeric)
}

/// `s.isalpha()`.
pub fn isalpha(text: &str) -> bool {
    all_nonempty(text, unicode::is_alpha)
}

/// `s.isalnum()`.
pub fn isalnum(text: &str) -> bool {
    all_nonempty(text, unicode::is_alnum)
}

/// `s.isspace()`.
pub fn isspace(text: &str) -> bool {
    all_nonempty(text, unicode::is_python_whitespace)
}

/// `s.isprintable()` (true for the empty string).
pub fn isprintable(text: &str) -> bool {
    text.chars().all(unicode::is_printable)
}

/// `s.isascii()`.
pub fn isascii(text: &str) -> bool {
    text.is_ascii()
}

/// `s.islower()`: some cased character, and none upper- or titlecase.
pub fn islower(text: &str) -> bool {
    let mut cased = false;
    for c in text.chars() {
        if is_uppercase(c) || is_titlecase(c) {
            return false;
        }
        cased |= is_lowercase(c);
    }
    cased
}

/// `s.isupper()`: some cased character, and none lower- or titlecase.
pub fn isupper(text: &str) -> bool {
    let mut cased = false;
    for c in text.chars() {
        if is_lowercase(c) || is_titlecase(c) {
            return false;
        }
        cased |= is_uppercase(c);
    }
    cased
}

/// `s.istitle()`: uppercase letters only start words, lowercase ones only
/// follow cased letters, and there is at least one cased letter.
pub fn istitle(text: &str) -> bool {
    let mut cased = false;
    let mut previous_is_cased = false;
    for c in text.chars() {
        if is_uppercase(c) || is_titlecase(c) {
            if previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else if is_lowercase(c) {
            if !previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else {
            previous_is_cased = false;
        }
    }
    cased
}

/// `s.isidentifier()`: a valid Python name (keywords included).
pub fn isidentifier(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if unicode::is_identifier_start(first) => {
            chars.all(unicode::is_identifier_continue)
        }
        _ => false,
    }
}
