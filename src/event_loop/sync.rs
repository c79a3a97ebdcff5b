//! asyncio's synchronization primitives: `Event`, `Lock`, `Semaphore`,
//! `BoundedSemaphore`, `Condition` (CPython's `asyncio/locks.py`) and the
//! queues `Queue`, `LifoQueue`, `PriorityQueue` (`asyncio/queues.py`).
//!
//! They are all built the same way in CPython, and here: a little state (a
//! flag, a counter, a list of items) and a FIFO of *waiters*, one future per
//! task that had to wait. Waiting is `await fut` on a fresh future; waking
//! a task is `fut.set_result(...)`, which schedules the task's wake-up with
//! `call_soon`, exactly as any future does. So the order in which tasks get
//! a lock or an item, and the number of loop passes it takes, are CPython's.
//!
//! This file holds the objects and their plain (non-`async`) methods. Their
//! `async def` methods (`acquire`, `wait`, `get`, `put`, `join`) are native
//! coroutines whose steps live in `sync_wait.rs`.

use super::future::{Future, Waitable};
use crate::bytecode::op::CompareKind;
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::types::{builtin_types, TypeObject};
use crate::vm::value::Value;
use crate::vm::Vm;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

/// The futures of the tasks waiting on a primitive, oldest first
/// (CPython's `collections.deque` of waiters).
pub type Waiters = RefCell<VecDeque<Rc<Future>>>;

/// One synchronization primitive (the value behind `Value::Sync`).
pub enum Primitive {
    Event(EventCore),
    Lock(LockCore),
    Semaphore(SemaphoreCore),
    Condition(ConditionCore),
    Queue(QueueCore),
    /// `asyncio.TaskGroup()` (see `structured.rs`).
    TaskGroup(super::structured::TaskGroupCore),
    /// `asyncio.timeout(delay)` (see `structured.rs`).
    Timeout(super::structured::TimeoutCore),
}

pub struct EventCore {
    pub value: Cell<bool>,
    pub waiters: Waiters,
}

pub struct LockCore {
    pub locked: Cell<bool>,
    pub waiters: Waiters,
}

pub struct SemaphoreCore {
    pub value: Cell<i64>,
    /// `Some(initial value)` for a `BoundedSemaphore`.
    pub bound: Option<i64>,
    pub waiters: Waiters,
}

pub struct ConditionCore {
    /// The underlying lock: always a `Primitive::Lock`.
    pub lock: Rc<Primitive>,
    pub waiters: Waiters,
}

/// Which end of the queue `get` takes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum QueueKind {
    Fifo,
    Lifo,
    Priority,
}

pub struct QueueCore {
    pub kind: QueueKind,
    pub maxsize: Value,
    /// The items; for a `PriorityQueue`, a binary heap laid out as `heapq`
    /// lays it out (so equal priorities come out in CPython's order).
    pub items: RefCell<VecDeque<Value>>,
    pub getters: Waiters,
    pub putters: Waiters,
    pub unfinished_tasks: Cell<i64>,
    /// Set when every item put has been marked done (`join` waits on it).
    pub finished: Rc<Primitive>,
}

impl Primitive {
    pub fn new_event() -> Primitive {
        Primitive::Event(EventCore {
            value: Cell::new(false),
            waiters: Default::default(),
        })
    }

    /// A plain FIFO queue without a size limit (`as_completed` uses one).
    pub fn new_fifo_queue() -> Primitive {
        let finished = Primitive::new_event();
        if let Primitive::Event(e) = &finished {
            e.value.set(true);
        }
        Primitive::Queue(QueueCore {
            kind: QueueKind::Fifo,
            maxsize: Value::Int(0),
            items: Default::default(),
            getters: Default::default(),
            putters: Default::default(),
            unfinished_tasks: Cell::new(0),
            finished: Rc::new(finished),
        })
    }

    pub fn new_lock() -> Primitive {
        Primitive::Lock(LockCore {
            locked: Cell::new(false),
            waiters: Default::default(),
        })
    }

