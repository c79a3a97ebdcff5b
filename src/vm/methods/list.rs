//! Methods of `list`, `tuple` and `range`.

use super::arity;
use crate::symbol::{sym, Symbol};
use crate::vm::builtins::as_index;
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::range::PyRange;
use crate::vm::value::{PyList, PyTuple, Value};
use crate::vm::Vm;

pub const METHODS: &[Symbol] = &[
    sym::append,
    sym::extend,
    sym::insert,
    sym::remove,
    sym::pop,
    sym::clear,
    sym::copy,
    sym::reverse,
    sym::sort,
    sym::index,
    sym::count,
];

pub const TUPLE_METHODS: &[Symbol] = &[sym::index, sym::count];
pub const RANGE_METHODS: &[Symbol] = &[sym::index, sym::count];

impl Vm {
    pub(super) fn list_method(
        &mut self,
        receiver: &Value,
        list: &PyList,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let check = |method: &str, min, max| arity("list", method, args, kwargs, min, max);
        Some(match name {
            sym::append => check("append", 1, 1).map(|_| {
                list.items.borrow_mut().push(args[0].clone());
                Value::None
            }),
            sym::extend => check("extend", 1, 1).and_then(|_| {
                let items = self.collect_iterable(&args[0])?;
                list.items.borrow_mut().extend(items);
                Ok(Value::None)
            }),
            sym::insert => check("insert", 2, 2).and_then(|_| {
                let index = as_index(&args[0])?;
                let mut items = list.items.borrow_mut();
                let len = items.len() as i64;
                let at = if index < 0 {
                    (index + len).max(0)
                } else {
                    index.min(len)
                };
                items.insert(at as usize, args[1].clone());
                Ok(Value::None)
            }),
            sym::remove => check("remove", 1, 1).and_then(|_| {
                let items = list.items.borrow().clone();
                for (i, item) in items.iter().enumerate() {
                    if item.is(&args[0]) || self.eq(item, &args[0])? {
                        list.items.borrow_mut().remove(i);
                        return Ok(Value::None);
                    }
                }
                Err(exception::value_error("list.remove(x): x not in list"))
            }),
            sym::pop => check("pop", 0, 1).and_then(|_| {
                let mut items = list.items.borrow_mut();
                if items.is_empty() {
                    return Err(exception::index_error("pop from empty list"));
                }
                let len = items.len() as i64;
                let index = match args.first() {
                    Some(i) => as_index(i)?,
                    None => -1,
                };
                let at = if index < 0 { index + len } else { index };
                if at < 0 || at >= len {
                    return Err(exception::index_error("pop index out of range"));
                }
                Ok(items.remove(at as usize))
            }),
            sym::clear => check("clear", 0, 0).map(|_| {
                list.items.borrow_mut().clear();
                Value::None
            }),
            sym::copy => check("copy", 0, 0).map(|_| Value::list(list.items.borrow().clone())),
            sym::reverse => check("reverse", 0, 0).map(|_| {
                list.items.borrow_mut().reverse();
                Value::None
            }),
            sym::sort => {
                if !args.is_empty() {
                    return Some(Err(exception::type_error(
                        "sort() takes no positional arguments",
                    )));
                }
                for (k, _) in kwargs {
                    if *k != sym::key && *k != sym::reverse {
                        return Some(Err(exception::type_error(format!(
                            "'{k}' is an invalid keyword argument for sort()"
                        ))));
                    }
                }
                // Sort a copy, as CPython empties the list while sorting:
                // the key function sees an empty list.
                let mut items = std::mem::take(&mut *list.items.borrow_mut());
                let result =
                    crate::vm::builtins::sort_with_options(self, &mut items, kwargs, "sort");
                *list.items.borrow_mut() = items;
                result.map(|_| Value::None)
            }
            sym::index => check("index", 1, 3).and_then(|_| {
                let items = list.items.borrow().clone();
                self.sequence_index(&items, args, "list").map(|i| {
                    let _ = receiver;
                    Value::Int(i as i64)
                })
            }),
            sym::count => check("count", 1, 1).and_then(|_| {
                let items = list.items.borrow().clone();
                self.count_equal(&items, &args[0])
            }),
            _ => return None,
        })
    }

    pub(super) fn tuple_method(
        &mut self,
        tuple: &PyTuple,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        Some(match name {
            sym::index => arity("tuple", "index", args, kwargs, 1, 3)
                .and_then(|_| self.sequence_index(&tuple.items, args, "tuple"))
                .map(|i| Value::Int(i as i64)),
            sym::count => arity("tuple", "count", args, kwargs, 1, 1)
                .and_then(|_| self.count_equal(&tuple.items, &args[0])),
            _ => return None,
        })
    }

    pub(super) fn range_method(
        &mut self,
        range: &PyRange,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        Some(match name {
            sym::index => {
                arity("range", "index", args, kwargs, 1, 1).and_then(|_| match &args[0] {
                    Value::Int(v) if range.contains(*v) => {
                        Ok(Value::Int((v - range.start) / range.step))
                    }
                    other => {
                        let shown = self.repr(other)?;
                        Err(exception::value_error(format!("{shown} is not in range")))
                    }
                })
            }
            sym::count => arity("range", "count", args, kwargs, 1, 1).map(|_| {
                Value::Int(matches!(&args[0], Value::Int(v) if range.contains(*v)) as i64)
            }),
            _ => return None,
        })
    }

    /// `seq.index(x[, start[, end]])`.
    fn sequence_index(&mut self, items: &[Value], args: &[Value], what: &str) -> PyResult<usize> {
        let len = items.len() as i64;
        let clamp = |v: Option<&Value>, default: i64| -> PyResult<usize> {
            let i = match v {
                Some(v) => as_index(v)?,
                None => default,
            };
            Ok((if i < 0 { (i + len).max(0) } else { i.min(len) }) as usize)
        };
        let start = clamp(args.get(1), 0)?;
        let end = clamp(args.get(2), len)?;
        for (i, item) in items.iter().enumerate().take(end).skip(start) {
            if item.is(&args[0]) || self.eq(item, &args[0])? {
                return Ok(i);
            }
        }
        if what == "list" {
            let shown = self.repr(&args[0])?;
            Err(exception::value_error(format!("{shown} is not in list")))
        } else {
            Err(exception::value_error(format!(
                "{what}.index(x): x not in {what}"
            )))
        }
    }

    fn count_equal(&mut self, items: &[Value], target: &Value) -> PyResult<Value> {
        let mut n = 0;
        for item in items {
            if item.is(target) || self.eq(item, target)? {
                n += 1;
            }
        }
        Ok(Value::Int(n))
    }
}
