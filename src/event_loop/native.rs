//! Coroutines implemented in Rust: `asyncio.sleep` and `asyncio.wait_for`.
//!
//! In CPython these are `async def` functions in `asyncio/tasks.py`. Here
//! each is a small state machine that the VM *drives*: every time the
//! awaiting frame's `AWAIT` runs (first, and again after each wake-up), it
//! calls [`Vm::drive_native`] with what the task was resumed with, and the
//! machine either finishes (`Ready`), or says what the task must wait for
//! (`Pending`). Each state corresponds to one `await` in CPython's code, and
//! each transition does what the code between two awaits does there, in the
//! same order — which is what keeps the loop's schedule identical.

use super::future::{Future, Waitable};
use super::handle::{DoneCallback, Handle, HandleAction};
use crate::vm::object::exception::{self, PyErr, PyResult};
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::cell::RefCell;
use std::rc::Rc;

/// What a paused coroutine hands up to its task.
pub enum Yielded {
    /// Wake me when this finishes (`yield future`).
    Waiting(Waitable),
    /// Reschedule me right away (a bare `yield`: `asyncio.sleep(0)`).
    Bare,
}

/// What the task resumes a coroutine with.
pub enum Resume {
    /// `coro.send(None)`.
    Send,
    /// `coro.throw(exc)` (cancellation, or a failed future).
    Throw(PyErr),
}

/// The outcome of driving a native coroutine one step.
pub enum Poll {
    Ready(Value),
    Pending(Yielded),
}

pub struct NativeCoroutine {
    state: RefCell<NativeState>,
    name: &'static str,
}

enum NativeState {
    /// `sleep(0)`: yield once, then return `result`.
    Sleep0 {
        result: Value,
        yielded: bool,
    },
    /// `sleep(delay)`: wait for a future a timer will finish.
    Sleep {
        delay: f64,
        result: Value,
        waiting: Option<(Rc<Future>, Rc<Handle>)>,
    },
    /// `wait_for(fut, timeout)`.
    WaitFor(WaitFor),
    /// A coroutine that returns `None` at once (asyncio.run's shutdown
    /// steps, which in CPython have nothing to do).
    Noop,
    Done,
}

/// `wait_for` between its awaits.
enum WaitFor {
    Start {
        awaitable: Value,
        timeout: f64,
    },
    /// `await waiter`: the task or the timeout releases the waiter.
    AwaitWaiter {
        fut: Waitable,
        waiter: Rc<Future>,
        timeout_handle: Rc<Handle>,
    },
    /// `await _cancel_and_wait(fut)`, after which `then` happens.
    CancelAndWait {
        fut: Waitable,
        waiter: Rc<Future>,
        timeout_handle: Option<Rc<Handle>>,
        then: AfterCancel,
    },
}

/// What `wait_for` does once the inner task is cancelled and done.
enum AfterCancel {
    /// The timeout expired: return its result, or raise `TimeoutError`.
    TimeoutExpired,
    /// `wait_for` itself was cancelled: re-raise that.
    Reraise(PyErr),
}

impl NativeCoroutine {
    fn make(name: &'static str, state: NativeState) -> Value {
        Value::NativeCoroutine(Rc::new(NativeCoroutine {
            state: RefCell::new(state),
            name,
        }))
    }

    /// `asyncio.sleep(delay, result)`.
    pub fn sleep(delay: f64, result: Value) -> Value {
        if delay <= 0.0 || delay.is_nan() {
            Self::make(
                "sleep",
                NativeState::Sleep0 {
                    result,
                    yielded: false,
                },
            )
        } else {
            Self::make(
                "sleep",
                NativeState::Sleep {
                    delay,
                    result,
                    waiting: None,
                },
            )
        }
    }

    /// `asyncio.wait_for(awaitable, timeout)` with a timeout.
    pub fn wait_for(awaitable: Value, timeout: f64) -> Value {
        Self::make(
            "wait_for",
            NativeState::WaitFor(WaitFor::Start { awaitable, timeout }),
        )
    }

