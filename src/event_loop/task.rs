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
use crate::vm::frame::Fiber;
use crate::vm::value::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub struct Task {
    pub core: FutureCore,
    name: RefCell<Rc<str>>,
    /// The coroutine (a `Value::Coroutine`, or a native one).
    pub coro: Value,
    pub fiber: RefCell<Fiber>,
    /// Whether the first step has run.
    pub started: Cell<bool>,
    /// `cancel()` was called when the task had nothing to cancel: the next
    /// step throws `CancelledError` in.
    pub must_cancel: Cell<bool>,
    /// What the task is waiting for (`_fut_waiter`).
    pub fut_waiter: RefCell<Option<Waitable>>,
    pub num_cancels_requested: Cell<u32>,
    /// Report "Task was destroyed but it is pending!" if dropped unfinished.
    pub log_destroy_pending: Cell<bool>,
}

impl Task {
    pub fn new(name: Rc<str>, coro: Value) -> Rc<Task> {
        Rc::new(Task {
            core: FutureCore::default(),
            name: RefCell::new(name),
            coro,
            fiber: RefCell::new(Fiber::with_capacity(8)),
            started: Cell::new(false),
            must_cancel: Cell::new(false),
            fut_waiter: RefCell::new(None),
            num_cancels_requested: Cell::new(0),
            log_destroy_pending: Cell::new(true),
        })
    }

    /// `task.get_name()`: `Task-N` (numbered across the whole run, as in
    /// CPython) unless named.
    pub fn name(&self) -> Rc<str> {
        self.name.borrow().clone()
    }

    pub fn set_name(&self, name: Rc<str>) {
        *self.name.borrow_mut() = name;
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
