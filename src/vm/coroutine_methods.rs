//! `coro.send(value)`, `coro.throw(exc)` and `coro.close()`: driving a
//! coroutine by hand, as a task does, and as lessons about what `await`
//! does under the hood do:
//!
//! ```python
//! c = main()
//! c.send(None)   # runs main() to its first pause; returns what it waits for
//! ```
//!
//! A task runs its coroutine's frames on a fiber of its own; a coroutine
//! driven by hand gets one the same way. `send` swaps that fiber in and runs
//! it until the coroutine returns (raising `StopIteration(value)`, as
//! CPython does), raises, or pauses at an `await` of something not done.
//! Paused, its frames (and those of the coroutines it awaits) stay in the
//! fiber, kept in the coroutine as [`CoroutineState::Detached`], and `send`
//! hands back what a task would have waited for: the future itself (what
//! `Future.__await__` yields), or `None` for `asyncio.sleep(0)`'s bare
//! yield.

use super::frame::FrameKind;
use super::generators::{stop_iteration_with, GeneratorStep};
use super::object::coroutine::{Coroutine, CoroutineState, Detached};
use super::object::exception::{self, PyErr, PyResult};
use super::object::types::builtin_types;
use super::value::Value;
use super::{Exit, Vm};
use crate::event_loop::native::Yielded;
use crate::symbol::{sym, Symbol};
use std::rc::Rc;

/// The methods of a coroutine object.
pub const COROUTINE_METHODS: &[Symbol] = &[sym::send, sym::throw, sym::close];

/// What the hand resumes a coroutine with.
enum ByHand {
    Send(Value),
    Throw(PyErr),
}

impl Vm {
    /// Methods of coroutine objects.
    pub(crate) fn coroutine_method(
        &mut self,
        coroutine: &Rc<Coroutine>,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        let count = |min: usize, max: usize| {
            super::methods::arity("coroutine", &name.text(), args, kwargs, min, max)
        };
        let step = match name {
            sym::send => count(1, 1)
                .and_then(|_| self.drive_by_hand(coroutine, ByHand::Send(args[0].clone()))),
            sym::throw => count(1, 3).and_then(|_| {
                let error = self.exception_to_throw(&args[0])?;
                self.drive_by_hand(coroutine, ByHand::Throw(error))
            }),
            sym::close => {
                return Some(
                    count(0, 0)
                        .and_then(|_| self.close_coroutine(coroutine))
                        .map(|()| Value::None),
                )
            }
            _ => return None,
        };
        Some(step.and_then(|step| match step {
            GeneratorStep::Yielded(v) => Ok(v),
            GeneratorStep::Returned(v) => Err(stop_iteration_with(v)),
        }))
    }

