//! Methods of the built-in types: `"a b".split()`, `xs.append(1)`,
//! `d.get(k, 0)`, ...
//!
//! `CALL_METHOD` on a built-in value comes straight here with the method's
//! interned name, so `xs.append(v)` is a `match` on an integer and no bound
//! method object is built. Taking a method as a value (`f = xs.append`)
//! builds a bound method whose call ends up here too.

mod dict;
mod list;
mod number;
mod set;
mod str;

use super::object::exception::{self, PyResult};
use super::object::types::BuiltinType;
use super::value::Value;
use super::Vm;
use crate::event_loop::asyncio;
use crate::event_loop::future::Waitable;
use crate::event_loop::sync_methods;
use crate::symbol::Symbol;

/// The method names of a built-in type.
pub fn methods_of(kind: BuiltinType) -> &'static [Symbol] {
    match kind {
        BuiltinType::Str => str::METHODS,
        BuiltinType::List => list::METHODS,
        BuiltinType::Tuple => list::TUPLE_METHODS,
        BuiltinType::Dict => dict::METHODS,
        BuiltinType::Set => set::METHODS,
        BuiltinType::Int | BuiltinType::Bool => number::INT_METHODS,
        BuiltinType::Float => number::FLOAT_METHODS,
        BuiltinType::Range => list::RANGE_METHODS,
        BuiltinType::Future => asyncio::FUTURE_METHODS,
        BuiltinType::Task => asyncio::TASK_METHODS,
        BuiltinType::Lock | BuiltinType::Semaphore | BuiltinType::BoundedSemaphore => {
            sync_methods::LOCK_METHODS
        }
        BuiltinType::Event => sync_methods::EVENT_METHODS,
        BuiltinType::Condition => sync_methods::CONDITION_METHODS,
        BuiltinType::Queue | BuiltinType::LifoQueue | BuiltinType::PriorityQueue => {
            sync_methods::QUEUE_METHODS
        }
        BuiltinType::TaskGroup => sync_methods::TASK_GROUP_METHODS,
        BuiltinType::Timeout => sync_methods::TIMEOUT_METHODS,
        _ => &[],
    }
}

/// Whether `value`'s type has a method called `name`.
pub fn has_method(value: &Value, name: Symbol) -> bool {
    let names: &[Symbol] = match value {
        Value::Str(_) => str::METHODS,
        Value::List(_) => list::METHODS,
        Value::Tuple(_) => list::TUPLE_METHODS,
        Value::Dict(_) => dict::METHODS,
        Value::Set(_) => set::METHODS,
        Value::Int(_) | Value::BigInt(_) | Value::Bool(_) => number::INT_METHODS,
        Value::Float(_) => number::FLOAT_METHODS,
        Value::Range(_) => list::RANGE_METHODS,
        Value::Future(_) => asyncio::FUTURE_METHODS,
        Value::Task(_) => asyncio::TASK_METHODS,
        Value::Loop(_) => asyncio::LOOP_METHODS,
        Value::Handle(_) => asyncio::HANDLE_METHODS,
        Value::Sync(p) => sync_methods::methods_of_primitive(p),
        Value::Generator(g) if g.is_async_generator() => {
            crate::vm::generators::ASYNC_GENERATOR_METHODS
        }
        Value::Generator(_) => crate::vm::generators::GENERATOR_METHODS,
        Value::Coroutine(_) => crate::vm::coroutine_methods::COROUTINE_METHODS,
        _ => &[],
    };
    names.contains(&name)
}

impl Vm {
    /// Call method `name` of a built-in value.
    pub(crate) fn call_builtin_method(
        &mut self,
        receiver: &Value,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> PyResult<Value> {
        let result = match receiver {
            Value::Str(s) => self.str_method(s, name, args, kwargs),
            Value::List(l) => self.list_method(receiver, l, name, args, kwargs),
            Value::Tuple(t) => self.tuple_method(t, name, args, kwargs),
            Value::Dict(d) => self.dict_method(receiver, d, name, args, kwargs),
            Value::Set(s) => self.set_method(receiver, s, name, args, kwargs),
            Value::Int(_) | Value::BigInt(_) | Value::Bool(_) => {
                self.int_method(receiver, name, args, kwargs)
            }
            Value::Float(f) => self.float_method(*f, name, args, kwargs),
            Value::Range(r) => self.range_method(r, name, args, kwargs),
            Value::Future(_) | Value::Task(_) => {
                let w = Waitable::from_value(receiver).expect("a future or task");
                self.future_method(&w, name, args, kwargs)
            }
            Value::Loop(_) => self.loop_method(name, args, kwargs),
            Value::Handle(h) => self.handle_method(h, name, args, kwargs),
            Value::Sync(p) => self.primitive_method(p, name, args, kwargs),
            Value::Generator(g) => self.generator_method(g, name, args, kwargs),
            Value::Coroutine(c) => self.coroutine_method(c, name, args, kwargs),
            Value::ClassMember(m) => match (&**m, &*name.text(), args) {
                (super::object::instance::ClassMember::Property { getter, .. }, "setter", [f]) => {
                    Some(Ok(Value::ClassMember(std::rc::Rc::new(
                        super::object::instance::ClassMember::Property {
                            getter: getter.clone(),
                            setter: Some(f.clone()),
                        },
                    ))))
                }
                _ => None,
            },
            Value::Instance(_) | Value::Exception(_) if kwargs.is_empty() => {
                self.call_object_method(receiver, name, args)
            }
            _ => None,
        };
        result.unwrap_or_else(|| Err(self.no_attribute(receiver, name)))
    }
}

/// Check a method's positional argument count, CPython style:
/// `list.append() takes exactly one argument (0 given)`.
pub(crate) fn arity(
    type_name: &str,
    method: &str,
    args: &[Value],
    kwargs: &[(Symbol, Value)],
    min: usize,
    max: usize,
) -> PyResult<()> {
    if !kwargs.is_empty() {
        return Err(exception::type_error(format!(
            "{type_name}.{method}() takes no keyword arguments"
        )));
    }
    let n = args.len();
    if n >= min && n <= max {
        return Ok(());
    }
    let message = if min == 1 && max == 1 {
        format!("{type_name}.{method}() takes exactly one argument ({n} given)")
    } else if min == 0 && max == 0 {
        format!("{type_name}.{method}() takes no arguments ({n} given)")
    } else if min == max {
        format!("{method} expected {min} arguments, got {n}")
    } else if n < min {
        format!(
            "{method} expected at least {min} argument{}, got {n}",
            if min == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{method} expected at most {max} argument{}, got {n}",
            if max == 1 { "" } else { "s" }
        )
    };
    Err(exception::type_error(message))
}
