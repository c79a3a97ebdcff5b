//! The event loop of the REPL: one loop that stays alive across inputs, as
//! in `python -m asyncio`.
//!
//! `asyncio.run` makes a loop, runs one coroutine on it and closes it. At
//! the prompt the loop must outlive each input instead: a task created by
//! one input goes on running while the user types the next. So the REPL
//! starts the loop once ([`Vm::start_interactive_loop`]) and then, for each
//! input,
//!
//! - runs plain code directly, with the loop running (so `create_task`
//!   works, as in `python -m asyncio`, where each input is a loop callback);
//! - wraps code that awaits at its top level (compiled as a coroutine, see
//!   `compiler::Mode::Interactive`) in a task, and runs the loop until that
//!   task is done ([`Vm::run_interactive_input`]).
//!
//! Between inputs, while the user types, the REPL calls
//! [`Vm::run_in_background`] whenever something is ready or a timer is due;
//! [`Vm::next_timer_delay`] says how long it may wait for input before that.
//!
//! A pass of this loop is CPython's `_run_once`, as [`Vm::run_once`] is; it
//! can also describe each task step as it happens (the REPL's `:trace on`),
//! from the loop's own state.

use super::future::Waitable;
use super::handle::{DoneCallback, Job, Timer, TimerAction};
use super::task::Task;
use super::{diagnostics, is_cancelled_error, EventLoop, CLOCK_RESOLUTION};
use crate::bytecode::code::{Code, CodeKind};
use crate::event_loop::clock::ClockKind;
use crate::vm::globals::Globals;
use crate::vm::object::coroutine::Coroutine;
use crate::vm::object::exception::PyResult;
use crate::vm::object::function::Function;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;
use std::sync::atomic::Ordering;

/// One line of the REPL's `:tasks` listing.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskSummary {
    pub name: String,
    /// `not started`, `ready`, or `waiting`.
    pub state: &'static str,
    /// What it waits for (`asyncio.sleep() until t=2.000`, `task Task-3`).
    pub awaiting: String,
    /// Where it is: `f() at <stdin>:3`.
    pub location: String,
}

impl Vm {
    /// Start the loop that the REPL keeps for the whole session.
    pub fn start_interactive_loop(&mut self) {
        if self.event_loop.is_none() {
            self.loop_counter += 1;
            self.event_loop = Some(Box::new(EventLoop::new(self.loop_counter)));
        }
    }

    /// Run one compiled REPL input. Code that awaits at its top level runs
    /// as a task, and the loop runs until it is done; other code runs at
    /// once. Either way the loop keeps running afterwards.
    pub fn run_interactive_input(
        &mut self,
        code: Rc<Code>,
        globals: Rc<Globals>,
        trace: bool,
    ) -> PyResult<()> {
        self.start_interactive_loop();
        self.event_loop().interrupts = 0;
        let last_line = code.lines.iter().copied().max().unwrap_or(1);
        self.event_loop().input_location = Some((code.source.name.clone(), last_line));
        let result = self.run_input_code(code, globals, trace);
        self.event_loop().input_location = None;
        result
    }

    fn run_input_code(
        &mut self,
        code: Rc<Code>,
        globals: Rc<Globals>,
        trace: bool,
    ) -> PyResult<()> {
        if code.kind != CodeKind::Coroutine {
            return self.run_module(code, globals).map(|_| ());
        }
        let nlocals = code.nlocals();
        let function = Rc::new(Function::of_module(code, globals));
        let coroutine = Value::Coroutine(Coroutine::new(function, vec![Value::Undefined; nlocals]));
        let task = self.create_task(coroutine, None)?;
        self.event_loop().main_task = Some(Rc::downgrade(&task));
        let result = self.run_until_done(&task, trace);
        let interrupted = self.event_loop().interrupts > 0;
        self.event_loop().main_task = None;
        if task.core.done() && !task.core.cancelled() {
            // Whatever it raised is reported here: it was retrieved.
            let _ = task.core.exception();
        }
        if crate::event_loop::diagnostics::pending() {
            self.flush_diagnostics();
        }
        self.output.flush();
        match result {
            Err(e) if interrupted && is_cancelled_error(&e) => Err(crate::vm::keyboard_interrupt()),
            other => other.map(|_| ()),
        }
    }

