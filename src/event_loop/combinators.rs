//! `asyncio.wait`, `asyncio.as_completed` and `asyncio.shield`: ways of
//! waiting on several futures, or on one without passing a cancellation to
//! it. Each copies CPython 3.11's `tasks.py`: the same done-callbacks on the
//! same futures, so wake-ups come in the same loop passes.
//!
//! `wait` is an `async def` there, so here it is a native coroutine whose
//! argument checks happen at its first step, as in CPython; `shield` is a
//! plain function returning an outer future; `as_completed` is a generator
//! that yields one `_wait_for_one()` coroutine per future, fed by a queue.

use super::future::{Future, Waitable};
use super::handle::{DoneCallback, Handle, HandleAction, TimeoutOf};
use super::native::{NativeCoroutine, Poll, Resume, Yielded};
use super::sync::Primitive;
use super::sync_wait::SyncWait;
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// `return_when` of `asyncio.wait`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    FirstCompleted,
    FirstException,
    AllCompleted,
}

pub const FIRST_COMPLETED: &str = "FIRST_COMPLETED";
pub const FIRST_EXCEPTION: &str = "FIRST_EXCEPTION";
pub const ALL_COMPLETED: &str = "ALL_COMPLETED";

/// What `_wait`'s `_on_completion` closure sees.
pub struct WaitShared {
    counter: Cell<usize>,
    return_when: ReturnWhen,
    waiter: Rc<Future>,
    timeout_handle: RefCell<Option<Rc<Handle>>>,
}

/// `asyncio.wait(...)` between its awaits.
pub enum WaitState {
    Start {
        fs: Value,
        timeout: Value,
        return_when: Value,
    },
    Waiting {
        fs: Vec<Waitable>,
        shared: Rc<WaitShared>,
    },
}

/// What `as_completed`'s closures share: the futures not done yet and
/// the queue their completions go to.
pub struct AsCompletedShared {
    pub todo: RefCell<Vec<Waitable>>,
    pub done: Rc<Primitive>,
    pub timeout_handle: RefCell<Option<Rc<Handle>>>,
}

impl WaitState {
    pub fn is_started(&self) -> bool {
        matches!(self, WaitState::Waiting { .. })
    }
}

impl Vm {
    /// One step of `asyncio.wait`.
    pub(crate) fn step_wait(
        &mut self,
        state: WaitState,
        resume: Resume,
    ) -> (Option<WaitState>, PyResult<Poll>) {
        match state {
            WaitState::Start {
                fs,
                timeout,
                return_when,
            } => {
                if let Resume::Throw(e) = resume {
                    return (None, Err(e));
                }
                match self.start_wait(fs, timeout, return_when) {
                    Ok((fs, shared)) => {
                        let waiter = Waitable::Future(shared.waiter.clone());
                        (
                            Some(WaitState::Waiting { fs, shared }),
                            Ok(Poll::Pending(Yielded::Waiting(waiter))),
                        )
                    }
                    Err(e) => (None, Err(e)),
                }
            }
            WaitState::Waiting { fs, shared } => {
                // `finally:` cancel the timeout, remove the callbacks.
                if let Some(h) = shared.timeout_handle.borrow().as_ref() {
                    h.cancel();
                }
                let callback = DoneCallback::WaitCompletion(shared.clone());
                for f in &fs {
                    self.remove_done_callback(f, &callback);
                }
                if let Resume::Throw(e) = resume {
                    return (None, Err(e));
                }
                if let Err(e) = self.waitable_result(&Waitable::Future(shared.waiter.clone())) {
                    return (None, Err(e));
                }
                let (mut done, mut pending) = (Vec::new(), Vec::new());
                for f in fs {
                    if f.core().done() {
                        done.push(f.to_value());
                    } else {
                        pending.push(f.to_value());
                    }
                }
                let sets = self
                    .new_set(done)
                    .and_then(|done| Ok(Value::tuple(vec![done, self.new_set(pending)?])));
                (None, sets.map(Poll::Ready))
            }
        }
    }

