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

impl Vm {
    /// `GET_AWAITABLE`: the value itself if it can be awaited.
    pub(crate) fn get_awaitable(&mut self, v: Value) -> PyResult<Value> {
        match &v {
            Value::Coroutine(c) => {
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
            other => Err(exception::type_error(format!(
                "object {} can't be used in 'await' expression",
                other.type_name()
            ))),
        }
    }
}
