//! The dispatch loop: the one place bytecode is executed.
//!
//! [`Vm::execute`] runs the current fiber's frames until the frame stack
//! drops back to `stop_depth`. A Python-level call pushes a frame and
//! continues the *same* loop with the callee (`continue 'frames`); a return
//! pops it and continues with the caller. Rust recursion happens only when a
//! built-in calls back into Python code (`sorted(key=f)`), and then only for
//! that call.
//!
//! Errors: an instruction that fails breaks out of the inner loop with the
//! exception; [`Vm::unwind`] records a traceback entry, looks up the frame's
//! exception table, and either jumps to a handler or pops the frame and
//! tries the caller.
//!
//! The common cases are handled inline (`int + int`, `x < y` on ints,
//! calling a plain Python function with the right number of arguments,
//! `for` over a list or range); everything else goes to the helpers in the
//! sibling modules.

use super::frame::{Frame, FrameKind};
use super::object::coroutine::Coroutine;
use super::object::exception::{self, PyErr, PyResult};
use super::object::function::Function;
use super::object::iterator::IterState;
use super::value::Value;
use super::{CallOutcome, Vm, RECURSION_LIMIT};
use crate::bytecode::code::CodeKind;
use crate::bytecode::op::{BinaryOpKind, CompareKind, Op};
use smallvec::SmallVec;
use std::rc::Rc;

/// Arguments popped off the stack for a call into Rust.
pub type ArgBuffer = SmallVec<[Value; 6]>;