    /// `wait()`'s checks and `_wait()` up to its `await waiter`.
    fn start_wait(
        &mut self,
        fs: Value,
        timeout: Value,
        return_when: Value,
    ) -> PyResult<(Vec<Waitable>, Rc<WaitShared>)> {
        if matches!(
            fs,
            Value::Future(_) | Value::Task(_) | Value::Coroutine(_) | Value::NativeCoroutine(_)
        ) {
            return Err(exception::type_error(format!(
                "expect a list of futures, not {}",
                fs.type_name()
            )));
        }
        let items = self.collect_iterable(&fs)?;
        if items.is_empty() {
            return Err(exception::value_error("Set of Tasks/Futures is empty."));
        }
        let return_when = match &return_when {
            Value::Str(s) if s.as_str() == FIRST_COMPLETED => ReturnWhen::FirstCompleted,
            Value::Str(s) if s.as_str() == FIRST_EXCEPTION => ReturnWhen::FirstException,
            Value::Str(s) if s.as_str() == ALL_COMPLETED => ReturnWhen::AllCompleted,
            other => {
                let shown = self.str_of(other)?;
                return Err(exception::value_error(format!(
                    "Invalid return_when value: {shown}"
                )));
            }
        };
        // `fs = set(fs)`: each future once.
        let mut fs: Vec<Waitable> = Vec::with_capacity(items.len());
        for item in &items {
            if matches!(item, Value::Coroutine(_) | Value::NativeCoroutine(_)) {
                return Err(exception::type_error(
                    "Passing coroutines is forbidden, use tasks explicitly.",
                ));
            }
        }
        for item in items {
            let Some(f) = Waitable::from_value(&item) else {
                return Err(exception::attribute_error(format!(
                    "'{}' object has no attribute 'add_done_callback'",
                    item.type_name()
                )));
            };
            if !fs.iter().any(|g| g.is(&f)) {
                fs.push(f);
            }
        }
        self.require_loop()?;
        let waiter = Future::new();
        let timeout_handle = match timeout {
            Value::None => None,
            t => {
                let delay = self.delay_seconds(&t)?;
                Some(self.call_later(
                    delay,
                    HandleAction::ReleaseWaiter(waiter.clone(), TimeoutOf::Wait),
                ))
            }
        };
        let shared = Rc::new(WaitShared {
            counter: Cell::new(fs.len()),
            return_when,
            waiter,
            timeout_handle: RefCell::new(timeout_handle),
        });
        for f in &fs {
            self.add_done_callback(f, DoneCallback::WaitCompletion(shared.clone()));
        }
        Ok((fs, shared))
    }

    /// A delay in seconds, which CPython adds to the loop's clock
    /// (`call_later`, `timeout()`): a number, or CPython's error for `+`.
    pub(crate) fn delay_seconds(&mut self, v: &Value) -> PyResult<f64> {
        match v {
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::BigInt(_) => self.to_float(v),
            other => Err(exception::type_error(format!(
                "unsupported operand type(s) for +: 'float' and '{}'",
                other.type_name()
            ))),
        }
    }

    /// A deadline in loop time, or `None` for none, which CPython compares
    /// with the clock (`Timeout.reschedule`): else CPython's error for `<=`.
    pub(crate) fn deadline(&mut self, v: &Value) -> PyResult<Option<f64>> {
        match v {
            Value::None => Ok(None),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::BigInt(_) => {
                self.to_float(v).map(Some)
            }
            other => Err(exception::type_error(format!(
                "'<=' not supported between instances of '{}' and 'float'",
                other.type_name()
            ))),
        }
    }

    /// `_wait`'s `_on_completion(f)`.
    pub(crate) fn wait_completion(&mut self, shared: &WaitShared, f: &Waitable) {
        shared.counter.set(shared.counter.get().saturating_sub(1));
        let failed = || !f.core().cancelled() && f.core().peek_exception().is_some();
        let wake = shared.counter.get() == 0
            || shared.return_when == ReturnWhen::FirstCompleted
            || shared.return_when == ReturnWhen::FirstException && failed();
        if wake {
            if let Some(h) = shared.timeout_handle.borrow().as_ref() {
                h.cancel();
            }
            if !shared.waiter.core.done() {
                let _ = self.set_result_on(&Waitable::Future(shared.waiter.clone()), Value::None);
            }
        }
    }

    /// `asyncio.shield(arg)`.
    pub(crate) fn shield(&mut self, arg: &Value) -> PyResult<Value> {
        let inner = self.ensure_future(arg)?;
        if inner.core().done() {
            return Ok(inner.to_value());
        }
        let outer = Future::new();
        self.add_done_callback(&inner, DoneCallback::ShieldInner(outer.clone()));
        self.add_done_callback(
            &Waitable::Future(outer.clone()),
            DoneCallback::ShieldOuter(inner),
        );
        Ok(Value::Future(outer))
    }

    /// `shield`'s `_inner_done_callback(inner)`: pass the outcome on.
    pub(crate) fn shield_inner_done(
        &mut self,
        outer: &Rc<Future>,
        inner: &Waitable,
    ) -> PyResult<()> {
        let outer_w = Waitable::Future(outer.clone());
        if outer.core.cancelled() {
            if !inner.core().cancelled() {
                // `inner.exception()`: mark it retrieved.
                let _ = inner.core().exception();
            }
            return Ok(());
        }
        if inner.core().cancelled() {
            self.cancel_waitable(&outer_w, Value::None);
            return Ok(());
        }
        match inner.core().exception() {
            Ok(Some(e)) => self.set_exception_on(&outer_w, e),
            _ => {
                let result = inner.core().result().unwrap_or(Value::None);
                self.set_result_on(&outer_w, result)
            }
        }
    }

