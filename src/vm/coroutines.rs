//! `await`: what can be awaited, and how.
//!
//! `GET_AWAITABLE` checks that the value can be awaited; `AWAIT` (in the
//! dispatch loop) then runs a coroutine inside the awaiting task by pushing
//! its frame. Tasks and futures, which suspend the task instead, come with
//! the event loop.

use super::object::exception::{self, PyResult};
use super::value::Value;
use super::Vm;
use crate::event_loop::future::Waitable;
use crate::event_loop::native::{Poll, Resume, Yielded};
use crate::symbol::Symbol;

/// The delay of `callee(arg)` when that call is `asyncio.sleep(delay)`
/// with a number and no `result`. Fused with the `GET_AWAITABLE; AWAIT`
/// that follow, such a call is run by the dispatch loop without making
/// the sleep coroutine:
///
/// - a delay of zero or less is the task switch itself: the task pauses at
///   the `AWAIT` as if the coroutine had yielded, with `Undefined` (a value
///   no program can make) in the coroutine's stack slot. Resumed, `AWAIT`
///   turns that into the sleep's result, `None`; an exception thrown in (a
///   cancellation) replaces it.
/// - a longer delay is what the coroutine's first step would do, done in
///   place: a future, and a timer that finishes it; the `AWAIT` then waits
///   for that future. The timer is inert once the future is done
///   (cancelled), as `sleep`'s `finally: h.cancel()` makes it.
pub(crate) fn awaited_sleep_delay(callee: &Value, arg: &Value) -> Option<f64> {
    if !matches!(callee, Value::Builtin(f) if std::ptr::eq(*f, &crate::event_loop::asyncio::SLEEP))
    {
        return None;
    }
    match arg {
        Value::Int(delay) => Some(*delay as f64),
        Value::Float(delay) => Some(*delay),
        _ => None,
    }
}

/// [`awaited_sleep_delay`] for `module.name(arg)`.
pub(crate) fn module_sleep_delay(receiver: &Value, name: Symbol, arg: &Value) -> Option<f64> {
    let Value::Module(module) = receiver else {
        return None;
    };
    if !matches!(arg, Value::Int(_) | Value::Float(_)) {
        return None;
    }
    module
        .attrs
        .borrow()
        .get(&name)
        .and_then(|callee| awaited_sleep_delay(callee, arg))
}

impl Vm {
    /// `GET_AWAITABLE`: the value itself if it can be awaited.
    pub(crate) fn get_awaitable(&mut self, v: Value) -> PyResult<Value> {
        match &v {
            Value::Coroutine(c) => {
                if c.is_detached() {
                    return Err(exception::runtime_error(
                        "coroutine is being awaited already",
                    ));
                }
                if c.is_started() {
                    return Err(exception::runtime_error(
                        "cannot reuse already awaited coroutine",
                    ));
                }
                Ok(v)
            }
            Value::Future(_) | Value::Task(_) | Value::AsyncGenStep(_) => Ok(v),
            Value::NativeCoroutine(n) => {
                if n.is_started() {
                    return Err(exception::runtime_error(
                        "cannot reuse already awaited coroutine",
                    ));
                }
                Ok(v)
            }
            other => Err(exception::type_error(format!(
                "object {} can't be used in 'await' expression",
                other.type_name()
            ))),
        }
    }

    /// `AWAIT` on a future, task or native coroutine (a Python coroutine
    /// is pushed as a frame by the dispatch loop). `None` means "pause the
    /// task, waiting for this"; the frame will run `AWAIT` again when it
    /// resumes, and then find the awaitable done.
    pub(crate) fn await_step(&mut self, awaitable: &Value) -> PyResult<Result<Value, Yielded>> {
        match awaitable {
            Value::Future(_) | Value::Task(_) => {
                let w = Waitable::from_value(awaitable).expect("a future or task");
                if w.core().done() {
                    return self.waitable_result(&w).map(Ok);
                }
                Ok(Err(Yielded::Waiting(w)))
            }
            Value::NativeCoroutine(native) => match self.drive_native(native, Resume::Send)? {
                Poll::Ready(v) => Ok(Ok(v)),
                Poll::Pending(y) => Ok(Err(y)),
            },
            // A fused `await asyncio.sleep(0)`, resumed.
            Value::Undefined => Ok(Ok(Value::None)),
            other => Err(exception::type_error(format!(
                "object {} can't be used in 'await' expression",
                other.type_name()
            ))),
        }
    }
}
