//! Adjacent string literals and f-strings: from the lexer's string tokens
//! to `Constant::Str`, `Constant::Bytes` or `ExprKind::FString`.
//!
//! Python joins adjacent literals at compile time: `"a" "b"` is `"ab"`, and
//! `"total: " f"{n}"` is one f-string. The lexer has already split each
//! f-string into literal text and fields whose expressions are still
//! tokens; here each of those token lists is parsed with the grammar's
//! expression entry point, so a field holds an ordinary [`Expr`] whose spans
//! point into the file.

use super::ast::{Constant, Expr, ExprKind, FStringPart};
use super::parse_field;
use crate::diagnostics::SyntaxDiagnostic;
use crate::lexer::{FStringPiece, StringLiteral};
use crate::span::Span;
use std::rc::Rc;

/// Join the literals `pieces` (each `(start, literal, end)`) into one node.
/// Errors come in CPython's order: literal by literal, a malformed literal,
/// or bytes meeting text (`"a" b"b"`).
pub fn concatenate(
    pieces: Vec<(usize, Box<StringLiteral>, usize)>,
    source: &str,
) -> Result<Expr, SyntaxDiagnostic> {
    let start = pieces.first().map_or(0, |p| p.0);
    let end = pieces.last().map_or(0, |p| p.2);
    let span = Span::new(start, end);
    let is_bytes = |literal: &StringLiteral| matches!(literal, StringLiteral::Bytes(_));
    let bytes_mode = pieces.first().is_some_and(|p| is_bytes(&p.1));
    for (_, literal, _) in &pieces {
        if let StringLiteral::Invalid(error) = &**literal {
            return Err(error.clone().into_diagnostic(source));
        }
        if is_bytes(literal) != bytes_mode {
            // Reported after the last literal, where CPython puts it.
            return Err(SyntaxDiagnostic::syntax(
                "cannot mix bytes and nonbytes literals",
                Span::new(end, end + 1),
            ));
        }
    }
    if bytes_mode {
        let mut all = Vec::new();
        for (_, literal, _) in pieces {
            if let StringLiteral::Bytes(b) = *literal {
                all.extend(b);
            }
        }
        return Ok(Expr::new(
            ExprKind::Constant(Constant::Bytes(Rc::from(all))),
            span,
        ));
    }
    let any_fstring = pieces
        .iter()
        .any(|p| matches!(*p.1, StringLiteral::FString(_)));
    if !any_fstring {
        let mut text = String::new();
        for (_, literal, _) in pieces {
            if let StringLiteral::Str(s) = *literal {
                text.push_str(&s);
            }
        }
        return Ok(Expr::new(
            ExprKind::Constant(Constant::Str(Rc::from(text))),
            span,
        ));
    }
    let mut parts = Parts::default();
    for (_, literal, _) in pieces {
        match *literal {
            StringLiteral::Str(s) => parts.literal(&s),
            StringLiteral::FString(pieces) => parts.pieces(pieces, source)?,
            StringLiteral::Bytes(_) | StringLiteral::Invalid(_) => {}
        }
    }
    Ok(Expr::new(ExprKind::FString(parts.finish()), span))
}

/// f-string parts being collected; adjacent literal text is merged.
#[derive(Default)]
struct Parts {
    done: Vec<FStringPart>,
    text: String,
}

impl Parts {
    fn literal(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn pieces(&mut self, pieces: Vec<FStringPiece>, source: &str) -> Result<(), SyntaxDiagnostic> {
        for piece in pieces {
            match piece {
                FStringPiece::Literal(s) => self.literal(&s),
                FStringPiece::Field(field) => {
                    self.flush();
                    let value = parse_field(field.tokens, field.start, field.end, source)?;
                    let spec = match field.spec {
                        Some(spec) => {
                            let mut inner = Parts::default();
                            inner.pieces(spec, source)?;
                            Some(inner.finish())
                        }
                        None => None,
                    };
                    self.done.push(FStringPart::Field {
                        value: Box::new(value),
                        conversion: field.conversion,
                        spec,
                    });
                }
            }
        }
        Ok(())
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            let text = std::mem::take(&mut self.text);
            self.done.push(FStringPart::Literal(Rc::from(text)));
        }
    }

    fn finish(mut self) -> Vec<FStringPart> {
        self.flush();
        self.done
    }
}
