//! The event loop: a faithful model of CPython 3.11's asyncio loop.
//!
//! The mechanism is CPython's, not just its effects, because the exact
//! interleaving of a program's output depends on it:
//!
//! - a FIFO **ready queue** of jobs (task steps, future callbacks, handles);
//! - a **timer heap** ordered by deadline, then by scheduling order;
//! - **futures** whose done-callbacks are *scheduled* (`call_soon`) when they
//!   finish, in the order they were added;
//! - **tasks** that run their coroutine one step at a time and, when it
//!   awaits a pending future, add their wake-up to that future's callbacks;
//! - each pass of the loop ([`Vm::run_once`], CPython's `_run_once`) first
//!   moves due timers to the ready queue, then runs exactly the jobs that
//!   were ready when the pass began — a job scheduled during the pass waits
//!   for the next one.
//!
//! The state lives in [`EventLoop`], owned by the VM while `asyncio.run`
//! runs; the behaviour is implemented as `Vm` methods, because running a job
//! means running Python code.

pub mod async_gens;
pub mod asyncio;
pub mod clock;
pub mod combinators;
pub mod diagnostics;
pub mod future;
pub mod gather;
pub mod handle;
pub mod interactive;
pub mod native;
mod repr;
pub mod slot;
pub mod structured;
pub mod sync;
pub mod sync_describe;
pub mod sync_methods;
pub mod sync_wait;
pub mod task;

use crate::vm::object::coroutine::Coroutine;
use crate::vm::object::exception::{self, PyErr, PyResult};
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use crate::vm::{Exit, Vm};
use future::{Future, ResultError, Waitable};
use gather::GatherState;
use handle::{DoneCallback, Handle, HandleAction, Job, Timer, TimerAction};
use native::{Poll, Resume, Yielded};
use std::collections::{BinaryHeap, VecDeque};
use std::rc::{Rc, Weak};
use std::sync::atomic::Ordering;
use task::Task;

/// CPython's `time.get_clock_info('monotonic').resolution` on Linux: timers
/// due within it of now count as due.
const CLOCK_RESOLUTION: f64 = 1e-9;

/// Frames CPython has below a task's coroutine (`asyncio.run`, `Runner.run`,
/// `run_until_complete`, `run_forever`, `_run_once`, `Handle._run`), counted
/// against the recursion limit as CPython counts them.
const LOOP_FRAMES: usize = 6;

/// The object `asyncio.get_running_loop()` returns.
pub struct LoopObject {
    pub id: u64,
}

pub struct EventLoop {
    ready: VecDeque<Job>,
    timers: BinaryHeap<Timer>,
    timer_seq: u64,
    stopping: bool,
    pub current_task: Option<Rc<Task>>,
    /// Every task created on this loop (weakly, as CPython's `_all_tasks`).
    tasks: Vec<Weak<Task>>,
    pub object: Rc<LoopObject>,
    /// The task `asyncio.run` made for the main coroutine.
    main_task: Option<Weak<Task>>,
    /// Ctrl-C presses while this loop ran.
    interrupts: u32,
    /// In the REPL, the input running now (`<stdin>` and its last line):
    /// where a warning raised after its frame ended is reported.
    input_location: Option<(Rc<str>, u32)>,
    /// The async generators iterated while this loop ran (weakly, as
    /// CPython's `_asyncgens`): `shutdown_asyncgens` closes those still
    /// alive and unfinished.
    pub(crate) async_gens: Vec<Weak<Coroutine>>,
}

impl EventLoop {
    pub fn new(id: u64) -> EventLoop {
        EventLoop {
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            timer_seq: 0,
            stopping: false,
            current_task: None,
            tasks: Vec::new(),
            object: Rc::new(LoopObject { id }),
            main_task: None,
            interrupts: 0,
            input_location: None,
            async_gens: Vec::new(),
        }
    }

    /// Take the next job off the ready queue. A queue that has drained to
    /// a quarter of its room gives half of it back, as CPython's deque
    /// frees its blocks: the 100 000 first steps queued by creating as
    /// many tasks need not stay allocated while those tasks sleep.
    fn next_ready(&mut self) -> Option<Job> {
        let job = self.ready.pop_front();
        let room = self.ready.capacity();
        if room >= 4096 && self.ready.len() <= room / 4 {
            self.ready.shrink_to(room / 2);
        }
        job
    }

    /// The ready queue, first to run first (for the teaching views).
    pub fn ready_jobs(&self) -> impl Iterator<Item = &Job> {
        self.ready.iter()
    }

    /// The armed timers, in no particular order (for the teaching views).
    pub fn armed_timers(&self) -> impl Iterator<Item = &Timer> {
        self.timers.iter().filter(|t| !t.cancelled())
    }

