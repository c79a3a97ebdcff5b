//! The `async def` methods of asyncio's primitives, as native coroutines:
//! `Lock.acquire`, `Semaphore.acquire`, `Event.wait`, `Condition.wait`,
//! `Condition.wait_for`, `Queue.put`, `Queue.get`, `Queue.join`, and the
//! `__aenter__`/`__aexit__` that `async with lock:` calls.
//!
//! Each is a state machine driven like `asyncio.sleep` (see `native.rs`):
//! a step runs the code between two `await`s of CPython's method, in the
//! same order. They never pause when they need not (a free lock is taken
//! without a loop pass, as in CPython); when they must, they append a fresh
//! future to the primitive's waiters and wait for it, and whoever releases
//! them sets its result.

use super::future::{Future, Waitable};
use super::is_cancelled_error;
use super::native::{Poll, Resume, Yielded};
use super::sync::{lock_of, remove_waiter, Primitive};
use crate::vm::object::exception::{self, PyErr, PyResult};
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;

/// A paused `async def` method of a primitive (see the module comment).
pub enum SyncWait {
    /// `Lock.acquire()`; `__aenter__` of a lock or condition returns `None`
    /// instead of `True`.
    LockAcquire {
        lock: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
        returns: Value,
    },
    /// `Semaphore.acquire()` (or its `__aenter__`).
    SemaphoreAcquire {
        semaphore: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
        returns: Value,
    },
    /// `Event.wait()`.
    EventWait {
        event: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
    },
    /// `Condition.wait()`.
    ConditionWait {
        condition: Rc<Primitive>,
        /// Boxed, as are the other rare big parts below, so that a
        /// `SyncWait` fits inline in a native coroutine.
        phase: Box<ConditionPhase>,
    },
    /// `Condition.wait_for(predicate)`: `wait()` until the predicate holds.
    ConditionWaitFor {
        condition: Rc<Primitive>,
        predicate: Value,
        wait: Option<Box<SyncWait>>,
    },
    /// `Queue.put(item)`.
    QueuePut {
        queue: Rc<Primitive>,
        item: Value,
        waiting: Option<Rc<Future>>,
    },
    /// `Queue.get()`.
    QueueGet {
        queue: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
    },
    /// `Queue.join()`.
    QueueJoin {
        queue: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
    },
    /// `__aexit__` of a lock, semaphore or condition: `self.release()`.
    Release { target: Rc<Primitive> },
    /// `as_completed`'s `_wait_for_one()`: `f = await done.get()`, then
    /// `f.result()` (or `TimeoutError` for the timeout's `None`).
    WaitForOne { get: Box<SyncWait> },
    /// `__aenter__` of a task group or timeout (they never pause).
    Enter { target: Rc<Primitive> },
    /// `TaskGroup.__aexit__`: wait for every child, then raise what failed.
    TaskGroupExit(Box<super::structured::TaskGroupExit>),
    /// `Timeout.__aexit__` (it never pauses).
    TimeoutExit {
        timeout: Rc<Primitive>,
        /// `(exc_type, exc)` as `__aexit__` got them.
        exception: Box<(Value, Value)>,
    },
}

/// Where a `Condition.wait()` is.
pub enum ConditionPhase {
    Start,
    /// Lock released, waiting to be notified.
    Notified(Rc<Future>),
    /// The `finally:` loop that takes the lock back, whatever happened:
    /// `outcome` is what `wait()` returns (or raises) once it has it.
    Reacquire {
        outcome: PyResult<Value>,
        cancelled: bool,
        waiting: Option<Rc<Future>>,
    },
}

impl SyncWait {
    /// Whether the method has run its first step.
    pub fn is_started(&self) -> bool {
        match self {
            SyncWait::LockAcquire { waiting, .. }
            | SyncWait::SemaphoreAcquire { waiting, .. }
            | SyncWait::EventWait { waiting, .. }
            | SyncWait::QueuePut { waiting, .. }
            | SyncWait::QueueGet { waiting, .. }
            | SyncWait::QueueJoin { waiting, .. } => waiting.is_some(),
            SyncWait::ConditionWait { phase, .. } => !matches!(**phase, ConditionPhase::Start),
            SyncWait::ConditionWaitFor { wait, .. } => wait.is_some(),
            SyncWait::Release { .. } => false,
            SyncWait::WaitForOne { get } => get.is_started(),
            SyncWait::Enter { .. } | SyncWait::TimeoutExit { .. } => false,
            SyncWait::TaskGroupExit(exit) => exit.waiting.is_some(),
        }
    }

