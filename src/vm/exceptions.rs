//! Raising and catching: the semantics of `raise`, `raise ... from ...`,
//! bare `raise`, and the test an `except` clause applies.

use super::object::exception::{self, PyErr, PyResult};
use super::value::Value;
use super::Vm;

impl Vm {
    /// `RAISE_VARARGS argc`: the exception to raise (the instruction always
    /// raises, so this returns the error rather than a `Result`).
    pub(crate) fn raise_op(&mut self, argc: u32) -> PyErr {
        match argc {
            0 => match &self.fiber.handled_exception {
                Some(e) => {
                    // A bare `raise` keeps the traceback as it is.
                    self.reraising = true;
                    e.clone()
                }
                None => exception::runtime_error("No active exception to reraise"),
            },
            1 => {
                let v = self.fiber.pop();
                self.make_exception(v).unwrap_or_else(|e| e)
            }
            _ => {
                let cause = self.fiber.pop();
                let v = self.fiber.pop();
                let error = match self.make_exception(v) {
                    Ok(e) => e,
                    Err(e) => return e,
                };
                let cause = match cause {
                    Value::None => None,
                    other => match self.make_exception(other) {
                        Ok(c) => Some(c),
                        Err(_) => {
                            return exception::type_error(
                                "exception causes must derive from BaseException",
                            )
                        }
                    },
                };
                *error.cause.borrow_mut() = cause;
                error.suppress_context.set(true);
                error
            }
        }
    }

    /// What `raise v` raises: an exception instance as is, an exception class
    /// instantiated with no arguments.
    fn make_exception(&mut self, v: Value) -> PyResult<PyErr> {
        match v {
            Value::Exception(e) => Ok(e),
            Value::Type(t) if t.is_exception() => match self.call(&Value::Type(t), &[], &[])? {
                Value::Exception(e) => Ok(e),
                _ => Err(exception::type_error(
                    "calling an exception class did not return an exception",
                )),
            },
            _ => Err(exception::type_error(
                "exceptions must derive from BaseException",
            )),
        }
    }

    /// `except <class_or_tuple>`: whether `exc` is an instance.
    pub(crate) fn exception_matches(&mut self, exc: &Value, class: &Value) -> PyResult<bool> {
        let Value::Exception(e) = exc else {
            return Ok(false);
        };
        match class {
            Value::Type(t) if t.is_exception() => Ok(e.is_instance_of(t)),
            Value::Tuple(classes) => {
                for c in classes.items.iter() {
                    if self.exception_matches(exc, c)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(exception::type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    }
}