    /// Every task of this loop still alive, done or not, oldest first (for
    /// the teaching views).
    pub fn live_tasks(&self) -> impl Iterator<Item = Rc<Task>> + '_ {
        self.tasks.iter().filter_map(Weak::upgrade)
    }

    /// The tasks of this loop that are not done (`asyncio.all_tasks()`).
    pub fn pending_tasks(&mut self) -> Vec<Rc<Task>> {
        self.tasks.retain(|t| t.strong_count() > 0);
        self.tasks
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|t| !t.core.done())
            .collect()
    }
}

/// What one step of a task's coroutine did.
enum StepOutcome {
    Returned(Value),
    Raised(PyErr),
    Suspended(Yielded),
}

impl StepOutcome {
    /// The outcome as the teaching hooks see it.
    fn as_step_end(&self) -> crate::teach::hooks::StepEnd<'_> {
        use crate::teach::hooks::StepEnd;
        match self {
            StepOutcome::Returned(v) => StepEnd::Returned(v),
            StepOutcome::Raised(e) => StepEnd::Raised(e),
            StepOutcome::Suspended(Yielded::Bare) => StepEnd::Yielded,
            StepOutcome::Suspended(Yielded::Waiting(w)) => StepEnd::Waiting(w),
        }
    }
}

impl Vm {
    fn event_loop(&mut self) -> &mut EventLoop {
        self.event_loop
            .as_mut()
            .expect("an asyncio operation ran without a running loop")
    }

    /// The running loop, or CPython's `RuntimeError: no running event loop`.
    pub(crate) fn require_loop(&mut self) -> PyResult<&mut EventLoop> {
        match self.event_loop.as_mut() {
            Some(l) => Ok(l),
            None => Err(exception::runtime_error("no running event loop")),
        }
    }

    // ----- scheduling ---------------------------------------------------

    /// `call_soon`: run `job` on the next pass.
    pub(crate) fn call_soon(&mut self, job: Job) {
        self.hand_freed_async_gens_to_loop();
        if self.observation.is_some() {
            self.observe_scheduled(&job);
        }
        self.event_loop().ready.push_back(job);
    }

    /// `call_later(delay, ...)`: a timer handle due `delay` seconds from now.
    pub(crate) fn call_later(&mut self, delay: f64, action: HandleAction) -> Rc<Handle> {
        let when = self.clock.now() + delay;
        self.call_at(when, action)
    }

    pub(crate) fn call_at(&mut self, when: f64, action: HandleAction) -> Rc<Handle> {
        let handle = Handle::new(action, Some(when));
        self.add_timer(when, TimerAction::Handle(handle.clone()));
        handle
    }

    /// `asyncio.sleep(delay)`'s timer, which finishes `future`.
    pub(crate) fn wake_sleeper_later(&mut self, delay: f64, future: Rc<Future>) {
        let when = self.clock.now() + delay;
        self.add_timer(when, TimerAction::WakeSleeper(future));
    }

    fn add_timer(&mut self, when: f64, action: TimerAction) {
        if self.observation.is_some() {
            self.observe_timer_armed(when, &action);
        }
        let lp = self.event_loop();
        lp.timer_seq += 1;
        let seq = lp.timer_seq;
        lp.timers.push(Timer { when, seq, action });
    }

    /// Schedule the done-callbacks of a future that just finished.
    fn schedule_callbacks(&mut self, future: &Waitable) {
        let callbacks = future.core().take_callbacks();
        for callback in callbacks {
            self.call_soon(Job::DoneCallback(callback, future.clone()));
        }
    }

    pub(crate) fn add_done_callback(&mut self, future: &Waitable, callback: DoneCallback) {
        if future.core().done() {
            self.call_soon(Job::DoneCallback(callback, future.clone()));
        } else {
            future.core().callbacks.update(|c| c.push(callback));
        }
    }

    /// Remove every registration of `callback`; returns how many.
    pub(crate) fn remove_done_callback(
        &mut self,
        future: &Waitable,
        callback: &DoneCallback,
    ) -> usize {
        future.core().callbacks.update(|callbacks| {
            let before = callbacks.len();
            callbacks.retain(|c| !c.same_as(callback));
            before - callbacks.len()
        })
    }

    // ----- finishing futures ----------------------------------------------

    pub(crate) fn set_result_on(&mut self, future: &Waitable, value: Value) -> PyResult<()> {
        if future.core().done() {
            return Err(invalid_state(future));
        }
        future.core().finish_with_result(value);
        self.schedule_callbacks(future);
        if self.observation.is_some() {
            self.observe_future_done(future);
        }
        Ok(())
    }

    pub(crate) fn set_exception_on(&mut self, future: &Waitable, exc: PyErr) -> PyResult<()> {
        if future.core().done() {
            return Err(invalid_state(future));
        }
        if exc.class.name.as_ref() == "StopIteration" {
            return Err(exception::type_error(
                "StopIteration interacts badly with generators and cannot be raised into a Future",
            ));
        }
        future.core().finish_with_exception(exc);
        self.schedule_callbacks(future);
        if self.observation.is_some() {
            self.observe_future_done(future);
        }
        Ok(())
    }

