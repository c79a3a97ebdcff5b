//! Methods of `str`.

use crate::symbol::{sym, Symbol};
use crate::vm::object::exception::PyResult;
use crate::vm::object::str::PyStr;
use crate::vm::value::Value;
use crate::vm::Vm;

pub const METHODS: &[Symbol] = &[sym::upper, sym::lower, sym::join];

impl Vm {
    pub(super) fn str_method(
        &mut self,
        s: &std::rc::Rc<PyStr>,
        name: Symbol,
        args: &[Value],
        _kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        Some(match name {
            n if n == sym::upper => Ok(Value::string(s.as_str().to_uppercase())),
            n if n == sym::lower => Ok(Value::string(s.as_str().to_lowercase())),
            n if n == sym::join => {
                let items = match self.collect_iterable(&args[0]) {
                    Ok(items) => items,
                    Err(e) => return Some(Err(e)),
                };
                let parts: Vec<&str> = items
                    .iter()
                    .filter_map(|v| match v {
                        Value::Str(p) => Some(p.as_str()),
                        _ => None,
                    })
                    .collect();
                Ok(Value::string(parts.join(s.as_str())))
            }
            _ => return None,
        })
    }
}