    pub fn noop(name: &'static str) -> Value {
        Self::make(name, NativeState::Noop)
    }

    /// The name the coroutine has in CPython (for reprs and warnings).
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn is_started(&self) -> bool {
        !matches!(
            &*self.state.borrow(),
            NativeState::Sleep0 { yielded: false, .. }
                | NativeState::Sleep { waiting: None, .. }
                | NativeState::WaitFor(WaitFor::Start { .. })
                | NativeState::Noop
        )
    }
}

impl Vm {
    /// Run a native coroutine until it finishes or must wait.
    pub(crate) fn drive_native(
        &mut self,
        coro: &Rc<NativeCoroutine>,
        resume: Resume,
    ) -> PyResult<Poll> {
        let state = std::mem::replace(&mut *coro.state.borrow_mut(), NativeState::Done);
        let (next, outcome) = self.step_native(state, resume);
        *coro.state.borrow_mut() = next;
        outcome
    }

    fn step_native(&mut self, state: NativeState, resume: Resume) -> (NativeState, PyResult<Poll>) {
        match state {
            NativeState::Done => (
                NativeState::Done,
                Err(exception::runtime_error(
                    "cannot reuse already awaited coroutine",
                )),
            ),
            NativeState::Noop => match resume {
                Resume::Send => (NativeState::Done, Ok(Poll::Ready(Value::None))),
                Resume::Throw(e) => (NativeState::Done, Err(e)),
            },
            NativeState::Sleep0 { result, yielded } => match (yielded, resume) {
                (false, Resume::Send) => (
                    NativeState::Sleep0 {
                        result,
                        yielded: true,
                    },
                    Ok(Poll::Pending(Yielded::Bare)),
                ),
                (true, Resume::Send) => (NativeState::Done, Ok(Poll::Ready(result))),
                (_, Resume::Throw(e)) => (NativeState::Done, Err(e)),
            },
            NativeState::Sleep {
                delay,
                result,
                waiting: None,
            } => {
                if let Resume::Throw(e) = resume {
                    return (NativeState::Done, Err(e));
                }
                let future = Future::new();
                let handle = self.call_later(
                    delay,
                    HandleAction::SetResultUnlessCancelled {
                        future: future.clone(),
                        value: result.clone(),
                    },
                );
                let yielded = Yielded::Waiting(Waitable::Future(future.clone()));
                (
                    NativeState::Sleep {
                        delay,
                        result,
                        waiting: Some((future, handle)),
                    },
                    Ok(Poll::Pending(yielded)),
                )
            }
            NativeState::Sleep {
                waiting: Some((future, handle)),
                ..
            } => {
                // `return await future` ... `finally: h.cancel()`.
                handle.cancel();
                let outcome = match resume {
                    Resume::Throw(e) => Err(e),
                    Resume::Send => self
                        .waitable_result(&Waitable::Future(future))
                        .map(Poll::Ready),
                };
                (NativeState::Done, outcome)
            }
            NativeState::WaitFor(w) => {
                let (next, outcome) = self.step_wait_for(w, resume);
                (
                    next.map_or(NativeState::Done, NativeState::WaitFor),
                    outcome,
                )
            }
        }
    }

