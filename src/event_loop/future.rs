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
use super::slot::Slot;
use super::task::Task;
use crate::vm::object::exception::{PyErr, PyException};
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use std::cell::Cell;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FutureState {
    Pending,
    Finished,
    Cancelled,
}

/// The done-callbacks of a future, in the order they were added: almost
/// always none or exactly one (the task waiting for it, or a `gather`),
/// kept inline; more go to a boxed list. Two words, as one callback is.
#[derive(Clone, Default)]
pub enum Callbacks {
    #[default]
    None,
    One(DoneCallback),
    Many(Box<Vec<DoneCallback>>),
}

impl Callbacks {
    pub fn as_slice(&self) -> &[DoneCallback] {
        match self {
            Callbacks::None => &[],
            Callbacks::One(callback) => std::slice::from_ref(callback),
            Callbacks::Many(list) => list,
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, DoneCallback> {
        self.as_slice().iter()
    }

    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Callbacks::None)
    }

    pub fn push(&mut self, callback: DoneCallback) {
        *self = match std::mem::take(self) {
            Callbacks::None => Callbacks::One(callback),
            Callbacks::One(first) => Callbacks::Many(Box::new(vec![first, callback])),
            Callbacks::Many(mut list) => {
                list.push(callback);
                Callbacks::Many(list)
            }
        };
    }

    /// Keep only the callbacks `keep` says yes to, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&DoneCallback) -> bool) {
        match self {
            Callbacks::None => {}
            Callbacks::One(callback) => {
                if !keep(callback) {
                    *self = Callbacks::None;
                }
            }
            Callbacks::Many(list) => {
                list.retain(keep);
                if list.is_empty() {
                    *self = Callbacks::None;
                }
            }
        }
    }
}

impl IntoIterator for Callbacks {
    type Item = DoneCallback;
    type IntoIter = CallbacksIter;

    fn into_iter(self) -> CallbacksIter {
        match self {
            Callbacks::None => CallbacksIter::One(None),
            Callbacks::One(callback) => CallbacksIter::One(Some(callback)),
            Callbacks::Many(list) => CallbacksIter::Many(list.into_iter()),
        }
    }
}

/// The callbacks of a finished future, taken out to be scheduled.
pub enum CallbacksIter {
    One(Option<DoneCallback>),
    Many(std::vec::IntoIter<DoneCallback>),
}

impl Iterator for CallbacksIter {
    type Item = DoneCallback;

    fn next(&mut self) -> Option<DoneCallback> {
        match self {
            CallbacksIter::One(callback) => callback.take(),
            CallbacksIter::Many(rest) => rest.next(),
        }
    }
}

/// The state every future and task has. Kept small: a program may have
/// hundreds of thousands of tasks alive at once (hence [`Slot`]s, which
/// have no borrow flag, rather than `RefCell`s).
pub struct FutureCore {
    state: Cell<FutureState>,
    /// Whether a finished future's `outcome` is its exception.
    failed: Cell<bool>,
    /// An exception was set and nobody has looked at it yet ("... exception
    /// was never retrieved" when the future is dropped).
    pub log_traceback: Cell<bool>,
    /// The result, or the exception (a `Value::Exception`) when `failed`.
    outcome: Slot<Value>,
    pub callbacks: Slot<Callbacks>,
    /// What only a few futures need, boxed (see [`Rare`]).
    rare: Slot<Option<Box<Rare>>>,
}

/// The parts of a future that only a few futures need.
#[derive(Default)]
struct Rare {
    /// The cancel message and the `CancelledError` a task's coroutine
    /// ended with (CPython's `_cancel_message`, `_cancelled_exc`), for
    /// futures that are cancelled.
    message: Value,
    cancelled_exc: Option<PyErr>,
    /// For the future `gather` returns: cancelling it cancels the
    /// children.
    gather: Option<Rc<GatherState>>,
}