    /// `Future.cancel` (the base operation, also used on tasks).
    fn cancel_future_core(&mut self, future: &Waitable, msg: Value) -> bool {
        future.core().log_traceback.set(false);
        if future.core().done() {
            return false;
        }
        future.core().mark_cancelled(msg);
        self.schedule_callbacks(future);
        if self.observation.is_some() {
            self.observe_future_done(future);
        }
        true
    }

    /// `fut.cancel(msg)` for any future: a task cancels its coroutine, a
    /// gather future its children, a plain future itself.
    pub(crate) fn cancel_waitable(&mut self, future: &Waitable, msg: Value) -> bool {
        match future {
            Waitable::Task(task) => self.cancel_task(task, msg),
            Waitable::Future(f) => {
                let gather = f.gather();
                match gather {
                    Some(state) => self.cancel_gather(f, &state, msg),
                    None => self.cancel_future_core(future, msg),
                }
            }
        }
    }

    /// `Task.cancel(msg)`: only a request. If the task waits for something,
    /// that is cancelled (which wakes the task with `CancelledError`);
    /// otherwise the next step throws `CancelledError` in.
    pub(crate) fn cancel_task(&mut self, task: &Rc<Task>, msg: Value) -> bool {
        task.core.log_traceback.set(false);
        if task.core.done() {
            return false;
        }
        if self.observation.is_some() {
            self.observe_cancel_requested(task);
        }
        task.num_cancels_requested
            .set(task.num_cancels_requested.get() + 1);
        let waiter = task.fut_waiter.get();
        if let Some(waiter) = waiter {
            if self.cancel_waitable(&waiter, msg.clone()) {
                return true;
            }
        }
        task.must_cancel.set(true);
        task.core.set_cancel_message(msg);
        true
    }

    /// `_GatheringFuture.cancel`.
    fn cancel_gather(&mut self, outer: &Rc<Future>, state: &Rc<GatherState>, msg: Value) -> bool {
        if outer.core.done() {
            return false;
        }
        let mut cancelled_any = false;
        for child in state.children.clone() {
            if self.cancel_waitable(&child, msg.clone()) {
                cancelled_any = true;
            }
        }
        if cancelled_any {
            state.cancel_requested.set(true);
        }
        cancelled_any
    }

    /// `future.result()`.
    pub(crate) fn waitable_result(&mut self, future: &Waitable) -> PyResult<Value> {
        future.core().result().map_err(result_error)
    }

    /// `future.exception()`.
    pub(crate) fn waitable_exception(&mut self, future: &Waitable) -> PyResult<Option<PyErr>> {
        future.core().exception().map_err(result_error)
    }

    // ----- tasks ----------------------------------------------------------

    /// `loop.create_task(coro, name=name)`: the task's first step is
    /// scheduled now; nothing of the coroutine runs yet.
    pub(crate) fn create_task(&mut self, coro: Value, name: Option<Rc<str>>) -> PyResult<Rc<Task>> {
        if self.event_loop.is_none() {
            return Err(exception::runtime_error("no running event loop"));
        }
        // (An async generator's `__anext__()`/`athrow()`/`aclose()`
        // awaitable counts as a coroutine, as it does for CPython's
        // `iscoroutine`: it has `send`, `throw`, `close` and `__await__`.)
        if !matches!(
            coro,
            Value::Coroutine(_) | Value::NativeCoroutine(_) | Value::AsyncGenStep(_)
        ) {
            let shown = self.repr(&coro)?;
            return Err(exception::type_error(format!(
                "a coroutine was expected, got {shown}"
            )));
        }
        let task = match name {
            Some(name) => {
                let task = Task::new(0, coro);
                task.set_name(name);
                task
            }
            None => {
                self.task_counter += 1;
                Task::new(self.task_counter, coro)
            }
        };
        self.call_soon(Job::Step(task.clone(), None));
        self.event_loop().tasks.push(Rc::downgrade(&task));
        if self.observation.is_some() {
            self.observe_task_created(&task);
        }
        Ok(task)
    }

    /// `ensure_future`: a future as is, a coroutine wrapped in a new task.
    pub(crate) fn ensure_future(&mut self, value: &Value) -> PyResult<Waitable> {
        if let Some(w) = Waitable::from_value(value) {
            return Ok(w);
        }
        match value {
            Value::Coroutine(_) | Value::NativeCoroutine(_) | Value::AsyncGenStep(_) => {
                Ok(Waitable::Task(self.create_task(value.clone(), None)?))
            }
            _ => Err(exception::type_error(
                "An asyncio.Future, a coroutine or an awaitable is required",
            )),
        }
    }

