//! Python's `str` methods over Rust `&str`: searching, splitting, stripping,
//! replacing, padding. Case mappings and the `is*` predicates live in
//! `str_case.rs`.
//!
//! Two things make Python strings differ from Rust's:
//!
//! - Indices count characters (code points), not bytes. `start`/`end`
//!   arguments behave like slice bounds: negative counts from the end, and
//!   out-of-range values are clamped. Results are character indices too.
//!   ASCII text, where a character is a byte, takes the fast byte paths.
//! - "Whitespace" is Python's (`str.isspace`), which includes characters
//!   such as U+001C..U+001F and U+0085 that Rust's `char::is_whitespace`
//!   treats differently.
//!
//! Functions return slices of the input where they can (`split`, `strip`,
//! `partition`), so the VM copies only what it keeps.

use std::borrow::Cow;

use super::unicode::is_python_whitespace;

/// The `ValueError`s raised by str methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrError {
    /// `ValueError: empty separator` (`split('')`, `partition('')`).
    EmptySeparator,
    /// `ValueError: substring not found` (`index`, `rindex`).
    SubstringNotFound,
    /// `MemoryError` (no message): the result would be absurdly large
    /// (`'a'.center(2**62)`, `'a' * 2**62`).
    TooLarge,
}

impl StrError {
    /// The message (empty for `MemoryError`).
    pub fn message(self) -> &'static str {
        match self {
            StrError::EmptySeparator => "empty separator",
            StrError::SubstringNotFound => "substring not found",
            StrError::TooLarge => "",
        }
    }

    /// The name of the Python exception this error becomes.
    pub fn exception_name(self) -> &'static str {
        match self {
            StrError::TooLarge => "MemoryError",
            _ => "ValueError",
        }
    }
}

/// Results longer than this many bytes are refused with `MemoryError`
/// rather than attempted (CPython would usually fail the same way).
pub const MAX_RESULT_BYTES: usize = 1 << 30;

