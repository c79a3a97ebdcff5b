//! Coroutines implemented in Rust: `asyncio.sleep`, `asyncio.wait_for`, and
//! the `async def` methods of locks and queues (stepped in `sync_wait.rs`).
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
use super::handle::{DoneCallback, Handle, HandleAction, TimeoutOf};
use super::is_cancelled_error;
use super::sync_wait::SyncWait;
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
    /// A `Cell`, not a `RefCell`: the state is only ever moved out, stepped
    /// and moved back, so no borrow flag is needed (and a coroutine is one
    /// word smaller; 100k sleeping tasks each hold one).
    state: RefCell<NativeState>,
    /// Index into [`NATIVE_NAMES`] (a byte, not a `&str`: many of these
    /// objects may be alive at once).
    name: u8,
}

/// The names native coroutines have in CPython (their `__qualname__`, for
/// reprs and warnings).
const NATIVE_NAMES: [&str; 20] = [
    "sleep",
    "wait_for",
    "shutdown_asyncgens",
    "shutdown_default_executor",
    "Lock.acquire",
    "Semaphore.acquire",
    "Event.wait",
    "Condition.wait",
    "Condition.wait_for",
    "Queue.put",
    "Queue.get",
    "Queue.join",
    "_ContextManagerMixin.__aenter__",
    "_ContextManagerMixin.__aexit__",
    "wait",
    "as_completed.<locals>._wait_for_one",
    "TaskGroup.__aenter__",
    "TaskGroup.__aexit__",
    "Timeout.__aenter__",
    "Timeout.__aexit__",
];
const SLEEP: u8 = 0;
const WAIT_FOR: u8 = 1;
const SHUTDOWN_ASYNCGENS: u8 = 2;

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
        waiting: Option<Rc<Future>>,
    },
    /// `wait_for(fut, timeout)` (boxed: it is big, and rare).
    WaitFor(Box<WaitFor>),
    /// An `async def` method of a lock, event, condition or queue (inline:
    /// a queue hand-off makes and steps one per `get` and `put`).
    Sync(SyncWait),
    /// `asyncio.wait(fs, timeout=, return_when=)`.
    Wait(Box<super::combinators::WaitState>),
    /// A coroutine that returns `None` at once (asyncio.run's
    /// `shutdown_default_executor`, which in CPython has nothing to do).
    Noop,
    /// `loop.shutdown_asyncgens()`: not started, or awaiting the `aclose()`
    /// of the async generators still open.
    ShutdownAsyncGens(Option<Box<super::async_gens::ClosingAsyncGens>>),
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

