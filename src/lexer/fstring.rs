//! f-strings: splitting `f"total: {n:>{width}} items"` into literal text and
//! `{expression!conversion:spec}` fields.
//!
//! This follows CPython 3.11's `fstring_find_literal` / `fstring_find_expr`
//! (in `Parser/string_parser.c`): the whole f-string was first lexed as one
//! string token, so an expression cannot contain the quote that closes the
//! string, a backslash, or a `#`. Each expression is tokenized here (with
//! absolute byte offsets, so errors and spans point into the real file) and
//! parsed later by the parser's expression entry point. `{x=}` becomes the
//! literal text `x=` followed by the field, as in CPython.

use super::string::decode_str;
use super::{tokenize_fragment, LexError, Spanned};

/// One piece of an f-string, before its expressions are parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum FStringPiece {
    Literal(String),
    Field(Box<FieldPiece>),
}

/// `{expression!conversion:spec}`, with the expression still as tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldPiece {
    pub tokens: Vec<Spanned>,
    /// Byte range of the expression text in the file.
    pub start: usize,
    pub end: usize,
    pub conversion: Option<char>,
    pub spec: Option<Vec<FStringPiece>>,
}

/// The state of one f-string being split.
struct Splitter<'a> {
    /// How deeply the expression around the f-string is nested.
    nesting: usize,
    source: &'a str,
    end: usize,
    raw: bool,
    /// The whole token, where f-string errors are reported.
    token_span: (usize, usize),
}

/// Split the body `source[start..end]` of an f-string into pieces.
pub(super) fn split_fstring(
    nesting: usize,
    source: &str,
    start: usize,
    end: usize,
    raw: bool,
    token_span: (usize, usize),
) -> Result<Vec<FStringPiece>, LexError> {
    let splitter = Splitter {
        nesting,
        source,
        end,
        raw,
        token_span,
    };
    let mut pos = start;
    let pieces = splitter.pieces(&mut pos, 0)?;
    Ok(pieces)
}