    /// Whether it is a `Condition.wait()` taking the lock back.
    pub fn is_reacquiring(&self) -> bool {
        match self {
            SyncWait::ConditionWait { phase, .. } => {
                matches!(**phase, ConditionPhase::Reacquire { .. })
            }
            SyncWait::ConditionWaitFor { wait: Some(w), .. } => w.is_reacquiring(),
            _ => false,
        }
    }

    /// The primitive it waits on (for the teaching views).
    pub fn primitive(&self) -> &Rc<Primitive> {
        match self {
            SyncWait::LockAcquire { lock: p, .. }
            | SyncWait::SemaphoreAcquire { semaphore: p, .. }
            | SyncWait::EventWait { event: p, .. }
            | SyncWait::ConditionWait { condition: p, .. }
            | SyncWait::ConditionWaitFor { condition: p, .. }
            | SyncWait::QueuePut { queue: p, .. }
            | SyncWait::QueueGet { queue: p, .. }
            | SyncWait::QueueJoin { queue: p, .. }
            | SyncWait::Release { target: p } => p,
            SyncWait::WaitForOne { get } => get.primitive(),
            SyncWait::Enter { target: p } | SyncWait::TimeoutExit { timeout: p, .. } => p,
            SyncWait::TaskGroupExit(exit) => &exit.group,
        }
    }
}

/// The outcome of one step: the next state (none when finished) and what
/// the awaiting frame gets.
type Step = (Option<SyncWait>, PyResult<Poll>);

fn ready(value: Value) -> Step {
    (None, Ok(Poll::Ready(value)))
}

fn failed(e: PyErr) -> Step {
    (None, Err(e))
}

/// Pause on `fut`, to continue in `next`.
fn pause(next: SyncWait, fut: &Rc<Future>) -> Step {
    (
        Some(next),
        Ok(Poll::Pending(Yielded::Waiting(Waitable::Future(
            fut.clone(),
        )))),
    )
}

/// A fresh future appended to `waiters`.
fn new_waiter(waiters: &super::sync::Waiters) -> Rc<Future> {
    let fut = Future::new();
    waiters.borrow_mut().push_back(fut.clone());
    fut
}

impl Vm {
    /// What `await fut` gave: the future's result, or the exception the
    /// task was resumed with (a cancellation), or the future's own.
    fn awaited(&mut self, fut: &Rc<Future>, resume: Resume) -> PyResult<Value> {
        match resume {
            Resume::Throw(e) => Err(e),
            Resume::Send => self.waitable_result(&Waitable::Future(fut.clone())),
        }
    }

    /// One step of a primitive's `async def` method.
    pub(crate) fn step_sync(&mut self, wait: SyncWait, resume: Resume) -> Step {
        if !wait.is_started() {
            if let Resume::Throw(e) = resume {
                return failed(e);
            }
        }
        match wait {
            SyncWait::LockAcquire {
                lock,
                waiting,
                returns,
            } => self.step_lock_acquire(lock, waiting, returns, resume),
            SyncWait::SemaphoreAcquire {
                semaphore,
                waiting,
                returns,
            } => self.step_semaphore_acquire(semaphore, waiting, returns, resume),
            SyncWait::EventWait { event, waiting } => self.step_event_wait(event, waiting, resume),
            SyncWait::ConditionWait { condition, phase } => {
                self.step_condition_wait(condition, *phase, resume)
            }
            SyncWait::ConditionWaitFor {
                condition,
                predicate,
                wait,
            } => self.step_condition_wait_for(condition, predicate, wait, resume),
            SyncWait::QueuePut {
                queue,
                item,
                waiting,
            } => self.step_queue_put(queue, item, waiting, resume),
            SyncWait::QueueGet { queue, waiting } => self.step_queue_get(queue, waiting, resume),
            SyncWait::QueueJoin { queue, waiting } => self.step_queue_join(queue, waiting, resume),
            SyncWait::Release { target } => match self.release_primitive(&target) {
                Ok(()) => ready(Value::None),
                Err(e) => failed(e),
            },
            SyncWait::Enter { target } => {
                let entered = match &*target {
                    Primitive::TaskGroup(_) => self.task_group_enter(&target),
                    _ => self.timeout_enter(&target),
                };
                (None, entered.map(Poll::Ready))
            }
            SyncWait::TimeoutExit { timeout, exception } => (
                None,
                self.timeout_exit(&timeout, &exception.0, &exception.1)
                    .map(Poll::Ready),
            ),
            SyncWait::TaskGroupExit(exit) => self.step_task_group_exit(*exit, resume),
            SyncWait::WaitForOne { get } => match self.step_sync(*get, resume) {
                (Some(next), poll) => (
                    Some(SyncWait::WaitForOne {
                        get: Box::new(next),
                    }),
                    poll,
                ),
                (None, Ok(Poll::Ready(item))) => {
                    (None, self.wait_for_one_result(item).map(Poll::Ready))
                }
                (None, other) => (None, other),
            },
        }
    }

