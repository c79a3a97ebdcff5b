//! Code generation for expressions: each leaves exactly one value on the
//! stack. Conditions of `if`/`while`/`assert` go through [`Compiler::condition`]
//! instead, which jumps directly rather than building a `bool` first (as
//! CPython's `compiler_jump_if` does), so `if a and not b:` costs two tests
//! and two jumps.

use super::builder::Label;
use super::scope::ScopeKind;
use super::{Compiler, Element, Mode, Result};
use crate::bytecode::code::CodeKind;
use crate::bytecode::op::{BinaryOpKind, CompareKind, Conversion, FormatFlags, Op};
use crate::parser::ast::*;
use crate::symbol::intern;
use crate::vm::value::Value;
use std::collections::HashSet;

impl<'a> Compiler<'a> {
    pub(super) fn expr(&mut self, expr: &'a Expr) -> Result<()> {
        self.enter()?;
        let previous = self.set_span(expr.span);
        let result = self.expr_inner(expr);
        self.set_span(previous);
        self.leave();
        result
    }

    fn expr_inner(&mut self, expr: &'a Expr) -> Result<()> {
        match &expr.kind {
            ExprKind::Name(name) => {
                self.load_name(name);
                Ok(())
            }
            ExprKind::Constant(c) => {
                let value = self.constant(c, expr)?;
                self.load_const(value);
                Ok(())
            }
            ExprKind::FString(parts) => self.fstring(parts),
            ExprKind::Tuple(items) => {
                if let Some(value) = self.constant_tuple(items) {
                    self.load_const(value);
                    return Ok(());
                }
                self.sequence(items, Op::BuildTuple, true)
            }
            ExprKind::List(items) => self.sequence(items, Op::BuildList, false),
            ExprKind::Set(items) => {
                if items.iter().any(is_starred) {
                    self.emit(Op::BuildSet(0));
                    for item in items {
                        match &item.kind {
                            ExprKind::Starred(inner) => {
                                self.expr(inner)?;
                                self.emit(Op::SetUpdate(1));
                            }
                            _ => {
                                self.expr(item)?;
                                self.emit(Op::SetAdd(1));
                            }
                        }
                    }
                    return Ok(());
                }
                for item in items {
                    self.expr(item)?;
                }
                self.emit(Op::BuildSet(items.len() as u32));
                Ok(())
            }
            ExprKind::Dict(pairs) => self.dict_display(pairs),
            ExprKind::Starred(_) => {
                Err(self.syntax_error("can't use starred expression here", expr.span))
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let name = self.builder().add_name(intern(attr));
                let previous = self.set_span(self.at_attribute_name(expr.span, expr.span, attr));
                self.emit(Op::LoadAttr(name));
                self.set_span(previous);
                Ok(())
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Op::BinarySubscr);
                Ok(())
            }
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper] {
                    match part {
                        Some(e) => self.expr(e)?,
                        None => self.load_const(Value::None),
                    }
                }
                match step {
                    Some(s) => {
                        self.expr(s)?;
                        self.emit(Op::BuildSlice(3));
                    }
                    None => {
                        self.emit(Op::BuildSlice(2));
                    }
                }
                Ok(())
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => self.call(func, args, keywords),
            ExprKind::BinOp { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                self.emit(Op::BinaryOp(binary_op(*op)));
                Ok(())
            }
            ExprKind::UnaryOp { op, operand } => {
                if let Some(value) = self.fold_unary(*op, operand) {
                    self.load_const(value);
                    return Ok(());
                }
                self.expr(operand)?;
                self.emit(match op {
                    UnaryOp::Not => Op::UnaryNot,
                    UnaryOp::USub => Op::UnaryNegative,
                    UnaryOp::UAdd => Op::UnaryPositive,
                    UnaryOp::Invert => Op::UnaryInvert,
                });
                Ok(())
            }
            ExprKind::BoolOp { op, values } => {
                let end = self.new_label();
                let jump = match op {
                    BoolOp::And => Op::JumpIfFalseOrPop,
                    BoolOp::Or => Op::JumpIfTrueOrPop,
                };
                for (i, value) in values.iter().enumerate() {
                    self.expr(value)?;
                    if i + 1 < values.len() {
                        self.jump(jump, end);
                    }
                }
                self.bind(end);
                Ok(())
            }
            ExprKind::Compare { left, comparisons } => self.compare(left, comparisons),
            ExprKind::IfExp { test, body, orelse } => {
                let orelse_label = self.new_label();
                let end = self.new_label();
                self.condition(test, false, orelse_label)?;
                self.expr(body)?;
                self.jump(Op::Jump, end);
                self.bind(orelse_label);
                self.expr(orelse)?;
                self.bind(end);
                Ok(())
            }
            ExprKind::Lambda { params, body } => self.lambda(expr, params, body),
            ExprKind::Await(value) => {
                let scope = self.scope();
                if self.units.len() == 1 {
                    if self.mode != Mode::Interactive {
                        return Err(self.syntax_error("'await' outside function", expr.span));
                    }
                    self.top_level_await = true;
                } else if self.mode == Mode::Interactive
                    && self.units[1..]
                        .iter()
                        .all(|unit| unit.scope.kind == ScopeKind::Comprehension)
                {
                    // CPython's REPL allows it (the comprehension becomes
                    // a coroutine); apy's comprehensions cannot pause.
                    return Err(self.unsupported(
                        "'await' in a comprehension at the top level of the REPL",
                        expr.span,
                    ));
                } else if !scope.is_async
                    || !matches!(
                        self.builder().kind,
                        CodeKind::Coroutine | CodeKind::AsyncGenerator
                    )
                {
                    return Err(self.syntax_error("'await' outside async function", expr.span));
                }
                self.expr(value)?;
                self.emit(Op::GetAwaitable);
                self.emit(Op::Await);
                Ok(())
            }
            ExprKind::Yield(_) | ExprKind::YieldFrom(_) => self.yield_expr(expr),
            ExprKind::ListComp { elt, generators } => {
                self.comprehension(expr, generators, Element::List(elt))
            }
            ExprKind::SetComp { elt, generators } => {
                self.comprehension(expr, generators, Element::Set(elt))
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => self.comprehension(expr, generators, Element::Dict(key, value)),
            ExprKind::GeneratorExp { elt, generators } => {
                self.comprehension(expr, generators, Element::Generator(elt))
            }
        }
    }

    fn constant(&self, c: &Constant, expr: &Expr) -> Result<Value> {
        Ok(match c {
            Constant::None => Value::None,
            Constant::True => Value::Bool(true),
            Constant::False => Value::Bool(false),
            Constant::Ellipsis => Value::Ellipsis,
            Constant::Int(i) => Value::from_bigint(i.clone()),
            Constant::Float(f) => Value::Float(*f),
            Constant::Str(s) => Value::str(s),
            Constant::Bytes(_) => return Err(self.unsupported("bytes literals", expr.span)),
        })
    }

    /// A tuple of constants is itself one constant, as in CPython.
    fn constant_tuple(&self, items: &[Expr]) -> Option<Value> {
        let mut values = Vec::with_capacity(items.len());
        for item in items {
            match &item.kind {
                ExprKind::Constant(c) if !matches!(c, Constant::Bytes(_)) => {
                    values.push(self.constant(c, item).ok()?)
                }
                _ => return None,
            }
        }
        Some(Value::tuple(values))
    }

    /// `-1` and `-2.5` are constants, not a negation at run time.
    fn fold_unary(&self, op: UnaryOp, operand: &Expr) -> Option<Value> {
        if op != UnaryOp::USub {
            return None;
        }
        match &operand.kind {
            ExprKind::Constant(Constant::Int(i)) => Some(Value::from_bigint(-i.clone())),
            ExprKind::Constant(Constant::Float(f)) => Some(Value::Float(-f)),
            _ => None,
        }
    }

    /// A tuple or list display, with `*iterable` items spliced in.
    fn sequence(&mut self, items: &'a [Expr], build: fn(u32) -> Op, is_tuple: bool) -> Result<()> {
        if !items.iter().any(is_starred) {
            for item in items {
                self.expr(item)?;
            }
            self.emit(build(items.len() as u32));
            return Ok(());
        }
        self.emit(Op::BuildList(0));
        for item in items {
            match &item.kind {
                ExprKind::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(Op::ListExtend(1));
                }
                _ => {
                    self.expr(item)?;
                    self.emit(Op::ListAppend(1));
                }
            }
        }
        if is_tuple {
            self.emit(Op::ListToTuple);
        }
        Ok(())
    }

    fn dict_display(&mut self, pairs: &'a [(Option<Expr>, Expr)]) -> Result<()> {
        if pairs.iter().all(|(k, _)| k.is_some()) {
            for (k, v) in pairs {
                self.expr(k.as_ref().expect("checked"))?;
                self.expr(v)?;
            }
            self.emit(Op::BuildMap(pairs.len() as u32));
            return Ok(());
        }
        self.emit(Op::BuildMap(0));
        for (k, v) in pairs {
            match k {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Op::MapAdd(1));
                }
                None => {
                    self.expr(v)?;
                    self.emit(Op::DictUpdate(1));
                }
            }
        }
        Ok(())
    }

    fn compare(&mut self, left: &'a Expr, comparisons: &'a [(CmpOp, Expr)]) -> Result<()> {
        self.expr(left)?;
        if let [(op, right)] = comparisons {
            self.expr(right)?;
            self.emit(compare_op(*op));
            return Ok(());
        }
        // a < b < c: keep b for the next comparison; stop at the first false.
        let cleanup = self.new_label();
        let end = self.new_label();
        for (i, (op, right)) in comparisons.iter().enumerate() {
            self.expr(right)?;
            if i + 1 < comparisons.len() {
                self.emit(Op::Swap(2));
                self.emit(Op::Copy(2));
                self.emit(compare_op(*op));
                self.jump(Op::JumpIfFalseOrPop, cleanup);
            } else {
                self.emit(compare_op(*op));
            }
        }
        self.jump(Op::Jump, end);
        self.bind(cleanup);
        self.emit(Op::Swap(2));
        self.emit(Op::PopTop);
        self.bind(end);
        Ok(())
    }

    /// Evaluate `test` and jump to `target` if its truth equals `jump_if`;
    /// fall through otherwise.
    pub(super) fn condition(&mut self, test: &'a Expr, jump_if: bool, target: Label) -> Result<()> {
        self.enter()?;
        let previous = self.set_span(test.span);
        let result = match &test.kind {
            ExprKind::UnaryOp {
                op: UnaryOp::Not,
                operand,
            } => self.condition(operand, !jump_if, target),
            ExprKind::BoolOp { op, values } => {
                // `a and b` jumps away (false) as soon as one value is false.
                let is_and = *op == BoolOp::And;
                let last = values.len() - 1;
                if is_and == jump_if {
                    // e.g. jump if (a and b) is true: fall out early when one
                    // is false.
                    let skip = self.new_label();
                    let mut result = Ok(());
                    for value in &values[..last] {
                        result = self.condition(value, !jump_if, skip);
                        if result.is_err() {
                            break;
                        }
                    }
                    result.and_then(|_| {
                        self.condition(&values[last], jump_if, target)?;
                        self.bind(skip);
                        Ok(())
                    })
                } else {
                    values
                        .iter()
                        .try_for_each(|value| self.condition(value, jump_if, target))
                }
            }
            _ => self.expr(test).map(|_| {
                let jump = if jump_if {
                    Op::PopJumpIfTrue
                } else {
                    Op::PopJumpIfFalse
                };
                self.jump(jump, target);
            }),
        };
        self.set_span(previous);
        self.leave();
        result
    }

    fn call(&mut self, func: &'a Expr, args: &'a [Expr], keywords: &'a [Keyword]) -> Result<()> {
        let mut seen = HashSet::new();
        for k in keywords {
            if let Some(name) = &k.arg {
                if !seen.insert(name.clone()) {
                    return Err(
                        self.syntax_error(format!("keyword argument repeated: {name}"), k.span)
                    );
                }
            }
        }
        let has_star = args.iter().any(is_starred) || keywords.iter().any(|k| k.arg.is_none());

        // obj.method(args): no bound-method object is built.
        if let ExprKind::Attribute { value, attr } = &func.kind {
            let name = self.builder().add_name(intern(attr));
            if !has_star
                && keywords.is_empty()
                && args.len() <= u16::MAX as usize
                && name <= u16::MAX as u32
            {
                self.expr(value)?;
                for arg in args {
                    self.expr(arg)?;
                }
                let call_span = self.builder().span;
                let previous = self.set_span(self.at_attribute_name(call_span, func.span, attr));
                self.emit(Op::CallMethod {
                    name: name as u16,
                    argc: args.len() as u16,
                });
                self.set_span(previous);
                self.builder().note_method_span(func.span);
                return Ok(());
            }
        }

        self.expr(func)?;
        if has_star {
            self.sequence(args, Op::BuildTuple, true)?;
            if keywords.is_empty() {
                self.emit(Op::CallEx(false));
                return Ok(());
            }
            self.emit(Op::BuildMap(0));
            for k in keywords {
                match &k.arg {
                    Some(name) => {
                        self.load_const(Value::str(name));
                        self.expr(&k.value)?;
                        self.emit(Op::MapAdd(1));
                    }
                    None => {
                        self.expr(&k.value)?;
                        self.emit(Op::DictMerge(1));
                    }
                }
            }
            self.emit(Op::CallEx(true));
            return Ok(());
        }
        for arg in args {
            self.expr(arg)?;
        }
        if keywords.is_empty() {
            self.emit(Op::Call(args.len() as u32));
            return Ok(());
        }
        for k in keywords {
            self.expr(&k.value)?;
        }
        let names = keywords
            .iter()
            .map(|k| intern(k.arg.as_ref().expect("no ** here")))
            .collect();
        let kwnames = self.builder().add_kwnames(names);
        let argc = args.len() + keywords.len();
        if argc > u16::MAX as usize || kwnames > u16::MAX as u32 {
            return Err(self.syntax_error("too many arguments", func.span));
        }
        self.emit(Op::CallKw {
            argc: argc as u16,
            kwnames: kwnames as u16,
        });
        Ok(())
    }

    fn fstring(&mut self, parts: &'a [FStringPart]) -> Result<()> {
        let count = self.fstring_parts(parts)?;
        if count != 1 {
            self.emit(Op::BuildString(count));
        }
        Ok(())
    }

    /// Push one string per part; returns how many were pushed.
    fn fstring_parts(&mut self, parts: &'a [FStringPart]) -> Result<u32> {
        if parts.is_empty() {
            self.load_const(Value::str(""));
            return Ok(1);
        }
        for part in parts {
            match part {
                FStringPart::Literal(text) => self.load_const(Value::str(text)),
                FStringPart::Field {
                    value,
                    conversion,
                    spec,
                } => {
                    self.expr(value)?;
                    let conversion = match conversion {
                        Some('s') => Some(Conversion::Str),
                        Some('r') => Some(Conversion::Repr),
                        Some('a') => Some(Conversion::Ascii),
                        _ => None,
                    };
                    let has_spec = spec.is_some();
                    if let Some(spec) = spec {
                        self.fstring(spec)?;
                    }
                    self.emit(Op::FormatValue(FormatFlags {
                        conversion,
                        has_spec,
                    }));
                }
            }
        }
        Ok(parts.len() as u32)
    }
}

