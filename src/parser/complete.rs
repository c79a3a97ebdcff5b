//! Does a REPL input need more lines? The question `codeop` answers for
//! CPython's REPL, answered the same way here:
//!
//! - more is needed while a bracket is open, a triple-quoted string is
//!   unterminated, or the input ends in a `\` continuation;
//! - more is needed when the parse stops at the *end* of the input (`if x:`,
//!   `@decorator`, `try:` + body without `except`);
//! - a compound statement (`if`, `def`, ...) goes on until an empty line:
//!   input that ends with one on its last line and no final newline is not
//!   finished, even `if x: pass`;
//! - anything else that fails to parse is invalid, with CPython's message.

use super::{errors, run_raw, RawError};
use crate::diagnostics::SyntaxDiagnostic;
use crate::lexer::{Spanned, Token};
use crate::parser::ast::StmtKind;
use crate::parser::build::Top;

/// The REPL's three answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Completeness {
    /// Run it.
    Complete,
    /// Show the `...` prompt and read another line.
    Incomplete,
    /// Report the error; more lines cannot fix it.
    Invalid(SyntaxDiagnostic),
}

/// Decide whether `source` (the lines typed so far, joined with `\n`) is a
/// complete input.
pub fn check_complete(source: &str) -> Completeness {
    let (tokens, stopped_by) = match super::module_tokens(source) {
        Ok(tokens) => tokens,
        Err(error) => {
            return if error
                .message
                .starts_with("unterminated triple-quoted string literal")
            {
                Completeness::Incomplete
            } else {
                Completeness::Invalid(error)
            };
        }
    };
    match run_raw(Token::StartModule, tokens.clone(), source) {
        Ok(Top::Module(body)) => {
            if let Some(error) = stopped_by {
                return lexer_stop(error);
            }
            if ends_in_open_block(&body) && !source.ends_with('\n') {
                Completeness::Incomplete
            } else {
                Completeness::Complete
            }
        }
        Ok(Top::Expression(_)) => Completeness::Complete,
        Err(error) => {
            if let Some(lex_error) = stopped_by {
                if errors::reached_the_end(&error) {
                    return lexer_stop(lex_error);
                }
            }
            if stopped_at_end(&error, &tokens) {
                return Completeness::Incomplete;
            }
            let diagnostic = errors::explain(error, &tokens, source, false);
            if diagnostic.message.ends_with("was never closed") {
                Completeness::Incomplete
            } else {
                Completeness::Invalid(diagnostic)
            }
        }
    }
}

/// The lexer stopped at an error the parser reached: a `\` at the very end
/// asks for the next line; anything else is invalid.
fn lexer_stop(error: SyntaxDiagnostic) -> Completeness {
    if error.message == "unexpected EOF while parsing" {
        Completeness::Incomplete
    } else {
        Completeness::Invalid(error)
    }
}

/// Whether the last statement is a compound one (`if`, `def`, ...), which
/// the REPL keeps open until an empty line.
fn ends_in_open_block(body: &[crate::parser::ast::Stmt]) -> bool {
    body.last().is_some_and(|stmt| {
        !matches!(
            stmt.kind,
            StmtKind::Expr(_)
                | StmtKind::Assign { .. }
                | StmtKind::AugAssign { .. }
                | StmtKind::AnnAssign { .. }
                | StmtKind::Break
                | StmtKind::Continue
                | StmtKind::Pass
                | StmtKind::Return(_)
                | StmtKind::Global(_)
                | StmtKind::Nonlocal(_)
                | StmtKind::Raise { .. }
                | StmtKind::Assert { .. }
                | StmtKind::Delete(_)
                | StmtKind::Import(_)
                | StmtKind::ImportFrom { .. }
        )
    })
}

/// Did the parser run out of input (rather than meet a wrong token)?
fn stopped_at_end(error: &RawError, tokens: &[Spanned]) -> bool {
    match error {
        RawError::UnrecognizedEof { .. } => true,
        RawError::UnrecognizedToken {
            token: (start, token, _),
            ..
        } => {
            // The zero-width `Dedent`s that close blocks at the end of the
            // input are not something the user typed (nor the `Newline`
            // that ends input without one, at the same place).
            *token == Token::Dedent
                && tokens
                    .iter()
                    .skip_while(|t| t.0 < *start)
                    .all(|t| matches!(t.1, Token::Dedent | Token::Newline))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(source: &str) -> &'static str {
        match check_complete(source) {
            Completeness::Complete => "complete",
            Completeness::Incomplete => "incomplete",
            Completeness::Invalid(_) => "invalid",
        }
    }

    /// Each expectation was checked against CPython 3.11's
    /// `codeop.compile_command(source, '<input>', 'single')`.
    #[test]
    fn agrees_with_codeop() {
        let cases = [
            ("x = 1", "complete"),
            ("", "complete"),
            ("x = 1\n\n", "complete"),
            ("if x: pass", "incomplete"),
            ("if x:", "incomplete"),
            ("if x:\n  y", "incomplete"),
            ("if x:\n  y\n", "complete"),
            ("if x:\n  y\n\n", "complete"),
            ("x = (1,", "incomplete"),
            ("x = \"\"\"abc", "incomplete"),
            ("x = 1 + \\", "incomplete"),
            ("async def f():", "incomplete"),
            ("def f():\n  return 1\n", "complete"),
            ("x = 1 +", "invalid"),
            ("x = )", "invalid"),
            ("print(\"a\"", "incomplete"),
            ("@dec", "incomplete"),
            ("@dec\n", "incomplete"),
            ("for x in y:\n  pass\nelse:", "incomplete"),
            ("class A:\n  x = 1\n  def f(self):\n    pass\n", "complete"),
            ("x = [\n", "incomplete"),
            ("if x:\n  y\nelse:\n  z\n", "complete"),
            ("while x:\n  pass\n\n", "complete"),
            ("try:\n  pass\n", "incomplete"),
            ("try:\n  pass", "incomplete"),
            ("async def f():\n  try:\n    yield 1", "incomplete"),
            ("try:\n  pass\nexcept:\n  pass\n", "complete"),
            ("x = 'abc", "invalid"),
            ("if x:\n  y = (1,\n", "incomplete"),
            ("  x = 1", "invalid"),
            ("def f(:", "invalid"),
        ];
        for (source, expected) in cases {
            assert_eq!(answer(source), expected, "{source:?}");
        }
    }
}
