//! Tasks: a coroutine driven by the loop, step by step.
//!
//! A task is a future (it has a [`FutureCore`]) whose result is its
//! coroutine's return value. It owns a [`Fiber`]: the frames of its
//! coroutine and of every coroutine that coroutine awaits, stacked. A *step*
//! (CPython's `Task.__step`) swaps that fiber into the VM and runs it until
//! the innermost coroutine either finishes the whole task, or pauses at an
//! `await` of something not ready yet — then the fiber, with all its frames
//! in place, goes back into the task until something wakes it. The stepping
//! itself is in `event_loop/mod.rs`.

use super::future::{FutureCore, Waitable};
use super::slot::Slot;
use crate::vm::frame::Fiber;
use crate::vm::object::str::PyStr;
use crate::vm::value::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub struct Task {
    pub core: FutureCore,
    /// The `N` of the default name `Task-N` (most tasks never have their
    /// name asked for, so it is spelled out only when shown).
    number: u64,
    /// The name given by `create_task(name=)` or `set_name()`.
    given_name: Slot<Option<Rc<PyStr>>>,
    /// The coroutine (a `Value::Coroutine`, or a native one).
    pub coro: Value,
    pub fiber: RefCell<Fiber>,
    /// Whether the first step has run.
    pub started: Cell<bool>,
    /// `cancel()` was called when the task had nothing to cancel: the next
    /// step throws `CancelledError` in.
    pub must_cancel: Cell<bool>,
    /// What the task is waiting for (`_fut_waiter`).
    pub fut_waiter: Slot<Option<Waitable>>,
    pub num_cancels_requested: Cell<u32>,
    /// Report "Task was destroyed but it is pending!" if dropped unfinished.
    pub log_destroy_pending: Cell<bool>,
}

impl Task {
    /// Task number `number` (named `Task-N` unless `set_name` renames it).
    pub fn new(number: u64, coro: Value) -> Rc<Task> {
        Rc::new(Task {
            core: FutureCore::default(),
            number,
            given_name: Slot::default(),
            coro,
            // Sized when the task starts (`push_task_frame`).
            fiber: RefCell::new(Fiber::with_capacity(0)),
            started: Cell::new(false),
            must_cancel: Cell::new(false),
            fut_waiter: Slot::default(),
            num_cancels_requested: Cell::new(0),
            log_destroy_pending: Cell::new(true),
        })
    }

    /// `task.get_name()`: `Task-N` (numbered across the whole run, as in
    /// CPython) unless named.
    pub fn name(&self) -> Rc<str> {
        match self.given_name.get() {
            Some(name) => Rc::from(name.as_str()),
            None => Rc::from(format!("Task-{}", self.number)),
        }
    }

    pub fn set_name(&self, name: Rc<str>) {
        self.given_name.set(Some(PyStr::new_rc(&name)));
    }

    /// The coroutine's `__qualname__`, the file and line of its `def`.
    pub fn coro_description(&self) -> (Rc<str>, Rc<str>, u32) {
        match &self.coro {
            Value::Coroutine(c) => (
                c.qualname().clone(),
                c.function.code.source.name.clone(),
                c.function.code.first_line,
            ),
            Value::NativeCoroutine(n) => (Rc::from(n.name()), Rc::from("<asyncio>"), 0),
            // No code of its own: CPython's `_format_coroutine` shows just
            // the name (and the file stays empty here, to say so).
            Value::AsyncGenStep(step) => (
                Rc::from(format!("<{} without __name__>", step.type_name())),
                Rc::from(""),
                0,
            ),
            _ => (Rc::from("?"), Rc::from("?"), 0),
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        use super::diagnostics::{report_destroyed_pending, report_never_retrieved, Unretrieved};
        let (coro, file, line) = self.coro_description();
        if !self.core.done() && self.log_destroy_pending.get() {
            report_destroyed_pending(self.name(), coro.clone(), file.clone(), line);
        }
        if self.core.log_traceback.get() {
            if let Some(exception) = self.core.peek_exception() {
                report_never_retrieved(Unretrieved::Task {
                    name: self.name(),
                    coro,
                    file,
                    line,
                    exception,
                });
            }
        }
    }
}
