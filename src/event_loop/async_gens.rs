//! Async generators and the loop: CPython's `firstiter` and `finalizer`
//! hooks, the tasks that close async generators, and `shutdown_asyncgens`.
//!
//! An async generator's cleanup (its `finally` blocks) may `await`, so it
//! cannot run where the generator is freed, as a generator's does. CPython
//! hands it to the running loop instead:
//!
//! - its first `__anext__()` (or `asend`, `athrow`, `aclose`) registers it
//!   with the loop ([`EventLoop::register_async_gen`], the `firstiter`
//!   hook);
//! - freed before it finished (an `async for` left with `break`), it is
//!   revived and queued (see the `Drop` of `Coroutine`), and the loop
//!   schedules `loop.create_task(agen.aclose())`
//!   ([`Vm::hand_freed_async_gens_to_loop`], the `finalizer` hook): its
//!   cleanup runs in a task of its own, a few loop passes later;
//! - at the end of `asyncio.run`, after the remaining tasks are cancelled,
//!   `shutdown_asyncgens` closes those still alive, all at once with
//!   `gather`.
//!
//! Such a task's coroutine is the `aclose()` awaitable itself, with the
//! generator's frame at the bottom of the task's fiber
//! ([`Vm::run_async_gen_step_task`]); so is a task made with
//! `create_task(agen.__anext__())`.

use super::future::{Future, Waitable};
use super::native::{Poll, Resume, Yielded};
use super::task::Task;
use super::{EventLoop, StepOutcome, LOOP_FRAMES};
use crate::event_loop::handle::Job;
use crate::vm::generators::{async_gen_step, StepStart};
use crate::vm::object::coroutine::{
    self as coroutine, AsyncGenAction, AsyncGenStep, Coroutine, StepMadeBy,
};
use crate::vm::object::exception::{self, PyErr, PyResult};
use crate::vm::object::types::builtin_types;
use crate::vm::value::Value;
use crate::vm::{Exit, Vm};
use std::rc::{Rc, Weak};

impl EventLoop {
    /// The `firstiter` hook: remember an async generator, to close it at
    /// shutdown. (Dead entries are dropped whenever the list would grow.)
    pub fn register_async_gen(&mut self, generator: &Rc<Coroutine>) {
        if self.async_gens.len() == self.async_gens.capacity() {
            self.async_gens.retain(|g| g.strong_count() > 0);
        }
        self.async_gens.push(Rc::downgrade(generator));
    }
}

impl Vm {
    /// Hand the async generators freed since the last check to the loop,
    /// if there are any (one flag load otherwise).
    #[inline(always)]
    pub(crate) fn hand_freed_async_gens_to_loop(&mut self) {
        if coroutine::any_finalizing() {
            self.schedule_async_gen_finalizers();
        }
    }

    /// The loop's `finalizer` hook, for each async generator freed
    /// unfinished since the last call (see the `Drop` of `Coroutine`):
    /// `call_soon_threadsafe(create_task, agen.aclose())`, queued in the
    /// order they were freed. It runs before anything else joins the ready
    /// queue, and at the start of each pass, so the order is the one
    /// CPython's reference counting gives.
    #[cold]
    #[inline(never)]
    fn schedule_async_gen_finalizers(&mut self) {
        let freed = coroutine::take_finalizing();
        // With no loop (it closed), they are just freed, as CPython's
        // closed loop drops the handles.
        if self.event_loop.is_none() {
            return;
        }
        for generator in freed {
            let job = Job::FinalizeAsyncGen(generator);
            if self.observation.is_some() {
                self.observe_scheduled(&job);
            }
            self.event_loop().ready.push_back(job);
        }
    }

    /// The job the finalizer hook queued: `loop.create_task(agen.aclose())`.
    pub(crate) fn finalize_async_gen(&mut self, generator: &Rc<Coroutine>) -> PyResult<()> {
        let aclose = async_gen_step(generator, AsyncGenAction::Close);
        self.create_task(aclose, None).map(|_| ())
    }

