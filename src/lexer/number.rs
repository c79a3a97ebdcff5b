//! Numeric literals: `42`, `0x_ff`, `0o17`, `0b1010`, `1_000.5`, `.5`,
//! `1e-3`.
//!
//! logos only spots where a number starts; this scanner then walks it
//! character by character, following CPython's own tokenizer (`tok_get` in
//! `Parser/tokenizer.c`) closely enough that every malformed literal gets the
//! same message and caret as in CPython: "invalid decimal literal",
//! "invalid digit '8' in octal literal", "leading zeros in decimal integer
//! literals are not permitted; ...". Imaginary literals (`1j`) are refused:
//! apy has no complex numbers.

use logos::Lexer;
use num_bigint::BigInt;
use num_traits::Num;

use super::token::{Number, Token};
use super::LexError;

/// A cursor over the bytes of a number. Every byte it accepts is ASCII, so
/// any position it reports is a char boundary.
struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    /// The byte at the cursor (0 at the end, like CPython's EOF).
    fn peek(&self) -> u8 {
        self.text.get(self.pos).copied().unwrap_or(0)
    }

    /// Consume one byte and return the byte after it (CPython's `tok_nextc`).
    fn next(&mut self) -> u8 {
        if self.pos < self.text.len() {
            self.pos += 1;
        }
        self.peek()
    }

    fn lookahead(&self, word: &str) -> bool {
        self.text[self.pos + 1..].starts_with(word.as_bytes())
    }
}

/// Why a number was rejected: the message and the error's byte range,
/// relative to the start of the number.
type NumberError = (String, usize, usize);

/// The logos callback: finish the number that starts at the current token.
pub(super) fn scan_number(lex: &mut Lexer<Token>) -> Result<Number, LexError> {
    let start = lex.span().start;
    let rest = &lex.source()[start..];
    match scan(rest.as_bytes()) {
        Ok((number, len)) => {
            lex.bump(len - lex.span().len());
            Ok(number)
        }
        Err((message, from, to)) if message == super::COMPLEX_REFUSAL => {
            let mut error = LexError::unsupported(message, start + from, start + to);
            error.plural = true;
            Err(error)
        }
        Err((message, from, to)) => Err(LexError::syntax(message, start + from, start + to)),
    }
}

fn is_identifier_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 128
}

/// Error at the character before the cursor, where CPython puts its caret.
fn error_here(cur: &Cursor, message: impl Into<String>) -> NumberError {
    let at = cur.pos.saturating_sub(1);
    (message.into(), at, at + 1)
}

/// CPython's `verify_end_of_number`: a literal may not run straight into an
/// identifier (`1a`), except for the keywords that can follow a number in
/// valid code (`1if x else y`, which CPython only warns about).
fn verify_end(cur: &Cursor, kind: &str) -> Result<(), NumberError> {
    let c = cur.peek();
    if c >= 128 {
        // A letter may follow (the parser then finds a name after a
        // number); any other character is invalid right here.
        let ch = (1..=4)
            .filter_map(|n| cur.text.get(cur.pos..cur.pos + n))
            .find_map(|bytes| std::str::from_utf8(bytes).ok())
            .and_then(|s| s.chars().next())
            .unwrap_or(' ');
        if unicode_ident::is_xid_continue(ch) {
            return Ok(());
        }
        let error = super::invalid_character(ch, cur.pos);
        return Err((error.message, error.start, error.end));
    }
    let keyword_follows = match c {
        b'a' => cur.lookahead("nd"),
        b'e' => cur.lookahead("lse"),
        b'f' => cur.lookahead("or"),
        b'i' => matches!(cur.text.get(cur.pos + 1), Some(b'f' | b'n' | b's')),
        b'o' => cur.lookahead("r"),
        b'n' => cur.lookahead("ot"),
        _ => false,
    };
    if !keyword_follows && is_identifier_char(c) {
        return Err(error_here(cur, format!("invalid {kind} literal")));
    }
    Ok(())
}

/// CPython's `tok_decimal_tail`: digits with single `_` separators.
fn decimal_tail(cur: &mut Cursor) -> Result<u8, NumberError> {
    loop {
        let mut c = cur.next();
        while c.is_ascii_digit() {
            c = cur.next();
        }
        if c != b'_' {
            return Ok(c);
        }
        if !cur.next().is_ascii_digit() {
            return Err(error_here(cur, "invalid decimal literal"));
        }
    }
}