    /// Run the loop until `task` is done. When nothing could ever finish
    /// it, report the deadlock (CPython would hang until Ctrl-C) and cancel
    /// the task, so the session goes on.
    fn run_until_done(&mut self, task: &Rc<Task>, trace: bool) -> PyResult<Value> {
        loop {
            if task.core.done() {
                return self.waitable_result(&Waitable::Task(task.clone()));
            }
            let lp = self.event_loop();
            while lp.timers.peek().is_some_and(Timer::cancelled) {
                lp.timers.pop();
            }
            if lp.ready.is_empty() && lp.timers.is_empty() {
                let report = self.deadlock();
                self.fatal = false;
                self.cancel_task(task, Value::None);
                // Let the cancellation reach it, so its `finally` blocks run.
                while !task.core.done() && !self.event_loop().ready.is_empty() {
                    self.interactive_pass(trace, false)?;
                }
                return Err(report);
            }
            self.interactive_pass(trace, true)?;
        }
    }

    /// While the user types: run what is ready and the timers that are due,
    /// without waiting for anything.
    pub fn run_in_background(&mut self, trace: bool) -> PyResult<()> {
        if self.event_loop.is_none() {
            return Ok(());
        }
        // A bounded number of passes, so a task that yields forever
        // (`while True: await asyncio.sleep(0)`) cannot starve the prompt.
        for _ in 0..64 {
            if !self.background_work_due() {
                break;
            }
            self.interactive_pass(trace, false)?;
        }
        Ok(())
    }

    /// Whether a job is ready or a timer is due now.
    pub fn background_work_due(&mut self) -> bool {
        self.hand_freed_async_gens_to_loop();
        let now = self.clock.now() + CLOCK_RESOLUTION;
        let Some(lp) = self.event_loop.as_mut() else {
            return false;
        };
        while lp.timers.peek().is_some_and(Timer::cancelled) {
            lp.timers.pop();
        }
        !lp.ready.is_empty() || lp.timers.peek().is_some_and(|t| t.when < now)
    }

    /// Seconds until the next timer is due, if the loop has one and the
    /// clock is real (the virtual clock moves only while an input runs).
    pub fn next_timer_delay(&mut self) -> Option<f64> {
        if self.clock.kind() != ClockKind::Real {
            return None;
        }
        let now = self.clock.now();
        let lp = self.event_loop.as_mut()?;
        while lp.timers.peek().is_some_and(Timer::cancelled) {
            lp.timers.pop();
        }
        lp.timers.peek().map(|t| (t.when - now).max(0.0))
    }

    /// Whether the loop has tasks not done or timers armed.
    pub fn loop_has_work(&mut self) -> bool {
        self.hand_freed_async_gens_to_loop();
        let Some(lp) = self.event_loop.as_mut() else {
            return false;
        };
        while lp.timers.peek().is_some_and(Timer::cancelled) {
            lp.timers.pop();
        }
        !lp.ready.is_empty() || !lp.timers.is_empty() || !lp.pending_tasks().is_empty()
    }

    /// The tasks that are not done, for `:tasks`.
    pub fn task_summaries(&mut self) -> Vec<TaskSummary> {
        let Some(lp) = self.event_loop.as_mut() else {
            return Vec::new();
        };
        let tasks = lp.pending_tasks();
        tasks
            .iter()
            .map(|task| {
                let waiter = task.fut_waiter.get();
                let (state, awaiting) = match (&waiter, task.started.get()) {
                    (_, false) => ("not started", String::from("-")),
                    (Some(w), true) => ("waiting", self.describe_task_waitable(task, w)),
                    (None, true) => ("ready", String::from("-")),
                };
                TaskSummary {
                    name: task.name().to_string(),
                    state,
                    awaiting,
                    location: task_location(task),
                }
            })
            .collect()
    }

    /// What `task` waits for, in words: a lock or queue when it waits in
    /// one of their methods.
    fn describe_task_waitable(&self, task: &Task, waitable: &Waitable) -> String {
        match super::sync_describe::primitive_wait_of(task) {
            Some(wait) => wait.phrase(),
            None => self.describe_waitable(waitable),
        }
    }

    /// What a task waits for, in words.
    fn describe_waitable(&self, waitable: &Waitable) -> String {
        match waitable {
            Waitable::Task(t) => format!("task {}", t.name()),
            Waitable::Future(f) if f.is_gather() => "gather()".to_string(),
            Waitable::Future(f) => {
                let timer = self.event_loop.as_ref().and_then(|lp| {
                    lp.timers.iter().find(|timer| match &timer.action {
                        TimerAction::WakeSleeper(sleeper) => Rc::ptr_eq(sleeper, f),
                        TimerAction::Handle(_) => false,
                    })
                });
                match timer {
                    Some(timer) => format!("asyncio.sleep() until t={:.3}", timer.when),
                    None => "a Future".to_string(),
                }
            }
        }
    }

