//! Code generation for statements.
//!
//! The interesting part is control flow that leaves a block early. A
//! `return`, `break` or `continue` inside `try`/`finally`, an `except`
//! clause or a `for` loop must first undo what those constructs hold: pop a
//! loop's iterator, restore the previously handled exception, clear an
//! `except ... as e` name, and run `finally` bodies — CPython copies the
//! `finally` body inline at each such exit, and so does apy. The
//! [`FBlock`](super::FBlock) stack records what is open at each point.

use super::{Compiler, FBlock, Mode, Result};
use crate::bytecode::code::CodeKind;
use crate::bytecode::op::{BinaryOpKind, Op};
use crate::parser::ast::*;
use crate::span::Span;
use crate::symbol::intern;
use crate::vm::value::Value;
use std::rc::Rc;

impl<'a> Compiler<'a> {
    pub(super) fn stmts(&mut self, body: &'a [Stmt]) -> Result<()> {
        for stmt in body {
            self.stmt(stmt)?;
        }
        Ok(())
    }

    fn stmt(&mut self, stmt: &'a Stmt) -> Result<()> {
        self.enter()?;
        let previous = self.set_span(stmt.span);
        let result = self.stmt_inner(stmt);
        self.set_span(previous);
        self.leave();
        result
    }

    fn stmt_inner(&mut self, stmt: &'a Stmt) -> Result<()> {
        let span = stmt.span;
        match &stmt.kind {
            StmtKind::Expr(e) => self.expression_statement(e),
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for (i, target) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Op::Copy(1));
                    }
                    self.assign_target(target)?;
                }
                Ok(())
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value),
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => {
                if let Some(v) = value {
                    self.expr(v)?;
                    self.assign_target(target)?;
                }
                let in_module = self.scope().kind == super::scope::ScopeKind::Module;
                if in_module || !matches!(target.kind, ExprKind::Name(_)) {
                    self.expr(annotation)?;
                    self.emit(Op::PopTop);
                }
                Ok(())
            }
            StmtKind::If { test, body, orelse } => {
                let orelse_label = self.new_label();
                self.condition(test, false, orelse_label)?;
                self.stmts(body)?;
                if orelse.is_empty() {
                    self.bind(orelse_label);
                } else {
                    let end = self.new_label();
                    if !self.builder().ends_in_jump() {
                        self.jump(Op::Jump, end);
                    }
                    self.bind(orelse_label);
                    self.stmts(orelse)?;
                    self.bind(end);
                }
                Ok(())
            }
            StmtKind::While { test, body, orelse } => self.while_loop(test, body, orelse),
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                is_async,
            } => {
                if *is_async {
                    return self.async_for_loop(target, iter, body, orelse, span);
                }
                self.for_loop(target, iter, body, orelse)
            }
            StmtKind::Break => self.break_or_continue(true, span),
            StmtKind::Continue => self.break_or_continue(false, span),
            StmtKind::Pass => {
                self.emit(Op::Nop);
                Ok(())
            }
            StmtKind::FunctionDef(def) => self.function_def(def, span),
            StmtKind::ClassDef(def) => self.class_def(def, span),
            StmtKind::Return(value) => self.return_stmt(value.as_ref(), span),
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => Ok(()),
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => self.try_stmt(body, handlers, orelse, finalbody),
            StmtKind::Raise { exc, cause } => {
                let mut argc = 0;
                if let Some(e) = exc {
                    self.expr(e)?;
                    argc = 1;
                    if let Some(c) = cause {
                        self.expr(c)?;
                        argc = 2;
                    }
                }
                self.emit(Op::Raise(argc));
                Ok(())
            }
            StmtKind::Assert { test, msg } => {
                let end = self.new_label();
                self.condition(test, true, end)?;
                self.emit(Op::LoadAssertionError);
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.emit(Op::Call(1));
                }
                // The traceback underlines the test, as CPython's does.
                let previous = self.set_span(test.span);
                self.emit(Op::Raise(1));
                self.set_span(previous);
                self.bind(end);
                Ok(())
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete_target(t)?;
                }
                Ok(())
            }
            StmtKind::Import(aliases) => {
                for alias in aliases {
                    let name = self.builder().add_name(intern(&alias.name));
                    self.emit(Op::ImportName(name));
                    match &alias.asname {
                        Some(asname) => self.store_name(asname),
                        None => {
                            let first: Ident =
                                Rc::from(alias.name.split('.').next().unwrap_or(&alias.name));
                            self.store_name(&first);
                        }
                    }
                }
                Ok(())
            }
            StmtKind::ImportFrom { module, names } => {
                let module_name = self.builder().add_name(intern(module));
                self.emit(Op::ImportName(module_name));
                for alias in names {
                    let name = self.builder().add_name(intern(&alias.name));
                    self.emit(Op::ImportFrom(name));
                    self.store_name(alias.asname.as_ref().unwrap_or(&alias.name));
                }
                self.emit(Op::PopTop);
                Ok(())
            }
            StmtKind::With {
                items,
                body,
                is_async,
            } => self.with_stmt(items, body, *is_async, span),
        }
    }

    fn expression_statement(&mut self, e: &'a Expr) -> Result<()> {
        let interactive = self.mode == Mode::Interactive && self.units.len() == 1;
        if let ExprKind::Constant(_) = e.kind {
            // A docstring or a lone constant does nothing (CPython drops it),
            // except at the REPL, where it is echoed.
            if !interactive {
                self.emit(Op::Nop);
                return Ok(());
            }
        }
        self.expr(e)?;
        self.emit(if interactive {
            Op::PrintExpr
        } else {
            Op::PopTop
        });
        Ok(())
    }

    fn aug_assign(&mut self, target: &'a Expr, op: BinOp, value: &'a Expr) -> Result<()> {
        let kind = inplace_op(op);
        match &target.kind {
            ExprKind::Name(name) => {
                self.load_name(name);
                self.expr(value)?;
                self.emit(Op::BinaryOp(kind));
                self.store_name(name);
            }
            ExprKind::Attribute { value: obj, attr } => {
                self.expr(obj)?;
                self.emit(Op::Copy(1));
                let name = self.builder().add_name(intern(attr));
                self.emit(Op::LoadAttr(name));
                self.expr(value)?;
                self.emit(Op::BinaryOp(kind));
                self.emit(Op::Swap(2));
                self.emit(Op::StoreAttr(name));
            }
            ExprKind::Subscript { value: obj, index } => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::Copy(2));
                self.emit(Op::Copy(2));
                self.emit(Op::BinarySubscr);
                self.expr(value)?;
                self.emit(Op::BinaryOp(kind));
                self.emit(Op::Swap(3));
                self.emit(Op::Swap(2));
                self.emit(Op::StoreSubscr);
            }
            _ => {
                return Err(self.syntax_error(
                    "'expression' is an illegal expression for augmented assignment",
                    target.span,
                ))
            }
        }
        Ok(())
    }

    // ----- loops ----------------------------------------------------------

    fn while_loop(&mut self, test: &'a Expr, body: &'a [Stmt], orelse: &'a [Stmt]) -> Result<()> {
        let top = self.new_label();
        let orelse_label = self.new_label();
        let end = self.new_label();
        self.bind(top);
        self.condition(test, false, orelse_label)?;
        self.unit().fblocks.push(FBlock::Loop {
            is_for: false,
            continue_label: top,
            break_label: end,
        });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.jump(Op::Jump, top);
        self.bind(orelse_label);
        self.stmts(orelse)?;
        self.bind(end);
        Ok(())
    }

    fn for_loop(
        &mut self,
        target: &'a Expr,
        iter: &'a Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
    ) -> Result<()> {
        self.expr(iter)?;
        self.emit(Op::GetIter);
        let top = self.new_label();
        let orelse_label = self.new_label();
        let end = self.new_label();
        self.bind(top);
        self.jump(Op::ForIter, orelse_label);
        self.unit().stack_depth += 1;
        self.assign_target(target)?;
        self.unit().fblocks.push(FBlock::Loop {
            is_for: true,
            continue_label: top,
            break_label: end,
        });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.unit().stack_depth -= 1;
        self.jump(Op::Jump, top);
        self.bind(orelse_label);
        self.stmts(orelse)?;
        self.bind(end);
        Ok(())
    }

    /// `async for target in iter: body else: orelse`: each step awaits
    /// `__anext__()`, and the `StopAsyncIteration` that ends the iteration
    /// arrives as an exception, at `END_ASYNC_FOR`.
    fn async_for_loop(
        &mut self,
        target: &'a Expr,
        iter: &'a Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
        span: Span,
    ) -> Result<()> {
        if !matches!(
            self.builder().kind,
            CodeKind::Coroutine | CodeKind::AsyncGenerator
        ) {
            return Err(self.syntax_error("'async for' outside async function", span));
        }
        self.expr(iter)?;
        self.emit(Op::GetAiter);
        let top = self.new_label();
        let end = self.new_label();
        self.bind(top);
        let depth = self.unit().stack_depth + 1;
        let exhausted = self.async_next(depth)?;
        self.unit().stack_depth += 1;
        self.assign_target(target)?;
        self.unit().fblocks.push(FBlock::Loop {
            is_for: true,
            continue_label: top,
            break_label: end,
        });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.unit().stack_depth -= 1;
        self.jump(Op::Jump, top);
        self.bind(exhausted);
        self.emit(Op::EndAsyncFor);
        self.stmts(orelse)?;
        self.bind(end);
        Ok(())
    }

    fn break_or_continue(&mut self, is_break: bool, span: Span) -> Result<()> {
        let Some(loop_index) = self
            .unit()
            .fblocks
            .iter()
            .rposition(|b| matches!(b, FBlock::Loop { .. }))
        else {
            return Err(self.syntax_error(
                if is_break {
                    "'break' outside loop"
                } else {
                    "'continue' not properly in loop"
                },
                span,
            ));
        };
        let saved = self.unwind_fblocks(loop_index + 1, false)?;
        let FBlock::Loop {
            is_for,
            continue_label,
            break_label,
        } = self.unit().fblocks[loop_index].clone()
        else {
            unreachable!("rposition found a loop")
        };
        if is_break {
            if is_for {
                self.emit(Op::PopTop);
            }
            self.jump(Op::Jump, break_label);
        } else {
            self.jump(Op::Jump, continue_label);
        }
        self.builder().restore_handlers(saved);
        Ok(())
    }

    fn return_stmt(&mut self, value: Option<&'a Expr>, span: Span) -> Result<()> {
        if self.units.len() == 1 || self.in_class_body() {
            return Err(self.syntax_error("'return' outside function", span));
        }
        if value.is_some() && self.builder().kind == CodeKind::AsyncGenerator {
            return Err(self.syntax_error("'return' with value in async generator", span));
        }
        match value {
            Some(v) => self.expr(v)?,
            None => self.load_const(Value::None),
        }
        let saved = self.unwind_fblocks(0, true)?;
        self.emit(Op::ReturnValue);
        self.builder().restore_handlers(saved);
        Ok(())
    }

    /// Emit what leaving every frame block above `down_to` requires, innermost
    /// first. With `preserve_top`, a value (the return value) stays on top of
    /// the stack throughout. Exception handlers of the blocks left are set
    /// aside while the exit code is emitted; the caller restores them with
    /// the returned list once the exit jump is emitted.
    fn unwind_fblocks(&mut self, down_to: usize, preserve_top: bool) -> Result<Vec<u32>> {
        let full_depth = self.builder().handler_depth();
        let mut saved = Vec::new();
        let blocks: Vec<FBlock<'a>> = self.unit().fblocks[down_to..].to_vec();
        for (offset, block) in blocks.iter().enumerate().rev() {
            let index = down_to + offset;
            match block {
                FBlock::Loop { is_for, .. } => {
                    if *is_for {
                        if preserve_top {
                            self.emit(Op::Swap(2));
                        }
                        self.emit(Op::PopTop);
                    }
                }
                FBlock::TryExcept { handler_depth } => {
                    self.set_aside_handlers(*handler_depth, &mut saved);
                }
                FBlock::TryFinally {
                    body,
                    handler_depth,
                    stack_depth,
                } => {
                    self.set_aside_handlers(*handler_depth, &mut saved);
                    // Run the finally body as if outside this try.
                    let inner = self.unit().fblocks.split_off(index);
                    let depth = self.unit().stack_depth;
                    self.unit().stack_depth = stack_depth + preserve_top as u32;
                    let result = self.stmts(body);
                    self.unit().stack_depth = depth;
                    self.unit().fblocks.extend(inner);
                    result?;
                }
                FBlock::FinallyEnd { handler_depth } => {
                    self.set_aside_handlers(*handler_depth, &mut saved);
                    if preserve_top {
                        self.emit(Op::Swap(2));
                        self.emit(Op::PopTop);
                        self.emit(Op::Swap(2));
                    } else {
                        self.emit(Op::PopTop);
                    }
                    self.emit(Op::PopExcept);
                }
                FBlock::With {
                    is_async,
                    handler_depth,
                } => {
                    self.set_aside_handlers(*handler_depth, &mut saved);
                    if preserve_top {
                        self.emit(Op::Swap(2));
                    }
                    self.call_exit_with_nones(*is_async);
                }
                FBlock::HandlerCleanup {
                    name,
                    handler_depth,
                } => {
                    self.set_aside_handlers(*handler_depth, &mut saved);
                    if preserve_top {
                        self.emit(Op::Swap(2));
                    }
                    self.emit(Op::PopExcept);
                    if let Some(name) = name {
                        self.clear_name(name);
                    }
                }
            }
        }
        debug_assert!(self.builder().handler_depth() <= full_depth);
        Ok(saved)
    }

    fn set_aside_handlers(&mut self, keep: usize, saved: &mut Vec<u32>) {
        if self.builder().handler_depth() > keep {
            let mut removed = self.builder().truncate_handlers(keep);
            removed.append(saved);
            *saved = removed;
        }
    }

    /// `name = None; del name`: how CPython ends an `except ... as name`.
    fn clear_name(&mut self, name: &Ident) {
        self.load_const(Value::None);
        self.store_name(name);
        self.delete_name(name);
    }

    // ----- try ------------------------------------------------------------

    fn try_stmt(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
    ) -> Result<()> {
        if finalbody.is_empty() {
            return self.try_except(body, handlers, orelse);
        }
        self.try_finally(finalbody, |c| {
            if handlers.is_empty() {
                c.stmts(body)
            } else {
                c.try_except(body, handlers, orelse)
            }
        })
    }

    /// ```text
    ///     <body>                 protected by HANDLER
    ///     <finally body>         normal exit
    ///     JUMP end
    /// HANDLER:                   (exception on the stack)
    ///     PUSH_EXC_INFO          protected by CLEANUP
    ///     <finally body>
    ///     RERAISE
    /// CLEANUP:
    ///     SWAP 2; POP_EXCEPT; RERAISE
    /// end:
    /// ```
    fn try_finally(
        &mut self,
        finalbody: &'a [Stmt],
        body: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let depth = self.unit().stack_depth;
        let handler = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        let handler_depth = self.builder().handler_depth();

        self.builder().push_handler(handler, depth);
        self.unit().fblocks.push(FBlock::TryFinally {
            body: finalbody,
            handler_depth,
            stack_depth: depth,
        });
        body(self)?;
        self.unit().fblocks.pop();
        self.builder().pop_handler();
        self.stmts(finalbody)?;
        self.jump(Op::Jump, end);

        self.bind(handler);
        self.builder().push_handler(cleanup, depth + 1);
        self.emit(Op::PushExcInfo);
        self.unit()
            .fblocks
            .push(FBlock::FinallyEnd { handler_depth });
        self.unit().stack_depth = depth + 2;
        self.stmts(finalbody)?;
        self.unit().stack_depth = depth;
        self.unit().fblocks.pop();
        self.emit(Op::Reraise);
        self.builder().pop_handler();

        self.emit_cleanup(cleanup);
        self.bind(end);
        Ok(())
    }

    /// The shared tail of exception handlers: restore the previously handled
    /// exception, then let the new one continue outwards.
    pub(super) fn emit_cleanup(&mut self, cleanup: super::Label) {
        self.bind(cleanup);
        self.emit(Op::Swap(2));
        self.emit(Op::PopExcept);
        self.emit(Op::Reraise);
    }

    /// ```text
    ///     <body>                     protected by HANDLER
    ///     <else body>
    ///     JUMP end
    /// HANDLER:                       (exception on the stack)
    ///     PUSH_EXC_INFO              protected by CLEANUP
    ///     <type>; CHECK_EXC_MATCH; POP_JUMP_IF_FALSE next
    ///     STORE e / POP_TOP
    ///     <clause body>              (named: protected by NAME_CLEANUP)
    ///     POP_EXCEPT; [e = None; del e]; JUMP end
    /// next: ... more clauses ...
    ///     RERAISE                    no clause matched
    /// CLEANUP:
    ///     SWAP 2; POP_EXCEPT; RERAISE
    /// end:
    /// ```
    fn try_except(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
    ) -> Result<()> {
        for (i, h) in handlers.iter().enumerate() {
            if h.typ.is_none() && i + 1 < handlers.len() {
                return Err(self.syntax_error("default 'except:' must be last", h.span));
            }
        }
        let depth = self.unit().stack_depth;
        let handler = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        let handler_depth = self.builder().handler_depth();

        self.builder().push_handler(handler, depth);
        self.unit()
            .fblocks
            .push(FBlock::TryExcept { handler_depth });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.builder().pop_handler();
        self.stmts(orelse)?;
        self.jump(Op::Jump, end);

        self.bind(handler);
        self.builder().push_handler(cleanup, depth + 1);
        let previous_span = self.builder().span;
        if let Some(first) = handlers.first() {
            self.set_span(first.span);
        }
        self.emit(Op::PushExcInfo);
        for clause in handlers {
            self.set_span(clause.span);
            let next = self.new_label();
            if let Some(typ) = &clause.typ {
                self.expr(typ)?;
                self.emit(Op::CheckExcMatch);
                self.jump(Op::PopJumpIfFalse, next);
            }
            self.unit().stack_depth = depth + 1;
            match &clause.name {
                Some(name) => {
                    self.store_name(name);
                    let name_cleanup = self.new_label();
                    self.builder().push_handler(name_cleanup, depth + 1);
                    self.unit().fblocks.push(FBlock::HandlerCleanup {
                        name: Some(name.clone()),
                        handler_depth,
                    });
                    self.stmts(&clause.body)?;
                    self.unit().fblocks.pop();
                    self.builder().pop_handler();
                    self.emit(Op::PopExcept);
                    self.clear_name(name);
                    self.jump(Op::Jump, end);
                    // An exception inside the clause: clear the name, go on.
                    self.bind(name_cleanup);
                    self.clear_name(name);
                    self.emit(Op::Reraise);
                }
                None => {
                    self.emit(Op::PopTop);
                    self.unit().fblocks.push(FBlock::HandlerCleanup {
                        name: None,
                        handler_depth,
                    });
                    self.stmts(&clause.body)?;
                    self.unit().fblocks.pop();
                    self.emit(Op::PopExcept);
                    self.jump(Op::Jump, end);
                }
            }
            self.unit().stack_depth = depth;
            self.bind(next);
        }
        self.emit(Op::Reraise);
        self.builder().pop_handler();
        self.emit_cleanup(cleanup);
        self.set_span(previous_span);
        self.bind(end);
        Ok(())
    }

    // ----- assignment targets ------------------------------------------------

    /// Store TOS into `target` (popping it).
    pub(super) fn assign_target(&mut self, target: &'a Expr) -> Result<()> {
        let previous = self.set_span(target.span);
        let result = self.assign_target_inner(target);
        self.set_span(previous);
        result
    }

    fn assign_target_inner(&mut self, target: &'a Expr) -> Result<()> {
        match &target.kind {
            ExprKind::Name(name) => {
                self.store_name(name);
                Ok(())
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let name = self.builder().add_name(intern(attr));
                self.emit(Op::StoreAttr(name));
                Ok(())
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Op::StoreSubscr);
                Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let starred: Vec<usize> = items
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| matches!(e.kind, ExprKind::Starred(_)))
                    .map(|(i, _)| i)
                    .collect();
                match starred.as_slice() {
                    [] => {
                        self.emit(Op::UnpackSequence(items.len() as u32));
                    }
                    [star] => {
                        let before = *star;
                        let after = items.len() - star - 1;
                        if before > u16::MAX as usize || after > u16::MAX as usize {
                            return Err(self.syntax_error(
                                "too many expressions in star-unpacking assignment",
                                target.span,
                            ));
                        }
                        self.emit(Op::UnpackEx {
                            before: before as u16,
                            after: after as u16,
                        });
                    }
                    [_, second, ..] => {
                        return Err(self.syntax_error(
                            "multiple starred expressions in assignment",
                            items[*second].span,
                        ))
                    }
                }
                for item in items {
                    let inner = match &item.kind {
                        ExprKind::Starred(inner) => inner,
                        _ => item,
                    };
                    self.assign_target(inner)?;
                }
                Ok(())
            }
            ExprKind::Starred(_) => Err(self.syntax_error(
                "starred assignment target must be in a list or tuple",
                target.span,
            )),
            _ => Err(self.syntax_error("cannot assign to expression", target.span)),
        }
    }

    fn delete_target(&mut self, target: &'a Expr) -> Result<()> {
        let previous = self.set_span(target.span);
        let result = match &target.kind {
            ExprKind::Name(name) => {
                self.delete_name(name);
                Ok(())
            }
            ExprKind::Attribute { value, attr } => self.expr(value).map(|_| {
                let name = self.builder().add_name(intern(attr));
                self.emit(Op::DeleteAttr(name));
            }),
            ExprKind::Subscript { value, index } => self.expr(value).and_then(|_| {
                self.expr(index)?;
                self.emit(Op::DeleteSubscr);
                Ok(())
            }),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().try_for_each(|t| self.delete_target(t))
            }
            _ => Err(self.syntax_error("cannot delete expression", target.span)),
        };
        self.set_span(previous);
        result
    }
}

/// The augmented form of a binary operator (`+` → `+=`).
fn inplace_op(op: BinOp) -> BinaryOpKind {
    match op {
        BinOp::Add => BinaryOpKind::InplaceAdd,
        BinOp::Sub => BinaryOpKind::InplaceSubtract,
        BinOp::Mult => BinaryOpKind::InplaceMultiply,
        BinOp::MatMult => BinaryOpKind::InplaceMatrixMultiply,
        BinOp::Div => BinaryOpKind::InplaceTrueDivide,
        BinOp::FloorDiv => BinaryOpKind::InplaceFloorDivide,
        BinOp::Mod => BinaryOpKind::InplaceRemainder,
        BinOp::Pow => BinaryOpKind::InplacePower,
        BinOp::LShift => BinaryOpKind::InplaceLeftShift,
        BinOp::RShift => BinaryOpKind::InplaceRightShift,
        BinOp::BitOr => BinaryOpKind::InplaceOr,
        BinOp::BitXor => BinaryOpKind::InplaceXor,
        BinOp::BitAnd => BinaryOpKind::InplaceAnd,
    }
}