fn check_size(bytes: u128) -> Result<(), StrError> {
    if bytes > MAX_RESULT_BYTES as u128 {
        Err(StrError::TooLarge)
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------- indexing

/// `len(s)`: the number of code points.
pub fn char_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// The byte offset of character `index` (`index == len` gives the end).
/// O(1) when the caller knows the text is ASCII (keep that flag with the
/// string), O(n) otherwise.
pub fn char_to_byte_offset(text: &str, is_ascii: bool, index: usize) -> usize {
    if is_ascii {
        return index.min(text.len());
    }
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(offset, _)| offset)
}

/// The character index of a byte offset that starts a character.
pub fn byte_to_char_offset(text: &str, is_ascii: bool, offset: usize) -> usize {
    if is_ascii {
        offset
    } else {
        text[..offset].chars().count()
    }
}

/// `s[index]` for `0 <= index < len` (the VM handles negative indices and
/// `IndexError: string index out of range`).
pub fn char_at(text: &str, is_ascii: bool, index: usize) -> Option<char> {
    if is_ascii {
        text.as_bytes().get(index).map(|&b| b as char)
    } else {
        text.chars().nth(index)
    }
}

/// Python's slice arithmetic (`PySlice_AdjustIndices`): the start, the step
/// and how many items `seq[start:stop:step]` has, for a sequence of
/// `length` items. `step` must not be 0 (`ValueError: slice step cannot be
/// zero` is the caller's).
pub fn slice_indices(
    length: usize,
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
) -> (i64, i64, usize) {
    let length = length as i64;
    // Like CPython, a step of i64::MIN behaves as -i64::MAX (so negating
    // it cannot overflow).
    let step = step.max(-i64::MAX);
    let clamp = |value: i64, low: i64, high: i64| {
        if value < 0 {
            (value + length).max(low)
        } else {
            value.min(high)
        }
    };
    let (start, stop) = if step > 0 {
        (
            start.map_or(0, |s| clamp(s, 0, length)),
            stop.map_or(length, |s| clamp(s, 0, length)),
        )
    } else {
        (
            start.map_or(length - 1, |s| clamp(s, -1, length - 1)),
            stop.map_or(-1, |s| clamp(s, -1, length - 1)),
        )
    };
    let count = if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && stop < start {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    };
    (start, step, count as usize)
}

/// `s[start:stop:step]` by characters.
pub fn slice(text: &str, start: Option<i64>, stop: Option<i64>, step: i64) -> String {
    let ascii = text.is_ascii();
    let length = if ascii {
        text.len()
    } else {
        text.chars().count()
    };
    let (first, step, count) = slice_indices(length, start, stop, step);
    if count == 0 {
        return String::new();
    }
    if step == 1 {
        let from = char_to_byte_offset(text, ascii, first as usize);
        let to = char_to_byte_offset(text, ascii, first as usize + count);
        return text[from..to].to_string();
    }
    if ascii {
        let bytes = text.as_bytes();
        return (0..count)
            .map(|i| bytes[(first + i as i64 * step) as usize] as char)
            .collect();
    }
    let chars: Vec<char> = text.chars().collect();
    (0..count)
        .map(|i| chars[(first + i as i64 * step) as usize])
        .collect()
}

/// CPython's `ADJUST_INDICES`: negative bounds count from the end, `end`
/// is clamped to the length, `start` only from below (so `start > end` is
/// possible and means "nothing here").
fn adjust_indices(start: Option<i64>, end: Option<i64>, length: usize) -> (i64, i64) {
    let length = length as i64;
    let mut end = end.unwrap_or(length);
    if end > length {
        end = length;
    } else if end < 0 {
        end = (end + length).max(0);
    }
    let mut start = start.unwrap_or(0);
    if start < 0 {
        start = (start + length).max(0);
    }
    (start, end)
}

/// The part of `text` between character bounds already adjusted, with its
/// byte offset.
fn window(text: &str, ascii: bool, start: i64, end: i64) -> (&str, usize) {
    let from = char_to_byte_offset(text, ascii, start as usize);
    let to = char_to_byte_offset(text, ascii, end as usize);
    (&text[from..to], from)
}

// ---------------------------------------------------------------- searching

/// `s.find(sub, start, end)`: the character index, or -1.
pub fn find(text: &str, sub: &str, start: Option<i64>, end: Option<i64>) -> i64 {
    search(text, sub, start, end, false)
}

/// `s.rfind(sub, start, end)`.
pub fn rfind(text: &str, sub: &str, start: Option<i64>, end: Option<i64>) -> i64 {
    search(text, sub, start, end, true)
}

/// `s.index(sub, start, end)`.
pub fn index(
    text: &str,
    sub: &str,
    start: Option<i64>,
    end: Option<i64>,
) -> Result<usize, StrError> {
    let found = find(text, sub, start, end);
    usize::try_from(found).map_err(|_| StrError::SubstringNotFound)
}

/// `s.rindex(sub, start, end)`.
pub fn rindex(
    text: &str,
    sub: &str,
    start: Option<i64>,
    end: Option<i64>,
) -> Result<usize, StrError> {
    let found = rfind(text, sub, start, end);
    usize::try_from(found).map_err(|_| StrError::SubstringNotFound)
}

fn search(text: &str, sub: &str, start: Option<i64>, end: Option<i64>, from_right: bool) -> i64 {
    let ascii = text.is_ascii();
    let length = if ascii {
        text.len()
    } else {
        text.chars().count()
    };
    let (start, end) = adjust_indices(start, end, length);
    let sub_length = char_len(sub) as i64;
    if end - start < sub_length {
        return -1;
    }
    if sub.is_empty() {
        return if from_right { end } else { start };
    }
    let (haystack, offset) = window(text, ascii, start, end);
    let found = if from_right {
        haystack.rfind(sub)
    } else {
        haystack.find(sub)
    };
    match found {
        Some(position) => byte_to_char_offset(text, ascii, offset + position) as i64,
        None => -1,
    }
}

/// `s.count(sub, start, end)`: non-overlapping occurrences.
pub fn count(text: &str, sub: &str, start: Option<i64>, end: Option<i64>) -> usize {
    let ascii = text.is_ascii();
    let length = if ascii {
        text.len()
    } else {
        text.chars().count()
    };
    let (start, end) = adjust_indices(start, end, length);
    if end - start < char_len(sub) as i64 {
        return 0;
    }
    if sub.is_empty() {
        return (end - start + 1) as usize;
    }
    let (haystack, _) = window(text, ascii, start, end);
    match single_char(sub) {
        Some(c) if c.is_ascii() => haystack.bytes().filter(|b| *b == c as u8).count(),
        Some(c) => haystack.matches(c).count(),
        None => haystack.matches(sub).count(),
    }
}

/// `s.startswith(prefix, start, end)` for one prefix (the VM loops over a
/// tuple of prefixes).
pub fn startswith(text: &str, prefix: &str, start: Option<i64>, end: Option<i64>) -> bool {
    tail_match(text, prefix, start, end, false)
}

/// `s.endswith(suffix, start, end)`.
pub fn endswith(text: &str, suffix: &str, start: Option<i64>, end: Option<i64>) -> bool {
    tail_match(text, suffix, start, end, true)
}

fn tail_match(text: &str, part: &str, start: Option<i64>, end: Option<i64>, at_end: bool) -> bool {
    if start.is_none() && end.is_none() {
        return if at_end {
            text.ends_with(part)
        } else {
            text.starts_with(part)
        };
    }
    let ascii = text.is_ascii();
    let length = if ascii {
        text.len()
    } else {
        text.chars().count()
    };
    let (start, end) = adjust_indices(start, end, length);
    if end - (char_len(part) as i64) < start {
        return false;
    }
    let (haystack, _) = window(text, ascii, start, end);
    if at_end {
        haystack.ends_with(part)
    } else {
        haystack.starts_with(part)
    }
}

// ---------------------------------------------------------------- splitting

/// `s.split(sep, maxsplit)`; `maxsplit < 0` means no limit.
pub fn split<'a>(
    text: &'a str,
    separator: Option<&str>,
    max_split: i64,
) -> Result<Vec<&'a str>, StrError> {
    let limit = if max_split < 0 {
        usize::MAX
    } else {
        max_split as usize
    };
    match separator {
        None => Ok(split_whitespace(text, limit)),
        Some("") => Err(StrError::EmptySeparator),
        // A one-character separator searches with `memchr` (a `char`
        // pattern), much faster than the general substring search.
        Some(separator) => Ok(match single_char(separator) {
            Some(c) if c.is_ascii() => {
                // Splitting at an ASCII byte keeps every piece valid UTF-8.
                let pieces = text
                    .as_bytes()
                    .splitn(limit.saturating_add(1), |b| *b == c as u8);
                // SAFETY: each piece lies between ASCII bytes (or the ends)
                // of valid UTF-8 text.
                pieces
                    .map(|piece| unsafe { std::str::from_utf8_unchecked(piece) })
                    .collect()
            }
            Some(c) => text.splitn(limit.saturating_add(1), c).collect(),
            None => text.splitn(limit.saturating_add(1), separator).collect(),
        }),
    }
}