impl Default for FutureCore {
    fn default() -> Self {
        FutureCore {
            state: Cell::new(FutureState::Pending),
            failed: Cell::new(false),
            log_traceback: Cell::new(false),
            outcome: Slot::default(),
            callbacks: Slot::default(),
            rare: Slot::default(),
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
        self.rare.update(|r| match r {
            Some(r) => r.message.clone(),
            None => Value::None,
        })
    }

    /// Change the rare parts, making them if need be.
    fn update_rare(&self, change: impl FnOnce(&mut Rare)) {
        self.rare
            .update(|r| change(r.get_or_insert_with(Default::default)));
    }

    /// Record a result; the caller schedules the callbacks.
    pub fn finish_with_result(&self, value: Value) {
        self.outcome.set(value);
        self.state.set(FutureState::Finished);
    }

    /// Record an exception; the caller schedules the callbacks.
    pub fn finish_with_exception(&self, exception: PyErr) {
        self.outcome.set(Value::Exception(exception));
        self.failed.set(true);
        self.state.set(FutureState::Finished);
        self.log_traceback.set(true);
    }

    /// Mark cancelled (with `msg`); the caller schedules the callbacks.
    pub fn mark_cancelled(&self, msg: Value) {
        self.log_traceback.set(false);
        self.state.set(FutureState::Cancelled);
        self.set_cancel_message(msg);
    }

    pub fn set_cancel_message(&self, msg: Value) {
        if matches!(msg, Value::None) && self.rare.update(|r| r.is_none()) {
            return;
        }
        self.update_rare(|r| r.message = msg);
    }

    pub fn set_cancelled_exc(&self, exc: PyErr) {
        self.update_rare(|r| r.cancelled_exc = Some(exc));
    }

    /// Take the callbacks to schedule them (CPython's
    /// `__schedule_callbacks` clears the list first).
    pub fn take_callbacks(&self) -> Callbacks {
        self.callbacks.take()
    }

    /// CPython's `_make_cancelled_error`: the `CancelledError` to raise for
    /// a cancelled future, carrying the cancel message.
    pub fn make_cancelled_error(&self) -> PyErr {
        let saved = self
            .rare
            .update(|r| r.as_mut().and_then(|r| r.cancelled_exc.take()));
        if let Some(exc) = saved {
            return exc;
        }
        let class = builtin_types().exceptions.cancelled_error.clone();
        let args = match self.cancel_message() {
            Value::None => Vec::new(),
            msg => vec![msg],
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
                match (self.outcome.get(), self.failed.get()) {
                    (Value::Exception(e), true) => Err(ResultError::Raise(e)),
                    (value, _) => Ok(value),
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
                Ok(self.peek_exception())
            }
        }
    }

    /// The exception, without marking it retrieved (for reports).
    pub fn peek_exception(&self) -> Option<PyErr> {
        match (self.outcome.get(), self.failed.get()) {
            (Value::Exception(e), true) => Some(e),
            _ => None,
        }
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
}

impl Future {
    pub fn new() -> Rc<Future> {
        Rc::new(Future {
            core: FutureCore::default(),
        })
    }

    /// The state of the `gather` that returned this future, if one did.
    pub fn gather(&self) -> Option<Rc<GatherState>> {
        self.core
            .rare
            .update(|r| r.as_ref().and_then(|r| r.gather.clone()))
    }

    /// Mark this as the future `gather` returns.
    pub fn set_gather(&self, state: Rc<GatherState>) {
        self.core.update_rare(|r| r.gather = Some(state));
    }

    /// Whether this is the future `gather` returned.
    pub fn is_gather(&self) -> bool {
        self.core
            .rare
            .update(|r| r.as_ref().is_some_and(|r| r.gather.is_some()))
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

    /// Whether this is `task` itself.
    pub fn is_task(&self, task: &Rc<super::task::Task>) -> bool {
        matches!(self, Waitable::Task(t) if Rc::ptr_eq(t, task))
    }
}

#[cfg(test)]
mod tests {
    /// A sleeping task holds a future (and a task is one): keep a future
    /// within a 64-byte allocation and a task within 192, Rc counts
    /// included (mimalloc's size classes: 64, 80, ..., 160, 192).
    #[test]
    fn futures_stay_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<super::Callbacks>(), 16);
        assert!(size_of::<super::Future>() <= 48);
        assert!(size_of::<super::super::task::Task>() <= 176);
    }
}