    /// The name of its class, as `type(x).__name__` says it.
    pub fn class_name(&self) -> &'static str {
        match self {
            Primitive::Event(_) => "Event",
            Primitive::Lock(_) => "Lock",
            Primitive::Semaphore(s) if s.bound.is_some() => "BoundedSemaphore",
            Primitive::Semaphore(_) => "Semaphore",
            Primitive::Condition(_) => "Condition",
            Primitive::Queue(q) => match q.kind {
                QueueKind::Fifo => "Queue",
                QueueKind::Lifo => "LifoQueue",
                QueueKind::Priority => "PriorityQueue",
            },
            Primitive::TaskGroup(_) => "TaskGroup",
            Primitive::Timeout(_) => "Timeout",
        }
    }

    /// Its class object.
    pub fn class(&self) -> Rc<TypeObject> {
        let t = builtin_types();
        let s = &t.sync;
        match self {
            Primitive::Event(_) => s.event.clone(),
            Primitive::Lock(_) => s.lock.clone(),
            Primitive::Semaphore(x) if x.bound.is_some() => s.bounded_semaphore.clone(),
            Primitive::Semaphore(_) => s.semaphore.clone(),
            Primitive::Condition(_) => s.condition.clone(),
            Primitive::Queue(q) => match q.kind {
                QueueKind::Fifo => s.queue.clone(),
                QueueKind::Lifo => s.lifo_queue.clone(),
                QueueKind::Priority => s.priority_queue.clone(),
            },
            Primitive::TaskGroup(_) => s.task_group.clone(),
            Primitive::Timeout(_) => s.timeout.clone(),
        }
    }

    /// The waiters a `repr` counts.
    fn waiters(&self) -> Option<&Waiters> {
        match self {
            Primitive::Event(e) => Some(&e.waiters),
            Primitive::Lock(l) => Some(&l.waiters),
            Primitive::Semaphore(s) => Some(&s.waiters),
            Primitive::Condition(c) => Some(&c.waiters),
            Primitive::Queue(q) => Some(&q.getters),
            Primitive::TaskGroup(_) | Primitive::Timeout(_) => None,
        }
    }
}

impl LockCore {
    /// `Lock.acquire`'s fast path: free, and nobody (still) waiting.
    pub fn try_acquire(&self) -> bool {
        if !self.locked.get() && self.waiters.borrow().iter().all(|w| w.core.cancelled()) {
            self.locked.set(true);
            return true;
        }
        false
    }
}

impl SemaphoreCore {
    /// `Semaphore.locked()`: no value left, or a task is (still) waiting.
    pub fn locked(&self) -> bool {
        self.value.get() == 0 || self.waiters.borrow().iter().any(|w| !w.core.cancelled())
    }
}

impl QueueCore {
    pub fn qsize(&self) -> usize {
        self.items.borrow().len()
    }

    /// `full()`: a `maxsize` of 0 or less means "never full".
    pub fn full(&self, vm: &mut Vm) -> PyResult<bool> {
        if let Value::Int(max) = self.maxsize {
            return Ok(max > 0 && self.qsize() as i64 >= max);
        }
        let max = &self.maxsize;
        let size = Value::Int(self.qsize() as i64);
        let unbounded = vm.compare(CompareKind::LessEqual, max, &Value::Int(0))?;
        if vm.is_true(&unbounded)? {
            return Ok(false);
        }
        let full = vm.compare(CompareKind::GreaterEqual, &size, max)?;
        vm.is_true(&full)
    }
}

/// Remove `fut` from `waiters` (`deque.remove`); `false` if it was not there.
pub fn remove_waiter(waiters: &Waiters, fut: &Rc<Future>) -> bool {
    let mut waiters = waiters.borrow_mut();
    match waiters.iter().position(|w| Rc::ptr_eq(w, fut)) {
        Some(i) => {
            waiters.remove(i);
            true
        }
        None => false,
    }
}

impl Vm {
    /// `fut.set_result(value)` on a waiter known not to be done.
    pub(crate) fn wake_waiter(&mut self, fut: &Rc<Future>, value: Value) {
        // A waiter is only ever finished here or by cancellation, both
        // checked by the callers, so this cannot fail.
        let _ = self.set_result_on(&Waitable::Future(fut.clone()), value);
    }

    /// `Event.set()`: wake every waiter.
    pub(crate) fn event_set(&mut self, event: &EventCore) {
        if !event.value.get() {
            event.value.set(true);
            let waiters: Vec<Rc<Future>> = event.waiters.borrow().iter().cloned().collect();
            for fut in waiters {
                if !fut.core.done() {
                    self.wake_waiter(&fut, Value::Bool(true));
                }
            }
        }
    }

    /// `Lock._wake_up_first()`: the first waiter, if not done already.
    pub(crate) fn lock_wake_up_first(&mut self, lock: &LockCore) {
        let first = lock.waiters.borrow().front().cloned();
        if let Some(fut) = first {
            if !fut.core.done() {
                self.wake_waiter(&fut, Value::Bool(true));
            }
        }
    }

    /// `Lock.release()`.
    pub(crate) fn lock_release(&mut self, lock: &LockCore) -> PyResult<()> {
        if !lock.locked.get() {
            return Err(exception::runtime_error("Lock is not acquired."));
        }
        lock.locked.set(false);
        self.lock_wake_up_first(lock);
        Ok(())
    }

