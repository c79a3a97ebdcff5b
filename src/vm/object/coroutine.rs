//! Coroutine objects: what calling an `async def` function returns.
//!
//! Calling `f(1, 2)` for an `async def f` runs none of its body: it binds the
//! arguments to the parameters and keeps them, ready, in a coroutine object.
//! The body runs only when something awaits the coroutine (or a task wraps
//! it): then the kept locals become a frame on the awaiting task's frame
//! stack, and the coroutine runs inside that task until it returns. A
//! coroutine can be started only once.

use super::function::Function;
use crate::vm::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

pub struct Coroutine {
    pub function: Rc<Function>,
    pub state: RefCell<CoroutineState>,
}

pub enum CoroutineState {
    /// Not started: the frame's local slots, arguments already bound.
    Created(Vec<Value>),
    /// Its frame is on some task's frame stack.
    Running,
    /// Returned or raised.
    Finished,
}

impl Coroutine {
    pub fn new(function: Rc<Function>, locals: Vec<Value>) -> Rc<Coroutine> {
        Rc::new(Coroutine {
            function,
            state: RefCell::new(CoroutineState::Created(locals)),
        })
    }

    pub fn qualname(&self) -> &Rc<str> {
        self.function.qualname()
    }

    /// Take the prepared locals to start running, if it was never started.
    pub fn start(&self) -> Option<Vec<Value>> {
        let mut state = self.state.borrow_mut();
        match std::mem::replace(&mut *state, CoroutineState::Running) {
            CoroutineState::Created(locals) => Some(locals),
            other => {
                *state = other;
                None
            }
        }
    }

    pub fn finish(&self) {
        *self.state.borrow_mut() = CoroutineState::Finished;
    }

    pub fn is_started(&self) -> bool {
        !matches!(*self.state.borrow(), CoroutineState::Created(_))
    }
}

impl Drop for Coroutine {
    /// A coroutine freed without ever running: CPython's
    /// `RuntimeWarning: coroutine 'f' was never awaited`.
    fn drop(&mut self) {
        if let CoroutineState::Created(_) = *self.state.borrow() {
            crate::event_loop::diagnostics::report_never_awaited(self.function.qualname().clone());
        }
    }
}
