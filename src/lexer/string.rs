//! String literals: `'...'`, `"..."`, `'''...'''`, `"""..."""`, with the
//! prefixes Python allows (`r`, `b`, `f`, `u` and the combinations `rb`,
//! `br`, `rf`, `fr` in any case).
//!
//! logos spots the prefix and the opening quote; [`scan_string`] finds the
//! closing quote, then the body is decoded: escapes for ordinary strings
//! (`\n`, `\x41`, `\u20ac`, `\101`, a backslash-newline joins lines), bytes
//! for `b'...'`, and for f-strings the body is handed to `fstring.rs`, which
//! splits it into literal text and `{expression}` fields.

use logos::Lexer;

use super::fstring::{split_fstring, FStringPiece};
use super::token::Token;
use super::{line_number, LexError};

/// A decoded string literal, ready for the parser.
#[derive(Clone, Debug, PartialEq)]
pub enum StringLiteral {
    Str(String),
    Bytes(Vec<u8>),
    FString(Vec<FStringPiece>),
    /// A literal whose contents are malformed; the parser reports the error
    /// when it reaches the literal.
    Invalid(LexError),
}

/// The prefix letters of a literal.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Prefix {
    pub raw: bool,
    pub bytes: bool,
    pub format: bool,
}

/// The logos callback: scan to the closing quote and decode the body.
pub(super) fn scan_string(lex: &mut Lexer<Token>) -> Result<Box<StringLiteral>, LexError> {
    let source = lex.source();
    let start = lex.span().start;
    let opening = lex.slice();
    let mut prefix = Prefix::default();
    for c in opening.chars() {
        match c {
            'r' | 'R' => prefix.raw = true,
            'b' | 'B' => prefix.bytes = true,
            'f' | 'F' => prefix.format = true,
            _ => {}
        }
    }
    let quote = opening.as_bytes()[opening.len() - 1];
    let mut body_start = lex.span().end;
    let triple = source.as_bytes()[body_start..].starts_with(&[quote, quote]);
    if triple {
        body_start += 2;
    }
    let (body_end, token_end) = find_end(source, start, body_start, quote, triple)?;
    lex.bump(token_end - lex.span().end);
    let token_span = (start, token_end);
    // What is wrong *inside* a literal (a bad escape, a malformed f-string)
    // is reported by the parser when it reaches the literal, as CPython does:
    // an earlier syntax error, or a later tokenizer error, comes first.
    let literal = decode(prefix, lex.extras, source, body_start, body_end, token_span)
        .unwrap_or_else(StringLiteral::Invalid);
    Ok(Box::new(literal))
}

/// The value of a literal, from its prefix and body.
fn decode(
    prefix: Prefix,
    nesting: usize,
    source: &str,
    body_start: usize,
    body_end: usize,
    token_span: (usize, usize),
) -> Result<StringLiteral, LexError> {
    let body = &source[body_start..body_end];
    Ok(if prefix.format {
        StringLiteral::FString(split_fstring(
            nesting, source, body_start, body_end, prefix.raw, token_span,
        )?)
    } else if prefix.bytes {
        if !body.is_ascii() {
            return Err(LexError::syntax(
                "bytes can only contain ASCII literal characters",
                token_span.0,
                token_span.1,
            ));
        }
        let bytes = if prefix.raw {
            normalize_newlines(body).into_bytes()
        } else {
            decode_bytes(body, token_span)?
        };
        StringLiteral::Bytes(bytes)
    } else if prefix.raw {
        StringLiteral::Str(normalize_newlines(body))
    } else {
        StringLiteral::Str(decode_str(body, token_span)?)
    })
}

/// Find the closing quote. Returns (end of body, end of token).
fn find_end(
    source: &str,
    start: usize,
    body_start: usize,
    quote: u8,
    triple: bool,
) -> Result<(usize, usize), LexError> {
    let bytes = source.as_bytes();
    let mut i = body_start;
    loop {
        let Some(&c) = bytes.get(i) else {
            return Err(unterminated(source, start, source.len(), triple));
        };
        match c {
            b'\\' => {
                i += 1;
                if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
                    i += 2;
                } else if let Some(ch) = source.get(i..).and_then(|s| s.chars().next()) {
                    i += ch.len_utf8();
                }
            }
            b'\n' | b'\r' if !triple => {
                return Err(unterminated(source, start, i + 1, triple));
            }
            _ if c == quote && (!triple || bytes[i..].starts_with(&[quote, quote, quote])) => {
                let quote_len = if triple { 3 } else { 1 };
                return Ok((i, i + quote_len));
            }
            _ => i += 1,
        }
    }
}

/// CPython reports an unterminated string at its first line, and names the
/// line where the tokenizer gave up.
fn unterminated(source: &str, start: usize, gave_up_at: usize, triple: bool) -> LexError {
    let detected = line_number(source, gave_up_at.saturating_sub(1));
    let what = if triple {
        "unterminated triple-quoted string literal"
    } else {
        "unterminated string literal"
    };
    LexError::syntax(
        format!("{what} (detected at line {detected})"),
        start,
        start + 1,
    )
}

