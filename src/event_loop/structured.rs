//! Structured concurrency: `asyncio.TaskGroup` (CPython's `taskgroups.py`)
//! and `asyncio.timeout()` / `timeout_at()` (`timeouts.py`), the two async
//! context managers that tie tasks and deadlines to a block of code.
//!
//! Both are built on cancellation. A task group that sees a child fail
//! cancels the other children and the task running the `async with`; its
//! `__aexit__` then waits for every child and raises the failures together
//! as an `ExceptionGroup`. A timeout cancels its task when the deadline
//! passes, and its `__aexit__` turns that `CancelledError` into
//! `TimeoutError`. `Task.uncancel()` tells a cancellation they caused from
//! one that came from outside, exactly as in CPython.

use super::future::{Future, Waitable};
use super::handle::{DoneCallback, Handle, HandleAction, Job};
use super::native::{NativeCoroutine, Poll, Resume, Yielded};
use super::sync::Primitive;
use super::sync_wait::SyncWait;
use super::task::Task;
use crate::vm::object::exception::{self, PyErr, PyResult};
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

#[derive(Default)]
pub struct TaskGroupCore {
    entered: Cell<bool>,
    exiting: Cell<bool>,
    aborting: Cell<bool>,
    parent_task: RefCell<Option<Rc<Task>>>,
    parent_cancel_requested: Cell<bool>,
    /// The children not done yet, in creation order (a set in CPython).
    tasks: RefCell<Vec<Rc<Task>>>,
    errors: RefCell<Vec<PyErr>>,
    base_error: RefCell<Option<PyErr>>,
    on_completed_fut: RefCell<Option<Rc<Future>>>,
}

/// `Timeout._state`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TimeoutState {
    Created,
    Entered,
    Expiring,
    Expired,
    Exited,
}

impl TimeoutState {
    fn word(self) -> &'static str {
        match self {
            TimeoutState::Created => "created",
            TimeoutState::Entered => "active",
            TimeoutState::Expiring => "expiring",
            TimeoutState::Expired => "expired",
            TimeoutState::Exited => "finished",
        }
    }
}

pub struct TimeoutCore {
    state: Cell<TimeoutState>,
    when: Cell<Option<f64>>,
    handle: RefCell<Option<Rc<Handle>>>,
    task: RefCell<Option<Rc<Task>>>,
    cancelling: Cell<u32>,
}

impl TimeoutCore {
    pub fn new(when: Option<f64>) -> TimeoutCore {
        TimeoutCore {
            state: Cell::new(TimeoutState::Created),
            when: Cell::new(when),
            handle: RefCell::new(None),
            task: RefCell::new(None),
            cancelling: Cell::new(0),
        }
    }
}

/// Where `TaskGroup.__aexit__` is.
pub struct TaskGroupExit {
    pub group: Rc<Primitive>,
    pub exc_type: Value,
    pub exc: Value,
    pub propagate: Option<PyErr>,
    pub waiting: Option<Rc<Future>>,
}

fn group_of(p: &Primitive) -> &TaskGroupCore {
    match p {
        Primitive::TaskGroup(g) => g,
        _ => unreachable!("a task group"),
    }
}

fn timeout_of(p: &Primitive) -> &TimeoutCore {
    match p {
        Primitive::Timeout(t) => t,
        _ => unreachable!("a timeout"),
    }
}

fn is_exactly(exc_type: &Value, class: &Rc<crate::vm::object::types::TypeObject>) -> bool {
    matches!(exc_type, Value::Type(t) if Rc::ptr_eq(t, class))
}

fn as_error(exc: &Value) -> Option<PyErr> {
    match exc {
        Value::Exception(e) => Some(e.clone()),
        _ => None,
    }
}

/// `SystemExit` and `KeyboardInterrupt`, which a task group re-raises as
/// they are.
fn is_base_error(e: &PyErr) -> bool {
    let ex = &builtin_types().exceptions;
    e.is_instance_of(&ex.system_exit) || e.is_instance_of(&ex.keyboard_interrupt)
}

impl Vm {
    /// `repr()` of a task group: `<TaskGroup tasks=2 entered>`.
    pub(crate) fn task_group_repr(&self, p: &Primitive) -> String {
        let g = group_of(p);
        let mut info = vec![String::new()];
        let tasks = g.tasks.borrow().len();
        if tasks > 0 {
            info.push(format!("tasks={tasks}"));
        }
        let errors = g.errors.borrow().len();
        if errors > 0 {
            info.push(format!("errors={errors}"));
        }
        if g.aborting.get() {
            info.push("cancelling".to_string());
        } else if g.entered.get() {
            info.push("entered".to_string());
        }
        format!("<TaskGroup{}>", info.join(" "))
    }