    /// `Semaphore._wake_up_next()`: the first waiter not done takes a unit.
    pub(crate) fn semaphore_wake_up_next(&mut self, sem: &SemaphoreCore) {
        let next = sem
            .waiters
            .borrow()
            .iter()
            .find(|fut| !fut.core.done())
            .cloned();
        if let Some(fut) = next {
            sem.value.set(sem.value.get() - 1);
            self.wake_waiter(&fut, Value::Bool(true));
        }
    }

    /// `Semaphore.release()` (and `BoundedSemaphore`'s check).
    pub(crate) fn semaphore_release(&mut self, sem: &SemaphoreCore) -> PyResult<()> {
        if let Some(bound) = sem.bound {
            if sem.value.get() >= bound {
                return Err(exception::value_error(
                    "BoundedSemaphore released too many times",
                ));
            }
        }
        sem.value.set(sem.value.get() + 1);
        self.semaphore_wake_up_next(sem);
        Ok(())
    }

    /// `Queue._wakeup_next(waiters)`: pop waiters until one is woken.
    pub(crate) fn queue_wakeup_next(&mut self, waiters: &Waiters) {
        loop {
            let Some(waiter) = waiters.borrow_mut().pop_front() else {
                return;
            };
            if !waiter.core.done() {
                self.wake_waiter(&waiter, Value::None);
                return;
            }
        }
    }

    /// `Queue.put_nowait(item)`.
    pub(crate) fn queue_put_nowait(&mut self, queue: &QueueCore, item: Value) -> PyResult<()> {
        if queue.full(self)? {
            let full = builtin_types().sync.queue_full.clone();
            return Err(exception::exception_without_args(full));
        }
        match queue.kind {
            QueueKind::Fifo | QueueKind::Lifo => queue.items.borrow_mut().push_back(item),
            QueueKind::Priority => self.heap_push(&queue.items, item)?,
        }
        queue.unfinished_tasks.set(queue.unfinished_tasks.get() + 1);
        if let Primitive::Event(finished) = &*queue.finished {
            finished.value.set(false);
        }
        self.queue_wakeup_next(&queue.getters);
        Ok(())
    }

    /// `Queue.get_nowait()`.
    pub(crate) fn queue_get_nowait(&mut self, queue: &QueueCore) -> PyResult<Value> {
        if queue.qsize() == 0 {
            let empty = builtin_types().sync.queue_empty.clone();
            return Err(exception::exception_without_args(empty));
        }
        let item = match queue.kind {
            QueueKind::Fifo => queue.items.borrow_mut().pop_front(),
            QueueKind::Lifo => queue.items.borrow_mut().pop_back(),
            QueueKind::Priority => Some(self.heap_pop(&queue.items)?),
        }
        .expect("the queue is not empty");
        self.queue_wakeup_next(&queue.putters);
        Ok(item)
    }

    /// `Queue.task_done()`.
    pub(crate) fn queue_task_done(&mut self, queue: &QueueCore) -> PyResult<()> {
        if queue.unfinished_tasks.get() <= 0 {
            return Err(exception::value_error("task_done() called too many times"));
        }
        queue.unfinished_tasks.set(queue.unfinished_tasks.get() - 1);
        if queue.unfinished_tasks.get() == 0 {
            if let Primitive::Event(finished) = &*queue.finished.clone() {
                self.event_set(finished);
            }
        }
        Ok(())
    }

    /// `Condition.notify(n)`: wake up to `n` waiters (with `False`).
    pub(crate) fn condition_notify(&mut self, cond: &ConditionCore, n: i64) -> PyResult<()> {
        if !lock_of(cond).locked.get() {
            return Err(exception::runtime_error(
                "cannot notify on un-acquired lock",
            ));
        }
        let waiters: Vec<Rc<Future>> = cond.waiters.borrow().iter().cloned().collect();
        let mut woken = 0;
        for fut in waiters {
            if woken >= n {
                break;
            }
            if !fut.core.done() {
                woken += 1;
                self.wake_waiter(&fut, Value::Bool(false));
            }
        }
        Ok(())
    }

    /// What `repr()` shows in its brackets: `[locked, waiters:2]`.
    pub(crate) fn sync_repr(&mut self, prim: &Primitive, address: &str) -> PyResult<String> {
        let waiting = prim.waiters().map_or(0, |w| w.borrow().len());
        let mut extra = match prim {
            Primitive::TaskGroup(_) => return Ok(self.task_group_repr(prim)),
            Primitive::Timeout(_) => return Ok(self.timeout_repr(prim)),
            Primitive::Event(e) => (if e.value.get() { "set" } else { "unset" }).to_string(),
            Primitive::Lock(l) => locked_word(l.locked.get()).to_string(),
            Primitive::Semaphore(s) => {
                if s.locked() {
                    "locked".to_string()
                } else {
                    format!("unlocked, value:{}", s.value.get())
                }
            }
            Primitive::Condition(c) => locked_word(lock_of(c).locked.get()).to_string(),
            Primitive::Queue(_) => {
                return Ok(format!(
                    "<{} at {} {}>",
                    prim.class_name(),
                    address,
                    self.queue_format(prim)?
                ))
            }
        };
        if waiting > 0 {
            extra.push_str(&format!(", waiters:{waiting}"));
        }
        Ok(format!(
            "<asyncio.locks.{} object at {} [{}]>",
            prim.class_name(),
            address,
            extra
        ))
    }