/// `text.replace(old, new)` for a one-byte ASCII `old`: a plain byte scan,
/// cheaper than a general search on the short strings programs handle.
fn replace_ascii_byte<'a>(text: &'a str, old: u8, new: &str) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    let Some(first) = bytes.iter().position(|b| *b == old) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + new.len().saturating_sub(1) * 4);
    out.push_str(&text[..first]);
    let mut run_start = first;
    for (index, byte) in bytes.iter().enumerate().skip(first) {
        if *byte == old {
            out.push_str(&text[run_start..index]);
            out.push_str(new);
            run_start = index + 1;
        }
    }
    out.push_str(&text[run_start..]);
    Cow::Owned(out)
}

/// The character, if `pattern` is exactly one character.
#[inline]
fn single_char(pattern: &str) -> Option<char> {
    let mut chars = pattern.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// `s.rsplit(sep, maxsplit)`.
pub fn rsplit<'a>(
    text: &'a str,
    separator: Option<&str>,
    max_split: i64,
) -> Result<Vec<&'a str>, StrError> {
    let limit = if max_split < 0 {
        usize::MAX
    } else {
        max_split as usize
    };
    let mut parts: Vec<&str> = match separator {
        None => rsplit_whitespace(text, limit),
        Some("") => return Err(StrError::EmptySeparator),
        Some(separator) => text.rsplitn(limit.saturating_add(1), separator).collect(),
    };
    parts.reverse();
    Ok(parts)
}