fn is_starred(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Starred(_))
}

fn binary_op(op: BinOp) -> BinaryOpKind {
    match op {
        BinOp::Add => BinaryOpKind::Add,
        BinOp::Sub => BinaryOpKind::Subtract,
        BinOp::Mult => BinaryOpKind::Multiply,
        BinOp::MatMult => BinaryOpKind::MatrixMultiply,
        BinOp::Div => BinaryOpKind::TrueDivide,
        BinOp::FloorDiv => BinaryOpKind::FloorDivide,
        BinOp::Mod => BinaryOpKind::Remainder,
        BinOp::Pow => BinaryOpKind::Power,
        BinOp::LShift => BinaryOpKind::LeftShift,
        BinOp::RShift => BinaryOpKind::RightShift,
        BinOp::BitOr => BinaryOpKind::Or,
        BinOp::BitXor => BinaryOpKind::Xor,
        BinOp::BitAnd => BinaryOpKind::And,
    }
}

fn compare_op(op: CmpOp) -> Op {
    match op {
        CmpOp::Eq => Op::CompareOp(CompareKind::Equal),
        CmpOp::NotEq => Op::CompareOp(CompareKind::NotEqual),
        CmpOp::Lt => Op::CompareOp(CompareKind::Less),
        CmpOp::LtE => Op::CompareOp(CompareKind::LessEqual),
        CmpOp::Gt => Op::CompareOp(CompareKind::Greater),
        CmpOp::GtE => Op::CompareOp(CompareKind::GreaterEqual),
        CmpOp::Is => Op::IsOp(false),
        CmpOp::IsNot => Op::IsOp(true),
        CmpOp::In => Op::ContainsOp(false),
        CmpOp::NotIn => Op::ContainsOp(true),
    }
}