    /// `repr()` of a timeout: `<Timeout [active] when=1.5>`.
    pub(crate) fn timeout_repr(&self, p: &Primitive) -> String {
        let t = timeout_of(p);
        let mut text = format!("<Timeout [{}]", t.state.get().word());
        if t.state.get() == TimeoutState::Entered {
            match t.when.get() {
                Some(when) => {
                    let rounded = (when * 1000.0).round() / 1000.0;
                    text.push_str(&format!(
                        " when={}",
                        crate::vm::object::float::float_repr(rounded)
                    ));
                }
                None => text.push_str(" when=None"),
            }
        }
        text.push('>');
        text
    }

    /// `TaskGroup.create_task(coro, name=None)`.
    pub(crate) fn task_group_create_task(
        &mut self,
        group: &Rc<Primitive>,
        coro: Value,
        name: Option<Rc<str>>,
    ) -> PyResult<Value> {
        let g = group_of(group);
        let shown = self.task_group_repr(group);
        if !g.entered.get() {
            return Err(exception::runtime_error(format!(
                "TaskGroup {shown} has not been entered"
            )));
        }
        if g.exiting.get() && g.tasks.borrow().is_empty() {
            return Err(exception::runtime_error(format!(
                "TaskGroup {shown} is finished"
            )));
        }
        if g.aborting.get() {
            return Err(exception::runtime_error(format!(
                "TaskGroup {shown} is shutting down"
            )));
        }
        let task = self.create_task(coro, name)?;
        let waitable = Waitable::Task(task.clone());
        self.add_done_callback(&waitable, DoneCallback::TaskGroupChildDone(group.clone()));
        g.tasks.borrow_mut().push(task.clone());
        Ok(Value::Task(task))
    }

    /// `TaskGroup._abort()`: cancel every child not done.
    fn task_group_abort(&mut self, g: &TaskGroupCore) {
        g.aborting.set(true);
        let tasks: Vec<Rc<Task>> = g.tasks.borrow().clone();
        for t in tasks {
            if !t.core.done() {
                self.cancel_task(&t, Value::None);
            }
        }
    }

    /// `TaskGroup._on_task_done(task)`.
    pub(crate) fn task_group_child_done(&mut self, group: &Rc<Primitive>, child: &Waitable) {
        let g = group_of(group);
        let Waitable::Task(task) = child else {
            return;
        };
        g.tasks.borrow_mut().retain(|t| !Rc::ptr_eq(t, task));
        let completed = g.on_completed_fut.borrow().clone();
        if let Some(fut) = completed {
            if g.tasks.borrow().is_empty() && !fut.core.done() {
                let _ = self.set_result_on(&Waitable::Future(fut), Value::Bool(true));
            }
        }
        if task.core.cancelled() {
            return;
        }
        let Ok(Some(exc)) = task.core.exception() else {
            return;
        };
        g.errors.borrow_mut().push(exc.clone());
        if is_base_error(&exc) && g.base_error.borrow().is_none() {
            *g.base_error.borrow_mut() = Some(exc);
        }
        let parent = g.parent_task.borrow().clone();
        let Some(parent) = parent else {
            return;
        };
        if parent.core.done() {
            // CPython reports this through the loop's exception handler.
            return;
        }
        if !g.aborting.get() && !g.parent_cancel_requested.get() {
            self.task_group_abort(g);
            g.parent_cancel_requested.set(true);
            self.cancel_task(&parent, Value::None);
        }
    }

    /// `TaskGroup.__aenter__()` (it never pauses).
    pub(crate) fn task_group_enter(&mut self, group: &Rc<Primitive>) -> PyResult<Value> {
        let g = group_of(group);
        if g.entered.get() {
            let shown = self.task_group_repr(group);
            return Err(exception::runtime_error(format!(
                "TaskGroup {shown} has already been entered"
            )));
        }
        let parent = self.require_loop()?.current_task.clone();
        let Some(parent) = parent else {
            let shown = self.task_group_repr(group);
            return Err(exception::runtime_error(format!(
                "TaskGroup {shown} cannot determine the parent task"
            )));
        };
        *g.parent_task.borrow_mut() = Some(parent);
        g.entered.set(true);
        Ok(Value::Sync(group.clone()))
    }