    /// One step of CPython 3.11's `wait_for` (see `tasks.py`).
    fn step_wait_for(
        &mut self,
        state: WaitFor,
        resume: Resume,
    ) -> (Option<WaitFor>, PyResult<Poll>) {
        match state {
            WaitFor::Start { awaitable, timeout } => {
                if let Resume::Throw(e) = resume {
                    return (None, Err(e));
                }
                if timeout <= 0.0 {
                    let fut = match self.ensure_future(&awaitable) {
                        Ok(f) => f,
                        Err(e) => return (None, Err(e)),
                    };
                    if fut.core().done() {
                        return (None, self.waitable_result(&fut).map(Poll::Ready));
                    }
                    return self.cancel_and_wait(fut, None, AfterCancel::TimeoutExpired);
                }
                let waiter = Future::new();
                let timeout_handle =
                    self.call_later(timeout, HandleAction::ReleaseWaiter(waiter.clone()));
                let fut = match self.ensure_future(&awaitable) {
                    Ok(f) => f,
                    Err(e) => {
                        timeout_handle.cancel();
                        return (None, Err(e));
                    }
                };
                self.add_done_callback(&fut, DoneCallback::ReleaseWaiter(waiter.clone()));
                let yielded = Yielded::Waiting(Waitable::Future(waiter.clone()));
                (
                    Some(WaitFor::AwaitWaiter {
                        fut,
                        waiter,
                        timeout_handle,
                    }),
                    Ok(Poll::Pending(yielded)),
                )
            }
            WaitFor::AwaitWaiter {
                fut,
                waiter,
                timeout_handle,
            } => {
                let release = DoneCallback::ReleaseWaiter(waiter);
                match resume {
                    Resume::Throw(e) if is_cancelled_error(&e) => {
                        if fut.core().done() {
                            timeout_handle.cancel();
                            return (None, self.waitable_result(&fut).map(Poll::Ready));
                        }
                        self.remove_done_callback(&fut, &release);
                        self.cancel_and_wait(fut, Some(timeout_handle), AfterCancel::Reraise(e))
                    }
                    Resume::Throw(e) => {
                        timeout_handle.cancel();
                        (None, Err(e))
                    }
                    Resume::Send => {
                        if fut.core().done() {
                            timeout_handle.cancel();
                            return (None, self.waitable_result(&fut).map(Poll::Ready));
                        }
                        self.remove_done_callback(&fut, &release);
                        self.cancel_and_wait(fut, Some(timeout_handle), AfterCancel::TimeoutExpired)
                    }
                }
            }
            WaitFor::CancelAndWait {
                fut,
                waiter,
                timeout_handle,
                then,
            } => {
                // `_cancel_and_wait`'s `finally`, then `wait_for`'s.
                self.remove_done_callback(&fut, &DoneCallback::ReleaseWaiter(waiter));
                if let Some(h) = &timeout_handle {
                    h.cancel();
                }
                if let Resume::Throw(e) = resume {
                    return (None, Err(e));
                }
                let outcome = match then {
                    AfterCancel::Reraise(e) => Err(e),
                    AfterCancel::TimeoutExpired => match self.waitable_result(&fut) {
                        Err(e) if is_cancelled_error(&e) => {
                            let timeout = builtin_types().exceptions.timeout_error.clone();
                            let error = exception::exception_without_args(timeout);
                            *error.cause.borrow_mut() = Some(e.clone());
                            *error.context.borrow_mut() = Some(e);
                            error.suppress_context.set(true);
                            Err(error)
                        }
                        other => other.map(Poll::Ready),
                    },
                };
                (None, outcome)
            }
        }
    }

    /// Start `_cancel_and_wait(fut)`: cancel `fut` and wait until it is done.
    fn cancel_and_wait(
        &mut self,
        fut: Waitable,
        timeout_handle: Option<Rc<Handle>>,
        then: AfterCancel,
    ) -> (Option<WaitFor>, PyResult<Poll>) {
        let waiter = Future::new();
        self.add_done_callback(&fut, DoneCallback::ReleaseWaiter(waiter.clone()));
        self.cancel_waitable(&fut, Value::None);
        let yielded = Yielded::Waiting(Waitable::Future(waiter.clone()));
        (
            Some(WaitFor::CancelAndWait {
                fut,
                waiter,
                timeout_handle,
                then,
            }),
            Ok(Poll::Pending(yielded)),
        )
    }
}

fn is_cancelled_error(e: &PyErr) -> bool {
    e.is_instance_of(&builtin_types().exceptions.cancelled_error)
}
