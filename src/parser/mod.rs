//! The parser: tokens in, [`ast::Module`] out, the second stage of the
//! pipeline.
//!
//! ```text
//! source ──lexer::tokenize──▶ tokens ──grammar (lalrpop)──▶ AST
//!                                   └─ errors.rs: CPython's messages
//! ```
//!
//! The grammar lives in `grammar/apy.lalrpop`; lalrpop turns it into an LR
//! parser at build time (see the crate's `build.rs`). Its actions call
//! `build.rs` here to make and check nodes, `targets.rs` to check assignment
//! targets, and `strings.rs` to join string literals and parse the fields of
//! f-strings. When the parser fails, `errors.rs` words the error
//! as CPython 3.11 would. `complete.rs` answers the REPL's question "does
//! this input need more lines?", and `dump.rs` prints a tree for tests.

pub mod ast;
mod build;
mod complete;
mod dump;
mod errors;
mod strings;
mod targets;

lalrpop_util::lalrpop_mod!(
    #[allow(
        clippy::all,
        clippy::pedantic,
        unused_parens,
        dead_code,
        unused_imports
    )]
    grammar,
    "/apy.rs"
);

pub use complete::{check_complete, Completeness};
pub use dump::dump;

use crate::diagnostics::SyntaxDiagnostic;
use crate::lexer::{Spanned, Token};
use build::Top;

/// Parse a whole source file (or one REPL input) into a module.
pub fn parse_module(source: &str) -> Result<ast::Module, SyntaxDiagnostic> {
    let (tokens, stopped_by) = module_tokens(source)?;
    match run_raw(Token::StartModule, tokens, source) {
        Ok(Top::Module(body)) => match stopped_by {
            Some(error) => Err(error),
            None => Ok(ast::Module { body }),
        },
        Ok(Top::Expression(_)) => unreachable!("the module entry yields a module"),
        Err(error) => {
            // The parser consumed the tokens; errors are rare, so lexing
            // again is cheaper than keeping a copy for them.
            let (tokens, _) = module_tokens(source)?;
            match stopped_by {
                Some(lex_error) if errors::reached_the_end(&error) => Err(lex_error),
                _ => Err(errors::explain(error, &tokens, source, false)),
            }
        }
    }
}

/// The tokens the grammar's module entry reads, and the lexer error (if
/// any) that cut them short.
fn module_tokens(
    source: &str,
) -> Result<(Vec<Spanned>, Option<SyntaxDiagnostic>), SyntaxDiagnostic> {
    let (mut tokens, stopped_by) = crate::lexer::tokenize_until_error(source)?;
    unparenthesize_with_items(&mut tokens);
    Ok((tokens, stopped_by))
}

/// Parse the expression of an f-string field, `source[start..end]`, from
/// its tokens.
pub(crate) fn parse_field(
    tokens: Vec<Spanned>,
    start: usize,
    end: usize,
    source: &str,
) -> Result<ast::Expr, SyntaxDiagnostic> {
    match run_raw(Token::StartExpression, tokens, source) {
        Ok(Top::Expression(e)) => Ok(e),
        Ok(Top::Module(_)) => unreachable!("the expression entry yields an expression"),
        Err(error) => {
            let tokens = crate::lexer::tokenize_fragment(source, start, end, 0)
                .map_err(|e| e.into_diagnostic(source))?;
            let mut error = errors::explain(error, &tokens, source, true);
            if !error.message.starts_with("f-string") && !error.message.contains("by apy") {
                error.message = format!("f-string: {}", error.message);
            }
            Err(error)
        }
    }
}

/// `with (open(a) as f, open(b) as g):` lists its items in parentheses.
/// An LR(1) parser cannot tell those parentheses from a parenthesised
/// tuple until it reaches the `:`; CPython's PEG parser simply tries the
/// item list first. We do the same with the tokens: when `with (` ... `)`
/// is followed directly by `:` and holds no comprehension, the parentheses
/// (and a trailing comma inside them) are dropped before parsing. Contents
/// that cannot be with-items (a comprehension, `yield`, `*a`) keep them.
pub(crate) fn unparenthesize_with_items(tokens: &mut Vec<Spanned>) {
    let mut drop = Vec::new();
    for i in 0..tokens.len().saturating_sub(1) {
        if tokens[i].1 != Token::With || tokens[i + 1].1 != Token::LPar {
            continue;
        }
        let open = i + 1;
        let mut depth = 0;
        let mut close = None;
        let mut not_items = false;
        for (j, (_, token, _)) in tokens.iter().enumerate().skip(open) {
            match token {
                Token::LPar | Token::LSqb | Token::LBrace => depth += 1,
                Token::RPar | Token::RSqb | Token::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                Token::For if depth == 1 => not_items = true,
                // `with (yield x):` and `with (*a, b):` are expressions:
                // neither can be a with-item.
                Token::Yield if depth == 1 => not_items = true,
                Token::Star | Token::DoubleStar
                    if depth == 1 && matches!(tokens[j - 1].1, Token::LPar | Token::Comma) =>
                {
                    not_items = true
                }
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        let colon_follows = tokens.get(close + 1).is_some_and(|t| t.1 == Token::Colon);
        if colon_follows && !not_items && close > open + 1 {
            drop.push(open);
            if tokens[close - 1].1 == Token::Comma {
                drop.push(close - 1);
            }
            drop.push(close);
        }
    }
    if !drop.is_empty() {
        let mut index = 0;
        tokens.retain(|_| {
            index += 1;
            !drop.contains(&(index - 1))
        });
    }
}

/// The parser's own error type, before it is explained.
type RawError = lalrpop_util::ParseError<usize, Token, SyntaxDiagnostic>;

/// Run the generated parser over `tokens`, in the mode `start` selects.
fn run_raw(start: Token, tokens: Vec<Spanned>, source: &str) -> Result<Top, RawError> {
    let first = tokens.first().map_or(0, |t| t.0);
    let stream = std::iter::once((first, start, first))
        .chain(tokens)
        .map(Ok::<Spanned, SyntaxDiagnostic>);
    grammar::TopParser::new().parse(source, stream)
}