/// Splitting on runs of whitespace: no empty strings, and once `limit`
/// splits are made the rest (minus leading whitespace) is one part.
fn split_whitespace(text: &str, limit: usize) -> Vec<&str> {
    if text.is_ascii() {
        return split_ascii_whitespace(text, limit);
    }
    let mut limit = limit;
    let mut parts = Vec::new();
    let mut rest = text;
    while limit > 0 {
        rest = rest.trim_start_matches(is_python_whitespace);
        if rest.is_empty() {
            return parts;
        }
        let word_end = rest.find(is_python_whitespace).unwrap_or(rest.len());
        parts.push(&rest[..word_end]);
        rest = &rest[word_end..];
        limit -= 1;
    }
    let rest = rest.trim_start_matches(is_python_whitespace);
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts
}

fn is_ascii_python_whitespace(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | 0x1c..=b' ')
}

/// `split_whitespace` for ASCII text, byte by byte.
fn split_ascii_whitespace(text: &str, mut limit: usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut position = 0;
    while limit > 0 {
        while position < bytes.len() && is_ascii_python_whitespace(bytes[position]) {
            position += 1;
        }
        if position == bytes.len() {
            return parts;
        }
        let word_start = position;
        while position < bytes.len() && !is_ascii_python_whitespace(bytes[position]) {
            position += 1;
        }
        parts.push(&text[word_start..position]);
        limit -= 1;
    }
    while position < bytes.len() && is_ascii_python_whitespace(bytes[position]) {
        position += 1;
    }
    if position < bytes.len() {
        parts.push(&text[position..]);
    }
    parts
}

/// The mirror image of `split_whitespace`, parts collected right to left.
fn rsplit_whitespace(text: &str, mut limit: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while limit > 0 {
        rest = rest.trim_end_matches(is_python_whitespace);
        if rest.is_empty() {
            return parts;
        }
        let word_start = rest.rfind(is_python_whitespace).map_or(0, |i| {
            i + rest[i..].chars().next().map_or(1, char::len_utf8)
        });
        parts.push(&rest[word_start..]);
        rest = &rest[..word_start];
        limit -= 1;
    }
    let rest = rest.trim_end_matches(is_python_whitespace);
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `s.splitlines(keepends)`: every Python line boundary, `\r\n` as one.
pub fn splitlines(text: &str, keep_ends: bool) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut line_start = 0;
    let mut position = 0;
    while position < text.len() {
        let Some(offset) = text[position..].find(is_line_break) else {
            break;
        };
        let break_start = position + offset;
        let break_char = text[break_start..].chars().next().unwrap_or('\n');
        let mut break_end = break_start + break_char.len_utf8();
        if break_char == '\r' && text.as_bytes().get(break_end) == Some(&b'\n') {
            break_end += 1;
        }
        lines.push(&text[line_start..if keep_ends { break_end } else { break_start }]);
        line_start = break_end;
        position = break_end;
    }
    if line_start < text.len() {
        lines.push(&text[line_start..]);
    }
    lines
}