    /// One step of `TaskGroup.__aexit__(et, exc, tb)`.
    pub(crate) fn step_task_group_exit(
        &mut self,
        mut exit: TaskGroupExit,
        resume: Resume,
    ) -> (Option<SyncWait>, PyResult<Poll>) {
        let group = exit.group.clone();
        let g = group_of(&group);
        let cancelled_class = builtin_types().exceptions.cancelled_error.clone();
        match exit.waiting.take() {
            None => {
                if let Resume::Throw(e) = resume {
                    return (None, Err(e));
                }
                g.exiting.set(true);
                if let Some(e) = as_error(&exit.exc) {
                    if is_base_error(&e) && g.base_error.borrow().is_none() {
                        *g.base_error.borrow_mut() = Some(e);
                    }
                }
                exit.propagate = if is_exactly(&exit.exc_type, &cancelled_class) {
                    as_error(&exit.exc)
                } else {
                    None
                };
                if g.parent_cancel_requested.get() {
                    let parent = g.parent_task.borrow().clone().expect("entered");
                    let n = parent.num_cancels_requested.get().saturating_sub(1);
                    parent.num_cancels_requested.set(n);
                    if n == 0 {
                        exit.propagate = None;
                    }
                }
                if !matches!(exit.exc_type, Value::None) && !g.aborting.get() {
                    self.task_group_abort(g);
                }
            }
            Some(fut) => {
                let outcome = match resume {
                    Resume::Throw(e) => Err(e),
                    Resume::Send => self.waitable_result(&Waitable::Future(fut)),
                };
                if let Err(e) = outcome {
                    if e.is_instance_of(&cancelled_class) {
                        if !g.aborting.get() {
                            exit.propagate = Some(e);
                            self.task_group_abort(g);
                        }
                    } else {
                        return (None, Err(e));
                    }
                }
                *g.on_completed_fut.borrow_mut() = None;
            }
        }
        if !g.tasks.borrow().is_empty() {
            let fut = g
                .on_completed_fut
                .borrow_mut()
                .get_or_insert_with(Future::new)
                .clone();
            exit.waiting = Some(fut.clone());
            let waiting = Yielded::Waiting(Waitable::Future(fut));
            return (
                Some(SyncWait::TaskGroupExit(Box::new(exit))),
                Ok(Poll::Pending(waiting)),
            );
        }
        if let Some(base) = g.base_error.borrow().clone() {
            return (None, Err(base));
        }
        if let Some(propagate) = exit.propagate.take() {
            if g.errors.borrow().is_empty() {
                return (None, Err(propagate));
            }
        }
        if !matches!(exit.exc_type, Value::None) && !is_exactly(&exit.exc_type, &cancelled_class) {
            if let Some(e) = as_error(&exit.exc) {
                g.errors.borrow_mut().push(e);
            }
        }
        let errors = std::mem::take(&mut *g.errors.borrow_mut());
        if errors.is_empty() {
            return (None, Ok(Poll::Ready(Value::None)));
        }
        let group_error = crate::vm::object::exception_group::exception_group(
            "unhandled errors in a TaskGroup",
            errors,
        );
        group_error.suppress_context.set(true);
        (None, Err(group_error))
    }

    /// `Timeout.reschedule(when)`.
    pub(crate) fn timeout_reschedule(
        &mut self,
        timeout: &Rc<Primitive>,
        when: Option<f64>,
    ) -> PyResult<()> {
        let t = timeout_of(timeout);
        match t.state.get() {
            TimeoutState::Entered => {}
            TimeoutState::Created => {
                return Err(exception::runtime_error("Timeout has not been entered"))
            }
            other => {
                return Err(exception::runtime_error(format!(
                    "Cannot change state of {} Timeout",
                    other.word()
                )))
            }
        }
        t.when.set(when);
        if let Some(h) = t.handle.borrow_mut().take() {
            h.cancel();
        }
        if let Some(when) = when {
            let action = HandleAction::TimeoutExpired(timeout.clone());
            let handle = if when <= self.clock.now() {
                let handle = Handle::new(action, None);
                self.call_soon(Job::Handle(handle.clone()));
                handle
            } else {
                self.call_at(when, action)
            };
            *t.handle.borrow_mut() = Some(handle);
        }
        Ok(())
    }

    /// `Timeout._on_timeout()`.
    pub(crate) fn timeout_expired(&mut self, timeout: &Rc<Primitive>) {
        let t = timeout_of(timeout);
        if let Some(task) = t.task.borrow().clone() {
            self.cancel_task(&task, Value::None);
        }
        t.state.set(TimeoutState::Expiring);
        *t.handle.borrow_mut() = None;
    }

    /// `Timeout.__aenter__()` (it never pauses).
    pub(crate) fn timeout_enter(&mut self, timeout: &Rc<Primitive>) -> PyResult<Value> {
        let t = timeout_of(timeout);
        if t.state.get() != TimeoutState::Created {
            return Err(exception::runtime_error("Timeout has already been entered"));
        }
        let task = self.require_loop()?.current_task.clone();
        let Some(task) = task else {
            return Err(exception::runtime_error(
                "Timeout should be used inside a task",
            ));
        };
        t.state.set(TimeoutState::Entered);
        t.cancelling.set(task.num_cancels_requested.get());
        *t.task.borrow_mut() = Some(task);
        self.timeout_reschedule(timeout, t.when.get())?;
        Ok(Value::Sync(timeout.clone()))
    }