/// Digits of a `0x`/`0o`/`0b` literal. `cur` is on the prefix letter.
fn radix_digits(cur: &mut Cursor, radix: u32, kind: &str) -> Result<(), NumberError> {
    let mut c = cur.next();
    loop {
        if c == b'_' {
            c = cur.next();
        }
        if !(c as char).is_digit(radix) {
            if radix < 10 && c.is_ascii_digit() {
                cur.pos += 1;
                return Err(error_here(
                    cur,
                    format!("invalid digit '{}' in {kind} literal", c as char),
                ));
            }
            return Err(error_here(cur, format!("invalid {kind} literal")));
        }
        while (c as char).is_digit(radix) {
            c = cur.next();
        }
        if c != b'_' {
            break;
        }
    }
    if radix < 10 && c.is_ascii_digit() {
        cur.pos += 1;
        return Err(error_here(
            cur,
            format!("invalid digit '{}' in {kind} literal", c as char),
        ));
    }
    verify_end(cur, kind)
}

/// Scan one number at the start of `text`: its value and its length.
fn scan(text: &[u8]) -> Result<(Number, usize), NumberError> {
    let mut cur = Cursor { text, pos: 0 };
    let first = cur.peek();
    if first == b'0' {
        let c = cur.next();
        let radix = match c {
            b'x' | b'X' => Some((16, "hexadecimal")),
            b'o' | b'O' => Some((8, "octal")),
            b'b' | b'B' => Some((2, "binary")),
            _ => None,
        };
        if let Some((radix, kind)) = radix {
            radix_digits(&mut cur, radix, kind)?;
            let digits: String = text[2..cur.pos]
                .iter()
                .filter(|&&b| b != b'_')
                .map(|&b| b as char)
                .collect();
            let value = BigInt::from_str_radix(&digits, radix).unwrap_or_default();
            return Ok((Number::Int(value), cur.pos));
        }
        // `0`, `00`, `0_0`, or the start of a float like `0.5` / `0e1`.
        let mut c = c;
        loop {
            if c == b'_' {
                c = cur.next();
                if !c.is_ascii_digit() {
                    return Err(error_here(&cur, "invalid decimal literal"));
                }
            }
            if c != b'0' {
                break;
            }
            c = cur.next();
        }
        let zeros_end = cur.pos;
        let mut nonzero = false;
        if c.is_ascii_digit() {
            nonzero = true;
            c = decimal_tail(&mut cur)?;
        }
        match c {
            b'.' => {
                cur.next();
                return fraction(cur);
            }
            b'e' | b'E' => return exponent(cur),
            b'j' | b'J' => return imaginary(cur),
            _ if nonzero => {
                return Err((
                    "leading zeros in decimal integer literals are not permitted; \
                     use an 0o prefix for octal integers"
                        .into(),
                    0,
                    zeros_end.max(1),
                ));
            }
            _ => {}
        }
        verify_end(&cur, "decimal")?;
        return Ok((Number::Int(BigInt::from(0)), cur.pos));
    }
    if first == b'.' {
        // `.5`: the fraction starts right after the dot.
        cur.next();
        return fraction(cur);
    }
    // Integer part: the first digit is the current byte.
    let c = decimal_tail(&mut cur)?;
    match c {
        b'.' => {
            cur.next();
            fraction(cur)
        }
        b'e' | b'E' => exponent(cur),
        b'j' | b'J' => imaginary(cur),
        _ => {
            verify_end(&cur, "decimal")?;
            let digits: String = text[..cur.pos]
                .iter()
                .filter(|&&b| b != b'_')
                .map(|&b| b as char)
                .collect();
            let value = digits.parse::<BigInt>().unwrap_or_default();
            Ok((Number::Int(value), cur.pos))
        }
    }
}

/// After the `.` of a float; the cursor is on the first byte after the dot.
fn fraction(mut cur: Cursor) -> Result<(Number, usize), NumberError> {
    let mut c = cur.peek();
    if c.is_ascii_digit() {
        c = decimal_tail(&mut cur)?;
    }
    match c {
        b'e' | b'E' => exponent(cur),
        b'j' | b'J' => imaginary(cur),
        _ => {
            verify_end(&cur, "decimal")?;
            float(cur)
        }
    }
}