    /// `release()` of a lock, semaphore or condition.
    pub(crate) fn release_primitive(&mut self, target: &Primitive) -> PyResult<()> {
        match target {
            Primitive::Lock(lock) => self.lock_release(lock),
            Primitive::Semaphore(sem) => self.semaphore_release(sem),
            Primitive::Condition(cond) => self.lock_release(lock_of(cond)),
            _ => Ok(()),
        }
    }

    fn step_lock_acquire(
        &mut self,
        primitive: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
        returns: Value,
        resume: Resume,
    ) -> Step {
        let lock = match &*primitive {
            Primitive::Lock(l) => l,
            Primitive::Condition(c) => lock_of(c),
            _ => unreachable!("acquire of a lock"),
        };
        let Some(fut) = waiting else {
            if lock.try_acquire() {
                return ready(returns);
            }
            let fut = new_waiter(&lock.waiters);
            let next = SyncWait::LockAcquire {
                lock: primitive.clone(),
                waiting: Some(fut.clone()),
                returns,
            };
            return pause(next, &fut);
        };
        remove_waiter(&lock.waiters, &fut);
        match self.awaited(&fut, resume) {
            Err(e) => {
                if is_cancelled_error(&e) && !lock.locked.get() {
                    self.lock_wake_up_first(lock);
                }
                failed(e)
            }
            Ok(_) => {
                lock.locked.set(true);
                ready(returns)
            }
        }
    }

    fn step_semaphore_acquire(
        &mut self,
        primitive: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
        returns: Value,
        resume: Resume,
    ) -> Step {
        let Primitive::Semaphore(sem) = &*primitive else {
            unreachable!("acquire of a semaphore")
        };
        let Some(fut) = waiting else {
            if !sem.locked() {
                sem.value.set(sem.value.get() - 1);
                return ready(returns);
            }
            let fut = new_waiter(&sem.waiters);
            let next = SyncWait::SemaphoreAcquire {
                semaphore: primitive.clone(),
                waiting: Some(fut.clone()),
                returns,
            };
            return pause(next, &fut);
        };
        remove_waiter(&sem.waiters, &fut);
        match self.awaited(&fut, resume) {
            Err(e) => {
                if is_cancelled_error(&e) && !fut.core.cancelled() {
                    // Woken (given a unit) and cancelled in the same pass:
                    // hand the unit on.
                    sem.value.set(sem.value.get() + 1);
                    self.semaphore_wake_up_next(sem);
                }
                failed(e)
            }
            Ok(_) => {
                if sem.value.get() > 0 {
                    self.semaphore_wake_up_next(sem);
                }
                ready(returns)
            }
        }
    }

