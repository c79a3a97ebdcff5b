//! Methods of `set`.

use super::arity;
use crate::bytecode::op::{BinaryOpKind, CompareKind};
use crate::symbol::{sym, Symbol};
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::set::PySet;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;

pub const METHODS: &[Symbol] = &[
    sym::add,
    sym::discard,
    sym::remove,
    sym::pop,
    sym::clear,
    sym::copy,
    sym::update,
    sym::union,
    sym::intersection,
    sym::difference,
    sym::symmetric_difference,
    sym::issubset,
    sym::issuperset,
    sym::isdisjoint,
    sym::intersection_update,
    sym::difference_update,
    sym::symmetric_difference_update,
];

impl Vm {
    pub(super) fn set_method(
        &mut self,
        receiver: &Value,
        set: &Rc<PySet>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let check = |method: &str, min, max| arity("set", method, args, kwargs, min, max);
        Some(match name {
            sym::add => check("add", 1, 1).and_then(|_| {
                self.set_add(set, args[0].clone())?;
                Ok(Value::None)
            }),
            sym::discard => check("discard", 1, 1).and_then(|_| {
                self.set_discard(set, &args[0])?;
                Ok(Value::None)
            }),
            sym::remove => check("remove", 1, 1).and_then(|_| {
                if self.set_discard(set, &args[0])? {
                    Ok(Value::None)
                } else {
                    Err(exception::key_error(args[0].clone()))
                }
            }),
            sym::pop => check("pop", 0, 0).and_then(|_| {
                set.table
                    .borrow_mut()
                    .pop()
                    .ok_or_else(|| exception::key_error(Value::str("pop from an empty set")))
            }),
            sym::clear => check("clear", 0, 0).map(|_| {
                set.table.borrow_mut().clear();
                Value::None
            }),
            sym::copy => check("copy", 0, 0).map(|_| PySet::from_table(set.table.borrow().copy())),
            sym::update => self
                .each_other(args, kwargs, "update", |vm, other| {
                    vm.set_update_op(receiver, other)
                })
                .map(|_| Value::None),
            sym::union => {
                let result = PySet::from_table(set.table.borrow().copy());
                self.each_other(args, kwargs, "union", |vm, other| {
                    vm.set_update_op(&result, other)
                })
                .map(|_| result)
            }
            n @ (sym::intersection | sym::difference | sym::symmetric_difference) => {
                let kind = match n {
                    sym::intersection => BinaryOpKind::And,
                    sym::difference => BinaryOpKind::Subtract,
                    _ => BinaryOpKind::Xor,
                };
                let mut result = PySet::from_table(set.table.borrow().copy());
                let method = n.text();
                self.each_other(args, kwargs, &method, |vm, other| {
                    let other = vm.set_from_iterable(other)?;
                    result = vm.set_binary_op(kind, &result, &other)?;
                    Ok(())
                })
                .map(|_| result)
            }
            n @ (sym::intersection_update
            | sym::difference_update
            | sym::symmetric_difference_update) => {
                let kind = match n {
                    sym::intersection_update => BinaryOpKind::InplaceAnd,
                    sym::difference_update => BinaryOpKind::InplaceSubtract,
                    _ => BinaryOpKind::InplaceXor,
                };
                let method = n.text();
                self.each_other(args, kwargs, &method, |vm, other| {
                    let other = vm.set_from_iterable(other)?;
                    vm.set_inplace_op(kind.plain(), receiver, &other)
                        .map(|_| ())
                })
                .map(|_| Value::None)
            }
            n @ (sym::issubset | sym::issuperset) => {
                let method = n.text();
                arity("set", &method, args, kwargs, 1, 1).and_then(|_| {
                    let other = self.set_from_iterable(&args[0])?;
                    let kind = if n == sym::issubset {
                        CompareKind::LessEqual
                    } else {
                        CompareKind::GreaterEqual
                    };
                    let r = self.compare(kind, receiver, &other)?;
                    Ok(r)
                })
            }
            sym::isdisjoint => check("isdisjoint", 1, 1).and_then(|_| {
                let other = self.set_from_iterable(&args[0])?;
                let both = self.set_binary_op(BinaryOpKind::And, receiver, &other)?;
                Ok(Value::Bool(matches!(&both, Value::Set(s) if s.is_empty())))
            }),
            _ => return None,
        })
    }

    /// Apply `f` to each argument of a method that takes any number of
    /// iterables (`s.update(a, b)`).
    fn each_other(
        &mut self,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
        method: &str,
        mut f: impl FnMut(&mut Vm, &Value) -> PyResult<()>,
    ) -> PyResult<()> {
        if !kwargs.is_empty() {
            return Err(exception::type_error(format!(
                "set.{method}() takes no keyword arguments"
            )));
        }
        for other in args {
            f(self, other)?;
        }
        Ok(())
    }
}