    /// A step of a task whose coroutine is an async generator's
    /// `__anext__()`, `asend()`, `athrow()` or `aclose()` awaitable (as the
    /// tasks the loop makes to close freed async generators are): the
    /// generator's frame is the bottom frame of the task's fiber. As
    /// CPython's awaitable objects do, this turns what the generator does
    /// into what the awaitable gives: a yield is the result (or, for
    /// `aclose()`, an error); the end of the body is `StopAsyncIteration`
    /// (or, for `aclose()`, the result `None`, as is `GeneratorExit`).
    pub(super) fn run_async_gen_step_task(
        &mut self,
        task: &Rc<Task>,
        step: &Rc<AsyncGenStep>,
        exc: Option<PyErr>,
    ) -> StepOutcome {
        let generator = step.generator.clone();
        let closing = step.made_by == StepMadeBy::Aclose;
        std::mem::swap(&mut self.fiber, &mut *task.fiber.borrow_mut());
        let outer_depth = self.outer_depth;
        self.outer_depth += LOOP_FRAMES;
        task.started.set(true);
        let result = if !self.fiber.frames.is_empty() {
            // Paused in an `await` inside the generator. (In CPython 3.11
            // an awaitable thrown into before it started has still not
            // started, and its first `send()` is what starts it: for
            // `aclose()`, by throwing `GeneratorExit` in right there.)
            let pending = if exc.is_none() {
                step.action.borrow_mut().take()
            } else {
                None
            };
            let exc = match pending {
                Some(AsyncGenAction::Close) => {
                    generator.mark_closed();
                    Some(exception::exception_without_args(
                        builtin_types().exceptions.generator_exit.clone(),
                    ))
                }
                Some(AsyncGenAction::Throw(error)) => Some(error),
                Some(AsyncGenAction::Send(_)) | None => exc,
            };
            self.resume_fiber(0, exc).map(Some)
        } else {
            // The slot that receives what the generator yields.
            self.fiber.push(Value::None);
            let started = match exc {
                Some(error) => self.throw_into_async_gen_task(&generator, error),
                None => match step.action.borrow_mut().take() {
                    Some(action) => self.start_async_gen_step(&generator, action, true),
                    None => Err(exception::runtime_error(
                        "cannot reuse already awaited __anext__()/asend()",
                    )),
                },
            };
            match started {
                Ok(StepStart::Resumed) => self.execute(0).map(Some),
                Ok(StepStart::Throw(error)) => self
                    .unwind(error, 0)
                    .and_then(|()| self.execute(0))
                    .map(Some),
                // Done without running the generator: the value is the
                // result as it is.
                Ok(StepStart::Finished(_)) => {
                    self.fiber.pop().discard();
                    Ok(None)
                }
                Err(e) => {
                    self.fiber.pop().discard();
                    Err(e)
                }
            }
        };
        self.outer_depth = outer_depth;
        std::mem::swap(&mut self.fiber, &mut *task.fiber.borrow_mut());
        let ex = &builtin_types().exceptions;
        match result {
            Ok(None) => StepOutcome::Returned(Value::None),
            Ok(Some(Exit::Suspended(yielded))) => StepOutcome::Suspended(yielded),
            // The generator yielded (its frame left the fiber, paused).
            Ok(Some(Exit::Returned(_))) if closing && generator.is_suspended() => {
                StepOutcome::Raised(exception::runtime_error(
                    "async generator ignored GeneratorExit",
                ))
            }
            Ok(Some(Exit::Returned(value))) if generator.is_suspended() => {
                StepOutcome::Returned(value)
            }
            // The body ended.
            Ok(Some(Exit::Returned(_))) if closing => StepOutcome::Returned(Value::None),
            Ok(Some(Exit::Returned(_))) => StepOutcome::Raised(exception::exception_without_args(
                ex.stop_async_iteration.clone(),
            )),
            Err(e)
                if closing
                    && (e.is_instance_of(&ex.generator_exit)
                        || e.is_instance_of(&ex.stop_async_iteration)) =>
            {
                StepOutcome::Returned(Value::None)
            }
            Err(e) => StepOutcome::Raised(e),
        }
    }

