//! `await`: what can be awaited, and how.
//!
//! `GET_AWAITABLE` checks that the value can be awaited; `AWAIT` (in the
//! dispatch loop) then runs a coroutine inside the awaiting task by pushing
//! its frame. Tasks and futures, which suspend the task instead, come with
//! the event loop.

use super::object::exception::{self, PyResult};
use super::value::Value;
use super::Vm;

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
            other => Err(exception::type_error(format!(
                "object {} can't be used in 'await' expression",
                other.type_name()
            ))),
        }
    }
}
