//! apy: an educational interpreter for a strict subset of Python 3.11 with
//! `async def` / `await` and asyncio built in.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! source text ──lexer──▶ tokens ──parser──▶ AST ──compiler──▶ bytecode
//!       ──vm──▶ frames running on tasks ──event_loop──▶ output
//! ```

pub mod diagnostics;
pub mod lexer;
pub mod parser;
pub mod span;
pub mod vm;
