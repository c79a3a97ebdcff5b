//! The parser: tokens in, [`ast::Module`] out, the second stage of the
//! pipeline.
//!
//! ```text
//! source ──lexer::tokenize──▶ tokens ──grammar (lalrpop)──▶ AST
//!                                   └─ errors.rs: CPython's messages
//! ```
//!
//! The grammar lives in `grammar/apy.lalrpop`; lalrpop turns it into an LR
//! parser at build time (see `build.rs`). Its actions call `build.rs` to make
//! and check nodes, and `strings.rs` to join string literals and parse the
//! fields of f-strings. When the parser fails, `errors.rs` words the error
//! as CPython 3.11 would. `complete.rs` answers the REPL's question "does
//! this input need more lines?", and `dump.rs` prints a tree for tests.

pub mod ast;
mod build;
mod complete;
mod dump;
mod errors;
mod strings;

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
use crate::lexer::{tokenize, Spanned, Token};
use build::Top;

/// Parse a whole source file (or one REPL input) into a module.
pub fn parse_module(source: &str) -> Result<ast::Module, SyntaxDiagnostic> {
    let tokens = tokenize(source)?;
    parse_tokens(tokens, source)
}

/// Parse the tokens of a whole file.
pub(crate) fn parse_tokens(
    tokens: Vec<Spanned>,
    source: &str,
) -> Result<ast::Module, SyntaxDiagnostic> {
    match run(Token::StartModule, &tokens, source)? {
        Top::Module(body) => Ok(ast::Module { body }),
        Top::Expression(_) => unreachable!("the module entry yields a module"),
    }
}

/// Parse the expression of an f-string field, `source[start..end]`.
pub(crate) fn parse_field(
    tokens: Vec<Spanned>,
    start: usize,
    end: usize,
    source: &str,
) -> Result<ast::Expr, SyntaxDiagnostic> {
    let _ = (start, end);
    match run(Token::StartExpression, &tokens, source) {
        Ok(Top::Expression(e)) => Ok(e),
        Ok(Top::Module(_)) => unreachable!("the expression entry yields an expression"),
        Err(mut error) => {
            if !error.message.starts_with("f-string") && !error.message.contains("by apy") {
                error.message = format!("f-string: {}", error.message);
            }
            Err(error)
        }
    }
}

/// The parser's own error type, before it is explained.
type RawError = lalrpop_util::ParseError<usize, Token, SyntaxDiagnostic>;

/// Run the generated parser over `tokens`, in the mode `start` selects.
fn run(start: Token, tokens: &[Spanned], source: &str) -> Result<Top, SyntaxDiagnostic> {
    let in_fstring = start == Token::StartExpression;
    run_raw(start, tokens, source)
        .map_err(|error| errors::explain(error, tokens, source, in_fstring))
}

fn run_raw(start: Token, tokens: &[Spanned], source: &str) -> Result<Top, RawError> {
    let first = tokens.first().map_or(0, |t| t.0);
    let stream = std::iter::once((first, start, first))
        .chain(tokens.iter().cloned())
        .map(Ok::<Spanned, SyntaxDiagnostic>);
    grammar::TopParser::new().parse(source, stream)
}