    /// `loop.shutdown_asyncgens()`, started: `aclose()` every registered
    /// async generator still alive, gathered (`return_exceptions=True`).
    /// `None` when there is none (the coroutine returns at once).
    pub(crate) fn start_shutdown_asyncgens(&mut self) -> PyResult<Option<ClosingAsyncGens>> {
        let generators: Vec<Rc<Coroutine>> = match self.event_loop.as_mut() {
            Some(event_loop) => event_loop
                .async_gens
                .drain(..)
                .filter_map(|g| Weak::upgrade(&g))
                .collect(),
            None => Vec::new(),
        };
        if generators.is_empty() {
            return Ok(None);
        }
        let closers: Vec<Value> = generators
            .iter()
            .map(|g| async_gen_step(g, AsyncGenAction::Close))
            .collect();
        let Value::Future(gathered) = self.gather(&closers, true)? else {
            return Err(exception::runtime_error("gather() made no future"));
        };
        Ok(Some(ClosingAsyncGens {
            generators,
            gathered,
        }))
    }

    /// `shutdown_asyncgens()` after its `await gather(...)`: report each
    /// generator whose `aclose()` raised an `Exception`, as the loop's
    /// default exception handler does.
    pub(crate) fn finish_shutdown_asyncgens(&mut self, closing: &ClosingAsyncGens) -> PyResult<()> {
        let results = self.waitable_result(&Waitable::Future(closing.gathered.clone()))?;
        let Value::List(results) = results else {
            return Ok(());
        };
        let results: Vec<Value> = results.items.borrow().to_vec();
        let exception_class = builtin_types().exceptions.exception.clone();
        for (result, generator) in results.iter().zip(&closing.generators) {
            let Value::Exception(error) = result else {
                continue;
            };
            if !error.is_instance_of(&exception_class) {
                continue;
            }
            let shown = self.repr(&Value::Generator(generator.clone()))?;
            let report = format!(
                "an error occurred during closing of asynchronous generator {shown}\nasyncgen: {shown}\n{}",
                self.format_exception(error)
            );
            self.output.write_stderr(&report);
        }
        Ok(())
    }
}

/// `shutdown_asyncgens()` while it awaits the `aclose()` of every async
/// generator it found.
pub struct ClosingAsyncGens {
    generators: Vec<Rc<Coroutine>>,
    gathered: Rc<Future>,
}

impl ClosingAsyncGens {
    /// What the coroutine waits for.
    pub fn waiting(&self) -> Yielded {
        Yielded::Waiting(Waitable::Future(self.gathered.clone()))
    }
}

/// One step of `shutdown_asyncgens()` (driven as a native coroutine).
pub(crate) fn step_shutdown(
    vm: &mut Vm,
    closing: Option<ClosingAsyncGens>,
    resume: Resume,
) -> (Option<ClosingAsyncGens>, PyResult<Poll>) {
    if let Resume::Throw(e) = resume {
        return (None, Err(e));
    }
    match closing {
        None => match vm.start_shutdown_asyncgens() {
            Ok(None) => (None, Ok(Poll::Ready(Value::None))),
            Ok(Some(closing)) => {
                let waiting = closing.waiting();
                (Some(closing), Ok(Poll::Pending(waiting)))
            }
            Err(e) => (None, Err(e)),
        },
        Some(closing) => {
            let outcome = vm.finish_shutdown_asyncgens(&closing);
            (None, outcome.map(|()| Poll::Ready(Value::None)))
        }
    }
}