    fn step_event_wait(
        &mut self,
        primitive: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
        resume: Resume,
    ) -> Step {
        let Primitive::Event(event) = &*primitive else {
            unreachable!("wait on an event")
        };
        let Some(fut) = waiting else {
            if event.value.get() {
                return ready(Value::Bool(true));
            }
            let fut = new_waiter(&event.waiters);
            let next = SyncWait::EventWait {
                event: primitive.clone(),
                waiting: Some(fut.clone()),
            };
            return pause(next, &fut);
        };
        let outcome = self.awaited(&fut, resume);
        remove_waiter(&event.waiters, &fut);
        match outcome {
            Ok(_) => ready(Value::Bool(true)),
            Err(e) => failed(e),
        }
    }

    fn step_condition_wait(
        &mut self,
        primitive: Rc<Primitive>,
        phase: ConditionPhase,
        resume: Resume,
    ) -> Step {
        let Primitive::Condition(cond) = &*primitive else {
            unreachable!("wait on a condition")
        };
        let lock = lock_of(cond);
        match phase {
            ConditionPhase::Start => {
                if !lock.locked.get() {
                    return failed(exception::runtime_error("cannot wait on un-acquired lock"));
                }
                if let Err(e) = self.lock_release(lock) {
                    return failed(e);
                }
                let fut = new_waiter(&cond.waiters);
                let next = SyncWait::ConditionWait {
                    condition: primitive.clone(),
                    phase: Box::new(ConditionPhase::Notified(fut.clone())),
                };
                pause(next, &fut)
            }
            ConditionPhase::Notified(fut) => {
                let outcome = self.awaited(&fut, resume).map(|_| Value::Bool(true));
                remove_waiter(&cond.waiters, &fut);
                self.condition_reacquire(primitive.clone(), outcome, false)
            }
            ConditionPhase::Reacquire {
                outcome,
                mut cancelled,
                waiting,
            } => {
                let fut = waiting.expect("a reacquiring condition waits for its lock");
                remove_waiter(&lock.waiters, &fut);
                match self.awaited(&fut, resume) {
                    Err(e) if is_cancelled_error(&e) => {
                        if !lock.locked.get() {
                            self.lock_wake_up_first(lock);
                        }
                        cancelled = true;
                    }
                    Err(e) => return failed(e),
                    Ok(_) => {
                        lock.locked.set(true);
                        return self.condition_reacquired(outcome, cancelled);
                    }
                }
                self.condition_reacquire(primitive.clone(), outcome, cancelled)
            }
        }
    }

    /// One turn of `Condition.wait()`'s `while True: await self.acquire()`.
    fn condition_reacquire(
        &mut self,
        primitive: Rc<Primitive>,
        outcome: PyResult<Value>,
        cancelled: bool,
    ) -> Step {
        let Primitive::Condition(cond) = &*primitive else {
            unreachable!("a condition")
        };
        let lock = lock_of(cond);
        if lock.try_acquire() {
            return self.condition_reacquired(outcome, cancelled);
        }
        let fut = new_waiter(&lock.waiters);
        let next = SyncWait::ConditionWait {
            condition: primitive.clone(),
            phase: Box::new(ConditionPhase::Reacquire {
                outcome,
                cancelled,
                waiting: Some(fut.clone()),
            }),
        };
        pause(next, &fut)
    }

    /// The lock is held again: `wait()` returns, or re-raises.
    fn condition_reacquired(&mut self, outcome: PyResult<Value>, cancelled: bool) -> Step {
        if cancelled {
            let class = builtin_types().exceptions.cancelled_error.clone();
            return failed(exception::exception_without_args(class));
        }
        (None, outcome.map(Poll::Ready))
    }

    fn step_condition_wait_for(
        &mut self,
        condition: Rc<Primitive>,
        predicate: Value,
        wait: Option<Box<SyncWait>>,
        mut resume: Resume,
    ) -> Step {
        let mut wait = match wait {
            Some(wait) => *wait,
            None => {
                // `result = predicate()` before the first wait.
                match self.call(&predicate, &[], &[]) {
                    Err(e) => return failed(e),
                    Ok(result) => match self.is_true(&result) {
                        Err(e) => return failed(e),
                        Ok(true) => return ready(result),
                        Ok(false) => {}
                    },
                }
                SyncWait::ConditionWait {
                    condition: condition.clone(),
                    phase: Box::new(ConditionPhase::Start),
                }
            }
        };
        loop {
            match self.step_sync(wait, resume) {
                (Some(next), Ok(poll)) => {
                    let step = SyncWait::ConditionWaitFor {
                        condition,
                        predicate,
                        wait: Some(Box::new(next)),
                    };
                    return (Some(step), Ok(poll));
                }
                (_, Err(e)) => return failed(e),
                (None, Ok(_)) => {
                    // `await self.wait()` returned: `result = predicate()`.
                    let result = match self.call(&predicate, &[], &[]) {
                        Ok(result) => result,
                        Err(e) => return failed(e),
                    };
                    match self.is_true(&result) {
                        Err(e) => return failed(e),
                        Ok(true) => return ready(result),
                        Ok(false) => {}
                    }
                    wait = SyncWait::ConditionWait {
                        condition: condition.clone(),
                        phase: Box::new(ConditionPhase::Start),
                    };
                    resume = Resume::Send;
                }
            }
        }
    }

