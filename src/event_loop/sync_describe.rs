//! Saying what a task waits for when it waits on a lock, an event, a
//! condition or a queue: "Lock `lock` to be released (locked, 1 more
//! waiting)". Used by the teaching views and by the deadlock report.
//!
//! A paused task's awaited object sits on top of its value stack (the
//! `AWAIT` instruction runs again when the task resumes), so when that is a
//! primitive's native method we know which primitive and which method. The
//! primitive's name is the variable that holds it, found by identity among
//! the task's locals (innermost frame first) and then the globals.

use super::native::NativeCoroutine;
use super::sync::{lock_of, Primitive};
use super::task::Task;
use crate::vm::value::Value;
use std::rc::Rc;

/// What a task waits for on a primitive, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimitiveWait {
    /// `Lock`, `Queue`, ...
    pub kind: String,
    /// The variable that holds it, if one does.
    pub name: Option<String>,
    /// What must happen: `to be released`, `to get an item`, ...
    pub until: String,
    /// Its state now: `locked, 2 more waiting`, `empty`, ...
    pub state: String,
    /// Who can make that happen, for the explanations.
    pub waker: String,
}

impl PrimitiveWait {
    /// `Queue q to get an item (empty)`.
    pub fn phrase(&self) -> String {
        let who = match &self.name {
            Some(name) => format!("{} {name}", self.kind),
            None => format!("a {}", self.kind),
        };
        format!("{who} {} ({})", self.until, self.state)
    }
}

/// The primitive method `task` is paused in, if it is paused in one.
fn awaited_native(task: &Task) -> Option<Rc<NativeCoroutine>> {
    if let Value::NativeCoroutine(native) = &task.coro {
        return Some(native.clone());
    }
    let fiber = task.fiber.borrow();
    if fiber.stack.is_empty() {
        return None;
    }
    match fiber.stack.peek(0) {
        Value::NativeCoroutine(native) => Some(native.clone()),
        _ => None,
    }
}

/// The variable of `task` (or a global) that holds `primitive`.
fn variable_holding(task: &Task, primitive: &Rc<Primitive>) -> Option<String> {
    let target = Value::Sync(primitive.clone());
    let fiber = task.fiber.borrow();
    for frame in fiber.frames.iter().rev() {
        for (i, name) in frame.code().varnames.iter().enumerate() {
            let slot = frame.base as usize + i;
            if slot >= fiber.stack.len() {
                break;
            }
            let held = match fiber.stack.get(slot) {
                // A variable shared with a closure holds a cell.
                Value::Cell(cell) => cell.value.borrow().is(&target),
                value => value.is(&target),
            };
            if held {
                return Some(name.to_string());
            }
        }
    }
    let globals = &fiber.frames.first()?.globals();
    globals
        .bound()
        .into_iter()
        .find(|(_, v)| v.is(&target))
        .map(|(name, _)| name.text().to_string())
}

/// What `task` waits for, if it waits on a primitive.
pub fn primitive_wait_of(task: &Task) -> Option<PrimitiveWait> {
    let native = awaited_native(task)?;
    let (primitive, reacquiring) = native.waits_on_primitive()?;
    let method = native.name();
    let name = variable_holding(task, &primitive);
    let kind = primitive.class_name().to_string();
    let waiting_others = |n: usize| match n.saturating_sub(1) {
        0 => String::new(),
        k => format!(", {k} more waiting"),
    };
    let (until, state, waker) = match &*primitive {
        Primitive::Lock(lock) => (
            "to be released".to_string(),
            format!(
                "{}{}",
                if lock.locked.get() { "locked" } else { "unlocked" },
                waiting_others(lock.waiters.borrow().len())
            ),
            "it gets the lock when the task holding it calls release() and the waiters before it have had their turn (first come, first served)".to_string(),
        ),
        Primitive::Semaphore(sem) => (
            "to be released".to_string(),
            format!(
                "value {}{}",
                sem.value.get(),
                waiting_others(sem.waiters.borrow().len())
            ),
            "it goes on when a holder calls release() and the waiters before it have had their turn (first come, first served)".to_string(),
        ),
        Primitive::Event(event) => (
            "to be set".to_string(),
            format!("{} waiting", event.waiters.borrow().len()),
            "it wakes when some task calls set(); set() wakes every waiter at once".to_string(),
        ),
        Primitive::Condition(cond) if method == "Condition.wait" || method == "Condition.wait_for" => {
            if reacquiring {
                (
                    "to give its lock back".to_string(),
                    "notified; taking the lock again".to_string(),
                    "it was notified and now waits for the lock, which the holder gives back with release()".to_string(),
                )
            } else {
                (
                    "to be notified".to_string(),
                    format!("{} waiting", cond.waiters.borrow().len()),
                    "it wakes when a task holding the lock calls notify() or notify_all(); then it takes the lock again before wait() returns".to_string(),
                )
            }
        }
        Primitive::Condition(cond) => (
            "to be released".to_string(),
            format!(
                "{}{}",
                if lock_of(cond).locked.get() { "locked" } else { "unlocked" },
                waiting_others(lock_of(cond).waiters.borrow().len())
            ),
            "it gets the condition's lock when the task holding it calls release()".to_string(),
        ),
        Primitive::TaskGroup(_) => (
            "to have all its tasks finished".to_string(),
            "the block has ended".to_string(),
            "async with TaskGroup() waits at the end of its block until every task created in the group is done; if one fails, the others are cancelled".to_string(),
        ),
        Primitive::Timeout(_) => return None,
        Primitive::Queue(queue) => {
            let size = queue.qsize();
            let unbounded = !matches!(queue.maxsize, Value::Int(n) if n > 0);
            let fill = match (size, unbounded) {
                (0, _) => "empty".to_string(),
                (n, true) => format!("{n} item{}", if n == 1 { "" } else { "s" }),
                (n, false) => match queue.maxsize {
                    Value::Int(max) => format!("{n} of {max} items"),
                    _ => format!("{n} items"),
                },
            };
            match method {
                "Queue.get" => (
                    "to get an item".to_string(),
                    fill,
                    "it wakes when a task puts an item in with put() or put_nowait(), the longest-waiting getter first".to_string(),
                ),
                "Queue.put" => (
                    "to have room".to_string(),
                    format!("full: {fill}"),
                    "it wakes when a task takes an item out with get() or get_nowait(), the longest-waiting putter first".to_string(),
                ),
                _ => (
                    "to have every item marked done".to_string(),
                    format!("{} unfinished", queue.unfinished_tasks.get()),
                    "it wakes when task_done() has been called once for every item put in".to_string(),
                ),
            }
        }
    };
    Some(PrimitiveWait {
        kind,
        name,
        until,
        state,
        waker,
    })
}
