//! Code generation for `with` and `async with`.
//!
//! ```text
//!     <manager>
//!     BEFORE_WITH                  exit, enter           (BEFORE_ASYNC_WITH)
//!     CALL 0                       exit, enter()         (+ GET_AWAITABLE; AWAIT)
//!     STORE x / POP_TOP            protected by HANDLER
//!     <body>                       protected by HANDLER
//!     LOAD_CONST None (x3); CALL 3; POP_TOP              (+ GET_AWAITABLE; AWAIT)
//!     JUMP end
//! HANDLER:                         exit, exception
//!     PUSH_EXC_INFO                exit, previous, exception
//!     WITH_EXCEPT_START            ..., exit(type, exception, None)
//!                                                        (+ GET_AWAITABLE; AWAIT)
//!     POP_JUMP_IF_TRUE suppress
//!     RERAISE                      (through CLEANUP)
//! suppress:
//!     POP_TOP; POP_EXCEPT; POP_TOP; JUMP end
//! CLEANUP:
//!     SWAP 2; POP_EXCEPT; RERAISE
//! end:
//! ```
//!
//! Several items nest: `with a, b:` is `with a: with b:`. A `return`,
//! `break` or `continue` that leaves the body calls `exit(None, None,
//! None)` on its way out (the `With` frame block).

use super::{Compiler, FBlock, Mode, Result};
use crate::bytecode::code::CodeKind;
use crate::bytecode::op::Op;
use crate::parser::ast::*;
use crate::span::Span;
use crate::vm::value::Value;

impl<'a> Compiler<'a> {
    pub(super) fn with_stmt(
        &mut self,
        items: &'a [WithItem],
        body: &'a [Stmt],
        is_async: bool,
        span: Span,
    ) -> Result<()> {
        if is_async {
            self.check_async_with(span)?;
        }
        let Some((item, rest)) = items.split_first() else {
            return self.stmts(body);
        };
        let depth = self.unit().stack_depth;
        let handler = self.new_label();
        let cleanup = self.new_label();
        let suppress = self.new_label();
        let end = self.new_label();
        let handler_depth = self.builder().handler_depth();

        self.expr(&item.context_expr)?;
        self.set_span(span);
        self.emit(if is_async {
            Op::BeforeAsyncWith
        } else {
            Op::BeforeWith
        });
        self.emit(Op::Call(0));
        if is_async {
            self.emit(Op::GetAwaitable);
            self.emit(Op::Await);
        }
        self.builder().push_handler(handler, depth + 1);
        self.unit().stack_depth = depth + 1;
        match &item.optional_vars {
            Some(target) => self.assign_target(target)?,
            None => {
                self.emit(Op::PopTop);
            }
        }
        self.unit().fblocks.push(FBlock::With {
            is_async,
            handler_depth,
        });
        if rest.is_empty() {
            self.stmts(body)?;
        } else {
            self.with_stmt(rest, body, is_async, span)?;
        }
        self.unit().fblocks.pop();
        self.builder().pop_handler();
        self.unit().stack_depth = depth;
        self.set_span(span);
        self.call_exit_with_nones(is_async);
        self.jump(Op::Jump, end);

        self.bind(handler);
        self.builder().push_handler(cleanup, depth + 2);
        self.emit(Op::PushExcInfo);
        self.emit(Op::WithExceptStart);
        if is_async {
            self.emit(Op::GetAwaitable);
            self.emit(Op::Await);
        }
        self.jump(Op::PopJumpIfTrue, suppress);
        self.emit(Op::Reraise);
        self.bind(suppress);
        self.emit(Op::PopTop);
        self.emit(Op::PopExcept);
        self.emit(Op::PopTop);
        self.jump(Op::Jump, end);
        self.builder().pop_handler();
        self.emit_cleanup(cleanup);
        self.bind(end);
        Ok(())
    }

    /// `exit(None, None, None)` with `exit` on top of the stack, its result
    /// discarded (awaited first for `async with`).
    pub(super) fn call_exit_with_nones(&mut self, is_async: bool) {
        for _ in 0..3 {
            self.load_const(Value::None);
        }
        self.emit(Op::Call(3));
        if is_async {
            self.emit(Op::GetAwaitable);
            self.emit(Op::Await);
        }
        self.emit(Op::PopTop);
    }

    /// `async with` only where `await` may go.
    fn check_async_with(&mut self, span: Span) -> Result<()> {
        if self.units.len() == 1 && self.mode == Mode::Interactive {
            self.top_level_await = true;
            return Ok(());
        }
        if !self.scope().is_async || self.builder().kind != CodeKind::Coroutine {
            return Err(self.syntax_error("'async with' outside async function", span));
        }
        Ok(())
    }
}