    fn step_queue_put(
        &mut self,
        primitive: Rc<Primitive>,
        item: Value,
        waiting: Option<Rc<Future>>,
        resume: Resume,
    ) -> Step {
        let Primitive::Queue(queue) = &*primitive else {
            unreachable!("put on a queue")
        };
        if let Some(putter) = waiting {
            if let Err(e) = self.awaited(&putter, resume) {
                // The bare `except:` of `Queue.put`.
                self.cancel_waitable(&Waitable::Future(putter.clone()), Value::None);
                remove_waiter(&queue.putters, &putter);
                match queue.full(self) {
                    Ok(false) if !putter.core.cancelled() => self.queue_wakeup_next(&queue.putters),
                    Err(full_error) => return failed(full_error),
                    _ => {}
                }
                return failed(e);
            }
        }
        match queue.full(self) {
            Err(e) => failed(e),
            Ok(true) => {
                let putter = new_waiter(&queue.putters);
                let next = SyncWait::QueuePut {
                    queue: primitive.clone(),
                    item,
                    waiting: Some(putter.clone()),
                };
                pause(next, &putter)
            }
            Ok(false) => match self.queue_put_nowait(queue, item) {
                Ok(()) => ready(Value::None),
                Err(e) => failed(e),
            },
        }
    }

    fn step_queue_get(
        &mut self,
        primitive: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
        resume: Resume,
    ) -> Step {
        let Primitive::Queue(queue) = &*primitive else {
            unreachable!("get from a queue")
        };
        if let Some(getter) = waiting {
            if let Err(e) = self.awaited(&getter, resume) {
                // The bare `except:` of `Queue.get`.
                self.cancel_waitable(&Waitable::Future(getter.clone()), Value::None);
                remove_waiter(&queue.getters, &getter);
                if queue.qsize() > 0 && !getter.core.cancelled() {
                    self.queue_wakeup_next(&queue.getters);
                }
                return failed(e);
            }
        }
        if queue.qsize() == 0 {
            let getter = new_waiter(&queue.getters);
            let next = SyncWait::QueueGet {
                queue: primitive.clone(),
                waiting: Some(getter.clone()),
            };
            return pause(next, &getter);
        }
        match self.queue_get_nowait(queue) {
            Ok(item) => ready(item),
            Err(e) => failed(e),
        }
    }

    fn step_queue_join(
        &mut self,
        primitive: Rc<Primitive>,
        waiting: Option<Rc<Future>>,
        resume: Resume,
    ) -> Step {
        let Primitive::Queue(queue) = &*primitive else {
            unreachable!("join of a queue")
        };
        let Primitive::Event(finished) = &*queue.finished else {
            unreachable!("a queue's finished flag is an Event")
        };
        let Some(fut) = waiting else {
            // `if self._unfinished_tasks > 0: await self._finished.wait()`
            if queue.unfinished_tasks.get() == 0 || finished.value.get() {
                return ready(Value::None);
            }
            let fut = new_waiter(&finished.waiters);
            let next = SyncWait::QueueJoin {
                queue: primitive.clone(),
                waiting: Some(fut.clone()),
            };
            return pause(next, &fut);
        };
        let outcome = self.awaited(&fut, resume);
        remove_waiter(&finished.waiters, &fut);
        match outcome {
            Ok(_) => ready(Value::None),
            Err(e) => failed(e),
        }
    }
}