/// `a == b`, usable in a `const fn`.
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `sleep(delay)` only yields once (CPython's `if delay <= 0`;
/// a NaN delay, which no timer can be armed for, also counts).
pub(crate) fn is_no_delay(delay: f64) -> bool {
    delay <= 0.0 || delay.is_nan()
}

impl NativeCoroutine {
    fn make(name: u8, state: NativeState) -> Value {
        Value::NativeCoroutine(Rc::new(NativeCoroutine {
            state: RefCell::new(state),
            name,
        }))
    }

    /// `asyncio.sleep(delay, result)`.
    pub fn sleep(delay: f64, result: Value) -> Value {
        if is_no_delay(delay) {
            Self::make(
                SLEEP,
                NativeState::Sleep0 {
                    result,
                    yielded: false,
                },
            )
        } else {
            Self::make(
                SLEEP,
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
            WAIT_FOR,
            NativeState::WaitFor(Box::new(WaitFor::Start { awaitable, timeout })),
        )
    }

    /// An `async def` method of a primitive; `name` is its index in
    /// [`NATIVE_NAMES`], from [`NativeCoroutine::index_of`] at compile time.
    pub fn sync(name: u8, wait: SyncWait) -> Value {
        Self::make(name, NativeState::Sync(wait))
    }

    /// The index of `name` in [`NATIVE_NAMES`]; meant for `const { }`
    /// blocks, where an unknown name fails the build.
    pub const fn index_of(name: &str) -> u8 {
        let mut i = 0;
        while i < NATIVE_NAMES.len() {
            if str_eq(NATIVE_NAMES[i], name) {
                return i as u8;
            }
            i += 1;
        }
        panic!("not a native coroutine name")
    }

    /// `asyncio.wait(fs, timeout=timeout, return_when=return_when)`.
    pub fn wait(fs: Value, timeout: Value, return_when: Value) -> Value {
        let state = super::combinators::WaitState::Start {
            fs,
            timeout,
            return_when,
        };
        Self::make(
            const { Self::index_of("wait") },
            NativeState::Wait(Box::new(state)),
        )
    }

    /// The primitive a paused lock/queue method waits on, if it is one,
    /// and whether it is a condition's wait taking its lock back.
    pub fn waits_on_primitive(&self) -> Option<(Rc<super::sync::Primitive>, bool)> {
        self.peek(|state| match state {
            NativeState::Sync(wait) => Some((wait.primitive().clone(), wait.is_reacquiring())),
            _ => None,
        })
    }

    /// `loop.shutdown_asyncgens()`.
    pub fn shutdown_asyncgens() -> Value {
        Self::make(SHUTDOWN_ASYNCGENS, NativeState::ShutdownAsyncGens(None))
    }

    pub fn noop(name: &'static str) -> Value {
        let name = NATIVE_NAMES
            .iter()
            .position(|n| *n == name)
            .expect("a known native coroutine name");
        Self::make(name as u8, NativeState::Noop)
    }

    /// The name the coroutine has in CPython (for reprs and warnings).
    pub fn name(&self) -> &'static str {
        NATIVE_NAMES[self.name as usize]
    }

    /// `sleep(0)` resumed with `send(None)`, the one step that happens on
    /// every task switch, done in place: `None` for any other coroutine or
    /// state (which take [`Vm::drive_native`]).
    #[inline]
    pub fn poll_sleep0(&self) -> Option<Poll> {
        let mut state = self.state.borrow_mut();
        let NativeState::Sleep0 { result, yielded } = &mut *state else {
            return None;
        };
        if !*yielded {
            *yielded = true;
            return Some(Poll::Pending(Yielded::Bare));
        }
        let result = std::mem::replace(result, Value::None);
        *state = NativeState::Done;
        Some(Poll::Ready(result))
    }

    /// Look at the state without stepping it.
    fn peek<R>(&self, look: impl FnOnce(&NativeState) -> R) -> R {
        look(&self.state.borrow())
    }

    pub fn is_started(&self) -> bool {
        self.peek(|state| match state {
            NativeState::Sleep0 { yielded, .. } => *yielded,
            NativeState::Sleep { waiting, .. } => waiting.is_some(),
            NativeState::WaitFor(w) => !matches!(**w, WaitFor::Start { .. }),
            NativeState::Sync(w) => w.is_started(),
            NativeState::Wait(w) => w.is_started(),
            NativeState::ShutdownAsyncGens(closing) => closing.is_some(),
            NativeState::Noop => false,
            NativeState::Done => true,
        })
    }
}

impl Vm {
    /// Run a native coroutine until it finishes or must wait.
    pub(crate) fn drive_native(
        &mut self,
        coro: &Rc<NativeCoroutine>,
        resume: Resume,
    ) -> PyResult<Poll> {
        if let Resume::Send = resume {
            if let Some(poll) = coro.poll_sleep0() {
                return Ok(poll);
            }
        }
        // Driven by hand (`coro.send(None)`) outside `asyncio.run`: all but
        // `sleep(0)` need the loop, as CPython's `get_running_loop()` says.
        if self.event_loop.is_none()
            && !coro.peek(|s| {
                matches!(
                    s,
                    NativeState::Noop | NativeState::Sleep0 { .. } | NativeState::Done
                )
            })
        {
            return Err(exception::runtime_error("no running event loop"));
        }
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
            NativeState::ShutdownAsyncGens(closing) => {
                let (next, outcome) =
                    super::async_gens::step_shutdown(self, closing.map(|c| *c), resume);
                let next = match next {
                    Some(closing) => NativeState::ShutdownAsyncGens(Some(Box::new(closing))),
                    None => NativeState::Done,
                };
                (next, outcome)
            }
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
                self.wake_sleeper_later(delay, future.clone());
                let yielded = Yielded::Waiting(Waitable::Future(future.clone()));
                (
                    NativeState::Sleep {
                        delay,
                        result,
                        waiting: Some(future),
                    },
                    Ok(Poll::Pending(yielded)),
                )
            }
            NativeState::Sleep {
                result,
                waiting: Some(future),
                ..
            } => {
                // `return await future` ... `finally: h.cancel()` (the timer
                // is spent or, the future being cancelled, inert).
                let outcome = match resume {
                    Resume::Throw(e) => Err(e),
                    Resume::Send => self
                        .waitable_result(&Waitable::Future(future))
                        .map(|_| Poll::Ready(result)),
                };
                (NativeState::Done, outcome)
            }
            NativeState::Sync(w) => {
                let (next, outcome) = self.step_sync(w, resume);
                (next.map_or(NativeState::Done, NativeState::Sync), outcome)
            }
            NativeState::Wait(w) => {
                let (next, outcome) = self.step_wait(*w, resume);
                (
                    next.map_or(NativeState::Done, |w| NativeState::Wait(Box::new(w))),
                    outcome,
                )
            }
            NativeState::WaitFor(w) => {
                let (next, outcome) = self.step_wait_for(*w, resume);
                (
                    next.map_or(NativeState::Done, |w| NativeState::WaitFor(Box::new(w))),
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
                let timeout_handle = self.call_later(
                    timeout,
                    HandleAction::ReleaseWaiter(waiter.clone(), TimeoutOf::WaitFor),
                );
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
#[cfg(test)]
mod tests {
    /// Every sleeping task holds a native coroutine, and a queue hand-off
    /// makes two: keep them within one 48-byte allocation (plus Rc counts).
    #[test]
    fn native_coroutines_stay_small() {
        assert!(std::mem::size_of::<super::SyncWait>() <= 40);
        assert!(std::mem::size_of::<super::NativeCoroutine>() <= 56);
    }
}