impl Splitter<'_> {
    fn error(&self, message: impl Into<String>) -> LexError {
        // CPython's caret sits just after the closing quote.
        let at = self.token_span.1;
        LexError::syntax(message, at, at + 1)
    }

    fn byte(&self, pos: usize) -> u8 {
        if pos < self.end {
            self.source.as_bytes()[pos]
        } else {
            0
        }
    }

    /// Literal text and fields up to the end of the string, or (in a format
    /// spec, `level` 1) up to the `}` that closes the field.
    fn pieces(&self, pos: &mut usize, level: u32) -> Result<Vec<FStringPiece>, LexError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        while *pos < self.end {
            let literal_start = *pos;
            let mut stop = None;
            while *pos < self.end {
                let c = self.byte(*pos);
                if !self.raw && c == b'\\' {
                    if self.byte(*pos + 1) == b'N' && self.byte(*pos + 2) == b'{' {
                        return Err(LexError::unsupported(
                            "the `\\N{...}` escape",
                            self.token_span.0,
                            self.token_span.1,
                        ));
                    }
                    // The escaped character may be a brace: it still counts.
                    *pos += 1;
                    if *pos < self.end && !matches!(self.byte(*pos), b'{' | b'}') {
                        *pos += self.source[*pos..].chars().next().map_or(1, char::len_utf8);
                    }
                    continue;
                }
                if c == b'{' || c == b'}' {
                    stop = Some(c);
                    break;
                }
                *pos += 1;
            }
            self.push_literal(&mut literal, &self.source[literal_start..*pos])?;
            let Some(brace) = stop else { break };
            if level == 0 && self.byte(*pos + 1) == brace {
                // `{{` or `}}`: one literal brace.
                literal.push(brace as char);
                *pos += 2;
                continue;
            }
            if brace == b'}' {
                if level == 0 {
                    return Err(self.error("f-string: single '}' is not allowed"));
                }
                break; // the end of a nested format spec
            }
            let field = self.field(pos, level, &mut literal)?;
            if !literal.is_empty() {
                pieces.push(FStringPiece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(FStringPiece::Field(Box::new(field)));
        }
        if !literal.is_empty() {
            pieces.push(FStringPiece::Literal(literal));
        }
        Ok(pieces)
    }

    fn push_literal(&self, literal: &mut String, text: &str) -> Result<(), LexError> {
        if self.raw {
            literal.push_str(&text.replace("\r\n", "\n"));
        } else {
            literal.push_str(&decode_str(text, self.token_span)?);
        }
        Ok(())
    }

    /// One `{...}` field; `pos` is on the `{`. A `{x=}` appends its text to
    /// `literal`.
    fn field(
        &self,
        pos: &mut usize,
        level: u32,
        literal: &mut String,
    ) -> Result<FieldPiece, LexError> {
        if level >= 2 {
            return Err(self.error("f-string: expressions nested too deeply"));
        }
        *pos += 1;
        let expr_start = *pos;
        let mut brackets: Vec<u8> = Vec::new();
        let mut quote: Option<(u8, bool)> = None;
        while *pos < self.end {
            let c = self.byte(*pos);
            if c == b'\\' {
                return Err(self.error("f-string expression part cannot include a backslash"));
            }
            if let Some((q, triple)) = quote {
                if c == q {
                    if !triple {
                        quote = None;
                    } else if self.byte(*pos + 1) == q && self.byte(*pos + 2) == q {
                        *pos += 2;
                        quote = None;
                    }
                }
                *pos += 1;
                continue;
            }
            match c {
                b'\'' | b'"' => {
                    let triple = self.byte(*pos + 1) == c && self.byte(*pos + 2) == c;
                    if triple {
                        *pos += 2;
                    }
                    quote = Some((c, triple));
                }
                b'[' | b'{' | b'(' => {
                    if brackets.len() >= 200 {
                        return Err(self.error("f-string: too many nested parenthesis"));
                    }
                    brackets.push(c);
                }
                b'#' => return Err(self.error("f-string expression part cannot include '#'")),
                b'!' | b':' | b'}' | b'=' | b'<' | b'>' if brackets.is_empty() => {
                    let next = self.byte(*pos + 1);
                    if next == b'=' && matches!(c, b'!' | b'=' | b'<' | b'>') {
                        *pos += 2;
                        continue;
                    }
                    if c != b'<' && c != b'>' {
                        break;
                    }
                }
                b']' | b'}' | b')' => {
                    let Some(opening) = brackets.pop() else {
                        return Err(self.error(format!("f-string: unmatched '{}'", c as char)));
                    };
                    let expected = match opening {
                        b'(' => b')',
                        b'[' => b']',
                        _ => b'}',
                    };
                    if c != expected {
                        return Err(self.error(format!(
                            "f-string: closing parenthesis '{}' does not match opening parenthesis '{}'",
                            c as char, opening as char
                        )));
                    }
                }
                _ => {}
            }
            *pos += self.source[*pos..].chars().next().map_or(1, char::len_utf8);
        }
        let expr_end = *pos;
        if quote.is_some() {
            return Err(self.error("f-string: unterminated string"));
        }
        if let Some(&opening) = brackets.last() {
            return Err(self.error(format!("f-string: unmatched '{}'", opening as char)));
        }
        if *pos >= self.end {
            return Err(self.error("f-string: expecting '}'"));
        }
        let text = &self.source[expr_start..expr_end];
        if text
            .trim_matches([' ', '\t', '\n', '\r', '\x0c'])
            .is_empty()
        {
            return Err(self.error("f-string: empty expression not allowed"));
        }
        let tokens = tokenize_fragment(self.source, expr_start, expr_end, self.nesting).map_err(
            |mut e| {
                e.message = format!("f-string: {}", e.message);
                e
            },
        )?;
        let mut debug = false;
        if self.byte(*pos) == b'=' {
            *pos += 1;
            while matches!(
                self.byte(*pos),
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b'
            ) {
                *pos += 1;
            }
            if *pos >= self.end {
                return Err(self.error("f-string: expecting '}'"));
            }
            literal.push_str(&self.source[expr_start..*pos].replace("\r\n", "\n"));
            debug = true;
        }
        let mut conversion = None;
        if self.byte(*pos) == b'!' {
            *pos += 1;
            if *pos >= self.end {
                return Err(self.error("f-string: expecting '}'"));
            }
            let c = self.source[*pos..].chars().next().unwrap_or(' ');
            *pos += c.len_utf8();
            if !matches!(c, 's' | 'r' | 'a') {
                return Err(
                    self.error("f-string: invalid conversion character: expected 's', 'r', or 'a'")
                );
            }
            conversion = Some(c);
        }
        let mut spec = None;
        if self.byte(*pos) == b':' {
            *pos += 1;
            if *pos >= self.end {
                return Err(self.error("f-string: expecting '}'"));
            }
            spec = Some(self.pieces(pos, level + 1)?);
        }
        if self.byte(*pos) != b'}' {
            return Err(self.error("f-string: expecting '}'"));
        }
        *pos += 1;
        if debug && conversion.is_none() && spec.is_none() {
            conversion = Some('r');
        }
        Ok(FieldPiece {
            tokens,
            start: expr_start,
            end: expr_end,
            conversion,
            spec,
        })
    }
}
