//! The general path of the dispatch loop: what every instruction does, in
//! full, when the fast cases in `interp.rs` do not apply.
//!
//! Here the fiber's stack pointer is up to date, so each instruction works
//! through the ordinary `Fiber` push/pop API and may call any VM method;
//! the current frame's `ip` has been saved too, so a call or an error sees
//! where it came from.

use super::globals::Globals;
use super::interp::Flow;
use super::object::exception::{self, PyResult};
use super::object::slice::PySlice;
use super::object::types::builtin_types;
use super::value::Value;
use super::{CallOutcome, Vm};
use crate::bytecode::code::Code;
use crate::bytecode::op::Op;
use crate::vm::object::str::PyStr;
use std::rc::Rc;

impl Vm {
    /// Execute one instruction the fast path did not finish.
    #[inline(never)]
    pub(crate) fn slow_op(
        &mut self,
        op: Op,
        code: &Code,
        globals: &Globals,
        base: usize,
    ) -> PyResult<Flow> {
        match op {
            Op::Nop => {}
            Op::PopTop => self.fiber.pop().discard(),
            Op::Copy(n) => {
                let v = self.fiber.peek(n as usize - 1).clone();
                self.fiber.push(v);
            }
            Op::Swap(n) => {
                let len = self.fiber.len();
                self.fiber.stack.swap(len - 1, len - n as usize);
            }
            Op::LoadConst(i) => self.fiber.push(code.consts[i as usize].clone()),
            Op::LoadFast(i) => {
                let v = self.fiber.get(base + i as usize).clone();
                if let Value::Undefined = v {
                    return Err(exception::unbound_local_error(format!(
                        "cannot access local variable '{}' where it is not associated with a value",
                        code.varnames[i as usize]
                    )));
                }
                self.fiber.push(v);
            }
            Op::StoreFast(i) => {
                let v = self.fiber.pop();
                self.fiber.set(base + i as usize, v);
            }
            Op::DeleteFast(i) => {
                if let Value::Undefined = self.fiber.get(base + i as usize) {
                    return Err(exception::unbound_local_error(format!(
                        "cannot access local variable '{}' where it is not associated with a value",
                        code.varnames[i as usize]
                    )));
                }
                self.fiber.set(base + i as usize, Value::Undefined);
            }
            Op::MakeCell(i) => {
                let slot = self.fiber.stack.get_mut(base + i as usize);
                let v = std::mem::replace(slot, Value::Undefined);
                *slot = Value::cell(v);
            }
            Op::LoadDeref(i) => {
                let v = match self.fiber.get(base + i as usize) {
                    Value::Cell(cell) => cell.value.borrow().clone(),
                    _ => Value::Undefined,
                };
                if let Value::Undefined = v {
                    return Err(self.unbound_deref(code, i as usize));
                }
                self.fiber.push(v);
            }
            Op::StoreDeref(i) => {
                let v = self.fiber.pop();
                if let Value::Cell(cell) = self.fiber.get(base + i as usize) {
                    std::mem::replace(&mut *cell.value.borrow_mut(), v).discard();
                }
            }
            Op::DeleteDeref(i) => {
                let was_bound = match self.fiber.get(base + i as usize) {
                    Value::Cell(cell) => !matches!(
                        std::mem::replace(&mut *cell.value.borrow_mut(), Value::Undefined),
                        Value::Undefined
                    ),
                    _ => false,
                };
                if !was_bound {
                    return Err(self.unbound_deref(code, i as usize));
                }
            }
            Op::LoadClosure(i) => {
                let v = self.fiber.get(base + i as usize).clone();
                self.fiber.push(v);
            }
            Op::LoadGlobal(slot) => {
                let v = match globals.get(slot as usize) {
                    Value::Undefined => self.load_builtin(globals, slot as usize)?,
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
                    return Err(exception::name_error(format!(
                        "name '{}' is not defined",
                        globals.name(slot as usize)
                    )));
                }
            }
            Op::LoadAttr(i) => {
                let obj = self.fiber.pop();
                let v = self.get_attr(&obj, code.names[i as usize])?;
                self.fiber.push(v);
            }
            Op::StoreAttr(i) => {
                let obj = self.fiber.pop();
                let v = self.fiber.pop();
                self.set_attr(&obj, code.names[i as usize], v)?;
            }
            Op::DeleteAttr(i) => {
                let obj = self.fiber.pop();
                self.del_attr(&obj, code.names[i as usize])?;
            }

            Op::BinarySubscr => {
                let index = self.fiber.pop();
                let container = self.fiber.pop();
                let v = self.get_item(&container, &index)?;
                self.fiber.push(v);
            }
            Op::StoreSubscr => {
                let index = self.fiber.pop();
                let container = self.fiber.pop();
                let value = self.fiber.pop();
                self.set_item(&container, index, value)?;
            }
            Op::DeleteSubscr => {
                let index = self.fiber.pop();
                let container = self.fiber.pop();
                self.del_item(&container, &index)?;
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
                    .push(Value::Slice(Rc::new(PySlice { start, stop, step })));
            }

            Op::BinaryOp(kind) => {
                let right = self.fiber.pop();
                let left = self.fiber.pop();
                let v = self.binary_op(kind, left, right)?;
                self.fiber.push(v);
            }
            Op::UnaryNegative => {
                let v = self.fiber.pop();
                let r = self.unary_negative(v)?;
                self.fiber.push(r);
            }
            Op::UnaryPositive => {
                let v = self.fiber.pop();
                let r = self.unary_positive(v)?;
                self.fiber.push(r);
            }
            Op::UnaryInvert => {
                let v = self.fiber.pop();
                let r = self.unary_invert(v)?;
                self.fiber.push(r);
            }
            Op::UnaryNot => {
                let v = self.fiber.pop();
                let truth = self.is_true(&v)?;
                self.fiber.push(Value::Bool(!truth));
            }
            Op::CompareOp(kind) => {
                let right = self.fiber.pop();
                let left = self.fiber.pop();
                let v = self.compare(kind, &left, &right)?;
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
                let found = self.contains(&container, &item)?;
                self.fiber.push(Value::Bool(found != invert));
            }

            Op::Jump(target) => return Ok(Flow::Jump(target)),
            Op::PopJumpIfFalse(target) => {
                let v = self.fiber.pop();
                if !self.is_true(&v)? {
                    return Ok(Flow::Jump(target));
                }
            }
            Op::PopJumpIfTrue(target) => {
                let v = self.fiber.pop();
                if self.is_true(&v)? {
                    return Ok(Flow::Jump(target));
                }
            }
            Op::JumpIfFalseOrPop(target) => {
                let top = self.fiber.top().clone();
                if self.is_true(&top)? {
                    self.fiber.pop().discard();
                } else {
                    return Ok(Flow::Jump(target));
                }
            }
            Op::JumpIfTrueOrPop(target) => {
                let top = self.fiber.top().clone();
                if self.is_true(&top)? {
                    return Ok(Flow::Jump(target));
                }
                self.fiber.pop().discard();
            }

            Op::GetIter => {
                let v = self.fiber.pop();
                let it = self.get_iter(&v)?;
                self.fiber.push(it);
            }
            Op::ForIter(target) => {
                if let Value::Generator(generator) = self.fiber.top() {
                    if !generator.is_async_generator() {
                        let generator = generator.clone();
                        return self.for_iter_generator(&generator, target);
                    }
                }
                let it = self.fiber.top().clone();
                match self.next(&it)? {
                    Some(v) => self.fiber.push(v),
                    None => {
                        self.fiber.pop().discard();
                        return Ok(Flow::Jump(target));
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
                let set = self.new_set(items)?;
                self.fiber.push(set);
            }
            Op::BuildMap(n) => {
                let items = self.pop_n(2 * n as usize);
                let dict = self.new_dict_from_pairs(items)?;
                self.fiber.push(dict);
            }
            Op::BuildString(n) => {
                // The parts are strings (from FORMAT_VALUE and constants):
                // join them straight from the stack.
                let start = self.fiber.len() - n as usize;
                let part = |fiber: &super::frame::Fiber, i: usize| match fiber.get(i) {
                    Value::Str(s) => s.as_str().len(),
                    _ => 0,
                };
                let total: usize = (start..self.fiber.len())
                    .map(|i| part(&self.fiber, i))
                    .sum();
                let pieces = (start..self.fiber.len()).map(|i| match self.fiber.get(i) {
                    Value::Str(s) => s.as_str(),
                    _ => "",
                });
                let text = PyStr::concat_rc(total, pieces);
                self.fiber.truncate(start);
                self.fiber.push(Value::Str(text));
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
                self.list_extend_op(&target, &v)?;
            }
            Op::SetAdd(n) => {
                let v = self.fiber.pop();
                let target = self.fiber.peek(n as usize - 1).clone();
                self.set_add_op(&target, v)?;
            }
            Op::SetUpdate(n) => {
                let v = self.fiber.pop();
                let target = self.fiber.peek(n as usize - 1).clone();
                self.set_update_op(&target, &v)?;
            }
            Op::MapAdd(n) => {
                let value = self.fiber.pop();
                let key = self.fiber.pop();
                let target = self.fiber.peek(n as usize - 1).clone();
                self.set_item(&target, key, value)?;
            }
            Op::DictUpdate(n) | Op::DictMerge(n) => {
                let other = self.fiber.pop();
                let target = self.fiber.peek(n as usize - 1).clone();
                self.dict_update_op(&target, &other, matches!(op, Op::DictMerge(_)))?;
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
                let s = self.format_value(v, flags.conversion, spec)?;
                self.fiber.push(s);
            }
            Op::UnpackSequence(n) => {
                let v = self.fiber.pop();
                self.unpack_sequence(v, n as usize)?;
            }
            Op::UnpackEx { before, after } => {
                let v = self.fiber.pop();
                self.unpack_ex(v, before as usize, after as usize)?;
            }

            Op::MakeFunction(flags) => {
                let globals = self
                    .fiber
                    .frames
                    .last()
                    .expect("running frame")
                    .globals()
                    .clone();
                let function = self.make_function(flags, &globals);
                self.fiber.push(function);
            }
            Op::Call(argc) => {
                let callee_index = self.fiber.len() - argc as usize - 1;
                return self.call_outcome(callee_index, &[]);
            }
            Op::CallKw { argc, kwnames } => {
                let callee_index = self.fiber.len() - argc as usize - 1;
                let names = code.kwnames[kwnames as usize].clone();
                return self.call_outcome(callee_index, &names);
            }
            Op::CallEx(has_kwargs) => {
                return match self.call_ex(has_kwargs)? {
                    CallOutcome::Pushed => Ok(Flow::Frame),
                    CallOutcome::Done(v) => {
                        self.fiber.push(v);
                        Ok(Flow::Next)
                    }
                };
            }
            Op::CallMethod { name, argc } => {
                let name = code.names[name as usize];
                return match self.call_method_from_stack(name, argc as usize)? {
                    CallOutcome::Pushed => Ok(Flow::Frame),
                    CallOutcome::Done(v) => {
                        self.fiber.push(v);
                        Ok(Flow::Next)
                    }
                };
            }
            Op::ReturnValue => unreachable!("RETURN_VALUE is always handled by the fast path"),

            Op::Raise(argc) => return Err(self.raise_op(argc)),
            Op::Reraise => {
                let v = self.fiber.pop();
                self.reraising = true;
                return Err(match v {
                    Value::Exception(e) => e,
                    _ => exception::runtime_error("RERAISE of a non-exception"),
                });
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
                let exc = self.fiber.top().clone();
                let matched = self.exception_matches(&exc, &class)?;
                self.fiber.push(Value::Bool(matched));
            }
            Op::LoadAssertionError => {
                let class = builtin_types().exceptions.assertion_error.clone();
                self.fiber.push(Value::Type(class));
            }

            Op::ImportName(i) => {
                let module = self.import_module(code.names[i as usize])?;
                self.fiber.push(module);
            }
            Op::ImportFrom(i) => {
                let module = self.fiber.top().clone();
                let v = self.import_from(&module, code.names[i as usize])?;
                self.fiber.push(v);
            }

            Op::GetAwaitable => {
                let v = self.fiber.pop();
                let awaitable = self.get_awaitable(v)?;
                self.fiber.push(awaitable);
            }
            Op::Await => {
                let awaitable = self.fiber.top().clone();
                match awaitable {
                    Value::Coroutine(coroutine) => {
                        self.push_coroutine_frame(&coroutine)?;
                        return Ok(Flow::Frame);
                    }
                    Value::AsyncGenStep(step) => return self.await_async_gen_step(&step),
                    other => match self.await_step(&other)? {
                        Ok(result) => {
                            self.fiber.pop().discard();
                            self.fiber.push(result);
                        }
                        Err(yielded) => {
                            // Pause here; on resumption `AWAIT` runs again.
                            let frame = self.fiber.frames.last_mut().expect("running frame");
                            frame.ip -= 1;
                            return Ok(Flow::Suspend(yielded));
                        }
                    },
                }
            }

            Op::PrintExpr => {
                let v = self.fiber.pop();
                self.print_expr(v, globals)?;
            }
            Op::LoadName(i) => {
                let v = self.load_name(base, code.names[i as usize])?;
                self.fiber.push(v);
            }
            Op::StoreName(i) => {
                let v = self.fiber.pop();
                self.store_name(base, code.names[i as usize], v);
            }
            Op::DeleteName(i) => self.delete_name(base, code.names[i as usize])?,
            Op::BuildClass { name, nbases } => {
                let class = self.build_class(code.names[name as usize], nbases as usize)?;
                self.fiber.push(class);
            }
            Op::BeforeWith | Op::BeforeAsyncWith => {
                let manager = self.fiber.pop();
                let (exit, enter) =
                    self.context_methods(&manager, matches!(op, Op::BeforeAsyncWith))?;
                self.fiber.push(exit);
                self.fiber.push(enter);
            }
            Op::WithExceptStart => {
                return match self.with_except_start()? {
                    CallOutcome::Pushed => Ok(Flow::Frame),
                    CallOutcome::Done(v) => {
                        self.fiber.push(v);
                        Ok(Flow::Next)
                    }
                };
            }
            Op::LoadFastLoadConst { .. }
            | Op::LoadFastLoadFast { .. }
            | Op::StoreFastLoadFast { .. }
            | Op::LocalConstBinaryOp { .. }
            | Op::LocalConstAdd { .. }
            | Op::LocalConstSubtract { .. }
            | Op::BinaryAdd
            | Op::LocalConstCompareJumpIfFalse { .. }
            | Op::LocalConstCompareJumpIfTrue { .. }
            | Op::CompareJumpIfFalse { .. }
            | Op::CompareJumpIfTrue { .. }
            | Op::ReturnFast(_)
            | Op::ReturnConst(_)
            | Op::CallAwait
            | Op::CallMethodAwait { .. } => {
                unreachable!("a superinstruction falls back to its first instruction first")
            }
            Op::YieldValue => return self.yield_value(),
            Op::Send(target) => return self.send_op(target),
            Op::GetYieldFromIter => self.get_yield_from_iter()?,
            Op::GetAiter => self.get_aiter()?,
            Op::GetAnext => self.get_anext()?,
            Op::EndAsyncFor => self.end_async_for()?,
        }
        Ok(Flow::Next)
    }

    fn call_outcome(
        &mut self,
        callee_index: usize,
        kwnames: &[crate::symbol::Symbol],
    ) -> PyResult<Flow> {
        match self.call_from_stack(callee_index, kwnames)? {
            CallOutcome::Pushed => Ok(Flow::Frame),
            CallOutcome::Done(v) => {
                self.fiber.push(v);
                Ok(Flow::Next)
            }
        }
    }

    pub(crate) fn unbound_deref(&self, code: &Code, slot: usize) -> exception::PyErr {
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
}
