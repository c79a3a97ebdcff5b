//! `repr()` and `ascii()` of strings, exactly as CPython writes them.
//!
//! The rules (CPython's `unicode_repr`):
//! - quote with `'`, unless the text contains `'` and no `"`;
//! - escape the backslash and the chosen quote;
//! - `\t`, `\n`, `\r` by name; other control characters as `\xhh`;
//! - non-ASCII characters stay as they are when printable
//!   (`str.isprintable`), otherwise `\xhh`, `\uhhhh` or `\Uhhhhhhhh`.
//!
//! `ascii()` is the same with every non-ASCII character escaped.

use super::unicode::is_printable;

/// `repr(text)`.
pub fn str_repr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_str_repr(&mut out, text);
    out
}

/// `ascii(text)`: the repr with its non-ASCII characters escaped.
pub fn str_ascii(text: &str) -> String {
    escape_non_ascii(&str_repr(text))
}

/// Appends `repr(text)` to `out`, so the repr of a list of strings needs
/// no temporaries.
pub fn write_str_repr(out: &mut String, text: &str) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    let bytes = text.as_bytes();
    // Copy runs of plain ASCII in one go; stop at anything needing care.
    let mut run_start = 0;
    for (index, c) in text.char_indices() {
        let plain = c.is_ascii() && c >= ' ' && c != '\x7f' && c != '\\' && c != quote;
        if plain {
            continue;
        }
        out.push_str(&text[run_start..index]);
        run_start = index + c.len_utf8();
        push_escaped(out, c, quote);
    }
    out.push_str(&text[run_start..bytes.len()]);
    out.push(quote);
}

/// `ascii(x)` from `repr(x)`: every non-ASCII character becomes `\xhh`,
/// `\uhhhh` or `\Uhhhhhhhh` (CPython's `backslashreplace`); everything
/// else, backslashes included, stays as the repr wrote it.
pub fn escape_non_ascii(repr: &str) -> String {
    if repr.is_ascii() {
        return repr.to_string();
    }
    let mut out = String::with_capacity(repr.len() + 8);
    for c in repr.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            push_hex_escape(&mut out, c);
        }
    }
    out
}

fn push_hex_escape(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let code = c as u32;
    let (prefix, digits) = match code {
        0..=0xff => ("\\x", 2),
        0x100..=0xffff => ("\\u", 4),
        _ => ("\\U", 8),
    };
    out.push_str(prefix);
    for shift in (0..digits).rev() {
        out.push(HEX[((code >> (4 * shift)) & 0xf) as usize] as char);
    }
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        _ if c == quote => {
            out.push('\\');
            out.push(c);
        }
        _ if !c.is_ascii() && is_printable(c) => out.push(c),
        _ => push_hex_escape(out, c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(
            str_repr("a\\b\n\t\r\x00\x7f"),
            "'a\\\\b\\n\\t\\r\\x00\\x7f'"
        );
        assert_eq!(
            str_repr("é\u{a0}\u{ad}\u{2028}\u{e000}\u{1F600}\u{E0001}"),
            "'é\\xa0\\xad\\u2028\\ue000\u{1F600}\\U000e0001'"
        );
        assert_eq!(str_ascii("é\u{1F600}"), "'\\xe9\\U0001f600'");
    }
}