    /// `Task.__step(exc)`: run the task's coroutine until it pauses or ends,
    /// then arrange what happens next. Only `KeyboardInterrupt` and
    /// `SystemExit` escape (as in CPython).
    fn task_step(&mut self, task: Rc<Task>, mut exc: Option<PyErr>) -> PyResult<()> {
        if task.core.done() {
            return Ok(());
        }
        if task.must_cancel.get() {
            if !exc.as_ref().is_some_and(is_cancelled_error) {
                exc = Some(task.core.make_cancelled_error());
            }
            task.must_cancel.set(false);
        }
        if self.observation.is_some() {
            self.observe_step_started(&task, exc.as_ref());
        }
        task.fut_waiter.set(None);
        self.event_loop().current_task = Some(task.clone());
        let outcome = self.run_task_coroutine(&task, exc);
        self.event_loop().current_task = None;
        if self.observation.is_some() {
            self.observe_step_ended(&task, outcome.as_step_end());
        }
        let this = || Waitable::Task(task.clone());
        match outcome {
            StepOutcome::Returned(value) => {
                if task.must_cancel.get() {
                    task.must_cancel.set(false);
                    let msg = task.core.cancel_message();
                    self.cancel_future_core(&this(), msg);
                } else {
                    task.core.finish_with_result(value);
                    self.schedule_callbacks(&this());
                }
            }
            StepOutcome::Raised(e) if is_cancelled_error(&e) => {
                task.core.set_cancelled_exc(e);
                self.cancel_future_core(&this(), Value::None);
            }
            StepOutcome::Raised(e) => {
                let escapes = {
                    let ex = &builtin_types().exceptions;
                    e.is_instance_of(&ex.keyboard_interrupt) || e.is_instance_of(&ex.system_exit)
                };
                task.core.finish_with_exception(e.clone());
                self.schedule_callbacks(&this());
                if escapes {
                    // Raised out of `asyncio.run`, it ends the program:
                    // CPython never reports the main task's exception as
                    // unretrieved then (the traceback keeps the task alive
                    // past the point where it could).
                    let is_main = self.event_loop().main_task.as_ref().and_then(Weak::upgrade);
                    if is_main.is_some_and(|main| Rc::ptr_eq(&main, &task)) {
                        task.core.log_traceback.set(false);
                    }
                    return Err(e);
                }
            }
            StepOutcome::Suspended(Yielded::Bare) => {
                self.call_soon(Job::Step(task, None));
            }
            StepOutcome::Suspended(Yielded::Waiting(waited)) => {
                if waited.is_task(&task) {
                    let shown = format!("<Task pending name='{}'>", task.name());
                    let error =
                        exception::runtime_error(format!("Task cannot await on itself: {shown}"));
                    self.call_soon(Job::Step(task, Some(error)));
                } else {
                    self.add_done_callback(&waited, DoneCallback::Wakeup(task.clone()));
                    task.fut_waiter.set(Some(waited.clone()));
                    if task.must_cancel.get() {
                        let msg = task.core.cancel_message();
                        if self.cancel_waitable(&waited, msg) {
                            task.must_cancel.set(false);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Run the task's coroutine in its own fiber, from where it paused.
    fn run_task_coroutine(&mut self, task: &Rc<Task>, exc: Option<PyErr>) -> StepOutcome {
        let coroutine = match &task.coro {
            Value::NativeCoroutine(native) => {
                task.started.set(true);
                let resume = exc.map_or(Resume::Send, Resume::Throw);
                return match self.drive_native(native, resume) {
                    Ok(Poll::Ready(v)) => StepOutcome::Returned(v),
                    Ok(Poll::Pending(y)) => StepOutcome::Suspended(y),
                    Err(e) => StepOutcome::Raised(e),
                };
            }
            Value::Coroutine(c) => c.clone(),
            Value::AsyncGenStep(step) => return self.run_async_gen_step_task(task, step, exc),
            _ => return StepOutcome::Raised(exception::type_error("a task needs a coroutine")),
        };
        // The task's fiber becomes the running one.
        std::mem::swap(&mut self.fiber, &mut *task.fiber.borrow_mut());
        let outer_depth = self.outer_depth;
        self.outer_depth += task.fiber.borrow().frames.len() + LOOP_FRAMES;
        let result = if !task.started.replace(true) {
            match self.adopt_detached(&coroutine, exc.clone()) {
                Some(result) => result,
                None => match exc {
                    // Thrown into a coroutine that never started: its body
                    // never runs.
                    Some(e) => {
                        coroutine.start();
                        coroutine.finish();
                        Err(e)
                    }
                    None => match self.push_task_frame(&coroutine) {
                        Ok(()) => self.execute(0),
                        Err(e) => Err(e),
                    },
                },
            }
        } else {
            self.resume_fiber(0, exc)
        };
        self.outer_depth = outer_depth;
        std::mem::swap(&mut self.fiber, &mut *task.fiber.borrow_mut());
        match result {
            Ok(Exit::Returned(v)) => StepOutcome::Returned(v),
            Ok(Exit::Suspended(y)) => StepOutcome::Suspended(y),
            Err(e) => StepOutcome::Raised(e),
        }
    }

    // ----- running jobs -----------------------------------------------------

    fn run_job(&mut self, job: Job) -> PyResult<()> {
        if self.observation.is_some() {
            self.observe_callback_run(&job);
        }
        match job {
            Job::Step(task, exc) => self.task_step(task, exc),
            Job::DoneCallback(callback, future) => self.run_done_callback(callback, future),
            Job::FinalizeAsyncGen(generator) => self.finalize_async_gen(&generator),
            Job::WakeSleeper(future) => {
                // `futures._set_result_unless_cancelled(future, None)`.
                if future.core.done() {
                    return Ok(());
                }
                self.set_result_on(&Waitable::Future(future), Value::None)
            }
            Job::Handle(handle) => {
                if handle.cancelled() {
                    return Ok(());
                }
                match &handle.action {
                    HandleAction::Call { callback, args } => {
                        let (callback, args) = (callback.clone(), args.clone());
                        self.run_callback(&callback, &args)
                    }
                    HandleAction::ReleaseWaiter(waiter, _) => {
                        self.release_waiter(waiter);
                        Ok(())
                    }
                    HandleAction::AsCompletedTimeout(shared) => {
                        let shared = shared.clone();
                        self.as_completed_timeout(&shared)
                    }
                    HandleAction::TimeoutExpired(timeout) => {
                        let timeout = timeout.clone();
                        self.timeout_expired(&timeout);
                        Ok(())
                    }
                }
            }
        }
    }

    fn run_done_callback(&mut self, callback: DoneCallback, future: Waitable) -> PyResult<()> {
        match callback {
            // `Task.__wakeup(future)`.
            DoneCallback::Wakeup(task) => {
                let exc = self.waitable_result(&future).err();
                self.task_step(task, exc)
            }
            DoneCallback::Python(callable) => self.run_callback(&callable, &[future.to_value()]),
            DoneCallback::GatherChild(state) => self.gather_child_done(&state, &future),
            DoneCallback::ReleaseWaiter(waiter) => {
                self.release_waiter(&waiter);
                Ok(())
            }
            DoneCallback::StopLoop => {
                self.event_loop().stopping = true;
                Ok(())
            }
            DoneCallback::WaitCompletion(shared) => {
                self.wait_completion(&shared, &future);
                Ok(())
            }
            DoneCallback::ShieldInner(outer) => self.shield_inner_done(&outer, &future),
            DoneCallback::ShieldOuter(inner) => {
                if let Waitable::Future(outer) = &future {
                    self.shield_outer_done(&inner, outer);
                }
                Ok(())
            }
            DoneCallback::AsCompleted(shared) => self.as_completed_done(&shared, &future),
            DoneCallback::TaskGroupChildDone(group) => {
                self.task_group_child_done(&group, &future);
                Ok(())
            }
        }
    }

    /// `_release_waiter(waiter)`.
    fn release_waiter(&mut self, waiter: &Rc<Future>) {
        if !waiter.core.done() {
            let _ = self.set_result_on(&Waitable::Future(waiter.clone()), Value::None);
        }
    }

    /// Call a Python callback for the loop; an exception in it is reported
    /// (as CPython's loop reports it) and the loop goes on.
    fn run_callback(&mut self, callback: &Value, args: &[Value]) -> PyResult<()> {
        match self.call(callback, args, &[]) {
            Ok(_) => Ok(()),
            Err(e) => {
                let ex = &builtin_types().exceptions;
                if e.is_instance_of(&ex.keyboard_interrupt) || e.is_instance_of(&ex.system_exit) {
                    return Err(e);
                }
                let name = match callback {
                    Value::Function(f) => f.qualname().to_string(),
                    Value::Builtin(b) => b.name.to_string(),
                    other => self.repr(other)?,
                };
                let mut report = format!("Exception in callback {name}()\n");
                report.push_str(&self.format_exception(&e));
                self.output.write_stderr(&report);
                Ok(())
            }
        }
    }

    /// gather's `_done_callback(fut)` (CPython 3.11, `tasks.py`).
    fn gather_child_done(&mut self, state: &Rc<GatherState>, child: &Waitable) -> PyResult<()> {
        state.nfinished.set(state.nfinished.get() + 1);
        let outer = match state.outer() {
            Some(outer) if !outer.core.done() => outer,
            _ => {
                if !child.core().cancelled() {
                    // Mark the exception as retrieved.
                    let _ = child.core().exception();
                }
                return Ok(());
            }
        };
        let outer_w = Waitable::Future(outer.clone());
        if !state.return_exceptions {
            if child.core().cancelled() {
                let exc = child.core().make_cancelled_error();
                return self.set_exception_on(&outer_w, exc);
            }
            if let Ok(Some(exc)) = child.core().exception() {
                return self.set_exception_on(&outer_w, exc);
            }
        }
        if state.nfinished.get() == state.nfuts {
            let mut results = Vec::with_capacity(state.children.len());
            for fut in &state.children {
                let core = fut.core();
                let result = if core.cancelled() {
                    let message = match core.cancel_message() {
                        Value::None => Value::str(""),
                        m => m,
                    };
                    let class = builtin_types().exceptions.cancelled_error.clone();
                    Value::Exception(exception::PyException::new(class, vec![message]))
                } else {
                    match core.exception() {
                        Ok(Some(e)) => Value::Exception(e),
                        _ => core.result().unwrap_or(Value::None),
                    }
                };
                results.push(result);
            }
            if state.cancel_requested.get() {
                let exc = child.core().make_cancelled_error();
                self.set_exception_on(&outer_w, exc)?;
            } else {
                self.set_result_on(&outer_w, Value::list(results))?;
            }
        }
        Ok(())
    }

    /// `asyncio.gather(*aws, return_exceptions=...)`.
    pub(crate) fn gather(&mut self, args: &[Value], return_exceptions: bool) -> PyResult<Value> {
        self.require_loop()?;
        let outer = Future::new();
        if args.is_empty() {
            outer.core.finish_with_result(Value::list(Vec::new()));
            return Ok(Value::Future(outer));
        }
        // CPython's `arg_to_fut`: a repeated argument shares one child.
        // Repeats are rare, and a map from every argument to its child is
        // big when a program gathers 100 000 tasks: look for repeats first.
        let mut identities: Vec<usize> = args.iter().map(Value::identity).collect();
        identities.sort_unstable();
        let repeats = identities.windows(2).any(|pair| pair[0] == pair[1]);
        drop(identities);
        let mut children: Vec<Waitable> = Vec::with_capacity(args.len());
        let mut distinct: Vec<Waitable> = Vec::new();
        let mut seen: rustc_hash::FxHashMap<usize, Waitable> = Default::default();
        for arg in args {
            if let Some(fut) = seen.get(&arg.identity()) {
                children.push(fut.clone());
                continue;
            }
            let fut = self.ensure_future(arg)?;
            if let (Waitable::Task(t), false) = (&fut, matches!(arg, Value::Task(_))) {
                t.log_destroy_pending.set(false);
            }
            if repeats {
                seen.insert(arg.identity(), fut.clone());
                distinct.push(fut.clone());
            }
            children.push(fut);
        }
        let nfuts = if repeats {
            distinct.len()
        } else {
            children.len()
        };
        let state = Rc::new(GatherState {
            outer: Rc::downgrade(&outer),
            children,
            nfuts,
            nfinished: std::cell::Cell::new(0),
            return_exceptions,
            cancel_requested: std::cell::Cell::new(false),
        });
        let targets = if repeats { &distinct } else { &state.children };
        for fut in targets {
            self.add_done_callback(fut, DoneCallback::GatherChild(state.clone()));
        }
        outer.set_gather(state);
        Ok(Value::Future(outer))
    }

    // ----- the loop itself ----------------------------------------------------

    /// One pass of the loop (CPython's `_run_once`).
    pub(crate) fn run_once(&mut self) -> PyResult<()> {
        self.hand_freed_async_gens_to_loop();
        let interrupt = self.interrupt.clone();
        let lp = self.event_loop();
        while lp.timers.peek().is_some_and(Timer::cancelled) {
            lp.timers.pop();
        }
        if lp.ready.is_empty() && !lp.stopping {
            match lp.timers.peek() {
                Some(timer) => {
                    let when = timer.when;
                    let before = self.clock.now();
                    self.clock
                        .wait_until(when, || interrupt.load(Ordering::Relaxed));
                    if self.observation.is_some() {
                        self.observe_clock(before, self.clock.now());
                    }
                }
                None => return Err(self.deadlock()),
            }
        }
        if self.interrupt.swap(false, Ordering::Relaxed) {
            self.on_interrupt()?;
        }
        // The clock is read only when a timer could be due: a pass with an
        // empty timer heap (every `sleep(0)` round, every queue hand-off)
        // has nothing to compare it with.
        let end_time = if self.event_loop().timers.is_empty() {
            f64::NEG_INFINITY
        } else {
            self.clock.now() + CLOCK_RESOLUTION
        };
        loop {
            let lp = self.event_loop();
            if !lp.timers.peek().is_some_and(|t| t.when < end_time) {
                break;
            }
            let timer = lp.timers.pop().expect("peeked");
            let when = timer.when;
            lp.ready.push_back(timer.into_job());
            if self.observation.is_some() {
                self.observe_timer_fired(when);
            }
        }
        let lp = self.event_loop();
        let ntodo = lp.ready.len();
        for _ in 0..ntodo {
            let Some(job) = self.event_loop().next_ready() else {
                break;
            };
            self.run_job(job)?;
            if diagnostics::pending() {
                self.flush_diagnostics();
            }
        }
        Ok(())
    }

    /// Ctrl-C while the loop waits: as CPython's `asyncio.run`, the first
    /// press cancels the main task (so its `finally` blocks run), the second
    /// raises `KeyboardInterrupt` at once.
    fn on_interrupt(&mut self) -> PyResult<()> {
        let lp = self.event_loop();
        lp.interrupts += 1;
        let main = lp.main_task.as_ref().and_then(Weak::upgrade);
        match main {
            Some(task) if lp.interrupts == 1 && !task.core.done() => {
                self.cancel_task(&task, Value::None);
                Ok(())
            }
            _ => Err(crate::vm::keyboard_interrupt()),
        }
    }

    /// `loop.run_until_complete(future)`.
    pub(crate) fn run_until_complete(&mut self, future: &Waitable) -> PyResult<Value> {
        self.add_done_callback(future, DoneCallback::StopLoop);
        let result = loop {
            if let Err(e) = self.run_once() {
                break Err(e);
            }
            if self.event_loop().stopping {
                break Ok(());
            }
        };
        self.event_loop().stopping = false;
        self.remove_done_callback(future, &DoneCallback::StopLoop);
        result?;
        if !future.core().done() {
            return Err(exception::runtime_error(
                "Event loop stopped before Future completed.",
            ));
        }
        self.waitable_result(future)
    }

    /// `asyncio.run(coro)`: a new loop, the coroutine as its main task, and
    /// CPython's shutdown sequence after it (cancel what is left, then the
    /// two shutdown steps, each a task of its own).
    pub(crate) fn asyncio_run(&mut self, coro: Value) -> PyResult<Value> {
        if self.event_loop.is_some() {
            return Err(exception::runtime_error(
                "asyncio.run() cannot be called from a running event loop",
            ));
        }
        if !matches!(coro, Value::Coroutine(_) | Value::NativeCoroutine(_)) {
            let shown = self.repr(&coro)?;
            return Err(exception::value_error(format!(
                "a coroutine was expected, got {shown}"
            )));
        }
        self.loop_counter += 1;
        self.event_loop = Some(Box::new(EventLoop::new(self.loop_counter)));
        let outcome = self.create_task(coro, None).and_then(|task| {
            self.event_loop().main_task = Some(Rc::downgrade(&task));
            let main = Waitable::Task(task);
            let result = self.run_until_complete(&main);
            if let (Err(e), Some(lp)) = (&result, self.event_loop.as_ref()) {
                if lp.interrupts > 0 && is_cancelled_error(e) {
                    return Err(crate::vm::keyboard_interrupt());
                }
            }
            result
        });
        let shutdown = self.shutdown_loop();
        self.event_loop = None;
        self.flush_diagnostics();
        let value = outcome?;
        shutdown?;
        Ok(value)
    }

    /// `Runner.close()`: cancel the tasks still pending and wait for them,
    /// then run the loop's two shutdown coroutines.
    fn shutdown_loop(&mut self) -> PyResult<()> {
        if self.fatal {
            return Ok(());
        }
        // (Whatever that frees, such as an async generator held by a
        // cancelled task's locals, is freed before the next step, as in
        // CPython.)
        self.cancel_all_tasks()?;
        for coro in [
            native::NativeCoroutine::shutdown_asyncgens(),
            native::NativeCoroutine::noop("shutdown_default_executor"),
        ] {
            let task = self.create_task(coro, None)?;
            self.run_until_complete(&Waitable::Task(task))?;
        }
        Ok(())
    }

    /// `asyncio.runners._cancel_all_tasks`: cancel the tasks still pending
    /// and run the loop until they are done.
    fn cancel_all_tasks(&mut self) -> PyResult<()> {
        let to_cancel = self.event_loop().pending_tasks();
        if to_cancel.is_empty() {
            return Ok(());
        }
        for task in &to_cancel {
            self.cancel_task(task, Value::None);
        }
        let args: Vec<Value> = to_cancel.iter().map(|t| Value::Task(t.clone())).collect();
        let gathered = self.gather(&args, true)?;
        if let Some(w) = Waitable::from_value(&gathered) {
            self.run_until_complete(&w)?;
        }
        for task in &to_cancel {
            if task.core.cancelled() {
                continue;
            }
            if let Ok(Some(exc)) = task.core.exception() {
                let mut report =
                    String::from("unhandled exception during asyncio.run() shutdown\n");
                report.push_str(&format!("task: <Task finished name='{}'>\n", task.name()));
                report.push_str(&self.format_exception(&exc));
                self.output.write_stderr(&report);
            }
        }
        Ok(())
    }

    /// Nothing is ready, no timer is set, and the main task is not done:
    /// nothing can ever happen again. CPython would wait forever; apy stops
    /// and says who waits on what.
    fn deadlock(&mut self) -> PyErr {
        let tasks = self.event_loop().pending_tasks();
        let mut report = String::from(
            "apy: deadlock: every task is waiting, and nothing (no ready callback, no timer) can wake any of them.\n",
        );
        for task in &tasks {
            let waits_for = match &task.fut_waiter.get() {
                Some(Waitable::Task(t)) => format!("waits for task {}", t.name()),
                Some(Waitable::Future(f)) if f.is_gather() => {
                    "waits for a gather() that is not finished".to_string()
                }
                Some(Waitable::Future(_)) => match sync_describe::primitive_wait_of(task) {
                    Some(wait) => format!("waits for {}", wait.phrase()),
                    None => "waits for a Future that nothing will finish".to_string(),
                },
                None => "is ready but never scheduled".to_string(),
            };
            let place = task
                .fiber
                .borrow()
                .frames
                .last()
                .map(|f| {
                    format!(
                        " in {}() at {}:{}",
                        f.code().name,
                        f.code().source.name,
                        f.current_line()
                    )
                })
                .unwrap_or_default();
            report.push_str(&format!("  {}{place} {waits_for}\n", task.name()));
        }
        report.push_str("(CPython would wait here forever.)\n");
        self.fatal = true;
        let class = builtin_types().exceptions.apy_deadlock.clone();
        exception::PyException::with_message(class, report)
    }

    /// Print queued asyncio reports (never-retrieved exceptions, ...).
    pub fn flush_diagnostics(&mut self) {
        for report in diagnostics::take() {
            let text = match report {
                diagnostics::Report::NeverRetrieved(what) => {
                    let (future, exception) = match what {
                        diagnostics::Unretrieved::Task {
                            name,
                            coro,
                            file,
                            line,
                            exception,
                        } => {
                            let shown = self.repr(&Value::Exception(exception.clone())).unwrap_or_default();
                            (
                                format!(
                                    "<Task finished name='{name}' coro={} exception={shown}>",
                                    repr::coro_text(&coro, &file, line, "done, defined at")
                                ),
                                exception,
                            )
                        }
                        diagnostics::Unretrieved::Future { exception } => {
                            let shown = self.repr(&Value::Exception(exception.clone())).unwrap_or_default();
                            (format!("<Future finished exception={shown}>"), exception)
                        }
                    };
                    let kind = if future.starts_with("<Task") { "Task" } else { "Future" };
                    format!(
                        "{kind} exception was never retrieved\nfuture: {future}\n{}",
                        self.format_exception(&exception)
                    )
                }
                diagnostics::Report::DestroyedPending {
                    name,
                    coro,
                    file,
                    line,
                } => format!(
                    "Task was destroyed but it is pending!\ntask: <Task pending name='{name}' coro={}>\n",
                    repr::coro_text(&coro, &file, line, "running at")
                ),
                diagnostics::Report::NeverAwaited { qualname } => match self.current_location() {
                    // Code typed at the REPL or given with -c has no
                    // source to show.
                    Some((file, line, None)) => format!(
                        "{file}:{line}: RuntimeWarning: coroutine '{qualname}' was never awaited\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback\n"
                    ),
                    Some((file, line, Some(text))) => format!(
                        "{file}:{line}: RuntimeWarning: coroutine '{qualname}' was never awaited\n  {text}\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback\n"
                    ),
                    None if self.event_loop.as_ref().is_some_and(|l| l.input_location.is_some()) => {
                        let (file, line) = self
                            .event_loop
                            .as_ref()
                            .and_then(|l| l.input_location.clone())
                            .expect("checked");
                        format!(
                            "{file}:{line}: RuntimeWarning: coroutine '{qualname}' was never awaited\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback\n"
                        )
                    }
                    // Freed at exit (kept alive by a traceback): CPython
                    // reports it from `sys`, line 1.
                    None => format!(
                        "sys:1: RuntimeWarning: coroutine '{qualname}' was never awaited\n"
                    ),
                },
            };
            self.output.write_stderr(&text);
        }
    }

    /// The file, line and source text the running frame is at (no text
    /// where CPython has none to show: `-c` code, the REPL).
    fn current_location(&self) -> Option<(Rc<str>, u32, Option<String>)> {
        let frame = self.fiber.frames.last()?;
        let line = frame.current_line();
        let source = &frame.code().source;
        let text = source
            .shows_lines()
            .then(|| source.line_text(line).trim().to_string());
        Some((source.name.clone(), line, text))
    }
}

/// Whether `e` is an `asyncio.CancelledError`.
pub(crate) fn is_cancelled_error(e: &PyErr) -> bool {
    e.is_instance_of(&builtin_types().exceptions.cancelled_error)
}

fn result_error(e: ResultError) -> PyErr {
    match e {
        ResultError::Raise(e) => e,
        ResultError::NotReady(msg) => exception::invalid_state_error(msg),
    }
}

/// `set_result`/`set_exception` on a done future (the C `_asyncio`
/// module's message, which CPython uses).
fn invalid_state(_future: &Waitable) -> PyErr {
    exception::invalid_state_error("invalid state")
}