    /// `Timeout.__aexit__(exc_type, exc_val, exc_tb)` (it never pauses).
    pub(crate) fn timeout_exit(
        &mut self,
        timeout: &Rc<Primitive>,
        exc_type: &Value,
        exc: &Value,
    ) -> PyResult<Value> {
        let t = timeout_of(timeout);
        if let Some(h) = t.handle.borrow_mut().take() {
            h.cancel();
        }
        match t.state.get() {
            TimeoutState::Expiring => {
                t.state.set(TimeoutState::Expired);
                let task = t.task.borrow().clone().expect("entered");
                let n = task.num_cancels_requested.get().saturating_sub(1);
                task.num_cancels_requested.set(n);
                let cancelled = builtin_types().exceptions.cancelled_error.clone();
                if n <= t.cancelling.get() && is_exactly(exc_type, &cancelled) {
                    let class = builtin_types().exceptions.timeout_error.clone();
                    let error = exception::exception_without_args(class);
                    let cause = as_error(exc);
                    *error.cause.borrow_mut() = cause.clone();
                    *error.context.borrow_mut() = cause;
                    error.suppress_context.set(true);
                    return Err(error);
                }
            }
            TimeoutState::Entered => t.state.set(TimeoutState::Exited),
            _ => {}
        }
        Ok(Value::None)
    }

    /// `timeout.when()`, `.expired()`, `.reschedule(when)`.
    pub(crate) fn timeout_method(
        &mut self,
        timeout: &Rc<Primitive>,
        name: crate::symbol::Symbol,
        args: &[Value],
    ) -> Option<PyResult<Value>> {
        use crate::symbol::sym;
        let t = timeout_of(timeout);
        Some(match (name, args) {
            (sym::when, []) => Ok(t.when.get().map_or(Value::None, Value::Float)),
            (sym::expired, []) => Ok(Value::Bool(matches!(
                t.state.get(),
                TimeoutState::Expiring | TimeoutState::Expired
            ))),
            (sym::reschedule, [when]) => self
                .deadline(when)
                .and_then(|when| self.timeout_reschedule(timeout, when))
                .map(|_| Value::None),
            (sym::when | sym::expired | sym::reschedule, _) => Err(exception::type_error(format!(
                "Timeout.{}() takes a different number of arguments ({} given)",
                name.text(),
                args.len()
            ))),
            _ => return None,
        })
    }

    /// `asyncio.timeout(delay)` / `asyncio.timeout_at(when)`.
    pub(crate) fn new_timeout(&mut self, delay: &Value, absolute: bool) -> PyResult<Value> {
        let when = match delay {
            Value::None => None,
            // `timeout_at(when)`: compared with the clock when entered.
            when if absolute => self.deadline(when)?,
            // `timeout(delay)`: `loop.time() + delay`.
            delay => {
                self.require_loop()?;
                Some(self.clock.now() + self.delay_seconds(delay)?)
            }
        };
        Ok(Value::Sync(Rc::new(Primitive::Timeout(TimeoutCore::new(
            when,
        )))))
    }

    /// A native coroutine for a task group's or timeout's `__aenter__`
    /// or `__aexit__`.
    pub(crate) fn structured_context_method(
        &mut self,
        p: &Rc<Primitive>,
        entering: bool,
        args: &[Value],
    ) -> PyResult<Value> {
        let class = p.class_name();
        let is_group = matches!(**p, Primitive::TaskGroup(_));
        if entering {
            if !args.is_empty() {
                return Err(exception::type_error(format!(
                    "{class}.__aenter__() takes 1 positional argument but {} were given",
                    args.len() + 1
                )));
            }
            let name = if is_group {
                const { NativeCoroutine::index_of("TaskGroup.__aenter__") }
            } else {
                const { NativeCoroutine::index_of("Timeout.__aenter__") }
            };
            return Ok(NativeCoroutine::sync(
                name,
                SyncWait::Enter { target: p.clone() },
            ));
        }
        let [exc_type, exc, _tb] = args else {
            return Err(exception::type_error(format!(
                "{class}.__aexit__() takes 4 positional arguments but {} were given",
                args.len() + 1
            )));
        };
        if is_group {
            let exit = TaskGroupExit {
                group: p.clone(),
                exc_type: exc_type.clone(),
                exc: exc.clone(),
                propagate: None,
                waiting: None,
            };
            return Ok(NativeCoroutine::sync(
                const { NativeCoroutine::index_of("TaskGroup.__aexit__") },
                SyncWait::TaskGroupExit(Box::new(exit)),
            ));
        }
        Ok(NativeCoroutine::sync(
            const { NativeCoroutine::index_of("Timeout.__aexit__") },
            SyncWait::TimeoutExit {
                timeout: p.clone(),
                exception: Box::new((exc_type.clone(), exc.clone())),
            },
        ))
    }
}