impl<'a> Compiler<'a> {
    /// `yield v` and `yield from it`.
    ///
    /// ```text
    ///     <v>                          <it>
    ///     YIELD_VALUE                  GET_YIELD_FROM_ITER
    ///                                  LOAD_CONST None
    ///                              L:  SEND end      (resume `it`)
    ///                                  YIELD_VALUE   (pass its value up)
    ///                                  JUMP L        (send back what came in)
    ///                              end:              (`it` returned this)
    /// ```
    fn yield_expr(&mut self, expr: &'a Expr) -> Result<()> {
        if self.units.len() == 1 {
            return Err(self.syntax_error("'yield' outside function", expr.span));
        }
        if self.scope().kind == ScopeKind::Comprehension {
            let place = match &*self.builder().name {
                "<listcomp>" => "list comprehension",
                "<setcomp>" => "set comprehension",
                "<dictcomp>" => "dict comprehension",
                _ => "generator expression",
            };
            return Err(self.syntax_error(format!("'yield' inside {place}"), expr.span));
        }
        match &expr.kind {
            ExprKind::Yield(value) => {
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::None),
                }
                self.emit(Op::YieldValue);
            }
            ExprKind::YieldFrom(iterable) => {
                if self.builder().kind == CodeKind::AsyncGenerator {
                    return Err(self.syntax_error("'yield from' inside async function", expr.span));
                }
                self.expr(iterable)?;
                self.emit(Op::GetYieldFromIter);
                self.load_const(Value::None);
                let resume = self.new_label();
                let end = self.new_label();
                self.bind(resume);
                self.jump(Op::Send, end);
                self.emit(Op::YieldValue);
                self.jump(Op::Jump, resume);
                self.bind(end);
            }
            _ => unreachable!("yield_expr on a yield"),
        }
        Ok(())
    }
}
