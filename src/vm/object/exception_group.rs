//! `ExceptionGroup` and `BaseExceptionGroup`: several exceptions raised
//! together (what a `TaskGroup` raises when children fail).
//!
//! A group is an ordinary exception whose arguments are `(message,
//! [exceptions])`, as in CPython; `.message` and `.exceptions` read them.
//! In CPython `ExceptionGroup` derives from both `BaseExceptionGroup` and
//! `Exception`; apy's classes have one base, so its `ExceptionGroup`
//! derives from `Exception`, and `is_subclass_of` adds the second edge.
//! `except*` is out of apy's subset: groups are caught as a whole.

use super::exception::{self, PyErr, PyException, PyResult};
use super::types::{builtin_types, TypeObject};
use crate::vm::value::Value;
use std::rc::Rc;

/// Whether `class` is `BaseExceptionGroup` or derives from it.
pub fn is_group_class(class: &Rc<TypeObject>) -> bool {
    let ex = &builtin_types().exceptions;
    class.is_subclass_of(&ex.base_exception_group)
}

/// `ExceptionGroup(message, errors)`, built by the runtime (the caller
/// checked the errors are `Exception`s).
pub fn exception_group(message: &str, errors: Vec<PyErr>) -> PyErr {
    let ex = &builtin_types().exceptions;
    let all_plain = errors.iter().all(|e| e.is_instance_of(&ex.exception));
    let class = if all_plain {
        ex.exception_group.clone()
    } else {
        ex.base_exception_group.clone()
    };
    let list = Value::list(errors.into_iter().map(Value::Exception).collect());
    PyException::new(class, vec![Value::str(message), list])
}

/// The checks and the class choice of `BaseExceptionGroup.__new__`:
/// `BaseExceptionGroup(msg, [ValueError()])` makes an `ExceptionGroup`.
pub fn new_group(
    class: &Rc<TypeObject>,
    args: &[Value],
    items: Option<Vec<Value>>,
) -> PyResult<PyErr> {
    let ex = &builtin_types().exceptions;
    if args.len() != 2 {
        return Err(exception::type_error(format!(
            "BaseExceptionGroup.__new__() takes exactly 2 arguments ({} given)",
            args.len()
        )));
    }
    if !matches!(args[0], Value::Str(_)) {
        return Err(exception::type_error(format!(
            "BaseExceptionGroup.__new__() argument 1 must be str, not {}",
            args[0].type_name()
        )));
    }
    let Some(items) = items else {
        return Err(exception::type_error(
            "second argument (exceptions) must be a sequence",
        ));
    };
    if items.is_empty() {
        return Err(exception::value_error(
            "second argument (exceptions) must be a non-empty sequence",
        ));
    }
    let mut all_plain = true;
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Exception(e) => {
                if !e.is_instance_of(&ex.exception) {
                    all_plain = false;
                }
            }
            _ => {
                return Err(exception::value_error(format!(
                    "Item {i} of second argument (exceptions) is not an exception"
                )))
            }
        }
    }
    let class = if Rc::ptr_eq(class, &ex.base_exception_group) && all_plain {
        ex.exception_group.clone()
    } else {
        if !all_plain && class.is_subclass_of(&ex.exception) {
            return Err(exception::type_error(
                "Cannot nest BaseExceptions in an ExceptionGroup",
            ));
        }
        class.clone()
    };
    Ok(PyException::new(
        class,
        vec![args[0].clone(), args[1].clone()],
    ))
}

/// `group.message`.
pub fn message(group: &PyException) -> Value {
    group.args().items.first().cloned().unwrap_or(Value::None)
}

/// `group.exceptions`: the sub-exceptions, as a tuple.
pub fn exceptions(group: &PyException) -> Vec<PyErr> {
    let args = group.args();
    let Some(Value::List(list)) = args.items.get(1) else {
        return Vec::new();
    };
    let items = list.items.borrow();
    items
        .iter()
        .filter_map(|v| match v {
            Value::Exception(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

/// `str(group)`: `unhandled errors in a TaskGroup (2 sub-exceptions)`.
pub fn group_str(group: &PyException, message: &str) -> String {
    let n = exceptions(group).len();
    format!(
        "{message} ({n} sub-exception{})",
        if n == 1 { "" } else { "s" }
    )
}
