//! `asyncio.gather`: one future for the results of many awaitables.
//!
//! As in CPython, every argument becomes a future (coroutines are wrapped
//! in new tasks, in argument order), each gets the same done-callback, and
//! the outer future finishes when the last child does — with the results in
//! argument order — or as soon as one child fails (unless
//! `return_exceptions=True`). Cancelling the outer future cancels the
//! children. The callback's logic (`_done_callback` in CPython's
//! `tasks.py`) is `Vm::gather_child_done` in `event_loop/mod.rs`.

use super::future::{Future, Waitable};
use std::cell::Cell;
use std::rc::{Rc, Weak};

pub struct GatherState {
    /// The future `gather` returned (weak: it owns this state).
    pub outer: Weak<Future>,
    /// One per argument (a repeated argument appears again).
    pub children: Vec<Waitable>,
    /// Number of distinct children.
    pub nfuts: usize,
    pub nfinished: Cell<usize>,
    pub return_exceptions: bool,
    /// The outer future was cancelled while children were running.
    pub cancel_requested: Cell<bool>,
}

impl GatherState {
    pub fn outer(&self) -> Option<Rc<Future>> {
        self.outer.upgrade()
    }
}
