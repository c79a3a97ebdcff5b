//! Does a REPL input need more lines?
use crate::diagnostics::SyntaxDiagnostic;

/// The REPL's three answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Completeness {
    Complete,
    Incomplete,
    Invalid(SyntaxDiagnostic),
}

pub fn check_complete(source: &str) -> Completeness {
    match super::parse_module(source) {
        Ok(_) => Completeness::Complete,
        Err(e) => Completeness::Invalid(e),
    }
}