/// Python reads source files with universal newlines: `\r\n` and `\r`
/// inside a literal are `\n` in its value.
fn normalize_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// What one escape sequence means.
enum Escape {
    /// A character (str) or byte value (bytes).
    Value(u32),
    /// Backslash-newline: nothing.
    Nothing,
    /// Not an escape Python knows: the backslash stays (`'\q'` is `\q`).
    Keep,
}

/// Decode the escape starting at `text[i]` (which is a backslash). Returns
/// the meaning and the index after the escape.
fn escape(
    text: &str,
    i: usize,
    bytes_mode: bool,
    span: (usize, usize),
) -> Result<(Escape, usize), LexError> {
    let b = text.as_bytes();
    let Some(&c) = b.get(i + 1) else {
        return Ok((Escape::Keep, i + 1));
    };
    let simple = |v: u8| Ok((Escape::Value(v as u32), i + 2));
    match c {
        b'\n' => Ok((Escape::Nothing, i + 2)),
        b'\r' if b.get(i + 2) == Some(&b'\n') => Ok((Escape::Nothing, i + 3)),
        b'\r' => Ok((Escape::Nothing, i + 2)),
        b'\\' => simple(b'\\'),
        b'\'' => simple(b'\''),
        b'"' => simple(b'"'),
        b'a' => simple(7),
        b'b' => simple(8),
        b'f' => simple(12),
        b'n' => simple(b'\n'),
        b'r' => simple(b'\r'),
        b't' => simple(b'\t'),
        b'v' => simple(11),
        b'0'..=b'7' => {
            let mut j = i + 1;
            let mut value = 0u32;
            while j < b.len() && j < i + 4 && (b'0'..=b'7').contains(&b[j]) {
                value = value * 8 + (b[j] - b'0') as u32;
                j += 1;
            }
            if bytes_mode {
                value &= 0xFF;
            }
            Ok((Escape::Value(value), j))
        }
        b'x' | b'u' | b'U' if !(bytes_mode && c != b'x') => {
            let (digits, name) = match c {
                b'x' => (2, "\\xXX"),
                b'u' => (4, "\\uXXXX"),
                _ => (8, "\\UXXXXXXXX"),
            };
            let mut j = i + 2;
            let mut value = 0u32;
            while j < b.len() && j < i + 2 + digits && b[j].is_ascii_hexdigit() {
                value = value * 16 + (b[j] as char).to_digit(16).unwrap_or(0);
                j += 1;
            }
            if j < i + 2 + digits {
                let message = if bytes_mode {
                    format!("(value error) invalid \\x escape at position {i}")
                } else {
                    format!(
                        "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: truncated {name} escape",
                        i,
                        j - 1
                    )
                };
                return Err(LexError::syntax(message, span.1, span.1 + 1));
            }
            if value > 0x10FFFF {
                return Err(LexError::syntax(
                    format!(
                        "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: illegal Unicode character",
                        i,
                        j - 1
                    ),
                    span.1,
                    span.1 + 1,
                ));
            }
            if (0xD800..0xE000).contains(&value) {
                return Err(LexError::unsupported(
                    "a lone surrogate escape (`\\ud800`-`\\udfff`)",
                    span.0,
                    span.1,
                ));
            }
            Ok((Escape::Value(value), j))
        }
        b'N' if !bytes_mode => Err(LexError::unsupported(
            "the `\\N{...}` escape",
            span.0,
            span.1,
        )),
        _ => Ok((Escape::Keep, i + 1)),
    }
}

/// Decode the escapes of an ordinary (non-raw) string body.
pub(super) fn decode_str(body: &str, span: (usize, usize)) -> Result<String, LexError> {
    if !body.contains('\\') && !body.contains('\r') {
        return Ok(body.to_string());
    }
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with('\\') {
            let (meaning, next) = escape(body, i, false, span)?;
            match meaning {
                Escape::Value(v) => out.push(char::from_u32(v).unwrap_or('\u{FFFD}')),
                Escape::Nothing => {}
                Escape::Keep => out.push('\\'),
            }
            i = next;
        } else if rest.starts_with("\r\n") {
            out.push('\n');
            i += 2;
        } else if rest.starts_with('\r') {
            out.push('\n');
            i += 1;
        } else {
            let ch = rest.chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    Ok(out)
}

/// Decode the escapes of a (non-raw) bytes body, which is all ASCII.
fn decode_bytes(body: &str, span: (usize, usize)) -> Result<Vec<u8>, LexError> {
    let b = body.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                let (meaning, next) = escape(body, i, true, span)?;
                match meaning {
                    Escape::Value(v) => out.push(v as u8),
                    Escape::Nothing => {}
                    Escape::Keep => out.push(b'\\'),
                }
                i = next;
            }
            b'\r' => {
                out.push(b'\n');
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}
