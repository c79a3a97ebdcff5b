//! Methods of `dict`.

use super::arity;
use crate::symbol::{sym, Symbol};
use crate::vm::object::dict::{DictView, PyDict};
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::iterator::DictPart;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;

pub const METHODS: &[Symbol] = &[
    sym::get,
    sym::items,
    sym::keys,
    sym::values,
    sym::setdefault,
    sym::update,
    sym::pop,
    sym::popitem,
    sym::copy,
    sym::clear,
];

impl Vm {
    pub(super) fn dict_method(
        &mut self,
        receiver: &Value,
        dict: &Rc<PyDict>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let check = |method: &str, min, max| arity("dict", method, args, kwargs, min, max);
        let view = |part| {
            Value::DictView(Rc::new(DictView {
                dict: dict.clone(),
                part,
            }))
        };
        Some(match name {
            sym::get => check("get", 1, 2).and_then(|_| {
                Ok(self
                    .dict_get(dict, &args[0])?
                    .unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None)))
            }),
            sym::keys => check("keys", 0, 0).map(|_| view(DictPart::Keys)),
            sym::values => check("values", 0, 0).map(|_| view(DictPart::Values)),
            sym::items => check("items", 0, 0).map(|_| view(DictPart::Items)),
            sym::setdefault => check("setdefault", 1, 2).and_then(|_| {
                if let Some(v) = self.dict_get(dict, &args[0])? {
                    return Ok(v);
                }
                let default = args.get(1).cloned().unwrap_or(Value::None);
                self.dict_set(dict, args[0].clone(), default.clone())?;
                Ok(default)
            }),
            sym::update => {
                if args.len() > 1 {
                    return Some(Err(exception::type_error(format!(
                        "update expected at most 1 argument, got {}",
                        args.len()
                    ))));
                }
                let result = (|| {
                    if let Some(source) = args.first() {
                        self.dict_update_op(receiver, source, false)?;
                    }
                    for (k, v) in kwargs {
                        self.dict_set(dict, Value::str(&k.text()), v.clone())?;
                    }
                    Ok(Value::None)
                })();
                result
            }
            sym::pop => {
                check("pop", 1, 2).and_then(|_| match self.dict_remove(dict, &args[0])? {
                    Some(v) => Ok(v),
                    None => match args.get(1) {
                        Some(default) => Ok(default.clone()),
                        None => Err(exception::key_error(args[0].clone())),
                    },
                })
            }
            sym::popitem => {
                check("popitem", 0, 0).and_then(|_| match dict.table.borrow_mut().pop_last() {
                    Some((k, v)) => Ok(Value::tuple(vec![k, v])),
                    None => Err(exception::key_error(Value::str(
                        "popitem(): dictionary is empty",
                    ))),
                })
            }
            sym::copy => check("copy", 0, 0).and_then(|_| {
                let copy = PyDict::new_value();
                self.dict_update_op(&copy, receiver, false)?;
                Ok(copy)
            }),
            sym::clear => check("clear", 0, 0).map(|_| {
                dict.table.borrow_mut().clear();
                Value::None
            }),
            _ => return None,
        })
    }
}