/// `s.partition(sep)`.
pub fn partition<'a>(
    text: &'a str,
    separator: &str,
) -> Result<(&'a str, &'a str, &'a str), StrError> {
    if separator.is_empty() {
        return Err(StrError::EmptySeparator);
    }
    Ok(match text.find(separator) {
        Some(at) => (
            &text[..at],
            &text[at..at + separator.len()],
            &text[at + separator.len()..],
        ),
        None => (text, "", ""),
    })
}

/// `s.rpartition(sep)`.
pub fn rpartition<'a>(
    text: &'a str,
    separator: &str,
) -> Result<(&'a str, &'a str, &'a str), StrError> {
    if separator.is_empty() {
        return Err(StrError::EmptySeparator);
    }
    Ok(match text.rfind(separator) {
        Some(at) => (
            &text[..at],
            &text[at..at + separator.len()],
            &text[at + separator.len()..],
        ),
        None => ("", "", text),
    })
}

/// `sep.join(parts)` once the VM has checked every part is a str.
pub fn join<S: AsRef<str>>(separator: &str, parts: &[S]) -> String {
    let total: usize = parts.iter().map(|p| p.as_ref().len()).sum::<usize>()
        + separator.len() * parts.len().saturating_sub(1);
    let mut out = String::with_capacity(total);
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

// ---------------------------------------------------------------- stripping

/// `s.strip(chars)`: `None` strips Python whitespace.
pub fn strip<'a>(text: &'a str, chars: Option<&str>) -> &'a str {
    rstrip(lstrip(text, chars), chars)
}

/// `s.lstrip(chars)`.
pub fn lstrip<'a>(text: &'a str, chars: Option<&str>) -> &'a str {
    match chars {
        None => text.trim_start_matches(is_python_whitespace),
        Some(set) => text.trim_start_matches(|c| set.contains(c)),
    }
}

/// `s.rstrip(chars)`.
pub fn rstrip<'a>(text: &'a str, chars: Option<&str>) -> &'a str {
    match chars {
        None => text.trim_end_matches(is_python_whitespace),
        Some(set) => text.trim_end_matches(|c| set.contains(c)),
    }
}

/// `s.removeprefix(prefix)`.
pub fn removeprefix<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.strip_prefix(prefix).unwrap_or(text)
}

/// `s.removesuffix(suffix)`.
pub fn removesuffix<'a>(text: &'a str, suffix: &str) -> &'a str {
    text.strip_suffix(suffix).unwrap_or(text)
}

// ---------------------------------------------------------------- replacing

/// `s.replace(old, new, count)`; `count < 0` replaces all. An empty `old`
/// inserts `new` before every character and at the end
/// (`'ab'.replace('', '-') == '-a-b-'`). Borrows when nothing changes.
pub fn replace<'a>(text: &'a str, old: &str, new: &str, count: i64) -> Cow<'a, str> {
    let limit = if count < 0 {
        usize::MAX
    } else {
        count as usize
    };
    if limit == 0 {
        return Cow::Borrowed(text);
    }
    if old.is_empty() {
        let mut out = String::with_capacity(text.len() + new.len() * (text.len() + 1).min(limit));
        let mut inserted = 0;
        for c in text.chars() {
            if inserted < limit {
                out.push_str(new);
                inserted += 1;
            }
            out.push(c);
        }
        if inserted < limit {
            out.push_str(new);
        }
        return Cow::Owned(out);
    }
    if let Some(c) = single_char(old) {
        if c.is_ascii() && limit == usize::MAX {
            return replace_ascii_byte(text, c as u8, new);
        }
        if !text.contains(c) {
            return Cow::Borrowed(text);
        }
        return Cow::Owned(if limit == usize::MAX {
            text.replace(c, new)
        } else {
            text.replacen(c, new, limit)
        });
    }
    if !text.contains(old) {
        return Cow::Borrowed(text);
    }
    if limit == usize::MAX {
        return Cow::Owned(text.replace(old, new));
    }
    Cow::Owned(text.replacen(old, new, limit))
}