    /// One pass of the loop (CPython's `_run_once`); `may_wait` lets it
    /// wait for the next timer when nothing is ready. With `trace`, each
    /// task step is described on the output as it happens.
    fn interactive_pass(&mut self, trace: bool, may_wait: bool) -> PyResult<()> {
        self.hand_freed_async_gens_to_loop();
        let interrupt = self.interrupt.clone();
        let lp = self.event_loop();
        while lp.timers.peek().is_some_and(Timer::cancelled) {
            lp.timers.pop();
        }
        if lp.ready.is_empty() && may_wait {
            if let Some(timer) = lp.timers.peek() {
                let when = timer.when;
                self.clock
                    .wait_until(when, || interrupt.load(Ordering::Relaxed));
            }
        }
        if self.interrupt.swap(false, Ordering::Relaxed) {
            self.on_interrupt()?;
        }
        let end_time = self.clock.now() + CLOCK_RESOLUTION;
        let lp = self.event_loop();
        while lp.timers.peek().is_some_and(|t| t.when < end_time) {
            let timer = lp.timers.pop().expect("peeked");
            lp.ready.push_back(timer.into_job());
        }
        let ntodo = lp.ready.len();
        for _ in 0..ntodo {
            let Some(job) = self.event_loop().ready.pop_front() else {
                break;
            };
            let stepped = match &job {
                Job::Step(task, _) | Job::DoneCallback(DoneCallback::Wakeup(task), _) => {
                    Some(task.clone())
                }
                _ => None,
            };
            if trace {
                let what = match (&job, &stepped) {
                    (_, Some(task)) if !task.started.get() => {
                        Some(format!("{} starts", task.name()))
                    }
                    (Job::DoneCallback(_, waited), Some(task)) => Some(format!(
                        "{} wakes up: {} is done",
                        task.name(),
                        self.describe_done(waited)
                    )),
                    (_, Some(task)) => Some(format!("{} runs", task.name())),
                    (Job::WakeSleeper(_), None) => {
                        Some("a timer fires: an asyncio.sleep() ends".to_string())
                    }
                    (Job::Handle(_), None) => {
                        Some("a callback runs (call_soon / call_later)".to_string())
                    }
                    _ => None,
                };
                if let Some(what) = what {
                    let line = format!("{} {what}\n", self.trace_time());
                    self.write_trace(&line);
                }
            }
            let result = self.run_job(job);
            if trace {
                if let Some(task) = &stepped {
                    let line = format!("{} {}\n", self.trace_time(), self.after_step(task));
                    self.write_trace(&line);
                }
            }
            result?;
            if diagnostics::pending() {
                self.flush_diagnostics();
            }
        }
        Ok(())
    }

    /// What finished, for a task that wakes up because of it.
    fn describe_done(&self, waited: &Waitable) -> String {
        match waited {
            Waitable::Task(t) => format!("task {}", t.name()),
            Waitable::Future(f) if f.is_gather() => "gather()".to_string(),
            Waitable::Future(_) => "the Future it awaited".to_string(),
        }
    }

    fn trace_time(&self) -> String {
        format!("[trace t={:.3}]", self.clock.now())
    }

    fn write_trace(&mut self, line: &str) {
        self.output.write_stdout(line);
        self.output.flush();
    }

    /// What a task did in the step it just ran.
    fn after_step(&mut self, task: &Rc<Task>) -> String {
        let name = task.name();
        if task.core.cancelled() {
            return format!("{name} is cancelled");
        }
        if task.core.done() {
            return match task.core.peek_exception() {
                Some(exc) => format!("{name} is done: raised {}", exc.class.name),
                None => format!("{name} is done"),
            };
        }
        let waiter = task.fut_waiter.get();
        match waiter {
            Some(w) => format!(
                "{name} pauses at {}, waiting for {}",
                task_location(task),
                self.describe_task_waitable(task, &w)
            ),
            None => format!(
                "{name} pauses at {} and is ready again (sleep(0))",
                task_location(task)
            ),
        }
    }
}

/// `f() at <stdin>:3`: the innermost frame of a task that is not running.
fn task_location(task: &Task) -> String {
    task.fiber
        .borrow()
        .frames
        .last()
        .map(|f| {
            format!(
                "{}() at {}:{}",
                f.code().name,
                f.code().source.name,
                f.current_line()
            )
        })
        .unwrap_or_else(|| "-".to_string())
}
