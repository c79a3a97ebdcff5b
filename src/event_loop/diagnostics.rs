//! The messages asyncio prints on its own, at the moment CPython prints
//! them: "Task exception was never retrieved", "Task was destroyed but it is
//! pending!" and "RuntimeWarning: coroutine '...' was never awaited".
//!
//! CPython prints these when the object is freed. apy's objects are freed at
//! the same moments (reference counting), but a destructor cannot reach the
//! VM's output, so it queues the report here and the VM prints the queue at
//! its next checkpoint (after each loop callback, after each statement that
//! discards a value, and at exit).

use crate::vm::object::exception::PyErr;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A queued report.
pub enum Report {
    NeverRetrieved(Unretrieved),
    DestroyedPending {
        name: Rc<str>,
        coro: Rc<str>,
        file: Rc<str>,
        line: u32,
    },
    NeverAwaited {
        qualname: Rc<str>,
    },
}

pub enum Unretrieved {
    Task {
        name: Rc<str>,
        coro: Rc<str>,
        file: Rc<str>,
        line: u32,
        exception: PyErr,
    },
    Future {
        exception: PyErr,
    },
}

thread_local! {
    static QUEUE: RefCell<Vec<Report>> = const { RefCell::new(Vec::new()) };
    /// Whether `QUEUE` may hold anything (one load for the VM's checks).
    static ANY: Cell<bool> = const { Cell::new(false) };
}

fn push(report: Report) {
    // A destructor may run while the queue is being drained (dropping a
    // report drops its exception); then the report is dropped silently
    // rather than risk a double borrow.
    QUEUE.with(|q| {
        if let Ok(mut q) = q.try_borrow_mut() {
            q.push(report);
            ANY.with(|any| any.set(true));
        }
    });
}

pub fn report_never_retrieved(what: Unretrieved) {
    push(Report::NeverRetrieved(what));
}

pub fn report_destroyed_pending(name: Rc<str>, coro: Rc<str>, file: Rc<str>, line: u32) {
    push(Report::DestroyedPending {
        name,
        coro,
        file,
        line,
    });
}

pub fn report_never_awaited(qualname: Rc<str>) {
    push(Report::NeverAwaited { qualname });
}

/// Whether anything is queued (a cheap check for the VM's checkpoints).
#[inline(always)]
pub fn pending() -> bool {
    ANY.with(|any| any.get())
}

/// Take everything queued.
pub fn take() -> Vec<Report> {
    ANY.with(|any| any.set(false));
    QUEUE.with(|q| std::mem::take(&mut *q.borrow_mut()))
}
