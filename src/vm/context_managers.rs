//! `with` and `async with`: finding a context manager's `__enter__` and
//! `__exit__` (or `__aenter__` and `__aexit__`).
//!
//! The methods are looked up as any `obj.name` is, so an instance of a user
//! class and a native object (an `asyncio.Lock`, whose `__aenter__` is a
//! built-in method) are both context managers. Calling them is left to the
//! bytecode: `BEFORE_WITH` leaves the bound `__enter__` on the stack for a
//! `CALL 0` (followed by `GET_AWAITABLE; AWAIT` for `async with`), so the
//! call pushes a frame like any other and can suspend.

use super::object::exception::{self, PyResult};
use super::object::instance::Instance;
use super::object::types::{builtin_types, type_of, BuiltinType, TypeKind, TypeObject};
use super::value::Value;
use super::Vm;
use crate::symbol::{sym, Symbol};
use std::rc::Rc;

thread_local! {
    static TRACEBACK_TYPE: Rc<TypeObject> = TypeObject::new(
        "traceback",
        "builtins",
        TypeKind::Builtin(BuiltinType::Object),
        Some(builtin_types().object.clone()),
    );
}

/// What `__exit__` gets as its third argument: apy keeps tracebacks inside
/// the exception, so this is an opaque `traceback` object (not None, so
/// `if tb is None` tells an exception from a normal exit as in CPython).
fn traceback_object() -> Value {
    Value::Instance(Instance::new(TRACEBACK_TYPE.with(|t| t.clone())))
}

impl Vm {
    /// The bound exit and enter methods of `manager`, in the order the stack
    /// wants them; CPython's `TypeError`s when one is missing.
    pub(crate) fn context_methods(
        &mut self,
        manager: &Value,
        asynchronous: bool,
    ) -> PyResult<(Value, Value)> {
        let (enter, exit, protocol) = if asynchronous {
            (
                sym::__aenter__,
                sym::__aexit__,
                "asynchronous context manager protocol",
            )
        } else {
            (sym::__enter__, sym::__exit__, "context manager protocol")
        };
        let not_supported = |missed: Option<Symbol>| {
            exception::type_error(format!(
                "'{}' object does not support the {protocol}{}",
                manager.type_name(),
                missed.map_or(String::new(), |m| format!(" (missed {m} method)"))
            ))
        };
        let Some(enter_method) = self.special_lookup(manager, enter)? else {
            return Err(not_supported(None));
        };
        let Some(exit_method) = self.special_lookup(manager, exit)? else {
            return Err(not_supported(Some(exit)));
        };
        Ok((exit_method, enter_method))
    }

    /// A special method looked up on the type, as CPython does for
    /// protocols (an instance attribute of the same name does not count).
    fn special_lookup(&mut self, obj: &Value, name: Symbol) -> PyResult<Option<Value>> {
        match obj {
            Value::Instance(_) => self.class_attr_for(obj, &type_of(obj), name),
            Value::Exception(e) if e.class.is_main() => {
                self.class_attr_for(obj, &e.class.clone(), name)
            }
            _ => self.lookup_attr(obj, name),
        }
    }

    /// `WITH_EXCEPT_START`: the stack ends `exit, previous exception,
    /// exception`; push `exit, type, exception, None` and call.
    pub(crate) fn with_except_start(&mut self) -> PyResult<super::CallOutcome> {
        let exc = self.fiber.peek(0).clone();
        let exit = self.fiber.peek(2).clone();
        let callee_index = self.fiber.len();
        self.fiber.push(exit);
        self.fiber.push(Value::Type(type_of(&exc)));
        self.fiber.push(exc);
        self.fiber.push(traceback_object());
        self.call_from_stack(callee_index, &[])
    }
}
