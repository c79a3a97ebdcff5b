//! What the loop runs: the entries of the ready queue and the timer heap.
//!
//! CPython's loop keeps `Handle` objects in a FIFO ready queue and
//! `TimerHandle`s in a heap ordered by deadline. apy does the same, but the
//! loop's own work — stepping a task, running a future's done-callback —
//! travels as a small [`Job`] value with no allocation; only what Python
//! code can see and cancel (`loop.call_soon(...)` returns a handle, and
//! `asyncio.sleep` cancels its timer) is an `Rc<Handle>`.

use super::future::Waitable;
use super::task::Task;
use crate::vm::object::exception::PyErr;
use crate::vm::value::Value;
use std::cell::Cell;
use std::cmp::Ordering;
use std::rc::Rc;

/// One entry of the ready queue.
pub enum Job {
    /// `Task.__step(exc)`: run the task until it next pauses.
    Step(Rc<Task>, Option<PyErr>),
    /// A done-callback of `future`, scheduled when it finished.
    DoneCallback(DoneCallback, Waitable),
    /// A handle (`call_soon`, or a timer whose deadline came).
    Handle(Rc<Handle>),
    /// `asyncio.sleep`'s timer came due: finish its future, unless cancelled.
    WakeSleeper(Rc<super::future::Future>),
    /// An async generator was freed unfinished: `loop.create_task(
    /// agen.aclose())` (the loop's finalizer hook schedules this).
    FinalizeAsyncGen(Rc<crate::vm::object::coroutine::Coroutine>),
}

/// What to call when a future finishes (its "done callbacks").
#[derive(Clone)]
pub enum DoneCallback {
    /// `Task.__wakeup`: the task was waiting for this future.
    Wakeup(Rc<Task>),
    /// A Python callable added with `add_done_callback` (boxed: a `Value`
    /// is two words, and every future holds one callback inline).
    Python(Box<Value>),
    /// One child of a `gather` finished.
    GatherChild(Rc<super::gather::GatherState>),
    /// `_release_waiter(waiter)` (inside `wait_for`).
    ReleaseWaiter(Rc<super::future::Future>),
    /// `run_until_complete`'s callback that stops the loop.
    StopLoop,
    /// `asyncio.wait`'s `_on_completion`.
    WaitCompletion(Rc<super::combinators::WaitShared>),
    /// `shield`'s `_inner_done_callback`, passing the outcome to `outer`.
    ShieldInner(Rc<super::future::Future>),
    /// `shield`'s `_outer_done_callback`, forgetting `inner`.
    ShieldOuter(Waitable),
    /// `as_completed`'s `_on_completion`.
    AsCompleted(Rc<super::combinators::AsCompletedShared>),
    /// `TaskGroup._on_task_done`.
    TaskGroupChildDone(Rc<super::sync::Primitive>),
}

impl DoneCallback {
    /// Whether two callbacks are the same (for `remove_done_callback`).
    pub fn same_as(&self, other: &DoneCallback) -> bool {
        match (self, other) {
            (DoneCallback::Wakeup(a), DoneCallback::Wakeup(b)) => Rc::ptr_eq(a, b),
            (DoneCallback::Python(a), DoneCallback::Python(b)) => a.is(b),
            (DoneCallback::GatherChild(a), DoneCallback::GatherChild(b)) => Rc::ptr_eq(a, b),
            (DoneCallback::ReleaseWaiter(a), DoneCallback::ReleaseWaiter(b)) => Rc::ptr_eq(a, b),
            (DoneCallback::StopLoop, DoneCallback::StopLoop) => true,
            (DoneCallback::WaitCompletion(a), DoneCallback::WaitCompletion(b)) => Rc::ptr_eq(a, b),
            (DoneCallback::ShieldInner(a), DoneCallback::ShieldInner(b)) => Rc::ptr_eq(a, b),
            (DoneCallback::ShieldOuter(a), DoneCallback::ShieldOuter(b)) => a.is(b),
            (DoneCallback::AsCompleted(a), DoneCallback::AsCompleted(b)) => Rc::ptr_eq(a, b),
            (DoneCallback::TaskGroupChildDone(a), DoneCallback::TaskGroupChildDone(b)) => {
                Rc::ptr_eq(a, b)
            }
            _ => false,
        }
    }
}

/// A scheduled call that Python code can see and cancel.
pub struct Handle {
    pub action: HandleAction,
    cancelled: Cell<bool>,
    /// The deadline, for a timer handle.
    pub when: Option<f64>,
}

pub enum HandleAction {
    /// `callback(*args)` from `call_soon`/`call_later`/`call_at`.
    Call { callback: Value, args: Vec<Value> },
    /// `_release_waiter(waiter)`: the timeout of `wait_for` or `wait`.
    ReleaseWaiter(Rc<super::future::Future>, TimeoutOf),
    /// `as_completed`'s `_on_timeout()`.
    AsCompletedTimeout(Rc<super::combinators::AsCompletedShared>),
    /// `Timeout._on_timeout()`.
    TimeoutExpired(Rc<super::sync::Primitive>),
}

/// Which call's timeout a `_release_waiter` timer is (CPython uses the same
/// callback for both; the teaching views say which).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutOf {
    WaitFor,
    Wait,
}

impl TimeoutOf {
    /// How the trace, timeline and stepper name the timer.
    pub fn label(self) -> &'static str {
        match self {
            TimeoutOf::WaitFor => "wait_for timeout",
            TimeoutOf::Wait => "wait timeout",
        }
    }
}

impl Handle {
    pub fn new(action: HandleAction, when: Option<f64>) -> Rc<Handle> {
        Rc::new(Handle {
            action,
            cancelled: Cell::new(false),
            when,
        })
    }

    pub fn cancel(&self) {
        self.cancelled.set(true);
    }

    pub fn cancelled(&self) -> bool {
        self.cancelled.get()
    }
}

/// An entry of the timer heap: earliest deadline first, and among equal
/// deadlines the one scheduled first (`seq`).
pub struct Timer {
    pub when: f64,
    pub seq: u64,
    pub action: TimerAction,
}

/// What a timer does when its deadline comes.
pub enum TimerAction {
    /// Run a handle (`loop.call_later`, `wait_for`'s timeout).
    Handle(Rc<Handle>),
    /// `asyncio.sleep(delay)`'s timer:
    /// `call_later(delay, _set_result_unless_cancelled, future, result)`.
    /// Its handle is private to `sleep`, which cancels it only once the
    /// future is done, so "cancelled" is "the future is done"; the result
    /// stays with the sleep coroutine. No handle object is needed — which
    /// matters when 100 000 tasks sleep at once.
    WakeSleeper(Rc<super::future::Future>),
}

impl Timer {
    /// Whether running it would do nothing (so it need not be waited for).
    pub fn cancelled(&self) -> bool {
        match &self.action {
            TimerAction::Handle(h) => h.cancelled(),
            TimerAction::WakeSleeper(f) => f.core.done(),
        }
    }

    /// The ready-queue entry for it, now that it is due.
    pub fn into_job(self) -> Job {
        match self.action {
            TimerAction::Handle(h) => Job::Handle(h),
            TimerAction::WakeSleeper(f) => Job::WakeSleeper(f),
        }
    }
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Timer {}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timer {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .when
            .total_cmp(&self.when)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}
