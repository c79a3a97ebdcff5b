//! Futures: a result that will exist later, and the callbacks to run when
//! it does.
//!
//! This is CPython's `asyncio.Future`, state for state: pending, finished
//! (with a result or an exception), or cancelled. Finishing a future does not
//! run its done-callbacks; it *schedules* them on the loop with `call_soon`,
//! in the order they were added — which is why a task waiting on a future
//! resumes only on a later pass of the loop. A task is a future too: its
//! [`FutureCore`] is the same state, finished by the task's coroutine.
//!
//! The operations that schedule callbacks need the loop, so they are VM
//! methods (in `event_loop/mod.rs`); this file holds the state and the
//! operations that do not.

use super::gather::GatherState;
use super::handle::DoneCallback;
use super::task::Task;
use crate::vm::object::exception::{PyErr, PyException};
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FutureState {
    Pending,
    Finished,
    Cancelled,
}

/// The state every future and task has.
pub struct FutureCore {
    state: Cell<FutureState>,
    result: RefCell<Value>,
    exception: RefCell<Option<PyErr>>,
    pub callbacks: RefCell<Vec<DoneCallback>>,
    cancel_message: RefCell<Value>,
    /// The `CancelledError` a task's coroutine ended with (reused when the
    /// cancellation is reported, as CPython's `_cancelled_exc`).
    cancelled_exc: RefCell<Option<PyErr>>,
    /// An exception was set and nobody has looked at it yet ("... exception
    /// was never retrieved" when the future is dropped).
    pub log_traceback: Cell<bool>,
}

impl Default for FutureCore {
    fn default() -> Self {
        FutureCore {
            state: Cell::new(FutureState::Pending),
            result: RefCell::new(Value::None),
            exception: RefCell::new(None),
            callbacks: RefCell::new(Vec::new()),
            cancel_message: RefCell::new(Value::None),
            cancelled_exc: RefCell::new(None),
            log_traceback: Cell::new(false),
        }
    }
}

impl FutureCore {
    pub fn state(&self) -> FutureState {
        self.state.get()
    }

    pub fn done(&self) -> bool {
        self.state.get() != FutureState::Pending
    }

    pub fn cancelled(&self) -> bool {
        self.state.get() == FutureState::Cancelled
    }

    pub fn cancel_message(&self) -> Value {
        self.cancel_message.borrow().clone()
    }

    /// Record a result; the caller schedules the callbacks.
    pub fn finish_with_result(&self, value: Value) {
        *self.result.borrow_mut() = value;
        self.state.set(FutureState::Finished);
    }

    /// Record an exception; the caller schedules the callbacks.
    pub fn finish_with_exception(&self, exception: PyErr) {
        *self.exception.borrow_mut() = Some(exception);
        self.state.set(FutureState::Finished);
        self.log_traceback.set(true);
    }

    /// Mark cancelled (with `msg`); the caller schedules the callbacks.
    pub fn mark_cancelled(&self, msg: Value) {
        self.log_traceback.set(false);
        self.state.set(FutureState::Cancelled);
        *self.cancel_message.borrow_mut() = msg;
    }

    pub fn set_cancel_message(&self, msg: Value) {
        *self.cancel_message.borrow_mut() = msg;
    }

    pub fn set_cancelled_exc(&self, exc: PyErr) {
        *self.cancelled_exc.borrow_mut() = Some(exc);
    }

    /// Take the callbacks to schedule them (CPython's
    /// `__schedule_callbacks` clears the list first).
    pub fn take_callbacks(&self) -> Vec<DoneCallback> {
        std::mem::take(&mut *self.callbacks.borrow_mut())
    }

    /// CPython's `_make_cancelled_error`: the `CancelledError` to raise for
    /// a cancelled future, carrying the cancel message.
    pub fn make_cancelled_error(&self) -> PyErr {
        if let Some(exc) = self.cancelled_exc.borrow_mut().take() {
            return exc;
        }
        let class = builtin_types().exceptions.cancelled_error.clone();
        let args = match &*self.cancel_message.borrow() {
            Value::None => Vec::new(),
            msg => vec![msg.clone()],
        };
        PyException::new(class, args)
    }

    /// `future.result()`: the value, or the exception to raise.
    pub fn result(&self) -> Result<Value, ResultError> {
        match self.state.get() {
            FutureState::Cancelled => Err(ResultError::Raise(self.make_cancelled_error())),
            // CPython runs the C `_asyncio` futures, whose wording this is.
            FutureState::Pending => Err(ResultError::NotReady("Result is not set.")),
            FutureState::Finished => {
                self.log_traceback.set(false);
                match &*self.exception.borrow() {
                    Some(e) => Err(ResultError::Raise(e.clone())),
                    None => Ok(self.result.borrow().clone()),
                }
            }
        }
    }

    /// `future.exception()`.
    pub fn exception(&self) -> Result<Option<PyErr>, ResultError> {
        match self.state.get() {
            FutureState::Cancelled => Err(ResultError::Raise(self.make_cancelled_error())),
            FutureState::Pending => Err(ResultError::NotReady("Exception is not set.")),
            FutureState::Finished => {
                self.log_traceback.set(false);
                Ok(self.exception.borrow().clone())
            }
        }
    }

    /// The exception, without marking it retrieved (for reports).
    pub fn peek_exception(&self) -> Option<PyErr> {
        self.exception.borrow().clone()
    }
}

/// Why `result()`/`exception()` did not give a value.
pub enum ResultError {
    /// Raise this (the future's exception, or `CancelledError`).
    Raise(PyErr),
    /// `InvalidStateError` with this message.
    NotReady(&'static str),
}

/// A plain future (`loop.create_future()`), or one made by `gather`.
pub struct Future {
    pub core: FutureCore,
    /// For the future `gather` returns: cancelling it cancels the children.
    pub gather: RefCell<Option<Rc<GatherState>>>,
}

impl Future {
    pub fn new() -> Rc<Future> {
        Rc::new(Future {
            core: FutureCore::default(),
            gather: RefCell::new(None),
        })
    }
}

impl Drop for Future {
    fn drop(&mut self) {
        if self.core.log_traceback.get() {
            if let Some(exception) = self.core.peek_exception() {
                super::diagnostics::report_never_retrieved(
                    super::diagnostics::Unretrieved::Future { exception },
                );
            }
        }
    }
}

/// Something a task can wait on: a future or another task.
#[derive(Clone)]
pub enum Waitable {
    Future(Rc<Future>),
    Task(Rc<Task>),
}

impl Waitable {
    pub fn core(&self) -> &FutureCore {
        match self {
            Waitable::Future(f) => &f.core,
            Waitable::Task(t) => &t.core,
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Waitable::Future(f) => Value::Future(f.clone()),
            Waitable::Task(t) => Value::Task(t.clone()),
        }
    }

    pub fn from_value(value: &Value) -> Option<Waitable> {
        match value {
            Value::Future(f) => Some(Waitable::Future(f.clone())),
            Value::Task(t) => Some(Waitable::Task(t.clone())),
            _ => None,
        }
    }

    pub fn is(&self, other: &Waitable) -> bool {
        match (self, other) {
            (Waitable::Future(a), Waitable::Future(b)) => Rc::ptr_eq(a, b),
            (Waitable::Task(a), Waitable::Task(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}