    /// `coro.close()`: throw `GeneratorExit` in where it paused; fine if it
    /// leaves as that (or returns), an error if it awaits again. A
    /// coroutine never started just ends (and is not reported as never
    /// awaited).
    pub(crate) fn close_coroutine(&mut self, coroutine: &Rc<Coroutine>) -> PyResult<()> {
        let detached = match &*coroutine.state.borrow() {
            CoroutineState::Created(_) | CoroutineState::Finished => None,
            CoroutineState::Detached(_) => Some(()),
            CoroutineState::Running | CoroutineState::Suspended { .. } => {
                return Err(exception::value_error("coroutine already executing"))
            }
        };
        if detached.is_none() {
            coroutine.finish();
            return Ok(());
        }
        let exit_class = builtin_types().exceptions.generator_exit.clone();
        let exit = exception::exception_without_args(exit_class.clone());
        match self.drive_by_hand(coroutine, ByHand::Throw(exit)) {
            Ok(GeneratorStep::Yielded(_)) => {
                Err(exception::runtime_error("coroutine ignored GeneratorExit"))
            }
            Ok(GeneratorStep::Returned(_)) => Ok(()),
            Err(e) if e.is_instance_of(&exit_class) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// A task's first step, for a coroutine already started by hand: the
    /// task adopts its paused frames and goes on from there, as CPython's
    /// first `coro.send(None)` does. `None` if it was not so started.
    pub(crate) fn adopt_detached(
        &mut self,
        coroutine: &Rc<Coroutine>,
        exc: Option<PyErr>,
    ) -> Option<PyResult<Exit>> {
        if !coroutine.is_detached() {
            return None;
        }
        let taken = std::mem::replace(&mut *coroutine.state.borrow_mut(), CoroutineState::Running);
        let CoroutineState::Detached(paused) = taken else {
            unreachable!("checked above");
        };
        let (fiber, exc) = reattach(coroutine, *paused, exc);
        self.fiber = fiber;
        Some(self.resume_fiber(0, exc))
    }

    /// Run a coroutine by hand until it returns, raises, or pauses.
    fn drive_by_hand(
        &mut self,
        coroutine: &Rc<Coroutine>,
        resume: ByHand,
    ) -> PyResult<GeneratorStep> {
        let taken = std::mem::replace(&mut *coroutine.state.borrow_mut(), CoroutineState::Running);
        let (mut fiber, exc) = match (taken, resume) {
            (CoroutineState::Created(locals), ByHand::Send(sent)) => {
                *coroutine.state.borrow_mut() = CoroutineState::Created(locals);
                if !sent.is_none() {
                    return Err(exception::type_error(
                        "can't send non-None value to a just-started coroutine",
                    ));
                }
                (super::frame::Fiber::with_capacity(0), None)
            }
            // Thrown into before it started: it dies without running.
            (CoroutineState::Created(_), ByHand::Throw(error)) => {
                coroutine.finish();
                return Err(error);
            }
            (CoroutineState::Detached(paused), resume) => {
                let thrown = match resume {
                    ByHand::Throw(error) => Some(error),
                    ByHand::Send(_) => None,
                };
                reattach(coroutine, *paused, thrown)
            }
            (other, _) => {
                let running = matches!(other, CoroutineState::Running);
                *coroutine.state.borrow_mut() = other;
                return Err(if running {
                    exception::value_error("coroutine already executing")
                } else {
                    exception::runtime_error("cannot reuse already awaited coroutine")
                });
            }
        };
        let fresh = fiber.frames.is_empty();
        std::mem::swap(&mut self.fiber, &mut fiber);
        // The caller's frames still count toward the recursion limit.
        let outer_depth = self.outer_depth;
        self.outer_depth += fiber.frames.len();
        let result = if fresh {
            self.push_task_frame(coroutine)
                .and_then(|()| self.execute(0))
        } else {
            self.resume_fiber(0, exc)
        };
        self.outer_depth = outer_depth;
        std::mem::swap(&mut self.fiber, &mut fiber);
        match result {
            Ok(Exit::Returned(value)) => Ok(GeneratorStep::Returned(value)),
            Ok(Exit::Suspended(yielded)) => {
                // The bottom frame is the coroutine's own: while detached it
                // must not hold the coroutine, which holds it (that cycle
                // would keep a paused coroutine from ever being freed, and
                // closed). `reattach` puts the reference back.
                if let Some(bottom) = fiber.frames.first_mut() {
                    bottom.kind = FrameKind::Call;
                }
                let (value, waiting) = match yielded {
                    Yielded::Waiting(w) => (w.to_value(), Some(w)),
                    Yielded::Bare => (Value::None, None),
                };
                *coroutine.state.borrow_mut() =
                    CoroutineState::Detached(Box::new(Detached { fiber, waiting }));
                Ok(GeneratorStep::Yielded(value))
            }
            Err(e) => {
                coroutine.finish();
                Err(e)
            }
        }
    }
}

/// A detached coroutine's frames, ready to run again: the bottom frame holds
/// the coroutine once more, and the exception to resume with is `thrown`,
/// or, for a `send`, what `Future.__await__` says when sent to before the
/// future it yielded is done.
fn reattach(
    coroutine: &Rc<Coroutine>,
    paused: Detached,
    thrown: Option<PyErr>,
) -> (super::frame::Fiber, Option<PyErr>) {
    let Detached { mut fiber, waiting } = paused;
    if let Some(bottom) = fiber.frames.first_mut() {
        bottom.kind = FrameKind::Coroutine(coroutine.clone());
    }
    let exc = thrown.or_else(|| {
        waiting
            .filter(|w| !w.core().done())
            .map(|_| exception::runtime_error("await wasn't used with future"))
    });
    (fiber, exc)
}