    /// `str()` of a queue, which has no address: `<Queue maxsize=0 _queue=[1]>`.
    pub(crate) fn queue_str(&mut self, prim: &Primitive) -> PyResult<String> {
        Ok(format!(
            "<{} {}>",
            prim.class_name(),
            self.queue_format(prim)?
        ))
    }

    /// `Queue._format()`.
    fn queue_format(&mut self, prim: &Primitive) -> PyResult<String> {
        let Primitive::Queue(q) = prim else {
            return Ok(String::new());
        };
        let mut result = format!("maxsize={}", self.repr(&q.maxsize)?);
        let items: Vec<Value> = q.items.borrow().iter().cloned().collect();
        if !items.is_empty() {
            let list = Value::list(items);
            result.push_str(&format!(" _queue={}", self.repr(&list)?));
        }
        let getters = q.getters.borrow().len();
        if getters > 0 {
            result.push_str(&format!(" _getters[{getters}]"));
        }
        let putters = q.putters.borrow().len();
        if putters > 0 {
            result.push_str(&format!(" _putters[{putters}]"));
        }
        if q.unfinished_tasks.get() != 0 {
            result.push_str(&format!(" tasks={}", q.unfinished_tasks.get()));
        }
        Ok(result)
    }

    /// `heapq.heappush`, comparing with `<` as Python does.
    fn heap_push(&mut self, heap: &RefCell<VecDeque<Value>>, item: Value) -> PyResult<()> {
        // Taken out while Python's `<` runs, which could reach the queue.
        let mut items: Vec<Value> = std::mem::take(&mut *heap.borrow_mut()).into();
        items.push(item);
        let last = items.len() - 1;
        let outcome = self.sift_down(&mut items, 0, last);
        *heap.borrow_mut() = items.into();
        outcome
    }

    /// `heapq.heappop`.
    fn heap_pop(&mut self, heap: &RefCell<VecDeque<Value>>) -> PyResult<Value> {
        let mut items: Vec<Value> = std::mem::take(&mut *heap.borrow_mut()).into();
        let last = items.pop().expect("the heap is not empty");
        if items.is_empty() {
            *heap.borrow_mut() = items.into();
            return Ok(last);
        }
        let first = std::mem::replace(&mut items[0], last);
        let outcome = self.sift_up(&mut items, 0);
        *heap.borrow_mut() = items.into();
        outcome.map(|_| first)
    }

    fn less(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        let lt = self.compare(CompareKind::Less, a, b)?;
        self.is_true(&lt)
    }

    /// `heapq._siftdown`: move the item at `pos` up towards `start`.
    fn sift_down(&mut self, heap: &mut [Value], start: usize, mut pos: usize) -> PyResult<()> {
        let new_item = heap[pos].clone();
        while pos > start {
            let parent_pos = (pos - 1) >> 1;
            let parent = heap[parent_pos].clone();
            if self.less(&new_item, &parent)? {
                heap[pos] = parent;
                pos = parent_pos;
                continue;
            }
            break;
        }
        heap[pos] = new_item;
        Ok(())
    }

    /// `heapq._siftup`: move the smaller child up until a leaf, then sift
    /// the item there back down (heapq's comparison-saving layout).
    fn sift_up(&mut self, heap: &mut [Value], mut pos: usize) -> PyResult<()> {
        let end = heap.len();
        let start = pos;
        let new_item = heap[pos].clone();
        let mut child = 2 * pos + 1;
        while child < end {
            let right = child + 1;
            if right < end && !self.less(&heap[child].clone(), &heap[right].clone())? {
                child = right;
            }
            heap[pos] = heap[child].clone();
            pos = child;
            child = 2 * pos + 1;
        }
        heap[pos] = new_item;
        self.sift_down(heap, start, pos)
    }
}

/// The lock inside a condition.
pub fn lock_of(cond: &ConditionCore) -> &LockCore {
    match &*cond.lock {
        Primitive::Lock(l) => l,
        _ => unreachable!("a condition's lock is a Lock"),
    }
}

fn locked_word(locked: bool) -> &'static str {
    if locked {
        "locked"
    } else {
        "unlocked"
    }
}
