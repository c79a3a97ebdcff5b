//! The hooks the event loop calls at its scheduling points. Each is called
//! only when an observer is attached (`if self.observation.is_some()`), and
//! turns the loop's own data (tasks, jobs, timers, futures) into
//! [`EventKind`]s a student can read.

use super::event::{EventKind, Outcome, Resumption, Wait};
use super::observer::SLOW_STEP_SECONDS;
use crate::event_loop::future::Waitable;
use crate::event_loop::handle::{DoneCallback, HandleAction, Job, TimerAction};
use crate::event_loop::is_cancelled_error as is_cancelled;
use crate::event_loop::task::Task;
use crate::vm::object::coroutine::StepMadeBy;
use crate::vm::object::exception::PyErr;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;
use std::time::Instant;

/// How a task's step ended, as the hooks see it.
pub(crate) enum StepEnd<'a> {
    Returned(&'a Value),
    Raised(&'a PyErr),
    Yielded,
    Waiting(&'a Waitable),
}

impl Vm {
    pub(crate) fn observe_task_created(&mut self, task: &Rc<Task>) {
        let Some(id) = self.with_observation(|o| o.register(task)) else {
            return;
        };
        let coroutine = match &task.coro {
            // The awaitable an async generator's method returned.
            Value::AsyncGenStep(step) => format!(
                "{} of {}",
                match step.made_by {
                    StepMadeBy::Asend => "__anext__()",
                    StepMadeBy::Athrow => "athrow()",
                    StepMadeBy::Aclose => "aclose()",
                },
                step.generator.qualname()
            ),
            _ => task.coro_description().0.to_string(),
        };
        let target = super::event::TaskRef {
            id,
            name: task.name().to_string(),
        };
        let line = self.fiber.frames.last().map(|f| f.current_line());
        self.emit(
            line,
            EventKind::TaskCreated {
                target,
                coroutine: format!("{coroutine}()"),
            },
        );
    }

    /// Before the step runs (`task.fut_waiter` still says what woke it).
    pub(crate) fn observe_step_started(&mut self, task: &Rc<Task>, exc: Option<&PyErr>) {
        let target = self.task_ref(task);
        let waited = self
            .with_observation(|o| o.waits.remove(&target.id))
            .flatten();
        let cancelled = exc.is_some_and(|e| {
            e.is_instance_of(
                &crate::vm::object::types::builtin_types()
                    .exceptions
                    .cancelled_error,
            )
        });
        let resumed = match exc {
            _ if !task.started.get() && exc.is_none() => match &task.coro {
                Value::AsyncGenStep(step) if step.made_by == StepMadeBy::Aclose => {
                    Resumption::Closing {
                        generator: step.generator.qualname().to_string(),
                    }
                }
                _ => Resumption::First,
            },
            Some(_) if cancelled => Resumption::Cancelled,
            Some(e) => Resumption::Thrown {
                exception: self.describe_exception(e),
            },
            None => match waited {
                Some(by) => Resumption::Woken { by },
                None => Resumption::AfterYield,
            },
        };
        let line = match (task.fiber.borrow().frames.last(), &task.coro) {
            (Some(frame), _) => Some(frame.current_line()),
            // An async generator's method: where the generator paused.
            (None, Value::AsyncGenStep(step)) => step.generator.paused_line(),
            (None, _) => Some(task.coro_description().2).filter(|&l| l > 0),
        };
        let now = self.clock.now();
        self.with_observation(|o| o.step_began = Some((Instant::now(), now)));
        // The task is about to run: the event belongs to it.
        self.emit_as(
            task,
            line,
            EventKind::StepStarted {
                target: target.clone(),
                resumed,
            },
        );
        if cancelled {
            self.emit_as(task, line, EventKind::CancelDelivered { target });
        }
    }

    /// After the step, before the loop acts on how it ended.
    pub(crate) fn observe_step_ended(&mut self, task: &Rc<Task>, end: StepEnd) {
        let target = self.task_ref(task);
        let line = task.fiber.borrow().frames.last().map(|f| f.current_line());
        if let Some(Some((began, clock))) = self.with_observation(|o| o.step_began.take()) {
            let real = began.elapsed().as_secs_f64();
            let moved = self.clock.now() - clock;
            if moved >= SLOW_STEP_SECONDS || real >= SLOW_STEP_SECONDS {
                let (seconds, real) = if moved >= real {
                    (moved, false)
                } else {
                    (real, true)
                };
                self.emit_as(
                    task,
                    line,
                    EventKind::Blocked {
                        target: target.clone(),
                        seconds,
                        real,
                    },
                );
            }
        }
        if self.fatal {
            // apy is stopping the run (budget, deadlock): the task did not
            // end in any way Python would show.
            return;
        }
        let kind = match end {
            StepEnd::Returned(_) if task.must_cancel.get() => EventKind::TaskDone {
                target,
                outcome: Outcome::Cancelled,
            },
            StepEnd::Returned(value) => {
                let value = self.repr_quietly(value).unwrap_or_default();
                EventKind::TaskDone {
                    target,
                    outcome: Outcome::Returned { value },
                }
            }
            StepEnd::Raised(e) if is_cancelled(e) => EventKind::TaskDone {
                target,
                outcome: Outcome::Cancelled,
            },
            StepEnd::Raised(e) => EventKind::TaskDone {
                target,
                outcome: Outcome::Raised {
                    exception: self.describe_exception(e),
                },
            },
            StepEnd::Yielded => EventKind::Yielded { target },
            StepEnd::Waiting(waited) => {
                let on = self.describe_task_wait(task, waited);
                let id = target.id;
                let remembered = on.clone();
                self.with_observation(|o| o.waits.insert(id, remembered));
                EventKind::Suspended { target, on }
            }
        };
        self.emit_as(task, line, kind);
    }

    /// `call_soon(job)`: a wake-up or a plain callback joins the queue.
    pub(crate) fn observe_scheduled(&mut self, job: &Job) {
        let line = self.running_line();
        let kind = match job {
            Job::DoneCallback(DoneCallback::Wakeup(task), future) => {
                let target = self.task_ref(task);
                let by = self.describe_task_wait(task, future);
                EventKind::Woken { target, by }
            }
            Job::DoneCallback(DoneCallback::Python(callable), _) => EventKind::CallbackScheduled {
                callback: callable_name(callable),
            },
            Job::FinalizeAsyncGen(generator) => EventKind::AsyncGenFreed {
                generator: generator.qualname().to_string(),
            },
            Job::Handle(handle) => match &handle.action {
                HandleAction::Call { callback, .. } => EventKind::CallbackScheduled {
                    callback: callable_name(callback),
                },
                HandleAction::ReleaseWaiter(..)
                | HandleAction::AsCompletedTimeout(_)
                | HandleAction::TimeoutExpired(_) => return,
            },
            _ => return,
        };
        self.emit(line, kind);
    }

    /// The loop is about to run a plain callback.
    pub(crate) fn observe_callback_run(&mut self, job: &Job) {
        let callback = match job {
            Job::DoneCallback(DoneCallback::Python(callable), _) => callable_name(callable),
            Job::Handle(handle) if !handle.cancelled() => match &handle.action {
                HandleAction::Call { callback, .. } => callable_name(callback),
                HandleAction::ReleaseWaiter(..)
                | HandleAction::AsCompletedTimeout(_)
                | HandleAction::TimeoutExpired(_) => return,
            },
            _ => return,
        };
        self.emit(None, EventKind::CallbackRun { callback });
    }

    pub(crate) fn observe_timer_armed(&mut self, when: f64, action: &TimerAction) {
        let purpose = match action {
            TimerAction::WakeSleeper(future) => {
                let key = Rc::as_ptr(future) as usize;
                self.with_observation(|o| o.timed_futures.insert(key, (true, when)));
                "end of asyncio.sleep".to_string()
            }
            TimerAction::Handle(handle) => match &handle.action {
                HandleAction::Call { callback, .. } => format!("call {}", callable_name(callback)),
                HandleAction::ReleaseWaiter(waiter, of) => {
                    let key = Rc::as_ptr(waiter) as usize;
                    self.with_observation(|o| o.timed_futures.insert(key, (false, when)));
                    of.label().to_string()
                }
                HandleAction::AsCompletedTimeout(_) => "as_completed timeout".to_string(),
                HandleAction::TimeoutExpired(_) => "asyncio.timeout() deadline".to_string(),
            },
        };
        let line = self.running_line();
        self.emit(line, EventKind::TimerArmed { when, purpose });
    }

    /// A due timer's job was just put at the back of the ready queue.
    pub(crate) fn observe_timer_fired(&mut self, when: f64) {
        let purpose = match self.event_loop.as_ref().and_then(|l| l.ready_jobs().last()) {
            Some(Job::WakeSleeper(f)) if f.core.done() => return,
            Some(Job::WakeSleeper(_)) => "end of asyncio.sleep".to_string(),
            Some(Job::Handle(handle)) if handle.cancelled() => return,
            Some(Job::Handle(handle)) => match &handle.action {
                HandleAction::Call { callback, .. } => format!("call {}", callable_name(callback)),
                HandleAction::ReleaseWaiter(_, of) => of.label().to_string(),
                HandleAction::AsCompletedTimeout(_) => "as_completed timeout".to_string(),
                HandleAction::TimeoutExpired(_) => "asyncio.timeout() deadline".to_string(),
            },
            _ => return,
        };
        self.emit(None, EventKind::TimerFired { when, purpose });
    }

    /// `await coro()` started a coroutine inside the running task.
    pub(crate) fn observe_coroutine_awaited(&mut self) {
        let Some(frame) = self.fiber.frames.last() else {
            return;
        };
        let function = format!("{}()", frame.code().qualname);
        let line = self
            .fiber
            .frames
            .len()
            .checked_sub(2)
            .map(|i| self.fiber.frames[i].current_line());
        self.emit(line, EventKind::AwaitedCoroutine { function });
    }

    /// A blocking call (`time.sleep`) is about to hold the loop; flagged
    /// only inside a task, where other tasks could have run.
    pub(crate) fn observe_blocking_call(&mut self, function: &str, seconds: f64) {
        let Some(line) = self.running_line() else {
            return;
        };
        self.emit(
            Some(line),
            EventKind::BlockingCall {
                function: function.to_string(),
                seconds,
            },
        );
    }

    pub(crate) fn observe_clock(&mut self, from: f64, to: f64) {
        if to > from {
            self.emit(None, EventKind::ClockAdvanced { from, to });
        }
    }

    pub(crate) fn observe_cancel_requested(&mut self, task: &Rc<Task>) {
        let target = self.task_ref(task);
        let line = self.running_line();
        self.emit(line, EventKind::CancelRequested { target });
    }

    /// A future finished; asyncio's own timed futures are left out (the
    /// timer and the wake-up already say it).
    pub(crate) fn observe_future_done(&mut self, future: &Waitable) {
        let Waitable::Future(f) = future else {
            return;
        };
        let key = Rc::as_ptr(f) as usize;
        // Done: forget it (its address may be reused by a new future).
        let timed = self
            .with_observation(|o| o.timed_futures.remove(&key))
            .flatten();
        if timed.is_some() {
            // asyncio's own futures (a sleep's, wait_for's waiter): the
            // timer and the wake-up already tell the story.
            return;
        }
        let core = &f.core;
        let outcome = if core.cancelled() {
            "cancelled".to_string()
        } else if let Some(e) = core.peek_exception() {
            format!("raised {}", self.describe_exception(&e))
        } else {
            match core.result() {
                Ok(v) => format!("result {}", self.repr_quietly(&v).unwrap_or_default()),
                Err(_) => String::new(),
            }
        };
        let described = self.describe_wait(future);
        let line = self.running_line();
        self.emit(
            line,
            EventKind::FutureDone {
                future: described,
                outcome,
            },
        );
    }

    /// What `task` waiting on `waited` means: a lock, queue, ... when it
    /// waits in one of their methods, else whatever `waited` is.
    pub(crate) fn describe_task_wait(&mut self, task: &Rc<Task>, waited: &Waitable) -> Wait {
        match crate::event_loop::sync_describe::primitive_wait_of(task) {
            Some(p) => Wait::Primitive {
                what: match &p.name {
                    Some(name) => format!("{} {name}", p.kind),
                    None => format!("a {}", p.kind),
                },
                until: p.until,
                state: p.state,
                waker: p.waker,
            },
            None => self.describe_wait(waited),
        }
    }

    /// What waiting on `waited` means, in the event's terms.
    pub(crate) fn describe_wait(&mut self, waited: &Waitable) -> Wait {
        match waited {
            Waitable::Task(t) => Wait::Task {
                task: self.task_ref(t),
            },
            Waitable::Future(f) => {
                if let Some(state) = &f.gather() {
                    return Wait::Gather {
                        children: state.children.len(),
                    };
                }
                let key = Rc::as_ptr(f) as usize;
                match self
                    .with_observation(|o| o.timed_futures.get(&key).copied())
                    .flatten()
                {
                    Some((true, until)) => Wait::Sleep { until },
                    Some((false, until)) => Wait::WaitFor { until: Some(until) },
                    None => Wait::Future,
                }
            }
        }
    }

    pub(crate) fn task_ref(&mut self, task: &Rc<Task>) -> super::event::TaskRef {
        self.with_observation(|o| o.task_ref(task))
            .unwrap_or_else(|| super::event::TaskRef {
                id: 0,
                name: task.name().to_string(),
            })
    }

    /// `ValueError('boom')`, as `repr` shows an exception.
    fn describe_exception(&mut self, e: &PyErr) -> String {
        self.repr_quietly(&Value::Exception(e.clone()))
            .unwrap_or_else(|_| e.class.name.to_string())
    }

    /// Emit an event that belongs to `task` (stamped with its name even
    /// between steps).
    fn emit_as(&mut self, task: &Rc<Task>, line: Option<u32>, kind: EventKind) {
        self.emit_named(Some(task.name().to_string()), line, kind);
    }
}

/// The name a student wrote for a callback.
fn callable_name(callable: &Value) -> String {
    match callable {
        Value::Function(f) => f.qualname().to_string(),
        Value::Builtin(b) => b.name.to_string(),
        other => other.type_name().to_string(),
    }
}