/// `s * n` (and `n * s`); `n <= 0` gives the empty string.
pub fn repeat(text: &str, times: i64) -> Result<String, StrError> {
    if times <= 0 || text.is_empty() {
        return Ok(String::new());
    }
    check_size(text.len() as u128 * times as u128)?;
    Ok(text.repeat(times as usize))
}

// ---------------------------------------------------------------- padding

fn pad(text: &str, left: usize, right: usize, fill: char) -> String {
    let mut out = String::with_capacity(text.len() + (left + right) * fill.len_utf8());
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(text);
    out.extend(std::iter::repeat_n(fill, right));
    out
}

/// `s.center(width, fillchar)`, with CPython's rule for odd padding
/// (`'a'.center(4)` is `' a  '` but `'ab'.center(5)` is `'  ab '`).
pub fn center(text: &str, width: i64, fill: char) -> Result<Cow<'_, str>, StrError> {
    let length = char_len(text) as i64;
    if width <= length {
        return Ok(Cow::Borrowed(text));
    }
    check_size(text.len() as u128 + (width - length) as u128 * fill.len_utf8() as u128)?;
    let margin = width - length;
    let left = margin / 2 + (margin & width & 1);
    Ok(Cow::Owned(pad(
        text,
        left as usize,
        (margin - left) as usize,
        fill,
    )))
}

/// `s.ljust(width, fillchar)`.
pub fn ljust(text: &str, width: i64, fill: char) -> Result<Cow<'_, str>, StrError> {
    let length = char_len(text) as i64;
    if width <= length {
        return Ok(Cow::Borrowed(text));
    }
    check_size(text.len() as u128 + (width - length) as u128 * fill.len_utf8() as u128)?;
    Ok(Cow::Owned(pad(text, 0, (width - length) as usize, fill)))
}

/// `s.rjust(width, fillchar)`.
pub fn rjust(text: &str, width: i64, fill: char) -> Result<Cow<'_, str>, StrError> {
    let length = char_len(text) as i64;
    if width <= length {
        return Ok(Cow::Borrowed(text));
    }
    check_size(text.len() as u128 + (width - length) as u128 * fill.len_utf8() as u128)?;
    Ok(Cow::Owned(pad(text, (width - length) as usize, 0, fill)))
}

/// `s.zfill(width)`: zeros on the left, after a leading sign.
pub fn zfill(text: &str, width: i64) -> Result<Cow<'_, str>, StrError> {
    let length = char_len(text) as i64;
    if width <= length {
        return Ok(Cow::Borrowed(text));
    }
    check_size(text.len() as u128 + (width - length) as u128)?;
    let fill = (width - length) as usize;
    let mut out = String::with_capacity(width as usize);
    let body = match text.chars().next() {
        Some(sign @ ('+' | '-')) => {
            out.push(sign);
            &text[1..]
        }
        _ => text,
    };
    out.extend(std::iter::repeat_n('0', fill));
    out.push_str(body);
    Ok(Cow::Owned(out))
}

/// `s.expandtabs(tabsize)`: each tab becomes spaces up to the next
/// multiple of `tabsize` columns; `\n` and `\r` restart the column count.
pub fn expandtabs(text: &str, tab_size: i64) -> Result<Cow<'_, str>, StrError> {
    if !text.contains('\t') {
        return Ok(Cow::Borrowed(text));
    }
    let tabs = text.bytes().filter(|&b| b == b'\t').count() as u128;
    check_size(text.len() as u128 + tabs * tab_size.max(0) as u128)?;
    let mut out = String::with_capacity(text.len() + 8);
    let mut column: i64 = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                if tab_size > 0 {
                    let spaces = tab_size - column % tab_size;
                    out.extend(std::iter::repeat_n(' ', spaces as usize));
                    column += spaces;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
#[path = "str_methods_tests.rs"]
mod tests;