/// At the `e` of an exponent.
fn exponent(mut cur: Cursor) -> Result<(Number, usize), NumberError> {
    let e_pos = cur.pos;
    let mut c = cur.next();
    if c == b'+' || c == b'-' {
        c = cur.next();
        if !c.is_ascii_digit() {
            return Err(error_here(&cur, "invalid decimal literal"));
        }
    } else if !c.is_ascii_digit() {
        // `1e` followed by something else: the number ends before the `e`,
        // unless that makes it run into an identifier (`1else` is fine).
        cur.pos = e_pos;
        verify_end(&cur, "decimal")?;
        return float_or_int_before(cur);
    }
    let c = decimal_tail(&mut cur)?;
    if c == b'j' || c == b'J' {
        return imaginary(cur);
    }
    verify_end(&cur, "decimal")?;
    float(cur)
}

/// The number ended right before an `e` that starts a keyword (`1else`).
fn float_or_int_before(cur: Cursor) -> Result<(Number, usize), NumberError> {
    let text = &cur.text[..cur.pos];
    if text.contains(&b'.') {
        float(cur)
    } else {
        let digits: String = text
            .iter()
            .filter(|&&b| b != b'_')
            .map(|&b| b as char)
            .collect();
        Ok((
            Number::Int(digits.parse::<BigInt>().unwrap_or_default()),
            cur.pos,
        ))
    }
}

fn float(cur: Cursor) -> Result<(Number, usize), NumberError> {
    let digits: String = cur.text[..cur.pos]
        .iter()
        .filter(|&&b| b != b'_')
        .map(|&b| b as char)
        .collect();
    let value = digits.parse::<f64>().unwrap_or(f64::NAN);
    Ok((Number::Float(value), cur.pos))
}

/// At the `j` of an imaginary literal: scanned fully, then refused.
fn imaginary(mut cur: Cursor) -> Result<(Number, usize), NumberError> {
    cur.next();
    verify_end(&cur, "imaginary")?;
    Err((super::COMPLEX_REFUSAL.into(), 0, cur.pos))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Number {
        let (n, len) = scan(text.as_bytes()).unwrap();
        assert_eq!(len, text.len(), "{text}");
        n
    }

    fn err(text: &str) -> String {
        scan(text.as_bytes()).unwrap_err().0
    }

    #[test]
    fn values() {
        assert_eq!(ok("1_000"), Number::Int(1000.into()));
        assert_eq!(ok("0x_fF"), Number::Int(255.into()));
        assert_eq!(ok("0o17"), Number::Int(15.into()));
        assert_eq!(ok("0b1_01"), Number::Int(5.into()));
        assert_eq!(ok("00"), Number::Int(0.into()));
        assert_eq!(ok("1.5"), Number::Float(1.5));
        assert_eq!(ok(".5"), Number::Float(0.5));
        assert_eq!(ok("1."), Number::Float(1.0));
        assert_eq!(ok("1e-3"), Number::Float(0.001));
        assert_eq!(ok("1_000.5"), Number::Float(1000.5));
        assert_eq!(ok("09.5"), Number::Float(9.5));
        assert_eq!(ok("0e5"), Number::Float(0.0));
    }

    #[test]
    fn errors() {
        assert_eq!(err("1_"), "invalid decimal literal");
        assert_eq!(err("0x"), "invalid hexadecimal literal");
        assert_eq!(err("0b12"), "invalid digit '2' in binary literal");
        assert_eq!(err("0o8"), "invalid digit '8' in octal literal");
        assert!(err("012").starts_with("leading zeros"));
        assert_eq!(err("1a"), "invalid decimal literal");
        assert_eq!(err("1e+"), "invalid decimal literal");
        assert_eq!(err("0b1a"), "invalid binary literal");
        assert_eq!(err("1j"), super::super::COMPLEX_REFUSAL);
    }

    #[test]
    fn keyword_after_number() {
        let (_, len) = scan(b"1if").unwrap();
        assert_eq!(len, 1);
        let (_, len) = scan(b"1else").unwrap();
        assert_eq!(len, 1);
    }
}