impl Vm {
    /// Run frames until the frame stack is `stop_depth` deep again; returns
    /// the value the last frame returned.
    pub(crate) fn execute(&mut self, stop_depth: usize) -> PyResult<Value> {
        'frames: loop {
            let frame = self.fiber.frames.last().expect("execute with a frame");
            let code = frame.code.clone();
            let globals = frame.globals.clone();
            let base = frame.base as usize;
            let mut ip = frame.ip as usize;
            let ops = &code.ops[..];

            let error: PyErr = 'ops: loop {
                let op = ops[ip];
                ip += 1;

                /// Unwrap a result, or leave the loop with its exception.
                macro_rules! tri {
                    ($e:expr) => {
                        match $e {
                            Ok(v) => v,
                            Err(e) => break 'ops e,
                        }
                    };
                }
                /// Save the instruction pointer before anything that may
                /// run other frames or inspect this one.
                macro_rules! save_ip {
                    () => {
                        self.fiber.frames.last_mut().expect("running frame").ip = ip as u32
                    };
                }

                match op {
                    Op::Nop => {}
                    Op::PopTop => {
                        self.fiber.stack.pop();
                    }
                    Op::Copy(n) => {
                        let v = self.fiber.peek(n as usize - 1).clone();
                        self.fiber.push(v);
                    }
                    Op::Swap(n) => {
                        let len = self.fiber.stack.len();
                        self.fiber.stack.swap(len - 1, len - n as usize);
                    }

                    Op::LoadConst(i) => {
                        let v = code.consts[i as usize].clone();
                        self.fiber.push(v);
                    }
                    Op::LoadFast(i) => {
                        let v = &self.fiber.stack[base + i as usize];
                        if let Value::Undefined = v {
                            break 'ops exception::unbound_local_error(format!(
                                "cannot access local variable '{}' where it is not associated with a value",
                                code.varnames[i as usize]
                            ));
                        }
                        let v = v.clone();
                        self.fiber.push(v);
                    }
                    Op::StoreFast(i) => {
                        let v = self.fiber.pop();
                        self.fiber.stack[base + i as usize] = v;
                    }
                    Op::DeleteFast(i) => {
                        let slot = &mut self.fiber.stack[base + i as usize];
                        if let Value::Undefined = slot {
                            break 'ops exception::unbound_local_error(format!(
                                "cannot access local variable '{}' where it is not associated with a value",
                                code.varnames[i as usize]
                            ));
                        }
                        *slot = Value::Undefined;
                    }
                    Op::MakeCell(i) => {
                        let slot = &mut self.fiber.stack[base + i as usize];
                        let v = std::mem::replace(slot, Value::Undefined);
                        *slot = Value::cell(v);
                    }
                    Op::LoadDeref(i) => {
                        let v = match &self.fiber.stack[base + i as usize] {
                            Value::Cell(cell) => cell.value.borrow().clone(),
                            _ => Value::Undefined,
                        };
                        if let Value::Undefined = v {
                            break 'ops self.unbound_deref(&code, i as usize);
                        }
                        self.fiber.push(v);
                    }
                    Op::StoreDeref(i) => {
                        let v = self.fiber.pop();
                        if let Value::Cell(cell) = &self.fiber.stack[base + i as usize] {
                            *cell.value.borrow_mut() = v;
                        }
                    }
                    Op::DeleteDeref(i) => {
                        let was_bound = match &self.fiber.stack[base + i as usize] {
                            Value::Cell(cell) => !matches!(
                                std::mem::replace(&mut *cell.value.borrow_mut(), Value::Undefined),
                                Value::Undefined
                            ),
                            _ => false,
                        };
                        if !was_bound {
                            break 'ops self.unbound_deref(&code, i as usize);
                        }
                    }
                    Op::LoadClosure(i) => {
                        let v = self.fiber.stack[base + i as usize].clone();
                        self.fiber.push(v);
                    }
                    Op::LoadGlobal(slot) => {
                        let v = globals.get(slot as usize);
                        let v = match v {
                            Value::Undefined => tri!(self.load_builtin(&globals, slot as usize)),
                            v => v,
                        };
                        self.fiber.push(v);
                    }
                    Op::StoreGlobal(slot) => {
                        let v = self.fiber.pop();
                        globals.set(slot as usize, v);
                    }
                    Op::DeleteGlobal(slot) => {
                        if !globals.delete(slot as usize) {
                            break 'ops exception::name_error(format!(
                                "name '{}' is not defined",
                                globals.name(slot as usize)
                            ));
                        }
                    }
                    Op::LoadAttr(i) => {
                        save_ip!();
                        let obj = self.fiber.pop();
                        let v = tri!(self.get_attr(&obj, code.names[i as usize]));
                        self.fiber.push(v);
                    }
                    Op::StoreAttr(i) => {
                        save_ip!();
                        let obj = self.fiber.pop();
                        let v = self.fiber.pop();
                        tri!(self.set_attr(&obj, code.names[i as usize], v));
                    }
                    Op::DeleteAttr(i) => {
                        save_ip!();
                        let obj = self.fiber.pop();
                        tri!(self.del_attr(&obj, code.names[i as usize]));
                    }

                    Op::BinarySubscr => {
                        let index = self.fiber.pop();
                        let container = self.fiber.pop();
                        // Fast path: list[int].
                        if let (Value::List(list), Value::Int(i)) = (&container, &index) {
                            let items = list.items.borrow();
                            let len = items.len() as i64;
                            let k = if *i < 0 { *i + len } else { *i };
                            if 0 <= k && k < len {
                                let v = items[k as usize].clone();
                                drop(items);
                                self.fiber.push(v);
                                continue;
                            }
                        }
                        save_ip!();
                        let v = tri!(self.get_item(&container, &index));
                        self.fiber.push(v);
                    }
                    Op::StoreSubscr => {
                        let index = self.fiber.pop();
                        let container = self.fiber.pop();
                        let value = self.fiber.pop();
                        save_ip!();
                        tri!(self.set_item(&container, index, value));
                    }
                    Op::DeleteSubscr => {
                        let index = self.fiber.pop();
                        let container = self.fiber.pop();
                        save_ip!();
                        tri!(self.del_item(&container, &index));
                    }
                    Op::BuildSlice(n) => {
                        let step = if n == 3 {
                            self.fiber.pop()
                        } else {
                            Value::None
                        };
                        let stop = self.fiber.pop();
                        let start = self.fiber.pop();
                        self.fiber
                            .push(Value::Slice(Rc::new(super::object::slice::PySlice {
                                start,
                                stop,
                                step,
                            })));
                    }

                    Op::BinaryOp(kind) => {
                        let right = self.fiber.pop();
                        let left = self.fiber.stack.last_mut().expect("operand");
                        if let (Value::Int(a), Value::Int(b)) = (&*left, &right) {
                            let fast = match kind {
                                BinaryOpKind::Add | BinaryOpKind::InplaceAdd => a.checked_add(*b),
                                BinaryOpKind::Subtract | BinaryOpKind::InplaceSubtract => {
                                    a.checked_sub(*b)
                                }
                                BinaryOpKind::Multiply | BinaryOpKind::InplaceMultiply => {
                                    a.checked_mul(*b)
                                }
                                BinaryOpKind::Remainder | BinaryOpKind::InplaceRemainder
                                    if *b > 0 =>
                                {
                                    Some(a.rem_euclid(*b))
                                }
                                BinaryOpKind::FloorDivide | BinaryOpKind::InplaceFloorDivide
                                    if *b > 0 =>
                                {
                                    Some(a.div_euclid(*b))
                                }
                                BinaryOpKind::And | BinaryOpKind::InplaceAnd => Some(a & b),
                                BinaryOpKind::Or | BinaryOpKind::InplaceOr => Some(a | b),
                                BinaryOpKind::Xor | BinaryOpKind::InplaceXor => Some(a ^ b),
                                _ => None,
                            };
                            if let Some(r) = fast {
                                *left = Value::Int(r);
                                continue;
                            }
                        }
                        let left = self.fiber.pop();
                        save_ip!();
                        let v = tri!(self.binary_op(kind, left, right));
                        self.fiber.push(v);
                    }
                    Op::UnaryNegative => {
                        let v = self.fiber.pop();
                        let r = tri!(self.unary_negative(v));
                        self.fiber.push(r);
                    }
                    Op::UnaryPositive => {
                        let v = self.fiber.pop();
                        let r = tri!(self.unary_positive(v));
                        self.fiber.push(r);
                    }
                    Op::UnaryInvert => {
                        let v = self.fiber.pop();
                        let r = tri!(self.unary_invert(v));
                        self.fiber.push(r);
                    }
                    Op::UnaryNot => {
                        let v = self.fiber.pop();
                        save_ip!();
                        let truth = tri!(self.is_true(&v));
                        self.fiber.push(Value::Bool(!truth));
                    }
                    Op::CompareOp(kind) => {
                        let right = self.fiber.pop();
                        let left = self.fiber.stack.last_mut().expect("operand");
                        if let (Value::Int(a), Value::Int(b)) = (&*left, &right) {
                            let r = match kind {
                                CompareKind::Less => a < b,
                                CompareKind::LessEqual => a <= b,
                                CompareKind::Equal => a == b,
                                CompareKind::NotEqual => a != b,
                                CompareKind::Greater => a > b,
                                CompareKind::GreaterEqual => a >= b,
                            };
                            *left = Value::Bool(r);
                            continue;
                        }
                        let left = self.fiber.pop();
                        save_ip!();
                        let v = tri!(self.compare(kind, &left, &right));
                        self.fiber.push(v);
                    }
                    Op::IsOp(invert) => {
                        let right = self.fiber.pop();
                        let left = self.fiber.pop();
                        self.fiber.push(Value::Bool(left.is(&right) != invert));
                    }
                    Op::ContainsOp(invert) => {
                        let container = self.fiber.pop();
                        let item = self.fiber.pop();
                        save_ip!();
                        let found = tri!(self.contains(&container, &item));
                        self.fiber.push(Value::Bool(found != invert));
                    }

                    Op::Jump(target) => {
                        if (target as usize) < ip && self.interrupt_pending() {
                            save_ip!();
                            break 'ops self.take_interrupt();
                        }
                        ip = target as usize;
                    }
                    Op::PopJumpIfFalse(target) => {
                        let v = self.fiber.pop();
                        let truth = match v {
                            Value::Bool(b) => b,
                            ref other => {
                                save_ip!();
                                tri!(self.is_true(other))
                            }
                        };
                        if !truth {
                            ip = target as usize;
                        }
                    }
                    Op::PopJumpIfTrue(target) => {
                        let v = self.fiber.pop();
                        let truth = match v {
                            Value::Bool(b) => b,
                            ref other => {
                                save_ip!();
                                tri!(self.is_true(other))
                            }
                        };
                        if truth {
                            ip = target as usize;
                        }
                    }
                    Op::JumpIfFalseOrPop(target) => {
                        save_ip!();
                        let top = self.fiber.top().clone();
                        let truth = tri!(self.is_true(&top));
                        if truth {
                            self.fiber.pop();
                        } else {
                            ip = target as usize;
                        }
                    }
                    Op::JumpIfTrueOrPop(target) => {
                        save_ip!();
                        let top = self.fiber.top().clone();
                        let truth = tri!(self.is_true(&top));
                        if truth {
                            ip = target as usize;
                        } else {
                            self.fiber.pop();
                        }
                    }

                    Op::GetIter => {
                        let v = self.fiber.pop();
                        save_ip!();
                        let it = tri!(self.get_iter(&v));
                        self.fiber.push(it);
                    }
                    Op::ForIter(target) => {
                        // Fast paths: stepping a range or list iterator.
                        let stepped = if let Value::Iterator(it) = self.fiber.top() {
                            let mut state = it.state.borrow_mut();
                            match &mut *state {
                                IterState::Range {
                                    next,
                                    remaining,
                                    step,
                                } => {
                                    if *remaining > 0 {
                                        let v = *next;
                                        *next = next.wrapping_add(*step);
                                        *remaining -= 1;
                                        Some(Some(Value::Int(v)))
                                    } else {
                                        Some(None)
                                    }
                                }
                                IterState::List { list, index } => {
                                    let items = list.items.borrow();
                                    match items.get(*index) {
                                        Some(v) => {
                                            *index += 1;
                                            Some(Some(v.clone()))
                                        }
                                        None => Some(None),
                                    }
                                }
                                _ => None,
                            }
                        } else {
                            None
                        };
                        let next = match stepped {
                            Some(next) => next,
                            None => {
                                save_ip!();
                                let it = self.fiber.top().clone();
                                tri!(self.next(&it))
                            }
                        };
                        match next {
                            Some(v) => self.fiber.push(v),
                            None => {
                                self.fiber.pop();
                                ip = target as usize;
                            }
                        }
                    }

                    Op::BuildTuple(n) => {
                        let items = self.pop_n(n as usize);
                        self.fiber.push(Value::tuple(items));
                    }
                    Op::BuildList(n) => {
                        let items = self.pop_n(n as usize);
                        self.fiber.push(Value::list(items));
                    }
                    Op::BuildSet(n) => {
                        let items = self.pop_n(n as usize);
                        save_ip!();
                        let set = tri!(self.new_set(items));
                        self.fiber.push(set);
                    }
                    Op::BuildMap(n) => {
                        let items = self.pop_n(2 * n as usize);
                        save_ip!();
                        let dict = tri!(self.new_dict_from_pairs(items));
                        self.fiber.push(dict);
                    }
                    Op::BuildString(n) => {
                        let parts = self.pop_n(n as usize);
                        let mut text = String::new();
                        for part in &parts {
                            if let Value::Str(s) = part {
                                text.push_str(s.as_str());
                            }
                        }
                        self.fiber.push(Value::string(text));
                    }
                    Op::ListAppend(n) => {
                        let v = self.fiber.pop();
                        if let Value::List(list) = self.fiber.peek(n as usize - 1) {
                            list.items.borrow_mut().push(v);
                        }
                    }
                    Op::ListExtend(n) => {
                        let v = self.fiber.pop();
                        let target = self.fiber.peek(n as usize - 1).clone();
                        save_ip!();
                        tri!(self.list_extend_op(&target, &v));
                    }
                    Op::SetAdd(n) => {
                        let v = self.fiber.pop();
                        let target = self.fiber.peek(n as usize - 1).clone();
                        save_ip!();
                        tri!(self.set_add_op(&target, v));
                    }
                    Op::SetUpdate(n) => {
                        let v = self.fiber.pop();
                        let target = self.fiber.peek(n as usize - 1).clone();
                        save_ip!();
                        tri!(self.set_update_op(&target, &v));
                    }
                    Op::MapAdd(n) => {
                        let value = self.fiber.pop();
                        let key = self.fiber.pop();
                        let target = self.fiber.peek(n as usize - 1).clone();
                        save_ip!();
                        tri!(self.set_item(&target, key, value));
                    }
                    Op::DictUpdate(n) | Op::DictMerge(n) => {
                        let other = self.fiber.pop();
                        let target = self.fiber.peek(n as usize - 1).clone();
                        save_ip!();
                        tri!(self.dict_update_op(&target, &other, matches!(op, Op::DictMerge(_))));
                    }
                    Op::ListToTuple => {
                        let v = self.fiber.pop();
                        let items = match &v {
                            Value::List(list) => list.items.borrow().clone(),
                            _ => Vec::new(),
                        };
                        self.fiber.push(Value::tuple(items));
                    }
                    Op::FormatValue(flags) => {
                        let spec = if flags.has_spec {
                            Some(self.fiber.pop())
                        } else {
                            None
                        };
                        let v = self.fiber.pop();
                        save_ip!();
                        let s = tri!(self.format_value(v, flags.conversion, spec));
                        self.fiber.push(s);
                    }
                    Op::UnpackSequence(n) => {
                        let v = self.fiber.pop();
                        save_ip!();
                        tri!(self.unpack_sequence(v, n as usize));
                    }
                    Op::UnpackEx { before, after } => {
                        let v = self.fiber.pop();
                        save_ip!();
                        tri!(self.unpack_ex(v, before as usize, after as usize));
                    }

                    Op::MakeFunction(flags) => {
                        let function = self.make_function(flags, &globals);
                        self.fiber.push(function);
                    }
                    Op::Call(argc) => {
                        let argc = argc as usize;
                        let callee_index = self.fiber.stack.len() - argc - 1;
                        save_ip!();
                        // Fast path: a plain function called with exactly its
                        // positional parameters.
                        if let Value::Function(f) = &self.fiber.stack[callee_index] {
                            if f.code.kind == CodeKind::Function
                                && f.code.argcount as usize == argc
                                && f.code.is_simple()
                            {
                                let f = f.clone();
                                tri!(self.push_simple_frame(&f, callee_index + 1));
                                continue 'frames;
                            }
                        }
                        match tri!(self.call_from_stack(callee_index, &[])) {
                            CallOutcome::Pushed => continue 'frames,
                            CallOutcome::Done(v) => self.fiber.push(v),
                        }
                    }
                    Op::CallKw { argc, kwnames } => {
                        let callee_index = self.fiber.stack.len() - argc as usize - 1;
                        save_ip!();
                        let names = code.kwnames[kwnames as usize].clone();
                        match tri!(self.call_from_stack(callee_index, &names)) {
                            CallOutcome::Pushed => continue 'frames,
                            CallOutcome::Done(v) => self.fiber.push(v),
                        }
                    }
                    Op::CallEx(has_kwargs) => {
                        save_ip!();
                        match tri!(self.call_ex(has_kwargs)) {
                            CallOutcome::Pushed => continue 'frames,
                            CallOutcome::Done(v) => self.fiber.push(v),
                        }
                    }
                    Op::CallMethod { name, argc } => {
                        save_ip!();
                        let name = code.names[name as usize];
                        match tri!(self.call_method_from_stack(name, argc as usize)) {
                            CallOutcome::Pushed => continue 'frames,
                            CallOutcome::Done(v) => self.fiber.push(v),
                        }
                    }
                    Op::ReturnValue => {
                        let result = self.fiber.pop();
                        let frame = self.fiber.frames.pop().expect("returning frame");
                        self.fiber.stack.truncate(frame.base as usize - 1);
                        if let FrameKind::Coroutine(coroutine) = &frame.kind {
                            coroutine.finish();
                        }
                        if self.fiber.frames.len() == stop_depth {
                            return Ok(result);
                        }
                        self.fiber.push(result);
                        continue 'frames;
                    }

                    Op::Raise(argc) => {
                        save_ip!();
                        break 'ops self.raise_op(argc);
                    }
                    Op::Reraise => {
                        let v = self.fiber.pop();
                        self.reraising = true;
                        break 'ops match v {
                            Value::Exception(e) => e,
                            _ => exception::runtime_error("RERAISE of a non-exception"),
                        };
                    }
                    Op::PushExcInfo => {
                        let exc = self.fiber.pop();
                        let previous = match self.fiber.handled_exception.take() {
                            Some(e) => Value::Exception(e),
                            None => Value::None,
                        };
                        if let Value::Exception(e) = &exc {
                            self.fiber.handled_exception = Some(e.clone());
                        }
                        self.fiber.push(previous);
                        self.fiber.push(exc);
                    }
                    Op::PopExcept => {
                        let previous = self.fiber.pop();
                        self.fiber.handled_exception = match previous {
                            Value::Exception(e) => Some(e),
                            _ => None,
                        };
                    }
                    Op::CheckExcMatch => {
                        let class = self.fiber.pop();
                        save_ip!();
                        let exc = self.fiber.top().clone();
                        let matched = tri!(self.exception_matches(&exc, &class));
                        self.fiber.push(Value::Bool(matched));
                    }
                    Op::LoadAssertionError => {
                        let class = super::object::types::builtin_types()
                            .exceptions
                            .assertion_error
                            .clone();
                        self.fiber.push(Value::Type(class));
                    }

                    Op::ImportName(i) => {
                        save_ip!();
                        let module = tri!(self.import_module(code.names[i as usize]));
                        self.fiber.push(module);
                    }
                    Op::ImportFrom(i) => {
                        save_ip!();
                        let module = self.fiber.top().clone();
                        let v = tri!(self.import_from(&module, code.names[i as usize]));
                        self.fiber.push(v);
                    }

                    Op::GetAwaitable => {
                        save_ip!();
                        let v = self.fiber.pop();
                        let awaitable = tri!(self.get_awaitable(v));
                        self.fiber.push(awaitable);
                    }
                    Op::Await => {
                        save_ip!();
                        let awaitable = self.fiber.top().clone();
                        match awaitable {
                            Value::Coroutine(coroutine) => {
                                tri!(self.push_coroutine_frame(&coroutine));
                                continue 'frames;
                            }
                            other => {
                                break 'ops exception::type_error(format!(
                                    "object {} can't be used in 'await' expression",
                                    other.type_name()
                                ))
                            }
                        }
                    }

                    Op::PrintExpr => {
                        let v = self.fiber.pop();
                        save_ip!();
                        tri!(self.print_expr(v, &globals));
                    }
                }
            };

            // An instruction raised `error`.
            self.fiber.frames.last_mut().expect("running frame").ip = ip as u32;
            self.unwind(error, stop_depth)?;
        }
    }

    /// Find a handler for `error`, starting in the current frame. On success
    /// the handler's frame is ready to continue; otherwise every frame above
    /// `stop_depth` has been popped and the error is returned.
    fn unwind(&mut self, error: PyErr, stop_depth: usize) -> PyResult<()> {
        let reraise = std::mem::take(&mut self.reraising);
        if !reraise {
            self.set_context(&error);
        }
        let mut add_entry = !reraise;
        loop {
            let frame = self.fiber.frames.last_mut().expect("unwinding frame");
            let at = frame.current_instruction();
            if add_entry {
                let code = frame.code.clone();
                error
                    .traceback
                    .borrow_mut()
                    .push(super::object::exception::TracebackEntry {
                        span: code.spans.get(at).copied().unwrap_or_default(),
                        line: code.line_of(at),
                        code,
                        globals: frame.globals.clone(),
                    });
            }
            add_entry = true;
            if let Some(handler) = frame.code.handler_for(at as u32) {
                let depth = frame.base as usize + frame.code.nlocals() + handler.depth as usize;
                frame.ip = handler.handler;
                self.fiber.stack.truncate(depth);
                self.fiber.push(Value::Exception(error));
                return Ok(());
            }
            let frame = self.fiber.frames.pop().expect("unwinding frame");
            self.fiber.stack.truncate(frame.base as usize - 1);
            if let FrameKind::Coroutine(coroutine) = &frame.kind {
                coroutine.finish();
            }
            if self.fiber.frames.len() == stop_depth {
                return Err(error);
            }
        }
    }

    /// A new exception raised while another is being handled remembers it
    /// as its `__context__` (the "During handling of the above exception"
    /// part of a traceback).
    fn set_context(&self, error: &PyErr) {
        let Some(handled) = &self.fiber.handled_exception else {
            return;
        };
        if Rc::ptr_eq(handled, error) {
            return;
        }
        // Break a cycle the new context would create.
        let mut link = handled.context.borrow().clone();
        while let Some(e) = link {
            if Rc::ptr_eq(&e, error) {
                *handled.context.borrow_mut() = None;
                break;
            }
            link = e.context.borrow().clone();
        }
        *error.context.borrow_mut() = Some(handled.clone());
    }

    fn unbound_deref(&self, code: &crate::bytecode::code::Code, slot: usize) -> PyErr {
        let name = &code.varnames[slot];
        if slot >= code.first_freevar() {
            exception::name_error(format!(
                "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
            ))
        } else {
            exception::unbound_local_error(format!(
                "cannot access local variable '{name}' where it is not associated with a value"
            ))
        }
    }

    pub(crate) fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let at = self.fiber.stack.len() - n;
        self.fiber.stack.split_off(at)
    }

    /// Push a frame for `function`, whose arguments are already on the stack
    /// starting at `base` (positional, exactly `argcount` of them).
    #[inline]
    pub(crate) fn push_simple_frame(
        &mut self,
        function: &Rc<Function>,
        base: usize,
    ) -> PyResult<()> {
        self.check_recursion()?;
        let code = &function.code;
        let nlocals = code.nlocals();
        let stack = &mut self.fiber.stack;
        stack.resize(base + nlocals, Value::Undefined);
        if !function.closure.is_empty() {
            let first = base + code.first_freevar();
            for (i, cell) in function.closure.iter().enumerate() {
                stack[first + i] = cell.clone();
            }
        }
        self.fiber.frames.push(Frame {
            code: code.clone(),
            globals: function.globals.clone(),
            ip: 0,
            base: base as u32,
            kind: FrameKind::Call,
        });
        Ok(())
    }

    /// Start running `coroutine` on top of the current frame (`await coro`):
    /// its prepared locals become a frame whose result replaces the
    /// coroutine on the awaiting frame's stack.
    pub(crate) fn push_coroutine_frame(&mut self, coroutine: &Rc<Coroutine>) -> PyResult<()> {
        self.check_recursion()?;
        let Some(locals) = coroutine.start() else {
            return Err(exception::runtime_error(
                "cannot reuse already awaited coroutine",
            ));
        };
        let base = self.fiber.stack.len();
        self.fiber.stack.extend(locals);
        self.fiber.frames.push(Frame {
            code: coroutine.function.code.clone(),
            globals: coroutine.function.globals.clone(),
            ip: 0,
            base: base as u32,
            kind: FrameKind::Coroutine(coroutine.clone()),
        });
        Ok(())
    }

    #[inline]
    pub(crate) fn check_recursion(&self) -> PyResult<()> {
        if self.fiber.frames.len() + self.outer_depth >= RECURSION_LIMIT {
            return Err(exception::recursion_error(
                "maximum recursion depth exceeded",
            ));
        }
        Ok(())
    }
}
