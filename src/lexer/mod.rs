//! The lexer: source text in, tokens out, the first stage of the pipeline.
//!
//! ```text
//! source text ──▶ token.rs (logos: names, numbers, strings, operators)
//!             ──▶ layout.rs (NEWLINE, INDENT, DEDENT, brackets, `\`)
//!             ──▶ Vec<(start, Token, end)> for the parser
//! ```
//!
//! [`tokenize`] runs the whole file at once and stops at the first error,
//! which it reports as CPython 3.11 would (`unterminated string literal
//! (detected at line 3)`, `unindent does not match any outer indentation
//! level`, ...). Positions are byte offsets into the source; the triples are
//! the form lalrpop's external-lexer interface expects.

mod fstring;
mod layout;
mod number;
mod string;
mod token;

pub use fstring::{FStringPiece, FieldPiece};
pub use string::StringLiteral;
pub use token::{Number, Token};

use crate::diagnostics::{SyntaxDiagnostic, SyntaxErrorKind};
use crate::span::Span;

/// A token with its byte range: `(start, token, end)`.
pub type Spanned = (usize, Token, usize);

/// How deeply operators, brackets and prefixes may nest in one expression
/// before apy refuses it. CPython itself gives up (with a `MemoryError` or
/// `RecursionError`) at a few thousand levels; apy stops earlier so that no
/// later stage that walks the tree recursively can overflow its stack on a
/// pathological input, even on a 2 MiB test thread in a debug build. The
/// count is an upper bound: an expression tree is at most about this deep
/// plus one level per open bracket (itself at most 200).
pub const MAX_NESTING: usize = 500;

/// The message for imaginary literals (`1j`); apy has no complex numbers.
pub(crate) const COMPLEX_REFUSAL: &str = "complex numbers";

/// A lexing error as the scanners report it, before it becomes a
/// [`SyntaxDiagnostic`]. logos needs a `Default` error: that is the one for
/// a character that starts no token at all.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LexError {
    pub message: String,
    pub start: usize,
    pub end: usize,
    /// An apy refusal (`message` names the construct) rather than an error.
    pub unsupported: bool,
    /// The refused construct is named in the plural ("complex numbers").
    pub plural: bool,
    /// `IndentationError` or `TabError` instead of `SyntaxError`.
    pub class: Option<SyntaxErrorKind>,
    /// CPython draws no caret under this error.
    pub no_caret: bool,
}

impl LexError {
    pub(crate) fn syntax(message: impl Into<String>, start: usize, end: usize) -> LexError {
        LexError {
            message: message.into(),
            start,
            end,
            ..LexError::default()
        }
    }

    pub(crate) fn unsupported(construct: impl Into<String>, start: usize, end: usize) -> LexError {
        LexError {
            unsupported: true,
            ..LexError::syntax(construct, start, end)
        }
    }

    pub(crate) fn with_kind_indentation(mut self) -> LexError {
        self.class = Some(SyntaxErrorKind::IndentationError);
        self
    }

    pub(crate) fn with_kind_tab(mut self) -> LexError {
        self.class = Some(SyntaxErrorKind::TabError);
        self
    }

    pub(crate) fn into_diagnostic(self, source: &str) -> SyntaxDiagnostic {
        let span = Span::new(self.start, self.end);
        match self.class {
            _ if self.unsupported && self.plural => {
                SyntaxDiagnostic::unsupported_plural(&self.message, span, source)
            }
            _ if self.unsupported => SyntaxDiagnostic::unsupported(&self.message, span, source),
            // CPython draws no caret under a TabError.
            Some(SyntaxErrorKind::TabError) => {
                SyntaxDiagnostic::new(SyntaxErrorKind::TabError, self.message, span).without_caret()
            }
            Some(kind) if self.no_caret => {
                SyntaxDiagnostic::new(kind, self.message, span).without_caret()
            }
            Some(kind) => SyntaxDiagnostic::new(kind, self.message, span),
            None => SyntaxDiagnostic::syntax(self.message, span),
        }
    }
}

/// The 1-based line of byte `offset` (for messages that name a line).
pub(crate) fn line_number(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// CPython's message for a character that cannot start a token.
pub(crate) fn invalid_character(c: char, at: usize) -> LexError {
    let end = at + c.len_utf8();
    if is_printable(c) {
        LexError::syntax(
            format!("invalid character '{c}' (U+{:04X})", c as u32),
            at,
            end,
        )
    } else {
        LexError::syntax(
            format!("invalid non-printable character U+{:04X}", c as u32),
            at,
            end,
        )
    }
}

/// Roughly Python's `str.isprintable`: no controls, no format characters,
/// no separators other than the ASCII space.
fn is_printable(c: char) -> bool {
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'))
}

/// Split a whole source file into tokens.
pub fn tokenize(source: &str) -> Result<Vec<Spanned>, SyntaxDiagnostic> {
    match tokenize_until_error(source)? {
        (tokens, None) => Ok(tokens),
        (_, Some(error)) => Err(error),
    }
}

/// Tokenize for the parser: the tokens, and an error that cut them short
/// which the parser reports only if it reaches the end of those tokens
/// without an earlier syntax error (CPython's order of reporting).
pub(crate) fn tokenize_until_error(
    source: &str,
) -> Result<(Vec<Spanned>, Option<SyntaxDiagnostic>), SyntaxDiagnostic> {
    if let Some(at) = source.find('\0') {
        let line = line_number(source, at) as u32;
        let mut error =
            SyntaxDiagnostic::syntax("source code cannot contain null bytes", Span::new(at, at))
                .without_caret();
        error.line = Some(line);
        return Err(error);
    }
    let result = layout::Layout::new(source, 0, source.len(), false)
        .run()
        .map_err(|e| e.into_diagnostic(source))?;
    let stopped_by = result.stopped_by.map(|e| e.into_diagnostic(source));
    Ok((result.tokens, stopped_by))
}

/// Tokenize the expression `source[start..end]` of an f-string field as if
/// it stood inside parentheses (newlines are free, no indentation).
pub(crate) fn tokenize_fragment(
    source: &str,
    start: usize,
    end: usize,
    nesting: usize,
) -> Result<Vec<Spanned>, LexError> {
    let mut layout = layout::Layout::new(source, start, end, true);
    layout.start_nested(nesting);
    let result = layout.run()?;
    match result.stopped_by {
        Some(error) => Err(error),
        None => Ok(result.tokens),
    }
}
