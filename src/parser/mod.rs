//! The parser: tokens in, [`ast::Module`] out.

pub mod ast;