    /// `shield`'s `_outer_done_callback(outer)`.
    pub(crate) fn shield_outer_done(&mut self, inner: &Waitable, outer: &Rc<Future>) {
        if !inner.core().done() {
            self.remove_done_callback(inner, &DoneCallback::ShieldInner(outer.clone()));
        }
    }

    /// `asyncio.as_completed(fs, timeout=...)`'s setup, which in CPython
    /// runs at the generator's first `next()`: tasks for the coroutines,
    /// callbacks, the timeout. Returns the coroutines it will yield.
    pub(crate) fn as_completed_start(
        &mut self,
        fs: &Value,
        timeout: &Value,
    ) -> PyResult<Vec<Value>> {
        if matches!(
            fs,
            Value::Future(_) | Value::Task(_) | Value::Coroutine(_) | Value::NativeCoroutine(_)
        ) {
            return Err(exception::type_error(format!(
                "expect an iterable of futures, not {}",
                fs.type_name()
            )));
        }
        let items = self.collect_iterable(fs)?;
        let mut todo: Vec<Waitable> = Vec::with_capacity(items.len());
        let mut seen: Vec<Value> = Vec::new();
        for item in items {
            if seen.iter().any(|s| s.is(&item)) {
                continue;
            }
            seen.push(item.clone());
            let f = self.ensure_future(&item)?;
            if !todo.iter().any(|g| g.is(&f)) {
                todo.push(f);
            }
        }
        let done = Rc::new(Primitive::new_fifo_queue());
        let shared = Rc::new(AsCompletedShared {
            todo: RefCell::new(todo.clone()),
            done,
            timeout_handle: RefCell::new(None),
        });
        for f in &todo {
            self.add_done_callback(f, DoneCallback::AsCompleted(shared.clone()));
        }
        if !todo.is_empty() && !matches!(timeout, Value::None) {
            let delay = self.delay_seconds(timeout)?;
            let handle = self.call_later(delay, HandleAction::AsCompletedTimeout(shared.clone()));
            *shared.timeout_handle.borrow_mut() = Some(handle);
        }
        Ok((0..todo.len())
            .map(|_| {
                NativeCoroutine::sync(
                    const { NativeCoroutine::index_of("as_completed.<locals>._wait_for_one") },
                    SyncWait::WaitForOne {
                        get: Box::new(SyncWait::QueueGet {
                            queue: shared.done.clone(),
                            waiting: None,
                        }),
                    },
                )
            })
            .collect())
    }

    /// `as_completed`'s `_on_completion(f)`.
    pub(crate) fn as_completed_done(
        &mut self,
        shared: &AsCompletedShared,
        f: &Waitable,
    ) -> PyResult<()> {
        let mut todo = shared.todo.borrow_mut();
        if todo.is_empty() {
            return Ok(());
        }
        if let Some(i) = todo.iter().position(|g| g.is(f)) {
            todo.remove(i);
        }
        let now_empty = todo.is_empty();
        drop(todo);
        if let Primitive::Queue(q) = &*shared.done {
            self.queue_put_nowait(q, f.to_value())?;
        }
        if now_empty {
            if let Some(h) = shared.timeout_handle.borrow().as_ref() {
                h.cancel();
            }
        }
        Ok(())
    }

    /// `as_completed`'s `_on_timeout()`.
    pub(crate) fn as_completed_timeout(&mut self, shared: &Rc<AsCompletedShared>) -> PyResult<()> {
        let todo: Vec<Waitable> = std::mem::take(&mut *shared.todo.borrow_mut());
        for f in &todo {
            self.remove_done_callback(f, &DoneCallback::AsCompleted(shared.clone()));
            if let Primitive::Queue(q) = &*shared.done {
                self.queue_put_nowait(q, Value::None)?;
            }
        }
        Ok(())
    }

    /// `_wait_for_one()` once `done.get()` gave `item`.
    pub(crate) fn wait_for_one_result(&mut self, item: Value) -> PyResult<Value> {
        if let Value::None = item {
            let timeout = builtin_types().exceptions.timeout_error.clone();
            return Err(exception::exception_without_args(timeout));
        }
        match Waitable::from_value(&item) {
            Some(f) => self.waitable_result(&f),
            None => Ok(item),
        }
    }
}
